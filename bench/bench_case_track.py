#!/usr/bin/env python3
"""Throughput of the public case look-up (/cases/track) against GET /web/login
(goal: look-up throughput >= 0.8x GET /web/login, 0 responses >= 500).

Run it on a throwaway copy of a database where ``gov_service_center`` is
installed (an active approval item is created when there is none)::

    createdb -T <db> gsc_bench
    cp -r ~/.local/share/Odoo/filestore/<db> ~/.local/share/Odoo/filestore/gsc_bench
    python3 bench/bench_case_track.py gsc_bench [--duration 15] [--repeat 3] \\
        [--concurrency 4] [--addons-path <paths>]
    dropdb gsc_bench && rm -rf ~/.local/share/Odoo/filestore/gsc_bench

It uses the server, address and parameter helpers of ``bench_public_forms.py``
(same folder):

1. Creates one accepted case in the database (of an active item, with a
   valid identity and a mobile ending in 8000), sets the ``form_*`` limits very high
   (put back at the end).
2. Starts ``odoo-bin --workers 2 --proxy-mode`` on free ports.
3. Warms up, then ``--repeat`` times runs each scenario for ``--duration``
   seconds with ``--concurrency`` threads:

   * ``login``: GET /web/login (the baseline);
   * ``hit``: POST /cases/track with the case number and the right 4 digits
     (the CSRF token read once per thread before the timed loop): renders the
     timeline of the case;
   * ``miss``: POST /cases/track with wrong digits, each from a new address
     (``X-Forwarded-For``, one /64 per POST): a failed look-up is recorded for
     the throttling of the address.

4. Prints the medians, the ratios hit/login and miss/login of the same
   repetition, the statuses and the number of responses >= 500, and exits 1
   when a goal is missed.
"""
import argparse
import concurrent.futures
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_public_forms import (  # noqa: E402
    CSRF_RE,
    PARAMS,
    client_address,
    default_addons_path,
    default_odoo_bin,
    free_port,
    loadavg,
    next_serial,
    percentile,
    set_params,
    start_server,
    stop_server,
)

RATIO_GOAL = 0.8
ID_NUMBER = "11010519491231002X"
PHONE = "13800138000"


def create_case(args):
    """An accepted case of an active item; return its number."""
    import odoo
    from odoo.tools import config

    config.parse_config(["-d", args.db, f"--addons-path={args.addons_path}"])
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        item = env["gov.approval.item"].search([("state", "=", "active")], limit=1)
        if not item:
            department = env["hr.department"].create({"name": "基准测试部门", "gov_code": "JZ"})
            item = env["gov.approval.item"].create({
                "name": "基准测试事项", "department_id": department.id, "state": "active",
                "item_type": "licensing", "statutory_days": 20, "promised_days": 10,
                "step_ids": [(0, 0, {"name": "审查", "sequence": 10, "duration_days": 5}),
                             (0, 0, {"name": "决定", "sequence": 20, "duration_days": 5})],
            })
        case = env["gov.case"].create({
            "item_id": item.id, "applicant_type": "person", "applicant_name": "基准测试",
            "applicant_id_number": ID_NUMBER, "contact_phone": PHONE,
        })
        case.material_line_ids.filtered(lambda line: line.state == "missing").action_mark_received()
        case.action_submit()
        case.action_accept()
        cr.commit()
        return case.name


def scenario_login(base):
    def run(deadline, session):
        statuses, latencies = Counter(), []
        while time.time() < deadline:
            start = time.perf_counter()
            response = session.get(f"{base}/web/login", timeout=60)
            latencies.append(time.perf_counter() - start)
            statuses[("GET", response.status_code)] += 1
        return statuses, latencies

    return run


def scenario_track(base, number, hit):
    def run(deadline, session):
        statuses, latencies = Counter(), []
        csrf = CSRF_RE.search(session.get(f"{base}/cases/track", timeout=60).text).group(1)
        host = base.split("//", 1)[1]
        while time.time() < deadline:
            data = {"csrf_token": csrf, "number": number, "verifier": "8000" if hit else "1234"}
            headers = {"X-Forwarded-Host": host, "X-Forwarded-Proto": "http"}
            if not hit:
                # a failed look-up counts for its address: one citizen per POST
                headers["X-Forwarded-For"] = client_address(next_serial())
            start = time.perf_counter()
            response = session.post(f"{base}/cases/track", data=data, headers=headers,
                                    allow_redirects=False, timeout=60)
            latencies.append(time.perf_counter() - start)
            expected = "o_gov_case_track_result" if hit else "o_gov_case_not_found"
            status = response.status_code
            if status == 200 and expected not in response.text:
                status = "200-wrong-page"
            statuses[("POST", status)] += 1
        return statuses, latencies

    return run


def run_scenario(name, base, number, duration, concurrency):
    sessions = [requests.Session() for _ in range(concurrency)]
    run = scenario_login(base) if name == "login" else scenario_track(base, number, name == "hit")
    statuses, latencies = Counter(), []
    start = time.perf_counter()
    deadline = time.time() + duration
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        futures = [pool.submit(run, deadline, session) for session in sessions]
        for future in futures:
            thread_statuses, thread_latencies = future.result()
            statuses.update(thread_statuses)
            latencies.extend(thread_latencies)
    elapsed = time.perf_counter() - start
    for session in sessions:
        session.close()
    return len(latencies) / elapsed, statuses, latencies


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", help="database with gov_service_center installed (a throwaway copy)")
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--addons-path", default=None)
    parser.add_argument("--odoo-bin", default=None)
    args = parser.parse_args()
    args.addons_path = args.addons_path or default_addons_path()
    args.odoo_bin = args.odoo_bin or default_odoo_bin()

    previous = set_params(args.db, PARAMS)
    number = create_case(args)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    logfile = tempfile.NamedTemporaryFile(prefix="bench_case_track_", suffix=".log",
                                          delete=False).name
    process = start_server(args, port, logfile)
    scenarios = ("login", "hit", "miss")
    all_statuses = Counter()
    results = {name: [] for name in scenarios}
    ratios = {"hit": [], "miss": []}
    try:
        print(f"server pid {process.pid} on {base}, workers=2, c={args.concurrency}, "
              f"{args.duration:g} s x {args.repeat}, case {number}, log {logfile}")
        for name in scenarios:
            _rate, statuses, _lat = run_scenario(name, base, number, args.warmup, args.concurrency)
            all_statuses.update({(name, *key): n for key, n in statuses.items()})
        for repetition in range(1, args.repeat + 1):
            load_before = loadavg()
            rates = {}
            for name in scenarios:
                rate, statuses, latencies = run_scenario(
                    name, base, number, args.duration, args.concurrency
                )
                all_statuses.update({(name, *key): n for key, n in statuses.items()})
                rates[name] = rate
                results[name].append(
                    (rate, percentile(latencies, 0.5), percentile(latencies, 0.95))
                )
            for name in ("hit", "miss"):
                ratios[name].append(rates[name] / rates["login"] if rates["login"] else 0.0)
            print(
                f"rep {repetition}: GET /web/login {rates['login']:6.1f} rps | "
                f"track hit {rates['hit']:6.1f} rps ({ratios['hit'][-1]:.2f}) | "
                f"track miss {rates['miss']:6.1f} rps ({ratios['miss'][-1]:.2f}) | "
                f"loadavg {load_before} -> {loadavg()}"
            )
    finally:
        stop_server(process)
        set_params(args.db, previous)

    def median(name, index):
        return statistics.median(result[index] for result in results[name])

    server_errors = sum(
        n for (_name, _method, status), n in all_statuses.items()
        if isinstance(status, int) and status >= 500
    )
    unexpected = {key: n for key, n in all_statuses.items() if key[2] != 200}
    ratio_hit = statistics.median(ratios["hit"])
    ratio_miss = statistics.median(ratios["miss"])
    print()
    print(f"median of {args.repeat} (c={args.concurrency}, {args.duration:g} s each):")
    for name, label in (("login", "GET /web/login"), ("hit", "POST /cases/track (found)"),
                        ("miss", "POST /cases/track (not found)")):
        print(f"  {label:30s} {median(name, 0):7.1f} rps   p50 {median(name, 1) * 1000:5.0f} ms"
              f"   p95 {median(name, 2) * 1000:5.0f} ms")
    print(f"  ratio found / login            {ratio_hit:7.2f}   (goal >= {RATIO_GOAL})")
    print(f"  ratio not found / login        {ratio_miss:7.2f}   (goal >= {RATIO_GOAL})")
    print(f"  responses >= 500               {server_errors:7d}   (goal 0)")
    print("  statuses (warm-up included):")
    for (name, method, status), n in sorted(all_statuses.items(), key=str):
        print(f"    {name:6s} {method:4s} {status}: {n}")
    if unexpected:
        print(f"  unexpected statuses            {unexpected}")
    failed = ratio_hit < RATIO_GOAL or ratio_miss < RATIO_GOAL or server_errors or unexpected
    print("RESULT:", "goals met" if not failed else "goal missed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
