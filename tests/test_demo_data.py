# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Demo data: the users of each role (the tests run without demo data: the
demo files are read as files)."""
import re

from lxml import etree

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged


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
        self.assertIn("zh_CN", activation[0].get("eval"))

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
