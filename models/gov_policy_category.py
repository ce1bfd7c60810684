# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class GovPolicyCategory(models.Model):
    _name = "gov.policy.category"
    _description = "Policy Document Category"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(index=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    document_ids = fields.One2many("gov.policy.document", "category_id", string="Documents")
    document_count = fields.Integer(compute="_compute_document_count")

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of a policy category must be unique."),
    ]

    @api.depends("document_ids")
    def _compute_document_count(self):
        counts = dict(
            self.env["gov.policy.document"]._read_group(
                [("category_id", "in", self.ids)], groupby=["category_id"], aggregates=["__count"]
            )
        )
        for category in self:
            category.document_count = counts.get(category, 0)
