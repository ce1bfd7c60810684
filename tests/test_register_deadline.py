# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.gov_service_center.models.gov_register_mixin import REGISTER_BYPASS_KEY

from .common import MONTH, DisciplineCase, RatingFixtures


@tagged("post_install", "-at_install")
class TestRegisterMixin(DisciplineCase):
    """Records of legal weight are never deleted, not even by an administrator."""

    def _compute(self):
        return self.env["gov.points.ledger"].compute_month(MONTH)

    def test_admin_cannot_unlink_ledger_lines_and_window_scores(self):
        self._inspection(self.staff[0], day=date(2026, 3, 2))
        self._compute()
        Ledger = self.env["gov.points.ledger"].with_user(self.user_admin)
        ledger = Ledger.search([("employee_id", "=", self.staff[0].id), ("month", "=", MONTH)])
        derived = ledger.line_ids
        self.assertEqual(len(derived), 1)
        Line = self.env["gov.points.ledger.line"].with_user(self.user_admin)
        manual = Line.create(
            {"ledger_id": ledger.id, "cause": "Praise letter", "points": 2, "date": date(2026, 3, 5)}
        )
        score = self.env["gov.window.score"].with_user(self.user_admin).search(
            [("month", "=", MONTH), ("window_id", "=", self.window_a.id)]
        )
        self.assertTrue(score)
        for records in (ledger, derived, manual, score):
            with self.subTest(model=records._name), self.assertRaisesRegex(UserError, "never deleted"):
                records.unlink()
            # a client cannot forge the workflow bypass
            with self.subTest(model=records._name, forged=True), self.assertRaises(UserError):
                records.with_context(**{REGISTER_BYPASS_KEY: True}).unlink()
        # the manual line cannot be turned into a derived one either
        with self.assertRaises(UserError):
            manual.write({"is_manual": False})
        self.assertTrue(ledger.exists() and derived.exists() and manual.exists() and score.exists())

    def test_recompute_replaces_derived_lines_only(self):
        first = self._inspection(self.staff[0], day=date(2026, 3, 2))
        self._inspection(self.staff[0], day=date(2026, 3, 3))
        self._compute()
        ledger = self.env["gov.points.ledger"].search(
            [("employee_id", "=", self.staff[0].id), ("month", "=", MONTH)]
        )
        manual = self.env["gov.points.ledger.line"].with_user(self.user_admin).create(
            {"ledger_id": ledger.id, "cause": "Volunteer", "points": 1, "date": date(2026, 3, 6)}
        )
        lines_before = ledger.line_ids
        self.assertEqual(len(lines_before), 3)
        self._compute()
        self.assertEqual(ledger.line_ids, lines_before, "unchanged lines are kept as they are")
        first.with_user(self.user_admin).action_cancel()
        self._compute()
        self.assertEqual(len(ledger.line_ids), 2)
        self.assertNotIn(first.id, ledger.line_ids.mapped("res_id"))
        self.assertIn(manual, ledger.line_ids)
        self.assertEqual(ledger.total, 100 - 2 + 1)

    def test_window_score_archived_not_deleted(self):
        self._compute()
        Score = self.env["gov.window.score"].with_context(active_test=False)
        score_b = Score.search([("month", "=", MONTH), ("window_id", "=", self.window_b.id)])
        self.assertTrue(score_b.active)
        # the staff of window B move to window A: B has no score this month
        self.window_b.employee_ids = [(5, 0, 0)]
        self.window_a.employee_ids = [(6, 0, self.staff.ids)]
        self._compute()
        self.assertTrue(score_b.exists())
        self.assertFalse(score_b.active)
        self.assertFalse(score_b.rank)
        self.assertNotIn(score_b, self.env["gov.window.score"].search([("month", "=", MONTH)]))
        self.window_a.employee_ids = [(6, 0, self.staff[:2].ids)]
        self.window_b.employee_ids = [(6, 0, self.staff[2:].ids)]
        self._compute()
        self.assertTrue(score_b.active)

    def test_mixin_never_deleted_and_frozen(self):
        complaint = self.env["gov.complaint"].create(
            {"name": "Rude answer", "description": "At window 3.", "department_id": self.dept_b.id,
             "complainant_phone": "13800000000"}
        )
        with self.assertRaisesRegex(UserError, "never deleted"):
            complaint.unlink()
        # drafts may go, what took effect stays: the finding is frozen and
        # the state changes only through the buttons
        draft = self._inspection(self.staff[1], confirm=False)
        draft.unlink()
        inspection = self._inspection(self.staff[0])
        with self.assertRaisesRegex(UserError, "never deleted"):
            inspection.unlink()
        with self.assertRaisesRegex(UserError, "keeps its finding"):
            inspection.write({"points": 0})
        with self.assertRaisesRegex(UserError, "buttons"):
            inspection.write({"state": "draft"})
        with self.assertRaises(UserError):
            inspection.with_context(**{REGISTER_BYPASS_KEY: True}).write({"state": "draft"})
        inspection.write({"rectification_note": "Talked to the staff member."})
        inspection._gov_register_bypass().write({"state": "cancelled"})
        self.assertEqual(inspection.state, "cancelled")
        # a decision on an approval item is never deleted either
        item = self.env["gov.approval.item"].create(self._item_vals())
        item.apply_decision("added", "D-1", "2026-03-02")
        self.assertEqual(item.state, "active")
        with self.assertRaisesRegex(UserError, "never deleted"):
            item.change_ids.unlink()
        with self.assertRaisesRegex(UserError, "never deleted"):
            item.unlink()


@tagged("post_install", "-at_install")
class TestDeadlineMixin(RatingFixtures, DisciplineCase):
    """Overdue flag, search, SQL condition and responsibles of every record
    with a legal deadline."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._rating_setup(cls.dept_a, cls.dept_b)

    def _check_overdue(self, record, overdue, before=None):
        Model = self.env[record._name]
        record.invalidate_recordset(["is_overdue", "deadline_remaining_days"])
        self.assertEqual(record.is_overdue, overdue)
        self.assertEqual(record in Model.search([("is_overdue", "=", True)]), overdue)
        self.assertEqual(record in Model.search([("is_overdue", "=", False)]), not overdue)
        self.assertEqual(record in Model.search([("is_overdue", "!=", True)]), not overdue)
        Model.flush_model()
        self.env.cr.execute(
            SQL("SELECT id FROM %s WHERE %s", SQL.identifier(Model._table), Model._gov_overdue_sql())
        )
        self.assertEqual(record.id in {row[0] for row in self.env.cr.fetchall()}, overdue)

    def test_consultation(self):
        with freeze_time("2026-03-02 09:00:00"):  # Monday
            record = self.env["gov.consultation"].create(
                {"name": "Permit", "question": "Which documents?", "contact_name": "张三",
                 "contact_phone": "13812345678", "department_id": self.dept_b.id}
            )
            record.user_id = self.leader_user
            self.assertEqual(record.date_deadline, date(2026, 3, 5))
            self.assertEqual(record.deadline_remaining_days, 3)
            self._check_overdue(record, False)
        self.assertEqual(record.deadline_department_id, self.dept_b)
        self.assertEqual(record.deadline_user_id, self.leader_user)
        with freeze_time("2026-03-06 09:00:00"):
            self._check_overdue(record, True)
            self.assertEqual(record.deadline_remaining_days, -1)
            record.answer = "Your ID card."
            record.action_answer()
            self._check_overdue(record, False)

    def test_complaint(self):
        record = self.env["gov.complaint"].create(
            {"name": "Late survey", "description": "40 days late.", "department_id": self.dept_b.id,
             "complainant_phone": "13800000000",
             "user_id": self.leader_user.id, "date_received": date(2026, 3, 2)}
        )
        self.assertEqual(
            record.date_deadline, self.env["gov.calendar.day"].add_working_days(date(2026, 3, 2), 15)
        )
        self.assertEqual(record.deadline_department_id, self.dept_b)
        self.assertEqual(record.deadline_user_id, self.leader_user)
        with freeze_time(record.date_deadline):
            self._check_overdue(record, False)
            self.assertEqual(record.deadline_remaining_days, 0)
        with freeze_time("2026-12-31"):
            self._check_overdue(record, True)
            record.action_investigate()
            self._check_overdue(record, True)
            record.outcome = "Warned."
            record.action_dispose()
            record.reply = "We warned the provider."
            record.action_reply()
            self._check_overdue(record, False)

    def test_service_rating(self):
        self.dept_a.manager_id = self.env["hr.employee"].create(
            {"name": "Manager A", "user_id": self.user_officer_b.id}
        )
        rating = self.env["gov.service.rating"].create(
            {"level": 1, "channel": "hall_qr", "window_id": self.window.id,
             "employee_id": self.employee.id, "date": "2026-03-02 02:00:00"}
        )
        self.assertEqual(rating.date_deadline, rating.verify_deadline)
        self.assertEqual(rating.deadline_department_id, self.dept_a)
        self.assertEqual(rating.deadline_user_id, self.user_officer_b)
        with freeze_time(rating.verify_deadline):
            self._check_overdue(rating, False)
        with freeze_time("2026-03-20"):
            self._check_overdue(rating, True)
            rating.verification_note = "Checked the video."
            rating.action_verify()
            self.assertEqual(rating.date_deadline, rating.rectify_deadline)
            self._check_overdue(rating, False)
        good = self.env["gov.service.rating"].create(
            {"level": 5, "channel": "hall_qr", "window_id": self.window.id}
        )
        self.assertFalse(good.date_deadline)
        self._check_overdue(good, False)

    def test_inspection(self):
        inspection = self._inspection(
            self.staff[0], day=date(2026, 3, 6), rectification_required=True, rectification_days=3,
            confirm=False,
        )
        self.assertEqual(inspection.date_deadline, date(2026, 3, 11))
        self.assertEqual(inspection.deadline_department_id, self.dept_b)
        self.assertEqual(inspection.deadline_user_id, self.staff_users[0])
        with freeze_time("2026-03-20"):
            self._check_overdue(inspection, False)  # a draft has no running deadline
            inspection.action_confirm()
            self._check_overdue(inspection, True)
            self.assertTrue(inspection.is_rectification_overdue)
            self.assertIn(
                inspection,
                self.env["gov.inspection"].search([("is_rectification_overdue", "=", True)]),
            )
            inspection.action_mark_rectified()
            self._check_overdue(inspection, False)
