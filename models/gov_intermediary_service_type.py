# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .gov_center_time import center_today


class GovIntermediaryServiceType(models.Model):
    _name = "gov.intermediary.service.type"
    _description = "Intermediary Service Type"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "code, name"

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(required=True, index=True, tracking=True)
    active = fields.Boolean(default=True)
    legal_basis = fields.Text()
    description = fields.Text()
    min_providers = fields.Integer(
        string="Minimum Providers",
        default=3,
        tracking=True,
        help="Every kind of intermediary service required by an approval must be "
        "offered by at least this number of filed, unrestricted providers.",
    )
    precondition_ids = fields.One2many(
        "gov.approval.precondition", "service_type_id", string="Preconditions"
    )
    precondition_count = fields.Integer(compute="_compute_precondition_count")
    qualification_ids = fields.One2many(
        "gov.intermediary.qualification", "service_type_id", string="Qualifications"
    )
    provider_count = fields.Integer(
        string="Qualified Providers",
        compute="_compute_provider_count",
        store=True,
        help="Filed, unrestricted intermediaries holding a valid (not expired) "
        "qualification for this service type. Refreshed on every change and "
        "every night for the certificates that expire.",
    )
    is_short = fields.Boolean(
        string="Short Supply",
        compute="_compute_is_short",
        store=True,
        index=True,
        help="Fewer qualified providers than the minimum.",
    )

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of an intermediary service type must be unique."),
    ]

    @api.depends("precondition_ids")
    def _compute_precondition_count(self):
        counts = dict(
            self.env["gov.approval.precondition"]._read_group(
                [("service_type_id", "in", self.ids), ("state", "=", "active")],
                groupby=["service_type_id"],
                aggregates=["__count"],
            )
        )
        for service_type in self:
            service_type.precondition_count = counts.get(service_type, 0)

    @api.depends(
        "qualification_ids.date_expiry",
        "qualification_ids.intermediary_id",
        "qualification_ids.intermediary_id.filing_state",
        "qualification_ids.intermediary_id.is_restricted",
        "qualification_ids.intermediary_id.active",
    )
    def _compute_provider_count(self):
        counts = {}
        real_ids = [service_type.id for service_type in self if isinstance(service_type.id, int)]
        if real_ids:
            today = center_today(self.env)
            counts = dict(
                self.env["gov.intermediary.qualification"].sudo()._read_group(
                    [
                        ("service_type_id", "in", real_ids),
                        ("intermediary_id.filing_state", "=", "filed"),
                        ("intermediary_id.is_restricted", "=", False),
                        "|",
                        ("date_expiry", "=", False),
                        ("date_expiry", ">=", today),
                    ],
                    groupby=["service_type_id"],
                    aggregates=["intermediary_id:count_distinct"],
                )
            )
        for service_type in self:
            service_type.provider_count = counts.get(service_type, 0)

    @api.depends("provider_count", "min_providers")
    def _compute_is_short(self):
        for service_type in self:
            service_type.is_short = service_type.provider_count < service_type.min_providers

    def _recompute_provider_count(self):
        """Recompute the stored counts (the validity of certificates depends
        on the date, which no field trigger sees)."""
        self.env.add_to_compute(self._fields["provider_count"], self)
        self.flush_recordset(["provider_count", "is_short"])

    @api.model
    def _cron_warn_short_supply(self):
        """Remind the center of every service type in short supply, once per
        open reminder: a type whose reminder is still open gets no other."""
        self.search([])._recompute_provider_count()
        short_types = self.search([("is_short", "=", True)])
        if not short_types:
            return True
        users = self.env["gov.intermediary.qualification"]._center_users()
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        existing = {
            (activity.res_id, activity.user_id.id)
            for activity in self.env["mail.activity"].sudo().search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", short_types.ids),
                    ("activity_type_id", "=", activity_type.id),
                    ("user_id", "in", users.ids),
                ]
            )
        }
        for service_type in short_types:
            for user in users:
                if (service_type.id, user.id) in existing:
                    continue
                service_type.activity_schedule(
                    activity_type_id=activity_type.id,
                    summary=self.env._(
                        "Short supply: %(count)s of %(minimum)s providers",
                        count=service_type.provider_count,
                        minimum=service_type.min_providers,
                    ),
                    note=self.env._(
                        "Fewer filed, unrestricted and qualified intermediaries than "
                        "required offer this service. Recruit or file new providers."
                    ),
                    user_id=user.id,
                )
        return True

    @api.constrains("min_providers")
    def _check_min_providers(self):
        for service_type in self:
            if service_type.min_providers < 0:
                raise ValidationError(
                    self.env._("The minimum number of providers cannot be negative.")
                )
