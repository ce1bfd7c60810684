# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from ..models.gov_center_time import center_today_default


class GovPreconditionRemoveWizard(models.TransientModel):
    _name = "gov.precondition.remove.wizard"
    _description = "Remove Preconditions"

    precondition_ids = fields.Many2many(
        "gov.approval.precondition", string="Preconditions", required=True
    )
    review_id = fields.Many2one(
        "gov.precondition.review",
        string="Clean-up Campaign",
        domain="[('state', '!=', 'done')]",
    )
    removal_date = fields.Date(required=True, default=center_today_default)
    removal_reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.precondition_ids.remove(
            self.removal_reason, review=self.review_id, date=self.removal_date
        )
        return {"type": "ir.actions.act_window_close"}
