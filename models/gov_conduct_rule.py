# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

CONDUCT_CATEGORY_SELECTION = [
    ("attendance", "Attendance"),
    ("discipline", "Discipline"),
    ("attitude", "Service Attitude"),
    ("business", "Business Handling"),
]


class GovConductRule(models.Model):
    """A rule of the window staff conduct code that inspections refer to."""

    _name = "gov.conduct.rule"
    _description = "Conduct Rule"
    _order = "category, sequence, code, id"
    _rec_names_search = ["code", "name"]

    sequence = fields.Integer(default=10)
    code = fields.Char(required=True, index=True)
    name = fields.Char(string="Description", required=True)
    points = fields.Float(
        string="Points Deducted",
        default=1.0,
        digits=(6, 1),
        help="Points deducted from the monthly score of the staff member for each finding.",
    )
    category = fields.Selection(
        CONDUCT_CATEGORY_SELECTION, required=True, default="discipline", index=True
    )
    active = fields.Boolean(default=True)
    note = fields.Text()

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of a conduct rule must be unique."),
    ]

    @api.constrains("points")
    def _check_points(self):
        for rule in self:
            if rule.points < 0:
                raise ValidationError(
                    self.env._(
                        "The points deducted by %(rule)s cannot be negative.",
                        rule=rule.display_name,
                    )
                )

    def _compute_display_name(self):
        for rule in self:
            rule.display_name = f"[{rule.code}] {rule.name}" if rule.code else rule.name
