# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .gov_center_lang import in_reader_lang
from .gov_center_time import center_today, center_today_default

INSPECTION_STATE_SELECTION = [
    ("draft", "Draft"),
    ("confirmed", "Confirmed"),
    ("cancelled", "Cancelled"),
]
INSPECTION_TYPE_SELECTION = [
    ("daily", "Daily Check"),
    ("weekly", "Weekly Round"),
    ("mystery", "Mystery Visit"),
    ("video", "Video Patrol"),
    ("other", "Other"),
]
RECTIFICATION_STATE_SELECTION = [
    ("none", "Not Required"),
    ("pending", "Pending"),
    ("done", "Rectified"),
]


class GovInspection(models.Model):
    """A discipline inspection finding (监督检查) about one window staff member."""

    _name = "gov.inspection"
    _description = "Discipline Inspection"
    _gov_deadline_user_path = "employee_id.user_id"
    _inherit = [
        "mail.thread", "mail.activity.mixin", "gov.register.mixin", "gov.deadline.mixin"
    ]
    _order = "date desc, id desc"
    # the finding itself: frozen once the inspection is confirmed or cancelled
    _gov_frozen_fields = (
        "employee_id", "window_id", "date", "points", "rule_id", "description",
        "inspector_id", "inspection_type", "rectification_required", "rectification_days",
    )
    _gov_workflow_fields = ("state",)

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/", index=True
    )
    employee_id = fields.Many2one(
        "hr.employee", string="Staff Member", required=True, index=True, tracking=True,
        ondelete="restrict",
    )
    department_id = fields.Many2one(
        "hr.department", string="Department", related="employee_id.department_id",
        store=True, index=True,
    )
    window_id = fields.Many2one(
        "gov.service.window", string="Service Window", index=True, tracking=True,
        compute="_compute_window_id", store=True, readonly=False, ondelete="restrict",
    )
    date = fields.Date(
        required=True, index=True, tracking=True, default=center_today_default
    )
    inspection_type = fields.Selection(
        INSPECTION_TYPE_SELECTION, string="Type", required=True, default="daily", tracking=True
    )
    rule_id = fields.Many2one(
        "gov.conduct.rule", string="Conduct Rule", index=True, tracking=True,
        ondelete="restrict",
    )
    category = fields.Selection(related="rule_id.category", store=True)
    points = fields.Float(
        string="Points Deducted", digits=(6, 1), tracking=True,
        compute="_compute_points", store=True, readonly=False, precompute=True,
        help="Points deducted from the monthly score (0 for a finding without deduction).",
    )
    description = fields.Text(string="Finding", tracking=True)
    state = fields.Selection(
        INSPECTION_STATE_SELECTION, required=True, default="draft", tracking=True,
        index=True, copy=False,
    )
    inspector_id = fields.Many2one(
        "res.users", string="Inspector", required=True, index=True, tracking=True,
        default=lambda self: self.env.user, ondelete="restrict",
    )
    attachment_ids = fields.Many2many(
        "ir.attachment", "gov_inspection_ir_attachment_rel", "inspection_id",
        "attachment_id", string="Evidence Photos",
    )
    rectification_required = fields.Boolean(tracking=True)
    rectification_days = fields.Integer(
        string="Rectification Time (working days)", default=3, tracking=True
    )
    # the legal deadline of the rectification (gov.deadline.mixin)
    date_deadline = fields.Date(
        string="Rectification Deadline", compute="_compute_date_deadline", store=True,
        tracking=True,
    )
    rectification_state = fields.Selection(
        RECTIFICATION_STATE_SELECTION, required=True, default="none", tracking=True,
        index=True, copy=False,
    )
    rectification_note = fields.Text(tracking=True)
    is_rectification_overdue = fields.Boolean(
        string="Rectification Overdue", related="is_overdue"
    )
    cancel_reason = fields.Text(tracking=True, copy=False)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, required=True, index=True
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("employee_id")
    def _compute_window_id(self):
        # the window of the employee when the finding is recorded: a later
        # move of the employee does not rewrite past findings
        for inspection in self:
            window = inspection.employee_id.gov_window_id
            if window or not inspection.window_id:
                inspection.window_id = window

    @api.depends("rule_id")
    def _compute_points(self):
        for inspection in self:
            inspection.points = inspection.rule_id.points if inspection.rule_id else inspection.points or 0.0

    @api.depends("date", "rectification_required", "rectification_days")
    def _compute_date_deadline(self):
        Calendar = self.env["gov.calendar.day"]
        for inspection in self:
            if inspection.rectification_required and inspection.date:
                inspection.date_deadline = Calendar.add_working_days(
                    inspection.date, max(inspection.rectification_days, 0)
                )
            else:
                inspection.date_deadline = False

    # ------------------------------------------------------------------
    # Deadline (gov.deadline.mixin): the rectification
    # ------------------------------------------------------------------
    @api.model
    def _gov_deadline_open_domain(self):
        return [("state", "=", "confirmed"), ("rectification_state", "=", "pending")]

    @api.model
    def _gov_deadline_depends(self):
        return ["date_deadline", "state", "rectification_state"]

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("points", "rectification_days", "rectification_required")
    def _check_points(self):
        for inspection in self:
            if inspection.points < 0:
                raise ValidationError(
                    self.env._("The points deducted by an inspection cannot be negative.")
                )
            if inspection.rectification_required and inspection.rectification_days < 1:
                raise ValidationError(
                    self.env._("A rectification needs a time limit of at least one working day.")
                )

    @api.constrains("date")
    def _check_date(self):
        today = center_today(self.env)
        for inspection in self:
            if inspection.date and inspection.date > today:
                raise ValidationError(
                    self.env._("An inspection cannot be dated in the future (%(date)s).",
                               date=inspection.date)
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        Sequence = self.env["ir.sequence"].sudo()
        for vals in vals_list:
            if vals.get("state", "draft") != "draft":
                raise UserError(self.env._("A new inspection starts as a draft."))
            if not vals.get("name") or vals["name"] == "/":
                vals["name"] = Sequence.next_by_code("gov.inspection") or "/"
        return super().create(vals_list)

    def _gov_frozen_records(self):
        return self.filtered(lambda inspection: inspection.state != "draft")

    def _gov_frozen_message(self):
        return self.env._(
            "A confirmed or cancelled inspection keeps its finding: only its "
            "rectification can still be updated."
        )

    def _gov_workflow_message(self):
        return self.env._("Use the Confirm and Cancel buttons to change the state of an inspection.")

    def _gov_register_deletable(self):
        return self.filtered(lambda inspection: inspection.state == "draft")

    def _gov_unlink_message(self):
        kept = (self - self._gov_register_deletable())[:1]
        return self.env._(
            "Inspection %(name)s has been confirmed or cancelled: inspections "
            "are never deleted, cancel it instead.",
            name=kept.name,
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _set_state(self, vals):
        return self._gov_register_bypass().write(vals)

    def action_confirm(self):
        if any(inspection.state != "draft" for inspection in self):
            raise UserError(self.env._("Only draft inspections can be confirmed."))
        for inspection in self:
            if not inspection.rule_id and not inspection.description:
                raise UserError(
                    self.env._(
                        "Inspection %(name)s needs a conduct rule or a description of the "
                        "finding before it is confirmed.",
                        name=inspection.name,
                    )
                )
        for inspection in self:
            inspection._set_state(
                {
                    "state": "confirmed",
                    "rectification_state": "pending" if inspection.rectification_required else "none",
                }
            )
        self._notify_confirmed()
        self.env["gov.early.warning"].sudo()._check_inspections(self)
        return True

    def _notify_confirmed(self):
        for inspection in self:
            partner = inspection.employee_id.user_id.partner_id
            if partner:
                inspection.message_subscribe(partner_ids=partner.ids)
            lang_env = in_reader_lang(inspection, partner).env
            body = lang_env._(
                "Inspection confirmed: %(points)s point(s) deducted.",
                points=inspection.points,
            )
            if inspection.rectification_required:
                body = lang_env._(
                    "%(body)s Rectification is required by %(deadline)s.",
                    body=body,
                    deadline=inspection.date_deadline,
                )
            inspection.message_post(
                body=body,
                partner_ids=partner.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment" if partner else "mail.mt_note",
            )

    def action_cancel(self):
        if any(inspection.state == "cancelled" for inspection in self):
            raise UserError(self.env._("This inspection is already cancelled."))
        if any(inspection.state == "confirmed" for inspection in self) and not self.env.user.has_group(
            "gov_service_center.group_gov_admin"
        ):
            raise UserError(
                self.env._("Only an administrator can cancel a confirmed inspection.")
            )
        self._set_state({"state": "cancelled"})
        return True

    def action_mark_rectified(self):
        for inspection in self:
            if inspection.state != "confirmed" or inspection.rectification_state != "pending":
                raise UserError(
                    self.env._(
                        "Inspection %(name)s has no pending rectification.", name=inspection.name
                    )
                )
        self.write({"rectification_state": "done"})
        return True

    # ------------------------------------------------------------------
    # Points ledger cause provider
    # ------------------------------------------------------------------
    @api.model
    def _gov_ledger_lines(self, date_from, date_to, employees):
        """Deductions of the confirmed inspections of ``employees`` dated in
        ``[date_from, date_to]`` (see the points ledger)."""
        records = self.sudo().search_fetch(
            [
                ("state", "=", "confirmed"),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
                ("employee_id", "in", employees.ids),
                ("points", ">", 0),
            ],
            ["employee_id", "date", "points", "rule_id", "name"],
            order="date, id",
        )
        rules = records.rule_id
        rules.fetch(["code", "name"])
        Line = self.env["gov.points.ledger.line"]
        lines = []
        for record in records:
            if record.rule_id:
                cause = Line._gov_cause_vals(
                    self, "inspection_rule", {"ref": record.name, "rule": record.rule_id.name}
                )
            else:
                cause = Line._gov_cause_vals(self, "inspection", {"ref": record.name})
            lines.append(
                {
                    "employee_id": record.employee_id.id,
                    "date": record.date,
                    "points": -record.points,
                    **cause,
                    "res_model": self._name,
                    "res_id": record.id,
                }
            )
        return lines

    @api.model
    def _gov_ledger_cause_labels(self, causes):
        """Causes of the points ledger ``[(code, args)]`` worded in the
        current language."""
        labels = []
        for code, args in causes:
            if code == "inspection_rule":
                labels.append(self.env._(
                    "Inspection %(ref)s: %(rule)s", ref=args.get("ref"), rule=args.get("rule")
                ))
            elif code == "inspection":
                labels.append(self.env._("Inspection %(ref)s", ref=args.get("ref")))
            else:
                labels.append(False)
        return labels
