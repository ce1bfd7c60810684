# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Auditable random draw of an intermediary (中介超市随机抽取).

The seed combines the moment of the draw (to the second, UTC) and a number
chosen by a witness before the draw; the candidates are the eligible
intermediaries ordered by id, kept as a snapshot. Anyone holding these
stored values can re-run the draw and must find the same winner.
"""
import hashlib

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

ALGORITHM_VERSION = "sha256-mod-v1"
DRAW_STATE_SELECTION = [
    ("draft", "Draft"),
    ("drawn", "Drawn"),
    ("cancelled", "Cancelled"),
]


def draw_winner_index(draw_time, witness_number, candidate_ids, version=ALGORITHM_VERSION):
    """Return ``(seed, index)`` of the winner among ``candidate_ids``.

    ``sha256-mod-v1``: seed = "<YYYY-MM-DD HH:MM:SS>|<witness number>|<ids
    comma-separated>"; index = int(sha256(seed)) mod len(candidates).
    """
    if version != ALGORITHM_VERSION:
        raise ValueError(version)
    seed = "{}|{}|{}".format(
        fields.Datetime.to_string(draw_time),
        int(witness_number),
        ",".join(str(candidate) for candidate in candidate_ids),
    )
    digest = hashlib.sha256(seed.encode("utf-8")).hexdigest()
    return seed, int(digest, 16) % len(candidate_ids)


class GovIntermediaryDraw(models.Model):
    _name = "gov.intermediary.draw"
    _description = "Intermediary Random Draw"
    _inherit = ["mail.thread", "mail.activity.mixin", "gov.register.mixin"]
    _order = "date_draw desc, id desc"

    name = fields.Char(string="Project", required=True, tracking=True)
    service_type_id = fields.Many2one(
        "gov.intermediary.service.type", required=True, index=True, ondelete="restrict",
        tracking=True,
    )
    department_id = fields.Many2one("hr.department", string="Requesting Department", index=True)
    witness_names = fields.Char(
        string="Witnesses", tracking=True, help="Names of the people present at the draw."
    )
    witness_number = fields.Integer(
        tracking=True,
        help="Number from 1 to 999999 chosen by a witness just before the draw.",
    )
    date_draw = fields.Datetime(string="Drawn At", readonly=True, copy=False, index=True)
    candidate_ids = fields.Many2many(
        "gov.intermediary",
        "gov_intermediary_draw_candidate_rel",
        "draw_id",
        "intermediary_id",
        string="Candidates",
        readonly=True,
        copy=False,
    )
    candidate_snapshot = fields.Char(
        readonly=True, copy=False, help="Ids of the candidates, in the order of the draw."
    )
    candidate_count = fields.Integer(readonly=True, copy=False)
    seed = fields.Char(readonly=True, copy=False)
    algorithm_version = fields.Char(readonly=True, copy=False)
    winner_id = fields.Many2one(
        "gov.intermediary", readonly=True, copy=False, index=True, tracking=True
    )
    state = fields.Selection(
        DRAW_STATE_SELECTION, default="draft", required=True, readonly=True, index=True,
        tracking=True, copy=False,
    )
    website_published = fields.Boolean(string="Published", default=True, tracking=True)

    # written once by the draw itself (through the register bypass)
    _gov_frozen_fields = (
        "name", "service_type_id", "witness_names", "witness_number", "date_draw",
        "candidate_ids", "candidate_snapshot", "candidate_count", "seed",
        "algorithm_version", "winner_id",
    )

    @api.constrains("witness_number")
    def _check_witness_number(self):
        for draw in self:
            if draw.witness_number and not 1 <= draw.witness_number <= 999999:
                raise ValidationError(
                    self.env._("The witness number must lie between 1 and 999999.")
                )

    def _gov_frozen_records(self):
        return self.filtered(lambda draw: draw.state != "draft")

    def _gov_frozen_message(self):
        return self.env._("A draw that took place cannot be changed.")

    def _gov_register_deletable(self):
        return self.filtered(lambda draw: draw.state == "draft")

    def _gov_unlink_message(self):
        return self.env._("A draw that took place is never deleted.")

    def _eligible_candidates(self):
        self.ensure_one()
        Intermediary = self.env["gov.intermediary"].sudo()
        return Intermediary.search(
            Intermediary._eligible_domain(self.service_type_id), order="id"
        )

    def action_draw(self):
        for draw in self:
            if draw.state != "draft":
                raise UserError(self.env._("This draw already took place."))
            if not (draw.witness_names or "").strip():
                raise UserError(self.env._("Record the witnesses of the draw first."))
            if not draw.witness_number:
                raise UserError(
                    self.env._("Enter the number chosen by a witness (1 to 999999) first.")
                )
            candidates = draw._eligible_candidates()
            minimum = max(draw.service_type_id.min_providers, 1)
            if len(candidates) < minimum:
                raise UserError(
                    self.env._(
                        "Only %(count)s qualified intermediaries offer %(type)s, fewer than "
                        "the %(minimum)s required for a draw.",
                        count=len(candidates),
                        type=draw.service_type_id.display_name,
                        minimum=minimum,
                    )
                )
            now = fields.Datetime.now().replace(microsecond=0)
            seed, index = draw_winner_index(now, draw.witness_number, candidates.ids)
            draw._gov_register_bypass().write(
                {
                    "date_draw": now,
                    "candidate_ids": [fields.Command.set(candidates.ids)],
                    "candidate_snapshot": ",".join(str(cid) for cid in candidates.ids),
                    "candidate_count": len(candidates),
                    "seed": seed,
                    "algorithm_version": ALGORITHM_VERSION,
                    "winner_id": candidates[index].id,
                    "state": "drawn",
                }
            )
        return True

    def _recompute_winner(self):
        self.ensure_one()
        candidate_ids = [int(cid) for cid in (self.candidate_snapshot or "").split(",") if cid]
        if not candidate_ids or not self.date_draw:
            raise UserError(self.env._("This draw has not taken place."))
        _seed, index = draw_winner_index(
            self.date_draw, self.witness_number, candidate_ids, self.algorithm_version
        )
        return candidate_ids[index]

    def action_verify(self):
        """Re-run the draw from the stored values; raise if the winner differs."""
        for draw in self:
            if draw.state != "drawn":
                raise UserError(self.env._("Only a draw that took place can be verified."))
            if draw._recompute_winner() != draw.winner_id.id:
                raise UserError(
                    self.env._(
                        "Verification failed: re-running the draw %(name)s gives another winner.",
                        name=draw.display_name,
                    )
                )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Re-running the draw gives the same winner."),
            },
        }

    def action_cancel(self):
        if any(draw.state != "draft" for draw in self):
            raise UserError(self.env._("Only a draft draw can be cancelled."))
        self.write({"state": "cancelled"})
        return True
