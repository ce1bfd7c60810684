# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import GovServiceCenterCase

# Expected ACL outcome per (role, model): the operations allowed by the
# access-control lists. Record rules and business rules are tested apart.
R, RW, RWC, ALL, NONE = "r", "rw", "rwc", "rwcu", ""
MODELS = [
    "gov.approval.item",
    "gov.approval.material",
    "gov.approval.step",
    "gov.approval.item.change",
    "gov.approval.precondition",
    "gov.precondition.review",
    "gov.intermediary.service.type",
    "gov.calendar.day",
    "gov.center.overview",
    "gov.form.submission",
    "gov.hall.zone",
    "gov.service.window",
]
EXPECTED = {
    "public": dict.fromkeys(MODELS, NONE),
    "portal": dict.fromkeys(MODELS, NONE),
    "internal": {**dict.fromkeys(MODELS, NONE), "gov.calendar.day": R},
    "viewer": {**dict.fromkeys(MODELS, R), "gov.form.submission": NONE},
    "inspector": {**dict.fromkeys(MODELS, R), "gov.form.submission": NONE},
    "officer": {
        **dict.fromkeys(MODELS, R),
        "gov.approval.item": RWC,
        "gov.approval.material": ALL,
        "gov.approval.step": ALL,
        "gov.approval.item.change": "rc",
        "gov.approval.precondition": RWC,
        "gov.form.submission": NONE,
        "gov.hall.zone": R,
        "gov.service.window": R,
    },
    "admin": {
        **dict.fromkeys(MODELS, ALL),
        "gov.approval.item.change": RWC,
        "gov.center.overview": R,
        "gov.form.submission": "ru",
    },
}
OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}


@tagged("post_install", "-at_install")
class TestAccessRights(GovServiceCenterCase):
    def _user(self, role):
        return {
            "public": self.user_public,
            "portal": self.user_portal,
            "internal": self.user_internal,
            "viewer": self.user_viewer,
            "inspector": self.user_inspector,
            "officer": self.user_officer,
            "admin": self.user_admin,
        }[role]

    def test_acl_matrix(self):
        checked = 0
        for role, per_model in EXPECTED.items():
            user = self._user(role)
            for model, allowed in per_model.items():
                for letter, operation in OPERATIONS.items():
                    with self.subTest(role=role, model=model, operation=operation):
                        self.assertEqual(
                            self.env[model].with_user(user).has_access(operation),
                            letter in allowed,
                        )
                        checked += 1
        self.assertEqual(checked, 7 * len(MODELS) * 4)

    def test_groups_imply_each_other(self):
        self.assertTrue(self.user_admin.has_group("gov_service_center.group_gov_officer"))
        self.assertTrue(self.user_admin.has_group("gov_service_center.group_gov_inspector"))
        self.assertTrue(self.user_officer.has_group("gov_service_center.group_gov_viewer"))
        self.assertTrue(self.user_inspector.has_group("gov_service_center.group_gov_viewer"))
        self.assertFalse(self.user_officer.has_group("gov_service_center.group_gov_inspector"))
        self.assertFalse(self.user_inspector.has_group("gov_service_center.group_gov_officer"))
        self.assertTrue(self.env.ref("base.user_admin").has_group("gov_service_center.group_gov_admin"))


@tagged("post_install", "-at_install")
class TestDepartmentRules(GovServiceCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.item_a = cls._create_item(name="Item A", state="active")
        cls.item_a_sub = cls._create_item(
            name="Item A sub", department_id=cls.dept_a_sub.id, state="active"
        )
        cls.item_b = cls._create_item(name="Item B", department_id=cls.dept_b.id, state="active")
        cls.item_c = cls._create_item(name="Item C", department_id=cls.dept_c.id, state="active")
        cls.all_items = cls.item_a | cls.item_a_sub | cls.item_b | cls.item_c

    def test_officers_read_all(self):
        for user in (self.user_officer, self.user_officer_b, self.user_viewer, self.user_inspector):
            found = self.env["gov.approval.item"].with_user(user).search(
                [("id", "in", self.all_items.ids)]
            )
            self.assertEqual(found, self.all_items)

    def test_officer_edits_own_department_via_employee(self):
        Item = self.env["gov.approval.item"].with_user(self.user_officer)
        Item.browse(self.item_a.id).write({"legal_basis": "Law art. 1"})
        Item.browse(self.item_a_sub.id).write({"legal_basis": "Law art. 2"})
        for other in (self.item_b, self.item_c):
            with self.assertRaises(AccessError):
                Item.browse(other.id).write({"legal_basis": "Forged"})
        created = Item.create(self._item_vals(name="New A"))
        self.assertEqual(created.department_id, self.dept_a)
        with self.assertRaises(AccessError):
            Item.create(self._item_vals(name="New C", department_id=self.dept_c.id))

    def test_officer_edits_explicit_departments(self):
        Item = self.env["gov.approval.item"].with_user(self.user_officer_b)
        Item.browse(self.item_b.id).write({"legal_basis": "Law art. 3"})
        with self.assertRaises(AccessError):
            Item.browse(self.item_a.id).write({"legal_basis": "Forged"})
        # adding a department takes effect at once
        self.user_officer_b.gov_department_ids |= self.dept_c
        Item.browse(self.item_c.id).write({"legal_basis": "Law art. 4"})

    def test_department_change_of_employee_applies(self):
        employee = self.user_officer.employee_ids
        employee.department_id = self.dept_c
        Item = self.env["gov.approval.item"].with_user(self.user_officer)
        Item.browse(self.item_c.id).write({"legal_basis": "Now mine"})
        with self.assertRaises(AccessError):
            Item.browse(self.item_a.id).write({"legal_basis": "Not any more"})

    def test_officer_children_follow_item_department(self):
        Material = self.env["gov.approval.material"].with_user(self.user_officer)
        Material.create({"item_id": self.item_a.id, "name": "Application form"})
        with self.assertRaises(AccessError):
            Material.create({"item_id": self.item_b.id, "name": "Forged"})
        Precondition = self.env["gov.approval.precondition"].with_user(self.user_officer)
        Precondition.create({"item_id": self.item_a.id, "name": "Opinion"})
        with self.assertRaises(AccessError):
            Precondition.create({"item_id": self.item_c.id, "name": "Forged"})

    def test_officer_decisions_limited_to_own_items(self):
        self.item_a.with_user(self.user_officer).apply_decision("suspended", "D-1", "2026-01-05")
        self.assertEqual(self.item_a.state, "suspended")
        with self.assertRaises(AccessError):
            self.item_b.with_user(self.user_officer).apply_decision(
                "suspended", "D-2", "2026-01-05"
            )
        self.assertEqual(self.item_b.state, "active")

    def test_my_departments_filter(self):
        Item = self.env["gov.approval.item"].with_user(self.user_officer)
        mine = Item.search([("is_my_department", "=", True), ("id", "in", self.all_items.ids)])
        self.assertEqual(mine, self.item_a | self.item_a_sub)
        self.assertTrue(Item.browse(self.item_a_sub.id).is_my_department)
        self.assertFalse(Item.browse(self.item_b.id).is_my_department)

    def test_viewer_cannot_write(self):
        with self.assertRaises(AccessError):
            self.item_a.with_user(self.user_viewer).write({"legal_basis": "Forged"})
        with self.assertRaises(AccessError):
            self.item_a.with_user(self.user_inspector).apply_decision("suspended", "D", "2026-01-05")

    def test_nobody_deletes_catalog_history(self):
        change = self.item_a.apply_decision("suspended", "D-1", "2026-01-05")
        with self.assertRaises(UserError):
            self.item_a.with_user(self.user_admin).unlink()
        with self.assertRaises(UserError):
            change.with_user(self.user_admin).unlink()
        with self.assertRaises(AccessError):
            self.item_a.with_user(self.user_officer).unlink()
        with self.assertRaises(AccessError):
            change.with_user(self.user_officer).unlink()
        self.assertTrue(self.item_a.exists() and change.exists())

    def test_calendar_edited_by_administrators_only(self):
        Calendar = self.env["gov.calendar.day"]
        with self.assertRaises(AccessError):
            Calendar.with_user(self.user_officer).create({"date": "2031-01-01"})
        day = Calendar.with_user(self.user_admin).create({"date": "2031-01-01"})
        self.assertTrue(day)
        with self.assertRaises(ValidationError):
            day.with_user(self.user_admin).write({"date": "2031-01-07", "day_type": "workday"})
