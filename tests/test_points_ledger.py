# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

import logging

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import date_utils

from odoo.addons.gov_service_center.models import gov_points_ledger

from ..models.gov_center_time import center_today
from .common import MONTH, DisciplineCase

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestPointsLedger(DisciplineCase):
    def _ledger(self, employee, month=MONTH):
        return self.env["gov.points.ledger"].search(
            [("employee_id", "=", employee.id), ("month", "=", month)]
        )

    def test_compute_month(self):
        first = self._inspection(self.staff[0], day=date(2026, 3, 2))
        self._inspection(self.staff[0], day=date(2026, 3, 20), rule=self.rule_quarrel)
        self._inspection(self.staff[2], day=date(2026, 2, 27))  # other month
        ledgers = self.env["gov.points.ledger"].compute_month(date(2026, 3, 17))
        self.assertEqual(len(ledgers), 4)
        self.assertEqual(set(ledgers.mapped("month")), {MONTH})
        ledger = self._ledger(self.staff[0])
        self.assertEqual(ledger.window_id, self.window_a)
        self.assertEqual((ledger.base, ledger.deduction, ledger.bonus, ledger.total), (100, 7, 0, 93))
        self.assertEqual(len(ledger.line_ids), 2)
        line = ledger.line_ids.filtered(lambda l: l.res_id == first.id)
        self.assertEqual((line.res_model, line.points), ("gov.inspection", -2))
        self.assertEqual(self._ledger(self.staff[2]).total, 100)
        self.assertEqual(ledger.rank, 4)
        self.assertEqual(self._ledger(self.staff[1]).rank, 1)

    def test_recompute_is_idempotent_and_keeps_bonus(self):
        self._inspection(self.staff[0], day=date(2026, 3, 2))
        Ledger = self.env["gov.points.ledger"]
        Ledger.compute_month(MONTH)
        ledger = self._ledger(self.staff[0])
        Line = self.env["gov.points.ledger.line"].with_user(self.user_admin)
        Line.create({"ledger_id": ledger.id, "cause": "Praise letter", "points": 3, "date": date(2026, 3, 5)})
        Line.create({"ledger_id": ledger.id, "cause": "Volunteer", "points": 4, "date": date(2026, 3, 6)})
        self.assertEqual(ledger.bonus, 5, "bonus is capped at 5")
        self.assertEqual(ledger.total, 103)
        lines_before = ledger.line_ids.ids
        Ledger.compute_month(MONTH)
        Ledger.compute_month(MONTH)
        self.assertEqual(len(Ledger.search([("month", "=", MONTH)])), 4)
        self.assertEqual(len(ledger.line_ids), 3)
        self.assertEqual(ledger.total, 103)
        self.assertEqual(
            set(lines_before), set(ledger.line_ids.ids),
            "manual lines kept, unchanged derived lines left as they are",
        )
        self._inspection(self.staff[0], day=date(2026, 3, 3))
        Ledger.compute_month(MONTH)
        self.assertEqual(ledger.total, 101)

    def test_bonus_settings(self):
        self.env["ir.config_parameter"].set_param("gov_service_center.points_bonus_cap", "2")
        self.env["ir.config_parameter"].set_param("gov_service_center.points_base", "110")
        self.env["gov.points.ledger"].compute_month(MONTH)
        ledger = self._ledger(self.staff[1])
        self.env["gov.points.ledger.line"].create({"ledger_id": ledger.id, "cause": "Bonus", "points": 4})
        self.assertEqual((ledger.base, ledger.bonus, ledger.total), (110, 2, 112))

    def test_manual_bonus_rules(self):
        self.env["gov.points.ledger"].compute_month(MONTH)
        ledger = self._ledger(self.staff[1])
        Line = self.env["gov.points.ledger.line"]
        with self.assertRaises(ValidationError):
            Line.with_user(self.user_admin).create({"ledger_id": ledger.id, "cause": "x", "points": -3})
        for user in (self.user_viewer, self.user_inspector, self.user_officer, self.staff_users[1]):
            with self.assertRaises(AccessError):
                Line.with_user(user).create({"ledger_id": ledger.id, "cause": "x", "points": 1})
        line = Line.with_user(self.user_admin).create({"ledger_id": ledger.id, "cause": "x", "points": 1})
        self.assertTrue(line.is_manual)
        self.assertEqual(line.user_id, self.user_admin)

    def test_cause_providers_are_module_models(self):
        for model_name in gov_points_ledger.CAUSE_PROVIDERS:
            self.assertTrue(hasattr(self.env[model_name], "_gov_ledger_lines"), model_name)

    def test_provider_interface(self):
        """Lines of any provider are taken as given (points sign, cause, source)."""
        calls = []

        def fake_collect(self_, date_from, date_to, employees):
            calls.append((date_from, date_to, set(employees.ids)))
            return [
                {"employee_id": employees[0].id, "date": date_from, "points": -1.0,
                 "cause": "Late", "res_model": "gov.attendance.day", "res_id": 7},
                {"employee_id": employees[0].id, "date": date_to, "points": 2.0,
                 "cause": "Praise", "res_model": "gov.service.rating", "res_id": 8},
                {"employee_id": 0, "date": date_to, "points": -9.0, "cause": "Unknown",
                 "res_model": "gov.service.rating", "res_id": 9},
            ]

        self.patch(type(self.env["gov.points.ledger"]), "_collect_cause_lines", fake_collect)
        ledgers = self.env["gov.points.ledger"].compute_month(MONTH, employees=self.staff[:1])
        self.assertEqual(calls, [(MONTH, date(2026, 3, 31), {self.staff[0].id})])
        self.assertEqual((ledgers.deduction, ledgers.bonus, ledgers.total), (1, 2, 101))

    def test_window_scores_and_red_flag(self):
        self._inspection(self.staff[0], day=date(2026, 3, 2), rule=self.rule_quarrel)
        self.env["gov.points.ledger"].compute_month(MONTH)
        scores = self.env["gov.window.score"].search([("month", "=", MONTH)])
        self.assertEqual(len(scores), 2)
        score_a = scores.filtered(lambda s: s.window_id == self.window_a)
        score_b = scores - score_a
        self.assertEqual((score_a.score, score_a.staff_count, score_a.rank), (97.5, 2, 2))
        self.assertTrue(score_a.is_last)
        self.assertFalse(score_a.is_red_flag)
        self.assertTrue(score_b.is_red_flag)
        with self.assertRaises(UserError):
            score_a.with_user(self.user_admin).action_publish_red_flag()
        with self.assertRaises(UserError):
            score_b.with_user(self.user_inspector).action_publish_red_flag()
        score_b.with_user(self.user_admin).action_publish_red_flag()
        self.assertTrue(score_b.red_flag_published)

    def test_cron_and_wizard(self):
        self._inspection(self.staff[0], day=date(2026, 3, 2))
        with freeze_time("2026-04-01 02:00:00"):
            self.env.ref("gov_service_center.ir_cron_points_ledger_month").method_direct_trigger()
        self.assertEqual(self._ledger(self.staff[0]).total, 98)
        self.assertTrue(self.env["gov.service.star"].search([("month", "=", MONTH)]))
        Wizard = self.env["gov.points.compute.wizard"]
        wizard = Wizard.with_user(self.user_admin).create({"month": date(2026, 2, 14)})
        action = wizard.action_compute()
        self.assertEqual(action["domain"], [("month", "=", date(2026, 2, 1))])
        self.assertEqual(len(self.env["gov.points.ledger"].search([("month", "=", date(2026, 2, 1))])), 4)
        with self.assertRaises(UserError):
            Wizard.with_user(self.user_admin).create({"month": date(2099, 1, 1)}).action_compute()
        with self.assertRaises(AccessError):
            Wizard.with_user(self.user_viewer).create({"month": MONTH})


@tagged("post_install", "-at_install")
class TestPointsLedgerPerformance(DisciplineCase):
    """The monthly computation reads and writes in batches: its query count
    does not grow with the number of staff."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Employee = cls.env["hr.employee"]
        cls.many = Employee.create([{"name": f"Perf {i}", "department_id": cls.dept_b.id} for i in range(300)])
        Window = cls.env["gov.service.window"]
        cls.perf_windows = Window.create(
            [
                {"name": f"Perf window {w}", "code": f"PW{w:02d}", "zone_id": cls.zone.id,
                 "department_id": cls.dept_b.id,
                 "employee_ids": [(6, 0, cls.many[w * 10:(w + 1) * 10].ids)]}
                for w in range(30)
            ]
        )
        rule = cls.env.ref("gov_service_center.conduct_rule_phone")
        inspections = cls.env["gov.inspection"].create(
            [{"employee_id": emp.id, "date": date(2026, 3, 1 + i % 28), "rule_id": rule.id}
             for i, emp in enumerate(cls.many[:150])]
        )
        inspections._set_state({"state": "confirmed"})  # no notification noise

    def _count(self, employees):
        Ledger = self.env["gov.points.ledger"]
        Ledger.compute_month(MONTH, employees=employees)  # warm-up: ledgers exist
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        Ledger.compute_month(MONTH, employees=employees)
        return self.cr.sql_log_count - before

    BUDGET = 45

    def test_query_count_bounded(self):
        small = self._count(self.many[:30])
        large = self._count(self.many)
        _logger.info("monthly points of 30 staff: %s queries, of 300 staff: %s queries", small, large)
        self.assertLessEqual(large, self.BUDGET)
        self.assertLessEqual(large, small + 3, "query count grows with the number of staff")
        ledgers = self.env["gov.points.ledger"].search([("month", "=", MONTH), ("employee_id", "in", self.many.ids)])
        self.assertEqual(len(ledgers), 300)
        self.assertEqual(sorted(set(ledgers.mapped("total"))), [98.0, 100.0])

    def test_first_computation_bounded(self):
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        self.env["gov.points.ledger"].compute_month(MONTH, employees=self.many)
        self.assertLessEqual(self.cr.sql_log_count - before, self.BUDGET + 10)

    def test_budget_can_fail(self):
        """A per-employee loop blows the budget: the assertion above is meaningful."""
        Ledger = self.env["gov.points.ledger"]
        Ledger.compute_month(MONTH, employees=self.many)
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        for employee in self.many[:5]:
            Ledger.compute_month(MONTH, employees=employee)
        self.assertGreater(self.cr.sql_log_count - before, self.BUDGET)


@tagged("post_install", "-at_install")
class TestPointsSettings(DisciplineCase):
    def test_settings_and_overview(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual((settings.gov_points_base, settings.gov_points_bonus_cap), (100, 5))
        settings.write({"gov_points_base": 110, "gov_points_bonus_cap": 3})
        settings.execute()
        self.assertEqual(
            self.env["gov.points.ledger"]._get_settings(), {"base": 110.0, "bonus_cap": 3.0}
        )
        # the overview counts in the center's months: use the real previous month
        this_month = date_utils.start_of(center_today(self.env), "month")
        last_month = date_utils.subtract(this_month, months=1)
        self.env["gov.points.ledger"].compute_month(last_month)
        self.env.flush_all()
        value = self.env["gov.center.overview"].search([("metric", "=", "avg_score_last_month")]).value
        self.assertEqual(value, 110)
