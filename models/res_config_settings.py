# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


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

    # Consultations and leader mailbox (working days)
    gov_consultation_days = fields.Integer(
        string="Consultation Answer Time",
        config_parameter="gov_service_center.consultation_days",
        default=3,
    )
    gov_mailbox_simple_days = fields.Integer(
        string="Mailbox Answer Time (simple)",
        config_parameter="gov_service_center.mailbox_simple_days",
        default=3,
    )
    gov_mailbox_complex_days = fields.Integer(
        string="Mailbox Answer Time (complex)",
        config_parameter="gov_service_center.mailbox_complex_days",
        default=10,
    )
    gov_rating_days = fields.Integer(
        string="Rating Period",
        config_parameter="gov_service_center.rating_days",
        default=20,
    )
