# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.addons.base.models.res_partner import _tz_get
from odoo.exceptions import ValidationError

from .gov_settings import (
    DECLARATIONS,
    SETTINGS,
    field_name,
    format_value,
    get_setting,
    in_bounds,
    param_key,
    parse,
)


def _setting(name, **extra):
    """Field arguments of the setting ``name``, taken from its declaration."""
    setting = SETTINGS[name]
    return dict(
        string=setting.label,
        help=setting.help or None,
        config_parameter=param_key(name),
        default=setting.default,
        **extra,
    )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # Center clock
    gov_center_tz = fields.Selection(_tz_get, **_setting("center_tz"))
    # Approval items
    gov_item_code_pattern = fields.Char(**_setting("item_code_pattern"))
    gov_division_code = fields.Char(**_setting("division_code"))
    # Cases
    gov_case_number_pattern = fields.Char(**_setting("case_number_pattern"))
    gov_case_supplement_days = fields.Integer(**_setting("case_supplement_days"))
    gov_case_extension_days = fields.Integer(**_setting("case_extension_days"))
    gov_case_joint_extension_days = fields.Integer(**_setting("case_joint_extension_days"))
    gov_case_delivery_days = fields.Integer(**_setting("case_delivery_days"))
    gov_case_overdue_points = fields.Float(**_setting("case_overdue_points"))
    # Consultations and leader mailbox (working days)
    gov_consultation_days = fields.Integer(**_setting("consultation_days"))
    gov_mailbox_simple_days = fields.Integer(**_setting("mailbox_simple_days"))
    gov_mailbox_complex_days = fields.Integer(**_setting("mailbox_complex_days"))
    gov_rating_days = fields.Integer(**_setting("rating_days"))
    # Window staff discipline, points, stars and early warnings
    gov_points_base = fields.Float(**_setting("points_base"))
    gov_points_bonus_cap = fields.Float(**_setting("points_bonus_cap"))
    gov_star_count = fields.Integer(**_setting("star_count"))
    gov_notice_threshold = fields.Float(**_setting("notice_threshold"))
    gov_warning_late_count = fields.Integer(**_setting("warning_late_count"))
    gov_warning_bad_rating = fields.Boolean(**_setting("warning_bad_rating"))
    gov_warning_inspection = fields.Boolean(**_setting("warning_inspection"))
    # Attendance
    gov_attendance_grace_minutes = fields.Integer(**_setting("attendance_grace_minutes"))
    gov_attendance_minor_minutes = fields.Integer(**_setting("attendance_minor_minutes"))
    gov_attendance_points_minor = fields.Float(**_setting("attendance_points_minor"))
    gov_attendance_points_major = fields.Float(**_setting("attendance_points_major"))
    gov_attendance_points_missed_punch = fields.Float(
        **_setting("attendance_points_missed_punch")
    )
    gov_attendance_points_absent_half_day = fields.Float(
        **_setting("attendance_points_absent_half_day")
    )
    gov_punch_rederive_days = fields.Integer(**_setting("punch_rederive_days"))
    # Service ratings
    gov_rating_verify_days = fields.Integer(**_setting("rating_verify_days"))
    gov_rating_rectify_days = fields.Integer(**_setting("rating_rectify_days"))
    gov_rating_bad_points = fields.Float(**_setting("rating_bad_points"))
    gov_rating_good_points = fields.Float(**_setting("rating_good_points"))
    # Intermediaries
    gov_complaint_deadline_days = fields.Integer(**_setting("complaint_deadline_days"))
    gov_evaluation_weight_owner = fields.Integer(**_setting("evaluation_weight_owner"))
    gov_evaluation_weight_department = fields.Integer(**_setting("evaluation_weight_department"))
    gov_evaluation_weight_center = fields.Integer(**_setting("evaluation_weight_center"))
    gov_grade_threshold_a = fields.Integer(**_setting("grade_threshold_a"))
    gov_grade_threshold_b = fields.Integer(**_setting("grade_threshold_b"))
    gov_grade_threshold_c = fields.Integer(**_setting("grade_threshold_c"))
    gov_grade_threshold_d = fields.Integer(**_setting("grade_threshold_d"))
    # Electronic supervision
    gov_supervision_warning_days = fields.Integer(**_setting("supervision_warning_days"))
    gov_supervision_yellow_points = fields.Float(**_setting("supervision_yellow_points"))
    gov_supervision_red_points = fields.Float(**_setting("supervision_red_points"))
    # Website forms
    gov_form_min_fill_seconds = fields.Integer(**_setting("form_min_fill_seconds"))
    gov_form_max_form_age_seconds = fields.Integer(**_setting("form_max_form_age_seconds"))
    gov_form_ip_per_10_minutes = fields.Integer(**_setting("form_ip_per_10_minutes"))
    gov_form_ip_per_day = fields.Integer(**_setting("form_ip_per_day"))
    gov_form_phone_per_day = fields.Integer(**_setting("form_phone_per_day"))
    gov_form_scope_ip_per_day = fields.Integer(**_setting("form_scope_ip_per_day"))
    gov_hall_ticket_ip_limit = fields.Integer(**_setting("hall_ticket_ip_limit"))
    gov_hall_ticket_ip_priority_limit = fields.Integer(**_setting("hall_ticket_ip_priority_limit"))
    # Notifications
    gov_notify_sms_daily_cap = fields.Integer(**_setting("notify_sms_daily_cap"))
    gov_notify_quiet_start = fields.Float(**_setting("notify_quiet_start"))
    gov_notify_quiet_end = fields.Float(**_setting("notify_quiet_end"))
    gov_notify_max_attempts = fields.Integer(**_setting("notify_max_attempts"))
    gov_notify_backoff_minutes = fields.Integer(**_setting("notify_backoff_minutes"))
    # Website identity
    gov_center_hours = fields.Char(**_setting("center_hours"))
    gov_complaint_phone = fields.Char(**_setting("complaint_phone"))
    gov_site_sponsor = fields.Char(**_setting("site_sponsor"))
    gov_site_code = fields.Char(**_setting("site_code"))
    gov_icp_number = fields.Char(**_setting("icp_number"))
    gov_psb_number = fields.Char(**_setting("psb_number"))

    @api.constrains("gov_case_number_pattern")
    def _check_gov_case_number_pattern(self):
        for settings in self:
            if settings.gov_case_number_pattern:
                self.env["gov.case"]._check_number_pattern(settings.gov_case_number_pattern)

    @api.constrains("gov_item_code_pattern")
    def _check_gov_item_code_pattern(self):
        for settings in self:
            if settings.gov_item_code_pattern:
                self.env["gov.approval.item"]._check_code_pattern(settings.gov_item_code_pattern)

    @api.model
    def get_values(self):
        """Show what the module really uses: unusable stored values show the default."""
        res = super().get_values()
        res.update({field_name(s.name): get_setting(self.env, s.name) for s in DECLARATIONS})
        return res

    def _check_gov_settings(self):
        """Refuse values out of the declared bounds, before anything is stored."""
        for setting in DECLARATIONS:
            name = field_name(setting.name)
            value = self[name]
            label = self._fields[name].get_description(self.env)["string"]
            if setting.type in ("int", "float"):
                if not in_bounds(setting, value):
                    raise ValidationError(
                        self.env._(
                            "%(setting)s must lie between %(minimum)s and %(maximum)s.",
                            setting=label, minimum=setting.minimum, maximum=setting.maximum,
                        )
                    )
            elif setting.type in ("char", "selection") and value and value.strip():
                if parse(setting, value) is None:
                    raise ValidationError(
                        self.env._(
                            "%(value)s is not a valid value for %(setting)s.",
                            value=value, setting=label,
                        )
                    )

    def set_values(self):
        self._check_gov_settings()
        super().set_values()
        # stored as explicit text: 0 and False must not fall back to the defaults
        ICP = self.env["ir.config_parameter"].sudo()
        identity_changed = False
        for setting in DECLARATIONS:
            value = self[field_name(setting.name)]
            if setting.type == "char" and setting.default == "" and not (value or "").strip():
                # optional text cleared: nothing is shown any more
                if ICP.get_param(param_key(setting.name)):
                    ICP.set_param(param_key(setting.name), False)
                    identity_changed |= setting.section == "website"
                continue
            if setting.type in ("char", "selection") and not value:
                continue  # left empty: the default applies
            text = format_value(setting, value.strip() if setting.type == "char" else value)
            if ICP.get_param(param_key(setting.name)) != text:
                ICP.set_param(param_key(setting.name), text)
                identity_changed |= setting.section == "website"
        if identity_changed:
            # the header and footer of the website are cached with the templates
            self.env.registry.clear_cache("templates")
