# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .gov_center_time import center_today


class GovCreditRepairRequest(models.Model):
    """Request of an intermediary to lift its credit restriction (信用修复)."""

    _name = "gov.credit.repair.request"
    _description = "Credit Repair Request"
    _inherit = ["mail.thread", "mail.activity.mixin", "gov.register.mixin"]
    _order = "create_date desc, id desc"

    intermediary_id = fields.Many2one(
        "gov.intermediary", required=True, index=True, ondelete="restrict", tracking=True
    )
    restriction_id = fields.Many2one(
        "gov.credit.restriction", required=True, index=True, ondelete="restrict", tracking=True,
        domain="[('intermediary_id', '=', intermediary_id), ('state', '=', 'active')]",
    )
    rectification = fields.Text(
        string="Rectification Done", required=True,
        help="What the intermediary corrected since the restriction.",
    )
    state = fields.Selection(
        [("submitted", "Submitted for Review"), ("approved", "Approved"), ("refused", "Refused")],
        default="submitted", required=True, readonly=True, index=True, tracking=True,
    )
    decision_reason = fields.Text(tracking=True)
    date_decided = fields.Date(readonly=True, copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        requests = super().create(vals_list)
        for request in requests:
            if request.restriction_id.intermediary_id != request.intermediary_id:
                raise UserError(
                    self.env._("The restriction does not concern this intermediary.")
                )
            if request.restriction_id.state != "active":
                raise UserError(self.env._("Only an active restriction can be repaired."))
        return requests

    def _check_decidable(self):
        if not self.env.user.has_group("gov_service_center.group_gov_admin"):
            raise UserError(self.env._("Only the service center decides on credit repair."))
        for request in self:
            if request.state != "submitted":
                raise UserError(self.env._("This request has already been decided."))

    def action_approve(self):
        self._check_decidable()
        for request in self:
            reason = (request.decision_reason or "").strip() or self.env._(
                "Credit repair approved."
            )
            if request.restriction_id.state == "active":
                request.restriction_id.action_lift(reason=reason)
            request.write(
                {"state": "approved", "decision_reason": reason,
                 "date_decided": center_today(self.env)}
            )
        return True

    def action_refuse(self):
        self._check_decidable()
        for request in self:
            if not (request.decision_reason or "").strip():
                raise UserError(self.env._("Give the reason for refusing the request first."))
        self.write({"state": "refused", "date_decided": center_today(self.env)})
        return True
