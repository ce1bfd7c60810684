# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.tools import SQL, create_index
from odoo.exceptions import AccessError, UserError, ValidationError

from .gov_center_time import center_date, center_today
from .gov_settings import get_setting
from .gov_stat_source_mixin import StatSource

LEVEL_SELECTION = [
    ("5", "Very Satisfied"),
    ("4", "Satisfied"),
    ("3", "Basically Satisfied"),
    ("2", "Dissatisfied"),
    ("1", "Very Dissatisfied"),
]

CHANNEL_SELECTION = [
    ("hall_qr", "QR Code in the Hall"),
    ("terminal", "Rating Terminal"),
    ("website", "Website"),
    ("phone", "Phone"),
]

RECTIFICATION_SELECTION = [
    ("none", "Not Needed"),
    ("to_verify", "To Verify"),
    ("rectifying", "Rectifying"),
    ("followed_up", "Followed Up"),
    ("closed", "Closed"),
]

APPEAL_SELECTION = [
    ("none", "No Appeal"),
    ("requested", "Appeal Requested"),
    ("accepted", "Appeal Accepted"),
    ("rejected", "Appeal Rejected"),
]

APPEAL_REASON_SELECTION = [
    ("mistaken", "Mistaken Rating"),
    ("malicious", "Malicious Rating"),
]

# What the citizen gave: never changed after the rating is recorded.
IMMUTABLE_FIELDS = {
    "level", "channel", "date", "employee_id", "window_id", "item_id", "ticket_id",
    "ticket_ref", "comment", "indicator_ids", "rater_name", "rater_phone", "name",
    "case_id", "officer_id",
}
WORKFLOW_FIELDS = {"rectification_state", "appeal_state"}


class GovServiceRating(models.Model):
    """One 好差评 rating of one service (一次一评), from 5 (very satisfied)
    to 1 (very dissatisfied). Ratings of 2 and 1 are bad ratings: they are
    verified, rectified, followed up by phone and rated again before they are
    closed, unless an administrator accepts an appeal against a mistaken or
    malicious rating. Ratings are never deleted."""

    _name = "gov.service.rating"
    _description = "Service Rating"
    _gov_deadline_user_path = "department_id.manager_id.user_id"
    _inherit = [
        "mail.thread", "mail.activity.mixin", "gov.register.mixin", "gov.deadline.mixin",
        "gov.stat.source.mixin",
    ]
    _order = "date desc, id desc"
    _gov_frozen_fields = tuple(sorted(IMMUTABLE_FIELDS))
    _gov_workflow_fields = tuple(sorted(WORKFLOW_FIELDS))

    name = fields.Char(string="Reference", readonly=True, copy=False, default="/", index=True)
    level = fields.Integer(required=True, tracking=True, aggregator="avg")
    level_label = fields.Selection(LEVEL_SELECTION, string="Rating", compute="_compute_level_label", store=True)
    is_bad = fields.Boolean(string="Bad Rating", compute="_compute_is_bad", store=True, index=True)
    is_satisfied = fields.Boolean(compute="_compute_is_bad", store=True)
    satisfaction_rate = fields.Float(
        string="Satisfaction Rate (%)",
        compute="_compute_is_bad",
        store=True,
        aggregator="avg",
        help="100 for a rating of 3 or more, 0 otherwise: its average is the satisfaction rate.",
    )
    channel = fields.Selection(CHANNEL_SELECTION, required=True, default="website", index=True)
    date = fields.Datetime(string="Rated On", required=True, default=fields.Datetime.now, index=True)
    rating_day = fields.Date(string="Day", compute="_compute_rating_day", store=True, index=True)
    employee_id = fields.Many2one("hr.employee", string="Staff", index=True, ondelete="restrict")
    window_id = fields.Many2one("gov.service.window", string="Window", index=True, ondelete="restrict")
    item_id = fields.Many2one("gov.approval.item", string="Approval Item", index=True, ondelete="restrict")
    department_id = fields.Many2one(
        "hr.department", compute="_compute_department_id", store=True, index=True,
        string="Department",
    )
    ticket_id = fields.Many2one(
        "gov.queue.ticket", string="Queue Ticket", index="btree_not_null", copy=False,
        ondelete="restrict", readonly=True,
    )
    case_id = fields.Many2one(
        "gov.case", string="Case", index="btree_not_null", copy=False, ondelete="restrict",
        readonly=True, help="The case rated (一事一评): each case is rated once.",
    )
    officer_id = fields.Many2one(
        "res.users", string="Case Officer", readonly=True, copy=False,
        help="Officer who handled the rated case.",
    )
    ticket_ref = fields.Char(string="Ticket / Case Reference", copy=False)
    comment = fields.Text()
    indicator_ids = fields.Many2many(
        "gov.rating.indicator",
        "gov_service_rating_indicator_rel",
        "rating_id",
        "indicator_id",
        string="Indicators",
    )
    rater_name = fields.Char(string="Rater Name", groups="gov_service_center.group_gov_admin")
    rater_phone = fields.Char(string="Rater Phone", groups="gov_service_center.group_gov_admin")

    rectification_state = fields.Selection(
        RECTIFICATION_SELECTION, default="none", required=True, tracking=True, index=True,
        copy=False,
    )
    verify_deadline = fields.Date(string="Verify By", readonly=True, copy=False)
    rectify_deadline = fields.Date(string="Rectify By", readonly=True, copy=False)
    # the deadline of the current stage: verification, then rectification
    date_deadline = fields.Date(compute="_compute_date_deadline", store=True)
    verification_note = fields.Text(tracking=True)
    rectification_note = fields.Text(string="Rectification Measures", tracking=True)
    followup_note = fields.Text(string="Follow-up Call", tracking=True)
    followup_date = fields.Date(string="Followed Up On", readonly=True, copy=False)
    second_level = fields.Integer(string="Rating of the Fix", tracking=True)
    closed_date = fields.Date(readonly=True, copy=False)

    appeal_state = fields.Selection(
        APPEAL_SELECTION, default="none", required=True, tracking=True, index=True, copy=False
    )
    appeal_reason = fields.Selection(APPEAL_REASON_SELECTION, tracking=True)
    appeal_note = fields.Text(string="Appeal Grounds", tracking=True)
    appeal_decision_note = fields.Text(string="Appeal Decision", tracking=True)
    counts_in_ledger = fields.Boolean(
        compute="_compute_counts_in_ledger", store=True, index=True,
        help="Ratings under an accepted appeal are left out of the points ledger and statistics.",
    )

    _sql_constraints = [
        ("ticket_unique", "unique(ticket_id)", "A queue ticket can be rated only once."),
        ("case_unique", "unique(case_id)", "A case can be rated only once."),
        ("level_range", "CHECK(level BETWEEN 1 AND 5)", "The rating level goes from 1 to 5."),
    ]

    def init(self):
        super().init()
        # the bad ratings whose rectification still runs, by deadline: the
        # overdue count of the overview and the supervision of deadlines
        # (_gov_deadline_open_domain) read only these
        create_index(
            self.env.cr, "gov_service_rating_open_deadline_idx", self._table,
            ["date_deadline", "counts_in_ledger"],
            where="rectification_state IN ('to_verify', 'rectifying')"
                  " AND (appeal_state IS NULL OR appeal_state != 'accepted')",
        )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("level")
    def _compute_level_label(self):
        for rating in self:
            rating.level_label = str(rating.level) if 1 <= rating.level <= 5 else False

    @api.depends("level")
    def _compute_is_bad(self):
        for rating in self:
            rating.is_bad = 1 <= rating.level <= 2
            rating.is_satisfied = rating.level >= 3
            rating.satisfaction_rate = 100.0 if rating.level >= 3 else 0.0

    @api.depends("date")
    def _compute_rating_day(self):
        for rating in self:
            rating.rating_day = center_date(self.env, rating.date)

    @api.depends("case_id.department_id", "window_id.department_id", "item_id.department_id")
    def _compute_department_id(self):
        for rating in self:
            rating.department_id = (
                rating.case_id.department_id or rating.window_id.department_id
                or rating.item_id.department_id
            )

    @api.depends("appeal_state")
    def _compute_counts_in_ledger(self):
        for rating in self:
            rating.counts_in_ledger = rating.appeal_state != "accepted"

    @api.model
    def _gov_stat_sources(self):
        return [StatSource(
            source="rating",
            date_field="rating_day",
            dims={"item_id": SQL("s.item_id"), "window_id": SQL("s.window_id")},
            measures={
                "rating_count": SQL("COUNT(*)"),
                "rating_level_sum": SQL("SUM(s.level)"),
                "rating_bad_count": SQL("COUNT(*) FILTER (WHERE s.is_bad)"),
                "rating_bad_open_count": SQL(
                    "COUNT(*) FILTER (WHERE s.is_bad AND s.rectification_state "
                    "IN ('to_verify', 'rectifying', 'followed_up'))"
                ),
            },
            where=SQL("s.counts_in_ledger"),
            fields=("rating_day", "department_id", "item_id", "window_id", "level", "is_bad",
                    "counts_in_ledger", "rectification_state"),
        )]

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("level", "second_level")
    def _check_levels(self):
        for rating in self:
            if not 1 <= rating.level <= 5:
                raise ValidationError(self.env._("The rating level goes from 1 to 5."))
            if rating.second_level and not 1 <= rating.second_level <= 5:
                raise ValidationError(self.env._("The rating of the fix goes from 1 to 5."))

    @api.constrains("level", "channel", "indicator_ids")
    def _check_indicators(self):
        Indicator = self.env["gov.rating.indicator"]
        for rating in self:
            if not rating.indicator_ids:
                continue
            allowed = rating.indicator_ids.filtered_domain(
                Indicator._applicable_domain(rating.level, rating.channel)
            )
            if allowed != rating.indicator_ids:
                raise ValidationError(
                    self.env._("Some indicators chosen do not apply to this level or channel.")
                )

    # ------------------------------------------------------------------
    # Configuration
    # ------------------------------------------------------------------
    @api.model
    def _get_param(self, name):
        return get_setting(self.env, name)

    # ------------------------------------------------------------------
    # Grouping
    # ------------------------------------------------------------------
    @api.model
    def _read_group(self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None,
                    order=None):
        """Whole groupings (pivot, graph: no limit, no offset) ordered by
        their groupby fields are ordered here after grouping, in Python.

        Ordering groups by a many2one (department, window, staff, item) in
        SQL joins the related table and adds its order (the department's
        translated name) to the GROUP BY: PostgreSQL then sorts every rating
        by that name before grouping (tens of megabytes on disk at a million
        ratings). Grouping on the ids alone and sorting the few resulting
        groups by the related records' own order gives the same rows."""
        groupby = tuple(groupby)
        terms = self._gov_group_order_terms(groupby, order) if not (limit or offset) else None
        if not terms:
            return super()._read_group(
                domain, groupby, aggregates, having=having, offset=offset, limit=limit, order=order
            )
        # no order: grouped and ordered by the group columns, no join
        rows = super()._read_group(domain, groupby, aggregates, having=having)
        for position, descending in reversed(terms):
            field = self._fields.get(groupby[position])
            if field is not None and field.type == "many2one":
                ids = {row[position].id for row in rows if row[position]}
                ranked = self.env[field.comodel_name].sudo().with_context(active_test=False).search(
                    [("id", "in", list(ids))]
                ).ids
                rank = {record_id: index for index, record_id in enumerate(ranked)}

                def key(row, position=position, rank=rank):
                    value = row[position]
                    return (not value, rank.get(value.id, len(rank)) if value else 0)
            else:
                def key(row, position=position):
                    value = row[position]
                    empty = value is None or value is False
                    return (empty, 0 if empty else value)
            # PostgreSQL's default: empty groups last ascending, first descending
            rows = sorted(rows, key=key, reverse=descending)
        return rows

    @api.model
    def _gov_group_order_terms(self, groupby, order):
        """``[(groupby position, descending)]`` when ``order`` only names
        groupby specs and one of them is a many2one whose model is not
        ordered by id; else None (the order is left to SQL)."""
        if not order:
            return None
        terms = []
        for part in order.split(","):
            words = part.split()
            if not words or len(words) > 2 or words[0] not in groupby:
                return None
            direction = words[1].upper() if len(words) == 2 else "ASC"
            if direction not in ("ASC", "DESC"):
                return None
            terms.append((groupby.index(words[0]), direction == "DESC"))
        if not any(
            (field := self._fields.get(groupby[position])) is not None
            and field.type == "many2one"
            and self.env[field.comodel_name]._order != "id"
            for position, _descending in terms
        ):
            return None
        return terms

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        Calendar = self.env["gov.calendar.day"]
        verify_days = self._get_param("rating_verify_days")
        for vals in vals_list:
            if vals.get("ticket_id"):
                self.env["gov.queue.ticket"].sudo().browse(vals["ticket_id"]).exists()._gov_check_ratable()
            if vals.get("case_id"):
                self._case_values(vals)
            level = vals.get("level")
            if not isinstance(level, int) or not 1 <= level <= 5:
                raise ValidationError(self.env._("The rating level goes from 1 to 5."))
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code("gov.service.rating") or "/"
            if level <= 2:
                vals.setdefault("rectification_state", "to_verify")
                if not vals.get("verify_deadline"):
                    rated = fields.Datetime.to_datetime(vals.get("date")) or fields.Datetime.now()
                    day = center_date(self.env, rated)
                    vals["verify_deadline"] = Calendar.add_working_days(day, verify_days)
            else:
                vals["rectification_state"] = "none"
        return super().create(vals_list)

    @api.model
    def _case_values(self, vals):
        """A rating of a case (一事一评) takes its item, officer and reference
        from the case; the department follows the case."""
        case = self.env["gov.case"].sudo().browse(vals["case_id"]).exists()
        if not case:
            raise ValidationError(self.env._("The case rated does not exist."))
        case._gov_check_ratable()
        vals["item_id"] = case.item_id.id
        vals["officer_id"] = case.user_id.id or False
        employee = case.user_id.sudo().employee_id
        if employee and not vals.get("employee_id"):
            vals["employee_id"] = employee.id
        vals.setdefault("ticket_ref", case.name)
        return vals

    def _gov_frozen_message(self):
        return self.env._(
            "A rating is recorded as the citizen gave it; its handling changes "
            "only through the rectification and appeal buttons."
        )

    _gov_workflow_message = _gov_frozen_message

    def _workflow_write(self, vals):
        return self._gov_register_bypass().write(vals)

    # ------------------------------------------------------------------
    # Rectification of bad ratings
    # ------------------------------------------------------------------
    def _check_state(self, states):
        wrong = self.filtered(lambda r: r.rectification_state not in states)
        if wrong:
            raise UserError(
                self.env._(
                    "This step does not apply to %(ratings)s in their current state.",
                    ratings=", ".join(wrong.mapped("name")),
                )
            )
        if self.filtered(lambda r: r.appeal_state == "requested"):
            raise UserError(self.env._("Wait for the decision on the appeal first."))

    def action_verify(self):
        """Bad rating verified: rectification starts (15 working days in Sichuan)."""
        self._check_state(("to_verify",))
        if any(not (r.verification_note or "").strip() for r in self):
            raise UserError(self.env._("Write down what the verification found first."))
        today = center_today(self.env)
        deadline = self.env["gov.calendar.day"].add_working_days(
            today, self._get_param("rating_rectify_days")
        )
        self._workflow_write(
            {"rectification_state": "rectifying", "rectify_deadline": deadline}
        )
        return True

    def action_follow_up(self):
        """Rectified and the citizen called back (回访)."""
        self._check_state(("rectifying",))
        if any(
            not (r.rectification_note or "").strip() or not (r.followup_note or "").strip()
            for r in self
        ):
            raise UserError(
                self.env._("Record the rectification measures and the follow-up call first.")
            )
        self._workflow_write(
            {
                "rectification_state": "followed_up",
                "followup_date": center_today(self.env),
            }
        )
        return True

    def action_close(self):
        """The citizen rated the fix: the bad rating is closed."""
        self._check_state(("followed_up",))
        if any(not 1 <= r.second_level <= 5 for r in self):
            raise UserError(self.env._("Record the citizen's rating of the fix (1 to 5) first."))
        self._workflow_write(
            {"rectification_state": "closed", "closed_date": center_today(self.env)}
        )
        return True

    # ------------------------------------------------------------------
    # Appeals against mistaken or malicious ratings
    # ------------------------------------------------------------------
    def action_request_appeal(self):
        for rating in self:
            if not rating.is_bad or rating.appeal_state not in ("none",) or rating.rectification_state == "closed":
                raise UserError(
                    self.env._("Only an open bad rating without a previous appeal can be appealed.")
                )
            if not rating.appeal_reason or not (rating.appeal_note or "").strip():
                raise UserError(self.env._("Give the reason and the grounds of the appeal."))
        self._workflow_write({"appeal_state": "requested"})
        return True

    def _decide_appeal(self, accepted):
        if not self.env.user.has_group("gov_service_center.group_gov_admin"):
            raise AccessError(self.env._("Only an administrator decides on appeals."))
        if self.filtered(lambda r: r.appeal_state != "requested"):
            raise UserError(self.env._("There is no pending appeal to decide."))
        if any(not (r.appeal_decision_note or "").strip() for r in self):
            raise UserError(self.env._("Give the grounds of the decision on the appeal."))
        vals = {"appeal_state": "accepted" if accepted else "rejected"}
        if accepted:
            vals.update(
                rectification_state="closed",
                closed_date=center_today(self.env),
            )
        self._workflow_write(vals)
        return True

    def action_accept_appeal(self):
        return self._decide_appeal(True)

    def action_reject_appeal(self):
        return self._decide_appeal(False)

    # ------------------------------------------------------------------
    # Deadlines
    # ------------------------------------------------------------------
    @api.depends("rectification_state", "verify_deadline", "rectify_deadline")
    def _compute_date_deadline(self):
        for rating in self:
            if rating.rectification_state == "to_verify":
                rating.date_deadline = rating.verify_deadline
            elif rating.rectification_state == "rectifying":
                rating.date_deadline = rating.rectify_deadline
            else:
                rating.date_deadline = False

    @api.model
    def _gov_deadline_open_domain(self):
        return [
            ("appeal_state", "!=", "accepted"),
            ("rectification_state", "in", ("to_verify", "rectifying")),
        ]

    @api.model
    def _gov_deadline_depends(self):
        return ["date_deadline", "appeal_state", "rectification_state"]

    # ------------------------------------------------------------------
    # Monthly points ledger
    # ------------------------------------------------------------------
    @api.model
    def _gov_ledger_lines(self, date_from, date_to, employees):
        """Points of the ratings of ``employees`` given from ``date_from`` to
        ``date_to`` (both included): bad ratings not under an accepted appeal
        deduct points, very satisfied ratings may add a bonus."""
        bad_points = self._get_param("rating_bad_points")
        good_points = self._get_param("rating_good_points")
        date_from = fields.Date.to_date(date_from)
        date_to = fields.Date.to_date(date_to)
        level_domain = [("is_bad", "=", True)]
        if good_points:
            level_domain = ["|", ("is_bad", "=", True), ("level", "=", 5)]
        ratings = self.sudo().search(
            [
                ("employee_id", "in", employees.ids),
                ("rating_day", ">=", date_from),
                ("rating_day", "<=", date_to),
                ("counts_in_ledger", "=", True),
            ]
            + level_domain,
            order="rating_day, id",
        )
        Line = self.env["gov.points.ledger.line"]
        lines = []
        for rating in ratings:
            if rating.is_bad:
                if not bad_points:
                    continue
                points = -abs(bad_points)
                cause = Line._gov_cause_vals(self, "rating_bad", {"level": rating.level})
            else:
                points = abs(good_points)
                cause = Line._gov_cause_vals(self, "rating_good", {})
            lines.append(
                {
                    "employee_id": rating.employee_id.id,
                    "date": rating.rating_day,
                    "points": points,
                    **cause,
                    "res_model": self._name,
                    "res_id": rating.id,
                }
            )
        return lines

    @api.model
    def _gov_ledger_cause_labels(self, causes):
        """Causes of the points ledger ``[(code, args)]`` worded in the
        current language."""
        labels = []
        for code, args in causes:
            if code == "rating_bad":
                labels.append(self.env._("Bad service rating (%(level)s of 5)", level=args.get("level")))
            elif code == "rating_good":
                labels.append(self.env._("Very satisfied service rating"))
            else:
                labels.append(False)
        return labels
