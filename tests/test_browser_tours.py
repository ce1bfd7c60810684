# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The main flows in Chromium (tours of static/tests/tours): a citizen asks a
question on /consultation and follows it with its query code, a citizen
applies online for an item and follows the case on /cases/track, a citizen rates
the service from the QR link of a served ticket, a clerk answers a
consultation and records a decision on an approval item."""
from odoo.tests import HttpCase, new_test_user, tagged

from ..models.gov_settings import param_key


@tagged("post_install", "-at_install", "gsc_browser")
class TestBrowserTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        # the form guard takes a form sent within the minimum fill time for a
        # robot's: a tour types faster than a citizen
        env["ir.config_parameter"].set_param(param_key("form_min_fill_seconds"), "0")
        cls.department = env["hr.department"].create(
            {"name": "GscTour Housing Bureau", "gov_code": "GTH", "gov_is_stationed": True}
        )
        cls.clerk = new_test_user(
            env, "gsc_tour_clerk", groups="gov_service_center.group_gov_officer",
            name="GscTour Clerk",
        )
        cls.clerk.gov_department_ids = cls.department
        if "tour_enabled" in env["res.users"]._fields:
            cls.clerk.tour_enabled = False

    def test_consultation_ask_and_track(self):
        self.start_tour("/consultation", "gov_consultation_ask_and_track")
        consultation = self.env["gov.consultation"].sudo().search(
            [("name", "=", "How to register a property")]
        )
        self.assertEqual(len(consultation), 1)
        self.assertEqual(consultation.department_id, self.department)
        self.assertEqual(consultation.contact_phone, "13812345678")

    def test_service_rating_from_ticket(self):
        zone = self.env["gov.hall.zone"].create(
            {"name": "GscTour Zone", "code": "GTZ", "ticket_prefix": "G"}
        )
        employee = self.env["hr.employee"].create(
            {"name": "GscTour Window Clerk", "department_id": self.department.id}
        )
        window = self.env["gov.service.window"].create(
            {"name": "GscTour Window", "code": "GT-01", "zone_id": zone.id,
             "department_id": self.department.id, "employee_ids": [(6, 0, employee.ids)]}
        )
        ticket = self.env["gov.queue.ticket"].sudo().create({"zone_id": zone.id})
        ticket.write({"window_id": window.id, "employee_id": employee.id, "state": "done"})
        url = ticket._gov_rating_url()
        self.assertTrue(url)
        self.start_tour(url.removeprefix(ticket.get_base_url()), "gov_service_rating_from_ticket")
        rating = self.env["gov.service.rating"].sudo().search([("ticket_id", "=", ticket.id)])
        self.assertEqual(len(rating), 1)
        self.assertEqual(rating.window_id, window)
        self.assertEqual(rating.employee_id, employee)
        self.assertEqual(rating.comment, "Quick and friendly.")
        self.assertTrue(rating.indicator_ids)

    def test_clerk_answers_consultation(self):
        consultation = self.env["gov.consultation"].create({
            "name": "GscTour Parking permit",
            "question": "Where do I apply for a GscTour parking permit?",
            "contact_name": "Wang Wu",
            "contact_phone": "13900002222",
            "department_id": self.department.id,
        })
        self.start_tour(
            f"/odoo/action-gov_service_center.gov_consultation_action/{consultation.id}",
            "gov_consultation_answer", login=self.clerk.login,
        )
        self.assertEqual(consultation.state, "answered")
        self.assertIn("vehicle licence", consultation.answer)

    def test_clerk_records_decision(self):
        item = self.env["gov.approval.item"].create({
            "name": "GscTour Outdoor Advertising Permit", "department_id": self.department.id,
            "item_type": "licensing", "statutory_days": 20, "promised_days": 10,
        })
        item.apply_decision("added", "GscTour Decision No. 1 (2026)", "2026-01-05")
        self.assertEqual(item.state, "active")
        self.start_tour(
            f"/odoo/action-gov_service_center.gov_approval_item_action/{item.id}",
            "gov_approval_item_decision", login=self.clerk.login,
        )
        self.assertEqual(item.state, "suspended")
        change = self.env["gov.approval.item.change"].search([("item_id", "=", item.id)])
        self.assertIn("suspended", change.mapped("change_type"))
        self.assertIn("GscTour Decision No. 7 of 2026", change.mapped("decision_ref"))

    def test_case_apply_online_and_track(self):
        item = self.env["gov.approval.item"].create({
            "name": "GscTour Shop Sign Permit", "department_id": self.department.id,
            "item_type": "licensing", "statutory_days": 20, "promised_days": 10,
            "online_available": True,
            "material_ids": [
                (0, 0, {"name": "GscTour Application Form", "requirement": "required"}),
                (0, 0, {"name": "GscTour Sign Drawing", "requirement": "required"}),
                (0, 0, {"name": "GscTour Photos", "requirement": "optional"}),
            ],
        })
        item.apply_decision("added", "GscTour Decision No. 2 (2026)", "2026-01-05")
        item.is_published = True
        portal = new_test_user(
            self.env, "gsc_tour_citizen", groups="base.group_portal", name="GscTour Citizen",
        )
        self.start_tour(item.website_url, "gov_case_apply_and_track", login=portal.login)
        case = self.env["gov.case"].sudo().search([("item_id", "=", item.id)])
        self.assertEqual(len(case), 1)
        self.assertEqual(case.partner_id, portal.partner_id)
        self.assertEqual(case.channel, "online")
        self.assertEqual(case.state, "submitted")
        self.assertEqual(case.applicant_name, "GscTour Applicant")
        self.assertEqual(case.applicant_id_number, "11010519491231002X")
        self.assertEqual(case.contact_phone, "13812340021")
        required = case.material_line_ids.filtered(lambda line: line.requirement == "required")
        self.assertEqual(set(required.mapped("state")), {"received"})
        self.assertTrue(all(line.attachment_ids for line in required))
        optional = case.material_line_ids - required
        self.assertEqual(optional.mapped("state"), ["missing"])
