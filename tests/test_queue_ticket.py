# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import GovQueueCase


@tagged("post_install", "-at_install")
class TestQueueTicket(GovQueueCase):
    def test_numbers_restart_every_day_per_zone(self):
        with freeze_time("2026-03-10 01:00:00"):
            first, second = self._take(), self._take()
            other = self._take(self.zone_b)
        with freeze_time("2026-03-11 01:00:00"):
            next_day = self._take()
        self.assertEqual((first.name, second.name, other.name, next_day.name),
                         ("A001", "A002", "B001", "A001"))
        with freeze_time("2026-03-11 01:00:00"):
            batch = self.env["gov.queue.ticket"].sudo().create(
                [{"zone_id": self.zone_a.id}, {"zone_id": self.zone_b.id}, {"zone_id": self.zone_a.id}]
            )
        self.assertEqual(batch.mapped("name"), ["A002", "B001", "A003"])
        self.assertEqual(first.hour, 9)  # local time (Asia/Shanghai)
        self.assertNotEqual(first.sudo().access_token, second.sudo().access_token)

    def test_call_next_priority_first_then_order(self):
        with freeze_time("2026-03-10 01:00:00"):
            normal = self._take()
            self._take(self.zone_b)
        with freeze_time("2026-03-10 01:05:00"):
            elderly = self._take(priority="elderly")
        with freeze_time("2026-03-10 01:10:00"):
            Ticket = self.env["gov.queue.ticket"].with_user(self.user_clerk)
            action = Ticket.action_call_next()
            self.assertEqual(action["res_id"], elderly.id)
            Ticket.action_call_next()
            self.assertEqual(normal.state, "called")
            self.assertEqual(normal.window_id, self.window)
            self.assertEqual(normal.employee_id, self.clerk)
            with self.assertRaises(UserError):
                Ticket.action_call_next()  # zone B is not this window's zone

    def test_serve_done_durations_and_rating_url(self):
        with freeze_time("2026-03-10 01:00:00"):
            ticket = self._take()
        with freeze_time("2026-03-10 01:12:00"):
            self.env["gov.queue.ticket"].with_user(self.user_clerk).action_call_next()
        ticket = ticket.with_user(self.user_clerk)
        with freeze_time("2026-03-10 01:13:00"):
            ticket.action_serve()
        with freeze_time("2026-03-10 01:20:30"):
            ticket.action_done()
        self.assertEqual((ticket.wait_minutes, ticket.service_minutes), (12.0, 7.5))
        self.assertTrue(ticket.rating_url.endswith(f"/service-rating?ticket={ticket.sudo().access_token}"))
        with self.assertRaises(UserError):
            ticket.action_skip()
        html = self.env["ir.actions.report"]._render_qweb_html(
            "gov_service_center.action_report_gov_queue_ticket_rating", ticket.ids
        )[0].decode()
        self.assertIn("/report/barcode/?barcode_type=QR", html)
        self.assertIn(ticket.sudo().access_token, html)

    def test_transfer_keeps_the_original_wait(self):
        with freeze_time("2026-03-10 01:00:00"):
            ticket = self._take()
        with freeze_time("2026-03-10 01:05:00"):
            self.env["gov.queue.ticket"].with_user(self.user_clerk).action_call_next()
            ticket.with_user(self.user_clerk).action_serve()
            wizard = self.env["gov.queue.transfer.wizard"].with_user(self.user_clerk).create(
                {"ticket_id": ticket.id, "zone_id": self.zone_b.id}
            )
            wizard.action_transfer()
        self.assertEqual((ticket.state, ticket.zone_id, ticket.window_id.id), ("waiting", self.zone_b, False))
        self.assertEqual(ticket.transfer_count, 1)
        with freeze_time("2026-03-10 01:30:00"):
            self.env["gov.queue.ticket"].action_call_next(self.window_b)
        self.assertEqual(ticket.wait_minutes, 30.0)
        self.assertEqual(ticket.name, "A001")

    def test_skip_and_items(self):
        item = self._create_item(name="Permit")
        self.window.item_ids = item
        with freeze_time("2026-03-10 01:00:00"):
            other_item = self.env["gov.queue.ticket"].sudo().create(
                {"zone_id": self.zone_a.id, "item_id": self._create_item(name="Other").id}
            )
            mine = self.env["gov.queue.ticket"].sudo().create({"zone_id": self.zone_a.id, "item_id": item.id})
            Ticket = self.env["gov.queue.ticket"].with_user(self.user_clerk)
            Ticket.action_call_next()
            self.assertEqual((mine.state, other_item.state), ("called", "waiting"))
            mine.with_user(self.user_clerk).action_skip()
            self.assertEqual(mine.state, "skipped")

    def test_no_window_no_call(self):
        with self.assertRaises(UserError):
            self.env["gov.queue.ticket"].with_user(self.user_internal).action_call_next()

    def test_access(self):
        ticket = self._take()
        with self.assertRaises(AccessError):
            ticket.with_user(self.user_portal).read(["name"])
        with self.assertRaises(AccessError):
            self.env["gov.queue.ticket"].with_user(self.user_clerk).create({"zone_id": self.zone_a.id})
        with self.assertRaises(UserError):
            ticket.with_user(self.user_officer).unlink()
        self.assertEqual(ticket.with_user(self.user_viewer).name, "A001")

    def test_daily_figures_use_stored_durations(self):
        with freeze_time("2026-03-10 01:00:00"):
            tickets = self._take() | self._take() | self._take(self.zone_b)
        rows = self.env["gov.queue.ticket"]._read_group(
            [("id", "in", tickets.ids)], ["zone_id", "hour"], ["__count", "wait_minutes:avg"]
        )
        self.assertEqual(sorted((zone.code, hour, count) for zone, hour, count, _avg in rows),
                         [("QA", 9, 2), ("QB", 9, 1)])


@tagged("post_install", "-at_install")
class TestHallPages(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.zone = cls.env["gov.hall.zone"].create({"name": "Approval Zone", "code": "HZ", "ticket_prefix": "H"})
        cls.window = cls.env["gov.service.window"].create({"name": "Window 9", "code": "H09", "zone_id": cls.zone.id})
        cls.employee = cls.env["hr.employee"].create({"name": "Secret Clerk Name", "gov_window_id": cls.window.id})

    def _csrf(self):
        page = self.url_open("/hall/ticket")
        self.assertEqual(page.status_code, 200)
        marker = 'name="csrf_token" value="'
        start = page.text.index(marker) + len(marker)
        return page.text[start:page.text.index('"', start)]

    def _count(self):
        return self.env["gov.queue.ticket"].sudo().search_count([])

    def test_kiosk_takes_a_ticket(self):
        page = self.url_open("/hall/ticket")
        self.assertIn("Approval Zone", page.text)
        response = self.url_open("/hall/ticket", data={
            "csrf_token": self._csrf(), "zone": str(self.zone.id), "priority": "elderly",
        })
        self.assertEqual(response.status_code, 200)
        self.assertIn("H001", response.text)
        ticket = self.env["gov.queue.ticket"].sudo().search([])
        self.assertEqual((ticket.name, ticket.priority), ("H001", "elderly"))

    @mute_logger("odoo.http")
    def test_bad_posts_write_nothing(self):
        token = self._csrf()
        for data in (
            {"csrf_token": token},
            {"csrf_token": token, "zone": "abc"},
            {"csrf_token": token, "zone": "99999999999999"},
            {"csrf_token": token, "zone": "-1"},
            {"csrf_token": token, "zone": "1\x00"},
            {"csrf_token": token, "zone": "0"},
            {"zone": str(self.zone.id)},  # no CSRF token
        ):
            with self.subTest(data=data):
                response = self.url_open("/hall/ticket", data=data)
                self.assertGreaterEqual(response.status_code, 400)
                self.assertLess(response.status_code, 500)
                self.assertNotIn("Traceback", response.text)
        # an unknown priority falls back to normal
        response = self.url_open("/hall/ticket", data={
            "csrf_token": token, "zone": str(self.zone.id), "priority": "vip", "name": "injected",
        })
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.env["gov.queue.ticket"].sudo().search([]).priority, "normal")
        self.assertEqual(self._count(), 1)

    def test_display_shows_no_personal_data(self):
        ticket = self.env["gov.queue.ticket"].sudo().create({"zone_id": self.zone.id})
        ticket.with_user(self.env.ref("base.user_admin"))._gov_call(self.window)
        ticket.employee_id = self.employee
        response = self.url_open("/hall/display")
        self.assertEqual(response.status_code, 200)
        self.assertIn("H001", response.text)
        self.assertIn("H09", response.text)
        self.assertNotIn("Secret Clerk Name", response.text)
        self.assertNotIn(ticket.access_token, response.text)
