# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from ..models.gov_approval_item import DELEGATED_LEVEL_SELECTION
from ..models.gov_approval_item_change import CHANGE_TYPE_SELECTION
from ..models.gov_center_time import center_today_default


class GovApprovalItemChangeWizard(models.TransientModel):
    _name = "gov.approval.item.change.wizard"
    _description = "Record a Decision on Approval Items"

    item_ids = fields.Many2many("gov.approval.item", string="Approval Items", required=True)
    change_type = fields.Selection(CHANGE_TYPE_SELECTION, string="Decision", required=True)
    decision_ref = fields.Char(string="Decision Number", required=True)
    decision_date = fields.Date(required=True, default=center_today_default)
    delegated_level = fields.Selection(DELEGATED_LEVEL_SELECTION, string="Delegated To Level")
    delegated_to = fields.Char()
    merged_into_id = fields.Many2one(
        "gov.approval.item", string="Merged Into", domain="[('state', '=', 'active')]"
    )
    note = fields.Text()

    def action_confirm(self):
        self.ensure_one()
        changes = self.item_ids.apply_decision(
            self.change_type,
            self.decision_ref,
            self.decision_date,
            delegated_level=self.delegated_level,
            delegated_to=self.delegated_to,
            merged_into_id=self.merged_into_id.id,
            note=self.note,
        )
        if len(self.item_ids) == 1:
            return {"type": "ir.actions.act_window_close"}
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "gov_service_center.gov_approval_item_change_action"
        )
        action["domain"] = [("id", "in", changes.ids)]
        return action
