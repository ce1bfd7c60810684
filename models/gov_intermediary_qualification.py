# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .gov_center_time import center_today

EXPIRY_WARNING_DAYS = 30


class GovIntermediaryQualification(models.Model):
    _name = "gov.intermediary.qualification"
    _description = "Intermediary Qualification Certificate"
    _inherit = ["mail.thread"]
    _order = "intermediary_id, date_expiry, id"

    name = fields.Char(string="Certificate Number", required=True, tracking=True, index=True)
    intermediary_id = fields.Many2one(
        "gov.intermediary",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
    )
    service_type_id = fields.Many2one(
        "gov.intermediary.service.type",
        string="Service Type",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    issuer = fields.Char(string="Issued By", required=True, tracking=True)
    scope = fields.Text(string="Scope / Level")
    date_issued = fields.Date(string="Issued On")
    date_expiry = fields.Date(
        string="Expires On", index=True, tracking=True, help="Leave empty when it never expires."
    )
    is_expired = fields.Boolean(
        compute="_compute_is_expired", search="_search_is_expired"
    )
    expiry_notified = fields.Boolean(
        readonly=True,
        copy=False,
        help="The center has been reminded of the coming expiry.",
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "gov_intermediary_qualification_attachment_rel",
        "qualification_id",
        "attachment_id",
        string="Scanned Certificate",
    )

    @api.depends("date_expiry")
    def _compute_is_expired(self):
        today = center_today(self.env)
        for qualification in self:
            qualification.is_expired = bool(
                qualification.date_expiry and qualification.date_expiry < today
            )

    def _search_is_expired(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on 'Expired'."))
        today = center_today(self.env)
        expired = [("date_expiry", "!=", False), ("date_expiry", "<", today)]
        if (operator == "=") == value:
            return expired
        return ["|", ("date_expiry", "=", False), ("date_expiry", ">=", today)]

    @api.constrains("date_issued", "date_expiry")
    def _check_dates(self):
        for qualification in self:
            if (
                qualification.date_issued
                and qualification.date_expiry
                and qualification.date_expiry < qualification.date_issued
            ):
                raise ValidationError(
                    self.env._(
                        "The certificate %(number)s cannot expire before it was issued.",
                        number=qualification.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        qualifications = super().create(vals_list)
        qualifications._add_service_types()
        return qualifications

    def write(self, vals):
        if "date_expiry" in vals:
            vals["expiry_notified"] = False
        result = super().write(vals)
        if "service_type_id" in vals or "intermediary_id" in vals:
            self._add_service_types()
        return result

    def _add_service_types(self):
        """A qualification for a service type means the provider offers it."""
        for qualification in self:
            if qualification.service_type_id not in qualification.intermediary_id.service_type_ids:
                qualification.intermediary_id.service_type_ids = [
                    fields.Command.link(qualification.service_type_id.id)
                ]

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------
    @api.model
    def _center_users(self):
        """Active internal users of the Administrator group."""
        group = self.env.ref("gov_service_center.group_gov_admin")
        return group.sudo().users.filtered(lambda user: user.active and not user.share)

    @api.model
    def _cron_warn_expiring(self):
        """Remind the center, once, of every certificate of a filed intermediary
        expiring within the next 30 days; refresh the provider counts."""
        today = center_today(self.env)
        expiring = self.search(
            [
                ("date_expiry", ">=", today),
                ("date_expiry", "<=", today + timedelta(days=EXPIRY_WARNING_DAYS)),
                ("expiry_notified", "=", False),
                ("intermediary_id.filing_state", "=", "filed"),
            ]
        )
        users = self._center_users()
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        for qualification in expiring:
            for user in users:
                qualification.intermediary_id.activity_schedule(
                    activity_type_id=activity_type.id,
                    date_deadline=qualification.date_expiry,
                    summary=self.env._(
                        "Qualification %(number)s expires on %(date)s",
                        number=qualification.name,
                        date=qualification.date_expiry,
                    ),
                    user_id=user.id,
                )
        expiring.write({"expiry_notified": True})
        # provider counts depend on today's date: refresh them all
        self.env["gov.intermediary.service.type"].with_context(active_test=False).search(
            []
        )._recompute_provider_count()
        return True
