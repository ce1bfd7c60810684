# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import TransactionCase, new_test_user


class GovServiceCenterCase(TransactionCase):
    """Shared fixtures: departments, one user per role and item factories."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        Department = cls.env["hr.department"]
        cls.dept_a = Department.create({"name": "Development Commission", "gov_code": "FG"})
        cls.dept_a_sub = Department.create(
            {"name": "Project Office", "parent_id": cls.dept_a.id, "gov_code": "XM"}
        )
        cls.dept_b = Department.create({"name": "Housing Bureau", "gov_code": "ZJ"})
        cls.dept_c = Department.create({"name": "Water Bureau", "gov_code": "SW"})

        cls.user_viewer = new_test_user(
            cls.env, "gsc_viewer", groups="gov_service_center.group_gov_viewer"
        )
        cls.user_inspector = new_test_user(
            cls.env, "gsc_inspector", groups="gov_service_center.group_gov_inspector"
        )
        # officer of department A through the employee record
        cls.user_officer = new_test_user(
            cls.env, "gsc_officer", groups="gov_service_center.group_gov_officer"
        )
        cls.env["hr.employee"].create(
            {
                "name": "Officer A",
                "user_id": cls.user_officer.id,
                "department_id": cls.dept_a.id,
            }
        )
        # officer of department B through the explicit list on the user
        cls.user_officer_b = new_test_user(
            cls.env, "gsc_officer_b", groups="gov_service_center.group_gov_officer"
        )
        cls.user_officer_b.gov_department_ids = cls.dept_b
        cls.user_admin = new_test_user(
            cls.env, "gsc_admin", groups="gov_service_center.group_gov_admin"
        )
        cls.user_internal = new_test_user(cls.env, "gsc_internal", groups="base.group_user")
        cls.user_portal = new_test_user(cls.env, "gsc_portal", groups="base.group_portal")
        cls.user_public = cls.env.ref("base.public_user")

    @classmethod
    def _item_vals(cls, **vals):
        defaults = {
            "name": "Water Abstraction Permit",
            "department_id": cls.dept_a.id,
            "item_type": "licensing",
            "statutory_days": 20,
            "promised_days": 10,
        }
        defaults.update(vals)
        return defaults

    @classmethod
    def _create_item(cls, **vals):
        return cls.env["gov.approval.item"].create(cls._item_vals(**vals))
