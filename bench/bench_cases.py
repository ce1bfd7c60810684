"""Case intake benchmark, as a ratio against a baseline measured in the same run.

Run inside an Odoo shell on a database where the module is installed
(nothing is committed: everything runs in a transaction that is rolled back):

    python3 -m odoo shell -d <db> --addons-path=<paths> --no-http < bench/bench_cases.py

The number of cases is 20,000 by default; set GSC_BENCH_CASES to change it,
e.g. GSC_BENCH_CASES=1000000 for the full-size run (one repetition above
100,000 cases).

Measures the batch intake path ``gov.case._gov_import_cases(rows)`` (rows
checked in one Python pass, case numbers reserved in one statement, per batch
one ``INSERT ... SELECT FROM unnest`` for the cases with their computed columns
and one ``INSERT ... SELECT`` for their material lines, no tracking nor
chatter) against a raw
multi-row INSERT of the same rows -- the cases and their four material lines
each -- into twin tables (same columns and indexes). Goal: at least 25 % of
the raw rate. Each figure is the median of 3 repetitions.
"""
import os
import random
import statistics
import time

from psycopg2.extras import execute_values

from odoo.addons.gov_service_center.models.gov_identity import id_number_check_char

N = int(os.environ.get("GSC_BENCH_CASES", "20000"))
REPEAT = 3 if N <= 100000 else 1
MATERIALS = ["申请表", "身份证明", "场地证明", "承诺书"]


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
    rng = random.Random(1)
    department = env["hr.department"].create({"name": "Bench department", "gov_code": "BC"})
    item = env["gov.approval.item"].create({
        "name": "Bench item", "code": "BENCH-CASE-1", "department_id": department.id,
        "item_type": "licensing", "statutory_days": 20, "promised_days": 10, "state": "active",
        "material_ids": [(0, 0, {"name": name, "sequence": 10 * (i + 1), "requirement": "required"})
                         for i, name in enumerate(MATERIALS)],
    })
    materials = item.material_ids.sorted("sequence")

    rows = []
    for i in range(N):
        body = f"511402{1950 + i % 50}{1 + i % 12:02d}{1 + i % 28:02d}{i % 1000:03d}"
        rows.append({
            "item_id": item.id,
            "channel": "window" if i % 3 else "online",
            "applicant_type": "person",
            "applicant_name": f"申请人{i}",
            "applicant_id_number": body + id_number_check_char(body),
            "contact_phone": f"138{rng.randint(0, 99999999):08d}",
        })

    env.cr.execute(
        """CREATE TEMP TABLE bench_case (LIKE gov_case INCLUDING DEFAULTS
           INCLUDING INDEXES INCLUDING CONSTRAINTS);
           CREATE TEMP TABLE bench_case_material (LIKE gov_case_material INCLUDING DEFAULTS
           INCLUDING INDEXES INCLUDING CONSTRAINTS);
           CREATE SEQUENCE IF NOT EXISTS bench_case_seq;
           CREATE SEQUENCE IF NOT EXISTS bench_case_material_seq"""
    )
    uid = env.uid

    def raw_insert():
        for start in range(0, N, 2000):
            batch = rows[start:start + 2000]
            ids = execute_values(
                env.cr._obj,
                """INSERT INTO bench_case (id, name, item_id, department_id, channel,
                   applicant_type, applicant_name, applicant_id_number, contact_phone, state,
                   extension_state, receiver_id, create_uid, write_uid, create_date, write_date)
                   SELECT nextval('bench_case_seq'), v.n, v.i, v.d, v.c, v.t, v.a, v.x, v.p,
                          'draft', 'none', v.u, v.u, v.u, now(), now()
                     FROM (VALUES %s) AS v(n, i, d, c, t, a, x, p, u)
                   RETURNING id""",
                [(f"B{start + k:012d}", row["item_id"], department.id, row["channel"],
                  row["applicant_type"], row["applicant_name"], row["applicant_id_number"],
                  row["contact_phone"], uid) for k, row in enumerate(batch)],
                page_size=2000, fetch=True,
            )
            execute_values(
                env.cr._obj,
                """INSERT INTO bench_case_material (id, case_id, material_id, name, sequence,
                   requirement, original_count, copy_count, may_supply_later, state,
                   create_uid, write_uid, create_date, write_date)
                   SELECT nextval('bench_case_material_seq'), v.c, v.m, v.n, v.s, 'required',
                          1, 0, false, 'missing', v.u, v.u, now(), now()
                     FROM (VALUES %s) AS v(c, m, n, s, u)""",
                [(case_id, material.id, material.name, material.sequence, uid)
                 for (case_id,) in ids for material in materials],
                page_size=8000,
            )

    def orm_import():
        env["gov.case"]._gov_import_cases(rows)

    t_raw = median_time(raw_insert)
    t_orm = median_time(orm_import)
    print(f"cases: {N}, repetitions: {REPEAT}")
    print(f"raw INSERT           {N / t_raw:10.0f} cases/s")
    print(f"_gov_import_cases    {N / t_orm:10.0f} cases/s  ratio to raw {t_raw / t_orm:.2f} (goal >= 0.25)")
    env.cr.rollback()


main(env)  # noqa: F821
