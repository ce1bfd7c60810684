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
    gov_complaint_deadline_days = fields.Integer(
        string="Complaint Deadline (working days)",
        config_parameter="gov_service_center.complaint_deadline_days",
        default=15,
    )
    gov_evaluation_weight_owner = fields.Integer(
        string="Weight of Project Owners",
        config_parameter="gov_service_center.evaluation_weight_owner", default=50,
    )
    gov_evaluation_weight_department = fields.Integer(
        string="Weight of Industry Departments",
        config_parameter="gov_service_center.evaluation_weight_department", default=30,
    )
    gov_evaluation_weight_center = fields.Integer(
        string="Weight of the Service Center",
        config_parameter="gov_service_center.evaluation_weight_center", default=20,
    )
    gov_grade_threshold_a = fields.Integer(
        string="Grade A from", config_parameter="gov_service_center.grade_threshold_a", default=90
    )
    gov_grade_threshold_b = fields.Integer(
        string="Grade B from", config_parameter="gov_service_center.grade_threshold_b", default=80
    )
    gov_grade_threshold_c = fields.Integer(
        string="Grade C from", config_parameter="gov_service_center.grade_threshold_c", default=70
    )
    gov_grade_threshold_d = fields.Integer(
        string="Grade D from", config_parameter="gov_service_center.grade_threshold_d", default=60
    )

    @api.constrains("gov_item_code_pattern")
    def _check_gov_item_code_pattern(self):
        for settings in self:
            if settings.gov_item_code_pattern:
                self.env["gov.approval.item"]._check_code_pattern(settings.gov_item_code_pattern)
