# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re
import threading
import time
from contextlib import closing
from datetime import date, datetime

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api
from odoo.exceptions import ValidationError
from odoo.modules.registry import Registry
from odoo.service.model import MAX_TRIES_ON_CONCURRENCY_FAILURE, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.sql_db import db_connect
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import mute_logger

from ..models.gov_settings import param_key
from .common import VALID_ID_NUMBER, VALID_USCC, GovCaseCase

# 2026-03-02 is a Monday; March 2026 has no holiday. 10:00 in Shanghai.
MONDAY = "2026-03-02 02:00:00"
NUMBER_RE = re.compile(r"^51140020260302\d{6}$")
# columns that differ between two records by nature
OWN_COLUMNS = {"id", "name", "create_date", "write_date", "access_token"}


@tagged("post_install", "-at_install")
class TestCaseImport(GovCaseCase):
    """The set-based batch import gives the cases ``create`` gives."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(param_key("center_tz"), "Asia/Shanghai")
        cls.Case = cls.env["gov.case"]
        cls.OrmCase = cls.Case.with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True,
        )._gov_register_bypass()

    def _rows(self):
        """Rows in every shape: draft, organisation, received, accepted,
        decided, delivered, rejected, dispatched to another department."""
        officer = self.user_front_desk.id
        return [
            self._case_vals(),
            self._case_vals(applicant_type="organization", applicant_name="某某有限公司",
                            applicant_id_number=False, applicant_uscc=VALID_USCC,
                            contact_email=" a@example.com ", contact_phone="138-0013-8000",
                            channel="online"),
            self._case_vals(state="submitted", date_received=datetime(2026, 2, 26, 16, 30),
                            user_id=officer),
            self._case_vals(state="accepted", date_received=datetime(2026, 2, 2, 2, 0),
                            date_accepted=date(2026, 2, 2), promised_days=10,
                            statutory_days=20, notice_acceptance_no="SL-1", user_id=officer),
            self._case_vals(state="approved", decision_result="approved",
                            date_received=datetime(2026, 1, 5, 2, 0), date_accepted="2026-01-06",
                            promised_days=5, statutory_days=20, date_decided="2026-01-20",
                            extension_days=3, extension_state="approved"),
            self._case_vals(state="delivered", decision_result="denied",
                            date_received=datetime(2026, 1, 5, 2, 0), date_accepted=date(2026, 1, 5),
                            promised_days=5, statutory_days=20, date_decided=date(2026, 1, 9),
                            date_delivered=date(2026, 1, 30), decision_note="不符合条件"),
            self._case_vals(state="rejected", date_received=datetime(2026, 2, 27, 2, 0),
                            date_decided=date(2026, 2, 27), rejection_reason="不属于本机关职权"),
            self._case_vals(item_id=self.item_b.id, department_id=self.dept_a.id,
                            description="dispatched"),
        ]

    def _stored_values(self, cases):
        fnames = [
            fname for fname, field in self.Case._fields.items()
            if field.store and field.column_type and fname not in OWN_COLUMNS
        ]
        self.env.invalidate_all()
        return [
            {fname: case[fname] for fname in fnames}
            for case in cases.sorted("id")
        ]

    @staticmethod
    def _lines(cases):
        return [
            [(line.material_id, line.name, line.sequence, line.requirement, line.state,
              line.original_count, line.copy_count, line.may_supply_later, line.create_uid)
             for line in case.material_line_ids]
            for case in cases.sorted("id")
        ]

    def test_import_equals_create(self):
        with freeze_time(MONDAY):
            created = self.OrmCase.create(self._rows())
            imported = self.Case._gov_import_cases(self._rows(), batch_size=3)
        self.assertEqual(len(imported), len(created))
        self.assertEqual(self._stored_values(imported), self._stored_values(created))
        self.assertEqual(self._lines(imported), self._lines(created))
        for case in created | imported:
            self.assertRegex(case.name, NUMBER_RE)
        # the numbers of the import follow those of the creation, in row order
        self.assertEqual(
            [int(name[-6:]) for name in (created | imported).mapped("name")],
            list(range(1, 17)),
        )
        # spot checks of the computed columns
        by_description = {case.description: case for case in imported if case.description}
        self.assertEqual(by_description["dispatched"].department_id, self.dept_a)
        self.assertEqual(by_description["dispatched"].deadline_department_id, self.dept_a)
        accepted = imported.filtered(lambda case: case.state == "accepted")
        self.assertEqual(accepted.date_deadline, self.env["gov.calendar.day"].add_working_days(
            date(2026, 2, 2), 10))
        self.assertEqual(accepted.deadline_user_id, self.user_front_desk)
        submitted = imported.filtered(lambda case: case.state == "submitted")
        # 00:30 on 27 February in Shanghai
        self.assertEqual(submitted.date_received_day, date(2026, 2, 27))
        delivered = imported.filtered(lambda case: case.state == "delivered")
        self.assertTrue(delivered.is_delivery_late)
        self.assertEqual(delivered.date_lawsuit_limit, date(2026, 7, 9))
        self.assertFalse(imported.message_ids)
        self.assertFalse(imported.message_follower_ids)

    def test_bad_rows_write_nothing(self):
        inactive = self._create_item(name="Old item", state="draft")
        rows = [self._case_vals(applicant_name=f"申请人{i}") for i in range(12)]
        rows[2]["applicant_id_number"] = "110105194912310021"  # wrong check digit
        rows[5]["item_id"] = inactive.id
        rows[8]["contact_phone"] = "12345"
        rows[10]["applicant_name"] = ""
        Counter = self.env["gov.case.counter"]
        with freeze_time(MONDAY):
            cases_before = self.Case.search_count([])
            lines_before = self.env["gov.case.material"].search_count([])
            counter_before = Counter.search([("date", "=", date(2026, 3, 2))]).last
            with self.assertRaises(ValidationError) as caught:
                self.Case._gov_import_cases(rows, batch_size=4)
            message = str(caught.exception)
            for row in (3, 6, 9, 11):
                self.assertIn(f"Row {row}:", message)
            for row in (1, 2, 4, 12):
                self.assertNotIn(f"Row {row}:", message)
            self.assertIn("110105194912310021", message)
            self.env.invalidate_all()
            self.assertEqual(self.Case.search_count([]), cases_before)
            self.assertEqual(self.env["gov.case.material"].search_count([]), lines_before)
            self.assertEqual(
                Counter.search([("date", "=", date(2026, 3, 2))]).last, counter_before
            )
            self.assertFalse(self.env["gov.stat.monthly.dirty"].search_count([
                ("source", "=", "case"), ("month", "=", date(2026, 3, 1)),
            ]))

    def test_numbers_never_reused_with_creates(self):
        with freeze_time(MONDAY):
            first = self.Case.create(self._case_vals())
            imported = self.Case._gov_import_cases(
                [self._case_vals() for _i in range(5)]
                + [self._case_vals(name="PROVINCE-0001")]
            )
            second = self.Case.create(self._case_vals())
            again = self.Case._gov_import_cases([self._case_vals() for _i in range(2)])
        names = (first | imported | second | again).mapped("name")
        self.assertEqual(len(set(names)), 10)
        self.assertIn("PROVINCE-0001", names)
        numbered = [int(name[-6:]) for name in names if name != "PROVINCE-0001"]
        self.assertEqual(sorted(numbered), list(range(1, 10)))
        self.assertEqual(self.env["gov.case.counter"].search([("date", "=", date(2026, 3, 2))]).last, 9)

    def test_monthly_statistics_after_import(self):
        Stat = self.env["gov.stat.monthly"]
        Stat._gov_stat_rebuild()
        with freeze_time(MONDAY):
            self.Case._gov_import_cases(self._rows())
            self.assertTrue(self.env["gov.stat.monthly.dirty"].search_count([
                ("source", "=", "case"),
            ]))
            Stat._gov_stat_refresh()
        live = {}
        for month, department, item, count, accepted, decided in self.Case.with_context(
            tz="Asia/Shanghai",
        )._read_group(
            [("state", "!=", "draft")], ["date_received:month", "department_id", "item_id"],
            ["__count", "count_accepted:sum", "count_decided:sum"],
        ):
            live[(month.date(), department.id, item.id)] = (count, accepted, decided)
        stored = {
            (month, department.id, item.id): (count, accepted, decided)
            for month, department, item, count, accepted, decided in Stat._read_group(
                [("source", "=", "case")], ["month:day", "department_id", "item_id"],
                ["case_count:sum", "case_accepted_count:sum", "case_decided_count:sum"],
            )
        }
        self.assertEqual(stored, live)
        self.assertEqual(len(live), 2)  # January and February

    def test_query_count_independent_of_size(self):
        counts = {}
        with freeze_time(MONDAY):
            for size in (1, 10, 200):  # the first one warms the caches
                rows = [self._case_vals(applicant_name=f"申请人{i}", state="submitted",
                                        date_received=datetime(2026, 2, 27, 2, 0))
                        for i in range(size)]
                self.env.flush_all()
                self.env.invalidate_all()
                before = self.env.cr.sql_log_count
                cases = self.Case._gov_import_cases(rows)
                counts[size] = self.env.cr.sql_log_count - before
                self.assertEqual(len(cases), size)
        self.assertEqual(counts[10], counts[200], counts)


@tagged("post_install", "-at_install")
class TestCaseImportConcurrency(BaseCase):
    """An import and a form creation at the same moment, each in its own
    transaction on its own connection: the counter row serialises them, no
    number is given twice. The test commits its data and deletes it after."""

    def setUp(self):
        super().setUp()
        self.dbname = get_db_name()
        # the threads must not ask for the registry: the test runner holds its lock
        self.registry = Registry(self.dbname)
        with closing(self._cursor()) as cr:
            env = self._env(cr)
            department = env["hr.department"].create({"name": "GscImport Concurrency"})
            self.item_id = env["gov.approval.item"].create({
                "name": "GscImport Concurrency Item", "department_id": department.id,
                "item_type": "licensing", "statutory_days": 20, "promised_days": 10,
                "state": "active",
                "material_ids": [(0, 0, {"name": "GscImport Form", "requirement": "required"})],
            }).id
            self.department_id = department.id
            cr.commit()
        self.addCleanup(self._cleanup)

    def _cursor(self):
        return db_connect(self.dbname).cursor()

    def _env(self, cr):
        if cr.transaction is None:
            cr.transaction = api.Transaction(self.registry)
        return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})

    def _cleanup(self):
        # cases and items are never deleted by the application: by SQL
        with closing(self._cursor()) as cr:
            cr.execute("DELETE FROM gov_stat_monthly_dirty")
            cr.execute("DELETE FROM gov_case_material WHERE case_id IN "
                       "(SELECT id FROM gov_case WHERE item_id = %s)", [self.item_id])
            cr.execute("DELETE FROM mail_message WHERE model = 'gov.case' AND res_id IN "
                       "(SELECT id FROM gov_case WHERE item_id = %s)", [self.item_id])
            cr.execute("DELETE FROM mail_followers WHERE res_model = 'gov.case' AND res_id IN "
                       "(SELECT id FROM gov_case WHERE item_id = %s)", [self.item_id])
            cr.execute("DELETE FROM gov_case WHERE item_id = %s", [self.item_id])
            cr.execute("DELETE FROM gov_approval_material WHERE item_id = %s", [self.item_id])
            cr.execute("DELETE FROM gov_approval_item_change WHERE item_id = %s", [self.item_id])
            cr.execute("DELETE FROM mail_message WHERE model = 'gov.approval.item' AND res_id = %s",
                       [self.item_id])
            cr.execute("DELETE FROM gov_approval_item WHERE id = %s", [self.item_id])
            cr.execute("DELETE FROM hr_department WHERE id = %s", [self.department_id])
            cr.commit()

    def _vals(self, name):
        return {"item_id": self.item_id, "applicant_name": name,
                "applicant_id_number": VALID_ID_NUMBER, "contact_phone": "13800138000"}

    def test_import_and_create_at_once(self):
        imported, created_started = threading.Event(), threading.Event()
        names, errors = {}, []

        def run_import():
            try:
                with closing(self._cursor()) as cr:
                    env = self._env(cr)
                    cases = env["gov.case"]._gov_import_cases(
                        [self._vals(f"GscImport {i}") for i in range(50)]
                    )
                    names["import"] = cases.mapped("name")
                    imported.set()
                    # the form creation is waiting for the counter row now
                    created_started.wait(timeout=60)
                    time.sleep(0.5)
                    cr.commit()
            except Exception as exc:  # noqa: BLE001 -- reported by the test
                errors.append(exc)
                imported.set()

        def run_create():
            try:
                imported.wait(timeout=60)
                with closing(self._cursor()) as cr:
                    env = self._env(cr)
                    created_started.set()
                    # as Odoo runs a request again after a concurrency failure
                    for _attempt in range(MAX_TRIES_ON_CONCURRENCY_FAILURE):
                        try:
                            names["create"] = env["gov.case"].create(
                                self._vals("GscImport form")).name
                            cr.commit()
                            break
                        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                            cr.rollback()
                            env.invalidate_all()
                            names["retried"] = True
            except Exception as exc:  # noqa: BLE001 -- reported by the test
                errors.append(exc)
                created_started.set()

        threads = [threading.Thread(target=run_import), threading.Thread(target=run_create)]
        with mute_logger("odoo.sql_db"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
        self.assertFalse(errors)
        # the form waited for the import's transaction, then ran again
        self.assertTrue(names.get("retried"))
        all_names = names["import"] + [names["create"]]
        self.assertEqual(len(set(all_names)), 51)
        self.assertGreater(names["create"], max(names["import"]))
        with closing(self._cursor()) as cr:
            cr.execute("SELECT count(*), count(DISTINCT name) FROM gov_case WHERE item_id = %s",
                       [self.item_id])
            self.assertEqual(cr.fetchone(), (51, 51))
