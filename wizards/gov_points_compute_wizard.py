# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import date_utils

from ..models.gov_center_time import center_today


class GovPointsComputeWizard(models.TransientModel):
    _name = "gov.points.compute.wizard"
    _description = "Compute Monthly Points"

    @api.model
    def _default_month(self):
        today = center_today(self.env)
        return date_utils.subtract(date_utils.start_of(today, "month"), months=1)

    month = fields.Date(required=True, default=_default_month)
    close_month = fields.Boolean(
        string="Notices and Star Nominations",
        default=True,
        help="Also send notices to department leaders and nominate the service stars.",
    )

    def action_compute(self):
        self.ensure_one()
        if not self.env.user.has_group("gov_service_center.group_gov_admin"):
            raise UserError(self.env._("Only an administrator can compute the monthly points."))
        month = date_utils.start_of(self.month, "month")
        if month > center_today(self.env):
            raise UserError(self.env._("The month cannot be in the future."))
        Ledger = self.env["gov.points.ledger"]
        Ledger.compute_month(month)
        if self.close_month:
            Ledger._after_month_computed(month)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "gov_service_center.gov_points_ledger_action"
        )
        action["domain"] = [("month", "=", month)]
        return action
