# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    gov_item_code_pattern = fields.Char(
        string="Item Code Pattern",
        config_parameter="gov_service_center.item_code_pattern",
        default="{division}{dept}-{type}-{seq}",
        help="Pattern of generated approval item codes. Placeholders: {division} "
        "(administrative division code), {dept} (department code), {type} (item type "
        "code: XK, GG, QR, JF, QT), {year} and {seq} (sequence number).",
    )
    gov_division_code = fields.Char(
        string="Administrative Division Code",
        config_parameter="gov_service_center.division_code",
        default="511400",
    )

    @api.constrains("gov_item_code_pattern")
    def _check_gov_item_code_pattern(self):
        for settings in self:
            if settings.gov_item_code_pattern:
                self.env["gov.approval.item"]._check_code_pattern(settings.gov_item_code_pattern)

    # Window staff discipline, points and stars
    gov_points_base = fields.Float(
        string="Monthly Base Points", config_parameter="gov_service_center.points_base",
        default=100.0,
    )
    gov_points_bonus_cap = fields.Float(
        string="Bonus Points Cap", config_parameter="gov_service_center.points_bonus_cap",
        default=5.0,
    )
