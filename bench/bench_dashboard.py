#!/usr/bin/env python3
"""Director's dashboard benchmark: the queries of the dashboard on a copy of a
demo database inflated to 1,000,000 ratings and 1,000,000 cases, against the
live read_group over the raw tables measured in the same run.

    python3 bench/bench_dashboard.py <demo_db> [--ratings 1000000] \
        [--cases 1000000] [--calls 30] [--addons-path <paths>] [--keep]

``<demo_db>`` is a database where gov_service_center is installed with its
demo data (``scripts/start`` makes one). It is only read: the benchmark
copies it to ``<demo_db>_dash`` (with its filestore), updates the module in
the copy (indexes and dashboard of the current code), inflates the copy in
SQL as bench/bench_scale.py does (``tests/inflate.py``; ratings and cases
copied from the demo ones, spread over the last three years, constraints
kept; copies of open cases older than 45 days withdrawn, as a center does
not keep a tenth of its cases open for years), runs VACUUM ANALYZE, rebuilds the monthly statistics once (timed),
then measures, in one Odoo process, as the administrator:

* the dashboard: one load is every read_group its spreadsheet declares on
  ``gov.stat.monthly`` (for each pivot of the shipped JSON: the grouped call
  and the totals, as o-spreadsheet asks them); ``--calls`` loads, p95;
* the tiles (info): the read_group of the pivot on ``gov.center.overview``
  (today's figures, open counts);
* the baseline: the live read_group of the same figures over the raw tables
  -- ratings counted in the ledger and received cases, grouped by month --
  ``--calls`` times, p95.

Prints both p95, their ratio, and exits 1 when the dashboard's p95 exceeds
100 ms. The copy is dropped at the end unless ``--keep``.
"""
import argparse
import importlib.util
import json
import math
import sys
import time
from pathlib import Path

import psycopg2

HERE = Path(__file__).resolve().parent
GOAL_MS = 100.0
DASHBOARD = "gov_service_center.spreadsheet_dashboard_gov_director"


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


scale = _load("gsc_bench_scale", HERE / "bench_scale.py")
inflate_sql = _load("gsc_inflate", HERE.parent / "tests" / "inflate.py")

CASE_DATES = [
    "date_deadline", "date_supplement_notice", "date_supplement_limit", "date_accepted",
    "date_deadline_statutory", "date_decided", "date_delivery_deadline", "date_delivered",
    "date_withdrawn", "date_review_limit", "date_lawsuit_limit",
]


def p95(samples):
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


# ----------------------------------------------------------------------
# inflation
# ----------------------------------------------------------------------
def inflate(db, ratings, cases):
    conn = psycopg2.connect(dbname=db)
    started = time.perf_counter()
    try:
        cr = conn.cursor()
        span = "interval '3 years'"

        def spread(total):
            return f"(now() at time zone 'UTC' - {span} * g::float / {max(total, 1)})"

        added = {}
        added["ratings"] = inflate_sql.inflate(cr, "gov_service_rating", ratings, {
            "name": "'DASH-R' || g",
            "ticket_id": "NULL",
            "case_id": "NULL",
            "date": spread(ratings),
            "rating_day": f"({spread(ratings)})::date",
        })
        # a case keeps the intervals of its source case, moved to its new day
        shift = f"(({spread(cases)})::date - s.date_received_day)"
        # a case still open after 45 days is rare: the older copies of open
        # cases are withdrawn (else "overdue" would count every tenth case)
        old = f"g > {cases} * 45 / 1095"
        overrides = {
            "state": f"CASE WHEN {old} AND s.state IN ('submitted', 'supplement', 'accepted') "
                     "THEN 'withdrawn' ELSE s.state END",
            "name": "'DASH-C' || lpad(g::text, 8, '0')",
            "submission_key": "NULL",
            "access_token": "md5('dash' || g)",
            "date_received": f"s.date_received + (({spread(cases)}) - s.date_received)",
            "date_received_day": f"({spread(cases)})::date",
        }
        overrides.update({column: f"s.{column} + {shift}" for column in CASE_DATES})
        added["cases"] = inflate_sql.inflate(
            cr, "gov_case", cases, overrides, source_where="t.date_received IS NOT NULL",
        )
        conn.commit()
        conn.autocommit = True
        for table in ("gov_service_rating", "gov_case"):
            cr.execute(f'VACUUM ANALYZE "{table}"')
    finally:
        conn.close()
    print(f"inflated {db} in {time.perf_counter() - started:.0f} s: "
          + ", ".join(f"{key} +{value:,}" for key, value in added.items()))


# ----------------------------------------------------------------------
# measures (in an Odoo process)
# ----------------------------------------------------------------------
def dashboard_queries(data):
    """``[(model, domain, aggregates, groupby)]`` of the pivots of the
    spreadsheet (as tests/test_director_dashboard.py reads them)."""
    queries = []
    for _pivot_id, pivot in sorted(data["pivots"].items()):
        aggregates = [f"{m['fieldName']}:{m.get('aggregator') or 'sum'}"
                      for m in pivot["measures"] if m["fieldName"] != "__count"]
        groupby = [f"{d['fieldName']}:{d['granularity']}" if d.get("granularity") else d["fieldName"]
                   for d in pivot["rows"] + pivot["columns"]]
        queries.append((pivot["model"], pivot["domain"], aggregates, groupby))
    return queries


def timed(call, calls):
    call()  # warm-up
    samples = []
    for _ in range(calls):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def measure(args, db):
    import odoo
    from odoo import api

    odoo.tools.config.parse_config([f"--addons-path={args.addons_path}", "-d", db,
                                    "--log-level=warn"])
    registry = odoo.modules.registry.Registry(db)
    figures = {}
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        start = time.perf_counter()
        env["gov.stat.monthly"]._gov_stat_rebuild()
        cr.commit()
        figures["rebuild_s"] = time.perf_counter() - start
        cr.execute("SELECT count(*) FROM gov_service_rating")
        figures["ratings"] = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM gov_case")
        figures["cases"] = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM gov_stat_monthly")
        figures["stat_rows"] = cr.fetchone()[0]

        admin = env.ref("base.user_admin")
        uenv = env(user=admin.id)
        data = json.loads(env.ref(DASHBOARD).spreadsheet_data)
        queries = dashboard_queries(data)
        monthly = [q for q in queries if q[0] == "gov.stat.monthly"]
        tiles = [q for q in queries if q[0] == "gov.center.overview"]
        figures["pivots"] = len(monthly)

        def load():
            for model, domain, aggregates, groupby in monthly:
                Model = uenv[model]
                Model.read_group(domain, aggregates, groupby, lazy=False)
                Model.read_group(domain, aggregates, [], lazy=False)

        def load_tiles():
            for model, domain, aggregates, groupby in tiles:
                uenv[model].read_group(domain, aggregates, groupby, lazy=False)

        def live():
            uenv["gov.service.rating"].read_group(
                [("counts_in_ledger", "=", True)], ["level:sum"], ["rating_day:month"], lazy=False)
            uenv["gov.case"].read_group(
                [("state", "!=", "draft")], ["working_days_used:sum"], ["date_received:month"],
                lazy=False)

        figures["dashboard"] = timed(load, args.calls)
        figures["tiles"] = timed(load_tiles, args.calls)
        figures["live"] = timed(live, args.calls)
        cr.rollback()
    odoo.sql_db.close_db(db)  # the copy can be dropped
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("demo_db", help="database with gov_service_center and its demo data")
    parser.add_argument("--ratings", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--calls", type=int, default=30, help="timed calls per measure")
    parser.add_argument("--keep", action="store_true", help="keep the inflated copy")
    parser.add_argument("--addons-path", default=None)
    parser.add_argument("--odoo-bin", default=None)
    args = parser.parse_args()
    args.addons_path = args.addons_path or scale.forms.default_addons_path()
    args.odoo_bin = args.odoo_bin or scale.forms.default_odoo_bin()
    if not scale.database_exists(args.demo_db):
        sys.exit(f"{args.demo_db} does not exist (scripts/start makes a demo database)")

    big = f"{args.demo_db}_dash"
    try:
        scale.copy_database(args.demo_db, big)
        scale.run_odoo(args, big, "-u", "gov_service_center")
        inflate(big, args.ratings, args.cases)
        figures = measure(args, big)
        return report(args, figures)
    finally:
        if not args.keep:
            scale.drop_database(big)


def report(args, figures):
    dash, tiles, live = (p95(figures[key]) for key in ("dashboard", "tiles", "live"))
    print()
    print(f"rows: {figures['ratings']:,} ratings, {figures['cases']:,} cases, "
          f"{figures['stat_rows']:,} monthly statistics rows "
          f"(rebuilt once in {figures['rebuild_s']:.1f} s)")
    print(f"{args.calls} calls each, p95 in ms (median in brackets)")
    median = lambda key: sorted(figures[key])[len(figures[key]) // 2]  # noqa: E731
    print(f"  dashboard load: {figures['pivots']} monthly pivots on gov.stat.monthly, "
          f"{2 * figures['pivots']} read_group   {dash:9.1f} ({median('dashboard'):.1f})")
    print(f"  tiles: gov.center.overview pivot (info)"
          f"{'':27s}{tiles:9.1f} ({median('tiles'):.1f})")
    print(f"  baseline: live read_group ratings + cases by month"
          f"{'':16s}{live:9.1f} ({median('live'):.1f})")
    print(f"  ratio baseline / dashboard: x{live / dash:.1f}")
    met = dash <= GOAL_MS
    print(f"RESULT: dashboard p95 {dash:.1f} ms, goal <= {GOAL_MS:.0f} ms: {'met' if met else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
