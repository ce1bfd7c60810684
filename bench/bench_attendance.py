"""Punch ingestion benchmark, as a ratio against plain hr.attendance creation.

Run inside an Odoo shell on a database where the module is installed
(nothing is committed: everything runs in a transaction that is rolled back):

    python3 -m odoo shell -d <db> --addons-path=<paths> --no-http < bench/bench_attendance.py

Sends N punches (default 100,000) for 300 employees -- two punches a day,
check-in and check-out -- through the ingestion function of the terminal
endpoint (``gov.attendance.punch._gov_ingest``) in batches of BATCH, twice:

- in time order;
- with late batches: every tenth batch is held back and sent after the next
  one, so that its punches are older than the employees' last punches and
  re-derive their attendances from the log (the re-derivation window is
  widened for the run, the punches being dated from 2020);

then creates the same number of attendances with ``hr.attendance.create(list)``
in batches of the same size for 300 other employees, and prints for each
ingestion the ratio of the plain creation time to the ingestion time (the
ingestion throughput as a fraction of the plain creation's: 1.0 = as fast).
Set BENCH_PUNCHES to run smaller.
"""
import os
import time
from datetime import datetime, timedelta

N = int(os.environ.get("BENCH_PUNCHES", "100000"))
EMPLOYEES = 300
BATCH = 2000
LATE_EVERY = 10


def make_punches(subjects, prefix):
    start_day = datetime(2020, 1, 1)
    punches, spans = [], []
    day = 0
    while len(punches) < N:
        base = start_day + timedelta(days=day)
        for index, employee in enumerate(subjects):
            check_in = base + timedelta(hours=1, seconds=index)
            check_out = base + timedelta(hours=9, seconds=index)
            for ref, when in ((f"{prefix}{day}-{index}-in", check_in),
                              (f"{prefix}{day}-{index}-out", check_out)):
                punches.append({"id": ref, "badge": employee.barcode,
                                "time": when.strftime("%Y-%m-%d %H:%M:%S"), "method": "fingerprint"})
            spans.append((index, check_in, check_out))
        day += 1
    return punches[:N], spans


def ingest(env, device, batches):
    Punch = env["gov.attendance.punch"]
    begin = time.perf_counter()
    accepted = 0
    for batch in batches:
        result = Punch._gov_ingest(device, batch)
        accepted += result["accepted"]
        env.flush_all()
        env.invalidate_all()
    return time.perf_counter() - begin, accepted


def main(env):
    env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
    env.cr.execute("SAVEPOINT bench_attendance")
    env["ir.config_parameter"].set_param("gov_service_center.punch_rederive_days", "3660")
    Employee = env["hr.employee"]
    ordered = Employee.create(
        [{"name": f"Bench punch {i}", "barcode": f"9{i:07d}"} for i in range(EMPLOYEES)]
    )
    late = Employee.create(
        [{"name": f"Bench late punch {i}", "barcode": f"8{i:07d}"} for i in range(EMPLOYEES)]
    )
    baseline = Employee.create([{"name": f"Bench plain {i}"} for i in range(EMPLOYEES)])
    device = env["gov.attendance.device"].create({"code": "BENCH-DEV", "name": "Bench"})
    punches, spans = make_punches(ordered, "o")
    late_punches, _spans = make_punches(late, "l")
    env.flush_all()

    batches = [punches[i:i + BATCH] for i in range(0, len(punches), BATCH)]
    ingest_time, accepted = ingest(env, device, batches)
    created = env["hr.attendance"].search_count([("employee_id", "in", ordered.ids)])

    batches = [late_punches[i:i + BATCH] for i in range(0, len(late_punches), BATCH)]
    for first in range(0, len(batches) - 1, LATE_EVERY):
        batches[first], batches[first + 1] = batches[first + 1], batches[first]
    late_time, late_accepted = ingest(env, device, batches)
    late_created = env["hr.attendance"].search_count([("employee_id", "in", late.ids)])

    attendance_vals = [
        {"employee_id": baseline[index].id, "check_in": check_in, "check_out": check_out}
        for index, check_in, check_out in spans[:created]
    ]
    Attendance = env["hr.attendance"]
    begin = time.perf_counter()
    for first in range(0, len(attendance_vals), BATCH // 2):
        Attendance.create(attendance_vals[first:first + BATCH // 2])
        env.flush_all()
        env.invalidate_all()
    plain = time.perf_counter() - begin

    print(f"punches sent: {len(punches)}, accepted: {accepted}, attendances: {created}")
    print(f"in time order: {ingest_time:.1f} s ({len(punches) / ingest_time:.0f} punches/s)")
    print(f"late batches: accepted {late_accepted}, attendances {late_created}, "
          f"{late_time:.1f} s ({len(late_punches) / late_time:.0f} punches/s)")
    print(f"plain hr.attendance create(list) of {len(attendance_vals)} attendances: {plain:.1f} s")
    print(f"ratio plain creation / ingestion in time order: {plain / ingest_time:.2f}")
    print(f"ratio plain creation / ingestion with late batches: {plain / late_time:.2f}")
    env.cr.execute("ROLLBACK TO SAVEPOINT bench_attendance")
    env.invalidate_all()


main(env)  # noqa: F821
env.cr.rollback()  # noqa: F821
