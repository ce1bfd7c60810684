# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class GovApprovalMaterial(models.Model):
    _name = "gov.approval.material"
    _description = "Required Material"
    _order = "item_id, sequence, id"

    item_id = fields.Many2one(
        "gov.approval.item", string="Approval Item", required=True, ondelete="cascade", index=True
    )
    department_id = fields.Many2one(related="item_id.department_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    requirement = fields.Selection(
        [("required", "Required"), ("optional", "Optional")],
        required=True,
        default="required",
    )
    original_count = fields.Integer(string="Originals", default=1)
    copy_count = fields.Integer(string="Copies", default=0)
    may_supply_later = fields.Boolean(
        string="May Be Supplied Later",
        help="Tolerant acceptance (容缺受理): the application is accepted and the "
        "material is supplied later.",
    )
    source = fields.Char(string="Issued By")
    note = fields.Char()

    _sql_constraints = [
        (
            "counts_positive",
            "CHECK(original_count >= 0 AND copy_count >= 0)",
            "The numbers of originals and copies cannot be negative.",
        ),
    ]
