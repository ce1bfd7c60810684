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
    # Window staff discipline, points and stars
    gov_points_base = fields.Float(
        string="Monthly Base Points", config_parameter="gov_service_center.points_base",
        default=100.0,
    )
    gov_points_bonus_cap = fields.Float(
        string="Bonus Points Cap", config_parameter="gov_service_center.points_bonus_cap",
        default=5.0,
    )
    gov_punch_rederive_days = fields.Integer(
        string="Late Punch Window (days)",
        config_parameter="gov_service_center.punch_rederive_days",
        default=35,
        help="A punch that arrives late re-derives the employee's attendances and daily "
        "results up to this many days back; an older one is kept for review.",
    )
    gov_star_count = fields.Integer(
        string="Service Stars per Month", config_parameter="gov_service_center.star_count",
        default=3,
    )
    gov_notice_threshold = fields.Float(
        string="Notice Threshold", config_parameter="gov_service_center.notice_threshold",
        default=90.0,
        help="A window whose monthly score is below this threshold is notified to its "
        "department leader.",
    )
    # Stored as explicit strings: 0 and False must not fall back to the defaults.
    gov_warning_late_count = fields.Integer(
        string="Late Arrivals Before Warning",
        help="0 disables this trigger.",
    )
    gov_warning_bad_rating = fields.Boolean(string="Warn on Bad Rating")
    gov_warning_inspection = fields.Boolean(string="Warn on Inspection Deduction")

    @api.model
    def get_values(self):
        res = super().get_values()
        settings = self.env["gov.early.warning"]._get_trigger_settings()
        res.update(
            gov_warning_late_count=settings["late_count"],
            gov_warning_bad_rating=settings["bad_rating"],
            gov_warning_inspection=settings["inspection"],
        )
        return res

    def set_values(self):
        super().set_values()
        if self.gov_warning_late_count < 0:
            raise ValidationError(self.env._("The number of late arrivals cannot be negative."))
        ICP = self.env["ir.config_parameter"].sudo()
        ICP.set_param("gov_service_center.warning_late_count", str(self.gov_warning_late_count))
        ICP.set_param("gov_service_center.warning_bad_rating", str(bool(self.gov_warning_bad_rating)))
        ICP.set_param("gov_service_center.warning_inspection", str(bool(self.gov_warning_inspection)))
