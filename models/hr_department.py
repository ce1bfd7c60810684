# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class HrDepartment(models.Model):
    _inherit = "hr.department"

    gov_code = fields.Char(
        string="Department Code",
        help="Short code used in generated approval item codes, e.g. FG.",
    )
    gov_is_stationed = fields.Boolean(
        string="Stationed in the Service Center",
        help="The department has windows in the service hall.",
    )
    gov_approval_item_ids = fields.One2many(
        "gov.approval.item", "department_id", string="Approval Items"
    )
    gov_active_item_count = fields.Integer(
        string="Active Approval Items", compute="_compute_gov_active_item_count"
    )

    @api.depends("gov_approval_item_ids.state")
    def _compute_gov_active_item_count(self):
        counts = dict(
            self.env["gov.approval.item"]._read_group(
                [("department_id", "in", self.ids), ("state", "=", "active")],
                groupby=["department_id"],
                aggregates=["__count"],
            )
        )
        for department in self:
            department.gov_active_item_count = counts.get(department, 0)

    def action_open_gov_approval_items(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "gov_service_center.gov_approval_item_action"
        )
        action["domain"] = [("department_id", "=", self.id)]
        action["context"] = {"default_department_id": self.id}
        return action
