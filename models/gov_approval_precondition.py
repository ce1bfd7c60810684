# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .gov_center_time import center_today


class GovApprovalPrecondition(models.Model):
    _name = "gov.approval.precondition"
    _description = "Precondition"
    _inherit = ["mail.thread", "gov.register.mixin"]
    _order = "item_id, sequence, id"

    item_id = fields.Many2one(
        "gov.approval.item",
        string="Approval Item",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
    )
    department_id = fields.Many2one(
        related="item_id.department_id", store=True, index=True, string="Department"
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True, tracking=True)
    kind = fields.Selection(
        [
            ("approval", "Another Approval Item"),
            ("intermediary", "Intermediary Service"),
            ("material", "Material"),
            ("other", "Other"),
        ],
        required=True,
        default="other",
        tracking=True,
    )
    required_item_id = fields.Many2one(
        "gov.approval.item",
        string="Required Approval Item",
        index="btree_not_null",
        ondelete="restrict",
    )
    service_type_id = fields.Many2one(
        "gov.intermediary.service.type",
        string="Intermediary Service Type",
        index="btree_not_null",
        ondelete="restrict",
    )
    legal_basis = fields.Text(tracking=True)
    state = fields.Selection(
        [("active", "In Force"), ("removed", "Removed")],
        required=True,
        default="active",
        tracking=True,
        index=True,
    )
    review_id = fields.Many2one(
        "gov.precondition.review",
        string="Clean-up Campaign",
        index="btree_not_null",
        tracking=True,
        ondelete="restrict",
    )
    removal_reason = fields.Text(tracking=True)
    removal_date = fields.Date(tracking=True)

    @api.constrains("kind", "required_item_id", "service_type_id", "item_id")
    def _check_target(self):
        for precondition in self:
            if precondition.required_item_id and precondition.required_item_id == precondition.item_id:
                raise ValidationError(
                    self.env._(
                        "A precondition of %(item)s cannot be the item itself.",
                        item=precondition.item_id.display_name,
                    )
                )
            if precondition.kind == "approval" and not precondition.required_item_id:
                raise ValidationError(
                    self.env._("Choose the approval item this precondition requires.")
                )
            if precondition.kind == "intermediary" and not precondition.service_type_id:
                raise ValidationError(
                    self.env._(
                        "Choose the intermediary service type this precondition requires."
                    )
                )

    @api.constrains("state", "removal_reason")
    def _check_removal(self):
        for precondition in self:
            if precondition.state == "removed" and not (precondition.removal_reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "Give the reason why the precondition %(name)s is removed.",
                        name=precondition.name,
                    )
                )

    @api.onchange("kind")
    def _onchange_kind(self):
        if self.kind != "approval":
            self.required_item_id = False
        if self.kind != "intermediary":
            self.service_type_id = False

    def write(self, vals):
        if vals.get("state") == "active" and any(p.state == "removed" for p in self):
            raise UserError(
                self.env._(
                    "A removed precondition cannot be restored; record a new precondition "
                    "with its legal basis instead."
                )
            )
        return super().write(vals)

    def _gov_register_deletable(self):
        return self.filtered(lambda p: p.state != "removed" and not p.review_id)

    def _gov_unlink_message(self):
        return self.env._(
            "Removed preconditions are kept as the record of the clean-up; "
            "they cannot be deleted."
        )

    def action_remove(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Remove Preconditions"),
            "res_model": "gov.precondition.remove.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_precondition_ids": self.ids},
        }

    def remove(self, reason, review=None, date=None):
        """Mark the preconditions as removed by a clean-up campaign.

        ``review`` is a ``gov.precondition.review`` record or id (optional).
        """
        if isinstance(review, int):
            review = self.env["gov.precondition.review"].browse(review)
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the removal."))
        already = self.filtered(lambda p: p.state == "removed")
        if already:
            raise UserError(
                self.env._(
                    "Already removed: %(names)s", names=", ".join(already.mapped("name"))
                )
            )
        self.write(
            {
                "state": "removed",
                "removal_reason": reason.strip(),
                "review_id": review.id if review else False,
                "removal_date": date or center_today(self.env),
            }
        )
        return True
