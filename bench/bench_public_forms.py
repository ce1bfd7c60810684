#!/usr/bin/env python3
"""Throughput of the public consultation form against GET /web/login
(goal P10: POST throughput >= 0.8x GET /web/login, 0 responses >= 500).

Run it on a throwaway copy of a database where ``gov_service_center`` is
installed (every valid POST creates a consultation in it)::

    createdb -T <db> gsc_bench
    cp -r ~/.local/share/Odoo/filestore/<db> ~/.local/share/Odoo/filestore/gsc_bench
    python3 bench/bench_public_forms.py gsc_bench [--duration 15] [--repeat 3] \
        [--concurrency 4] [--addons-path <paths>]
    dropdb gsc_bench && rm -rf ~/.local/share/Odoo/filestore/gsc_bench

The database is reached with the usual libpq settings (PGHOST, PGUSER, ...).
``--addons-path`` defaults to Odoo's own addons plus the folder that holds
this module (when the repository folder is named ``gov_service_center``).

What it does:

1. Sets, in the database, the ``gov_service_center.form_*`` limits very high
   and the minimum fill time to 0, so that the guard does not turn the load
   into 429s (the previous values are put back at the end).
2. Starts ``odoo-bin -d <db> --workers 2 --max-cron-threads 0 --proxy-mode
   --no-database-list`` on free ports (HTTP and gevent), waits for
   /web/health. (odoo-bin rather than ``python3 -m odoo``: with workers, the
   latter cannot spawn its gevent process and retries without end.)
3. Warms every scenario up, then, ``--repeat`` times, runs each scenario for
   ``--duration`` seconds with ``--concurrency`` threads (one ``requests``
   session per thread):

   * ``login``: GET /web/login (the baseline);
   * ``post``: POST /consultation with tokens computed before the timed loop:
     each thread GETs the form once for its CSRF token and signed timestamp
     (both stay valid for the session and for 24 h), then only POSTs. The
     one-time submission key of each POST is signed by the benchmark itself
     with the database secret, as the form would render it (a key sent twice
     would only show the first answer again). Each POST carries its own
     ``X-Forwarded-For`` address (proxy mode; a random IPv6 block per run,
     one /64 per citizen since the guard counts IPv6 addresses by /64), so
     it is the first submission of the day of that address and the form asks
     no verification question: many citizens sending one form each;
   * ``pair``: GET /consultation then POST, from one address, as a browser
     does: from the second submission of the day the form asks the
     verification question, whose answer is read from the GET.

   Several threads share the address 127.0.0.1 in ``pair``: a thread that
   read a form without the question may POST after another thread's
   submission made it necessary; such a POST is refused with 400 (allowed).

   The P10 ratio is ``post`` rps / ``login`` rps of the same repetition. The
   ``pair`` rate is reported as pairs/s and requests/s: a pair costs a page
   render plus a POST, so it is not comparable one to one with a single GET.
4. Prints the medians, the ratio (goal >= 0.8), the number of responses
   >= 500 (goal 0) and the other statuses, checks that the number of new
   consultation rows equals the number of POSTs answered 200, stops the
   server and exits 1 when a goal is missed.
"""
import argparse
import concurrent.futures
import hashlib
import hmac
import itertools
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import psycopg2
import requests

PARAMS = {
    "gov_service_center.form_min_fill_seconds": "0",
    "gov_service_center.form_ip_per_10_minutes": "100000000",
    "gov_service_center.form_ip_per_day": "100000000",
    "gov_service_center.form_phone_per_day": "100000000",
}
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
STAMP_RE = re.compile(r'name="gov_form_ts" value="([^"]+)"')
KEY_RE = re.compile(r'name="gov_submission_key" value="([^"]+)"')
CAPTCHA_RE = re.compile(r"<span>(\d+) \+ (\d+)</span>")
ALERT_RE = re.compile(r'class="alert[^"]*"[^>]*>(.*?)</div>', re.S)
TAG_RE = re.compile(r"<[^>]+>")
RATIO_GOAL = 0.8
REFUSALS = Counter()  # (scenario, status, message) -> count


def note_refusal(scenario, response):
    """Keep the message of a refused POST (the page shows it in an alert)."""
    if response.status_code == 200:
        return
    match = ALERT_RE.search(response.text)
    message = " ".join(TAG_RE.sub(" ", match.group(1)).split())[:120] if match else "?"
    REFUSALS[(scenario, response.status_code, message)] += 1

_serial = itertools.count(1)
# the addresses of a run must be new to the database (the guard remembers a
# day of submissions): a random IPv6 block per run
_RUN_TAG = secrets.randbits(32)
_serial_lock = threading.Lock()


def next_serial():
    with _serial_lock:
        return next(_serial)


def client_address(serial):
    """A unique address per citizen: the serial is in the /64 prefix."""
    return (f"fd{(_RUN_TAG >> 24) & 0xFF:02x}:{_RUN_TAG & 0xFFFF:x}:"
            f"{(serial >> 16) & 0xFFFF:x}:{serial & 0xFFFF:x}::1")


def database_secret(dbname):
    with psycopg2.connect(dbname=dbname) as conn, conn.cursor() as cr:
        cr.execute("SELECT value FROM ir_config_parameter WHERE key = 'database.secret'")
        row = cr.fetchone()
    conn.close()
    return row[0] if row else ""


def submission_key(secret, form_key="consultation"):
    """A one-time submission key as the form renders it."""
    nonce = secrets.token_urlsafe(18)
    payload = f"submission:{form_key}:{nonce}".encode()
    return f"{nonce}.{hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()[:32]}"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def default_odoo_bin():
    """The odoo-bin script: not ``python -m odoo``, whose workers server
    cannot respawn its gevent process (it re-runs ``sys.argv[0]``)."""
    import odoo

    script = Path(odoo.__file__).resolve().parent.parent / "odoo-bin"
    if script.exists():
        return str(script)
    found = shutil.which("odoo")
    if not found:
        sys.exit("--odoo-bin is needed: neither odoo-bin nor an odoo script was found")
    return found


def default_addons_path():
    import odoo

    odoo_dir = Path(odoo.__file__).resolve().parent
    paths = [odoo_dir.parent / "addons", odoo_dir / "addons"]
    module_dir = Path(__file__).resolve().parents[1]
    if module_dir.name == "gov_service_center":
        paths.append(module_dir.parent)
    elif (Path("/work/wt_addons/main") / "gov_service_center").exists():
        paths.append(Path("/work/wt_addons/main"))
    else:
        sys.exit("--addons-path is needed: no folder holding gov_service_center was found")
    return ",".join(str(path) for path in paths if path.exists())


# ----------------------------------------------------------------------
# database
# ----------------------------------------------------------------------
def set_params(dbname, values):
    """Set config parameters; return the previous values (None: absent)."""
    previous = {}
    with psycopg2.connect(dbname=dbname) as conn, conn.cursor() as cr:
        cr.execute(
            "SELECT 1 FROM ir_module_module WHERE name = 'gov_service_center' AND state = 'installed'"
        )
        if not cr.fetchone():
            sys.exit(f"gov_service_center is not installed in {dbname}")
        for key, value in values.items():
            cr.execute("SELECT value FROM ir_config_parameter WHERE key = %s", (key,))
            row = cr.fetchone()
            previous[key] = row[0] if row else None
            if value is None:
                cr.execute("DELETE FROM ir_config_parameter WHERE key = %s", (key,))
            elif row:
                cr.execute("UPDATE ir_config_parameter SET value = %s, write_date = now() "
                           "WHERE key = %s", (value, key))
            else:
                cr.execute(
                    "INSERT INTO ir_config_parameter (key, value, create_uid, write_uid, "
                    "create_date, write_date) VALUES (%s, %s, 1, 1, now(), now())",
                    (key, value),
                )
    conn.close()
    return previous


def consultation_count(dbname):
    with psycopg2.connect(dbname=dbname) as conn, conn.cursor() as cr:
        cr.execute("SELECT count(*) FROM gov_consultation")
        value = cr.fetchone()[0]
    conn.close()
    return value


# ----------------------------------------------------------------------
# server
# ----------------------------------------------------------------------
def start_server(args, port, logfile):
    command = [
        sys.executable, args.odoo_bin,
        "-d", args.db, "--db-filter", f"^{re.escape(args.db)}$",
        f"--addons-path={args.addons_path}",
        "--workers", "2", "--max-cron-threads", "0",
        "--http-interface", "127.0.0.1", "--http-port", str(port),
        "--gevent-port", str(free_port()),
        "--proxy-mode", "--no-database-list",
        "--log-level", "warn", "--logfile", logfile,
    ]
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 180
    while time.time() < deadline:
        if process.poll() is not None:
            sys.exit(f"the server stopped at start (exit {process.returncode}), see {logfile}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/web/health", timeout=2).status_code == 200:
                return process
        except requests.RequestException:
            pass
        time.sleep(0.5)
    stop_server(process)
    sys.exit(f"the server did not answer within 180 s, see {logfile}")


def stop_server(process):
    if process.poll() is None:
        process.terminate()  # graceful shutdown of the prefork server
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# ----------------------------------------------------------------------
# scenarios: each returns a function(deadline) -> (statuses, latencies)
# ----------------------------------------------------------------------
def form_values():
    serial = next_serial()
    return serial, {
        "name": f"不动产登记咨询 {serial}",
        "question": "请问办理不动产登记需要准备哪些材料？",
        "contact_name": "李四",
        "contact_phone": f"139{serial % 10**8:08d}",
        "contact_email": "",
        "is_public": "1",
    }


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


def scenario_post(base, secret):
    """POST only; the tokens are read once per thread before the timed loop,
    the submission key is made for each POST."""

    def prepare(session):
        html = session.get(f"{base}/consultation", timeout=60).text
        return {"csrf_token": CSRF_RE.search(html).group(1),
                "gov_form_ts": STAMP_RE.search(html).group(1)}

    def run(deadline, session, tokens):
        statuses, latencies = Counter(), []
        host = base.split("//", 1)[1]
        while time.time() < deadline:
            serial, data = form_values()
            data.update(tokens, gov_submission_key=submission_key(secret))
            headers = {
                # one citizen per POST: a fresh address, first submission of its day
                "X-Forwarded-For": client_address(serial),
                "X-Forwarded-Host": host,
                "X-Forwarded-Proto": "http",
            }
            start = time.perf_counter()
            response = session.post(f"{base}/consultation", data=data, headers=headers,
                                    allow_redirects=False, timeout=60)
            latencies.append(time.perf_counter() - start)
            statuses[("POST", response.status_code)] += 1
            note_refusal("post", response)
        return statuses, latencies

    return prepare, run


def scenario_pair(base):
    """GET the form, then POST it with its tokens and the captcha answer."""

    def run(deadline, session):
        statuses, latencies = Counter(), []
        while time.time() < deadline:
            start = time.perf_counter()
            response = session.get(f"{base}/consultation", timeout=60)
            statuses[("GET", response.status_code)] += 1
            html = response.text
            csrf, stamp, key = CSRF_RE.search(html), STAMP_RE.search(html), KEY_RE.search(html)
            if not (csrf and stamp and key):
                latencies.append(time.perf_counter() - start)
                continue
            _serial, data = form_values()
            data.update(csrf_token=csrf.group(1), gov_form_ts=stamp.group(1),
                        gov_submission_key=key.group(1))
            captcha = CAPTCHA_RE.search(html)
            if captcha:
                data["gov_captcha"] = str(int(captcha.group(1)) + int(captcha.group(2)))
            response = session.post(f"{base}/consultation", data=data, allow_redirects=False,
                                    timeout=60)
            latencies.append(time.perf_counter() - start)
            statuses[("POST", response.status_code)] += 1
            note_refusal("pair", response)
        return statuses, latencies

    return run


def run_scenario(name, base, duration, concurrency, secret=""):
    """Run one scenario; return (units per second, statuses, latencies)."""
    sessions = [requests.Session() for _ in range(concurrency)]
    if name == "post":
        prepare, run = scenario_post(base, secret)
        tokens = [prepare(session) for session in sessions]
        calls = [(run, (session, token)) for session, token in zip(sessions, tokens)]
    else:
        run = scenario_login(base) if name == "login" else scenario_pair(base)
        calls = [(run, (session,)) for session in sessions]
    statuses, latencies = Counter(), []
    start = time.perf_counter()
    deadline = time.time() + duration
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        futures = [pool.submit(fn, deadline, *fn_args) for fn, fn_args in calls]
        for future in futures:
            thread_statuses, thread_latencies = future.result()
            statuses.update(thread_statuses)
            latencies.extend(thread_latencies)
    elapsed = time.perf_counter() - start
    for session in sessions:
        session.close()
    return len(latencies) / elapsed, statuses, latencies


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def loadavg():
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


# ----------------------------------------------------------------------
def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", help="database with gov_service_center installed (a throwaway copy)")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per scenario and repetition")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of warm-up per scenario")
    parser.add_argument("--addons-path", default=None)
    parser.add_argument("--odoo-bin", default=None, help="path of odoo-bin (found by default)")
    args = parser.parse_args()
    args.addons_path = args.addons_path or default_addons_path()
    args.odoo_bin = args.odoo_bin or default_odoo_bin()

    previous = set_params(args.db, PARAMS)
    secret = database_secret(args.db)
    rows_before = consultation_count(args.db)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    logfile = tempfile.NamedTemporaryFile(prefix="bench_public_forms_", suffix=".log", delete=False).name
    process = start_server(args, port, logfile)
    scenarios = ("login", "post", "pair")
    all_statuses = Counter()
    results = {name: [] for name in scenarios}  # (rate, p50, p95) per repetition
    ratios = []
    try:
        print(f"server pid {process.pid} on {base}, workers=2, c={args.concurrency}, "
              f"{args.duration:g} s x {args.repeat}, log {logfile}")
        for name in scenarios:
            _rate, statuses, _lat = run_scenario(name, base, args.warmup, args.concurrency, secret)
            all_statuses.update({(name, *key): n for key, n in statuses.items()})
        for repetition in range(1, args.repeat + 1):
            load_before = loadavg()
            rates = {}
            for name in scenarios:
                rate, statuses, latencies = run_scenario(
                    name, base, args.duration, args.concurrency, secret
                )
                all_statuses.update({(name, *key): n for key, n in statuses.items()})
                rates[name] = rate
                results[name].append((rate, percentile(latencies, 0.5), percentile(latencies, 0.95)))
            ratios.append(rates["post"] / rates["login"] if rates["login"] else 0.0)
            print(
                f"rep {repetition}: GET /web/login {rates['login']:6.1f} rps | "
                f"POST /consultation {rates['post']:6.1f} rps (ratio {ratios[-1]:.2f}) | "
                f"GET+POST {rates['pair']:6.1f} pairs/s = {2 * rates['pair']:6.1f} req/s | "
                f"loadavg {load_before} -> {loadavg()}"
            )
    finally:
        stop_server(process)
        set_params(args.db, previous)

    def median(name, index):
        return statistics.median(result[index] for result in results[name])

    login_rps, post_rps, pair_rps = (median(name, 0) for name in scenarios)
    ratio = statistics.median(ratios)
    server_errors = sum(n for (_name, _method, status), n in all_statuses.items() if status >= 500)
    posts_ok = sum(n for (_name, method, status), n in all_statuses.items()
                   if method == "POST" and status == 200)
    unexpected = {key: n for key, n in all_statuses.items()
                  if not (key[2] == 200 or (key[1] == "POST" and key[2] in (400, 429)))}
    rows_created = consultation_count(args.db) - rows_before

    print()
    print(f"median of {args.repeat} (c={args.concurrency}, {args.duration:g} s each):")
    print(f"  GET /web/login            {login_rps:7.1f} rps   p50 {median('login', 1) * 1000:5.0f} ms"
          f"   p95 {median('login', 2) * 1000:5.0f} ms")
    print(f"  POST /consultation        {post_rps:7.1f} rps   p50 {median('post', 1) * 1000:5.0f} ms"
          f"   p95 {median('post', 2) * 1000:5.0f} ms   (tokens read before the loop)")
    print(f"  GET+POST /consultation    {pair_rps:7.1f} pairs/s ({2 * pair_rps:.1f} req/s)"
          f"   pair p50 {median('pair', 1) * 1000:5.0f} ms   p95 {median('pair', 2) * 1000:5.0f} ms")
    print(f"  ratio POST / login        {ratio:7.2f}   (goal >= {RATIO_GOAL}, median of the "
          f"per-repetition ratios)")
    print(f"  ratio pairs / login       {pair_rps / login_rps if login_rps else 0:7.2f}   "
          f"(browser flow, a pair is a page render plus a POST; information only)")
    print(f"  responses >= 500          {server_errors:7d}   (goal 0)")
    print("  statuses (warm-up included):")
    for (name, method, status), n in sorted(all_statuses.items()):
        print(f"    {name:6s} {method:4s} {status}: {n}")
    for (name, status, message), n in sorted(REFUSALS.items()):
        print(f"    refused {name:6s} {status} x{n}: {message}")
    if unexpected:
        print(f"  unexpected statuses       {unexpected}")
    print(f"  consultations created     {rows_created:7d}   POSTs answered 200: {posts_ok}"
          f"   ({'equal' if rows_created == posts_ok else 'DIFFERENT'})")
    failed = ratio < RATIO_GOAL or server_errors or rows_created != posts_ok or unexpected
    print("RESULT:", "goals met" if not failed else "goal missed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
