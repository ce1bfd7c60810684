# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.tools import date_utils

from .gov_center_lang import in_reader_lang
from .gov_settings import get_setting

NOTICE_REASON_SELECTION = [
    ("low_score", "Score Below Threshold"),
    ("last_twice", "Ranked Last Two Months in a Row"),
    ("both", "Low Score and Ranked Last Twice"),
]


class GovLeaderNotice(models.Model):
    """Notice to the department leader (通报部门领导) about a window that
    performed poorly in a month."""

    _name = "gov.leader.notice"
    _description = "Notice to Department Leader"
    _inherit = ["mail.thread", "mail.activity.mixin", "gov.register.mixin"]
    _order = "month desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    month = fields.Date(required=True, index=True, readonly=True)
    window_id = fields.Many2one(
        "gov.service.window", string="Service Window", required=True, index=True,
        readonly=True, ondelete="restrict",
    )
    department_id = fields.Many2one(
        "hr.department", string="Department", index=True, readonly=True, ondelete="restrict"
    )
    manager_user_id = fields.Many2one("res.users", string="Department Leader", readonly=True)
    window_score_id = fields.Many2one("gov.window.score", string="Window Score", readonly=True)
    score = fields.Float(readonly=True, digits=(6, 2))
    rank = fields.Integer(readonly=True)
    threshold = fields.Float(readonly=True, digits=(6, 1))
    reason = fields.Selection(NOTICE_REASON_SELECTION, required=True, readonly=True, index=True)
    cause_line_ids = fields.Many2many(
        "gov.points.ledger.line", "gov_leader_notice_ledger_line_rel", "notice_id", "line_id",
        string="Causes", readonly=True,
    )
    causes = fields.Json(
        string="Causes Sent",
        readonly=True,
        help="Snapshot of the causes when the notice was sent: staff member, date, "
        "cause and points. It does not change when the month is computed again.",
    )
    state = fields.Selection(
        [("sent", "Sent"), ("acknowledged", "Acknowledged")], default="sent",
        required=True, tracking=True, index=True,
    )
    reply = fields.Text(string="Leader's Reply", tracking=True)

    _sql_constraints = [
        ("window_month_unique", "unique(window_id, month)",
         "A window gets at most one notice per month."),
    ]

    @api.depends("window_id", "month")
    def _compute_name(self):
        for notice in self:
            notice.name = "%s %s" % (
                notice.window_id.display_name or "",
                notice.month.strftime("%Y-%m") if notice.month else "",
            )

    def action_acknowledge(self):
        self.write({"state": "acknowledged"})
        return True

    @api.model
    def _get_threshold(self):
        return get_setting(self.env, "notice_threshold")

    @api.model
    def _generate_for_month(self, month):
        self = self.sudo()
        month = date_utils.start_of(fields.Date.to_date(month), "month")
        previous = date_utils.subtract(month, months=1)
        threshold = self._get_threshold()
        Score = self.env["gov.window.score"]
        scores = Score.search([("month", "=", month)])
        last_before = set(
            Score.search([("month", "=", previous), ("is_last", "=", True)]).window_id.ids
        )
        already = set(self.search([("month", "=", month)]).window_id.ids)
        to_notify = []
        for score in scores:
            low = score.score < threshold
            last_twice = score.is_last and score.window_id.id in last_before
            if (low or last_twice) and score.window_id.id not in already:
                to_notify.append((score, "both" if low and last_twice else ("low_score" if low else "last_twice")))
        if not to_notify:
            return self.browse()
        windows = self.env["gov.service.window"].browse([s.window_id.id for s, _r in to_notify])
        lines = self.env["gov.points.ledger.line"].search(
            [("month", "=", month), ("points", "<", 0), ("ledger_id.window_id", "in", windows.ids)]
        )
        def snapshot(window_lines):
            return [
                {
                    "employee": line.employee_id.name,
                    "date": fields.Date.to_string(line.date),
                    "cause": line.cause,
                    "cause_code": line.cause_code,
                    "cause_args": line.cause_args,
                    "res_model": line.res_model,
                    "points": line.points,
                }
                for line in window_lines.sorted(lambda line: (line.date, line.id))
            ]

        notices = self.with_context(mail_create_nolog=True).create(
            [
                {
                    "causes": snapshot(
                        lines.filtered(lambda line, w=score.window_id: line.ledger_id.window_id == w)
                    ),
                    "month": month,
                    "window_id": score.window_id.id,
                    "department_id": score.window_id.department_id.id,
                    "manager_user_id": score.window_id.department_id.manager_id.user_id.id,
                    "window_score_id": score.id,
                    "score": score.score,
                    "rank": score.rank,
                    "threshold": threshold,
                    "reason": reason,
                    "cause_line_ids": [
                        (6, 0, lines.filtered(lambda line, w=score.window_id: line.ledger_id.window_id == w).ids)
                    ],
                }
                for score, reason in to_notify
            ]
        )
        for notice in notices:
            partner = notice.manager_user_id.partner_id
            lang_env = in_reader_lang(notice, partner).env
            notice.message_post(
                body=lang_env._(
                    "Window %(window)s scored %(score)s in %(month)s (rank %(rank)s): "
                    "%(reason)s. Please see the attached causes and reply.",
                    window=notice.window_id.display_name,
                    score=notice.score,
                    month=notice.month.strftime("%Y-%m"),
                    rank=notice.rank,
                    reason=dict(self._fields["reason"]._description_selection(lang_env))[notice.reason],
                ),
                partner_ids=partner.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment" if partner else "mail.mt_note",
            )
        return notices

    def _gov_cause_text(self, cause):
        """A cause of the snapshot (see ``causes``), worded in the current
        language."""
        code, res_model = cause.get("cause_code"), cause.get("res_model")
        if code and res_model in self.env:
            label = self.env[res_model]._gov_ledger_cause_labels([(code, cause.get("cause_args") or {})])[0]
            if label:
                return label
        return cause.get("cause")
