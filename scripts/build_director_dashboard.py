#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Write data/files/gov_director_dashboard.json, the director's dashboard
(领导驾驶舱) shipped with the module as an Odoo 18 spreadsheet (o-spreadsheet
data version 21, as the community dashboards).

    python3 scripts/build_director_dashboard.py

Sheets:

* 驾驶舱: the tiles (scorecards), the monthly trends of the last 12 months
  (charts) and the area kept for the red and yellow cards of the month by
  department;
* 数据: the figures behind them, as formulas on the pivots.

Pivots:

1. ``gov.center.overview`` by metric: the figures of today, of this month
   and the open counts, computed by the overview at each reading (cheap
   indexed conditions, or the monthly statistics);
2-5. ``gov.stat.monthly`` by month, one per line of work (cases, ratings,
   consultations, queue tickets): the stored monthly statistics, never the
   large tables themselves.

Edit this script (or the JSON) and upgrade the module to ship a change.
"""
import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "data" / "files" / "gov_director_dashboard.json"
DATA = "'数据'"
MONTHS = 12
TREND_HEADER_ROW = 20  # 1-based row of the headers of the monthly table

# ----------------------------------------------------------------------
# pivots
# ----------------------------------------------------------------------
OVERVIEW_METRICS = [
    "active_items", "cases_received_today", "cases_on_time_rate_month", "cases_overdue",
    "visitors_today", "average_wait_today", "consultations_this_year",
    "consultations_resolved_this_year", "satisfaction_rate", "bad_ratings_open",
    "ratings_this_month", "filed_intermediaries", "short_service_types",
]
MONTHLY = {
    # pivot id: (name, source, measures)
    "2": ("办件（月度统计）", "case", ["case_count", "case_decided_count", "case_on_time_count"]),
    "3": ("好差评（月度统计）", "rating", ["rating_count", "rating_bad_count"]),
    "4": ("咨询与来信（月度统计）", "consultation",
          ["consultation_count", "consultation_answered_count"]),
    "5": ("排队取号（月度统计）", "queue", ["ticket_count"]),
}
# red and yellow cards by department, for the month chosen in the filter
CARDS_PIVOT = "6"
CARDS_FILTER = "gov-supervision-month"
CARDS_ROWS = 9


def measure(name):
    return {"id": f"{name}:sum", "fieldName": name, "aggregator": "sum"}


def pivots():
    result = {
        "1": {
            "type": "ODOO",
            "id": "1",
            "formulaId": "1",
            "name": "中心概况（实时）",
            "model": "gov.center.overview",
            "domain": [["metric", "in", OVERVIEW_METRICS]],
            "context": {},
            "sortedColumn": None,
            "measures": [measure("value")],
            "columns": [],
            "rows": [{"fieldName": "metric"}],
        }
    }
    for pivot_id, (name, source, measures) in MONTHLY.items():
        result[pivot_id] = {
            "type": "ODOO",
            "id": pivot_id,
            "formulaId": pivot_id,
            "name": name,
            "model": "gov.stat.monthly",
            "domain": [["source", "=", source]],
            "context": {},
            "sortedColumn": None,
            "measures": [measure(m) for m in measures],
            "columns": [],
            "rows": [{"fieldName": "month", "granularity": "month", "order": "asc"}],
        }
    result[CARDS_PIVOT] = {
        "type": "ODOO",
        "id": CARDS_PIVOT,
        "formulaId": CARDS_PIVOT,
        "name": "电子监察红黄牌（按部门）",
        "model": "gov.stat.monthly",
        "domain": [["source", "=", "supervision"]],
        "context": {},
        "sortedColumn": None,
        "measures": [measure(m) for m in (
            "supervision_red_count", "supervision_yellow_count", "supervision_confirmed_count",
            "supervision_warning_count")],
        "columns": [],
        "rows": [{"fieldName": "department_id"}],
        "fieldMatching": {CARDS_FILTER: {"chain": "month", "type": "date", "offset": 0}},
    }
    return result


def global_filters():
    return [{
        "id": CARDS_FILTER,
        "type": "date",
        "label": "电子监察统计月份",
        "rangeType": "fixedPeriod",
        "defaultValue": "this_month",
    }]


# ----------------------------------------------------------------------
# data sheet
# ----------------------------------------------------------------------
def overview(metric):
    return f'=PIVOT.VALUE(1,"value:sum","metric","{metric}")'


def monthly(pivot_id, name, month_cell):
    return f'=IFERROR(PIVOT.VALUE({pivot_id},"{name}:sum","month:month",{month_cell}),0)'


FIRST_TREND = TREND_HEADER_ROW + 1
LAST_TREND = TREND_HEADER_ROW + MONTHS
THIS_MONTH = f"A{LAST_TREND}"
# (label, formula, format key): B column of the tiles' figures, rows 2..
TILES = [
    ("有效审批事项", overview("active_items"), "int"),
    ("今日收件", overview("cases_received_today"), "int"),
    ("本月收件", f"=C{LAST_TREND}", "int"),
    ("本月按时办结率", f'={overview("cases_on_time_rate_month")[1:]}/100', "pct"),
    ("超期办件", overview("cases_overdue"), "int"),
    ("今日办事人数（取号）", overview("visitors_today"), "int"),
    ("今日平均等候（分钟）", overview("average_wait_today"), "dec"),
    ("本年收到咨询和来信", overview("consultations_this_year"), "int"),
    ("本年已处理咨询和来信", overview("consultations_resolved_this_year"), "int"),
    ("本年咨询和来信处理率", "=IFERROR(B10/B9,0)", "pct"),
    ("满意率（近12个月）", f'={overview("satisfaction_rate")[1:]}/100', "pct"),
    ("整改中的差评", overview("bad_ratings_open"), "int"),
    ("本月好差评", overview("ratings_this_month"), "int"),
    ("已备案中介服务机构", overview("filed_intermediaries"), "int"),
    ("机构不足的中介服务类型", overview("short_service_types"), "int"),
]
TREND_COLUMNS = [
    # column, header, formula of row r (month in A{r}), format
    ("C", "收件", lambda r: monthly(2, "case_count", f"A{r}"), "int"),
    ("D", "办结", lambda r: monthly(2, "case_decided_count", f"A{r}"), "int"),
    ("E", "按时办结", lambda r: monthly(2, "case_on_time_count", f"A{r}"), "int"),
    ("F", "好差评", lambda r: monthly(3, "rating_count", f"A{r}"), "int"),
    ("G", "差评数", lambda r: monthly(3, "rating_bad_count", f"A{r}"), "int"),
    ("H", "满意率", lambda r: f'=IF(F{r}>0,(F{r}-G{r})/F{r},"")', "pct"),
    ("I", "收到咨询和来信", lambda r: monthly(4, "consultation_count", f"A{r}"), "int"),
    ("J", "已处理", lambda r: monthly(4, "consultation_answered_count", f"A{r}"), "int"),
    ("K", "办事人数（取号）", lambda r: monthly(5, "ticket_count", f"A{r}"), "int"),
]
FORMATS = {"int": "#,##0", "pct": "0.0%", "dec": "0.0", "date": "yyyy-mm-dd"}
FORMAT_IDS = {key: str(index) for index, key in enumerate(FORMATS, start=1)}


def data_sheet():
    cells = {"A1": {"content": "指标"}, "B1": {"content": "数值"}}
    formats = {}
    for index, (label, formula, fmt) in enumerate(TILES, start=2):
        cells[f"A{index}"] = {"content": label}
        cells[f"B{index}"] = {"content": formula}
        formats[f"B{index}"] = int(FORMAT_IDS[fmt])
    header = TREND_HEADER_ROW
    cells[f"A{header - 1}"] = {"content": f"近{MONTHS}个月（月度统计 gov.stat.monthly）"}
    cells[f"A{header}"] = {"content": "月初"}
    cells[f"B{header}"] = {"content": "月份"}
    for column, title, _formula, _fmt in TREND_COLUMNS:
        cells[f"{column}{header}"] = {"content": title}
    for offset in range(MONTHS):
        row = FIRST_TREND + offset
        cells[f"A{row}"] = {
            "content": f"=EDATE(DATE(YEAR(TODAY()),MONTH(TODAY()),1),{offset - MONTHS + 1})"
        }
        formats[f"A{row}"] = int(FORMAT_IDS["date"])
        cells[f"B{row}"] = {"content": f'=YEAR(A{row})&"年"&MONTH(A{row})&"月"'}
        for column, _title, formula, fmt in TREND_COLUMNS:
            cells[f"{column}{row}"] = {"content": formula(row)}
            formats[f"{column}{row}"] = int(FORMAT_IDS[fmt])
    return {
        "id": "gov_dashboard_data",
        "name": "数据",
        "colNumber": 12,
        "rowNumber": LAST_TREND + 5,
        "rows": {},
        "cols": {"0": {"size": 200}, "1": {"size": 110}},
        "merges": [],
        "cells": cells,
        "styles": {"A1:B1": 2, f"A{header}:K{header}": 2, f"A{header - 1}": 2},
        "formats": formats,
        "borders": {},
        "conditionalFormats": [],
        "figures": [],
        "tables": [],
        "areGridLinesVisible": True,
        "isVisible": True,
        "headerGroups": {"ROW": [], "COL": []},
        "dataValidationRules": [],
        "comments": {},
    }


# ----------------------------------------------------------------------
# dashboard sheet
# ----------------------------------------------------------------------
COL_WIDTH = 205
TILE_W, TILE_H, GAP = 195, 96, 10
CHART_W, CHART_H = 2 * COL_WIDTH + COL_WIDTH // 2, 300
# row sizes of the dashboard sheet (0-based index -> px); others 23 px
TITLE, NOTE = 0, 1
TILE_SECTIONS = [  # (section row, title, tiles' data rows)
    (2, "办件与事项", [2, 3, 4, 5, 6]),
    (8, "大厅与咨询", [7, 8, 9, 10, 11]),
    (14, "评价与中介服务", [12, 13, 14, 15, 16]),
]
TILE_ROWS = 5  # rows under a section title covered by its tiles (5 x 21 px)
TREND_SECTION = 20
CHART_ROWS = 14  # 2 charts high: 2 x (300 + 10) px over 14 rows
CARDS_SECTION = TREND_SECTION + 1 + CHART_ROWS
TILE_BACKGROUNDS = ["#EFF6FF", "#EFF6FF", "#EFF6FF", "#F0FDF4", "#FEF2F2"]


def row_sizes():
    sizes = {TITLE: 42, NOTE: 24}
    for section, _title, _rows in TILE_SECTIONS:
        sizes[section] = 34
        for offset in range(1, TILE_ROWS + 1):
            sizes[section + offset] = 21
    sizes[TREND_SECTION] = 34
    for offset in range(1, CHART_ROWS + 1):
        sizes[TREND_SECTION + offset] = (2 * (CHART_H + GAP)) // CHART_ROWS
    sizes[CARDS_SECTION] = 34
    for offset in range(1, 12):
        sizes[CARDS_SECTION + offset] = 26
    return sizes


def y_of(row, sizes):
    return sum(sizes.get(index, 23) for index in range(row))


def dashboard_sheet():
    sizes = row_sizes()
    cells = {
        "A1": {"content": "政务服务中心 · 领导驾驶舱"},
        "A2": {"content": "今日、本月与在办数字来自中心概况，每次打开时计算；"
                          "月度趋势与本月收件来自按月汇总存储的月度统计。"},
    }
    styles = {"A1": 1, "A2": 3}
    borders = {}
    figures = []
    for section, title, data_rows in TILE_SECTIONS:
        cells[f"A{section + 1}"] = {"content": title}
        styles[f"A{section + 1}"] = 2
        borders[f"A{section + 1}:E{section + 1}"] = 1
        top = y_of(section + 1, sizes) + 4
        for index, data_row in enumerate(data_rows):
            label = TILES[data_row - 2][0]
            figures.append({
                "id": f"gov_tile_{data_row}",
                "x": index * COL_WIDTH,
                "y": top,
                "width": TILE_W,
                "height": TILE_H,
                "tag": "chart",
                "data": {
                    "type": "scorecard",
                    "title": {"text": label, "bold": True, "color": "#434343"},
                    "background": TILE_BACKGROUNDS[index],
                    "keyValue": f"{DATA}!B{data_row}",
                    "baselineMode": "difference",
                    "baselineColorDown": "#DC6965",
                    "baselineColorUp": "#00A04A",
                    "humanize": False,
                },
            })
    # monthly trends
    cells[f"A{TREND_SECTION + 1}"] = {"content": f"月度趋势（近{MONTHS}个月）"}
    styles[f"A{TREND_SECTION + 1}"] = 2
    borders[f"A{TREND_SECTION + 1}:E{TREND_SECTION + 1}"] = 1
    top = y_of(TREND_SECTION + 1, sizes) + 6
    header, first, last = TREND_HEADER_ROW, FIRST_TREND, LAST_TREND
    labels = f"{DATA}!B{header}:B{last}"

    def chart(chart_id, x, y, kind, title, columns, **extra):
        data = {
            "type": kind,
            "title": {"text": title, "bold": True, "color": "#434343"},
            "background": "#FFFFFF",
            "dataSetsHaveTitle": True,
            "dataSets": [{"dataRange": f"{DATA}!{c}{header}:{c}{last}"} for c in columns],
            "labelRange": labels,
            "legendPosition": "top",
            "stacked": False,
            "aggregated": False,
        }
        data.update(extra)
        return {"id": chart_id, "x": x, "y": y, "width": CHART_W, "height": CHART_H,
                "tag": "chart", "data": data}

    right = CHART_W + GAP
    figures += [
        chart("gov_chart_cases", 0, top, "bar", "办件：收件与办结", ["C", "D"]),
        chart("gov_chart_satisfaction", right, top, "line", "好差评满意率", ["H"],
              labelsAsText=True, cumulative=False, fillArea=False),
        chart("gov_chart_consultations", 0, top + CHART_H + GAP, "bar",
              "咨询和来信：收到与处理", ["I", "J"]),
        chart("gov_chart_visitors", right, top + CHART_H + GAP, "bar", "大厅办事人数（取号）", ["K"]),
    ]
    assert first == header + 1
    # red and yellow cards of the month (filter) by department, from the
    # monthly statistics of electronic supervision
    row = CARDS_SECTION + 1
    cells[f"A{row}"] = {"content": "各部门红黄牌（电子监察，按所选月份）"}
    styles[f"A{row}"] = 2
    borders[f"A{row}:E{row}"] = 1
    for column, title in zip("ABCDE", ["部门", "红牌", "黄牌", "已确认", "预警"]):
        cells[f"{column}{row + 1}"] = {"content": title}
    styles[f"A{row + 1}:E{row + 1}"] = 4
    measures = ["supervision_red_count", "supervision_yellow_count",
                "supervision_confirmed_count", "supervision_warning_count"]
    for index in range(1, CARDS_ROWS + 1):
        line = row + 1 + index
        header = f'PIVOT.HEADER({CARDS_PIVOT},"#department_id",{index})'
        cells[f"A{line}"] = {"content": f'=IFERROR({header},"")'}
        for column, name in zip("BCDE", measures):
            cells[f"{column}{line}"] = {"content": (
                f'=IFERROR(PIVOT.VALUE({CARDS_PIVOT},"{name}:sum","#department_id",{index}),"")'
            )}
    styles[f"A{row + 2}:E{row + 1 + CARDS_ROWS}"] = 5
    return {
        "id": "gov_dashboard",
        "name": "驾驶舱",
        "colNumber": 6,
        "rowNumber": row + 2 + CARDS_ROWS,
        "rows": {str(index): {"size": size} for index, size in sorted(sizes.items())},
        "cols": {str(index): {"size": COL_WIDTH} for index in range(5)},
        "merges": [],
        "cells": cells,
        "styles": styles,
        "formats": {},
        "borders": borders,
        "conditionalFormats": [],
        "figures": figures,
        "tables": [],
        "areGridLinesVisible": False,
        "isVisible": True,
        "headerGroups": {"ROW": [], "COL": []},
        "dataValidationRules": [],
        "comments": {},
    }


def spreadsheet():
    return {
        "version": 21,
        "sheets": [dashboard_sheet(), data_sheet()],
        "styles": {
            "1": {"textColor": "#01666b", "bold": True, "fontSize": 18},
            "2": {"textColor": "#01666b", "bold": True, "fontSize": 14},
            "3": {"textColor": "#6c757d", "italic": True},
            "4": {"textColor": "#434343", "bold": True, "fillColor": "#f2f2f2"},
            "5": {"fillColor": "#fafafa"},
        },
        "formats": {FORMAT_IDS[key]: value for key, value in FORMATS.items()},
        "borders": {"1": {"bottom": {"style": "thin", "color": "#B7B7B7"}}},
        "revisionId": "START_REVISION",
        "uniqueFigureIds": True,
        "settings": {},
        "pivots": pivots(),
        "pivotNextId": len(MONTHLY) + 3,
        "customTableStyles": {},
        "odooVersion": 12,
        "globalFilters": global_filters(),
        "lists": {},
        "listNextId": 1,
        "chartOdooMenusReferences": {},
    }


def main():
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(spreadsheet(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
