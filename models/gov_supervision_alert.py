# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Electronic supervision (电子监察) of the legal deadlines.

Every model with a legal deadline (``gov.deadline.mixin``) shows a light
(green, yellow, red). A daily job raises one alert per record and rule, set
based: for each deadline model, ONE ``INSERT … SELECT … ON CONFLICT DO
NOTHING`` over the deadline columns and all the rules of the model, so a
second run with nothing changed writes nothing. Levels:

* ``warning`` (预警): the deadline is near (yellow light);
* ``yellow`` (黄牌): an irregularity of a case (extension without approval,
  decision without reasons, late delivery, deemed acceptance);
* ``red`` (红牌): the deadline has passed while the record is still open.

The responsible user explains a card; an inspector accepts the explanation
(the card is cancelled) or confirms it. Confirmed cards feed the points
ledger and the monthly statistics.
"""
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, create_unique_index, format_date

from .gov_settings import get_setting
from .gov_stat_source_mixin import StatSource

LEVEL_SELECTION = [
    ("warning", "Warning"),
    ("yellow", "Yellow Card"),
    ("red", "Red Card"),
]
STATE_SELECTION = [
    ("open", "Open"),
    ("explained", "Explained"),
    ("confirmed", "Confirmed"),
    ("cancelled", "Cancelled"),
]
# cards (not warnings) count in the points and the monthly figures
CARD_LEVELS = ("yellow", "red")


class GovSupervisionAlert(models.Model):
    _name = "gov.supervision.alert"
    _description = "Supervision Alert"
    _inherit = [
        "mail.thread", "mail.activity.mixin", "gov.register.mixin", "gov.stat.source.mixin",
    ]
    _order = "date desc, id desc"
    _gov_workflow_fields = ("state", "inspector_id", "date_decided")
    _gov_frozen_fields = ("res_model", "res_id", "level", "rule", "date")

    name = fields.Char(string="Record", required=True, readonly=True)
    # res_model and res_id: searched through the unique index (init)
    res_model = fields.Char(string="Model", required=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Record ID", model_field="res_model", required=True, readonly=True,
    )
    reference = fields.Reference(
        selection="_selection_reference", string="Supervised Record",
        compute="_compute_reference",
    )
    department_id = fields.Many2one(
        "hr.department", string="Department", index=True, readonly=True, ondelete="restrict",
    )
    user_id = fields.Many2one(
        "res.users", string="Responsible", index=True, readonly=True, ondelete="restrict",
    )
    level = fields.Selection(LEVEL_SELECTION, required=True, readonly=True)
    rule = fields.Char(string="Rule Key", required=True, readonly=True,
                       help="Key of the supervision rule that raised the alert.")
    rule_label = fields.Char(string="Rule", compute="_compute_rule_label")
    date = fields.Date(string="Raised On", required=True, readonly=True, index=True)
    date_deadline = fields.Date(string="Deadline", readonly=True,
                                help="Deadline of the record when the alert was raised.")
    state = fields.Selection(
        STATE_SELECTION, required=True, default="open", index=True, tracking=True,
        readonly=True,
    )
    explanation = fields.Text(tracking=True,
                              help="Explanation of the responsible user (情况说明).")
    decision_note = fields.Text(string="Decision Note", tracking=True,
                                help="Note of the inspector on the explanation.")
    inspector_id = fields.Many2one("res.users", string="Decided By", readonly=True,
                                   tracking=True)
    date_decided = fields.Date(string="Decided On", readonly=True)
    notice_no = fields.Char(string="Notice No.", readonly=True, copy=False,
                            help="Number of the supervision notice (监察通知书) of a red card.")
    active = fields.Boolean(default=True)

    def init(self):
        create_unique_index(
            self.env.cr, "gov_supervision_alert_key_uniq", self._table,
            ["res_model", "res_id", "level", "rule"],
        )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.model
    def _gov_deadline_models(self):
        """The models with a legal deadline, each a source of alerts."""
        mixin = self.env["gov.deadline.mixin"]
        return [
            self.env[name] for name in sorted(mixin._inherit_children)
            if not self.env[name]._abstract and not self.env[name]._transient
        ]

    @api.model
    def _selection_reference(self):
        return [(model._name, model._description) for model in self._gov_deadline_models()]

    @api.depends("res_model", "res_id")
    def _compute_reference(self):
        names = {model._name for model in self._gov_deadline_models()}
        for alert in self:
            alert.reference = (
                f"{alert.res_model},{alert.res_id}"
                if alert.res_model in names and alert.res_id else False
            )

    @api.model
    def _gov_rule_labels(self):
        return {
            "deadline_yellow": self.env._("Deadline near"),
            "deadline_red": self.env._("Deadline passed"),
            "extension_unapproved": self.env._("Extension without approval"),
            "decision_no_reason": self.env._("Refusal without reasons"),
            "late_delivery": self.env._("Decision delivered late (Art. 44)"),
            "late_acceptance": self.env._("Deemed accepted: no supplement notice in time (Art. 32)"),
        }

    @api.depends("rule")
    def _compute_rule_label(self):
        labels = self._gov_rule_labels()
        for alert in self:
            alert.rule_label = labels.get(alert.rule, alert.rule)

    @api.depends("name", "rule")
    def _compute_display_name(self):
        labels = self._gov_rule_labels()
        for alert in self:
            alert.display_name = f"{labels.get(alert.rule, alert.rule or '')}: {alert.name or ''}"

    # ------------------------------------------------------------------
    # Never deleted
    # ------------------------------------------------------------------
    def _gov_unlink_message(self):
        return self.env._(
            "Supervision alerts are never deleted: archive or cancel them instead."
        )

    # ------------------------------------------------------------------
    # Raising the alerts (set based)
    # ------------------------------------------------------------------
    @api.model
    def _gov_supervision_raise(self, today=None, notify=True):
        """Raise the alerts of every deadline model and rule: one ``INSERT …
        SELECT … ON CONFLICT DO NOTHING`` per model, over all its rules. Returns the new
        alerts."""
        today = today or self.env["gov.deadline.mixin"]._gov_today()
        warning = self.env["gov.deadline.mixin"]._gov_warning_date(today)
        self.env.flush_all()
        cr = self.env.cr
        uid = self.env.uid
        new_ids = []
        departments = set()
        for model in self._gov_deadline_models():
            model = model.sudo().with_context(active_test=False)
            table = SQL.identifier(model._table)
            name_field = model._fields.get(model._rec_name or "name")
            if name_field and name_field.store and name_field.type == "char":
                name = SQL("COALESCE(%s, %s)", SQL.identifier(model._table, name_field.name),
                           model._description)
            else:
                name = SQL("%s || ' ' || %s", model._description,
                           SQL.identifier(model._table, "id"))
            rules = model._gov_supervision_conditions(today, warning)
            if not rules:
                continue
            # one statement per model: one scan of its table, one row per
            # record and rule that holds
            cr.execute(SQL(
                """INSERT INTO gov_supervision_alert
                       (res_model, res_id, name, department_id, user_id, level, rule,
                        date, date_deadline, state, active,
                        create_uid, create_date, write_uid, write_date)
                   SELECT %(model)s, %(id)s, %(name)s, %(dept)s, %(user)s, r.level,
                          r.rule, %(today)s, %(deadline)s, 'open', TRUE,
                          %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s,
                          NOW() AT TIME ZONE 'UTC'
                     FROM %(table)s
               CROSS JOIN LATERAL (VALUES %(values)s) AS r(rule, level, hit)
                    WHERE (%(any)s) AND r.hit
               ON CONFLICT (res_model, res_id, level, rule) DO NOTHING
                RETURNING id, department_id""",
                model=model._name,
                id=SQL.identifier(model._table, "id"),
                name=name,
                dept=SQL.identifier(model._table, "deadline_department_id"),
                user=SQL.identifier(model._table, "deadline_user_id"),
                today=today,
                deadline=SQL.identifier(model._table, "date_deadline"),
                uid=uid,
                table=table,
                values=SQL(", ").join(
                    SQL("(%s::varchar, %s::varchar, (%s))", rule, level, condition)
                    for rule, level, condition in rules
                ),
                any=SQL(" OR ").join(SQL("(%s)", condition) for _r, _l, condition in rules),
            ))
            for alert_id, department_id in cr.fetchall():
                new_ids.append(alert_id)
                departments.add(department_id)
        alerts = self.sudo().browse(new_ids)
        if alerts:
            # the new alerts are all of today's month: mark its departments
            # (what _gov_stat_mark would find, without reading them again)
            cr.execute(SQL(
                """INSERT INTO gov_stat_monthly_dirty (source, month, department_id)
                   SELECT 'supervision', %s, unnest(%s::int[])""",
                today.replace(day=1), list(departments),
            ))
            if notify:
                alerts._gov_supervision_notify()
        return alerts

    @api.model
    def _cron_supervision(self):
        """Daily job (also callable): raise the alerts of today."""
        return len(self._gov_supervision_raise())

    def _gov_supervision_notify(self):
        """Notify the new alerts ``self``: an activity to the responsible
        user (a yellow card asks for an explanation within one working day),
        an activity to the head of the department for a red card, and the
        number of the supervision notice of each red card. The one place a
        notification service hooks in."""
        if not self:
            return
        today = self.env["gov.deadline.mixin"]._gov_today()
        next_day = self.env["gov.calendar.day"].add_working_days(today, 1)
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        model_id = self.env["ir.model"]._get_id(self._name)
        labels = self._gov_rule_labels()
        vals_list = []
        for alert in self:
            base = {
                "res_model_id": model_id,
                "res_id": alert.id,
                "activity_type_id": todo.id if todo else False,
            }
            label = labels.get(alert.rule, alert.rule)
            if alert.user_id:
                if alert.level == "warning":
                    summary = self.env._("Deadline near: %(record)s", record=alert.name)
                    deadline = alert.date_deadline or today
                else:
                    summary = self.env._(
                        "Explain the card: %(rule)s, %(record)s", rule=label, record=alert.name
                    )
                    deadline = next_day
                vals_list.append(dict(base, user_id=alert.user_id.id, summary=summary,
                                      date_deadline=deadline))
            if alert.level == "red":
                head = alert.department_id.manager_id.user_id
                if head and head != alert.user_id:
                    vals_list.append(dict(
                        base, user_id=head.id, date_deadline=next_day,
                        summary=self.env._("Red card in your department: %(record)s",
                                           record=alert.name),
                    ))
        if vals_list:
            self.env["mail.activity"].sudo().with_context(
                mail_activity_quick_update=True
            ).create(vals_list)
        Sequence = self.env["ir.sequence"].sudo()
        for alert in self.filtered(lambda a: a.level == "red" and not a.notice_no):
            alert.sudo().notice_no = Sequence.next_by_code("gov.supervision.notice")
        # the cards also reach the officer, and the head for a red card, away
        # from their desk: the notification service (text messages by default)
        Notification = self.env["gov.notification"]
        for level in ("yellow", "red"):
            cards = self.filtered(lambda a, level=level: a.level == level and a.user_id)
            if cards:
                Notification._gov_notify(f"supervision_{level}", cards)
        reds = self.filtered(lambda a: a.level == "red")
        for head, cards in reds.grouped(lambda a: a.department_id.manager_id.user_id).items():
            cards = cards.filtered(lambda a, head=head: a.user_id != head)
            if head and cards:
                Notification._gov_notify("supervision_red", cards, user=head)

    def _gov_notification_values(self, key):
        """Placeholders of the card templates: the supervised record, its
        kind, its deadline and the rule."""
        self.ensure_one()
        model = self.env["ir.model"].sudo()._get(self.res_model)
        return {
            "record_name": self.name or "",
            "model_name": model.name if model else self.res_model,
            "deadline": format_date(self.env, self.date_deadline) if self.date_deadline else "",
            "rule": self.rule_label or self.rule,
        }

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def _gov_check_alert_state(self, states):
        for alert in self:
            if alert.state not in states:
                raise UserError(self.env._(
                    "The alert %(alert)s is %(state)s: this action is not possible.",
                    alert=alert.display_name,
                    state=dict(self._fields["state"]._description_selection(self.env))[alert.state],
                ))

    def _gov_check_inspector(self):
        if not self.env.user.has_group("gov_service_center.group_gov_inspector"):
            raise UserError(self.env._("Only an inspector decides on a supervision alert."))

    def action_explain(self):
        """The responsible user explains the alert (情况说明)."""
        self._gov_check_alert_state(("open",))
        for alert in self:
            if not (alert.explanation or "").strip():
                raise UserError(self.env._(
                    "Write the explanation of %(alert)s first.", alert=alert.display_name
                ))
        self.check_access("write")
        self._gov_register_bypass().sudo().write({"state": "explained"})
        self.sudo().activity_ids.filtered(
            lambda act: act.user_id == self.env.user
        ).action_feedback(feedback=self.env._("Explained"))
        return True

    def action_accept_explanation(self):
        """The inspector accepts the explanation: the alert is cancelled."""
        self._gov_check_inspector()
        self._gov_check_alert_state(("explained",))
        return self._gov_decide("cancelled")

    def action_confirm(self):
        """The inspector confirms the card: it counts in the points."""
        self._gov_check_inspector()
        self._gov_check_alert_state(("open", "explained"))
        return self._gov_decide("confirmed")

    def _gov_decide(self, state):
        self.check_access("write")
        self._gov_register_bypass().sudo().write({
            "state": state,
            "inspector_id": self.env.user.id,
            "date_decided": self.env["gov.deadline.mixin"]._gov_today(),
        })
        self.sudo().activity_ids.action_feedback(
            feedback=dict(self._fields["state"]._description_selection(self.env))[state]
        )
        return True

    def action_open_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "target": "current",
        }

    def action_print_notice(self):
        self._gov_check_alert_state(("open", "explained", "confirmed"))
        if any(alert.level != "red" for alert in self):
            raise UserError(self.env._("A supervision notice is printed for red cards only."))
        return self.env.ref(
            "gov_service_center.action_report_gov_supervision_notice"
        ).report_action(self)

    # ------------------------------------------------------------------
    # Demo
    # ------------------------------------------------------------------
    @api.model
    def _gov_demo_supervision(self):
        """Run the job over the demo records, then explain, confirm and
        cancel some cards (every fourth: explained; every fourth after it:
        accepted; every third red card: confirmed)."""
        alerts = self._gov_supervision_raise()
        cards = alerts.filtered(lambda a: a.level in CARD_LEVELS).sorted("id")
        inspector = self.env.ref("base.user_admin")
        explained = cards[::4]
        for alert in explained:
            alert.explanation = (
                "因专家评审时间延长，办理超出承诺时限，已督促经办人加快办理。"
                if alert.level == "red"
                else "经办人对规定理解有误，已组织学习并补正。"
            )
        explained._gov_register_bypass().write({"state": "explained"})
        accepted = explained[1::2]
        accepted._gov_register_bypass().write({
            "state": "cancelled", "inspector_id": inspector.id,
            "decision_note": "说明理由充分，予以采纳。",
            "date_decided": self.env["gov.deadline.mixin"]._gov_today(),
        })
        confirmed = (cards - explained).filtered(lambda a: a.level == "red")[::3] \
            | (explained - accepted)[::2]
        confirmed._gov_register_bypass().write({
            "state": "confirmed", "inspector_id": inspector.id,
            "decision_note": "超期属实，予以确认。",
            "date_decided": self.env["gov.deadline.mixin"]._gov_today(),
        })
        return True

    # ------------------------------------------------------------------
    # Monthly statistics (gov.stat.source.mixin)
    # ------------------------------------------------------------------
    def _gov_stat_sources(self):
        card = SQL("s.active AND s.state != 'cancelled'")
        return [StatSource(
            source="supervision",
            date_field="date",
            measures={
                "supervision_warning_count": SQL(
                    "COUNT(*) FILTER (WHERE %s AND s.level = 'warning')", card),
                "supervision_yellow_count": SQL(
                    "COUNT(*) FILTER (WHERE %s AND s.level = 'yellow')", card),
                "supervision_red_count": SQL(
                    "COUNT(*) FILTER (WHERE %s AND s.level = 'red')", card),
                "supervision_confirmed_count": SQL(
                    "COUNT(*) FILTER (WHERE s.active AND s.state = 'confirmed' "
                    "AND s.level IN ('yellow', 'red'))"),
            },
            fields=("date", "department_id", "level", "state", "active"),
        )]

    # ------------------------------------------------------------------
    # Points ledger cause provider
    # ------------------------------------------------------------------
    @api.model
    def _gov_ledger_lines(self, date_from, date_to, employees):
        """Deductions for the confirmed cards of the users of ``employees``,
        in the month of the confirmation."""
        points = {
            "yellow": get_setting(self.env, "supervision_yellow_points"),
            "red": get_setting(self.env, "supervision_red_points"),
        }
        if not employees or not any(points.values()):
            return []
        date_from = fields.Date.to_date(date_from)
        date_to = fields.Date.to_date(date_to)
        employee_by_user = {
            employee.user_id.id: employee.id
            for employee in employees.sudo().filtered("user_id")
        }
        if not employee_by_user:
            return []
        alerts = self.sudo().search_fetch(
            [
                ("user_id", "in", list(employee_by_user)),
                ("state", "=", "confirmed"),
                ("level", "in", [level for level, value in points.items() if value]),
                ("date_decided", ">=", date_from),
                ("date_decided", "<", date_to),
            ],
            ["name", "user_id", "level", "rule", "date_decided"],
            order="date_decided, id",
        )
        Line = self.env["gov.points.ledger.line"]
        return [{
            "employee_id": employee_by_user[alert.user_id.id],
            "date": alert.date_decided,
            "points": -abs(points[alert.level]),
            **Line._gov_cause_vals(self, f"supervision_{alert.level}", {
                "record": alert.name, "rule": alert.rule,
            }),
            "res_model": self._name,
            "res_id": alert.id,
        } for alert in alerts]

    @api.model
    def _gov_ledger_cause_labels(self, causes):
        labels = self._gov_rule_labels()
        result = []
        for code, args in causes:
            rule = labels.get(args.get("rule"), args.get("rule"))
            if code == "supervision_yellow":
                result.append(self.env._(
                    "Yellow card confirmed: %(rule)s, %(record)s", rule=rule, record=args.get("record"),
                ))
            elif code == "supervision_red":
                result.append(self.env._(
                    "Red card confirmed: %(rule)s, %(record)s", rule=rule, record=args.get("record"),
                ))
            else:
                result.append(False)
        return result

    # ------------------------------------------------------------------
    # Monthly supervision report
    # ------------------------------------------------------------------
    @api.model
    def _gov_supervision_month_rows(self, month):
        """Per department for ``month`` (any day of it): cases decided in the
        month, decided on time, on-time rate, yellow and red cards (from the
        monthly statistics) and rank (on-time rate descending, then fewer red
        and yellow cards)."""
        month = fields.Date.to_date(month).replace(day=1)
        self.env["gov.stat.monthly"].sudo()._gov_stat_refresh_pending()
        end = month + relativedelta(months=1)
        rows = {}

        def row(department):
            return rows.setdefault(department, {
                "department": department, "decided": 0, "on_time": 0, "yellow": 0, "red": 0,
            })

        for department, decided, on_time in self.env["gov.case"].sudo()._read_group(
            [("date_decided", ">=", month), ("date_decided", "<", end),
             ("date_accepted", "!=", False),
             ("state", "in", ("approved", "denied", "delivered"))],
            ["department_id"], ["count_decided:sum", "count_on_time:sum"],
        ):
            row(department)["decided"] += decided or 0
            row(department)["on_time"] += on_time or 0
        for department, yellow, red in self.env["gov.stat.monthly"].sudo()._read_group(
            [("month", "=", month), ("source", "=", "supervision")],
            ["department_id"], ["supervision_yellow_count:sum", "supervision_red_count:sum"],
        ):
            row(department)["yellow"] += yellow or 0
            row(department)["red"] += red or 0
        result = list(rows.values())
        for values in result:
            values["rate"] = (
                100.0 * values["on_time"] / values["decided"] if values["decided"] else 100.0
            )
        result.sort(key=lambda r: (-r["rate"], r["red"], r["yellow"], r["department"].name or ""))
        for rank, values in enumerate(result, 1):
            values["rank"] = rank
        return result
