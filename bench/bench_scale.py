#!/usr/bin/env python3
"""Scale benchmark: the module's pages on a copy of a demo database and on a
copy inflated to a center's volumes, in one run, as ratios.

    python3 bench/bench_scale.py <demo_db> [--scale 1.0] [--duration 5] \
        [--concurrency 4] [--addons-path <paths>] [--keep]
    python3 bench/bench_scale.py <demo_db> --create-demo    # installs it first

``<demo_db>`` is a database where gov_service_center is installed with its
demo data (``scripts/start`` makes one; ``--create-demo`` installs one under
that name when it does not exist). It is only read: the benchmark makes two
copies (``<demo_db>_scale_demo`` and ``<demo_db>_scale_big``, with their
filestores), updates the module in the first so that both carry the indexes
of the current code, and drops them at the end unless ``--keep``. The
database is reached with the usual libpq settings (PGHOST, PGUSER, ...).
``--addons-path`` is needed when the folder of this module is not named
``gov_service_center`` (it must then point to a folder holding a link of
that name to it).

The inflated copy gets, in SQL, copied from the demo rows
(``tests/inflate.py``, ``generate_series``; constraints kept, unique codes
and USCC check characters valid), at ``--scale 1``:

* 1,000,000 service ratings over three years;
* 200,000 consultations, 84,000 of them published;
* 2,000 more published intermediaries, each with a service type and a
  valid qualification;
* 10,000 more active published approval items;
* 1,000,000 attendances;

then VACUUM ANALYZE (what autovacuum does on a live database), as is the
table of monthly statistics once rebuilt.
``--scale 0.05`` makes a quick check with 5 % of these volumes.

Measures, on each copy, with the server started as in production
(``odoo-bin --workers 2``, see bench_public_forms.py, whose server helpers
are used):

* public pages: requests per second with ``--concurrency`` threads for
  ``--duration`` seconds each, and their ratio to GET /web/login measured
  just before on the same server; ``--rounds`` rounds of the pair, the
  median ratio counts (goal on the inflated copy: >= 0.7);
* backend, as admin, median latency of sequential JSON-RPC calls: the first
  list page (80 rows, with its count) of ratings, consultations and
  attendances, the first load of the statistics pivots (department x month,
  over the stored monthly statistics) and the center overview; the figure is
  the ratio inflated / demo (goal: <= 1.5). The live rating pivot over the
  records themselves (the drill-down) is printed for information.

Prints one table and exits 1 when a goal is missed.
"""
import argparse
import datetime
import importlib.util
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import psycopg2
import requests

HERE = Path(__file__).resolve().parent


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


forms = _load("gsc_bench_public_forms", HERE / "bench_public_forms.py")
inflate_sql = _load("gsc_inflate", HERE.parent / "tests" / "inflate.py")

VOLUMES = {  # rows added at --scale 1
    "ratings": 1_000_000,
    "consultations": 200_000,
    "published_share": 0.42,  # 84,000 of 200,000
    "intermediaries": 2_000,
    "items": 10_000,
    "attendances": 1_000_000,
}
PAGES = [
    "/",
    "/intermediaries",
    "/intermediaries?grade=A",
    "/intermediaries/page/5",
    "/consultation/answers",
    "/consultation/answers?search=%E5%8A%9E%E7%90%86",  # 办理
    "/service-items",
    "/service-items?search=%E8%AE%B8%E5%8F%AF",  # 许可
    "/policies",
    "/intermediaries/draws",
    "/intermediaries/restricted",
    "/honor-roll",
    "/news",
    "/cases/track",
]
LISTS = ["gov.service.rating", "gov.consultation", "hr.attendance"]
PAGE_GOAL, LIST_GOAL = 0.7, 1.5
# the lists of these models declare count_limit="1000" (the pager shows
# "1000+"; the web client asks for one row more to know)
LIST_COUNT_LIMIT = 1000
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


# ----------------------------------------------------------------------
# databases
# ----------------------------------------------------------------------
@contextmanager
def connect(dbname):
    """An autocommit connection (``with psycopg2.connect()`` would open a
    transaction block, where CREATE/DROP DATABASE and VACUUM are refused)."""
    conn = psycopg2.connect(dbname=dbname)
    conn.autocommit = True
    try:
        yield conn
    finally:
        conn.close()


def filestore(dbname):
    import odoo

    return Path(odoo.tools.config.filestore(dbname))


def run_odoo(args, db, *extra):
    command = [sys.executable, args.odoo_bin, "-d", db, f"--addons-path={args.addons_path}",
               "--stop-after-init", "--no-http", "--workers", "0", "--log-level", "warn", *extra]
    subprocess.run(command, check=True, stdin=subprocess.DEVNULL)


def run_shell(args, db, code):
    """Run Python ``code`` in an Odoo shell of ``db`` (``env`` defined)."""
    command = [sys.executable, args.odoo_bin, "shell", "-d", db,
               f"--addons-path={args.addons_path}", "--no-http", "--log-level", "warn"]
    subprocess.run(command, check=True, input=code, text=True)


def copy_database(source, target):
    with connect("postgres") as conn, conn.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{target}"')
        cr.execute(f'CREATE DATABASE "{target}" WITH TEMPLATE "{source}"')
    shutil.rmtree(filestore(target), ignore_errors=True)
    if filestore(source).exists():
        shutil.copytree(filestore(source), filestore(target))


def drop_database(name):
    with connect("postgres") as conn, conn.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{name}"')
    shutil.rmtree(filestore(name), ignore_errors=True)


def database_exists(name):
    with connect("postgres") as conn, conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        found = bool(cr.fetchone())
    return found


def uscc_sql(body):
    """SQL of a USCC: ``body`` (an SQL expression of 17 characters) and its
    GB 32100 check character."""
    weights = ", ".join(map(str, USCC_WEIGHTS))
    return (
        f"(({body}) || substr('{USCC_ALPHABET}', (31 - (SELECT sum((strpos('{USCC_ALPHABET}', "
        f"substr(({body}), w.i::int, 1)) - 1) * w.weight) FROM unnest(ARRAY[{weights}]) "
        f"WITH ORDINALITY AS w(weight, i)) % 31)::int % 31 + 1, 1))"
    )


def translated(column, suffix):
    """SQL of a translated (jsonb) column with ``suffix`` appended in every language."""
    return (f"(SELECT jsonb_object_agg(e.key, e.value || {suffix}) "
            f"FROM jsonb_each_text(s.{column}) AS e)")


def inflate_database(db, scale):
    counts = {key: int(value * scale) for key, value in VOLUMES.items() if key != "published_share"}
    conn = psycopg2.connect(dbname=db)
    try:
        _inflate(conn, counts)
    finally:
        conn.close()


def _inflate(conn, counts):
    inflate = inflate_sql.inflate
    cr = conn.cursor()
    started = time.perf_counter()
    # three years back from now, one row a few minutes apart
    span = "interval '3 years'"

    def spread(g, total):
        return f"(now() at time zone 'UTC' - {span} * ({g})::float / {max(total, 1)})"

    added = {}
    added["ratings"] = inflate(cr, "gov_service_rating", counts["ratings"], {
        "name": "'SCALE-R' || g",
        "ticket_id": "NULL",
        "date": spread("g", counts["ratings"]),
        "rating_day": f"({spread('g', counts['ratings'])})::date",
    })
    published = int(100 * VOLUMES["published_share"])
    added["consultations"] = inflate(cr, "gov_consultation", counts["consultations"], {
        "query_code": "'S' || lpad(g::text, 9, '0')",
        "name": "s.name || ' ' || g",
        "date_submitted": spread("g", counts["consultations"]),
        "state": f"CASE WHEN g % 100 < {published} THEN 'answered' ELSE s.state END",
        "answer": f"CASE WHEN g % 100 < {published} THEN coalesce(s.answer, '已答复') ELSE s.answer END",
        "is_public": f"g % 100 < {published}",
        "publication_approved": f"g % 100 < {published}",
        "is_published": f"g % 100 < {published}",
        "date_answered": f"CASE WHEN g % 100 < {published} THEN "
                         f"{spread('g', counts['consultations'])} + interval '2 days' END",
        "active": "true",
    })
    cr.execute("SELECT coalesce(max(id), 0) FROM gov_intermediary")
    before = cr.fetchone()[0]
    added["intermediaries"] = inflate(cr, "gov_intermediary", counts["intermediaries"], {
        "name": "s.name || ' ' || g",
        "uscc": uscc_sql("'91511400MC' || lpad(g::text, 7, '0')"),
        "filing_state": "'filed'",
        "is_restricted": "false",
        "is_published": "true",
        "active": "true",
        "credit_grade": "(ARRAY['A', 'B', 'C', 'D'])[1 + g % 4]",
    })
    cr.execute(
        """INSERT INTO gov_intermediary_service_type_rel (intermediary_id, service_type_id)
           SELECT i.id, t.id
             FROM gov_intermediary i
             JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS rn, count(*) OVER () AS n
                     FROM gov_intermediary_service_type WHERE active) t ON t.rn = i.id %% t.n
            WHERE i.id > %s
           ON CONFLICT DO NOTHING""",
        (before,),
    )
    columns = [c for c in inflate_sql.table_columns(cr, "gov_intermediary_qualification")
               if c not in ("intermediary_id", "service_type_id", "name", "date_expiry")]
    names = ", ".join(f'"{c}"' for c in columns)
    cr.execute(
        f"""INSERT INTO gov_intermediary_qualification
                   (intermediary_id, service_type_id, name, date_expiry, {names})
            SELECT r.intermediary_id, r.service_type_id, 'SCALE-Q' || r.intermediary_id,
                   (now() + interval '2 years')::date, {", ".join(f'q."{c}"' for c in columns)}
              FROM gov_intermediary_service_type_rel r
              CROSS JOIN LATERAL (SELECT * FROM gov_intermediary_qualification
                                   ORDER BY id LIMIT 1) q
             WHERE r.intermediary_id > %s""",
        (before,),
    )
    added["items"] = inflate(cr, "gov_approval_item", counts["items"], {
        "code": "'SCALE-' || lpad(g::text, 6, '0')",
        "name": translated("name", "' ' || g"),
        "state": "'active'",
        "is_published": "true",
        "merged_into_id": "NULL",
    }, source_where="t.state = 'active'")
    added["attendances"] = inflate(cr, "hr_attendance", counts["attendances"], {
        "check_in": f"{spread('g', counts['attendances'])}",
        "check_out": f"{spread('g', counts['attendances'])} + interval '8 hours'",
    })
    conn.commit()
    conn.autocommit = True
    for table in ("gov_service_rating", "gov_consultation", "gov_intermediary",
                  "gov_intermediary_service_type_rel", "gov_intermediary_qualification",
                  "gov_approval_item", "hr_attendance"):
        cr.execute(f'VACUUM ANALYZE "{table}"')
    print(f"inflated {conn.info.dbname} in {time.perf_counter() - started:.0f} s: "
          + ", ".join(f"{key} +{value:,}" for key, value in added.items()))


def row_counts(db):
    tables = ["gov_service_rating", "gov_consultation", "gov_intermediary", "gov_approval_item",
              "hr_attendance"]
    with connect(db) as conn, conn.cursor() as cr:
        result = {}
        for table in tables:
            cr.execute(f'SELECT count(*) FROM "{table}"')
            result[table] = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM gov_consultation WHERE is_published AND active")
        result["published consultations"] = cr.fetchone()[0]
    return result


# ----------------------------------------------------------------------
# measures
# ----------------------------------------------------------------------
def page_rate(base, url, duration, concurrency):
    """Requests per second of GET ``url``, and the statuses seen."""
    import concurrent.futures
    from collections import Counter

    def worker(deadline):
        session = requests.Session()
        done, statuses = 0, Counter()
        while time.time() < deadline:
            response = session.get(base + url, timeout=120)
            statuses[response.status_code] += 1
            done += 1
        session.close()
        return done, statuses

    requests.get(base + url, timeout=300)  # warm-up (caches, QWeb compilation)
    start = time.perf_counter()
    deadline = time.time() + duration
    total, statuses = 0, Counter()
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        for done, seen in pool.map(worker, [deadline] * concurrency):
            total += done
            statuses.update(seen)
    return total / (time.perf_counter() - start), statuses


def rpc(session, base, model, method, args, kwargs):
    response = session.post(
        f"{base}/web/dataset/call_kw/{model}/{method}",
        data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": {
            "model": model, "method": method, "args": args, "kwargs": kwargs}}),
        headers={"Content-Type": "application/json"}, timeout=300,
    )
    payload = response.json()
    if "error" in payload:
        raise RuntimeError(f"{model}.{method}: {payload['error']['data']['message']}")
    return payload["result"]


def backend_latency(session, base, call, repeat):
    call()  # warm-up
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def measure(args, db):
    port = forms.free_port()
    base = f"http://127.0.0.1:{port}"
    logfile = tempfile.NamedTemporaryFile(prefix="bench_scale_", suffix=".log", delete=False).name
    args.db = db
    process = forms.start_server(args, port, logfile)
    figures = {}
    try:
        for url in PAGES:
            # rounds of (GET /web/login, the page) back to back: the median of
            # the round ratios is robust to a machine whose load changes
            rounds, all_statuses = [], Counter()
            for _round in range(args.rounds):
                login, _statuses = page_rate(base, "/web/login", args.duration, args.concurrency)
                rate, statuses = page_rate(base, url, args.duration, args.concurrency)
                rounds.append((rate / login, rate, login))
                all_statuses.update(statuses)
            ratio, rate, login = sorted(rounds)[len(rounds) // 2]
            figures[url] = (rate, login, dict(all_statuses))
        session = requests.Session()
        session.post(f"{base}/web/session/authenticate", data=json.dumps({
            "jsonrpc": "2.0", "method": "call",
            "params": {"db": db, "login": args.login, "password": args.password}}),
            headers={"Content-Type": "application/json"}, timeout=60).raise_for_status()
        for model in LISTS:
            def list_page(model=model):
                rpc(session, base, model, "web_search_read", [], {
                    "domain": [], "specification": {"display_name": {}},
                    "limit": 80, "count_limit": LIST_COUNT_LIMIT + 1})
            figures[f"list 80 {model}"] = backend_latency(session, base, list_page, args.calls)

        def pivot():
            rpc(session, base, "gov.service.rating", "read_group", [], {
                "domain": [], "fields": ["__count"], "groupby": ["department_id", "date:month"],
                "lazy": False})
        figures["pivot ratings department x month (live, drill-down)"] = backend_latency(
            session, base, pivot, args.calls)

        # the statistics pivots open on the last 12 months (the actions'
        # default filter); the whole history is printed for information
        today = datetime.date.today()
        months = today.year * 12 + today.month - 1 - 11
        first_month = datetime.date(months // 12, months % 12 + 1, 1)
        for source, measure in (("rating", "rating_count"), ("consultation", "consultation_count"),
                                ("attendance", "attendance_day_count")):
            for label, extra in (("", [("month", ">=", first_month.isoformat())]),
                                 (", all months (information)", [])):
                def statistics_pivot(source=source, measure=measure, extra=extra):
                    rpc(session, base, "gov.stat.monthly", "read_group", [], {
                        "domain": [("source", "=", source)] + extra,
                        "fields": [f"{measure}:sum"],
                        "groupby": ["department_id", "month:month"], "lazy": False})
                figures[f"pivot statistics {source} department x month{label}"] = backend_latency(
                    session, base, statistics_pivot, args.calls)

        def overview():
            rpc(session, base, "gov.center.overview", "search_read", [], {
                "domain": [], "fields": ["metric", "value", "area"]})
        figures["center overview"] = backend_latency(session, base, overview, args.calls)
        session.close()
    finally:
        forms.stop_server(process)
    return figures, logfile


# ----------------------------------------------------------------------
def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("demo_db", help="database with gov_service_center and its demo data")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the volumes (1 = full)")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per page measure")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds of (/web/login, page) per page; the median ratio counts")
    parser.add_argument("--calls", type=int, default=7, help="timed calls per backend measure")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--create-demo", action="store_true",
                        help="install gov_service_center with demo data in demo_db if it does not exist")
    parser.add_argument("--keep", action="store_true", help="keep the two copies")
    parser.add_argument("--addons-path", default=None)
    parser.add_argument("--odoo-bin", default=None)
    args = parser.parse_args()
    args.addons_path = args.addons_path or forms.default_addons_path()
    args.odoo_bin = args.odoo_bin or forms.default_odoo_bin()

    if not database_exists(args.demo_db):
        if not args.create_demo:
            sys.exit(f"{args.demo_db} does not exist (use --create-demo to install it)")
        run_odoo(args, args.demo_db, "-i", "gov_service_center")
    demo, big = f"{args.demo_db}_scale_demo", f"{args.demo_db}_scale_big"
    results = {}
    try:
        copy_database(args.demo_db, demo)
        run_odoo(args, demo, "-u", "gov_service_center")  # indexes of the current code
        copy_database(demo, big)
        inflate_database(big, args.scale)
        # the stored monthly statistics of the inflated rows, as the nightly
        # refresh leaves them
        run_shell(args, big, "env['gov.stat.monthly']._gov_stat_rebuild()\nenv.cr.commit()\n")
        for name in (demo, big):  # as autovacuum leaves a table rewritten
            with connect(name) as conn, conn.cursor() as cr:
                cr.execute('VACUUM ANALYZE "gov_stat_monthly"')
        counts = {name: row_counts(name) for name in (demo, big)}
        for name in (demo, big):
            results[name], logfile = measure(args, name)
            print(f"measured {name} (server log {logfile})")
    finally:
        if not args.keep:
            for name in (demo, big):
                drop_database(name)

    print()
    print(f"rows            {'demo':>12} {'inflated':>12}")
    for table in counts[demo]:
        print(f"  {table:28s} {counts[demo][table]:>12,} {counts[big][table]:>12,}")
    print()
    print(f"scale {args.scale:g}, workers 2, c={args.concurrency}, {args.duration:g} s a page, "
          f"median of {args.rounds} rounds, "
          f"{args.calls} backend calls (median)")
    print(f"{'public page (rps, ratio to /web/login)':58s} {'demo':>16} {'inflated':>16}  goal")
    failed = False
    for url in PAGES:
        cells = []
        for name in (demo, big):
            rate, login, statuses = results[name][url]
            bad = {status: n for status, n in statuses.items() if status != 200}
            cells.append(f"{rate:6.1f} ({rate / login:4.2f})" + (f" {bad}" if bad else ""))
            if bad:
                failed = True
        ratio = results[big][url][0] / results[big][url][1]
        met = ratio >= PAGE_GOAL
        failed |= not met
        print(f"  {url:56s} {cells[0]:>16} {cells[1]:>16}  {'ok' if met else 'MISSED'}")
    print(f"{'backend (median ms, ratio inflated / demo)':58s} {'demo':>16} {'inflated':>16}")
    for key in results[demo]:
        if key in PAGES:
            continue
        small, large = results[demo][key] * 1000, results[big][key] * 1000
        ratio = large / small if small else float("inf")
        goal = ""
        if key.startswith(("list", "pivot statistics", "center overview")) and "information" not in key:
            met = ratio <= LIST_GOAL
            failed |= not met
            goal = "ok" if met else "MISSED"
        print(f"  {key:56s} {small:13.1f} ms {large:13.1f} ms  x{ratio:.2f} {goal}")
    print("RESULT:", "goals met" if not failed else "goal missed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
