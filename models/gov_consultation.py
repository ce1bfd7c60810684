# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Online consultations (在线咨询) and leader-mailbox letters (领导信箱)."""
import re

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_index
from odoo.exceptions import UserError, ValidationError

from .gov_center_time import center_date, center_today
from .gov_query_code_mixin import QUERY_CODE_ALPHABET, QUERY_CODE_LENGTH  # noqa: F401
from .gov_settings import get_setting
from .gov_stat_source_mixin import StatSource

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")

# Personal data masked on every public page. Numbers are matched on their
# digits whatever the spaces or dashes written between them.
_SEP = r"[ \t\u00a0\u3000\-\u2010-\u2015]{0,2}"


def _digits(count):
    """``count`` digits, each but the first possibly preceded by a separator."""
    return r"\d" + (r"(?:%s\d)" % _SEP) * (count - 1)


# 18-digit resident identity number (last character may be X) and the
# 15-digit number of the first generation
MASK_ID_RE = re.compile(
    r"(?<![0-9])(%s)(%s)(%s%s[0-9Xx])(?![0-9])"
    % (_digits(6), _SEP + _digits(8), _SEP + _digits(3), _SEP)
)
MASK_ID15_RE = re.compile(
    r"(?<![0-9])(%s)(%s)(%s)(?![0-9Xx])"
    % (_digits(6), _SEP + _digits(6), _SEP + _digits(3))
)
# mainland mobile number, with or without the +86 / 0086 country code
MASK_MOBILE_RE = re.compile(
    r"(?<![0-9])((?:(?:\+|00)?86%s)?1%s[3-9]%s\d)(%s)(%s)(?![0-9])"
    % (_SEP, _SEP, _SEP, _SEP + _digits(4), _SEP + _digits(4))
)
MASK_EMAIL_RE = re.compile(
    r"([A-Za-z0-9!#$%&'*+/=?^_`{|}~-])[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]*"
    r"[@\uff20][A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
)

STATE_SELECTION = [
    ("new", "New"),
    ("assigned", "Assigned"),
    ("answered", "Answered"),
    ("closed", "Closed"),
]
RATING_SELECTION = [
    ("satisfied", "Satisfied"),
    ("basically_satisfied", "Basically Satisfied"),
    ("dissatisfied", "Dissatisfied"),
]


def normalize_phone(phone):
    return "".join(ch for ch in (phone or "") if ch.isdigit() or ch == "-").strip("-")


def is_valid_phone(phone):
    phone = (phone or "").strip().replace(" ", "")
    return bool(MOBILE_RE.match(phone) or LANDLINE_RE.match(phone))


def is_valid_email(email):
    return bool(EMAIL_RE.match((email or "").strip())) and len(email) <= 254


def mask_name(name):
    """张三 -> 张*, 欧阳娜娜 -> 欧***, John Smith -> J*********"""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


def _only_digits(text):
    return re.sub(r"[^0-9Xx+]", "", text)


def mask_text(text):
    """Mask e-mail addresses, mainland mobile numbers and identity numbers
    (18 or 15 digits) inside a text, however their digits are spaced.

    ``138 0013 8000`` -> ``138****8000``, ``+86 138-0013-8000`` ->
    ``+86138****8000``, ``511402199001011234`` -> ``511402********1234``,
    ``zhang.san@example.com`` -> ``z***@***``.
    """
    if not text:
        return text or ""
    text = MASK_EMAIL_RE.sub(lambda m: m.group(1) + "***@***", text)
    text = MASK_ID_RE.sub(
        lambda m: _only_digits(m.group(1)) + "********" + _only_digits(m.group(3)), text
    )
    text = MASK_MOBILE_RE.sub(
        lambda m: _only_digits(m.group(1)) + "****" + _only_digits(m.group(3)), text
    )
    return MASK_ID15_RE.sub(
        lambda m: _only_digits(m.group(1)) + "******" + _only_digits(m.group(3)), text
    )


class GovConsultation(models.Model):
    _name = "gov.consultation"
    _description = "Consultation or Leader-Mailbox Letter"
    _inherit = [
        "mail.thread", "mail.activity.mixin", "portal.mixin", "gov.register.mixin",
        "gov.deadline.mixin", "gov.query.code.mixin", "gov.stat.source.mixin",
    ]
    _order = "date_submitted desc, id desc"

    name = fields.Char(string="Subject", required=True, tracking=True, index="trigram")
    # trigram: the public answers search it with ilike
    question = fields.Text(required=True, index="trigram")
    kind = fields.Selection(
        [("consultation", "Online Consultation"), ("mailbox", "Leader Mailbox")],
        required=True,
        default="consultation",
        index=True,
        tracking=True,
    )
    category = fields.Selection(
        [
            ("consultation", "Consultation"),
            ("complaint", "Complaint"),
            ("suggestion", "Suggestion"),
            ("help", "Request for Help"),
        ],
        default="consultation",
        index=True,
        tracking=True,
    )
    leader_id = fields.Many2one(
        "gov.mailbox.leader", string="Addressee", index="btree_not_null", tracking=True
    )
    complexity = fields.Selection(
        [("simple", "Simple"), ("complex", "Complex")],
        required=True,
        default="simple",
        tracking=True,
    )
    query_code = fields.Char(copy=False, readonly=True, index=True)
    contact_name = fields.Char(groups="gov_service_center.group_gov_officer")
    contact_phone = fields.Char(groups="gov_service_center.group_gov_officer")
    contact_email = fields.Char(groups="gov_service_center.group_gov_officer")
    partner_id = fields.Many2one(
        "res.partner", string="Portal Submitter", index="btree_not_null", readonly=True
    )
    department_id = fields.Many2one(
        "hr.department", index=True, tracking=True, ondelete="restrict"
    )
    item_id = fields.Many2one(
        "gov.approval.item", string="Approval Item", index="btree_not_null", tracking=True
    )
    user_id = fields.Many2one(
        "res.users", string="Assigned To", index="btree_not_null", tracking=True
    )
    state = fields.Selection(
        STATE_SELECTION, required=True, default="new", index=True, tracking=True
    )
    answer = fields.Text(tracking=True)
    template_id = fields.Many2one(
        "gov.consultation.template", string="Answer Template", store=False
    )
    is_public = fields.Boolean(
        string="Publication Consented",
        tracking=True,
        readonly=True,
        copy=False,
        help="The citizen agrees that the question and the answer are published "
        "(personal data masked). Given only by the citizen on the public form.",
    )
    publication_approved = fields.Boolean(
        tracking=True, help="An officer approved the publication of this question and answer."
    )
    is_published = fields.Boolean(compute="_compute_is_published", store=True, index=True)
    date_submitted = fields.Datetime(
        default=fields.Datetime.now, required=True, readonly=True, index=True
    )
    date_deadline = fields.Date(
        compute="_compute_date_deadline", store=True, readonly=False, index=True, tracking=True
    )
    date_answered = fields.Datetime(readonly=True, copy=False)
    answer_days = fields.Integer(
        string="Answer Time (working days)",
        compute="_compute_answer_days",
        store=True,
        aggregator="avg",
    )
    # 1 when answered after the deadline or still unanswered past it (open
    # requests are counted by the daily job): the statistic of late answers
    overdue_count = fields.Integer(compute="_compute_overdue_count", store=True, aggregator="sum")
    resolved_count = fields.Integer(
        string="Resolved", compute="_compute_resolved_count", store=True, aggregator="sum"
    )
    rating = fields.Selection(RATING_SELECTION, tracking=True, copy=False)
    rating_auto = fields.Boolean(
        string="Rated by Default", readonly=True, copy=False,
        help="The citizen did not rate within the rating period: counted as satisfied.",
    )
    rating_deadline = fields.Date(compute="_compute_rating_deadline", store=True)
    satisfied_count = fields.Integer(
        string="Satisfied", compute="_compute_satisfied_count", store=True, aggregator="sum"
    )
    reminder_sent = fields.Boolean(readonly=True, copy=False)
    active = fields.Boolean(default=True, tracking=True)

    _sql_constraints = [
        ("query_code_unique", "unique(query_code)", "The query code must be unique."),
    ]

    def init(self):
        super().init()
        # the public answers (_gov_public_domain, active) by answer date:
        # serves their count and their pages without reading the other rows
        create_index(
            self.env.cr, "gov_consultation_published_answered_idx", self._table,
            ["date_answered DESC", "id DESC"], where="is_published AND active",
        )
        # the open questions by deadline: the overdue count of the overview
        # and the supervision of deadlines read only these
        create_index(
            self.env.cr, "gov_consultation_open_deadline_idx", self._table,
            ["date_deadline"], where="active AND state IN ('new', 'assigned')",
        )

    # ------------------------------------------------------------------
    # Settings
    # ------------------------------------------------------------------
    @api.model
    def _get_days_param(self, key):
        return get_setting(self.env, key)

    def _deadline_days(self):
        self.ensure_one()
        if self.kind == "mailbox":
            key = "mailbox_complex_days" if self.complexity == "complex" else "mailbox_simple_days"
        else:
            key = "consultation_days"
        return self._get_days_param(key)

    @api.model
    def _gov_stat_sources(self):
        return [StatSource(
            source="consultation",
            date_field="date_submitted",
            dims={"kind": SQL("s.kind"), "item_id": SQL("s.item_id")},
            measures={
                "consultation_count": SQL("COUNT(*)"),
                "consultation_answered_count": SQL(
                    "COUNT(*) FILTER (WHERE s.state IN ('answered', 'closed'))"
                ),
                "consultation_overdue_count": SQL("COALESCE(SUM(s.overdue_count), 0)"),
                "consultation_answer_days": SQL(
                    "COALESCE(SUM(s.answer_days) FILTER (WHERE s.date_answered IS NOT NULL), 0)"
                ),
            },
            where=SQL("s.active"),
            fields=("date_submitted", "department_id", "kind", "item_id", "state", "active",
                    "overdue_count", "answer_days", "date_answered"),
        )]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("is_public", "publication_approved", "state", "answer", "active")
    def _compute_is_published(self):
        for record in self:
            record.is_published = bool(
                record.active
                and record.is_public
                and record.publication_approved
                and record.state in ("answered", "closed")
                and record.answer
            )

    @api.depends("date_submitted", "kind", "complexity")
    def _compute_date_deadline(self):
        Calendar = self.env["gov.calendar.day"]
        for record in self:
            start = center_date(self.env, record.date_submitted or fields.Datetime.now())
            record.date_deadline = Calendar.add_working_days(start, record._deadline_days())

    @api.depends("date_submitted", "date_answered")
    def _compute_answer_days(self):
        Calendar = self.env["gov.calendar.day"]
        for record in self:
            if record.date_answered and record.date_submitted:
                record.answer_days = Calendar.working_days_between(
                    center_date(self.env, record.date_submitted),
                    center_date(self.env, record.date_answered),
                )
            else:
                record.answer_days = 0

    @api.depends("state", "date_deadline", "date_answered")
    def _compute_overdue_count(self):
        today = self._gov_today()
        for record in self:
            if not record.date_deadline:
                late = False
            elif record.date_answered:
                late = center_date(self.env, record.date_answered) > record.date_deadline
            else:
                late = record.state in ("new", "assigned") and today > record.date_deadline
            record.overdue_count = int(late)

    # ------------------------------------------------------------------
    # Deadline (gov.deadline.mixin)
    # ------------------------------------------------------------------
    @api.model
    def _gov_deadline_open_domain(self):
        return [("state", "in", ("new", "assigned"))]

    @api.model
    def _gov_deadline_depends(self):
        return ["date_deadline", "state"]

    @api.depends("state")
    def _compute_resolved_count(self):
        for record in self:
            record.resolved_count = int(record.state in ("answered", "closed"))

    @api.depends("date_answered")
    def _compute_rating_deadline(self):
        Calendar = self.env["gov.calendar.day"]
        rating_days = self._get_days_param("rating_days")
        for record in self:
            record.rating_deadline = (
                Calendar.add_working_days(center_date(self.env, record.date_answered), rating_days)
                if record.date_answered
                else False
            )

    @api.depends("rating")
    def _compute_satisfied_count(self):
        for record in self:
            record.satisfied_count = int(
                record.rating in ("satisfied", "basically_satisfied")
            )

    def _compute_access_url(self):
        super()._compute_access_url()
        for record in self:
            record.access_url = f"/my/consultations/{record.id}"

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("name", "question", "kind")
    def _check_texts(self):
        for record in self:
            subject = (record.name or "").strip()
            if not 5 <= len(subject) <= 50:
                raise ValidationError(
                    self.env._("The subject must have between 5 and 50 characters.")
                )
            limit = 600 if record.kind == "mailbox" else 2000
            if len(record.question or "") > limit:
                raise ValidationError(
                    self.env._(
                        "The question can have at most %(limit)s characters.", limit=limit
                    )
                )

    @api.constrains("contact_phone", "contact_email")
    def _check_contact(self):
        for record in self.sudo():
            if not record.contact_phone and not record.contact_email:
                raise ValidationError(
                    self.env._("A phone number or an email address is required.")
                )
            if record.contact_phone and not is_valid_phone(record.contact_phone):
                raise ValidationError(
                    self.env._(
                        "The phone number must be a mainland mobile number (11 digits) "
                        "or a landline number with its area code."
                    )
                )
            if record.contact_email and not is_valid_email(record.contact_email):
                raise ValidationError(self.env._("The email address is not valid."))

    @api.constrains("kind", "category")
    def _check_category(self):
        for record in self:
            if record.kind == "mailbox" and not record.category:
                raise ValidationError(self.env._("A mailbox letter needs a category."))

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    def _check_consent_writer(self, vals_list):
        """The publication consent comes from the citizen only: the public
        form and the portal write it as superuser; staff can neither give nor
        withdraw it."""
        if self.env.su:
            return
        if any("is_public" in vals for vals in vals_list):
            raise UserError(
                self.env._("Only the citizen can consent to the publication of a request.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_consent_writer(
            [vals for vals in vals_list if vals.get("is_public")]
        )
        for vals in vals_list:
            vals["query_code"] = self._generate_query_code()
            if vals.get("contact_phone"):
                vals["contact_phone"] = vals["contact_phone"].strip().replace(" ", "")
        records = super().create(vals_list)
        records.filtered(lambda r: r.state == "new")._apply_assignment_rules()
        return records

    def write(self, vals):
        if "query_code" in vals:
            raise UserError(self.env._("The query code of a request cannot be changed."))
        self._check_consent_writer([vals])
        if "rating" in vals and not self._gov_register_bypassed():
            if not self.env.user.has_group("gov_service_center.group_gov_admin"):
                raise UserError(self.env._("Only the citizen can rate the answer."))
        return super().write(vals)

    # ------------------------------------------------------------------
    # Assignment
    # ------------------------------------------------------------------
    def _apply_assignment_rules(self):
        rules = self.env["gov.consultation.rule"].sudo().search([])
        for record in self:
            rule = rules._match(record)
            vals = {}
            if record.leader_id.user_id:
                vals.update(user_id=record.leader_id.user_id.id, state="assigned")
            if rule.department_target_id and not record.department_id:
                vals["department_id"] = rule.department_target_id.id
            if rule.user_id and not vals.get("user_id"):
                vals["user_id"] = rule.user_id.id
                vals["state"] = "assigned"
            if vals:
                record.sudo().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @api.onchange("template_id")
    def _onchange_template_id(self):
        if self.template_id:
            self.answer = self.template_id.body

    def action_assign_to_me(self):
        for record in self:
            if record.state not in ("new", "assigned"):
                raise UserError(self.env._("Only open requests can be assigned."))
        self.write({"user_id": self.env.user.id, "state": "assigned"})

    def action_answer(self):
        for record in self:
            if record.state not in ("new", "assigned"):
                raise UserError(self.env._("This request has already been answered."))
            if not (record.answer or "").strip():
                raise UserError(self.env._("Write the answer before sending it."))
        self.write(
            {
                "state": "answered",
                "date_answered": fields.Datetime.now(),
                "user_id": self.user_id.id or self.env.user.id,
            }
        )
        self.activity_unlink(["mail.mail_activity_data_todo"])
        for key, kind in (("consultation_answered", "consultation"), ("letter_answered", "mailbox")):
            self.env["gov.notification"]._gov_notify(key, self.filtered(lambda r: r.kind == kind))

    def _gov_notification_values(self, key):
        """Placeholder values of the notification templates about this request."""
        self.ensure_one()
        return {
            "subject": self.name,
            "query_code": self.query_code or "",
            "track_url": f"{self.get_base_url()}/consultation/track",
            "leader": self.leader_id.name or "",
        }

    def action_close(self):
        for record in self:
            if record.state != "answered":
                raise UserError(self.env._("Only answered requests can be closed."))
        self.write({"state": "closed"})

    def action_approve_publication(self):
        for record in self:
            if not record.is_public:
                raise UserError(
                    self.env._("The citizen did not agree to publish this request.")
                )
        self.write({"publication_approved": True})

    def action_withdraw_publication(self):
        self.write({"publication_approved": False})

    def _rate(self, rating):
        """Record the citizen's rating (from the website)."""
        self.ensure_one()
        if rating not in dict(RATING_SELECTION):
            raise ValidationError(self.env._("Unknown rating."))
        if self.state not in ("answered", "closed") or self.rating:
            raise UserError(self.env._("This request cannot be rated."))
        if self.rating_deadline and center_today(self.env) > self.rating_deadline:
            raise UserError(self.env._("The rating period is over."))
        self._gov_register_bypass().write({"rating": rating})

    # ------------------------------------------------------------------
    # Public rendering
    # ------------------------------------------------------------------
    def _public_values(self):
        """Whitelisted, masked values of a published request."""
        self.ensure_one()
        record = self.sudo()
        return {
            "id": record.id,
            "name": mask_text(record.name),
            "question": mask_text(record.question),
            "answer": mask_text(record.answer),
            "contact": mask_name(record.contact_name),
            "department": record.department_id.name or "",
            "date": center_date(self.env, record.date_submitted),
            "date_answered": center_date(self.env, record.date_answered),
            "kind": record.kind,
        }

    # ------------------------------------------------------------------
    # Crons
    # ------------------------------------------------------------------
    @api.model
    def _cron_refresh_overdue(self):
        """Count in the statistics the open requests that passed their deadline
        (the overdue flag itself is computed live)."""
        records = self.sudo().search([("is_overdue", "=", True), ("overdue_count", "=", 0)])
        self.env.add_to_compute(self._fields["overdue_count"], records)
        records.flush_recordset(["overdue_count"])
        return records

    @api.model
    def _cron_remind(self):
        """Plan a to-do for the assignee one working day before the deadline."""
        Calendar = self.env["gov.calendar.day"]
        limit = Calendar.add_working_days(self._gov_today(), 1)
        records = self.sudo().search(
            [
                ("state", "in", ("new", "assigned")),
                ("reminder_sent", "=", False),
                ("date_deadline", "<=", limit),
            ]
        )
        for record in records:
            user = record.user_id or record.department_id.manager_id.user_id
            if not user:
                continue
            record.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=record.date_deadline,
                summary=self.env._("Answer before the deadline"),
                user_id=user.id,
            )
        records.write({"reminder_sent": True})
        return records

    @api.model
    def _cron_default_rating(self):
        """Answers not rated within the rating period count as satisfied."""
        today = center_today(self.env)
        records = self.sudo().search(
            [
                ("state", "in", ("answered", "closed")),
                ("rating", "=", False),
                ("rating_deadline", "<", today),
            ]
        )
        records._gov_register_bypass().write(
            {"rating": "satisfied", "rating_auto": True}
        )
        return records

    # ------------------------------------------------------------------
    # Demo data
    # ------------------------------------------------------------------
    @api.model
    def _gov_demo_year(self, asked=2000, resolved=1200, seed=2014, batch_size=500):
        """Demo: online consultations of the twelve months before the
        center's today, up to the center's yearly figures (about ``asked``
        consultations, ``resolved`` of them answered), those already in the
        demo counted. Built in batches through the ORM (computes, constraints
        and assignment rules apply), without tracking messages."""
        import random
        from datetime import datetime, time, timedelta

        from .gov_center_time import to_utc

        rng = random.Random(seed)
        today = center_today(self.env)
        first_day = today - timedelta(days=365)
        year_domain = [
            ("kind", "=", "consultation"),
            ("date_submitted", ">=", to_utc(self.env, datetime.combine(first_day, time.min))),
        ]
        Consultation = self.with_context(
            active_test=False, tracking_disable=True, mail_create_nolog=True,
            mail_create_nosubscribe=True, mail_notrack=True,
        )
        missing = asked - Consultation.search_count(year_domain)
        to_resolve = resolved - Consultation.search_count(
            year_domain + [("state", "in", ("answered", "closed"))]
        )
        if missing <= 0:
            return 0
        to_resolve = min(max(to_resolve, 0), missing)

        items = self.env["gov.approval.item"].search(
            [("state", "=", "active"), ("department_id", "!=", False)]
        )
        officer = self.env.ref("gov_service_center.user_officer_demo", raise_if_not_found=False)
        officer_departments = officer.employee_ids.department_id if officer else None
        citizen = self.env.ref("gov_service_center.user_citizen_demo", raise_if_not_found=False)
        topics = [
            "需要准备哪些材料", "办理时限是多久", "能否网上申报", "是否收费",
            "在哪个窗口办理", "办理进度如何查询", "需要本人到场吗", "申请条件是什么",
            "可以委托他人办理吗", "证件到期如何延续",
        ]
        tails = [
            "我是第一次办理，不太清楚流程，麻烦告知。", "之前打电话没有打通，麻烦回复。",
            "单位急需办理，谢谢！", "麻烦告知具体要求，谢谢。", "",
        ]
        answers = [
            "您好！{item}的办事指南已在眉山市政务服务网公布，请按指南准备申请材料，"
            "到市政务服务中心对应窗口办理，符合条件的当场受理。",
            "您好！{item}已开通网上申报，您可登录眉山市政务服务网在线提交申请，"
            "材料齐全的将在承诺时限内办结，如有疑问欢迎来电。",
            "您好！{item}实行“一窗受理、并联审批”，承诺时限已较法定时限大幅压缩，"
            "具体材料清单请查看网上办事指南或致电窗口咨询。",
            "您好！{item}不收取费用。可由本人或持授权委托书的代理人到窗口办理，"
            "办理进度可凭受理回执在政务服务网查询。",
        ]
        surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
        given = ["伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛",
                 "明", "超", "秀英", "霞", "平", "刚", "桂英", "建华", "文斌", "晓燕", "志强", "海燕"]
        now = fields.Datetime.now()
        # submission moments: more on working days, during the day
        moments = []
        while len(moments) < missing:
            day = first_day + timedelta(days=rng.randint(1, 365))
            if not self.env["gov.calendar.day"].is_working_day(day) and rng.random() < 0.7:
                continue
            local = datetime.combine(day, time(rng.randint(7, 22), rng.randint(0, 59), rng.randint(0, 59)))
            moment = to_utc(self.env, local)
            if moment < now:
                moments.append(moment)
        moments.sort()
        # the answered ones among those at least a day old
        candidates = [index for index, moment in enumerate(moments) if moment < now - timedelta(days=1)]
        answered = set(rng.sample(candidates, min(to_resolve, len(candidates))))
        vals_list = []
        for index, submitted in enumerate(moments):
            item = items[rng.randrange(len(items))] if items else None
            item_name = item.name if item else "企业开办"
            topic = rng.choice(topics)
            subject = f"{item_name[:50 - len(topic)]}{topic}"
            vals = {
                "name": subject,
                "kind": "consultation",
                "category": "consultation",
                "question": f"请问{subject}？{rng.choice(tails)}",
                "contact_name": rng.choice(surnames) + rng.choice(given),
                "contact_phone": f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}",
                "department_id": item.department_id.id if item else False,
                "item_id": item.id if item else False,
                "date_submitted": submitted,
                "is_public": rng.random() < 0.3,
            }
            if citizen and index % 300 == 7:
                vals.update(partner_id=citizen.partner_id.id, contact_name=citizen.name)
            if index in answered:
                date_answered = min(
                    submitted + timedelta(hours=rng.randint(2, 24 * 6)), now - timedelta(hours=1)
                )
                closed = date_answered < now - timedelta(days=15)
                vals.update(
                    state="closed" if closed else "answered",
                    answer=rng.choice(answers).format(item=item_name),
                    date_answered=date_answered,
                    publication_approved=vals["is_public"] and rng.random() < 0.7,
                )
                if closed:
                    roll = rng.random()
                    vals["rating"] = (
                        "satisfied" if roll < 0.85
                        else "basically_satisfied" if roll < 0.95 else "dissatisfied"
                    )
            elif rng.random() < 0.5:
                vals["state"] = "assigned"
                if officer and item and item.department_id in officer_departments:
                    vals["user_id"] = officer.id
            vals_list.append(vals)
        for start in range(0, len(vals_list), batch_size):
            Consultation.create(vals_list[start:start + batch_size])
        return len(vals_list)

    # ------------------------------------------------------------------
    # Website
    # ------------------------------------------------------------------
    @api.model
    def _gov_public_domain(self):
        """Requests shown among the public answers: approved for publication."""
        return [("is_published", "=", True)]
