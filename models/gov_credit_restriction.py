# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .gov_center_time import center_today, center_today_default

RESTRICTION_STATE_SELECTION = [
    ("active", "Active"),
    ("lifted", "Lifted"),
]


class GovCreditRestriction(models.Model):
    _name = "gov.credit.restriction"
    _description = "Credit Restriction"
    _inherit = ["mail.thread", "mail.activity.mixin", "gov.register.mixin"]
    _order = "date_start desc, id desc"
    _gov_workflow_fields = ("state",)
    _gov_frozen_fields = ("intermediary_id", "decision_ref", "date_start")
    _rec_name = "decision_ref"

    intermediary_id = fields.Many2one(
        "gov.intermediary",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    uscc = fields.Char(related="intermediary_id.uscc", string="USCC")
    reason = fields.Text(required=True, tracking=True)
    legal_basis = fields.Text(tracking=True)
    decision_ref = fields.Char(string="Decision Number", required=True, tracking=True, index=True)
    date_start = fields.Date(
        string="Start Date",
        required=True,
        default=center_today_default,
        tracking=True,
        index=True,
    )
    date_end = fields.Date(string="End Date", tracking=True, index=True)
    measures = fields.Text(
        string="Restrictive Measures",
        default=lambda self: self.env._(
            "Removed from the public directory; excluded from random draws and "
            "selections; excluded from commendation."
        ),
        tracking=True,
    )
    state = fields.Selection(
        RESTRICTION_STATE_SELECTION,
        required=True,
        default="active",
        tracking=True,
        index=True,
        copy=False,
    )
    lift_reason = fields.Text(string="Lifting Reason", tracking=True, copy=False)
    date_lifted = fields.Date(string="Lifted On", readonly=True, copy=False, tracking=True)

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for restriction in self:
            if restriction.date_end and restriction.date_end < restriction.date_start:
                raise ValidationError(
                    self.env._(
                        "The restriction %(ref)s cannot end before it starts.",
                        ref=restriction.decision_ref,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state", "active") != "active":
                raise UserError(
                    self.env._("A credit restriction is always recorded as active, then lifted.")
                )
        return super().create(vals_list)

    def _gov_workflow_message(self):
        return self.env._("Use the Lift button to lift a credit restriction.")

    def _gov_frozen_records(self):
        return self.filtered(lambda restriction: restriction.state == "lifted")

    def _gov_frozen_message(self):
        return self.env._("A lifted credit restriction cannot be changed.")

    def action_lift(self, reason=None):
        for restriction in self:
            if restriction.state != "active":
                raise UserError(
                    self.env._(
                        "The restriction %(ref)s is already lifted.", ref=restriction.decision_ref
                    )
                )
            lift_reason = (reason or restriction.lift_reason or "").strip()
            if not lift_reason:
                raise UserError(
                    self.env._(
                        "Give the reason for lifting the restriction %(ref)s first.",
                        ref=restriction.decision_ref,
                    )
                )
            restriction._gov_register_bypass().write(
                {
                    "state": "lifted",
                    "lift_reason": lift_reason,
                    "date_lifted": center_today(self.env),
                }
            )
        return True

    @api.model
    def _cron_lift_expired(self):
        today = center_today(self.env)
        expired = self.search(
            [("state", "=", "active"), ("date_end", "!=", False), ("date_end", "<", today)]
        )
        expired.action_lift(reason=self.env._("The restriction period has ended."))
        return True

    # ------------------------------------------------------------------
    # Website
    # ------------------------------------------------------------------
    @api.model
    def _gov_public_domain(self):
        """Restrictions shown on the website: those in force."""
        return [("state", "=", "active")]
