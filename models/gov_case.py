# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The case file (办件): one application for an approval item, from intake to
delivery, with its legal deadlines (Administrative Licensing Law, Art. 32,
42, 44, 45 and 82)."""
import re
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, create_index, format_date

from .gov_center_time import center_date, center_month_bounds
from .gov_consultation import EMAIL_RE, MOBILE_RE
from .gov_identity import is_valid_id_number, normalize_id_number
from .gov_intermediary import is_valid_uscc, normalize_uscc
from .gov_query_code_mixin import phone_verifier, verifier_matches
from .gov_settings import get_setting
from .gov_stat_source_mixin import StatSource

CASE_STATE_SELECTION = [
    ("draft", "Draft"),
    ("submitted", "Awaiting Review"),
    ("supplement", "Awaiting Materials"),
    ("accepted", "Accepted"),
    ("rejected", "Not Accepted"),
    ("approved", "Approved"),
    ("denied", "Denied"),
    ("withdrawn", "Withdrawn"),
    ("delivered", "Delivered"),
]

CASE_CHANNEL_SELECTION = [
    ("window", "Window"),
    ("online", "Online"),
    ("other", "Other"),
]

APPLICANT_TYPE_SELECTION = [
    ("person", "Person"),
    ("organization", "Organisation"),
]

EXTENSION_STATE_SELECTION = [
    ("none", "None"),
    ("requested", "Requested"),
    ("approved", "Approved"),
    ("refused", "Refused"),
]

# states in which the applicant's file is still being received
INTAKE_STATES = ("draft", "submitted", "supplement")
# states before a decision: the applicant may still withdraw
UNDECIDED_STATES = ("draft", "submitted", "supplement", "accepted")
# notices printed for a case, each numbered by its own sequence
NOTICE_KINDS = ("acceptance", "supplement", "rejection", "decision", "delivery")

_PATTERN_FIELD_RE = re.compile(r"{(\w+)(?::[^}]*)?}")
_PATTERN_KEYS = {"division", "yyyymmdd", "yyyy", "mm", "dd", "seq"}


class GovCase(models.Model):
    _name = "gov.case"
    _description = "Case"
    _inherit = [
        "mail.thread", "mail.activity.mixin", "portal.mixin",
        "gov.register.mixin", "gov.deadline.mixin", "gov.stat.source.mixin",
    ]
    _order = "date_received desc, id desc"
    # whoever may read the case may write in its chatter: the front desk
    # keeps noting what it told the applicant once the case is accepted
    _mail_post_access = "read"
    _rec_names_search = ["name", "applicant_name"]
    _gov_deadline_department_path = "department_id"
    _gov_deadline_user_path = "user_id"
    _gov_workflow_fields = (
        "state", "date_received", "date_accepted", "date_decided", "date_delivered",
        "extension_days", "extension_state", "is_deemed_accepted", "date_supplement_notice",
        "date_withdrawn", "decision_result",
    )
    _gov_frozen_fields = (
        "name", "item_id", "channel", "applicant_type", "applicant_name",
        "applicant_id_number", "applicant_uscc", "partner_id",
    )

    name = fields.Char(
        string="Case Number", required=True, readonly=True, copy=False, index=True,
        default="/",
    )
    item_id = fields.Many2one(
        "gov.approval.item", string="Approval Item", required=True, index=True,
        tracking=True, ondelete="restrict",
        domain="[('state', '=', 'active')]",
    )
    department_id = fields.Many2one(
        "hr.department", string="Department", compute="_compute_department_id",
        store=True, readonly=False, index=True, tracking=True, precompute=True,
        help="Department that handles the case: the item's department, unless the "
        "front desk dispatched it elsewhere.",
    )
    channel = fields.Selection(
        CASE_CHANNEL_SELECTION, required=True, default="window", index=True, tracking=True,
    )
    applicant_type = fields.Selection(
        APPLICANT_TYPE_SELECTION, string="Applicant Type", required=True, default="person",
    )
    applicant_name = fields.Char(string="Applicant", required=True, tracking=True)
    applicant_id_number = fields.Char(
        string="ID Number", help="18-character citizen identity number (GB 11643).",
    )
    applicant_uscc = fields.Char(
        string="Unified Social Credit Code",
        help="18-character unified social credit code of the organisation (GB 32100).",
    )
    contact_phone = fields.Char(string="Contact Mobile", required=True)
    contact_email = fields.Char(string="Contact Email")
    partner_id = fields.Many2one(
        "res.partner", string="Portal Applicant", index="btree_not_null", ondelete="restrict",
        help="Portal user who applied online; they follow the case on their portal.",
    )
    user_id = fields.Many2one(
        "res.users", string="Case Officer", index=True, tracking=True,
        domain=[("share", "=", False)],
    )
    receiver_id = fields.Many2one(
        "res.users", string="Received By", readonly=True, copy=False,
        default=lambda self: self.env.user if not self.env.user.share else False,
    )
    state = fields.Selection(
        CASE_STATE_SELECTION, required=True, default="draft", index=True, tracking=True,
        copy=False,
    )
    description = fields.Text(string="Application Summary")

    # dates
    date_received = fields.Datetime(
        string="Received On", readonly=True, copy=False, index=True, tracking=True,
    )
    date_received_day = fields.Date(
        string="Day Received", compute="_compute_date_received_day", store=True, index=True,
        help="Day of receipt in the center's time zone.",
    )
    date_supplement_notice = fields.Date(
        string="Supplement Notice On", readonly=True, copy=False, tracking=True,
    )
    date_supplement_limit = fields.Date(
        string="Supplement Notice Due", compute="_compute_date_supplement_limit", store=True,
        help="Last day to tell the applicant at once every missing material (5 working "
        "days after receipt). Without a notice by then, the case counts as accepted on "
        "the day of receipt (Administrative Licensing Law, Art. 32).",
    )
    date_accepted = fields.Date(string="Accepted On", readonly=True, copy=False, tracking=True)
    is_deemed_accepted = fields.Boolean(
        string="Deemed Accepted", readonly=True, copy=False,
        help="No supplement notice within 5 working days: the case counts as accepted on "
        "the day the materials arrived (Art. 32).",
    )
    promised_days = fields.Integer(
        string="Promised Time Limit", readonly=True, copy=False,
        help="Working days promised by the center, copied from the item at acceptance.",
    )
    statutory_days = fields.Integer(
        string="Statutory Time Limit", readonly=True, copy=False,
        help="Working days allowed by law, copied from the item at acceptance.",
    )
    date_deadline = fields.Date(
        string="Promised Deadline", compute="_compute_deadlines", store=True, index=True,
        copy=False,
    )
    date_deadline_statutory = fields.Date(
        string="Statutory Deadline", compute="_compute_deadlines", store=True, copy=False,
    )
    date_decided = fields.Date(
        string="Decided On", readonly=True, copy=False, tracking=True, index=True,
    )
    date_delivery_deadline = fields.Date(
        string="Delivery Due", compute="_compute_delivery", store=True, copy=False,
        help="The decision must be delivered within 10 working days (Art. 44).",
    )
    date_delivered = fields.Date(string="Delivered On", readonly=True, copy=False, tracking=True)
    is_delivery_late = fields.Boolean(
        string="Delivered Late", compute="_compute_delivery", store=True, copy=False,
    )
    date_withdrawn = fields.Date(string="Withdrawn On", readonly=True, copy=False)
    working_days_used = fields.Integer(
        string="Working Days Used", compute="_compute_working_days_used", store=True,
        aggregator="avg",
        help="Working days from acceptance to decision, pauses excluded.",
    )
    is_on_time = fields.Boolean(
        string="Decided on Time", compute="_compute_working_days_used", store=True,
    )

    # extension (Art. 42)
    extension_days = fields.Integer(
        string="Extension (working days)", readonly=True, copy=False, tracking=True,
    )
    extension_requested_days = fields.Integer(string="Extension Requested", copy=False)
    extension_reason = fields.Text(string="Extension Reason", copy=False, tracking=True)
    extension_state = fields.Selection(
        EXTENSION_STATE_SELECTION, string="Extension", default="none", required=True,
        copy=False, tracking=True,
    )
    extension_approver_id = fields.Many2one(
        "res.users", string="Extension Approved By", readonly=True, copy=False,
    )

    # outcome
    rejection_reason = fields.Text(string="Reasons for Not Accepting", copy=False, tracking=True)
    decision_note = fields.Text(
        string="Decision Reasons", copy=False, tracking=True,
        help="Grounds of the decision; mandatory for a denial.",
    )
    withdrawal_reason = fields.Text(copy=False)
    date_review_limit = fields.Date(
        string="Administrative Review Until", compute="_compute_remedies", store=True,
        help="The applicant may apply for administrative review (复议) within 60 days.",
    )
    date_lawsuit_limit = fields.Date(
        string="Lawsuit Until", compute="_compute_remedies", store=True,
        help="The applicant may sue (诉讼) within 6 months.",
    )

    # notices
    notice_acceptance_no = fields.Char(string="Acceptance Notice No.", readonly=True, copy=False)
    notice_supplement_no = fields.Char(string="Supplement Notice No.", readonly=True, copy=False)
    notice_rejection_no = fields.Char(string="Rejection Notice No.", readonly=True, copy=False)
    notice_decision_no = fields.Char(string="Decision No.", readonly=True, copy=False)
    notice_delivery_no = fields.Char(string="Delivery Receipt No.", readonly=True, copy=False)

    # lines
    material_line_ids = fields.One2many("gov.case.material", "case_id", string="Materials")
    step_ids = fields.One2many("gov.case.step", "case_id", string="Process Steps")
    pause_ids = fields.One2many("gov.case.pause", "case_id", string="Pauses")
    current_step_id = fields.Many2one(
        "gov.case.step", string="Current Step", compute="_compute_current_step",
    )
    missing_material_count = fields.Integer(compute="_compute_material_counts")
    is_paused = fields.Boolean(string="Paused", compute="_compute_is_paused", store=True)
    submission_key = fields.Char(readonly=True, copy=False, index="btree_not_null")

    _sql_constraints = [
        ("name_unique", "unique(name)", "The case number must be unique."),
        ("submission_key_unique", "unique(submission_key)",
         "This application was already submitted."),
    ]

    def init(self):
        super().init()
        # the case list in its order (_order): its first page reads 80 index
        # entries, whatever the number of cases received on the same moment
        create_index(
            self.env.cr, "gov_case_received_order_idx", self._table,
            ["date_received DESC", "id DESC"],
        )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("item_id")
    def _compute_department_id(self):
        for case in self:
            if case.item_id and not case.department_id:
                case.department_id = case.item_id.department_id

    @api.depends("date_received")
    def _compute_date_received_day(self):
        for case in self:
            case.date_received_day = center_date(self.env, case.date_received) or False

    @api.depends("date_received_day")
    def _compute_date_supplement_limit(self):
        Calendar = self.env["gov.calendar.day"]
        days = get_setting(self.env, "case_supplement_days")
        for case in self:
            case.date_supplement_limit = (
                Calendar.add_working_days(case.date_received_day, days)
                if case.date_received_day else False
            )

    def _pause_periods(self, today=None):
        """Periods that do not count, an open pause running until today."""
        self.ensure_one()
        today = today or self._gov_today()
        return [(p.date_start, p.date_end or today) for p in self.pause_ids if p.date_start]

    @api.depends(
        "date_accepted", "promised_days", "statutory_days", "extension_days",
        "pause_ids.date_start", "pause_ids.date_end",
    )
    def _compute_deadlines(self):
        Calendar = self.env["gov.calendar.day"]
        today = self._gov_today()
        unpaused = self.filtered(lambda case: case.date_accepted and not case.pause_ids)
        if unpaused:
            # one bisection per case over one list of working days
            dates = Calendar.add_working_days_batch(
                [(case.date_accepted, case.promised_days + case.extension_days)
                 for case in unpaused]
                + [(case.date_accepted, case.statutory_days + case.extension_days)
                   for case in unpaused]
            )
            count = len(unpaused)
            for case, promised, statutory in zip(unpaused, dates[:count], dates[count:]):
                case.date_deadline = promised
                case.date_deadline_statutory = statutory
        for case in self - unpaused:
            if not case.date_accepted:
                case.date_deadline = case.date_deadline_statutory = False
                continue
            pauses = case._pause_periods(today)
            extra = case.extension_days
            case.date_deadline = Calendar.add_working_days(
                case.date_accepted, case.promised_days + extra, pauses
            )
            case.date_deadline_statutory = Calendar.add_working_days(
                case.date_accepted, case.statutory_days + extra, pauses
            )

    @api.depends("state", "date_decided", "date_delivered")
    def _compute_delivery(self):
        Calendar = self.env["gov.calendar.day"]
        days = get_setting(self.env, "case_delivery_days")
        for case in self:
            due = (
                Calendar.add_working_days(case.date_decided, days)
                if case.date_decided and case.state in ("approved", "denied", "delivered")
                else False
            )
            case.date_delivery_deadline = due
            case.is_delivery_late = bool(due and case.date_delivered and case.date_delivered > due)

    @api.depends("date_accepted", "date_decided", "date_deadline", "pause_ids.date_end")
    def _compute_working_days_used(self):
        Calendar = self.env["gov.calendar.day"]
        for case in self:
            if case.date_accepted and case.date_decided:
                case.working_days_used = Calendar.working_days_between(
                    case.date_accepted, case.date_decided, case._pause_periods(case.date_decided)
                )
                case.is_on_time = bool(
                    case.date_deadline and case.date_decided <= case.date_deadline
                )
            else:
                case.working_days_used = 0
                case.is_on_time = False

    @api.depends("state", "date_decided")
    def _compute_remedies(self):
        for case in self:
            if case.state in ("rejected", "denied", "delivered") and case.date_decided:
                case.date_review_limit = case.date_decided + relativedelta(days=60)
                case.date_lawsuit_limit = case.date_decided + relativedelta(months=6)
            else:
                case.date_review_limit = case.date_lawsuit_limit = False

    @api.depends("step_ids.state")
    def _compute_current_step(self):
        for case in self:
            case.current_step_id = case.step_ids.filtered(lambda s: s.state == "running")[:1]

    @api.depends("material_line_ids.state")
    def _compute_material_counts(self):
        for case in self:
            case.missing_material_count = len(
                case.material_line_ids.filtered(lambda line: line.state == "missing")
            )

    @api.depends("pause_ids.date_start", "pause_ids.date_end")
    def _compute_is_paused(self):
        for case in self:
            case.is_paused = any(p.date_start and not p.date_end for p in case.pause_ids)

    def _compute_access_url(self):
        super()._compute_access_url()
        for case in self:
            case.access_url = f"/my/cases/{case.id}"

    # ------------------------------------------------------------------
    # Deadline (gov.deadline.mixin)
    # ------------------------------------------------------------------
    @api.model
    def _gov_deadline_open_domain(self):
        return [("state", "=", "accepted")]

    @api.model
    def _gov_deadline_depends(self):
        return ["date_deadline", "state"]

    def _gov_frozen_records(self):
        return self.filtered(lambda case: case.state not in INTAKE_STATES)

    @api.model
    def _gov_supervision_conditions(self, today, warning):
        """The deadline rules plus the irregularities of a case (yellow cards)."""
        def col(name):
            return SQL.identifier(self._table, name)

        blank = "btrim(COALESCE(%s, '')) = ''"
        return super()._gov_supervision_conditions(today, warning) + [
            # extension days counted without an approved request (Art. 42)
            ("extension_unapproved", "yellow", SQL(
                "COALESCE(%s, 0) > 0 AND (%s IS DISTINCT FROM 'approved' OR %s IS NULL)",
                col("extension_days"), col("extension_state"), col("extension_approver_id"),
            )),
            # refusal (not accepted, or licence denied) without its reasons
            ("decision_no_reason", "yellow", SQL(
                "((%s = 'rejected' AND " + blank + ") OR ((%s = 'denied' OR %s = 'denied') AND "
                + blank + "))",
                col("state"), col("rejection_reason"), col("state"), col("decision_result"),
                col("decision_note"),
            )),
            # decision delivered after its delivery due date, or still not
            # delivered past it (Art. 44)
            ("late_delivery", "yellow", SQL(
                "%s IS NOT NULL AND (%s > %s OR (%s IS NULL AND %s IN ('approved', 'denied') "
                "AND %s < %s))",
                col("date_delivery_deadline"), col("date_delivered"),
                col("date_delivery_deadline"), col("date_delivered"), col("state"),
                col("date_delivery_deadline"), today,
            )),
            # no supplement notice within five working days: deemed accepted (Art. 32)
            ("late_acceptance", "yellow", SQL("%s IS TRUE", col("is_deemed_accepted"))),
        ]

    # ------------------------------------------------------------------
    # Monthly statistics (gov.stat.source.mixin)
    # ------------------------------------------------------------------
    def _gov_stat_sources(self):
        decided = SQL("s.date_decided IS NOT NULL AND s.state IN ('approved', 'denied', 'delivered')")
        return [StatSource(
            source="case",
            date_field="date_received",
            dims={"item_id": SQL("s.item_id")},
            where=SQL("s.state != 'draft'"),
            measures={
                "case_count": SQL("COUNT(*)"),
                "case_accepted_count": SQL("COUNT(*) FILTER (WHERE s.date_accepted IS NOT NULL)"),
                "case_decided_count": SQL("COUNT(*) FILTER (WHERE %s)", decided),
                "case_on_time_count": SQL("COUNT(*) FILTER (WHERE %s AND s.is_on_time)", decided),
                "case_delivered_count": SQL("COUNT(*) FILTER (WHERE s.state = 'delivered')"),
                "case_working_days": SQL(
                    "COALESCE(SUM(s.working_days_used) FILTER (WHERE %s), 0)", decided
                ),
            },
            fields=(
                "date_received", "department_id", "item_id", "state", "date_accepted",
                "date_decided", "is_on_time", "working_days_used",
            ),
            key_fields=("item_id",),
        )]

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.model
    def _gov_identity_problem(self, vals, today=None):
        """Why the identity number or credit code of ``vals`` is not valid
        (False when it is)."""
        if vals.get("applicant_type", "person") == "person":
            if not is_valid_id_number(vals.get("applicant_id_number"), today or self._gov_today()):
                return self.env._(
                    "The ID number %(number)s is not a valid citizen identity number "
                    "(18 characters, check digit of GB 11643, real birth date).",
                    number=vals.get("applicant_id_number") or "",
                )
        elif not is_valid_uscc(vals.get("applicant_uscc")):
            return self.env._(
                "The code %(code)s is not a valid unified social credit code (GB 32100).",
                code=vals.get("applicant_uscc") or "",
            )
        return False

    @api.model
    def _gov_contact_problem(self, vals):
        """Why the contact mobile or email of ``vals`` is not valid (False
        when they are)."""
        if not MOBILE_RE.match(vals.get("contact_phone") or ""):
            return self.env._(
                "The contact mobile number must be an 11-digit mainland mobile number."
            )
        if vals.get("contact_email") and not EMAIL_RE.match(vals["contact_email"]):
            return self.env._("The contact email address is not valid.")
        return False

    @api.constrains("applicant_type", "applicant_id_number", "applicant_uscc")
    def _check_applicant_identity(self):
        today = self._gov_today()
        for case in self:
            problem = self._gov_identity_problem({
                "applicant_type": case.applicant_type,
                "applicant_id_number": case.applicant_id_number,
                "applicant_uscc": case.applicant_uscc,
            }, today)
            if problem:
                raise ValidationError(problem)

    @api.constrains("contact_phone", "contact_email")
    def _check_contact(self):
        for case in self:
            problem = self._gov_contact_problem({
                "contact_phone": case.contact_phone, "contact_email": case.contact_email,
            })
            if problem:
                raise ValidationError(problem)

    @api.constrains("extension_requested_days", "extension_days")
    def _check_extension_days(self):
        for case in self:
            limit = case._extension_limit()
            for days in (case.extension_requested_days, case.extension_days):
                if days < 0 or days > limit:
                    raise ValidationError(self.env._(
                        "An extension is at most %(limit)s working days for this item.",
                        limit=limit,
                    ))

    @api.model
    def _gov_item_inactive_message(self, item):
        return self.env._(
            "The approval item %(item)s is not active: no application can be received "
            "for it.", item=item.display_name,
        )

    def _check_item_active(self):
        for case in self:
            if case.item_id.state != "active":
                raise ValidationError(self._gov_item_inactive_message(case.item_id))

    # ------------------------------------------------------------------
    # Numbering
    # ------------------------------------------------------------------
    @api.model
    def _check_number_pattern(self, pattern):
        keys = set(_PATTERN_FIELD_RE.findall(pattern or ""))
        if "seq" not in keys or not keys <= _PATTERN_KEYS:
            raise ValidationError(self.env._(
                "The case number pattern must contain {seq} and may use only {division}, "
                "{yyyymmdd}, {yyyy}, {mm} and {dd}."
            ))
        try:
            pattern.format(division="511400", yyyymmdd="20260101", yyyy="2026", mm="01",
                           dd="01", seq=1)
        except (ValueError, IndexError, KeyError) as error:
            raise ValidationError(self.env._(
                "The case number pattern is not valid: %(error)s", error=error
            )) from error

    @api.model
    def _next_case_numbers(self, count, day=None):
        """Reserve ``count`` case numbers for ``day`` (the center's today) in
        one statement; numbers are never reused."""
        if count <= 0:
            return []
        day = day or self._gov_today()
        pattern = get_setting(self.env, "case_number_pattern")
        self._check_number_pattern(pattern)
        division = get_setting(self.env, "division_code")
        last = self.env["gov.case.counter"]._gov_reserve(day, count)
        parts = {
            "division": division, "yyyymmdd": day.strftime("%Y%m%d"), "yyyy": day.strftime("%Y"),
            "mm": day.strftime("%m"), "dd": day.strftime("%d"),
        }
        return [pattern.format(seq=seq, **parts) for seq in range(last - count + 1, last + 1)]

    @api.model
    def _gov_notice_number(self, kind):
        return self.env["ir.sequence"].sudo().next_by_code(f"gov.case.notice.{kind}")

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------
    @api.model
    def _normalize_vals(self, vals):
        if vals.get("applicant_id_number"):
            vals["applicant_id_number"] = normalize_id_number(vals["applicant_id_number"])
        if vals.get("applicant_uscc"):
            vals["applicant_uscc"] = normalize_uscc(vals["applicant_uscc"])
        phone = vals.get("contact_phone")
        if phone and not phone.isdigit():
            vals["contact_phone"] = re.sub(r"[\s-]+", "", phone).removeprefix("+86")
        if vals.get("contact_email"):
            vals["contact_email"] = vals["contact_email"].strip()
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._normalize_vals(dict(vals)) for vals in vals_list]
        numbers = iter(self._next_case_numbers(
            sum(1 for vals in vals_list if vals.get("name", "/") == "/")
        ))
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = next(numbers)
            if vals.get("state", "draft") != "draft" and not self._gov_register_bypassed():
                raise UserError(self.env._("A new case starts as a draft."))
        cases = super().create(vals_list)
        cases._check_item_active()
        cases.filtered(lambda case: not case.material_line_ids)._copy_item_materials()
        return cases

    def write(self, vals):
        vals = self._normalize_vals(dict(vals))
        if "item_id" in vals and self.filtered(lambda case: case.state not in INTAKE_STATES):
            raise UserError(self.env._("The item of a case cannot change once it is accepted."))
        result = super().write(vals)
        if "item_id" in vals:
            self._check_item_active()
        return result

    def _copy_item_materials(self):
        """Copy each item's material list into the case lines, for all the
        cases in one statement (material names in the current language)."""
        if not self:
            return
        self.env["gov.approval.material"].flush_model()
        self.flush_recordset(["item_id"])
        self.env.cr.execute(SQL(
            """INSERT INTO gov_case_material
                      (case_id, material_id, name, sequence, requirement, original_count,
                       copy_count, may_supply_later, state,
                       create_uid, create_date, write_uid, write_date)
               SELECT c.id, m.id, COALESCE(m.name->>%(lang)s, m.name->>'en_US'), m.sequence,
                      m.requirement, m.original_count, m.copy_count, m.may_supply_later,
                      'missing', %(uid)s, %(now)s, %(uid)s, %(now)s
                 FROM gov_case c
                 JOIN gov_approval_material m ON m.item_id = c.item_id
                WHERE c.id IN %(ids)s
             ORDER BY c.id, m.sequence, m.id""",
            lang=self.env.lang or "en_US", uid=self.env.uid, now=fields.Datetime.now(),
            ids=tuple(self.ids),
        ))
        self.invalidate_recordset(["material_line_ids", "missing_material_count"])

    # ------------------------------------------------------------------
    # Workflow helpers
    # ------------------------------------------------------------------
    def _extension_limit(self):
        self.ensure_one()
        key = "case_joint_extension_days" if self.item_id.is_joint_handling else "case_extension_days"
        return get_setting(self.env, key)

    def _check_state(self, states):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for case in self:
            if case.state not in states:
                raise UserError(self.env._(
                    "Case %(case)s is in state %(state)s: this action is not possible now.",
                    case=case.name, state=labels[case.state],
                ))

    def _set_workflow(self, vals):
        return self._gov_register_bypass().write(vals)

    def _required_lines_missing(self):
        """Lines that block acceptance: required, not yet received and not
        allowed to follow later."""
        self.ensure_one()
        return self.material_line_ids.filtered(
            lambda line: line.state == "missing" and line.requirement == "required"
            and not line.may_supply_later
        )

    def _deemed_accepted_due(self, today=None):
        """True when the five working days to ask for a supplement have passed
        without a notice (Art. 32)."""
        self.ensure_one()
        today = today or self._gov_today()
        return bool(
            self.date_supplement_limit and not self.date_supplement_notice
            and today > self.date_supplement_limit
        )

    def _notify_applicant(self, body):
        """Record in the case what the applicant was told, and send it to the
        portal applicant."""
        for case in self:
            case.message_post(
                body=body,
                partner_ids=case.partner_id.ids,
                message_type="comment" if case.partner_id else "notification",
                subtype_xmlid="mail.mt_comment" if case.partner_id else "mail.mt_note",
            )

    # ------------------------------------------------------------------
    # Notices and reporting
    # ------------------------------------------------------------------
    # Statistics measures, stored so that pivots sum and average them in SQL.
    count_accepted = fields.Integer(
        string="Cases Accepted", compute="_compute_statistics", store=True,
        help="1 once the case is accepted: summed, the number of accepted cases.",
    )
    count_decided = fields.Integer(
        string="Cases Decided", compute="_compute_statistics", store=True,
        help="1 once an accepted case is decided (approved or denied).",
    )
    count_delivered = fields.Integer(
        string="Cases Delivered", compute="_compute_statistics", store=True,
    )
    count_on_time = fields.Integer(
        string="Cases Decided on Time", compute="_compute_statistics", store=True,
    )
    decision_result = fields.Selection(
        [("approved", "Licence Granted"), ("denied", "Licence Refused")],
        string="Decision", readonly=True, copy=False,
        help="Outcome of the licensing decision, kept once the decision is delivered.",
    )
    on_time_rate = fields.Float(
        string="On-time Rate (%)", compute="_compute_statistics", store=True,
        aggregator="avg", digits=(5, 1),
        help="Share of the decided cases decided by their promised deadline. In "
        "reports, the on-time decisions divided by the decisions of the group.",
    )

    @api.depends("date_accepted", "date_decided", "date_delivered", "is_on_time")
    def _compute_statistics(self):
        for case in self:
            decided = bool(case.date_accepted and case.date_decided)
            case.count_accepted = 1 if case.date_accepted else 0
            case.count_decided = 1 if decided else 0
            case.count_delivered = 1 if case.date_delivered else 0
            case.count_on_time = 1 if decided and case.is_on_time else 0
            case.on_time_rate = 100.0 if decided and case.is_on_time else 0.0

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        """Averages over the decided cases only: the on-time rate is the
        on-time decisions divided by the decisions, the average working days
        the working days used divided by the decisions."""
        ratios = {
            "on_time_rate:avg": ("count_on_time", 100.0),
            "working_days_used:avg": ("working_days_used", 1.0),
        }
        if aggregate_spec in ratios:
            fname, factor = ratios[aggregate_spec]
            return SQL(
                "(%s * SUM(%s) / NULLIF(SUM(%s), 0))",
                factor,
                self._field_to_sql(self._table, fname, query),
                self._field_to_sql(self._table, "count_decided", query),
            )
        return super()._read_group_select(aggregate_spec, query)

    @api.model
    def _gov_overview_figures(self):
        """Figures of the center's overview, each one indexed count:
        received today, open (awaiting review, awaiting materials or in
        progress), overdue, and the on-time rate (%) of this month's
        decisions (None when nothing was decided yet)."""
        Case = self.sudo()
        today = self._gov_today()
        first, last = center_month_bounds(self.env, today)
        [[decided, on_time]] = Case._read_group(
            [("date_decided", ">=", first), ("date_decided", "<=", last),
             ("count_decided", "=", 1)],
            aggregates=["__count", "count_on_time:sum"],
        )
        return {
            "received_today": Case.search_count([
                ("date_received_day", "=", today), ("state", "!=", "draft"),
            ]),
            "open": Case.search_count([("state", "in", ("submitted", "supplement", "accepted"))]),
            "overdue": Case.search_count([("is_overdue", "=", True)]),
            "on_time_rate_month": round(100.0 * on_time / decided, 1) if decided else None,
        }

    # notices
    def _gov_check_notice(self, kind):
        """The cases of ``self`` if each has the notice ``kind``; a notice a
        case does not have is never printed."""
        if kind not in NOTICE_KINDS:
            raise UserError(self.env._("Unknown notice %(kind)s.", kind=kind))
        self.check_access("read")
        labels = {
            "acceptance": self.env._("acceptance notice"),
            "supplement": self.env._("supplement notice"),
            "rejection": self.env._("decision not to accept"),
            "decision": self.env._("licensing decision"),
            "delivery": self.env._("delivery receipt"),
        }
        for case in self:
            if not case[f"notice_{kind}_no"]:
                raise UserError(self.env._(
                    "Case %(case)s has no %(notice)s: it cannot be printed.",
                    case=case.name, notice=labels[kind],
                ))
        return self

    def _gov_track_url(self):
        """Public progress page of the case on the website (QR code)."""
        self.ensure_one()
        return f"{self.get_base_url()}/cases/track?{urlencode({'number': self.name})}"

    def _gov_notice_texts(self):
        """Sentences of the notices that carry the case's data, translated in
        the language of the report as whole sentences."""
        self.ensure_one()
        _ = self.env._

        def day(value):
            return format_date(self.env, value) if value else ""

        data = {
            "item": self.item_id.display_name or "", "case": self.name,
            "received": day(self.date_received_day), "accepted": day(self.date_accepted),
            "review": day(self.date_review_limit), "lawsuit": day(self.date_lawsuit_limit),
        }
        return {
            "acceptance": _(
                "Your application for %(item)s (case number %(case)s), received on "
                "%(received)s, has been examined: it is within our competence and the "
                "materials are complete and in the legal form. The application is accepted "
                "as of %(accepted)s.", **data,
            ),
            "promised": _(
                "%(days)s working days, until %(date)s",
                days=self.promised_days, date=day(self.date_deadline),
            ),
            "statutory": _(
                "%(days)s working days, until %(date)s",
                days=self.statutory_days, date=day(self.date_deadline_statutory),
            ),
            "supplement": _(
                "Your application for %(item)s (case number %(case)s), received on "
                "%(received)s, lacks the materials below or they are not in the legal form. "
                "As required by Article 32 of the Administrative Licensing Law, we tell you "
                "at once of everything to supplement:", **data,
            ),
            "supplement_rule": _(
                "This notice is given within %(days)s working days of receipt (by "
                "%(limit)s); without it the application would count as accepted on the day "
                "of receipt. No further supplement will be asked of you.",
                days=get_setting(self.env, "case_supplement_days"),
                limit=day(self.date_supplement_limit),
            ),
            "rejection": _(
                "Your application for %(item)s (case number %(case)s), received on "
                "%(received)s, has been examined. It is not accepted, for the following "
                "reasons:", **data,
            ),
            "decision": _(
                "Your application for %(item)s (case number %(case)s) was accepted on "
                "%(accepted)s and examined according to law.", **data,
            ),
            "remedies": _(
                "If you disagree with this decision, you may apply for administrative review "
                "within 60 days of receiving it (until %(review)s), or bring an "
                "administrative lawsuit before the people's court within 6 months (until "
                "%(lawsuit)s).", **data,
            ),
        }

    def _gov_notice_materials(self):
        """Lines the one-time supplement notice asked for: still missing, or
        supplied after the notice."""
        self.ensure_one()
        return self.material_line_ids.filtered(
            lambda line: line.state in ("missing", "supplemented")
        )

    def _gov_print_notice(self, kind):
        self._gov_check_notice(kind)
        return self.env.ref(f"gov_service_center.action_report_gov_case_{kind}").report_action(self)

    def action_print_acceptance(self):
        return self._gov_print_notice("acceptance")

    def action_print_supplement(self):
        return self._gov_print_notice("supplement")

    def action_print_rejection(self):
        return self._gov_print_notice("rejection")

    def action_print_decision(self):
        return self._gov_print_notice("decision")

    def action_print_delivery(self):
        return self._gov_print_notice("delivery")

    # points ledger cause provider
    @api.model
    def _gov_ledger_lines(self, date_from, date_to, employees):
        """Deductions of the case officers among ``employees`` for their
        overdue cases (see the points ledger). A case is overdue once its
        promised deadline passes while it is still open: decided after the
        deadline, or still open past it. It deducts once, in the month of its
        first overdue day (the day after the deadline, in the center's time
        zone): the month it was decided late, or the first month at whose end
        it was still open past the deadline."""
        points = get_setting(self.env, "case_overdue_points")
        if not points or not employees:
            return []
        date_from = fields.Date.to_date(date_from)
        date_to = fields.Date.to_date(date_to)
        today = self._gov_today()
        employee_by_user = {
            employee.user_id.id: employee.id
            for employee in employees.sudo().filtered("user_id")
        }
        if not employee_by_user:
            return []
        cases = self.sudo().search_fetch(
            [
                ("user_id", "in", list(employee_by_user)),
                ("date_deadline", ">=", date_from - timedelta(days=1)),
                ("date_deadline", "<", min(date_to, today)),
                ("state", "in", ("accepted", "approved", "denied", "delivered", "withdrawn")),
            ],
            ["name", "user_id", "date_deadline", "date_decided", "date_withdrawn"],
            order="date_deadline, id",
        )
        Line = self.env["gov.points.ledger.line"]
        lines = []
        for case in cases:
            closed = case.date_decided or case.date_withdrawn
            if closed and closed <= case.date_deadline:
                continue
            lines.append({
                "employee_id": employee_by_user[case.user_id.id],
                "date": case.date_deadline + timedelta(days=1),
                "points": -abs(points),
                **Line._gov_cause_vals(self, "case_overdue", {
                    "case": case.name, "deadline": fields.Date.to_string(case.date_deadline),
                }),
                "res_model": self._name,
                "res_id": case.id,
            })
        return lines

    @api.model
    def _gov_ledger_cause_labels(self, causes):
        """Causes of the points ledger ``[(code, args)]`` worded in the
        current language."""
        return [
            self.env._(
                "Case %(case)s overdue (deadline %(deadline)s)",
                case=args.get("case"), deadline=args.get("deadline"),
            ) if code == "case_overdue" else False
            for code, args in causes
        ]

    # batch import
    # stored computed fields the set-based import fills in one Python pass;
    # a model adding another one makes the import fall back to ``create``
    _GOV_IMPORT_COMPUTED = frozenset({
        "department_id", "date_received_day", "date_supplement_limit", "date_deadline",
        "date_deadline_statutory", "date_delivery_deadline", "is_delivery_late",
        "working_days_used", "is_on_time", "date_review_limit", "date_lawsuit_limit",
        "is_paused", "count_accepted", "count_decided", "count_delivered", "count_on_time",
        "on_time_rate", "deadline_department_id", "deadline_user_id",
    })

    @api.model
    def _gov_import_cases(self, rows, batch_size=2000):
        """Create cases in batches, e.g. from a provincial platform or an
        older system. Each row is a dict of case values; workflow fields
        (state, dates, notice numbers...) are taken as given, as on file
        elsewhere.

        All or nothing: every row is checked first, in one Python pass, as
        ``create`` checks it (required fields, active item, identity number
        or credit code, mobile and email, extension days); any bad row raises
        one ValidationError listing the row numbers (from 1) and nothing is
        written. Then the case numbers of all the rows are reserved in one
        statement, the stored computed fields (department, day of receipt,
        deadlines, delivery, remedies, statistics measures, deadline owner)
        computed in one pass, and per batch the cases inserted in one
        ``INSERT ... SELECT FROM unnest(...)``, their material lines copied
        in one ``INSERT ... SELECT``, their months marked for the monthly
        statistics in one statement. No tracking, no chatter message, no
        follower. Rows with one2many/many2many values or non-stored fields
        go through ``create`` (same result, slower). Returns the cases."""
        if not rows:
            return self.browse()
        self.check_access("create")
        rows = [self._normalize_vals(dict(row)) for row in rows]
        given = set().union(*rows)
        unknown = given - set(self._fields)
        if unknown:
            raise ValueError(f"Invalid field {sorted(unknown)} on model {self._name}")
        set_based = all(
            self._fields[fname].store and self._fields[fname].column_type
            for fname in given
        ) and all(
            (field.compute is None or fname in self._GOV_IMPORT_COMPUTED)
            and field.column_type[0] != "jsonb"
            for fname, field in self._fields.items() if field.store and field.column_type
        )
        Case = self.with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True,
            mail_notrack=True,
        )._gov_register_bypass()
        if not set_based:
            return Case._gov_import_cases_orm(rows, batch_size).with_env(self.env)
        rows = Case._gov_import_prepare(rows)
        cases = self.browse()
        with self.env.cr.savepoint():
            # one block of numbers for every row, in one statement
            names = iter(Case._next_case_numbers(
                sum(1 for row in rows if row.get("name", "/") == "/")
            ))
            for row in rows:
                if row.get("name", "/") == "/":
                    row["name"] = next(names)
            for start in range(0, len(rows), batch_size):
                cases |= Case._gov_import_insert(rows[start:start + batch_size])
        self.env.invalidate_all()
        return cases.with_env(self.env)

    @api.model
    def _gov_import_cases_orm(self, rows, batch_size):
        """The import through ``create``, one per batch."""
        cases = self.browse()
        for start in range(0, len(rows), batch_size):
            cases |= self.create(rows[start:start + batch_size])
            self.env.flush_all()
            self.env.invalidate_all()
        return cases

    @api.model
    def _gov_import_prepare(self, rows):
        """Defaults, checks and computed fields of the rows, in one pass.
        Raises a ValidationError listing every bad row."""
        env = self.env
        fields_ = self._fields
        today = self._gov_today()
        columns = [
            fname for fname, field in fields_.items()
            if field.store and field.column_type and fname != "id"
            and fname not in models.LOG_ACCESS_COLUMNS
        ]
        defaults = self.default_get([
            fname for fname in columns if fields_[fname].compute is None
        ])
        # the items, read once
        Item = env["gov.approval.item"].sudo().with_context(active_test=False)
        item_ids = {row.get("item_id") for row in rows if isinstance(row.get("item_id"), int)}
        items = Item.browse(item_ids).exists()
        items.fetch(["state", "department_id", "is_joint_handling"])
        # plain values: no field access per row
        items = {
            item.id: (item.state == "active", item.department_id.id, item.is_joint_handling, item)
            for item in items
        }
        limits = {
            False: get_setting(env, "case_extension_days"),
            True: get_setting(env, "case_joint_extension_days"),
        }
        selections = {
            fname: {value for value, _label in field._description_selection(env)}
            for fname, field in fields_.items()
            if field.type == "selection" and fname in columns
        }
        to_date, to_datetime = fields.Date.to_date, fields.Datetime.to_datetime
        present = set(defaults).union(*rows)
        date_fields = [f for f in columns if fields_[f].type == "date" and f in present]
        datetime_fields = [f for f in columns if fields_[f].type == "datetime" and f in present]
        selections = {fname: values for fname, values in selections.items() if fname in present}
        required = [f for f in columns if fields_[f].required and fields_[f].compute is None
                    and f != "name"]
        labels = {fname: fields_[fname]._description_string(env) for fname in columns}
        extension_fields = [
            fname for fname in ("extension_requested_days", "extension_days") if fname in present
        ]
        errors = []
        prepared = []
        for index, raw in enumerate(rows, 1):
            row = dict(defaults)
            row.update(raw)
            problems = []
            for fname in required:
                if not row.get(fname):
                    problems.append(env._("%(field)s is required.", field=labels[fname]))
            for fname, values in selections.items():
                value = row.get(fname)
                if value and value not in values:
                    problems.append(env._(
                        "%(value)s is not a valid value of %(field)s.",
                        value=value, field=labels[fname],
                    ))
            for fname in date_fields:
                value = row.get(fname)
                if value and type(value) is not date:
                    row[fname] = to_date(value)
            for fname in datetime_fields:
                value = row.get(fname)
                if value and type(value) is not datetime:
                    row[fname] = to_datetime(value)
            item = items.get(row.get("item_id"))
            if row.get("item_id") and not item:
                problems.append(env._("The approval item does not exist."))
            elif item and not item[0]:
                problems.append(self._gov_item_inactive_message(item[3]))
            problems += filter(None, [
                self._gov_identity_problem(row, today), self._gov_contact_problem(row),
            ])
            for fname in extension_fields:
                days = row.get(fname) or 0
                limit = limits[bool(item and item[2])]
                if days < 0 or days > limit:
                    problems.append(env._(
                        "An extension is at most %(limit)s working days for this item.",
                        limit=limit,
                    ))
                    break
            if problems:
                errors.append(env._("Row %(row)s: %(problems)s", row=index,
                                    problems=" ".join(problems)))
                continue
            if not row.get("department_id"):
                row["department_id"] = item[1]
            prepared.append(row)
        if errors:
            raise ValidationError(env._(
                "No case was imported: %(count)s of %(total)s rows are not valid.\n%(errors)s",
                count=len(errors), total=len(rows), errors="\n".join(errors),
            ))
        self._gov_import_compute(prepared)
        return prepared

    @api.model
    def _gov_import_compute(self, rows):
        """The stored computed fields of the rows, as the computes give them
        for a new case (no pause yet), a row's own value winning."""
        env = self.env
        Calendar = env["gov.calendar.day"]
        supplement_days = get_setting(env, "case_supplement_days")
        delivery_days = get_setting(env, "case_delivery_days")
        day_cache = {}
        for row in rows:
            received = row.get("date_received")
            if received and "date_received_day" not in row:
                day = day_cache.get(received)
                if day is None:
                    day = day_cache[received] = center_date(env, received)
                row["date_received_day"] = day

        def batch(fname, select, request):
            todo = [row for row in rows if fname not in row and select(row)]
            for row, value in zip(todo, Calendar.add_working_days_batch(
                    [request(row) for row in todo])):
                row[fname] = value

        batch("date_supplement_limit", lambda r: r.get("date_received_day"),
              lambda r: (r["date_received_day"], supplement_days))
        batch("date_deadline", lambda r: r.get("date_accepted"),
              lambda r: (r["date_accepted"], (r.get("promised_days") or 0)
                         + (r.get("extension_days") or 0)))
        batch("date_deadline_statutory", lambda r: r.get("date_accepted"),
              lambda r: (r["date_accepted"], (r.get("statutory_days") or 0)
                         + (r.get("extension_days") or 0)))
        batch("date_delivery_deadline",
              lambda r: r.get("date_decided") and r.get("state") in ("approved", "denied", "delivered"),
              lambda r: (r["date_decided"], delivery_days))
        both = [row for row in rows if row.get("date_accepted") and row.get("date_decided")
                and "working_days_used" not in row]
        for row, days in zip(both, Calendar.working_days_between_batch(
                [(row["date_accepted"], row["date_decided"]) for row in both])):
            row["working_days_used"] = days
        for row in rows:
            decided_on = row.get("date_decided")
            accepted = row.get("date_accepted")
            state = row.get("state")
            due = row.get("date_delivery_deadline")
            delivered = row.get("date_delivered")
            row.setdefault("is_delivery_late", bool(due and delivered and delivered > due))
            deadline = row.get("date_deadline")
            decided = bool(accepted and decided_on)
            row.setdefault("working_days_used", 0)
            row.setdefault("is_on_time", bool(decided and deadline and decided_on <= deadline))
            if state in ("rejected", "denied", "delivered") and decided_on:
                row.setdefault("date_review_limit", decided_on + relativedelta(days=60))
                row.setdefault("date_lawsuit_limit", decided_on + relativedelta(months=6))
            row.setdefault("is_paused", False)
            on_time = decided and row["is_on_time"]
            row.setdefault("count_accepted", 1 if accepted else 0)
            row.setdefault("count_decided", 1 if decided else 0)
            row.setdefault("count_delivered", 1 if delivered else 0)
            row.setdefault("count_on_time", 1 if on_time else 0)
            row.setdefault("on_time_rate", 100.0 if on_time else 0.0)
            row.setdefault("deadline_department_id", row.get("department_id"))
            row.setdefault("deadline_user_id", row.get("user_id"))

    @api.model
    def _gov_import_insert(self, rows):
        """Insert prepared rows in one statement; copy their materials and
        mark their months for the monthly statistics."""
        env = self.env
        fields_ = self._fields
        present = set().union(*rows)
        columns = [
            fname for fname, field in fields_.items()
            if field.store and field.column_type and fname != "id"
            and fname not in models.LOG_ACCESS_COLUMNS and fname in present
        ]
        now = env.cr.now()
        arrays = []
        for fname in columns:
            field = fields_[fname]
            if field.type == "boolean":
                values = [bool(row.get(fname)) for row in rows]
            else:
                values = [
                    None if (value := row.get(fname)) is False else value for row in rows
                ]
            arrays.append(SQL(
                "%s::%s", values, SQL(field.column_type[1] + "[]")
            ))
        env.cr.execute(SQL(
            """INSERT INTO %(table)s (%(columns)s, create_uid, create_date, write_uid, write_date)
               SELECT *, %(uid)s, %(now)s, %(uid)s, %(now)s FROM unnest(%(arrays)s)
               RETURNING id""",
            table=SQL.identifier(self._table),
            columns=SQL(", ").join(SQL.identifier(fname) for fname in columns),
            arrays=SQL(", ").join(arrays),
            uid=env.uid, now=now,
        ))
        cases = self.browse([id_ for (id_,) in env.cr.fetchall()])
        cases.check_access("create")
        cases._copy_item_materials()
        cases._gov_stat_mark(self._gov_stat_sources())
        return cases

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_submit(self):
        """Draft → awaiting review: the file is received (date of receipt)."""
        self._check_state(("draft",))
        self._check_item_active()
        self._set_workflow({"state": "submitted", "date_received": fields.Datetime.now()})
        for case in self:
            case.message_post(body=self.env._("Application received."), subtype_xmlid="mail.mt_note")
        self.env["gov.notification"]._gov_notify("case_received", self)
        return True

    def action_dispatch(self, department=None, user=None):
        """The front desk sends the case to the handling department (and
        officer); the officer gets an activity."""
        self._check_state(INTAKE_STATES + ("accepted",))
        vals = {}
        if department:
            vals["department_id"] = department.id
        if user:
            vals["user_id"] = user.id
        if vals:
            self.write(vals)
        for case in self.filtered("user_id"):
            case.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=case.user_id.id,
                date_deadline=case.date_deadline or case.date_supplement_limit or self._gov_today(),
                summary=self.env._("Handle case %(case)s", case=case.name),
            )
        return True

    def action_request_supplement(self):
        """One-time supplement notice listing every missing material, within
        five working days of receipt (Art. 32)."""
        self._check_state(("submitted",))
        today = self._gov_today()
        for case in self:
            if case.date_supplement_notice:
                raise UserError(self.env._(
                    "Case %(case)s already had its one-time supplement notice: every missing "
                    "material must be asked for at once.", case=case.name,
                ))
            if case._deemed_accepted_due(today):
                raise UserError(self.env._(
                    "More than %(days)s working days have passed since receipt without a "
                    "supplement notice: case %(case)s counts as accepted on the day of receipt.",
                    days=get_setting(self.env, "case_supplement_days"), case=case.name,
                ))
            missing = case.material_line_ids.filtered(lambda line: line.state == "missing")
            if not missing:
                raise UserError(self.env._(
                    "Mark the missing materials of case %(case)s before sending the notice.",
                    case=case.name,
                ))
            case._set_workflow({
                "state": "supplement",
                "date_supplement_notice": today,
                "notice_supplement_no": self._gov_notice_number("supplement"),
            })
            case._notify_applicant(self.env._(
                "Supplement notice %(number)s: please supply at once: %(materials)s",
                number=case.notice_supplement_no,
                materials="; ".join(missing.mapped("name")),
            ))
        self.env["gov.notification"]._gov_notify("case_supplement", self)
        return True

    def action_supplement_received(self):
        """The applicant supplied what the notice asked: back to review."""
        self._check_state(("supplement",))
        for case in self:
            missing = case.material_line_ids.filtered(lambda line: line.state == "missing")
            if missing:
                raise UserError(self.env._(
                    "Case %(case)s still misses: %(materials)s",
                    case=case.name, materials="; ".join(missing.mapped("name")),
                ))
            case._set_workflow({"state": "submitted"})
            case.message_post(
                body=self.env._("Supplemented materials received."), subtype_xmlid="mail.mt_note"
            )
        return True

    def action_accept(self):
        """Accept the application: deadlines start, steps are created. After
        five working days without a supplement notice the acceptance dates
        back to the day of receipt (Art. 32)."""
        self._check_state(("submitted",))
        today = self._gov_today()
        for case in self:
            missing = case._required_lines_missing()
            if missing and not case._deemed_accepted_due(today):
                raise UserError(self.env._(
                    "Case %(case)s cannot be accepted: required materials are missing: "
                    "%(materials)s. Send the one-time supplement notice instead.",
                    case=case.name, materials="; ".join(missing.mapped("name")),
                ))
            case._accept(deemed=case._deemed_accepted_due(today), today=today)
        return True

    def _accept(self, deemed=False, today=None):
        today = today or self._gov_today()
        for case in self:
            item = case.item_id
            case._set_workflow({
                "state": "accepted",
                "date_accepted": case.date_received_day if deemed else today,
                "is_deemed_accepted": deemed,
                "promised_days": item.promised_days,
                "statutory_days": item.statutory_days,
                "notice_acceptance_no": self._gov_notice_number("acceptance"),
            })
            case._create_steps()
            if deemed:
                body = self.env._(
                    "No supplement notice within %(days)s working days: the application counts "
                    "as accepted on the day of receipt, %(date)s.",
                    days=get_setting(self.env, "case_supplement_days"), date=case.date_accepted,
                )
            else:
                body = self.env._(
                    "Application accepted (notice %(number)s). Promised deadline %(deadline)s.",
                    number=case.notice_acceptance_no, deadline=case.date_deadline,
                )
            case._notify_applicant(body)
        self.env["gov.notification"]._gov_notify("case_accepted", self)

    def _create_steps(self):
        Step = self.env["gov.case.step"].sudo()
        vals_list = []
        for case in self.filtered(lambda c: not c.step_ids):
            for step in case.item_id.step_ids.sorted("sequence"):
                vals_list.append({
                    "case_id": case.id,
                    "approval_step_id": step.id,
                    "name": step.name,
                    "sequence": step.sequence,
                    "counts_toward_limit": step.counts_toward_limit,
                    "user_id": case.user_id.id,
                })
        steps = Step.create(vals_list)
        for case in self:
            first = steps.filtered(lambda s, c=case: s.case_id == c)[:1]
            if first:
                first._start()

    @api.model
    def _cron_deemed_acceptance(self):
        """Accept the cases left without a supplement notice for more than five
        working days; recompute deadlines of paused cases (the open pause runs
        until today)."""
        today = self._gov_today()
        due = self.sudo().search([
            ("state", "=", "submitted"),
            ("date_supplement_notice", "=", False),
            ("date_supplement_limit", "<", today),
        ])
        due._accept(deemed=True, today=today)
        paused = self.sudo().search([("state", "=", "accepted"), ("is_paused", "=", True)])
        if paused:
            self.env.add_to_compute(self._fields["date_deadline"], paused)
            self.env.add_to_compute(self._fields["date_deadline_statutory"], paused)
            paused.flush_recordset(["date_deadline", "date_deadline_statutory"])
        return len(due)

    def action_reject(self):
        """Not accepted (不予受理), with reasons and the applicant's remedies."""
        self._check_state(("submitted", "supplement"))
        for case in self:
            if not (case.rejection_reason or "").strip():
                raise UserError(self.env._(
                    "Give the reasons for not accepting case %(case)s.", case=case.name
                ))
            case._set_workflow({
                "state": "rejected",
                "date_decided": self._gov_today(),
                "notice_rejection_no": self._gov_notice_number("rejection"),
            })
            case._notify_applicant(self.env._(
                "Your application is not accepted (notice %(number)s): %(reason)s. You may apply "
                "for administrative review within 60 days or sue within 6 months.",
                number=case.notice_rejection_no, reason=case.rejection_reason,
            ))
        return True

    def _check_decidable(self):
        self._check_state(("accepted",))
        for case in self:
            if case.is_paused:
                raise UserError(self.env._(
                    "Case %(case)s is paused: end the pause before deciding.", case=case.name
                ))

    def _decide(self, state):
        today = self._gov_today()
        for case in self:
            case.step_ids.filtered(lambda s: s.state == "running")._finish(today)
            case._set_workflow({
                "state": state,
                "decision_result": state,
                "date_decided": today,
                "notice_decision_no": self._gov_notice_number("decision"),
            })
        self.env["gov.notification"]._gov_notify(
            "case_ready_pickup" if state == "approved" else "case_decided", self
        )

    def action_approve(self):
        """Grant the licence (准予许可)."""
        self._check_decidable()
        self._decide("approved")
        for case in self:
            case._notify_applicant(self.env._(
                "Your application is approved (decision %(number)s).",
                number=case.notice_decision_no,
            ))
        return True

    def action_deny(self):
        """Refuse the licence (不予许可), with reasons and remedies."""
        self._check_decidable()
        for case in self:
            if not (case.decision_note or "").strip():
                raise UserError(self.env._(
                    "Give the reasons for refusing case %(case)s.", case=case.name
                ))
        self._decide("denied")
        for case in self:
            case._notify_applicant(self.env._(
                "Your application is refused (decision %(number)s): %(reason)s. You may apply "
                "for administrative review within 60 days or sue within 6 months.",
                number=case.notice_decision_no, reason=case.decision_note,
            ))
        return True

    def action_deliver(self):
        """The decision (licence or refusal) is delivered to the applicant."""
        self._check_state(("approved", "denied"))
        for case in self:
            case._set_workflow({
                "state": "delivered",
                "date_delivered": self._gov_today(),
                "notice_delivery_no": self._gov_notice_number("delivery"),
            })
            case._notify_applicant(self.env._(
                "The decision of case %(case)s was delivered.", case=case.name
            ))
            case._after_delivery()
        self.env["gov.notification"]._gov_notify("case_delivered", self)
        return True

    def action_withdraw(self):
        """The applicant withdraws the application before a decision."""
        self._check_state(UNDECIDED_STATES)
        today = self._gov_today()
        for case in self:
            case.pause_ids.filtered(lambda p: not p.date_end).sudo().write({"date_end": today})
            case.step_ids.filtered(lambda s: s.state == "running")._finish(today)
            case._set_workflow({"state": "withdrawn", "date_withdrawn": today})
            case.message_post(
                body=self.env._("The applicant withdrew the application."),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_request_extension(self):
        """Ask for the one extension the law allows (Art. 42)."""
        self._check_state(("accepted",))
        for case in self:
            if case.extension_state in ("requested", "approved"):
                raise UserError(self.env._(
                    "Case %(case)s already has an extension: only one is allowed.",
                    case=case.name,
                ))
            if case.extension_requested_days <= 0 or not (case.extension_reason or "").strip():
                raise UserError(self.env._(
                    "Give the number of working days and the reason of the extension."
                ))
            case._set_workflow({"extension_state": "requested"})
            admins = self.env.ref("gov_service_center.group_gov_admin").users.filtered(
                lambda u: not u.share and u.active and u.id != self.env.ref("base.user_root").id
            )
            for admin in admins[:1]:
                case.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=admin.id,
                    summary=self.env._("Approve the extension of case %(case)s", case=case.name),
                )
        return True

    def action_approve_extension(self):
        if not self.env.user.has_group("gov_service_center.group_gov_admin"):
            raise UserError(self.env._("Only an administrator approves an extension."))
        self._check_state(("accepted",))
        for case in self:
            if case.extension_state != "requested":
                raise UserError(self.env._(
                    "Case %(case)s has no extension request to approve.", case=case.name
                ))
            case._set_workflow({
                "extension_state": "approved",
                "extension_days": case.extension_requested_days,
                "extension_approver_id": self.env.user.id,
            })
            case._notify_applicant(self.env._(
                "The time limit of case %(case)s is extended by %(days)s working days to "
                "%(deadline)s. Reason: %(reason)s",
                case=case.name, days=case.extension_days,
                deadline=case.date_deadline_statutory, reason=case.extension_reason,
            ))
        return True

    def action_refuse_extension(self):
        if not self.env.user.has_group("gov_service_center.group_gov_admin"):
            raise UserError(self.env._("Only an administrator approves an extension."))
        for case in self.filtered(lambda c: c.extension_state == "requested"):
            case._set_workflow({"extension_state": "refused"})
        return True

    def action_next_step(self):
        """The officer finishes the current step; the next one starts."""
        self._check_state(("accepted",))
        today = self._gov_today()
        for case in self:
            current = case.current_step_id
            if not current:
                raise UserError(self.env._("Case %(case)s has no running step.", case=case.name))
            current._finish(today)
            following = case.step_ids.filtered(
                lambda s: s.state == "waiting" and s.sequence >= current.sequence and s != current
            ).sorted(lambda s: (s.sequence, s.id))[:1]
            if following:
                following._start(today)
        return True

    # ------------------------------------------------------------------
    # Website and portal
    # ------------------------------------------------------------------
    @api.model
    def _gov_online_create(self, vals, uploads):
        """Create an online application of the portal applicant and submit
        it: ``vals`` holds the applicant's checked values (item, identity,
        contact, partner, submission key), ``uploads`` maps a material of the
        item (id) to its checked file (``{"name", "raw", "mimetype"}``). The
        lines of the uploaded materials are received, the others stay
        missing. Run by the website as superuser after its own checks."""
        case = self.sudo().create(dict(vals, channel="online", receiver_id=False))
        lines = case.material_line_ids.filtered(lambda line: line.material_id.id in uploads)
        case._gov_attach_uploads(
            {line: uploads[line.material_id.id] for line in lines}
        )
        lines.action_mark_received()
        case.action_submit()
        return case

    def _gov_attach_uploads(self, uploads):
        """Store each checked file of ``uploads`` (material line -> file) as
        an attachment of its line."""
        Attachment = self.env["ir.attachment"].sudo()
        for line, upload in uploads.items():
            attachment = Attachment.create({
                "name": upload["name"],
                "raw": upload["raw"],
                "res_model": "gov.case.material",
                "res_id": line.id,
            })
            line.sudo().write({"attachment_ids": [(4, attachment.id)]})

    def _gov_portal_supplement(self, uploads):
        """The applicant answers the supplement notice from the portal:
        ``uploads`` maps missing lines of the case to their checked files.
        The lines are marked supplemented; once nothing is missing anymore,
        the case goes back to review. Run as superuser after the ownership
        check."""
        self.ensure_one()
        if self.state != "supplement":
            raise UserError(self.env._(
                "Case %(case)s does not wait for materials anymore.", case=self.name
            ))
        lines = self.env["gov.case.material"].browse([line.id for line in uploads])
        if lines.filtered(lambda line: line.case_id != self or line.state != "missing"):
            raise UserError(self.env._("Only the missing materials of this case can be sent."))
        if not lines:
            raise UserError(self.env._("Choose at least one file to send."))
        self._gov_attach_uploads(uploads)
        lines.action_mark_received()
        self.message_post(
            body=self.env._(
                "The applicant sent from the portal: %(materials)s",
                materials="; ".join(lines.mapped("name")),
            ),
            subtype_xmlid="mail.mt_note",
        )
        if not self.material_line_ids.filtered(lambda line: line.state == "missing"):
            self.action_supplement_received()
        return True

    def _gov_can_withdraw(self):
        self.ensure_one()
        return self.state in UNDECIDED_STATES

    @api.model
    def _find_by_case_number(self, number, verifier):
        """The case (sudo) of ``number`` when ``verifier`` is the last 4
        digits of its contact phone, else an empty recordset; compared in
        constant time as query codes are."""
        Case = self.sudo()
        number = "".join(number.split()) if isinstance(number, str) else ""
        case = Case.search([("name", "=", number)], limit=1) if 0 < len(number) <= 64 else Case
        expected = [phone_verifier(case.contact_phone)] if case else ["\x00" * 4]
        matched = verifier_matches(expected, verifier)
        return case if (case and matched) else Case.browse()

    def _gov_timeline(self):
        """What happened to the case, in order: ``[{"date", "label"}]``. No
        personal data of the applicant."""
        self.ensure_one()
        _ = self.env._
        case = self.sudo()
        events = []

        def add(day, label):
            if day:
                events.append({"date": day, "label": label})

        add(center_date(self.env, case.date_received), _("Application received"))
        add(case.date_supplement_notice, _("Supplement notice: materials missing"))
        add(case.date_accepted, _("Application accepted"))
        for step in case.step_ids.filtered(lambda s: s.state == "done"):
            add(step.date_done, _("Step done: %(step)s", step=step.name))
        for pause in case.pause_ids:
            add(pause.date_start, _("Paused: %(reason)s", reason=pause.reason))
            add(pause.date_end, _("Pause ended: %(reason)s", reason=pause.reason))
        if case.notice_rejection_no:
            add(case.date_decided, _("Application not accepted"))
        else:
            add(case.date_decided, _("Decision made"))
        add(case.date_delivered, _("Decision delivered"))
        add(case.date_withdrawn, _("Application withdrawn"))
        events.sort(key=lambda event: event["date"])
        return events

    def _gov_public_track_values(self):
        """What /cases/track shows: progress only, never the applicant."""
        self.ensure_one()
        case = self.sudo()
        states = dict(self._fields["state"]._description_selection(self.env))
        return {
            "number": case.name,
            "item": case.item_id.name,
            "department": case.department_id.name or "",
            "state": case.state,
            "state_label": states.get(case.state),
            "timeline": case._gov_timeline(),
            "current_step": case.current_step_id.name or "",
            "is_paused": case.is_paused,
            "date_deadline": case.date_deadline,
            "date_delivery_deadline": case.date_delivery_deadline,
        }

    def _gov_check_ratable(self):
        """A case is rated once its decision is delivered (一事一评)."""
        for case in self:
            if case.state != "delivered":
                raise ValidationError(self.env._(
                    "Case %(case)s can be rated once its decision is delivered.", case=case.name
                ))

    def _gov_rating_url(self):
        """The link with which the applicant rates this case (好差评)."""
        self.ensure_one()
        if self.state != "delivered":
            return False
        token = self.sudo()._portal_ensure_token()
        return f"{self.get_base_url()}/service-rating?case={token}"

    def _after_delivery(self):
        """Invite the applicant to rate the case (portal message, e-mail and
        text message through the notification service)."""
        cases = self.filtered(lambda case: case.state == "delivered")
        self.env["gov.notification"]._gov_notify("rating_invitation", cases)
        return True

    def _gov_notification_values(self, key):
        """Placeholder values of the notification templates about this case."""
        self.ensure_one()
        decisions = dict(self._fields["decision_result"]._description_selection(self.env))
        values = {
            "case_number": self.name,
            "item": self.item_id.name,
            "deadline": format_date(self.env, self.date_deadline) if self.date_deadline else "",
            "notice_number": (
                self.notice_supplement_no if key == "case_supplement"
                else self.notice_acceptance_no
            ) or "",
            "missing_materials": "; ".join(self.material_line_ids.filtered(
                lambda line: line.state == "missing").mapped("name")),
            "decision": decisions.get(self.decision_result, ""),
            "decision_number": self.notice_decision_no or "",
            "track_url": f"{self.get_base_url()}/cases/track",
            "center_hours": get_setting(self.env, "center_hours") or "",
        }
        if key in ("rating_invitation", "rating_reminder"):
            values["rating_url"] = self._gov_rating_url() or ""
        return values
