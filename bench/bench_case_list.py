"""Case list benchmark: the first page of the case list (80 rows, the list
view's columns, its count) at 10,000 and at 1,000,000 cases, as a ratio.

Run inside an Odoo shell on a database where the module is installed with
its demo data (nothing is committed: everything runs in a transaction that is
rolled back):

    python3 -m odoo shell -d <db> --addons-path=<paths> --no-http < bench/bench_case_list.py

The cases are copied in SQL from the demo cases (``tests/inflate.py``), with
unique numbers, received a minute apart, then ANALYZEd. Each figure is the median of 15 calls of
``web_search_read`` as the web client makes it (the list view's fields,
``count_limit`` of the view). Goal: 1M / 10k <= 1.5; the query count is the
same at both sizes.
"""
import importlib.util
import statistics
import time
from pathlib import Path

from lxml import etree

import odoo.addons.gov_service_center as module

spec = importlib.util.spec_from_file_location(
    "gsc_inflate", Path(module.__file__).parent / "tests" / "inflate.py")
inflate_sql = importlib.util.module_from_spec(spec)
spec.loader.exec_module(inflate_sql)

SIZES = (10_000, 1_000_000)
CALLS = 15
Case = env["gov.case"]  # noqa: F821
cr = env.cr  # noqa: F821


def list_call():
    view = Case.get_views([(False, "list")])["views"]["list"]
    arch = etree.fromstring(view["arch"])
    fields_ = [node.get("name") for node in arch.iterchildren("field")]
    specification = {}
    for name in fields_:
        field = Case._fields[name]
        specification[name] = {"fields": {"display_name": {}}} if field.type == "many2one" else {}
    count_limit = int(arch.get("count_limit") or 10000) + 1

    def call():
        Case.web_search_read([], specification, limit=80, count_limit=count_limit)
    return call, len(fields_)


def measure(call):
    call()
    samples, queries = [], 0
    for _ in range(CALLS):
        env.invalidate_all()  # noqa: F821
        before = cr.sql_log_count
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
        queries = cr.sql_log_count - before
    return statistics.median(samples), queries


cr.execute("SAVEPOINT bench_case_list")
try:
    call, columns = list_call()
    results = {}
    cr.execute("SELECT COUNT(*) FROM gov_case")
    have = cr.fetchone()[0]
    for size in SIZES:
        inflate_sql.inflate(cr, "gov_case", size - have, {
            "name": f"'BENCH' || lpad((g + {have})::text, 12, '0')",
            "submission_key": "NULL",
            "date_received": "s.date_received - g * interval '1 minute'",
        })
        have = size
        cr.execute("ANALYZE gov_case")
        env.invalidate_all()  # noqa: F821
        results[size] = measure(call)
        print(f"{size:>10,} cases: {results[size][0] * 1000:7.1f} ms, "
              f"{results[size][1]} queries ({columns} columns)")
    small, large = (results[size] for size in SIZES)
    print(f"ratio 1M / 10k: {large[0] / small[0]:.2f} (goal <= 1.5); "
          f"queries {small[1]} / {large[1]}")
finally:
    cr.execute("ROLLBACK TO SAVEPOINT bench_case_list")
