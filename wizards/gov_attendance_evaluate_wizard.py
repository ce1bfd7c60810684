# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import fields, models

from ..models.gov_center_time import center_today


class GovAttendanceEvaluateWizard(models.TransientModel):
    _name = "gov.attendance.evaluate.wizard"
    _description = "Evaluate Attendance for a Period"

    date_from = fields.Date(
        required=True, default=lambda self: center_today(self.env).replace(day=1)
    )
    date_to = fields.Date(
        required=True, default=lambda self: center_today(self.env) - timedelta(days=1)
    )
    employee_ids = fields.Many2many(
        "hr.employee", string="Employees", help="Leave empty for all window staff."
    )

    def action_evaluate(self):
        self.ensure_one()
        days = self.env["gov.attendance.day"]._gov_evaluate(
            self.date_from, self.date_to, self.employee_ids or None
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Attendance Results"),
            "res_model": "gov.attendance.day",
            "view_mode": "list,form,pivot,graph",
            "domain": [("id", "in", days.ids)],
        }
