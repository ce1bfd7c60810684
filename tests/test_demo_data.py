# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Demo data: the users of each role and the generators of the hall's and
the consultations' yearly figures (the tests run without demo data: the
generators run on fixtures, the demo files are read as files)."""
import re
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged

from .common import GovServiceCenterCase

MODULE = "gov_service_center"
CJK_RE = re.compile(r"^[\u4e00-\u9fff]{2,4}$")


def _demo_tree(name):
    return etree.parse(f"{get_module_path(MODULE)}/demo/{name}")


def _fields(record):
    return {field.get("name"): field for field in record.findall("field")}


@tagged("post_install", "-at_install")
class TestDemoUsers(TransactionCase):
    """One demo user per role, in Chinese and on Beijing time, listed in the README."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tree = _demo_tree("res_users_demo.xml")
        cls.users = {}
        for record in cls.tree.xpath("//record[@model='res.users']"):
            if "." not in record.get("id"):  # base.user_admin: completed, see below
                cls.users[record.get("id")] = _fields(record)
        cls.partners = {
            record.get("id"): _fields(record)
            for record in cls.tree.xpath("//record[@model='res.partner']")
        }
        cls.employees = {}
        for path in ("gov_attendance_demo.xml", "res_users_demo.xml"):
            for record in _demo_tree(path).xpath("//record[@model='hr.employee']"):
                cls.employees.setdefault(record.get("id"), {}).update(_fields(record))

    def _name(self, fields):
        if "name" in fields:
            return fields["name"].text
        return self.partners[fields["partner_id"].get("ref")]["name"].text

    def _groups(self, fields):
        """Groups given to a user, as full identifiers."""
        refs = re.findall(r"ref\('([\w.]+)'\)", fields["groups_id"].get("eval"))
        return {ref if "." in ref else f"{MODULE}.{ref}" for ref in refs}

    def _user_employee(self, xmlid):
        return [
            (emp_id, fields) for emp_id, fields in self.employees.items()
            if "user_id" in fields and fields["user_id"].get("ref") == xmlid
        ]

    def test_every_user_is_chinese_on_beijing_time(self):
        self.assertTrue(self.users)
        for xmlid, fields in self.users.items():
            with self.subTest(user=xmlid):
                self.assertRegex(self._name(fields), CJK_RE)
                self.assertEqual(fields["lang"].text, "zh_CN")
                self.assertEqual(fields["tz"].text, "Asia/Shanghai")
                self.assertEqual(fields["login"].text, fields["password"].text)
        admin = self.tree.xpath("//record[@id='base.user_admin']")
        self.assertEqual(len(admin), 1)
        admin_fields = _fields(admin[0])
        self.assertEqual((admin_fields["lang"].text, admin_fields["tz"].text),
                         ("zh_CN", "Asia/Shanghai"))
        # the language exists before the users get it
        activation = self.tree.xpath("//function[@model='res.lang'][@name='_activate_lang']")
        self.assertTrue(activation)
        self.assertEqual(activation[0].get("eval"), "[[], 'zh_CN']")  # no ids, then the code

    def test_one_user_per_role(self):
        groups = {xmlid: self._groups(fields) for xmlid, fields in self.users.items()}
        expected = {
            "user_frontdesk_demo": f"{MODULE}.group_gov_viewer",
            "user_officer_demo": f"{MODULE}.group_gov_officer",
            "user_inspector_demo": f"{MODULE}.group_gov_inspector",
            "user_viewer_demo": f"{MODULE}.group_gov_viewer",
            "user_citizen_demo": "base.group_portal",
            "user_intermediary_demo": "base.group_portal",
        }
        for xmlid, group in expected.items():
            with self.subTest(user=xmlid):
                self.assertIn(group, groups[xmlid])
        # the intermediary's user is a contact of an intermediary's company
        partner = self.partners[self.users["user_intermediary_demo"]["partner_id"].get("ref")]
        self.assertIn("intermediary_", partner["parent_id"].get("eval"))
        # the officer belongs to a department through their employee
        ((_emp_id, officer),) = self._user_employee("user_officer_demo")
        self.assertIsNotNone(officer.get("department_id"))

    def test_window_staff_are_linked_to_windows(self):
        staff = [xmlid for xmlid in self.users if xmlid.startswith("user_window_")]
        self.assertGreaterEqual(len(staff), 3)
        windows = set()
        for xmlid in staff + ["user_frontdesk_demo"]:
            with self.subTest(user=xmlid):
                self.assertIn("base.group_user", self._groups(self.users[xmlid]))
                ((_emp_id, employee),) = self._user_employee(xmlid)
                window = employee["gov_window_id"].get("ref")
                self.assertTrue(window)
                windows.add(window)
                # they land on the window console
                self.assertEqual(self.users[xmlid]["action_id"].get("ref"),
                                 "gov_queue_ticket_action_console")
        self.assertEqual(len(windows), len(staff) + 1, "each window-staff user at their own window")
        # the employees were already in the demo: given an account, not duplicated
        attendance_ids = {
            record.get("id") for record in
            _demo_tree("gov_attendance_demo.xml").xpath("//record[@model='hr.employee']")
        }
        for xmlid in staff:
            ((emp_id, _employee),) = self._user_employee(xmlid)
            self.assertIn(emp_id, attendance_ids)

    def test_readme_lists_the_demo_users(self):
        with open(f"{get_module_path(MODULE)}/README.md", encoding="utf-8") as readme:
            text = readme.read()
        self.assertIn("Demo users", text)
        for fields in self.users.values():
            login = fields["login"].text
            with self.subTest(login=login):
                self.assertRegex(text, rf"\|\s*`{login}`\s*\|\s*`{fields['password'].text}`\s*\|")
                self.assertIn(self._name(fields), text)


class DemoZonesMixin:
    """The demo hall's three zones and windows, under the demo's identifiers."""

    @classmethod
    def _demo_hall(cls):
        Zone = cls.env["gov.hall.zone"]
        cls.zones = Zone.create([
            {"name": "Demo Approval", "code": "DA", "ticket_prefix": "A"},
            {"name": "Demo Public", "code": "DB", "ticket_prefix": "B"},
            {"name": "Demo Consult", "code": "DC", "ticket_prefix": "C"},
        ])
        cls.env["ir.model.data"].create([
            {"module": MODULE, "name": f"attendance_demo_{name}", "model": "gov.hall.zone",
             "res_id": zone.id}
            for name, zone in zip(("zone_approval", "zone_public", "zone_consult"), cls.zones)
        ])
        Employee = cls.env["hr.employee"]
        cls.windows = cls.env["gov.service.window"]
        for index, zone in enumerate(cls.zones):
            for number in range(2):
                staff = Employee.create([{"name": f"Demo Staff {index}{number}{k}"} for k in range(2)])
                cls.windows |= cls.env["gov.service.window"].create({
                    "name": f"Demo Window {index}{number}", "code": f"DW{index}{number}",
                    "zone_id": zone.id, "department_id": cls.dept_a.id,
                    "employee_ids": [Command.set(staff.ids)],
                })


@tagged("post_install", "-at_install")
class TestDemoQueueHistory(DemoZonesMixin, GovServiceCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._demo_hall()
        cls.item = cls._create_item(name="Demo Permit", state="active")

    def test_last_working_days_at_the_daily_figure(self):
        with freeze_time("2026-03-11 02:00:00"):  # Wednesday 10:00 in the center
            count = self.env["gov.queue.ticket"]._gov_demo_history(3, 200)
        tickets = self.env["gov.queue.ticket"].search([("zone_id", "in", self.zones.ids)])
        self.assertEqual(len(tickets), count)
        per_day = Counter(tickets.mapped("date"))
        # the three working days before today (the weekend skipped)
        self.assertEqual(sorted(per_day), [date(2026, 3, 6), date(2026, 3, 9), date(2026, 3, 10)])
        for day, number in per_day.items():
            self.assertTrue(184 <= number <= 216, f"{number} tickets on {day}")
        numbers = defaultdict(list)
        for ticket in tickets:
            numbers[ticket.zone_id, ticket.date].append(ticket.sequence_number)
            self.assertTrue(ticket.name.startswith(ticket.zone_id.ticket_prefix))
            self.assertEqual(ticket.window_id.zone_id, ticket.zone_id)
            self.assertIn(ticket.employee_id, ticket.window_id.employee_ids)
            self.assertIn(ticket.state, ("done", "skipped"))
            self.assertTrue(9 <= ticket.hour <= 17)
            # stored computed fields computed by the ORM
            self.assertEqual(ticket.is_priority, ticket.priority != "normal")
            self.assertAlmostEqual(  # stored with one decimal
                ticket.wait_minutes, (ticket.called_at - ticket.taken_at).total_seconds() / 60,
                delta=0.051,
            )
            if ticket.state == "done":
                self.assertAlmostEqual(
                    ticket.service_minutes,
                    (ticket.done_at - ticket.served_at).total_seconds() / 60, delta=0.051,
                )
                self.assertLess(ticket.taken_at, ticket.called_at)
                self.assertLess(ticket.served_at, ticket.done_at)
        for (zone, day), seqs in numbers.items():
            self.assertEqual(sorted(seqs), list(range(1, len(seqs) + 1)))
            counter = self.env["gov.queue.counter"].sudo().search(
                [("zone_id", "=", zone.id), ("date", "=", day)]
            )
            self.assertEqual(counter.last, len(seqs))
        self.assertEqual(len(set(tickets.sudo().mapped("access_token"))), len(tickets))
        self.assertTrue(tickets.filtered("is_priority"))
        # a ticket taken today still starts at number 1
        with freeze_time("2026-03-11 02:00:00"):
            today = self.env["gov.queue.ticket"].sudo().create({"zone_id": self.zones[0].id})
        self.assertEqual(today.name, "A001")


@tagged("post_install", "-at_install")
class TestDemoConsultationYear(GovServiceCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.items = cls._create_item(name="Demo Licence", state="active") | cls._create_item(
            name="Demo Certificate", state="active", department_id=cls.dept_b.id
        )

    def test_year_filled_up_to_the_figures(self):
        Consultation = self.env["gov.consultation"].sudo()
        with freeze_time("2026-03-11 02:00:00"):
            existing = Consultation.create({
                "name": "Existing question", "question": "?", "contact_phone": "13800000000",
                "date_submitted": datetime(2026, 1, 5, 2), "state": "closed", "answer": "Yes",
                "date_answered": datetime(2026, 1, 6, 2),
            })
            created = Consultation._gov_demo_year(60, 25)
            self.assertEqual(Consultation._gov_demo_year(60, 25), 0)
        self.assertEqual(created, 59)
        year = Consultation.search([("kind", "=", "consultation")])
        self.assertEqual(len(year), 60)
        self.assertIn(existing, year)
        resolved = year.filtered(lambda c: c.state in ("answered", "closed"))
        self.assertEqual(len(resolved), 25)
        self.assertEqual(sum(year.mapped("resolved_count")), 25)
        now = datetime(2026, 3, 11, 2)
        for record in year - existing:
            self.assertTrue(now - timedelta(days=366) <= record.date_submitted < now)
            self.assertIn(record.item_id, self.items)
            self.assertEqual(record.department_id, record.item_id.department_id)
            self.assertTrue(5 <= len(record.name) <= 50)
            self.assertTrue(record.query_code)
            self.assertTrue(record.date_deadline)
            if record in resolved:
                self.assertTrue(record.answer)
                self.assertTrue(record.date_submitted < record.date_answered < now)
            else:
                self.assertIn(record.state, ("new", "assigned"))
                self.assertFalse(record.date_answered)
        # no tracking message for the generated history
        self.assertFalse(self.env["mail.message"].search_count(
            [("model", "=", "gov.consultation"), ("res_id", "in", (year - existing).ids)]
        ))
