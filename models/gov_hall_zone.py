# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class GovHallZone(models.Model):
    _name = "gov.hall.zone"
    _description = "Hall Zone"
    _order = "sequence, code, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, index=True)
    sequence = fields.Integer(default=10)
    zone_type = fields.Selection(
        [
            ("approval", "Administrative Approval"),
            ("public_service", "Public Service"),
            ("consultation", "Consultation"),
            ("self_service", "Self-service"),
            ("other", "Other"),
        ],
        required=True,
        default="approval",
    )
    ticket_prefix = fields.Char(
        help="Letter printed before the number of the queue tickets of this zone, e.g. A."
    )
    location = fields.Char(help="Floor and area of the hall, e.g. 1st floor, east side.")
    active = fields.Boolean(default=True)
    window_ids = fields.One2many("gov.service.window", "zone_id", string="Windows")
    window_count = fields.Integer(compute="_compute_window_count")

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of a hall zone must be unique."),
    ]

    @api.depends("window_ids")
    def _compute_window_count(self):
        counts = dict(
            self.env["gov.service.window"]._read_group(
                [("zone_id", "in", self.ids)], groupby=["zone_id"], aggregates=["__count"]
            )
        )
        for zone in self:
            zone.window_count = counts.get(zone, 0)
