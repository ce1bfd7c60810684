# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from ..models.gov_center_time import center_today
from .common import MONTH, DisciplineCase


@tagged("post_install", "-at_install")
class TestConductRule(DisciplineCase):
    def test_default_rules(self):
        rules = self.env["gov.conduct.rule"].search([])
        self.assertGreaterEqual(len(rules), 12)
        self.assertEqual(set(rules.mapped("category")), {"attendance", "discipline", "attitude", "business"})
        self.assertEqual(self.env.ref("gov_service_center.conduct_rule_late").points, 1)

    def test_rule_checks(self):
        Rule = self.env["gov.conduct.rule"]
        with self.assertRaises(ValidationError):
            Rule.create({"code": "X1", "name": "Bad", "points": -1})
        with self.assertRaises(Exception), mute_logger("odoo.sql_db"), self.cr.savepoint():
            Rule.create({"code": "KQ01", "name": "Duplicate"})


@tagged("post_install", "-at_install")
class TestInspection(DisciplineCase):
    def test_confirm_flow(self):
        inspection = self._inspection(self.staff[0], confirm=False)
        self.assertEqual(inspection.state, "draft")
        self.assertTrue(inspection.name.startswith("JC"))
        self.assertEqual(inspection.points, 2)
        self.assertEqual(inspection.window_id, self.window_a)
        inspection.action_confirm()
        self.assertEqual(inspection.state, "confirmed")
        self.assertIn(self.staff[0].user_id.partner_id, inspection.message_partner_ids)

    def test_rectification_deadline_in_working_days(self):
        # Friday 2026-03-06 + 3 working days = Wednesday 2026-03-11
        inspection = self._inspection(
            self.staff[0], day=date(2026, 3, 6), rectification_required=True,
            rectification_days=3, confirm=False,
        )
        expected = self.env["gov.calendar.day"].add_working_days(date(2026, 3, 6), 3)
        self.assertEqual(inspection.date_deadline, expected)
        self.assertEqual(expected, date(2026, 3, 11))
        inspection.action_confirm()
        self.assertEqual(inspection.rectification_state, "pending")
        self.assertTrue(inspection.is_rectification_overdue)
        self.assertIn(inspection, self.env["gov.inspection"].search([("is_rectification_overdue", "=", True)]))
        inspection.action_mark_rectified()
        self.assertEqual(inspection.rectification_state, "done")
        self.assertNotIn(inspection, self.env["gov.inspection"].search([("is_rectification_overdue", "=", True)]))
        with self.assertRaises(UserError):
            inspection.action_mark_rectified()

    def test_bad_input(self):
        Inspection = self.env["gov.inspection"]
        with self.assertRaises(ValidationError):
            Inspection.create({"employee_id": self.staff[0].id, "points": -1, "description": "x"})
        with self.assertRaises(ValidationError):
            Inspection.create({"employee_id": self.staff[0].id, "date": date(2099, 1, 1), "description": "x"})
        with self.assertRaises(ValidationError):
            Inspection.create({"employee_id": self.staff[0].id, "description": "x",
                               "rectification_required": True, "rectification_days": 0})
        with self.assertRaises(UserError):
            Inspection.create({"employee_id": self.staff[0].id, "description": "x", "state": "confirmed"})
        empty = Inspection.create({"employee_id": self.staff[0].id})
        with self.assertRaises(UserError):
            empty.action_confirm()
        self.assertEqual(empty.state, "draft")

    def test_confirmed_is_frozen_and_kept(self):
        inspection = self._inspection(self.staff[0])
        for vals in ({"points": 0}, {"employee_id": self.staff[1].id}, {"date": date(2026, 3, 1)},
                     {"state": "draft"}):
            with self.assertRaises(UserError):
                inspection.write(vals)
        inspection.rectification_note = "Talked"  # still allowed
        with self.assertRaises(AccessError):
            inspection.with_user(self.user_inspector).unlink()
        with self.assertRaises(UserError):
            inspection.with_user(self.user_admin).unlink()
        self.assertTrue(inspection.exists())
        draft = self._inspection(self.staff[0], confirm=False)
        draft.with_user(self.user_admin).unlink()
        self.assertFalse(draft.exists())

    def test_cancel(self):
        inspection = self._inspection(self.staff[0])
        with self.assertRaises(UserError):
            inspection.with_user(self.user_inspector).action_cancel()
        inspection.with_user(self.user_admin).action_cancel()
        self.assertEqual(inspection.state, "cancelled")
        with self.assertRaises(UserError):
            inspection.action_cancel()
        draft = self._inspection(self.staff[0], confirm=False)
        draft.with_user(self.user_inspector).action_cancel()
        self.assertEqual(draft.state, "cancelled")

    def test_inspector_creates_and_confirms(self):
        Inspection = self.env["gov.inspection"].with_user(self.user_inspector)
        with Form(Inspection) as form:
            form.employee_id = self.staff[2]
            form.rule_id = self.rule_quarrel
            form.date = date(2026, 3, 5)
        inspection = form.record
        self.assertEqual(inspection.points, 5)
        self.assertEqual(inspection.window_id, self.window_b)
        self.assertEqual(inspection.inspector_id, self.user_inspector)
        inspection.action_confirm()
        self.assertEqual(inspection.state, "confirmed")
        with self.assertRaises(AccessError):
            self.env["gov.inspection"].with_user(self.user_viewer).create(
                {"employee_id": self.staff[0].id, "description": "x"}
            )

    def test_ledger_lines_provider(self):
        confirmed = self._inspection(self.staff[0], day=date(2026, 3, 31))
        self._inspection(self.staff[0], confirm=False)
        self._inspection(self.staff[1], day=date(2026, 4, 1))
        self._inspection(self.staff[0], rule=self.env.ref("gov_service_center.conduct_rule_late"),
                         points=0, day=date(2026, 3, 2), description="warning only")
        lines = self.env["gov.inspection"]._gov_ledger_lines(MONTH, date(2026, 3, 31), self.staff)
        self.assertEqual(len(lines), 1)
        self.assertEqual(lines[0]["employee_id"], self.staff[0].id)
        self.assertEqual(lines[0]["points"], -2)
        self.assertEqual(lines[0]["res_model"], "gov.inspection")
        self.assertEqual(lines[0]["res_id"], confirmed.id)
        self.assertEqual(lines[0]["date"], date(2026, 3, 31))
        self.assertIn(confirmed.name, lines[0]["cause"])

    def test_overview_figures(self):
        Overview = self.env["gov.center.overview"]

        def figure(metric):
            return Overview.search([("metric", "=", metric)]).value

        before = figure("inspections_this_month"), figure("open_rectifications")
        today = center_today(self.env)
        self._inspection(self.staff[0], day=today, rectification_required=True)
        self._inspection(self.staff[1], day=today)
        self._inspection(self.staff[1], day=today, confirm=False)
        self.env.flush_all()
        self.assertEqual(figure("inspections_this_month"), before[0] + 2)
        self.assertEqual(figure("open_rectifications"), before[1] + 1)
