# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from ..models.gov_center_time import center_today


class GovIntermediaryPublishWizard(models.TransientModel):
    _name = "gov.intermediary.publish.wizard"
    _description = "Compute or Publish the Yearly Intermediary Results"

    year = fields.Integer(
        required=True, default=lambda self: center_today(self.env).year - 1
    )

    def _open_scores(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Yearly Scores %(year)s", year=self.year),
            "res_model": "gov.intermediary.year.score",
            "view_mode": "list,form,pivot",
            "domain": [("year", "=", self.year)],
        }

    def action_compute(self):
        self.ensure_one()
        self.env["gov.intermediary.year.score"].compute_year(self.year)
        return self._open_scores()

    def action_publish(self):
        self.ensure_one()
        self.env["gov.intermediary.year.score"].publish_year(self.year)
        return self._open_scores()
