# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.tools import SQL
from odoo.exceptions import UserError, ValidationError

from .gov_center_time import center_today, center_today_default
from .gov_consultation import mask_text
from .gov_settings import get_setting
from .gov_stat_source_mixin import StatSource

COMPLAINT_STATE_SELECTION = [
    ("new", "Received"),
    ("investigating", "Investigating"),
    ("disposed", "Disposed"),
    ("replied", "Replied"),
    ("closed", "Closed"),
]

COMPLAINT_CHANNEL_SELECTION = [
    ("website", "Website"),
    ("phone", "Phone"),
    ("on_site", "On Site"),
    ("mailbox", "Complaint Box"),
    ("letter", "Letter"),
    ("other", "Other"),
]



class GovComplaint(models.Model):
    """A complaint handled along GB/T 36113: received, investigated, disposed,
    replied to, closed."""

    _name = "gov.complaint"
    _description = "Complaint"
    _inherit = [
        "mail.thread", "mail.activity.mixin", "gov.register.mixin", "gov.deadline.mixin",
        "gov.query.code.mixin", "gov.stat.source.mixin",
    ]
    _query_code_phone_field = "complainant_phone"
    _query_code_email_field = "complainant_email"
    _order = "date_received desc, id desc"

    name = fields.Char(string="Subject", required=True, tracking=True)
    channel = fields.Selection(
        COMPLAINT_CHANNEL_SELECTION, required=True, default="phone", tracking=True, index=True
    )
    # personal data: department officers only, as on consultations
    complainant_name = fields.Char(tracking=True, groups="gov_service_center.group_gov_officer")
    complainant_phone = fields.Char(groups="gov_service_center.group_gov_officer")
    complainant_email = fields.Char(groups="gov_service_center.group_gov_officer")
    keep_anonymous = fields.Boolean(
        string="Anonymous in Public",
        help="The complainant asked not to be named publicly; the contact details "
        "are kept to send the reply.",
    )
    intermediary_id = fields.Many2one(
        "gov.intermediary", string="Intermediary Concerned", index=True, tracking=True,
        ondelete="restrict",
    )
    description = fields.Text(required=True)
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "gov_complaint_attachment_rel",
        "complaint_id",
        "attachment_id",
        string="Evidence",
    )
    date_received = fields.Date(
        required=True, default=center_today_default, tracking=True, index=True
    )
    date_deadline = fields.Date(
        string="Deadline",
        compute="_compute_date_deadline",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        help="Received date plus the configured number of working days.",
    )
    user_id = fields.Many2one(
        "res.users", string="Assignee", index=True, tracking=True,
        domain=[("share", "=", False)],
    )
    department_id = fields.Many2one(
        "hr.department", string="Department", index=True, tracking=True
    )
    state = fields.Selection(
        COMPLAINT_STATE_SELECTION, required=True, default="new", tracking=True, index=True,
        copy=False,
    )
    outcome = fields.Text(string="Disposal Outcome", tracking=True)
    is_upheld = fields.Boolean(
        string="Upheld", tracking=True,
        help="The investigation found the complaint justified.",
    )
    reply = fields.Text(string="Reply to the Complainant", tracking=True)
    date_replied = fields.Date(readonly=True, copy=False)
    date_closed = fields.Date(readonly=True, copy=False)
    query_code = fields.Char(
        required=True, readonly=True, copy=False, index=True,
        default=lambda self: self._generate_query_code(),
    )

    _sql_constraints = [
        ("query_code_unique", "unique(query_code)", "The query code must be unique."),
    ]

    @api.model
    def _gov_stat_sources(self):
        return [StatSource(
            source="complaint",
            date_field="date_received",
            measures={
                "complaint_count": SQL("COUNT(*)"),
                "complaint_closed_count": SQL("COUNT(*) FILTER (WHERE s.state = 'closed')"),
            },
            fields=("date_received", "department_id", "state"),
        )]

    @api.model
    def _deadline_days(self):
        return get_setting(self.env, "complaint_deadline_days")

    @api.depends("date_received")
    def _compute_date_deadline(self):
        days = self._deadline_days()
        Calendar = self.env["gov.calendar.day"]
        for complaint in self:
            complaint.date_deadline = (
                Calendar.add_working_days(complaint.date_received, days)
                if complaint.date_received
                else False
            )

    # ------------------------------------------------------------------
    # Deadline (gov.deadline.mixin)
    # ------------------------------------------------------------------
    @api.model
    def _gov_deadline_open_domain(self):
        return [("state", "in", ("new", "investigating", "disposed"))]

    @api.model
    def _gov_deadline_depends(self):
        return ["date_deadline", "state"]

    @api.constrains("complainant_phone", "complainant_email", "channel")
    def _check_contact(self):
        for complaint in self:
            if complaint.channel == "website" and not (
                complaint.complainant_phone or complaint.complainant_email
            ):
                raise ValidationError(
                    self.env._("Give a phone number or an email address to receive the reply.")
                )

    # ------------------------------------------------------------------
    # Workflow (GB/T 36113)
    # ------------------------------------------------------------------
    def _check_state(self, allowed):
        for complaint in self:
            if complaint.state not in allowed:
                raise UserError(
                    self.env._(
                        "The complaint %(name)s is not at the right step for this action.",
                        name=complaint.display_name,
                    )
                )

    def action_investigate(self):
        self._check_state(("new",))
        for complaint in self:
            if not complaint.user_id:
                complaint.user_id = self.env.user
        self.write({"state": "investigating"})
        return True

    def action_dispose(self):
        self._check_state(("investigating",))
        for complaint in self:
            if not (complaint.outcome or "").strip():
                raise UserError(
                    self.env._(
                        "Record the disposal outcome of %(name)s first.", name=complaint.display_name
                    )
                )
        self.write({"state": "disposed"})
        return True

    def action_reply(self):
        self._check_state(("disposed",))
        for complaint in self:
            if not (complaint.reply or "").strip():
                raise UserError(
                    self.env._(
                        "Write the reply to the complainant of %(name)s first.",
                        name=complaint.display_name,
                    )
                )
        self.write({"state": "replied", "date_replied": center_today(self.env)})
        self.env["gov.notification"]._gov_notify("complaint_replied", self)
        return True

    def _gov_notification_values(self, key):
        """Placeholder values of the notification templates about this complaint."""
        self.ensure_one()
        return {
            "subject": self.name,
            "query_code": self.query_code or "",
            "track_url": f"{self.get_base_url()}/complaint/track",
        }

    def _public_track_values(self):
        """What the complainant sees on /complaint/track: status, dates and
        the reply once given; never the contact details, the intermediary,
        the assignee or the internal outcome."""
        self.ensure_one()
        complaint = self.sudo()
        states = dict(complaint._fields["state"]._description_selection(self.env))
        replied = complaint.state in ("replied", "closed")
        return {
            "query_code": complaint.query_code,
            "name": mask_text(complaint.name),
            "state": complaint.state,
            "state_label": states.get(complaint.state, ""),
            "date_received": complaint.date_received,
            "date_deadline": complaint.date_deadline,
            "date_replied": complaint.date_replied if replied else False,
            "date_closed": complaint.date_closed,
            "reply": mask_text(complaint.reply) if replied else "",
        }

    def action_close(self):
        self._check_state(("replied",))
        self.write({"state": "closed", "date_closed": center_today(self.env)})
        return True
