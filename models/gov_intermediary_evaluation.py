# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .gov_center_time import center_today

EVALUATION_SOURCE_SELECTION = [
    ("owner", "Project Owner"),
    ("department", "Industry Department"),
    ("center", "Service Center"),
    ("third_party", "Third Party"),
]



class GovIntermediaryEvaluation(models.Model):
    _name = "gov.intermediary.evaluation"
    _description = "Intermediary Evaluation"
    _inherit = ["mail.thread", "gov.register.mixin"]
    _order = "year desc, intermediary_id, id"
    # frozen once the results of the year are published (only the yearly
    # publication writes them, through the register bypass)
    _gov_frozen_fields = (
        "intermediary_id", "year", "source", "rating", "score", "evaluator", "comment",
    )
    _gov_workflow_fields = ("is_frozen",)

    intermediary_id = fields.Many2one(
        "gov.intermediary", required=True, index=True, ondelete="restrict", tracking=True
    )
    year = fields.Integer(
        required=True,
        index=True,
        tracking=True,
        default=lambda self: center_today(self.env).year,
    )
    source = fields.Selection(
        EVALUATION_SOURCE_SELECTION, required=True, default="owner", index=True, tracking=True
    )
    rating = fields.Integer(
        string="Owner Rating (1-5)",
        help="Project owners rate from 1 (very dissatisfied) to 5 (very satisfied); "
        "the rating is converted to a score of 20 to 100.",
    )
    score = fields.Float(string="Score (0-100)", digits=(5, 2), tracking=True)
    # who evaluated and what they wrote stay internal: the evaluated
    # intermediary's portal users read the year, source and score only
    evaluator = fields.Char(
        help="Project, department or body that gave the evaluation.", groups="base.group_user"
    )
    comment = fields.Text(groups="base.group_user")
    is_frozen = fields.Boolean(
        string="Frozen", readonly=True, copy=False,
        help="The results of the year have been published: the evaluation cannot change.",
    )

    @api.model
    def _prepare_vals(self, vals, source=None):
        source = vals.get("source", source)
        if source == "owner" and vals.get("rating"):
            vals["score"] = vals["rating"] * 20.0
        return vals

    @api.constrains("source", "rating", "score", "year")
    def _check_values(self):
        for evaluation in self:
            if evaluation.source == "owner" and not 1 <= evaluation.rating <= 5:
                raise ValidationError(
                    self.env._("An owner evaluation is a rating from 1 to 5.")
                )
            if not 0 <= evaluation.score <= 100:
                raise ValidationError(self.env._("A score lies between 0 and 100."))
            if not 2000 <= evaluation.year <= 2100:
                raise ValidationError(
                    self.env._("%(year)s is not a valid year.", year=evaluation.year)
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._prepare_vals(vals)
        published_years = set(
            self.env["gov.intermediary.year.score"].sudo().search(
                [("state", "=", "published"),
                 ("year", "in", [vals.get("year") for vals in vals_list if vals.get("year")])]
            ).mapped("year")
        )
        for vals in vals_list:
            if vals.get("year") in published_years:
                raise UserError(
                    self.env._(
                        "The results of %(year)s are published: no evaluation can be added.",
                        year=vals["year"],
                    )
                )
        return super().create(vals_list)

    def _gov_frozen_records(self):
        return self.filtered("is_frozen")

    def _gov_frozen_message(self):
        return self.env._("Evaluations of a published year are frozen and cannot change.")

    def write(self, vals):
        if "rating" in vals:
            for evaluation in self:
                evaluation_vals = dict(vals)
                self._prepare_vals(evaluation_vals, evaluation.source)
                super(GovIntermediaryEvaluation, evaluation).write(evaluation_vals)
            return True
        return super().write(vals)
