# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

INDICATOR_CHANNEL_SELECTION = [
    ("all", "All Channels"),
    ("onsite", "On Site (QR code, terminal)"),
    ("online", "Online (website, phone)"),
]

# rating channels of each indicator channel
ONSITE_CHANNELS = ("hall_qr", "terminal")
ONLINE_CHANNELS = ("website", "phone")


class GovRatingIndicator(models.Model):
    """Sub-indicator a citizen may tick with a rating (GB/T 39734-2020):
    praise for good ratings, reasons for bad ones. Which ones are offered
    depends on the level chosen and on the channel."""

    _name = "gov.rating.indicator"
    _description = "Service Rating Indicator"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(index=True)
    sequence = fields.Integer(default=10)
    channel = fields.Selection(INDICATOR_CHANNEL_SELECTION, required=True, default="all")
    level_1 = fields.Boolean(string="Very Dissatisfied")
    level_2 = fields.Boolean(string="Dissatisfied")
    level_3 = fields.Boolean(string="Basically Satisfied")
    level_4 = fields.Boolean(string="Satisfied")
    level_5 = fields.Boolean(string="Very Satisfied")
    levels = fields.Char(
        compute="_compute_levels", help="Levels the indicator is offered for, e.g. 1,2."
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of a rating indicator must be unique."),
    ]

    @api.depends("level_1", "level_2", "level_3", "level_4", "level_5")
    def _compute_levels(self):
        for indicator in self:
            indicator.levels = ",".join(
                str(level) for level in range(1, 6) if indicator[f"level_{level}"]
            )

    @api.constrains("level_1", "level_2", "level_3", "level_4", "level_5")
    def _check_levels(self):
        for indicator in self:
            if not indicator.levels:
                raise ValidationError(
                    self.env._(
                        "The indicator %(name)s must apply to at least one level.",
                        name=indicator.name,
                    )
                )

    @api.model
    def _channel_domain(self, channel):
        group = "onsite" if channel in ONSITE_CHANNELS else "online"
        return [("channel", "in", ("all", group))]

    @api.model
    def _applicable_domain(self, level, channel):
        if level not in range(1, 6):
            return [(0, "=", 1)]
        return self._channel_domain(channel) + [(f"level_{level}", "=", True)]
