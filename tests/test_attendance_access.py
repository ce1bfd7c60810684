# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields
from odoo.tests import new_test_user, tagged

from ..models.gov_center_time import center_today
from .common import GovServiceCenterCase

R, RW, RWC, ALL, NONE = "r", "rw", "rwc", "rwcu", ""
ROLES = ["public", "portal", "internal", "viewer", "inspector", "officer", "admin"]
INTERNAL = ["internal", "viewer", "inspector", "officer", "admin"]


def _row(default=NONE, **per_role):
    return {role: per_role.get(role, default) for role in ROLES}


# Expected ACL outcome per model and role (record rules are tested apart)
EXPECTED = {
    "gov.training.record": _row(officer=RWC, admin=ALL),
    "gov.attendance.device": _row(viewer=R, inspector=R, officer=R, admin=RWC),
    "gov.attendance.punch": _row(**dict.fromkeys(INTERNAL, R)),
    "gov.attendance.day": _row(**{**dict.fromkeys(INTERNAL, R), "admin": RW}),
    "gov.queue.ticket": _row(**{**dict.fromkeys(INTERNAL, R), "admin": ALL}),
    "gov.attendance.import.wizard": _row(admin=ALL),
    "gov.attendance.evaluate.wizard": _row(admin=ALL),
    "gov.queue.transfer.wizard": _row(**dict.fromkeys(INTERNAL, ALL)),
    "hr.employee": _row(officer=R, admin=RW),
}
OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}


@tagged("post_install", "-at_install")
class TestAttendanceAccessMatrix(GovServiceCenterCase):
    def test_acl_matrix(self):
        users = {
            "public": self.user_public,
            "portal": self.user_portal,
            "internal": self.user_internal,
            "viewer": self.user_viewer,
            "inspector": self.user_inspector,
            "officer": self.user_officer,
            "admin": self.user_admin,
        }
        checked = 0
        for model, per_role in EXPECTED.items():
            for role, allowed in per_role.items():
                for letter, operation in OPERATIONS.items():
                    with self.subTest(model=model, role=role, operation=operation):
                        self.assertEqual(
                            self.env[model].with_user(users[role]).has_access(operation),
                            letter in allowed,
                        )
                        checked += 1
        self.assertEqual(checked, len(EXPECTED) * len(ROLES) * 4)

    def test_punch_rules(self):
        staff_user = new_test_user(self.env, "gsc_punch_staff", groups="base.group_user")
        mine = self.env["hr.employee"].create({"name": "Mine", "barcode": "4001", "user_id": staff_user.id})
        self.env["hr.employee"].create({"name": "Other", "barcode": "4002"})
        device = self.env["gov.attendance.device"].create({"code": "ACL1", "name": "Terminal"})
        self.env["gov.attendance.punch"]._gov_ingest(device, [
            {"id": "1", "badge": "4001", "time": "2026-01-05 01:00:00", "method": "fingerprint"},
            {"id": "2", "badge": "4002", "time": "2026-01-05 01:00:00", "method": "fingerprint"},
        ])
        Punch = self.env["gov.attendance.punch"]
        self.assertEqual(Punch.with_user(staff_user).search([]).employee_id, mine)
        self.assertFalse(Punch.with_user(self.user_internal).search([]))
        self.assertEqual(len(Punch.with_user(self.user_viewer).search([])), 2)


@tagged("post_install", "-at_install")
class TestAttendanceOverview(GovServiceCenterCase):
    def _figures(self):
        self.env.flush_all()
        self.env["gov.center.overview"].invalidate_model()
        return {
            row.metric: row.value
            for row in self.env["gov.center.overview"].search([("area", "=", "staff")])
        }

    def test_staff_and_queue_figures(self):
        before = self._figures()
        for key in ("staff_on_duty_today", "late_arrivals_this_month", "visitors_today",
                    "average_wait_today"):
            self.assertIn(key, before)
        zone = self.env["gov.hall.zone"].create({"name": "Zone", "code": "OVZ", "ticket_prefix": "O"})
        tickets = self.env["gov.queue.ticket"].sudo().create([{"zone_id": zone.id}] * 3)
        window = self.env["gov.service.window"].create({"name": "W", "code": "OVW", "zone_id": zone.id})
        tickets[0]._gov_call(window)
        employee = self.env["hr.employee"].create({"name": "On duty", "gov_window_id": window.id})
        self.env["hr.attendance"].create({"employee_id": employee.id, "check_in": fields.Datetime.now()})
        self.env["gov.attendance.day"].sudo().create({
            "employee_id": employee.id, "date": center_today(self.env),
            "result": "late", "late_minutes": 7,
        })
        after = self._figures()
        self.assertEqual(after["visitors_today"], before["visitors_today"] + 3)
        self.assertEqual(after["staff_on_duty_today"], before["staff_on_duty_today"] + 1)
        self.assertEqual(after["late_arrivals_this_month"], before["late_arrivals_this_month"] + 1)
