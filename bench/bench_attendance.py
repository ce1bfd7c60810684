"""Punch ingestion benchmark, as a ratio against plain hr.attendance creation.

Run inside an Odoo shell on a database where the module is installed
(nothing is committed: everything runs in a transaction that is rolled back):

    python3 -m odoo shell -d <db> --addons-path=<paths> --no-http < bench/bench_attendance.py

Sends N punches (default 100,000) for 300 employees -- two punches a day,
check-in and check-out -- through the ingestion function of the terminal
endpoint (``gov.attendance.punch._gov_ingest``) in batches of BATCH, then
creates the same number of attendances with ``hr.attendance.create(list)``
in batches of the same size for 300 other employees, and prints the ratio
ingestion time / plain creation time. Set BENCH_PUNCHES to run smaller.
"""
import os
import time
from datetime import datetime, timedelta

N = int(os.environ.get("BENCH_PUNCHES", "100000"))
EMPLOYEES = 300
BATCH = 2000


def main(env):
    env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
    env.cr.execute("SAVEPOINT bench_attendance")
    Employee = env["hr.employee"]
    subjects = Employee.create(
        [{"name": f"Bench punch {i}", "barcode": f"9{i:07d}"} for i in range(EMPLOYEES)]
    )
    baseline = Employee.create([{"name": f"Bench plain {i}"} for i in range(EMPLOYEES)])
    device = env["gov.attendance.device"].create({"code": "BENCH-DEV", "name": "Bench"})
    start_day = datetime(2020, 1, 1)
    punches = []
    attendance_vals = []
    day = 0
    while len(punches) < N:
        base = start_day + timedelta(days=day)
        for index, employee in enumerate(subjects):
            check_in = base + timedelta(hours=1, seconds=index)
            check_out = base + timedelta(hours=9, seconds=index)
            for ref, when in ((f"{day}-{index}-in", check_in), (f"{day}-{index}-out", check_out)):
                punches.append({"id": ref, "badge": employee.barcode,
                                "time": when.strftime("%Y-%m-%d %H:%M:%S"), "method": "fingerprint"})
            attendance_vals.append({"employee_id": baseline[index].id,
                                    "check_in": check_in, "check_out": check_out})
        day += 1
    punches = punches[:N]
    env.flush_all()

    Punch = env["gov.attendance.punch"]
    begin = time.perf_counter()
    accepted = 0
    for first in range(0, len(punches), BATCH):
        result = Punch._gov_ingest(device, punches[first:first + BATCH])
        accepted += result["accepted"]
        env.flush_all()
        env.invalidate_all()
    ingest = time.perf_counter() - begin
    created = env["hr.attendance"].search_count([("employee_id", "in", subjects.ids)])

    attendance_vals = attendance_vals[:created]
    Attendance = env["hr.attendance"]
    begin = time.perf_counter()
    for first in range(0, len(attendance_vals), BATCH // 2):
        Attendance.create(attendance_vals[first:first + BATCH // 2])
        env.flush_all()
        env.invalidate_all()
    plain = time.perf_counter() - begin

    print(f"punches sent: {len(punches)}, accepted: {accepted}, attendances: {created}")
    print(f"ingestion through _gov_ingest: {ingest:.1f} s ({len(punches) / ingest:.0f} punches/s)")
    print(f"plain hr.attendance create(list) of {len(attendance_vals)} attendances: {plain:.1f} s")
    print(f"ratio ingestion / plain creation: {ingest / plain:.2f}")
    env.cr.execute("ROLLBACK TO SAVEPOINT bench_attendance")
    env.invalidate_all()


main(env)  # noqa: F821
env.cr.rollback()  # noqa: F821
