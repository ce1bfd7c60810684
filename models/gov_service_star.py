# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import date_utils

from .gov_center_lang import in_reader_lang
from .gov_center_time import center_month_utc_bounds
from .gov_settings import get_setting

STAR_STATE_SELECTION = [
    ("nominated", "Nominated"),
    ("approved", "Approved"),
    ("published", "Published"),
]


class GovServiceStar(models.Model):
    """Monthly service star (服务明星)."""

    _name = "gov.service.star"
    _description = "Service Star"
    _inherit = ["mail.thread", "mail.activity.mixin", "gov.register.mixin"]
    _order = "month desc, rank, id"

    name = fields.Char(compute="_compute_name", store=True)
    month = fields.Date(required=True, index=True, tracking=True, help="First day of the month.")
    employee_id = fields.Many2one(
        "hr.employee", string="Staff Member", required=True, index=True, tracking=True,
        ondelete="restrict",
    )
    department_id = fields.Many2one(
        "hr.department", related="employee_id.department_id", store=True, index=True
    )
    window_id = fields.Many2one(
        "gov.service.window", string="Service Window", index=True, tracking=True,
        ondelete="set null",
    )
    ledger_id = fields.Many2one("gov.points.ledger", string="Points Ledger", readonly=True)
    score = fields.Float(digits=(6, 1), tracking=True)
    rank = fields.Integer(aggregator=None)
    state = fields.Selection(
        STAR_STATE_SELECTION, required=True, default="nominated", tracking=True, index=True,
        copy=False,
    )
    citation = fields.Text(tracking=True, translate=False)

    _sql_constraints = [
        ("employee_month_unique", "unique(employee_id, month)",
         "A staff member is service star at most once a month."),
    ]

    @api.depends("employee_id", "month")
    def _compute_name(self):
        for star in self:
            star.name = "%s %s" % (
                star.employee_id.name or "", star.month.strftime("%Y-%m") if star.month else ""
            )

    @api.constrains("month")
    def _check_month(self):
        for star in self:
            if star.month and star.month.day != 1:
                raise ValidationError(self.env._("The month of a service star is its first day."))

    def _gov_register_deletable(self):
        """Pending nominations may be replaced; approved stars stay."""
        return self.filtered(lambda star: star.state == "nominated")

    def _gov_unlink_message(self):
        return self.env._("Approved or published service stars are never deleted.")

    def _check_admin(self):
        if not self.env.su and not self.env.user.has_group("gov_service_center.group_gov_admin"):
            raise UserError(self.env._("Only an administrator can approve or publish service stars."))

    def action_approve(self):
        self._check_admin()
        if any(star.state != "nominated" for star in self):
            raise UserError(self.env._("Only nominated stars can be approved."))
        self.write({"state": "approved"})
        return True

    def action_publish(self):
        self._check_admin()
        if any(star.state != "approved" for star in self):
            raise UserError(self.env._("Approve the stars before publishing them."))
        self.write({"state": "published"})
        for star in self:
            partner = star.employee_id.user_id.partner_id
            if partner:
                star.message_post(
                    body=in_reader_lang(star, partner).env._(
                        "Congratulations: you are a service star of %(month)s.",
                        month=star.month.strftime("%Y-%m"),
                    ),
                    partner_ids=partner.ids,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
        return True

    def action_back_to_nominated(self):
        self._check_admin()
        if any(star.state != "approved" for star in self):
            raise UserError(self.env._("Only approved, unpublished stars can be sent back."))
        self.write({"state": "nominated"})
        return True

    @api.model
    def _get_star_count(self):
        return get_setting(self.env, "star_count")

    @api.model
    def _ineligible_employees(self, month, employees):
        """Employees with a bad rating or a confirmed inspection in ``month``."""
        date_to = date_utils.end_of(month, "month")
        ineligible = set(
            self.env["gov.inspection"].sudo()._read_group(
                [("state", "=", "confirmed"), ("date", ">=", month), ("date", "<=", date_to),
                 ("employee_id", "in", employees.ids)],
                groupby=["employee_id"],
            )
        )
        ineligible = {employee.id for (employee,) in ineligible}
        month_start, month_end = center_month_utc_bounds(self.env, month)
        groups = self.env["gov.service.rating"].sudo()._read_group(
            [("is_bad", "=", True), ("employee_id", "in", employees.ids),
             ("create_date", ">=", month_start),
             ("create_date", "<", month_end)],
            groupby=["employee_id"],
        )
        ineligible |= {employee.id for (employee,) in groups}
        return ineligible

    @api.model
    def _nominate_for_month(self, month):
        """Nominate the top N staff of ``month`` by score, without bad rating
        nor confirmed inspection. Pending nominations are replaced."""
        self = self.sudo()
        month = date_utils.start_of(fields.Date.to_date(month), "month")
        count = self._get_star_count()
        stars = self.search([("month", "=", month)])
        stars.filtered(lambda s: s.state == "nominated").unlink()
        kept = stars.exists()
        slots = count - len(kept)
        if slots <= 0:
            return self.browse()
        ledgers = self.env["gov.points.ledger"].search(
            [("month", "=", month), ("employee_id", "not in", kept.employee_id.ids)],
            order="total desc, deduction, id",
        )
        ineligible = self._ineligible_employees(month, ledgers.employee_id)
        chosen = ledgers.filtered(lambda ledger: ledger.employee_id.id not in ineligible)[:slots]
        return self.with_context(mail_create_nolog=True).create(
            [
                {
                    "month": month,
                    "employee_id": ledger.employee_id.id,
                    "window_id": ledger.window_id.id,
                    "ledger_id": ledger.id,
                    "score": ledger.total,
                    "rank": position,
                }
                for position, ledger in enumerate(chosen, start=len(kept) + 1)
            ]
        )

    # ------------------------------------------------------------------
    # Website
    # ------------------------------------------------------------------
    @api.model
    def _gov_public_domain(self):
        """Service stars shown on the honor roll."""
        return [("state", "=", "published")]
