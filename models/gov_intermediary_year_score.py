# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import UserError

from .gov_intermediary import CREDIT_GRADE_SELECTION
from .gov_settings import get_setting


COMMENDATION_SELECTION = [
    ("none", "Not Proposed"),
    ("proposed", "Proposed"),
    ("confirmed", "Confirmed"),
]


class GovIntermediaryYearScore(models.Model):
    """Yearly credit score and grade of an intermediary (GB/T 39683 grades)."""

    _name = "gov.intermediary.year.score"
    _description = "Intermediary Yearly Score"
    _inherit = ["mail.thread", "gov.register.mixin"]
    _gov_frozen_fields = (
        "intermediary_id", "year", "owner_score", "department_score", "center_score",
        "third_party_score", "evaluation_count", "weighted_score", "grade", "is_vetoed",
        "veto_reason", "state",
    )
    _order = "year desc, weighted_score desc, id"
    _rec_name = "intermediary_id"

    intermediary_id = fields.Many2one(
        "gov.intermediary", required=True, index=True, ondelete="restrict", readonly=True
    )
    year = fields.Integer(required=True, index=True, readonly=True)
    owner_score = fields.Float(digits=(5, 2), readonly=True)
    department_score = fields.Float(digits=(5, 2), readonly=True)
    center_score = fields.Float(digits=(5, 2), readonly=True)
    third_party_score = fields.Float(
        digits=(5, 2), readonly=True, help="Published separately; not part of the grade."
    )
    evaluation_count = fields.Integer(readonly=True)
    weighted_score = fields.Float(digits=(5, 2), readonly=True, aggregator="avg")
    grade = fields.Selection(CREDIT_GRADE_SELECTION, readonly=True, index=True)
    is_vetoed = fields.Boolean(string="Veto", readonly=True)
    veto_reason = fields.Char(readonly=True)
    state = fields.Selection(
        [("draft", "Draft"), ("published", "Published")],
        default="draft", required=True, readonly=True, index=True, tracking=True,
    )
    commendation_state = fields.Selection(
        COMMENDATION_SELECTION, default="none", required=True, readonly=True, tracking=True,
        string="Commendation",
    )

    _sql_constraints = [
        ("intermediary_year_unique", "unique(intermediary_id, year)",
         "An intermediary has one score per year."),
    ]

    # ------------------------------------------------------------------
    # Settings
    # ------------------------------------------------------------------
    @api.model
    def _get_weights(self):
        return {
            source: get_setting(self.env, f"evaluation_weight_{source}")
            for source in ("owner", "department", "center")
        }

    @api.model
    def _get_thresholds(self):
        return {
            grade: get_setting(self.env, f"grade_threshold_{grade.lower()}")
            for grade in ("A", "B", "C", "D")
        }

    @api.model
    def _grade_for(self, score):
        thresholds = self._get_thresholds()
        for grade in ("A", "B", "C", "D"):
            if score >= thresholds[grade]:
                return grade
        return "E"

    # ------------------------------------------------------------------
    # Computation
    # ------------------------------------------------------------------
    @api.model
    def _check_year(self, year):
        if not isinstance(year, int) or not 2000 <= year <= 2100:
            raise UserError(self.env._("%(year)s is not a valid year.", year=year))

    @api.model
    def compute_year(self, year):
        """Create or refresh the draft scores of ``year`` from its evaluations
        (grouped queries: one per kind of figure, whatever the number of
        intermediaries)."""
        self._check_year(year)
        if self.search_count([("year", "=", year), ("state", "=", "published")], limit=1):
            raise UserError(
                self.env._("The results of %(year)s are published and frozen.", year=year)
            )
        Evaluation = self.env["gov.intermediary.evaluation"]
        groups = Evaluation._read_group(
            [("year", "=", year)],
            groupby=["intermediary_id", "source"],
            aggregates=["score:avg", "__count"],
        )
        figures = {}
        for intermediary, source, average, count in groups:
            entry = figures.setdefault(intermediary, {"count": 0})
            entry[source] = average
            entry["count"] += count
        intermediaries = self.env["gov.intermediary"].browse(
            [intermediary.id for intermediary in figures]
        )
        vetoes = self._get_vetoes(intermediaries, year)
        weights = self._get_weights()
        existing = {
            score.intermediary_id: score
            for score in self.search([("year", "=", year), ("intermediary_id", "in", intermediaries.ids)])
        }
        to_create = []
        for intermediary in intermediaries:
            entry = figures[intermediary]
            weighted_sum = weight_total = 0.0
            for source, weight in weights.items():
                if source in entry and weight > 0:
                    weighted_sum += entry[source] * weight
                    weight_total += weight
            weighted = round(weighted_sum / weight_total, 2) if weight_total else 0.0
            veto = vetoes.get(intermediary.id)
            vals = {
                "owner_score": entry.get("owner", 0.0),
                "department_score": entry.get("department", 0.0),
                "center_score": entry.get("center", 0.0),
                "third_party_score": entry.get("third_party", 0.0),
                "evaluation_count": entry["count"],
                "weighted_score": weighted,
                "grade": "E" if veto else self._grade_for(weighted),
                "is_vetoed": bool(veto),
                "veto_reason": veto or False,
            }
            if intermediary in existing:
                existing[intermediary].write(vals)
            else:
                to_create.append(dict(vals, intermediary_id=intermediary.id, year=year))
        self.create(to_create)
        return self.search([("year", "=", year)])

    @api.model
    def _get_vetoes(self, intermediaries, year):
        """Reasons that force grade E: a restriction in force during the year,
        a revoked filing."""
        start, end = date(year, 1, 1), date(year, 12, 31)
        vetoes = {}
        restrictions = self.env["gov.credit.restriction"].sudo().search(
            [
                ("intermediary_id", "in", intermediaries.ids),
                ("date_start", "<=", end),
                "|", ("date_end", "=", False), ("date_end", ">=", start),
                "|", ("state", "=", "active"), ("date_lifted", ">=", start),
            ]
        )
        for restriction in restrictions:
            vetoes[restriction.intermediary_id.id] = self.env._(
                "Credit restriction %(ref)s", ref=restriction.decision_ref
            )
        for intermediary in intermediaries:
            if intermediary.filing_state == "revoked":
                vetoes.setdefault(intermediary.id, self.env._("Filing revoked"))
        return vetoes

    # ------------------------------------------------------------------
    # Publication
    # ------------------------------------------------------------------
    @api.model
    def publish_year(self, year):
        """Freeze the scores and evaluations of ``year``, set the credit grades
        and propose grade-A providers without upheld complaint for commendation."""
        if not self.env.user.has_group("gov_service_center.group_gov_admin"):
            raise UserError(self.env._("Only administrators publish the yearly results."))
        scores = self.compute_year(year)
        if not scores:
            raise UserError(
                self.env._("There is no evaluation for %(year)s to publish.", year=year)
            )
        start, end = date(year, 1, 1), date(year, 12, 31)
        upheld = set(
            self.env["gov.complaint"].sudo().search(
                [
                    ("intermediary_id", "in", scores.intermediary_id.ids),
                    ("is_upheld", "=", True),
                    ("date_received", ">=", start),
                    ("date_received", "<=", end),
                ]
            ).intermediary_id.ids
        )
        for score in scores:
            proposed = (
                score.grade == "A"
                and score.intermediary_id.id not in upheld
                and not score.intermediary_id.is_restricted
            )
            score.write(
                {"state": "published", "commendation_state": "proposed" if proposed else "none"}
            )
            score.intermediary_id.credit_grade = score.grade
        self.env["gov.intermediary.evaluation"].search(
            [("year", "=", year)]
        )._gov_register_bypass().write({"is_frozen": True})
        return scores

    def action_confirm_commendation(self):
        if not self.env.user.has_group("gov_service_center.group_gov_admin"):
            raise UserError(self.env._("Only administrators confirm commendations."))
        for score in self:
            if score.commendation_state != "proposed":
                raise UserError(
                    self.env._(
                        "%(name)s is not proposed for commendation.",
                        name=score.intermediary_id.display_name,
                    )
                )
            if score.intermediary_id.is_restricted:
                raise UserError(
                    self.env._(
                        "%(name)s is under a credit restriction and cannot be commended.",
                        name=score.intermediary_id.display_name,
                    )
                )
        self.write({"commendation_state": "confirmed"})
        return True

    def _gov_frozen_records(self):
        return self.filtered(lambda score: score.state == "published")

    def _gov_frozen_message(self):
        return self.env._("Published yearly scores are frozen.")

    def _gov_register_deletable(self):
        return self.filtered(lambda score: score.state != "published")

    def _gov_unlink_message(self):
        return self.env._("Published yearly scores are never deleted.")

    # ------------------------------------------------------------------
    # Website
    # ------------------------------------------------------------------
    @api.model
    def _gov_public_domain(self):
        """Yearly scores shown on the website: published years only."""
        return [("state", "=", "published")]
