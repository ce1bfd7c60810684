# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from odoo.tests import new_test_user

from .common import GovServiceCenterCase

MONTH = date(2026, 3, 1)


class DisciplineCase(GovServiceCenterCase):
    """Windows, staff (each with a user), a supervisor and a department leader."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Employee = cls.env["hr.employee"]
        cls.leader_user = new_test_user(cls.env, "gsc_leader", groups="base.group_user")
        cls.leader = Employee.create(
            {"name": "Leader B", "user_id": cls.leader_user.id, "department_id": cls.dept_b.id}
        )
        cls.dept_b.manager_id = cls.leader
        cls.supervisor_user = new_test_user(cls.env, "gsc_supervisor", groups="base.group_user")
        cls.supervisor = Employee.create(
            {"name": "Supervisor", "user_id": cls.supervisor_user.id, "department_id": cls.dept_b.id}
        )
        cls.staff_users = []
        cls.staff = Employee.browse()
        for index in range(4):
            user = new_test_user(cls.env, f"gsc_staff{index}", groups="base.group_user")
            cls.staff_users.append(user)
            cls.staff |= Employee.create(
                {
                    "name": f"Staff {index}",
                    "user_id": user.id,
                    "department_id": cls.dept_b.id,
                    "parent_id": cls.supervisor.id,
                }
            )
        cls.zone = cls.env["gov.hall.zone"].create({"name": "Approval Zone", "code": "TZ"})
        Window = cls.env["gov.service.window"]
        cls.window_a = Window.create(
            {"name": "Housing A", "code": "TW01", "zone_id": cls.zone.id,
             "department_id": cls.dept_b.id, "employee_ids": [(6, 0, cls.staff[:2].ids)]}
        )
        cls.window_b = Window.create(
            {"name": "Housing B", "code": "TW02", "zone_id": cls.zone.id,
             "department_id": cls.dept_b.id, "employee_ids": [(6, 0, cls.staff[2:].ids)]}
        )
        cls.rule_phone = cls.env.ref("gov_service_center.conduct_rule_phone")
        cls.rule_quarrel = cls.env.ref("gov_service_center.conduct_rule_quarrel")

    @classmethod
    def _inspection(cls, employee, day=None, rule=None, confirm=True, **vals):
        inspection = cls.env["gov.inspection"].create(
            {
                "employee_id": employee.id,
                "date": day or date(2026, 3, 10),
                "rule_id": (rule or cls.rule_phone).id,
                **vals,
            }
        )
        if confirm:
            inspection.action_confirm()
        return inspection
