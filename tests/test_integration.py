# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The capabilities working together: the points ledger fed by attendance,
inspections and service ratings; a rating given from a queue ticket."""
from datetime import date, datetime

from odoo.tests import HttpCase, TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestLedgerCauseProviders(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        department = cls.env["hr.department"].create({"name": "Integration Bureau"})
        zone = cls.env["gov.hall.zone"].create(
            {"name": "Integration zone", "code": "INTZ", "ticket_prefix": "Z"}
        )
        cls.employee = cls.env["hr.employee"].create(
            {"name": "Integration clerk", "department_id": department.id}
        )
        cls.window = cls.env["gov.service.window"].create(
            {
                "name": "Integration window",
                "code": "INT-01",
                "zone_id": zone.id,
                "department_id": department.id,
                "employee_ids": [(6, 0, cls.employee.ids)],
            }
        )
        cls.month = date(2026, 3, 1)

    def test_three_sources_in_one_ledger(self):
        self.env["gov.attendance.day"].create(
            {
                "employee_id": self.employee.id,
                "date": date(2026, 3, 3),
                "result": "late",
                "late_minutes": 5,
            }
        )
        inspection = self.env["gov.inspection"].create(
            {
                "employee_id": self.employee.id,
                "window_id": self.window.id,
                "date": date(2026, 3, 4),
                "points": 3,
                "description": "Left the window unattended",
                "inspector_id": self.env.user.id,
            }
        )
        inspection.action_confirm()
        self.env["gov.service.rating"].create(
            {
                "level": 1,
                "channel": "hall_qr",
                "employee_id": self.employee.id,
                "window_id": self.window.id,
                "date": datetime(2026, 3, 5, 3, 0, 0),
            }
        )
        ledger = self.env["gov.points.ledger"].compute_month(self.month, self.employee)
        self.assertEqual(len(ledger), 1)
        sources = set(ledger.line_ids.mapped("res_model"))
        self.assertEqual(
            sources, {"gov.attendance.day", "gov.inspection", "gov.service.rating"}
        )
        self.assertLess(ledger.total, ledger.base)
        # recomputing gives the same lines, not twice as many
        count = len(ledger.line_ids)
        self.env["gov.points.ledger"].compute_month(self.month, self.employee)
        self.assertEqual(len(ledger.line_ids), count)


@tagged("post_install", "-at_install")
class TestRatingFromTicket(HttpCase):
    def test_rating_page_links_the_ticket(self):
        zone = self.env["gov.hall.zone"].create(
            {"name": "Ticket zone", "code": "TKZ", "ticket_prefix": "T"}
        )
        employee = self.env["hr.employee"].create({"name": "Ticket clerk"})
        window = self.env["gov.service.window"].create(
            {"name": "Ticket window", "code": "TK-01", "zone_id": zone.id,
             "employee_ids": [(6, 0, employee.ids)]}
        )
        ticket = self.env["gov.queue.ticket"].create({"zone_id": zone.id})
        ticket.sudo().write({"window_id": window.id, "employee_id": employee.id, "state": "done"})
        self.assertTrue(ticket.access_token)
        response = self.url_open(f"/service-rating?ticket={ticket.access_token}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(window.name, response.text)
        response = self.url_open("/service-rating?ticket=not-a-real-token")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Traceback", response.text)
