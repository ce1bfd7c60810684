# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Fields of the window-staff profile that only HR users and the service
# center's officers may read (face data consent, probation, talent pool).
SENSITIVE_GROUPS = "hr.group_hr_user,gov_service_center.group_gov_officer"


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    # ------------------------------------------------------------------
    # Window staff (窗口人员)
    # ------------------------------------------------------------------
    gov_window_id = fields.Many2one(
        "gov.service.window",
        string="Service Window",
        index=True,
        tracking=True,
        ondelete="set null",
        help="The window of the service hall where the employee works.",
    )
    gov_staff_role = fields.Selection(
        [("chief", "Chief Representative"), ("staff", "Window Staff")],
        string="Window Role",
        tracking=True,
        help="Chief representative (首席代表) of the department in the hall, or window staff.",
    )
    gov_station_date = fields.Date(
        string="Stationed Since",
        tracking=True,
        groups=SENSITIVE_GROUPS,
        help="First day of work in the service hall.",
    )
    gov_probation_end = fields.Date(
        string="Probation End",
        compute="_compute_gov_probation_end",
        store=True,
        readonly=False,
        tracking=True,
        groups=SENSITIVE_GROUPS,
        help="By default one month after the stationed date.",
    )
    gov_face_consent = fields.Boolean(
        string="Face Recognition Consent",
        tracking=True,
        groups=SENSITIVE_GROUPS,
        help="The employee agreed in writing to clock in by face recognition. "
        "Without it, face punches are rejected and the fingerprint or the badge "
        "must be used instead.",
    )
    gov_face_consent_date = fields.Date(
        string="Consent Date", tracking=True, groups=SENSITIVE_GROUPS
    )
    gov_face_consent_attachment_id = fields.Many2one(
        "ir.attachment",
        string="Consent Document",
        groups=SENSITIVE_GROUPS,
        ondelete="restrict",
    )
    gov_reserve_talent = fields.Boolean(
        string="Reserve Talent", tracking=True, groups=SENSITIVE_GROUPS
    )
    gov_training_ids = fields.One2many(
        "gov.training.record",
        "employee_id",
        string="Training Records",
        groups=SENSITIVE_GROUPS,
    )

    @api.depends("gov_station_date")
    def _compute_gov_probation_end(self):
        for employee in self:
            if employee.gov_station_date:
                employee.gov_probation_end = employee.gov_station_date + relativedelta(
                    months=1
                )
            elif not employee.gov_probation_end:
                employee.gov_probation_end = False

    @api.constrains("gov_face_consent", "gov_face_consent_date")
    def _check_gov_face_consent(self):
        for employee in self.sudo():
            if employee.gov_face_consent and not employee.gov_face_consent_date:
                raise ValidationError(
                    self.env._(
                        "Enter the date of the face recognition consent of %(employee)s.",
                        employee=employee.name,
                    )
                )

    def write(self, vals):
        if "gov_face_consent" in vals and not vals["gov_face_consent"]:
            vals = dict(vals, gov_face_consent_date=False)
        res = super().write(vals)
        if "department_id" in vals or "user_id" in vals or "gov_window_id" in vals:
            # the service center record rules depend on users' departments and windows
            self.env.registry.clear_cache()
        return res

    @api.model_create_multi
    def create(self, vals_list):
        employees = super().create(vals_list)
        if any(vals.get("user_id") for vals in vals_list):
            self.env.registry.clear_cache()
        return employees
