"""Electronic supervision job over 100,000 open cases, as a ratio against the
limit measured in the same run.

Run inside an Odoo shell on a database where the module is installed
(everything is rolled back at the end):

    python3 -m odoo shell -d <db> --addons-path=<paths> --no-http < bench/bench_supervision.py

100,000 accepted cases are inserted in SQL, their promised deadlines spread
from 10 days ago to 50 days ahead (about a sixth past, a few near). The
limit is ONE SQL ``UPDATE`` computing the same lights (red, yellow, green)
of every case into a scratch table, with the warning date given; the
product is ``gov.supervision.alert._gov_supervision_raise`` (without the
activities, which only concern the new alerts): the warning date from the
calendar, then one ``INSERT … SELECT … ON CONFLICT DO NOTHING`` per deadline
model and rule, and the monthly statistics marked. Each repetition of the
product runs in a savepoint rolled back. Goal: ratio (limit / product) >=
0.5. A second run with nothing changed must write nothing.
"""
import statistics
import time

from odoo.tools import SQL

N = 100_000
REPEAT = 5


def median(fn, before=None, after=None):
    samples = []
    for _ in range(REPEAT):
        if before:
            before()
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
        if after:
            after()
    return statistics.median(samples)


def insert_cases(env, today):
    department = env["hr.department"].create({"name": "Bench Department", "gov_code": "BN"})
    user = env["res.users"].create({"name": "Bench Officer", "login": "bench_supervision"})
    item = env["gov.approval.item"].create({
        "name": "Bench Permit", "department_id": department.id, "item_type": "licensing",
        "statutory_days": 20, "promised_days": 10, "state": "active",
    })
    template = env["gov.case"].create({
        "item_id": item.id, "applicant_type": "person", "applicant_name": "张三",
        "applicant_id_number": "11010519491231002X", "contact_phone": "13800138000",
        "user_id": user.id,
    })
    env.flush_all()
    cr = env.cr
    cr.execute("""SELECT column_name FROM information_schema.columns
                   WHERE table_name = 'gov_case' AND column_name NOT IN
                         ('id', 'name', 'state', 'date_accepted', 'date_deadline',
                          'deadline_department_id', 'deadline_user_id', 'department_id',
                          'user_id')""")
    columns = [row[0] for row in cr.fetchall()]
    cr.execute(SQL(
        """INSERT INTO gov_case (name, state, date_accepted, date_deadline, department_id,
                                 user_id, deadline_department_id, deadline_user_id, %(cols)s)
           SELECT 'BENCH' || g, 'accepted', %(today)s::date - 20,
                  %(today)s::date + (mod(g, 61) - 10), %(dept)s, %(user)s, %(dept)s, %(user)s,
                  %(cols)s
             FROM gov_case, generate_series(1, %(n)s) g
            WHERE gov_case.id = %(template)s""",
        cols=SQL(", ").join(SQL.identifier(c) for c in columns),
        today=today, dept=department.id, user=user.id, n=N, template=template.id,
    ))
    cr.execute("ANALYZE gov_case")


def main(env):
    Alert = env["gov.supervision.alert"].sudo()
    today = env["gov.deadline.mixin"]._gov_today()
    cr = env.cr
    cr.execute("SAVEPOINT bench_all")
    insert_cases(env, today)
    warning = env["gov.deadline.mixin"]._gov_warning_date(today)
    cr.execute("CREATE TEMP TABLE bench_light (id int PRIMARY KEY, light varchar)")
    cr.execute("INSERT INTO bench_light (id) SELECT id FROM gov_case")

    def limit():
        cr.execute(SQL(
            """UPDATE bench_light b
                  SET light = CASE WHEN c.date_deadline < %(today)s THEN 'red'
                                   WHEN c.date_deadline <= %(warning)s THEN 'yellow'
                                   ELSE 'green' END
                 FROM gov_case c
                WHERE c.id = b.id AND c.state = 'accepted' AND c.date_deadline IS NOT NULL""",
            today=today, warning=warning,
        ))

    def product():
        return Alert._gov_supervision_raise(today=today, notify=False)

    def savepoint():
        cr.execute("SAVEPOINT bench_run")

    def rollback():
        cr.execute("ROLLBACK TO SAVEPOINT bench_run")
        env.invalidate_all()

    t_limit = median(limit)
    t_product = median(product, savepoint, rollback)
    raised = product()
    cr.execute("SELECT light, COUNT(*) FROM bench_light GROUP BY light ORDER BY light")
    lights = dict(cr.fetchall())
    # second run with nothing changed: no row written
    cr.execute("SELECT COUNT(*), MAX(write_date) FROM gov_supervision_alert")
    before = cr.fetchone()
    second = product()
    cr.execute("SELECT COUNT(*), MAX(write_date) FROM gov_supervision_alert")
    after = cr.fetchone()
    print(f"lights of {N} open cases: {lights}")
    print(f"supervision job: limit (one UPDATE) {t_limit * 1000:.1f} ms, "
          f"product {t_product * 1000:.1f} ms, ratio {t_limit / t_product:.2f} (goal >= 0.5); "
          f"{len(raised)} alerts raised")
    print(f"second run: {len(second)} alerts raised, rows unchanged: {before == after}")
    cr.execute("ROLLBACK TO SAVEPOINT bench_all")
    cr.rollback()


main(env)  # noqa: F821
