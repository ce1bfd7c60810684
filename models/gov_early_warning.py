# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.tools import date_utils

from .gov_center_lang import in_reader_lang
from .gov_center_time import (
    center_date,
    center_month_utc_bounds,
    center_today,
    center_today_default,
)
from .gov_settings import get_setting

WARNING_TRIGGER_SELECTION = [
    ("late", "Repeated Late Arrivals"),
    ("bad_rating", "Bad Service Rating"),
    ("inspection", "Inspection Deduction"),
]
LATE_RESULTS = ("late", "late_and_early")


class GovEarlyWarning(models.Model):
    """Early warning (违纪苗头提醒) raised once per trigger: the supervisor gets
    an activity and the staff member a message."""

    _name = "gov.early.warning"
    _description = "Early Warning"
    _inherit = ["mail.thread", "mail.activity.mixin", "gov.register.mixin"]
    _order = "date desc, id desc"

    employee_id = fields.Many2one(
        "hr.employee", string="Staff Member", required=True, index=True, ondelete="restrict"
    )
    department_id = fields.Many2one(
        "hr.department", related="employee_id.department_id", store=True, index=True
    )
    date = fields.Date(required=True, index=True, default=center_today_default)
    month = fields.Date(index=True)
    trigger = fields.Selection(WARNING_TRIGGER_SELECTION, required=True, index=True)
    key = fields.Char(required=True, index=True, readonly=True, copy=False)
    description = fields.Text(required=True)
    res_model = fields.Char(string="Source Model")
    res_id = fields.Many2oneReference(string="Source Record", model_field="res_model")
    supervisor_user_id = fields.Many2one("res.users", string="Supervisor", index=True)
    state = fields.Selection(
        [("open", "Open"), ("done", "Talked Through")], default="open", required=True,
        tracking=True, index=True,
    )

    _sql_constraints = [
        ("key_unique", "unique(key)", "This early warning has already been raised."),
    ]

    def action_done(self):
        self.write({"state": "done"})
        self.activity_feedback(["mail.mail_activity_data_todo"])
        return True

    # ------------------------------------------------------------------
    # Settings
    # ------------------------------------------------------------------
    @api.model
    def _get_trigger_settings(self):
        return {
            "late_count": get_setting(self.env, "warning_late_count"),
            "bad_rating": get_setting(self.env, "warning_bad_rating"),
            "inspection": get_setting(self.env, "warning_inspection"),
        }

    # ------------------------------------------------------------------
    # Raising warnings
    # ------------------------------------------------------------------
    @api.model
    def _supervisor_user(self, employee):
        return employee.parent_id.user_id or employee.department_id.manager_id.user_id

    @api.model
    def _raise_warnings(self, vals_list):
        """Create the warnings whose key is new, then notify. Returns them."""
        self = self.sudo()
        if not vals_list:
            return self.browse()
        keys = [vals["key"] for vals in vals_list]
        existing = set(self.with_context(active_test=False).search([("key", "in", keys)]).mapped("key"))
        new_vals, seen = [], set()
        for vals in vals_list:
            if vals["key"] in existing or vals["key"] in seen:
                continue
            seen.add(vals["key"])
            employee = self.env["hr.employee"].browse(vals["employee_id"])
            vals["supervisor_user_id"] = self._supervisor_user(employee).id
            vals.setdefault("month", date_utils.start_of(fields.Date.to_date(vals["date"]), "month"))
            new_vals.append(vals)
        warnings = self.with_context(mail_create_nolog=True, mail_create_nosubscribe=True).create(new_vals)
        for warning in warnings:
            if warning.supervisor_user_id:
                warning.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=warning.supervisor_user_id.id,
                    summary=in_reader_lang(warning, warning.supervisor_user_id.partner_id).env._(
                        "Early warning: talk with %(name)s", name=warning.employee_id.name
                    ),
                    note=warning.description,
                )
            partner = warning.employee_id.user_id.partner_id or warning.employee_id.work_contact_id
            if partner:
                warning.message_post(
                    body=in_reader_lang(warning, partner).env._(
                        "Early warning: %(description)s Please pay attention to the conduct code.",
                        description=warning.description,
                    ),
                    partner_ids=partner.ids,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
        return warnings

    @api.model
    def _check_inspections(self, inspections):
        if not self._get_trigger_settings()["inspection"]:
            return self.browse()
        return self._raise_warnings(
            [
                {
                    "employee_id": inspection.employee_id.id,
                    "date": inspection.date,
                    "trigger": "inspection",
                    "key": f"inspection:{inspection.id}",
                    "description": self.env._(
                        "Inspection %(ref)s deducted %(points)s point(s).",
                        ref=inspection.name,
                        points=inspection.points,
                    ),
                    "res_model": "gov.inspection",
                    "res_id": inspection.id,
                }
                for inspection in inspections
                if inspection.state == "confirmed" and inspection.points > 0
            ]
        )

    @api.model
    def _check_month(self, month):
        """Late arrivals and bad ratings of ``month``."""
        month = date_utils.start_of(fields.Date.to_date(month), "month")
        date_to = date_utils.end_of(month, "month")
        settings = self._get_trigger_settings()
        vals_list = []
        if settings["late_count"] > 0:
            groups = self.env["gov.attendance.day"].sudo()._read_group(
                [("result", "in", LATE_RESULTS), ("date", ">=", month), ("date", "<=", date_to)],
                groupby=["employee_id"],
                aggregates=["__count", "date:max"],
                having=[("__count", ">=", settings["late_count"])],
            )
            for employee, count, last_date in groups:
                vals_list.append(
                    {
                        "employee_id": employee.id,
                        "date": last_date,
                        "trigger": "late",
                        "key": "late:%s:%s" % (employee.id, month.strftime("%Y-%m")),
                        "description": self.env._(
                            "%(count)s late arrivals in %(month)s.",
                            count=count,
                            month=month.strftime("%Y-%m"),
                        ),
                    }
                )
        if settings["bad_rating"]:
            month_start, month_end = center_month_utc_bounds(self.env, month)
            ratings = self.env["gov.service.rating"].sudo().search_fetch(
                [
                    ("is_bad", "=", True),
                    ("employee_id", "!=", False),
                    ("create_date", ">=", month_start),
                    ("create_date", "<", month_end),
                ],
                ["employee_id", "create_date"],
            )
            for rating in ratings:
                vals_list.append(
                    {
                        "employee_id": rating.employee_id.id,
                        "date": center_date(self.env, rating.create_date),
                        "trigger": "bad_rating",
                        "key": f"rating:{rating.id}",
                        "description": self.env._("A citizen gave a bad service rating."),
                        "res_model": "gov.service.rating",
                        "res_id": rating.id,
                    }
                )
        return self._raise_warnings(vals_list)

    @api.model
    def _cron_check(self):
        today = center_today(self.env)
        self._check_month(today)
        if today.day <= 3:
            self._check_month(date_utils.subtract(today, months=1))
