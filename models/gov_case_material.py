# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

MATERIAL_STATE_SELECTION = [
    ("received", "Received"),
    ("missing", "Missing"),
    ("supplemented", "Supplemented"),
]


class GovCaseMaterial(models.Model):
    """A material of a case, copied from the item's list at intake."""

    _name = "gov.case.material"
    _description = "Case Material"
    _inherit = ["gov.register.mixin"]
    _order = "case_id, sequence, id"

    case_id = fields.Many2one(
        "gov.case", string="Case", required=True, index=True, ondelete="cascade",
    )
    material_id = fields.Many2one(
        "gov.approval.material", string="Material", index=True, ondelete="restrict",
    )
    name = fields.Char(
        compute="_compute_from_material", store=True, readonly=False, precompute=True,
        required=True,
    )
    sequence = fields.Integer(
        compute="_compute_from_material", store=True, readonly=False, precompute=True,
    )
    requirement = fields.Selection(
        [("required", "Required"), ("optional", "Optional")],
        compute="_compute_from_material", store=True, readonly=False, precompute=True,
    )
    original_count = fields.Integer(
        string="Originals", compute="_compute_from_material", store=True, readonly=False,
        precompute=True,
    )
    copy_count = fields.Integer(
        string="Copies", compute="_compute_from_material", store=True, readonly=False,
        precompute=True,
    )
    may_supply_later = fields.Boolean(
        string="May Be Supplied Later", compute="_compute_from_material", store=True,
        readonly=False, precompute=True,
    )
    state = fields.Selection(
        MATERIAL_STATE_SELECTION, required=True, default="missing", index=True,
    )
    date_received = fields.Date(string="Received On")
    attachment_ids = fields.Many2many(
        "ir.attachment", "gov_case_material_attachment_rel", "line_id", "attachment_id",
        string="Files",
    )
    note = fields.Char()
    case_state = fields.Selection(related="case_id.state", string="Case State")

    @api.depends("material_id")
    def _compute_from_material(self):
        for line in self:
            material = line.material_id
            if not material:
                line.requirement = line.requirement or "required"
                continue
            line.name = material.name
            line.sequence = material.sequence
            line.requirement = material.requirement
            line.original_count = material.original_count
            line.copy_count = material.copy_count
            line.may_supply_later = material.may_supply_later

    def write(self, vals):
        if not self._gov_register_bypassed() and self.filtered(
            lambda line: line.case_id.state not in ("draft", "submitted", "supplement")
        ) and set(vals) - {"note", "attachment_ids"}:
            raise UserError(self.env._(
                "The materials of a case can no longer change once the case is accepted."
            ))
        return super().write(vals)

    def _mark(self, state):
        today = self.env["gov.deadline.mixin"]._gov_today()
        for line in self:
            if line.case_id.state not in ("draft", "submitted", "supplement"):
                raise UserError(self.env._(
                    "The materials of a case can no longer change once the case is accepted."
                ))
            if state == "supplemented" and line.case_id.state != "supplement":
                state_now = "received"
            else:
                state_now = state
            line.write({"state": state_now, "date_received": today})
        return True

    def action_mark_received(self):
        """Received at the window (or supplemented, after the notice)."""
        return self._mark("supplemented")

    def action_mark_missing(self):
        return self.write({"state": "missing", "date_received": False})
