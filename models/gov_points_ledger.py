# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, date_utils, float_compare

from .gov_center_time import center_today, center_today_default
from .gov_settings import SETTINGS, get_setting

# Models that contribute lines to the monthly points ledger.
CAUSE_PROVIDERS = (
    "gov.attendance.day", "gov.inspection", "gov.service.rating", "gov.case",
    "gov.supervision.alert",
)
DEFAULT_BASE = SETTINGS["points_base"].default
DEFAULT_BONUS_CAP = SETTINGS["points_bonus_cap"].default


class GovPointsLedger(models.Model):
    """Monthly points score of one window staff member (base 100, deductions,
    bonus capped), rebuilt from the cause providers. Never deleted."""

    _name = "gov.points.ledger"
    _description = "Monthly Points Ledger"
    _inherit = ["mail.thread", "gov.register.mixin"]
    _order = "month desc, total desc, id"

    name = fields.Char(compute="_compute_name", store=True)
    employee_id = fields.Many2one(
        "hr.employee", string="Staff Member", required=True, index=True, ondelete="restrict"
    )
    user_id = fields.Many2one(related="employee_id.user_id", string="User")
    department_id = fields.Many2one(
        "hr.department", related="employee_id.department_id", store=True, index=True
    )
    window_id = fields.Many2one(
        "gov.service.window", string="Service Window", index=True, ondelete="set null"
    )
    month = fields.Date(required=True, index=True, help="First day of the month.")
    base = fields.Float(string="Base Points", default=DEFAULT_BASE, digits=(6, 1))
    bonus_cap = fields.Float(default=DEFAULT_BONUS_CAP, digits=(6, 1))
    line_ids = fields.One2many("gov.points.ledger.line", "ledger_id", string="Lines")
    deduction = fields.Float(
        string="Deductions", compute="_compute_total", store=True, digits=(6, 1)
    )
    bonus = fields.Float(
        string="Bonus (capped)", compute="_compute_total", store=True, digits=(6, 1)
    )
    total = fields.Float(
        string="Score", compute="_compute_total", store=True, digits=(6, 1), index=True,
        aggregator="avg",
    )
    rank = fields.Integer(readonly=True, aggregator=None)
    date_computed = fields.Datetime(string="Computed On", readonly=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, required=True, index=True
    )

    _sql_constraints = [
        ("employee_month_unique", "unique(employee_id, month)",
         "A staff member has one points ledger per month."),
    ]

    @api.depends("employee_id", "month")
    def _compute_name(self):
        for ledger in self:
            ledger.name = "%s %s" % (
                ledger.employee_id.name or "",
                ledger.month.strftime("%Y-%m") if ledger.month else "",
            )

    @api.depends("line_ids.points", "base", "bonus_cap")
    def _compute_total(self):
        stored = self.filtered("id")
        Line = self.env["gov.points.ledger.line"]
        sums = {}
        for sign, operator in (("minus", "<"), ("plus", ">")):
            sums[sign] = dict(
                Line._read_group(
                    [("ledger_id", "in", stored.ids), ("points", operator, 0)],
                    groupby=["ledger_id"],
                    aggregates=["points:sum"],
                )
            ) if stored else {}
        for ledger in self:
            if ledger.id:
                deduction = -sums["minus"].get(ledger, 0.0)
                bonus = sums["plus"].get(ledger, 0.0)
            else:
                points = ledger.line_ids.mapped("points")
                deduction = -sum(p for p in points if p < 0)
                bonus = sum(p for p in points if p > 0)
            ledger.deduction = deduction
            ledger.bonus = min(bonus, ledger.bonus_cap)
            ledger.total = ledger.base - deduction + ledger.bonus

    @api.constrains("month")
    def _check_month(self):
        for ledger in self:
            if ledger.month and ledger.month.day != 1:
                raise ValidationError(self.env._("The month of a ledger is its first day."))

    # ------------------------------------------------------------------
    # Computation
    # ------------------------------------------------------------------
    @api.model
    def _get_settings(self):
        return {
            "base": get_setting(self.env, "points_base"),
            "bonus_cap": get_setting(self.env, "points_bonus_cap"),
        }

    @api.model
    def _get_window_staff(self):
        """Employees posted at an active service window, with their window."""
        windows = self.env["gov.service.window"].sudo().search([])
        return {employee.id: employee.gov_window_id.id for employee in windows.employee_ids}

    @api.model
    def _collect_cause_lines(self, date_from, date_to, employees):
        lines = []
        for model_name in CAUSE_PROVIDERS:
            lines.extend(
                self.env[model_name].sudo()._gov_ledger_lines(date_from, date_to, employees) or []
            )
        return lines

    @api.model
    def compute_month(self, month, employees=None):
        """(Re)build the ledgers of ``month`` for ``employees`` (default: all
        window staff). Lines coming from the cause providers are replaced;
        manual lines are kept. Returns the ledgers."""
        month = date_utils.start_of(fields.Date.to_date(month), "month")
        date_to = date_utils.end_of(month, "month")
        self = self.sudo().with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
        )
        window_by_employee = self._get_window_staff()
        if employees is None:
            employees = self.env["hr.employee"].browse(list(window_by_employee))
        employees = employees.sudo()
        settings = self._get_settings()
        ledgers = self.search([("month", "=", month), ("employee_id", "in", employees.ids)])
        ledger_by_employee = {ledger.employee_id.id: ledger for ledger in ledgers}
        missing = [emp_id for emp_id in employees.ids if emp_id not in ledger_by_employee]
        if missing:
            new = self.create(
                [
                    {
                        "employee_id": emp_id,
                        "month": month,
                        "window_id": window_by_employee.get(emp_id),
                        "base": settings["base"],
                        "bonus_cap": settings["bonus_cap"],
                    }
                    for emp_id in missing
                ]
            )
            ledger_by_employee.update({ledger.employee_id.id: ledger for ledger in new})
            ledgers |= new
        # refresh window and settings of the existing ledgers, grouped by values
        by_values = defaultdict(list)
        for emp_id, ledger in ledger_by_employee.items():
            values = (window_by_employee.get(emp_id) or False, settings["base"], settings["bonus_cap"])
            if (ledger.window_id.id, ledger.base, ledger.bonus_cap) != values:
                by_values[values].append(ledger.id)
        for (window_id, base, cap), ids in by_values.items():
            self.browse(ids).write({"window_id": window_id, "base": base, "bonus_cap": cap})

        cause_lines = [
            dict(line, ledger_id=ledger_by_employee[line["employee_id"]].id)
            for line in self._collect_cause_lines(month, date_to, employees)
            if line.get("employee_id") in ledger_by_employee
        ]
        self.env["gov.points.ledger.line"].sudo()._gov_replace_derived(ledgers, cause_lines)
        ledgers.write({"date_computed": fields.Datetime.now()})
        ledgers.flush_recordset()
        self._update_ranks(month)
        self.env["gov.window.score"]._compute_month(month)
        return ledgers

    @api.model
    def _update_ranks(self, month):
        self.env.cr.execute(
            SQL(
                """
                UPDATE gov_points_ledger l SET rank = r.rank
                  FROM (SELECT id, RANK() OVER (ORDER BY total DESC) AS rank
                          FROM gov_points_ledger WHERE month = %s) r
                 WHERE l.id = r.id AND l.rank IS DISTINCT FROM r.rank
                """,
                month,
            )
        )
        self.invalidate_model(["rank"])

    @api.model
    def _cron_compute_previous_month(self):
        today = center_today(self.env)
        month = date_utils.start_of(today, "month")
        previous = date_utils.subtract(month, months=1)
        self.compute_month(previous)
        self._after_month_computed(previous)

    @api.model
    def _after_month_computed(self, month):
        """Hook: notices and star nominations once a month is closed."""
        self.env["gov.leader.notice"]._generate_for_month(month)
        self.env["gov.service.star"]._nominate_for_month(month)


class GovPointsLedgerLine(models.Model):
    """One cause of a ledger. Lines derived from a cause provider are replaced
    by the monthly computation; manual bonus lines are never deleted."""

    _name = "gov.points.ledger.line"
    _description = "Points Ledger Line"
    _inherit = ["gov.register.mixin"]
    _order = "date, id"
    # what the line is and where it comes from is set once, at creation
    _gov_frozen_fields = ("ledger_id", "res_model", "res_id", "is_manual", "user_id")

    ledger_id = fields.Many2one(
        "gov.points.ledger", required=True, index=True, ondelete="cascade"
    )
    employee_id = fields.Many2one(related="ledger_id.employee_id", store=True, index=True)
    month = fields.Date(related="ledger_id.month", store=True, index=True)
    date = fields.Date(required=True, default=center_today_default)
    cause = fields.Char(
        string="Cause as Written",
        required=True,
        help="Written by the administrator for a bonus; for a line of a source record, "
        "the cause in English (the cause shown is worded in the reader's language).",
    )
    cause_code = fields.Char(
        string="Cause Key",
        readonly=True,
        help="Key of the cause given by the source model, with its parameters: "
        "the cause is worded from them in the reader's language.",
    )
    cause_args = fields.Json(string="Cause Parameters", readonly=True)
    cause_label = fields.Char(
        string="Cause", compute="_compute_cause_label", inverse="_inverse_cause_label"
    )
    points = fields.Float(digits=(6, 1), help="Negative = deduction, positive = bonus.")
    res_model = fields.Char(string="Source Model", index=True)
    res_id = fields.Many2oneReference(string="Source Record", model_field="res_model")
    is_manual = fields.Boolean(string="Manual Bonus", readonly=True)
    user_id = fields.Many2one("res.users", string="Granted By", readonly=True)

    @api.depends("cause", "cause_code", "cause_args", "res_model")
    @api.depends_context("lang")
    def _compute_cause_label(self):
        labels = {}
        coded = self.filtered(lambda line: line.cause_code and line.res_model in self.env)
        for res_model in set(coded.mapped("res_model")):
            lines = coded.filtered(lambda line, m=res_model: line.res_model == m)
            labels.update(zip(
                lines.ids,
                self.env[res_model]._gov_ledger_cause_labels(
                    [(line.cause_code, line.cause_args or {}) for line in lines]
                ),
            ))
        for line in self:
            line.cause_label = labels.get(line.id) or line.cause

    def _inverse_cause_label(self):
        for line in self:
            if not line.cause_code and line.cause_label and line.cause_label != line.cause:
                line.cause = line.cause_label

    @api.model
    def _gov_cause_vals(self, provider, code, args):
        """Values of a line whose cause is ``code`` with ``args`` given by the
        ``provider`` model (see ``_gov_ledger_cause_labels`` of the providers)."""
        english = provider.with_context(lang="en_US")._gov_ledger_cause_labels([(code, args)])[0]
        return {"cause": english, "cause_code": code, "cause_args": args}

    @api.model_create_multi
    def create(self, vals_list):
        self.check_access("create")
        for vals in vals_list:
            if not vals.get("cause") and vals.get("cause_label"):
                vals["cause"] = vals["cause_label"]
        manual = [vals for vals in vals_list if not vals.get("res_model")]
        if manual and not self.env.su and not self.env.user.has_group(
            "gov_service_center.group_gov_admin"
        ):
            raise UserError(self.env._("Only an administrator can grant bonus points."))
        for vals in manual:
            if (vals.get("points") or 0.0) <= 0:
                raise ValidationError(
                    self.env._("A manual line grants bonus points: its points must be positive.")
                )
            vals["is_manual"] = True
            vals.setdefault("user_id", self.env.uid)
        return super().create(vals_list)

    def _gov_register_deletable(self):
        """Only the monthly computation, through the register bypass, replaces
        derived lines; manual bonus lines are never deleted."""
        if not self._gov_register_bypassed():
            return self.browse()
        return self.filtered(lambda line: not line.is_manual)

    @api.model
    def _gov_replace_derived(self, ledgers, cause_lines):
        """Make the derived lines of ``ledgers`` match ``cause_lines`` (dicts
        with ledger_id, date, points, cause, res_model, res_id): unchanged
        lines stay as they are (notices keep pointing at them), changed ones
        are updated, vanished ones removed, new ones created. Manual lines are
        left alone."""
        existing = self.search_fetch(
            [("ledger_id", "in", ledgers.ids), ("is_manual", "=", False)],
            ["ledger_id", "date", "points", "cause", "cause_code", "cause_args", "res_model", "res_id"],
            order="id",
        )
        pool = defaultdict(list)
        for line in existing:
            key = (line.ledger_id.id, line.res_model or False, line.res_id or 0, line.date)
            pool[key].append(line)
        to_create = []
        updates = defaultdict(list)
        for vals in cause_lines:
            day = fields.Date.to_date(vals["date"])
            key = (vals["ledger_id"], vals.get("res_model") or False, vals.get("res_id") or 0, day)
            if pool.get(key):
                line = pool[key].pop(0)
                cause = (vals["cause"], vals.get("cause_code") or False,
                         json.dumps(vals.get("cause_args") or None, sort_keys=True))
                if (
                    float_compare(line.points, vals["points"], precision_digits=1)
                    or (line.cause, line.cause_code or False,
                        json.dumps(line.cause_args or None, sort_keys=True)) != cause
                ):
                    updates[(vals["points"], cause)].append(line.id)
            else:
                to_create.append(
                    {
                        "ledger_id": vals["ledger_id"],
                        "date": day,
                        "points": vals["points"],
                        "cause": vals["cause"],
                        "cause_code": vals.get("cause_code"),
                        "cause_args": vals.get("cause_args"),
                        "res_model": vals.get("res_model"),
                        "res_id": vals.get("res_id"),
                    }
                )
        vanished = self.browse([line.id for lines in pool.values() for line in lines])
        vanished._gov_register_bypass().unlink()
        for (points, (cause, code, args)), ids in updates.items():
            self.browse(ids).write(
                {"points": points, "cause": cause, "cause_code": code, "cause_args": json.loads(args)}
            )
        return self.create(to_create)

    def action_open_source(self):
        self.ensure_one()
        if not self.res_model or self.res_model not in self.env or not self.res_id:
            return False
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }
