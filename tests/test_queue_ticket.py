# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import threading
from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time
from lxml import etree

from odoo import SUPERUSER_ID, Command, api
from odoo.api import Transaction, call_kw
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import retrying
from odoo.modules.registry import DummyRLock, Registry
from odoo.tests import BaseCase, HttpCase, get_db_name, new_test_user, tagged
from odoo.tools import mute_logger

from ..models.gov_device_token_mixin import GovDeviceTokenMixin
from ..models.gov_hall_kiosk import KIOSK_COOKIE
from ..models.gov_queue_ticket import GovQueueTicket
from .common import GovQueueCase, PublicFormMixin


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
        self.assertTrue(ticket.sudo().rating_url.endswith(f"/service-rating?ticket={ticket.sudo().access_token}"))
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
class TestWindowConsole(GovQueueCase):
    """The view the console menu opens calls the next ticket for the user's window."""

    def _default_view_call_next(self, user):
        action = self.env.ref("gov_service_center.gov_queue_ticket_action_console")
        self.assertEqual(self.env.ref("gov_service_center.menu_gov_queue_console").action, action)
        view_type = action.view_mode.split(",")[0]
        Ticket = self.env["gov.queue.ticket"].with_user(user)
        arch = etree.fromstring(Ticket.get_views([(False, view_type)])["views"][view_type]["arch"])
        buttons = arch.xpath("/*/header/button[@type='object'][@string='Call Next']")
        self.assertEqual(len(buttons), 1, f"no Call Next button in the {view_type} view")
        self.assertEqual(buttons[0].get("display"), "always")
        return Ticket, buttons[0].get("name")

    def test_default_view_calls_the_next_ticket_of_the_users_window(self):
        staff_user = new_test_user(self.env, "gsc_console_staff", groups="base.group_user")
        staff = self.env["hr.employee"].create({"name": "Console Staff", "user_id": staff_user.id})
        self.window.employee_ids = [Command.link(staff.id)]
        Ticket, method = self._default_view_call_next(staff_user)
        with freeze_time("2026-03-10 01:00:00"):
            other_zone = self._take(self.zone_b)
            first, second = self._take(), self._take()
        # the console shows the tickets of the window's zone, with the names
        # of their zone and window, to a plain internal user
        rows = Ticket.web_search_read(
            [("date", "=", "2026-03-10")],
            {"name": {}, "state": {}, "zone_id": {"fields": {"display_name": {}}},
             "window_id": {"fields": {"display_name": {}}}},
        )["records"]
        self.assertEqual(sorted(row["name"] for row in rows), ["A001", "A002"])
        self.assertEqual(rows[0]["zone_id"]["display_name"], self.zone_a.display_name)
        with freeze_time("2026-03-10 01:05:00"):
            # the web client passes the ids of the tickets on screen, as for a
            # header button: the call is the same whatever they are
            shown = Ticket.search([("date", "=", "2026-03-10")])
            self.assertIn(first, shown)
            action = call_kw(Ticket, method, [shown.ids], {})
            self.assertEqual(action["res_id"], first.id)
            action = call_kw(Ticket, method, [[]], {})
            self.assertEqual(action["res_id"], second.id)
        self.assertEqual((first.state, first.window_id, first.employee_id), ("called", self.window, staff))
        self.assertEqual(second.state, "called")
        self.assertEqual(other_zone.state, "waiting")
        with freeze_time("2026-03-10 01:06:00"), self.assertRaises(UserError):
            call_kw(Ticket, method, [[]], {})  # nobody else waits in this window's zone

    def test_default_view_without_a_window_explains(self):
        Ticket, method = self._default_view_call_next(self.user_internal)
        with self.assertRaisesRegex(UserError, "not assigned to a service window"):
            call_kw(Ticket, method, [[]], {})

    def test_list_view_button_calls_for_the_users_window(self):
        Ticket = self.env["gov.queue.ticket"].with_user(self.user_clerk)
        arch = etree.fromstring(Ticket.get_views([(False, "list")])["views"]["list"]["arch"])
        (button,) = arch.xpath("/list/header/button[@string='Call Next']")
        with freeze_time("2026-03-10 01:00:00"):
            ticket = self._take()
            call_kw(Ticket, button.get("name"), [[ticket.id]], {})
        self.assertEqual((ticket.state, ticket.employee_id), ("called", self.clerk))


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

    @mute_logger("odoo.http")
    def test_large_body_refused_before_parsing(self):
        response = self.url_open("/hall/ticket", data={
            "csrf_token": self._csrf(), "zone": str(self.zone.id), "filler": "x" * 100_000,
        })
        self.assertEqual(response.status_code, 413)
        self.assertNotIn("Traceback", response.text)
        self.assertEqual(self._count(), 0)

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


@tagged("post_install", "-at_install")
class TestQueueTicketSecurity(GovQueueCase):
    """Tickets change only through the console's actions; tokens are for
    administrators; a ticket is rated once done."""

    def _served(self):
        ticket = self._take()
        self.env["gov.queue.ticket"].with_user(self.user_clerk).action_call_next()
        ticket.with_user(self.user_clerk).action_done()
        return ticket

    def test_plain_users_cannot_read_tokens_nor_write(self):
        ticket = self._take()
        for user in (self.user_internal, self.user_clerk, self.user_viewer, self.user_officer):
            as_user = ticket.with_user(user)
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    as_user.read(["access_token"])
                with self.assertRaises(AccessError):
                    as_user.read(["rating_url"])
                for vals in ({"state": "done"}, {"window_id": self.window_b.id},
                             {"priority": "elderly"}):
                    with self.assertRaises(AccessError):
                        as_user.write(vals)
        self.assertEqual((ticket.state, ticket.priority, ticket.window_id.id), ("waiting", "normal", False))
        with self.assertRaises(AccessError):
            self.env["gov.queue.ticket"].with_user(self.user_internal).search_read(
                [], ["name", "access_token"]
            )
        self.assertTrue(ticket.with_user(self.user_admin).access_token)

    def test_record_rules(self):
        mine, other = self._take(), self._take(self.zone_b)
        Ticket = self.env["gov.queue.ticket"]
        self.assertEqual(Ticket.with_user(self.user_clerk).search([("id", "in", (mine | other).ids)]), mine)
        self.assertFalse(Ticket.with_user(self.user_internal).search([("id", "in", (mine | other).ids)]))
        self.assertEqual(Ticket.with_user(self.user_viewer).search_count([("id", "in", (mine | other).ids)]), 2)
        # moved to a window of zone B: the clerk now sees zone B's queue
        self.clerk.gov_window_id = self.window_b
        self.assertEqual(Ticket.with_user(self.user_clerk).search([("id", "in", (mine | other).ids)]), other)

    def test_actions_check_the_callers_window(self):
        other_user = new_test_user(self.env, "gsc_clerk_b", groups="base.group_user")
        self.env["hr.employee"].create(
            {"name": "Clerk B", "user_id": other_user.id, "gov_window_id": self.window_b.id}
        )
        ticket = self._take()
        # a clerk of another zone cannot even read it, nor call for another window
        with self.assertRaises(AccessError):
            ticket.with_user(other_user).action_serve()
        with self.assertRaises(AccessError):
            self.env["gov.queue.ticket"].with_user(other_user).action_call_next(self.window.id)
        with self.assertRaises(UserError):  # no window: no console
            ticket.with_user(self.user_internal).action_skip()
        self.env["gov.queue.ticket"].with_user(self.user_clerk).action_call_next()
        # once transferred to zone B the ticket is visible to B, still held by window 1
        ticket.with_user(self.user_clerk).action_transfer(self.zone_b)
        self.assertEqual((ticket.state, ticket.zone_id), ("waiting", self.zone_b))
        self.env["gov.queue.ticket"].with_user(other_user).action_call_next()
        self.assertEqual((ticket.state, ticket.window_id), ("called", self.window_b))
        with self.assertRaises(AccessError):
            ticket.with_user(self.user_clerk).action_done()
        ticket.with_user(other_user).action_done()
        self.assertEqual(ticket.state, "done")

    def test_only_done_tickets_are_rated(self):
        Rating = self.env["gov.service.rating"].sudo()
        served = self._served()
        waiting = self._take()
        with self.assertRaises(ValidationError):
            Rating.create({"level": 5, "channel": "hall_qr", "ticket_id": waiting.id})
        rating = Rating.create({"level": 5, "channel": "hall_qr", "ticket_id": served.id})
        self.assertEqual(rating.ticket_id, served)

    def test_rating_url_and_slips_for_several_tickets(self):
        tickets = self._served() | self._served() | self._take()
        admin_tickets = tickets.with_user(self.user_admin)
        urls = admin_tickets.mapped("rating_url")
        self.assertEqual(len(set(urls)), 3)
        for ticket, url in zip(tickets, urls):
            self.assertTrue(url.endswith(f"/service-rating?ticket={ticket.sudo().access_token}"))
        html = self.env["ir.actions.report"].with_user(self.user_clerk)._render_qweb_html(
            "gov_service_center.action_report_gov_queue_ticket_rating", tickets.ids
        )[0].decode()
        for ticket in tickets[:2]:
            self.assertIn(ticket.sudo().access_token, html)
        # the ticket still waiting gets no rating link
        self.assertNotIn(tickets[2].sudo().access_token, html)
        self.assertEqual(html.count("/report/barcode/?barcode_type=QR"), 2)


@tagged("post_install", "-at_install")
class TestRatingTicketState(PublicFormMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.zone = cls.env["gov.hall.zone"].create({"name": "Rating Zone", "code": "RZ", "ticket_prefix": "R"})
        cls.window = cls.env["gov.service.window"].create({"name": "Window R", "code": "R01", "zone_id": cls.zone.id})
        cls.env["ir.config_parameter"].set_param("gov_service_center.form_min_fill_seconds", "0")

    def test_rating_a_waiting_ticket_is_refused(self):
        ticket = self.env["gov.queue.ticket"].sudo().create({"zone_id": self.zone.id})
        url = f"/service-rating?ticket={ticket.access_token}"
        response = self.url_open(url)
        self.assertEqual(response.status_code, 409)
        self.assertIn("o_gov_service_rating_not_served", response.text)
        # a form filled from another page cannot rate the waiting ticket either
        response = self.post_public_form(
            "/service-rating", {"ticket": ticket.access_token, "level": "1"},
            form_url="/service-rating?window=R01",
        )
        self.assertEqual(response.status_code, 409)
        self.assertIn("o_gov_service_rating_not_served", response.text)
        self.assertFalse(self.env["gov.service.rating"].sudo().search_count(
            [("ticket_id", "=", ticket.id)]
        ))
        self.env["gov.queue.ticket"].action_call_next(self.window)
        ticket.action_done()
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Window R", response.text)


@tagged("post_install", "-at_install")
class TestHallKiosk(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.zone = cls.env["gov.hall.zone"].create({"name": "Kiosk Zone", "code": "KZ", "ticket_prefix": "K"})

    def _csrf(self):
        page = self.url_open("/hall/ticket")
        marker = 'name="csrf_token" value="'
        start = page.text.index(marker) + len(marker)
        return page.text[start:page.text.index('"', start)]

    def _take(self, priority="normal"):
        return self.url_open("/hall/ticket", data={
            "csrf_token": self._csrf(), "zone": str(self.zone.id), "priority": priority,
        })

    def _tickets(self):
        return self.env["gov.queue.ticket"].sudo().search([("zone_id", "=", self.zone.id)])

    def _register(self, **vals):
        tokens = []
        original = GovDeviceTokenMixin._gov_new_token

        def keep(kiosk):
            tokens.append(original(kiosk))
            return tokens[-1]

        with patch.object(GovDeviceTokenMixin, "_gov_new_token", keep):
            kiosk = self.env["gov.hall.kiosk"].create({"code": "K9", "name": "Entrance", **vals})
        return kiosk, tokens[0]

    def test_anonymous_takes_are_limited(self):
        self.assertEqual(self._take("elderly").status_code, 200)
        with mute_logger("odoo.http"):
            refused = self._take("disabled")
        self.assertEqual(refused.status_code, 429)
        self.assertNotIn("Traceback", refused.text)
        self.assertEqual(self._take().status_code, 200)
        self.assertEqual(self._take().status_code, 200)
        with mute_logger("odoo.http"):
            self.assertEqual(self._take().status_code, 429)
        tickets = self._tickets()
        self.assertEqual(len(tickets), 3)
        self.assertEqual(len(tickets.filtered("is_priority")), 1)
        self.assertFalse(tickets.kiosk_id)

    def test_ticket_does_not_make_forms_ask_the_captcha(self):
        self.assertEqual(self._take().status_code, 200)
        page = self.url_open("/consultation")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn('name="gov_captcha"', page.text)

    def test_registered_kiosk_is_not_limited(self):
        kiosk, token = self._register()
        self.assertNotEqual(kiosk.sudo().token_hash, token)
        self.assertNotIn(token, kiosk.sudo().token_hash)
        response = self.url_open(f"/hall/ticket?kiosk={token}", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.opener.cookies.get(KIOSK_COOKIE), token)
        for priority in ("normal", "elderly", "disabled", "normal", "elderly", "normal"):
            self.assertEqual(self._take(priority).status_code, 200)
        tickets = self._tickets()
        self.assertEqual(len(tickets), 6)
        self.assertEqual(tickets.kiosk_id, kiosk)
        self.assertEqual(kiosk.ticket_count, 6)
        # a new link: the old token stops working
        kiosk.action_regenerate_token()
        with mute_logger("odoo.http"):
            for _i in range(3):
                self._take()
            self.assertEqual(self._take().status_code, 429)

    def test_bad_setup_link(self):
        self._register()
        with mute_logger("odoo.http"):
            for token in ("wrong-token", "", "x" * 300):
                with self.subTest(token=token[:10]):
                    response = self.url_open(f"/hall/ticket?kiosk={token}", allow_redirects=False)
                    self.assertEqual(response.status_code, 403)
                    self.assertFalse(self.opener.cookies.get(KIOSK_COOKIE))

    def test_address_allow_list(self):
        with self.assertRaises(ValidationError):
            self._register(allowed_ips="10.0.0.1, not-an-address")
        kiosk, _token = self._register(allowed_ips="10.9.9.9, 127.0.0.0/8")
        for _i in range(5):
            self.assertEqual(self._take("elderly").status_code, 200)
        self.assertEqual(self._tickets().kiosk_id, kiosk)


@tagged("post_install", "-at_install")
class TestQueueNumberingConcurrency(BaseCase):
    """Tickets taken at the same moment from independent transactions get
    consecutive numbers (committed data, cleaned up afterwards)."""

    THREADS = 8

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            cr.transaction = Transaction(self.registry)
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.zone_id = env["gov.hall.zone"].create(
                {"name": "Concurrent Zone", "code": "GSCCONC", "ticket_prefix": "Z"}
            ).id
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM gov_queue_ticket WHERE zone_id = %s", [self.zone_id])
            cr.execute("DELETE FROM gov_hall_zone WHERE id = %s", [self.zone_id])

    def test_concurrent_takes_get_consecutive_numbers(self):
        barrier = threading.Barrier(self.THREADS)
        numbers, errors = [], []

        def take():
            try:
                with self.registry.cursor() as cr:
                    # bound to the registry directly: the test runner holds the registry lock
                    cr.transaction = Transaction(self.registry)
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    cr.execute("SELECT 1")  # the transaction's snapshot starts here
                    barrier.wait(timeout=30)

                    def create():
                        return env["gov.queue.ticket"].create({"zone_id": self.zone_id}).sequence_number

                    numbers.append(retrying(create, env))
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(repr(exc))

        # the test runner holds the registry lock: let the threads' environments be built
        self.patch(Registry, "_lock", DummyRLock())
        threads = [threading.Thread(target=take, daemon=True) for _i in range(self.THREADS)]
        utc, local = datetime(2026, 3, 10, 2, 0), datetime(2026, 3, 10, 10, 0)
        with patch.object(GovQueueTicket, "_gov_local_now", lambda _self: (utc, local)), \
                mute_logger("odoo.service.model", "odoo.sql_db"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
        self.assertEqual(errors, [])
        self.assertEqual(sorted(numbers), list(range(1, self.THREADS + 1)))
