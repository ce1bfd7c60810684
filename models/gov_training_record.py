# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .gov_center_time import center_today_default


class GovTrainingRecord(models.Model):
    _name = "gov.training.record"
    _description = "Window Staff Training Record"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    employee_id = fields.Many2one(
        "hr.employee", string="Employee", required=True, index=True, ondelete="cascade",
        tracking=True,
    )
    department_id = fields.Many2one(
        related="employee_id.department_id", store=True, index=True, string="Department"
    )
    course = fields.Char(required=True, tracking=True)
    date = fields.Date(required=True, default=center_today_default, index=True, tracking=True)
    hours = fields.Float(tracking=True)
    result = fields.Selection(
        [
            ("passed", "Passed"),
            ("excellent", "Excellent"),
            ("failed", "Failed"),
            ("attended", "Attended"),
        ],
        default="attended",
        tracking=True,
    )
    note = fields.Text()

    @api.constrains("hours")
    def _check_hours(self):
        for record in self:
            if record.hours < 0 or record.hours > 1000:
                raise ValidationError(
                    self.env._("The training hours must be between 0 and 1000.")
                )
