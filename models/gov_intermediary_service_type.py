# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class GovIntermediaryServiceType(models.Model):
    _name = "gov.intermediary.service.type"
    _description = "Intermediary Service Type"
    _inherit = ["mail.thread"]
    _order = "code, name"

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(required=True, index=True, tracking=True)
    active = fields.Boolean(default=True)
    legal_basis = fields.Text()
    description = fields.Text()
    min_providers = fields.Integer(
        string="Minimum Providers",
        default=3,
        tracking=True,
        help="Every kind of intermediary service required by an approval must be "
        "offered by at least this number of filed, unrestricted providers.",
    )
    precondition_ids = fields.One2many(
        "gov.approval.precondition", "service_type_id", string="Preconditions"
    )
    precondition_count = fields.Integer(compute="_compute_precondition_count")

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of an intermediary service type must be unique."),
    ]

    @api.depends("precondition_ids")
    def _compute_precondition_count(self):
        counts = dict(
            self.env["gov.approval.precondition"]._read_group(
                [("service_type_id", "in", self.ids), ("state", "=", "active")],
                groupby=["service_type_id"],
                aggregates=["__count"],
            )
        )
        for service_type in self:
            service_type.precondition_count = counts.get(service_type, 0)

    @api.constrains("min_providers")
    def _check_min_providers(self):
        for service_type in self:
            if service_type.min_providers < 0:
                raise ValidationError(
                    self.env._("The minimum number of providers cannot be negative.")
                )
