# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class GovApprovalStep(models.Model):
    _name = "gov.approval.step"
    _description = "Process Step"
    _order = "item_id, sequence, id"

    item_id = fields.Many2one(
        "gov.approval.item", string="Approval Item", required=True, ondelete="cascade", index=True
    )
    department_id = fields.Many2one(related="item_id.department_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    duration_days = fields.Integer(string="Duration (working days)", default=1)
    counts_toward_limit = fields.Boolean(
        string="Counts Toward Time Limit",
        default=True,
        help="Untick for hearings, tenders, inspections, testing, quarantine, "
        "appraisal or expert reviews, whose time does not count toward the time "
        "limit (Administrative Licensing Law, Art. 45).",
    )
    note = fields.Char()

    _sql_constraints = [
        (
            "duration_positive",
            "CHECK(duration_days >= 0)",
            "The duration of a step cannot be negative.",
        ),
    ]
