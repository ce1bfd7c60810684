# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import random
import threading
import time
from contextlib import closing
from datetime import datetime, timedelta

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.service.model import MAX_TRIES_ON_CONCURRENCY_FAILURE, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.sql_db import db_connect
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestPunchConcurrency(BaseCase):
    """Terminals posting at the same time, each request in its own transaction.

    HttpCase serves every request inside the single transaction of the test
    (one cursor shared under a lock), so two terminals can never collide
    there. These tests commit their own data, run the ingestion in threads
    on separate database connections, run again on concurrency failures (as
    Odoo does for the endpoint), and delete everything afterwards.
    """

    def setUp(self):
        super().setUp()
        self.dbname = get_db_name()
        # the threads must not ask for the registry: the test runner holds its lock
        self.registry = Registry(self.dbname)
        with self._cursor() as cr:
            env = self._env(cr)
            self.employee_ids = env["hr.employee"].create(
                [{"name": f"Concurrent Staff {i}", "barcode": f"77{i:04d}"} for i in range(10)]
            ).ids
            self.device_ids = env["gov.attendance.device"].create(
                [{"code": f"CC-{kind}", "name": f"Terminal {kind}"} for kind in "AB"]
            ).ids
        self.addCleanup(self._cleanup)

    def _cursor(self):
        return db_connect(self.dbname).cursor()

    def _env(self, cr):
        if cr.transaction is None:
            cr.transaction = api.Transaction(self.registry)
        return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})

    def _cleanup(self):
        with self._cursor() as cr:
            env = self._env(cr)
            # punches are never deleted by the application: remove the test's by SQL
            cr.execute("DELETE FROM gov_attendance_punch WHERE device_id = ANY(%s)", [self.device_ids])
            env["hr.attendance"].search([("employee_id", "in", self.employee_ids)]).unlink()
            env["hr.employee"].browse(self.employee_ids).unlink()
            env["gov.attendance.device"].browse(self.device_ids).unlink()

    def _ingest(self, env, device, batch):
        """Ingest ``batch`` in its own transaction, run again on concurrency failures.

        As ``odoo.service.model.retrying`` does for the endpoint (which cannot
        run here: it asks for the registry, whose lock the test runner holds).
        """
        for attempt in range(MAX_TRIES_ON_CONCURRENCY_FAILURE):
            try:
                result = env["gov.attendance.punch"]._gov_ingest(device, batch)
                env.cr.commit()
                return result
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                env.cr.rollback()
                time.sleep(random.uniform(0.0, 0.5 * 2 ** attempt))
        raise AssertionError("concurrency failure on every try")

    def _post_batches(self, device_id, batches, barrier, results, errors):
        """Ingest ``batches`` one after the other, as a terminal does."""
        try:
            with closing(self._cursor()) as cr:
                env = self._env(cr)
                device = env["gov.attendance.device"].browse(device_id)
                for batch in batches:
                    # both requests have read the database (as the endpoint
                    # does to check the token) before either writes
                    cr.execute("SELECT id FROM gov_attendance_device WHERE id = %s", [device_id])
                    barrier.wait(timeout=60)
                    results.append(self._ingest(env, device, batch))
        except Exception as exc:  # noqa: BLE001 -- reported by the test
            errors.append(exc)
            barrier.abort()

    def _run(self, jobs):
        barrier = threading.Barrier(len(jobs))
        results = [[] for _job in jobs]
        errors = []
        threads = [
            threading.Thread(target=self._post_batches, args=(device_id, batches, barrier, out, errors))
            for (device_id, batches), out in zip(jobs, results)
        ]
        with mute_logger("odoo.sql_db"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=300)
        self.assertFalse(errors)
        return results

    def _punch(self, ref, index, when):
        return {"id": ref, "badge": f"77{index:04d}", "time": when.strftime("%Y-%m-%d %H:%M:%S"),
                "method": "fingerprint"}

    def _attendances(self):
        with closing(self._cursor()) as cr:
            env = self._env(cr)
            return [
                (a.employee_id.id, a.check_in, a.check_out)
                for a in env["hr.attendance"].search(
                    [("employee_id", "in", self.employee_ids)], order="employee_id, check_in"
                )
            ]

    def test_two_terminals_post_for_the_same_employees(self):
        # every round, terminal A posts the check-ins and terminal B the
        # check-outs of the same ten employees for the same day, at once
        first_day = datetime.combine(datetime.utcnow().date() - timedelta(days=20), datetime.min.time())
        rounds_a, rounds_b, expected = [], [], []
        for day in range(10):
            base = first_day + timedelta(days=day)
            rounds_a.append([self._punch(f"{day}-{i}-in", i, base + timedelta(hours=1, seconds=i))
                             for i in range(10)])
            rounds_b.append([self._punch(f"{day}-{i}-out", i, base + timedelta(hours=9, seconds=i))
                             for i in range(10)])
            expected += [(employee_id, base + timedelta(hours=1, seconds=i),
                          base + timedelta(hours=9, seconds=i))
                         for i, employee_id in enumerate(self.employee_ids)]
        results_a, results_b = self._run([(self.device_ids[0], rounds_a), (self.device_ids[1], rounds_b)])
        for result in results_a + results_b:
            self.assertEqual(result, {"accepted": 10, "rejected": [], "duplicates": []})
        self.assertEqual(len(results_a + results_b), 20)
        self.assertEqual(sorted(self._attendances()), sorted(expected))

    def test_same_batch_posted_twice_at_once(self):
        day = datetime.combine(datetime.utcnow().date() - timedelta(days=2), datetime.min.time())
        batch = [self._punch(f"in-{i}", i, day + timedelta(hours=1, seconds=i)) for i in range(10)]
        results = self._run([(self.device_ids[0], [batch]), (self.device_ids[0], [batch])])
        answers = sorted((result for out in results for result in out), key=lambda r: r["accepted"])
        answers[0]["duplicates"].sort()
        self.assertEqual(answers, [
            {"accepted": 0, "rejected": [], "duplicates": sorted(p["id"] for p in batch)},
            {"accepted": 10, "rejected": [], "duplicates": []},
        ])
        self.assertEqual(len(self._attendances()), 10)
