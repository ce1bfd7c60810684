# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class GovWindowScore(models.Model):
    """Monthly roll-up of the points ledgers per service window, with its
    rank and the red-flag window (红旗窗口) of the month. Never deleted: the
    score of a window that no longer has staff is archived."""

    _name = "gov.window.score"
    _description = "Monthly Window Score"
    _inherit = ["mail.thread", "gov.register.mixin"]
    _order = "month desc, rank, id"

    active = fields.Boolean(default=True, readonly=True)
    window_id = fields.Many2one(
        "gov.service.window", string="Service Window", required=True, index=True,
        ondelete="restrict",
    )
    department_id = fields.Many2one(
        "hr.department", related="window_id.department_id", store=True, index=True
    )
    month = fields.Date(required=True, index=True)
    staff_count = fields.Integer(readonly=True)
    score = fields.Float(
        string="Average Score", readonly=True, digits=(6, 2), aggregator="avg"
    )
    deduction = fields.Float(string="Deductions", readonly=True, digits=(6, 1))
    rank = fields.Integer(readonly=True, aggregator=None)
    is_last = fields.Boolean(string="Ranked Last", readonly=True, index=True)
    is_red_flag = fields.Boolean(
        string="Red-Flag Window", readonly=True, index=True, tracking=True,
        help="Best window of the month, nominated automatically.",
    )
    red_flag_published = fields.Boolean(
        string="Red Flag Published", readonly=True, index=True, tracking=True
    )
    citation = fields.Text(tracking=True)

    _sql_constraints = [
        ("window_month_unique", "unique(window_id, month)",
         "A window has one score per month."),
    ]

    def _compute_display_name(self):
        for score in self:
            score.display_name = "%s %s" % (
                score.window_id.display_name or "",
                score.month.strftime("%Y-%m") if score.month else "",
            )

    @api.model
    def _compute_month(self, month):
        """Rebuild the window scores of ``month`` from its ledgers (one grouped
        query, one ranking statement)."""
        self = self.sudo()
        groups = self.env["gov.points.ledger"]._read_group(
            [("month", "=", month), ("window_id", "!=", False)],
            groupby=["window_id"],
            aggregates=["total:avg", "__count", "deduction:sum"],
        )
        existing = {
            s.window_id.id: s
            for s in self.with_context(active_test=False).search([("month", "=", month)])
        }
        to_create = []
        seen = set()
        for window, avg, count, deduction in groups:
            vals = {"staff_count": count, "score": round(avg or 0.0, 2), "deduction": deduction}
            seen.add(window.id)
            if window.id in existing:
                existing[window.id].write(dict(vals, active=True))
            else:
                to_create.append({"window_id": window.id, "month": month, **vals})
        self.create(to_create)
        # a window without staff this month keeps its former score, archived
        stale = [s.id for window_id, s in existing.items() if window_id not in seen]
        self.browse(stale).write(
            {"active": False, "rank": 0, "is_last": False, "is_red_flag": False}
        )
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                UPDATE gov_window_score s
                   SET rank = r.rank,
                       is_last = (r.rank = r.max_rank AND r.n > 1),
                       is_red_flag = (r.position = 1 AND r.n > 1)
                  FROM (SELECT id, rank, position, n, MAX(rank) OVER () AS max_rank
                          FROM (SELECT id,
                                       RANK() OVER (ORDER BY score DESC) AS rank,
                                       ROW_NUMBER() OVER (ORDER BY score DESC, deduction, id) AS position,
                                       COUNT(*) OVER () AS n
                                  FROM gov_window_score
                                 WHERE month = %(month)s AND active) q) r
                 WHERE s.id = r.id
                """,
                month=month,
            )
        )
        self.invalidate_model(["rank", "is_last", "is_red_flag"])

    def action_publish_red_flag(self):
        if not self.env.user.has_group("gov_service_center.group_gov_admin"):
            raise UserError(self.env._("Only an administrator can publish the red-flag window."))
        for score in self:
            if not score.is_red_flag:
                raise UserError(
                    self.env._("%(window)s is not the red-flag window of its month.",
                               window=score.display_name)
                )
        self.write({"red_flag_published": True})
        return True

    def action_unpublish_red_flag(self):
        if not self.env.user.has_group("gov_service_center.group_gov_admin"):
            raise UserError(self.env._("Only an administrator can publish the red-flag window."))
        self.write({"red_flag_published": False})
        return True

    # ------------------------------------------------------------------
    # Website
    # ------------------------------------------------------------------
    @api.model
    def _gov_public_domain(self):
        """Window scores shown on the honor roll: published red flags."""
        return [("red_flag_published", "=", True)]
