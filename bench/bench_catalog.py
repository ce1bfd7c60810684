"""Catalog benchmarks, as ratios against baselines measured in the same run.

Run inside an Odoo shell on a database where the module is installed
(nothing is committed: everything runs in a transaction that is rolled back):

    python3 -m odoo shell -d <db> --addons-path=<paths> --no-http < bench/bench_catalog.py

Measures
  1. bulk creation of approval items with ``create(list)`` against a raw
     multi-row INSERT of the same rows into a twin table (same columns and
     indexes) -- goal: at least 25 % of the raw rate;
  2. ``create(list)`` against one ``create(dict)`` per item -- goal: >= 3x;
  3. the catalog list read (80 rows) at 1k and at 10k items -- goal: same
     query count, time within 2x.
Each figure is the median of 3 repetitions.
"""
import statistics
import time

from psycopg2.extras import execute_values

N = 5000
REPEAT = 3


def median_time(fn):
    samples = []
    for _ in range(REPEAT):
        env.cr.execute("SAVEPOINT bench")  # noqa: F821
        start = time.perf_counter()
        fn()
        env.flush_all()  # noqa: F821
        samples.append(time.perf_counter() - start)
        env.cr.execute("ROLLBACK TO SAVEPOINT bench")  # noqa: F821
        env.invalidate_all()  # noqa: F821
    return statistics.median(samples)


def main(env):
    env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
    department = env["hr.department"].create({"name": "Bench department", "gov_code": "BM"})
    Item = env["gov.approval.item"]

    def vals(i, prefix):
        return {
            "name": f"Bench item {i}",
            "code": f"{prefix}-{i:06d}",
            "department_id": department.id,
            "item_type": "licensing",
            "statutory_days": 20,
            "promised_days": 10,
            "state": "active",
        }

    env.cr.execute(
        """CREATE TEMP TABLE bench_twin (LIKE gov_approval_item INCLUDING DEFAULTS
           INCLUDING INDEXES INCLUDING CONSTRAINTS)"""
    )
    env.cr.execute("CREATE SEQUENCE IF NOT EXISTS bench_twin_seq")

    def raw_insert():
        rows = [
            (
                f"B-{i:06d}",
                '{"en_US": "Bench item %d"}' % i,
                department.id,
                "licensing",
                20,
                10,
                "active",
                True,
                1,
            )
            for i in range(N)
        ]
        execute_values(
            env.cr._obj,
            """INSERT INTO bench_twin (id, code, name, department_id, item_type,
               statutory_days, promised_days, state, is_on_the_spot, visits_required)
               SELECT nextval('bench_twin_seq'), v.c, v.n::jsonb, v.d, v.t, v.s, v.p, v.st,
                      NOT v.o, v.vr
                 FROM (VALUES %s) AS v(c, n, d, t, s, p, st, o, vr)""",
            rows,
            page_size=1000,
        )

    def orm_batch():
        for start in range(0, N, 1000):
            Item.create([vals(i, "OB") for i in range(start, start + 1000)])

    def orm_loop():
        for i in range(N // 5):
            Item.create(vals(i, "OL"))

    t_raw = median_time(raw_insert)
    t_batch = median_time(orm_batch)
    t_loop = median_time(orm_loop) * 5  # scaled to N rows
    print(f"raw INSERT      {N / t_raw:10.0f} rows/s")
    print(f"create(list)    {N / t_batch:10.0f} rows/s  ratio to raw {t_raw / t_batch:.2f} (goal >= 0.25)")
    print(f"create(dict)    {N / t_loop:10.0f} rows/s  batch/loop speed-up {t_loop / t_batch:.1f}x (goal >= 3)")

    spec = {
        "code": {}, "name": {}, "department_id": {"fields": {"display_name": {}}},
        "item_type": {}, "statutory_days": {}, "promised_days": {}, "state": {},
        "is_published": {},
    }
    results = {}
    env.cr.execute("SAVEPOINT sized")
    for size in (1000, 10000):
        existing = Item.search_count([("code", "=like", "LS-%")])
        if size > existing:
            for start in range(existing, size, 1000):
                Item.create([vals(i, "LS") for i in range(start, min(size, start + 1000))])
        env.flush_all()
        env.cr.execute("ANALYZE gov_approval_item")
        samples, queries = [], 0
        for _ in range(REPEAT):
            env.invalidate_all()
            before = env.cr.sql_log_count
            start = time.perf_counter()
            Item.web_search_read([("code", "=like", "LS-%")], spec, limit=80)
            samples.append(time.perf_counter() - start)
            queries = env.cr.sql_log_count - before
        results[size] = (statistics.median(samples), queries)
        print(f"list read 80 of {size:6d}: {results[size][0] * 1000:7.1f} ms, {queries} queries")
    env.cr.execute("ROLLBACK TO SAVEPOINT sized")
    ratio = results[10000][0] / results[1000][0]
    print(f"list read 10k/1k time ratio {ratio:.2f} (goal <= 2), queries equal: "
          f"{results[10000][1] == results[1000][1]}")
    env.cr.rollback()


main(env)  # noqa: F821
