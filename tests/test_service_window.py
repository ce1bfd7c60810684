# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import SQL

from ..models.gov_service_window import LEGACY_STAFF_TABLE, migrate_legacy_staff_links
from .common import GovServiceCenterCase


@tagged("post_install", "-at_install")
class TestWindowStaffLink(GovServiceCenterCase):
    """The staff of a window and the window of an employee are one link."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.zone = cls.env["gov.hall.zone"].create(
            {"name": "Staff Zone", "code": "SZ", "ticket_prefix": "S"}
        )
        Window = cls.env["gov.service.window"]
        cls.window_a = Window.create({"name": "Staff A", "code": "SW01", "zone_id": cls.zone.id})
        cls.window_b = Window.create({"name": "Staff B", "code": "SW02", "zone_id": cls.zone.id})
        Employee = cls.env["hr.employee"]
        cls.emp_1, cls.emp_2, cls.emp_3 = Employee.create(
            [{"name": "Staff One"}, {"name": "Staff Two"}, {"name": "Staff Three"}]
        )

    def test_staff_set_on_the_window_is_the_employees_window(self):
        self.window_a.employee_ids = [Command.set((self.emp_1 | self.emp_2).ids)]
        self.assertEqual(self.emp_1.gov_window_id, self.window_a)
        self.assertEqual(self.emp_2.gov_window_id, self.window_a)
        self.assertFalse(self.emp_3.gov_window_id)
        # an employee works at one window: adding them elsewhere moves them
        self.window_b.employee_ids = [Command.link(self.emp_2.id)]
        self.assertEqual(self.emp_2.gov_window_id, self.window_b)
        self.assertEqual(self.window_a.employee_ids, self.emp_1)
        # removing an employee from the staff clears their window, keeps them
        self.window_a.employee_ids = [Command.unlink(self.emp_1.id)]
        self.assertFalse(self.emp_1.gov_window_id)
        self.assertTrue(self.emp_1.exists())
        self.assertFalse(self.window_a.employee_ids)

    def test_window_set_on_the_employee_is_in_the_staff(self):
        self.emp_3.gov_window_id = self.window_b
        self.assertEqual(self.window_b.employee_ids, self.emp_3)
        self.assertEqual(
            self.env["gov.service.window"].search([("employee_ids", "in", self.emp_3.ids)]),
            self.window_b,
        )
        self.emp_3.gov_window_id = self.window_a
        self.assertFalse(self.window_b.employee_ids)
        self.assertEqual(self.window_a.employee_ids, self.emp_3)
        # created with a window
        emp_4 = self.env["hr.employee"].create({"name": "Staff Four", "gov_window_id": self.window_a.id})
        self.assertEqual(self.window_a.employee_ids, self.emp_3 | emp_4)

    def test_window_form_adds_and_removes_staff(self):
        admin = new_test_user(
            self.env, "gsc_window_admin", groups="gov_service_center.group_gov_admin"
        )
        with Form(self.window_a.with_user(admin)) as form:
            form.employee_ids.add(self.emp_1)
            form.employee_ids.add(self.emp_2)
        self.assertEqual((self.emp_1 | self.emp_2).gov_window_id, self.window_a)
        with Form(self.window_a.with_user(admin)) as form:
            form.employee_ids.remove(id=self.emp_1.id)
        self.assertFalse(self.emp_1.gov_window_id)
        self.assertEqual(self.window_a.employee_ids, self.emp_2)

    def test_staff_added_on_the_window_can_call_tickets(self):
        """The console finds the window of a clerk added to the window's staff."""
        user = new_test_user(self.env, "gsc_window_clerk", groups="base.group_user")
        self.emp_1.user_id = user
        self.window_a.employee_ids = [Command.link(self.emp_1.id)]
        with freeze_time("2026-03-10 01:00:00"):
            ticket = self.env["gov.queue.ticket"].sudo().create({"zone_id": self.zone.id})
            self.env["gov.queue.ticket"].with_user(user).action_call_next()
        self.assertEqual((ticket.state, ticket.window_id, ticket.employee_id),
                         ("called", self.window_a, self.emp_1))

    def test_inspection_takes_the_employees_window(self):
        self.window_b.employee_ids = [Command.link(self.emp_3.id)]
        rule = self.env.ref("gov_service_center.conduct_rule_phone")
        inspection = self.env["gov.inspection"].create(
            {"employee_id": self.emp_3.id, "date": "2026-03-10", "rule_id": rule.id}
        )
        self.assertEqual(inspection.window_id, self.window_b)
        # a later move does not rewrite the finding
        self.emp_3.gov_window_id = self.window_a
        self.assertEqual(inspection.window_id, self.window_b)

    def test_points_ledger_staff_follow_the_employees_window(self):
        self.window_a.employee_ids = [Command.set((self.emp_1 | self.emp_2).ids)]
        self.emp_3.gov_window_id = self.window_b
        staff = self.env["gov.points.ledger"]._get_window_staff()
        self.assertEqual(
            {key: staff[key] for key in (self.emp_1 | self.emp_2 | self.emp_3).ids},
            {self.emp_1.id: self.window_a.id, self.emp_2.id: self.window_a.id,
             self.emp_3.id: self.window_b.id},
        )

    def test_legacy_staff_lists_are_carried_over(self):
        """Upgrade: the staff lists of the former many2many table become the
        employees' window, without overwriting a window already set."""
        cr = self.env.cr
        self.env.flush_all()
        cr.execute(SQL(
            "CREATE TABLE %s (window_id integer NOT NULL, employee_id integer NOT NULL)",
            SQL.identifier(LEGACY_STAFF_TABLE),
        ))
        self.emp_3.gov_window_id = self.window_b
        emp_4 = self.env["hr.employee"].create({"name": "Staff Four"})
        self.env.flush_all()
        rows = [
            (self.window_a.id, self.emp_1.id),
            (self.window_a.id, self.emp_2.id),
            (self.window_b.id, self.emp_2.id),  # listed at two windows: the oldest wins
            (self.window_a.id, self.emp_3.id),  # has a window of their own: kept
            (self.window_b.id, self.emp_3.id),
            (self.window_b.id, emp_4.id),
        ]
        for window_id, employee_id in rows:
            cr.execute(SQL(
                "INSERT INTO %s (window_id, employee_id) VALUES (%s, %s)",
                SQL.identifier(LEGACY_STAFF_TABLE), window_id, employee_id,
            ))
        with self.assertLogs("odoo.addons.gov_service_center.models.gov_service_window", "WARNING"):
            updated, conflicts = migrate_legacy_staff_links(cr)
        self.env.invalidate_all()
        self.assertEqual(updated, 3)
        self.assertEqual(
            sorted(conflicts),
            sorted([(self.emp_2.id, self.window_b.id), (self.emp_3.id, self.window_a.id)]),
        )
        self.assertEqual(self.window_a.employee_ids, self.emp_1 | self.emp_2)
        self.assertEqual(self.window_b.employee_ids, self.emp_3 | emp_4)
        # the old table is left as it was
        cr.execute(SQL("SELECT COUNT(*) FROM %s", SQL.identifier(LEGACY_STAFF_TABLE)))
        self.assertEqual(cr.fetchone()[0], len(rows))

    def test_no_legacy_table_nothing_to_do(self):
        self.assertEqual(migrate_legacy_staff_links(self.env.cr), (0, []))
