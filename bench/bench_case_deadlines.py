"""Case deadlines in one call, as a ratio against the limit measured in the
same run.

Run inside an Odoo shell on a database where the module is installed
(nothing is written):

    python3 -m odoo shell -d <db> --addons-path=<paths> --no-http < bench/bench_case_deadlines.py

The limit is a plain bisection over a sorted list of working days computed
beforehand (outside the timing); the product's path is
``gov.calendar.day.add_working_days_batch``, which builds that list itself
from the calendar exceptions. Goal: product rate >= 0.5 x the limit for
100,000 cases. Figures are medians of 5 repetitions.
"""
import statistics
import time
from bisect import bisect_right
from datetime import date, timedelta

N = 100_000
REPEAT = 5


def median(fn):
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main(env):
    Calendar = env["gov.calendar.day"]
    first = date(2026, 1, 1)
    requests = [(first + timedelta(days=i % 365), (20, 10, 45, 5)[i % 4]) for i in range(N)]
    days = Calendar._working_days_list(first, first + timedelta(days=500))

    def limit():
        return [start if n == 0 else days[bisect_right(days, start) + n - 1]
                for start, n in requests]

    def product():
        return Calendar.add_working_days_batch(requests)

    assert limit() == product()
    env.registry.clear_cache()
    t_limit = median(limit)
    t_product = median(product)
    print(f"deadlines for {N} cases: limit {t_limit * 1000:.1f} ms, "
          f"product {t_product * 1000:.1f} ms, ratio {t_limit / t_product:.2f} (goal >= 0.5)")


main(env)  # noqa: F821
