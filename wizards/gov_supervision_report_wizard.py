# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import date_utils

from ..models.gov_center_time import center_today


class GovSupervisionReportWizard(models.TransientModel):
    """Month picker of the monthly supervision report (电子监察月报)."""

    _name = "gov.supervision.report.wizard"
    _description = "Monthly Supervision Report"

    @api.model
    def _default_month(self):
        today = center_today(self.env)
        return date_utils.subtract(date_utils.start_of(today, "month"), months=1)

    month = fields.Date(required=True, default=_default_month)

    def _gov_month(self):
        self.ensure_one()
        month = date_utils.start_of(self.month, "month")
        if month > center_today(self.env):
            raise UserError(self.env._("The month cannot be in the future."))
        return month

    def _gov_report_rows(self):
        return self.env["gov.supervision.alert"]._gov_supervision_month_rows(self._gov_month())

    def action_print(self):
        self._gov_month()
        return self.env.ref(
            "gov_service_center.action_report_gov_supervision_monthly"
        ).report_action(self)
