# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

CASE_STEP_STATE_SELECTION = [
    ("waiting", "Waiting"),
    ("running", "In Progress"),
    ("done", "Done"),
]


class GovCaseStep(models.Model):
    """A step of the item's process, followed for one case. A step that does
    not count toward the time limit pauses the clock while it runs
    (Administrative Licensing Law, Art. 45)."""

    _name = "gov.case.step"
    _description = "Case Step"
    _inherit = ["gov.register.mixin"]
    _order = "case_id, sequence, id"

    case_id = fields.Many2one(
        "gov.case", string="Case", required=True, index=True, ondelete="cascade",
    )
    approval_step_id = fields.Many2one(
        "gov.approval.step", string="Item Step", ondelete="set null",
    )
    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    user_id = fields.Many2one("res.users", string="Handled By", domain=[("share", "=", False)])
    counts_toward_limit = fields.Boolean(string="Counts Toward Limit", default=True)
    state = fields.Selection(
        CASE_STEP_STATE_SELECTION, required=True, default="waiting", readonly=True,
    )
    date_start = fields.Date(string="Started On", readonly=True)
    date_done = fields.Date(string="Done On", readonly=True)
    pause_id = fields.Many2one("gov.case.pause", string="Pause", readonly=True)

    def _start(self, today=None):
        today = today or self.env["gov.deadline.mixin"]._gov_today()
        for step in self:
            vals = {"state": "running", "date_start": today}
            if not step.user_id:
                vals["user_id"] = step.case_id.user_id.id or self.env.user.id
            if not step.counts_toward_limit:
                pause = self.env["gov.case.pause"].sudo().create({
                    "case_id": step.case_id.id,
                    "date_start": today,
                    "reason": step.name,
                    "step_id": step.id,
                })
                vals["pause_id"] = pause.id
            step.sudo().write(vals)

    def _finish(self, today=None):
        today = today or self.env["gov.deadline.mixin"]._gov_today()
        for step in self:
            if step.pause_id and not step.pause_id.date_end:
                step.pause_id.sudo().write({"date_end": today})
            step.sudo().write({
                "state": "done", "date_done": today,
                "user_id": step.user_id.id or self.env.user.id,
            })
