# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class GovCasePause(models.Model):
    """Time that does not count toward the case's limit: hearing, testing,
    expert review... The applicant is told in writing how long it takes
    (Administrative Licensing Law, Art. 45)."""

    _name = "gov.case.pause"
    _description = "Case Pause"
    _inherit = ["gov.register.mixin"]
    _order = "case_id, date_start, id"

    case_id = fields.Many2one(
        "gov.case", string="Case", required=True, index=True, ondelete="cascade",
    )
    reason = fields.Char(required=True)
    date_start = fields.Date(string="From", required=True)
    date_end = fields.Date(string="Until", help="Empty while the pause runs.")
    step_id = fields.Many2one("gov.case.step", string="Step", readonly=True)
    applicant_informed = fields.Boolean(
        string="Applicant Informed in Writing",
        help="The applicant was told in writing why and how long the case is paused.",
    )
    duration_days = fields.Integer(
        string="Working Days", compute="_compute_duration_days",
    )

    @api.depends("date_start", "date_end")
    def _compute_duration_days(self):
        Calendar = self.env["gov.calendar.day"]
        today = self.env["gov.deadline.mixin"]._gov_today()
        for pause in self:
            if pause.date_start:
                pause.duration_days = Calendar.working_days_between(
                    pause.date_start, pause.date_end or today
                ) + (1 if Calendar.is_working_day(pause.date_start) else 0)
            else:
                pause.duration_days = 0

    @api.constrains("date_start", "date_end", "case_id")
    def _check_period(self):
        for pause in self:
            if pause.date_end and pause.date_end < pause.date_start:
                raise ValidationError(self.env._("A pause cannot end before it starts."))
            if pause.case_id.state != "accepted" and not pause.date_end:
                raise ValidationError(self.env._(
                    "Only an accepted case can be paused."
                ))
            if pause.case_id.date_accepted and pause.date_start < pause.case_id.date_accepted:
                raise ValidationError(self.env._(
                    "A pause cannot start before the case was accepted."
                ))
            others = pause.case_id.pause_ids - pause
            if not pause.date_end and others.filtered(lambda p: not p.date_end):
                raise ValidationError(self.env._("The case already has a running pause."))

    @api.model_create_multi
    def create(self, vals_list):
        pauses = super().create(vals_list)
        for pause in pauses:
            pause.case_id.message_post(
                body=self.env._(
                    "Paused from %(start)s: %(reason)s", start=pause.date_start,
                    reason=pause.reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return pauses

    def action_end(self):
        today = self.env["gov.deadline.mixin"]._gov_today()
        self.filtered(lambda p: not p.date_end).write({"date_end": today})
        return True
