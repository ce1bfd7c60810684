# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class HrEmployeePublic(models.Model):
    """Window and role are public: colleagues and the hall screens show them."""

    _inherit = "hr.employee.public"

    gov_window_id = fields.Many2one(related="employee_id.gov_window_id", compute_sudo=True)
    gov_staff_role = fields.Selection(related="employee_id.gov_staff_role", compute_sudo=True)
