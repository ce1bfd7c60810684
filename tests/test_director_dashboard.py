# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json
import re

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from ..models.gov_settings import param_key
from .common import GovCaseCase, RatingFixtures

TZ = "Asia/Shanghai"
NOW = "2026-11-17 02:00:00"  # Tuesday 17 November 2026, 10:00 in the center
LAST_MONTH = "2026-10-14 02:00:00"
DASHBOARD = "gov_service_center.spreadsheet_dashboard_gov_director"
# PIVOT.VALUE(id, "measure", "dimension", value, ...) / PIVOT.HEADER(id, "dimension", value)
PIVOT_CALL_RE = re.compile(r"PIVOT\.(VALUE|HEADER)\(([^()]*(?:\([^()]*\)[^()]*)*)\)")
ARG_RE = re.compile(r'"([^"]*)"|([^,]+)')
SHEET_REF_RE = re.compile(r"^(?:'([^']+)'|([^!']+))!")


def dashboard_queries(data):
    """The read_group calls the spreadsheet's pivots run: ``[(pivot id,
    model, domain, aggregates, groupby)]`` (the grouped call; the pivot also
    asks the totals, the same call without groupby)."""
    queries = []
    for pivot_id, pivot in sorted(data.get("pivots", {}).items()):
        aggregates = [
            f"{m['fieldName']}:{m.get('aggregator') or 'sum'}"
            for m in pivot["measures"] if m["fieldName"] != "__count" and not m.get("computedBy")
        ]
        groupby = [
            f"{d['fieldName']}:{d['granularity']}" if d.get("granularity") else d["fieldName"]
            for d in pivot.get("rows", []) + pivot.get("columns", [])
        ]
        queries.append((pivot_id, pivot["model"], pivot["domain"], aggregates, groupby))
    return queries


def _pivot_calls(data):
    """``(cell, kind, [arguments])`` of every PIVOT.VALUE / PIVOT.HEADER."""
    for sheet in data["sheets"]:
        for cell, value in sheet["cells"].items():
            for kind, args in PIVOT_CALL_RE.findall(value.get("content") or ""):
                parsed = [quoted if quoted or not bare else bare.strip()
                          for quoted, bare in ARG_RE.findall(args)]
                yield f"{sheet['name']}!{cell}", kind, parsed


@tagged("post_install", "-at_install")
class TestDirectorDashboard(RatingFixtures, GovCaseCase):
    """The director's dashboard: its record, its spreadsheet and the queries
    it runs, which read the overview and the monthly statistics only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(param_key("center_tz"), TZ)
        cls._rating_setup(cls.dept_a, cls.dept_b)
        cls.dashboard = cls.env.ref(DASHBOARD)
        cls.data = json.loads(cls.dashboard.spreadsheet_data)

    def _demo_like_records(self):
        Rating = self.env["gov.service.rating"]
        Rating.create([
            {"level": 5, "window_id": self.window.id, "date": LAST_MONTH, "channel": "terminal"},
            {"level": 1, "window_id": self.window_b.id, "date": LAST_MONTH, "channel": "terminal"},
        ])
        with freeze_time(NOW):
            Rating.create([
                {"level": level, "window_id": self.window.id, "date": NOW, "channel": "terminal"}
                for level in (5, 4, 2)
            ])
            for kind in ("consultation", "mailbox"):
                question = self.env["gov.consultation"].create({
                    "name": "GscDash question", "question": "When?", "kind": kind,
                    "contact_name": "Zhang", "contact_phone": "13800000000",
                    "department_id": self.dept_a.id,
                })
            question.answer = "Tomorrow."
            question.action_answer()
            for _ in range(3):
                self.env["gov.queue.ticket"].sudo().create({"zone_id": self.zone.id})
            decided = self._receive_all(self._new_case(item_id=self.item_b.id))
            decided.action_submit()
            decided.action_accept()
            decided.action_approve()
            self._new_case(item_id=self.item_b.id).action_submit()
            # electronic supervision: a card of each level this month
            self.env["gov.supervision.alert"].sudo().create([{
                "res_model": "gov.case", "res_id": decided.id, "name": decided.name,
                "department_id": self.dept_a.id, "level": level, "rule": rule,
                "date": NOW[:10], "state": state,
            } for level, rule, state in (
                ("red", "deadline_red", "confirmed"), ("yellow", "late_delivery", "open"),
                ("warning", "deadline_yellow", "open"),
            )])
        self.env.flush_all()

    # ------------------------------------------------------------------
    def test_record_and_groups(self):
        self.assertEqual(self.dashboard.name, "Government Service Center")
        self.assertEqual(
            self.dashboard.dashboard_group_id,
            self.env.ref("gov_service_center.spreadsheet_dashboard_group_gov"),
        )
        self.assertTrue(self.dashboard.is_published)
        self.assertEqual(
            self.dashboard.group_ids,
            self.env.ref("gov_service_center.group_gov_viewer")
            | self.env.ref("gov_service_center.group_gov_admin"),
        )

    def test_spreadsheet_is_valid(self):
        data = self.data
        # the data version of the community dashboards of Odoo 18
        self.assertEqual(data["version"], 21)
        self.assertEqual(data["odooVersion"], 12)
        names = [sheet["name"] for sheet in data["sheets"]]
        self.assertEqual(names, ["驾驶舱", "数据"])
        self.assertEqual(len({sheet["id"] for sheet in data["sheets"]}), len(names))
        figures = [figure for sheet in data["sheets"] for figure in sheet["figures"]]
        self.assertEqual(len({figure["id"] for figure in figures}), len(figures))
        kinds = [figure["data"]["type"] for figure in figures]
        self.assertEqual(kinds.count("scorecard"), 15)
        self.assertGreaterEqual(len(kinds) - kinds.count("scorecard"), 4)
        # every range of the charts is on a sheet of the spreadsheet
        for figure in figures:
            chart = figure["data"]
            ranges = [chart.get("keyValue"), chart.get("labelRange")]
            ranges += [dataset["dataRange"] for dataset in chart.get("dataSets", [])]
            for reference in filter(None, ranges):
                match = SHEET_REF_RE.match(reference)
                self.assertTrue(match, reference)
                self.assertIn(match.group(1) or match.group(2), names, reference)
        # the red and yellow cards by department, for the month of the filter
        cells = data["sheets"][0]["cells"]
        self.assertIn("各部门红黄牌（电子监察，按所选月份）",
                      [cell.get("content") for cell in cells.values()])
        cards = data["pivots"]["6"]
        self.assertEqual(cards["domain"], [["source", "=", "supervision"]])
        self.assertEqual([f["id"] for f in data["globalFilters"]], list(cards["fieldMatching"]))
        self.assertEqual(data["globalFilters"][0]["defaultValue"], "this_month")

    def test_models_fields_and_measures_exist(self):
        pivots = self.data["pivots"]
        self.assertTrue(pivots)
        for pivot_id, pivot in pivots.items():
            with self.subTest(pivot=pivot_id):
                self.assertIn(pivot["model"], self.env)
                Model = self.env[pivot["model"]]
                for leaf in pivot["domain"]:
                    if isinstance(leaf, list):
                        self.assertIn(leaf[0].split(".")[0], Model._fields)
                for dimension in pivot["rows"] + pivot["columns"]:
                    self.assertIn(dimension["fieldName"], Model._fields)
                for measure in pivot["measures"]:
                    field = Model._fields.get(measure["fieldName"])
                    self.assertTrue(field, measure["fieldName"])
                    self.assertIn(field.type, ("integer", "float", "monetary"))
                    self.assertEqual(measure["id"], f"{measure['fieldName']}:{measure['aggregator']}")
                # the monthly statistics are read by source, one line of work each
                if pivot["model"] == "gov.stat.monthly":
                    self.assertEqual(pivot["domain"][0][:2], ["source", "="])
                    self.assertIn(pivot["domain"][0][2], dict(Model._fields["source"].selection))
                else:
                    self.assertEqual(pivot["model"], "gov.center.overview")
        # lists and the charts bound to a model (none today) name existing fields too
        for list_def in self.data.get("lists", {}).values():
            self.assertTrue(set(list_def["columns"]) <= set(self.env[list_def["model"]]._fields))
        for sheet in self.data["sheets"]:
            for figure in sheet["figures"]:
                meta = figure["data"].get("metaData")
                if meta:
                    Model = self.env[meta["resModel"]]
                    self.assertIn(meta["measure"].split(":")[0], list(Model._fields) + ["__count"])
        # the formulas name existing pivots, measures, dimensions and metrics
        metrics = dict(self.env["gov.center.overview"]._fields["metric"].selection)
        calls = list(_pivot_calls(self.data))
        self.assertTrue(calls)
        for cell, kind, args in calls:
            with self.subTest(cell=cell):
                pivot = pivots[args[0]]
                rest = args[1:]
                if kind == "VALUE":
                    self.assertIn(rest[0], [m["id"] for m in pivot["measures"]])
                    rest = rest[1:]
                dimensions = {
                    f"{d['fieldName']}:{d['granularity']}" if d.get("granularity") else d["fieldName"]
                    for d in pivot["rows"] + pivot["columns"]
                }
                for dimension, value in zip(rest[::2], rest[1::2]):
                    # "#field": the value is the position of the group
                    self.assertIn(dimension.lstrip("#"), dimensions)
                    if dimension.startswith("#"):
                        self.assertTrue(value.strip().isdigit(), value)
                    if dimension == "metric":
                        self.assertIn(value, metrics)
                        self.assertIn(value, pivot["domain"][0][2])

    def test_queries_return_figures(self):
        self._demo_like_records()
        with freeze_time(NOW):
            self.env["gov.stat.monthly"]._gov_stat_refresh()
            queries = dashboard_queries(self.data)
            self.assertEqual(
                {model for _id, model, *_rest in queries}, {"gov.stat.monthly", "gov.center.overview"},
            )
            for pivot_id, model, domain, aggregates, groupby in queries:
                with self.subTest(pivot=pivot_id):
                    Model = self.env[model].with_user(self.user_viewer)
                    groups = Model.read_group(domain, aggregates, groupby, lazy=False)
                    totals = Model.read_group(domain, aggregates, [], lazy=False)
                    self.assertTrue(groups)
                    for aggregate in aggregates:
                        name = aggregate.split(":")[0]
                        self.assertGreater(totals[0][name], 0, f"{pivot_id} {name}")
                    if model == "gov.stat.monthly" and "month:month" in groupby:
                        # the months read by the data sheet: this one and the last one
                        months = [group["month:month"] for group in groups]
                        self.assertIn("November 2026", months)
            overview = {
                group["metric"]: group["value"]
                for group in self.env["gov.center.overview"].read_group(
                    queries[0][2], ["value:sum"], ["metric"], lazy=False)
            }
        for metric in ("cases_received_today", "visitors_today", "ratings_this_month",
                       "satisfaction_rate", "consultations_this_year",
                       "consultations_resolved_this_year", "bad_ratings_open"):
            self.assertGreater(overview.get(metric, 0), 0, metric)
        self.assertEqual(overview["cases_on_time_rate_month"], 100)

    def test_no_live_query_over_the_large_tables(self):
        """The monthly pivots read gov_stat_monthly only, in one query each."""
        self.env["gov.stat.monthly"]._gov_stat_refresh()
        Stat = self.env["gov.stat.monthly"].with_user(self.user_viewer)
        self.env.flush_all()
        for _pivot_id, model, domain, aggregates, groupby in dashboard_queries(self.data)[1:]:
            self.assertEqual(model, "gov.stat.monthly")
            Stat.read_group(domain, aggregates, groupby, lazy=False)  # caches of the user's rights
            # one query: is anything pending? one: the groups
            with self.assertQueryCount(2):
                Stat.read_group(domain, aggregates, groupby, lazy=False)

    def test_access(self):
        Dashboard = self.env["spreadsheet.dashboard"]
        seen = Dashboard.with_user(self.user_viewer).search([("id", "=", self.dashboard.id)])
        self.assertEqual(seen, self.dashboard)
        readonly = seen.get_readonly_dashboard()
        self.assertEqual(readonly["snapshot"]["pivots"].keys(), self.data["pivots"].keys())
        self.assertTrue(Dashboard.with_user(self.user_admin).search([("id", "=", self.dashboard.id)]))
        # an employee without a role in the center does not see it
        self.assertFalse(Dashboard.with_user(self.user_internal).search([("id", "=", self.dashboard.id)]))
        for user in (self.user_portal, self.user_public):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Dashboard.with_user(user).search([("id", "=", self.dashboard.id)])
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["gov.stat.monthly"].with_user(user).read_group([], ["case_count:sum"], [])


@tagged("post_install", "-at_install", "gsc_browser")
class TestDirectorDashboardTour(HttpCase):
    def test_dashboard_opens(self):
        self.start_tour("/odoo/dashboards", "gov_director_dashboard", login="admin", timeout=120)
