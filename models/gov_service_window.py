# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class GovServiceWindow(models.Model):
    _name = "gov.service.window"
    _description = "Service Window"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "zone_id, code, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(required=True, index=True, tracking=True)
    zone_id = fields.Many2one(
        "gov.hall.zone", string="Zone", required=True, index=True, tracking=True,
        ondelete="restrict",
    )
    department_id = fields.Many2one(
        "hr.department",
        string="Stationed Department",
        index=True,
        tracking=True,
        ondelete="restrict",
    )
    employee_ids = fields.Many2many(
        "hr.employee",
        "gov_service_window_hr_employee_rel",
        "window_id",
        "employee_id",
        string="Staff",
    )
    item_ids = fields.Many2many(
        "gov.approval.item",
        "gov_service_window_approval_item_rel",
        "window_id",
        "item_id",
        string="Approval Items Handled",
    )
    active = fields.Boolean(default=True, tracking=True)
    note = fields.Text()

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of a service window must be unique."),
    ]

    def _compute_display_name(self):
        for window in self:
            window.display_name = (
                f"{window.code} {window.name}" if window.code else window.name
            )
