# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .gov_approval_item import DELEGATED_LEVEL_SELECTION, STATE_SELECTION

CHANGE_TYPE_SELECTION = [
    ("added", "Added"),
    ("cancelled", "Cancelled"),
    ("delegated", "Delegated"),
    ("suspended", "Suspended"),
    ("resumed", "Resumed"),
    ("merged", "Merged"),
    ("modified", "Modified"),
]

# change type -> (states it applies to, state after it; None = unchanged)
CHANGE_RULES = {
    "added": (("draft",), "active"),
    "suspended": (("active",), "suspended"),
    "resumed": (("suspended",), "active"),
    "cancelled": (("active", "suspended"), "cancelled"),
    "delegated": (("active", "suspended"), "delegated"),
    "merged": (("active", "suspended"), "cancelled"),
    "modified": (("active", "suspended"), None),
}

# Fields that may still be completed after a decision was recorded.
EDITABLE_FIELDS = {"note", "attachment_ids"}


class GovApprovalItemChange(models.Model):
    _name = "gov.approval.item.change"
    _description = "Approval Item Decision"
    _inherit = ["gov.register.mixin"]
    _order = "decision_date desc, id desc"
    _rec_name = "decision_ref"

    item_id = fields.Many2one(
        "gov.approval.item",
        string="Approval Item",
        required=True,
        index=True,
        ondelete="restrict",
    )
    department_id = fields.Many2one(
        related="item_id.department_id", store=True, index=True, string="Department"
    )
    change_type = fields.Selection(CHANGE_TYPE_SELECTION, required=True, index=True)
    decision_ref = fields.Char(string="Decision Number", required=True, index=True)
    decision_date = fields.Date(required=True, index=True)
    year = fields.Integer(compute="_compute_year", store=True, index=True)
    state_before = fields.Selection(STATE_SELECTION)
    state_after = fields.Selection(STATE_SELECTION)
    delegated_level = fields.Selection(DELEGATED_LEVEL_SELECTION, string="Delegated To Level")
    delegated_to = fields.Char()
    merged_into_id = fields.Many2one("gov.approval.item", string="Merged Into")
    note = fields.Text()
    attachment_ids = fields.Many2many("ir.attachment", string="Decision Documents")
    user_id = fields.Many2one(
        "res.users", string="Recorded By", default=lambda self: self.env.user, readonly=True
    )

    @api.model
    def _get_change_rules(self):
        return CHANGE_RULES

    @api.depends("decision_date")
    def _compute_year(self):
        for change in self:
            change.year = change.decision_date.year if change.decision_date else 0

    def write(self, vals):
        if set(vals) - EDITABLE_FIELDS:
            raise UserError(
                self.env._(
                    "A recorded decision cannot be changed; record a new decision instead."
                )
            )
        return super().write(vals)
