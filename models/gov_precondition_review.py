# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from .gov_center_time import center_today, center_today_default


class GovPreconditionReview(models.Model):
    _name = "gov.precondition.review"
    _description = "Precondition Clean-up Campaign"
    _inherit = ["mail.thread", "mail.activity.mixin", "gov.register.mixin"]
    _order = "date desc, id desc"

    name = fields.Char(required=True, tracking=True)
    date = fields.Date(
        string="Start Date", required=True, default=center_today_default, tracking=True
    )
    date_end = fields.Date(string="End Date", tracking=True)
    decision_ref = fields.Char(string="Decision Number", tracking=True)
    description = fields.Html()
    state = fields.Selection(
        [("draft", "Draft"), ("in_progress", "In Progress"), ("done", "Done")],
        required=True,
        default="draft",
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda self: self.env.user, tracking=True
    )
    precondition_ids = fields.One2many(
        "gov.approval.precondition", "review_id", string="Removed Preconditions"
    )
    department_count = fields.Integer(
        string="Departments", compute="_compute_counts", store=True
    )
    item_count = fields.Integer(string="Approval Items", compute="_compute_counts", store=True)
    removed_count = fields.Integer(
        string="Preconditions Removed", compute="_compute_counts", store=True
    )

    @api.depends(
        "precondition_ids.state",
        "precondition_ids.item_id",
        "precondition_ids.item_id.department_id",
    )
    def _compute_counts(self):
        for review in self:
            removed = review.precondition_ids.filtered(lambda p: p.state == "removed")
            review.removed_count = len(removed)
            review.item_count = len(removed.item_id)
            review.department_count = len(removed.item_id.department_id)

    def action_start(self):
        self.write({"state": "in_progress"})

    def action_done(self):
        self.write({"state": "done", "date_end": center_today(self.env)})

    def action_reopen(self):
        self.write({"state": "in_progress", "date_end": False})

    def action_view_preconditions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "gov_service_center.gov_approval_precondition_action"
        )
        action["domain"] = [("review_id", "=", self.id)]
        action["context"] = {"default_review_id": self.id, "search_default_group_department": 1}
        return action

    def _gov_register_deletable(self):
        return self.filtered(lambda review: not review.precondition_ids)

    def _gov_unlink_message(self):
        return self.env._(
            "A campaign that removed preconditions is part of the record and "
            "cannot be deleted."
        )
