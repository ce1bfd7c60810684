# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Auditable random draw of an intermediary (中介超市随机抽取).

A draw is first prepared: the eligible intermediaries, ordered by id, are
kept as a snapshot and the server draws a random secret whose SHA-256 hash
(the commitment) is published together with the snapshot. Only then does a
witness choose a number. At the draw the secret is revealed; the seed
combines the secret, the witness number and the moment of the draw. Nobody
can steer the result: the operator does not know the secret, and the secret
was fixed before the witness number was known. Anyone holding the published
values checks that the secret matches the commitment and re-runs the draw.

Draws made before the commitment existed (``sha256-mod-v1``: time and
witness number only) remain verifiable with their own algorithm.
"""
import hashlib
import hmac
import secrets

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

ALGORITHM_V1 = "sha256-mod-v1"
ALGORITHM_V2 = "sha256-mod-v2"
ALGORITHM_VERSION = ALGORITHM_V2
DRAW_STATE_SELECTION = [
    ("draft", "Draft"),
    ("prepared", "Prepared"),
    ("drawn", "Drawn"),
    ("cancelled", "Cancelled"),
]


def secret_commitment(secret):
    """The published commitment to a draw secret: its SHA-256, in hex."""
    return hashlib.sha256((secret or "").encode("utf-8")).hexdigest()


def draw_winner_index(draw_time, witness_number, candidate_ids, version=ALGORITHM_V1, secret=None):
    """Return ``(seed, index)`` of the winner among ``candidate_ids``.

    ``sha256-mod-v1``: seed = "<YYYY-MM-DD HH:MM:SS>|<witness number>|<ids
    comma-separated>"; index = int(sha256(seed)) mod len(candidates).

    ``sha256-mod-v2``: seed = "<secret>|<YYYY-MM-DD HH:MM:SS>|<witness
    number>|<ids comma-separated>", where the secret is the one committed
    to (by its SHA-256) when the draw was prepared; same index.
    """
    parts = [
        fields.Datetime.to_string(draw_time),
        str(int(witness_number)),
        ",".join(str(candidate) for candidate in candidate_ids),
    ]
    if version == ALGORITHM_V2:
        if not secret:
            raise ValueError("secret")
        parts.insert(0, secret)
    elif version != ALGORITHM_V1:
        raise ValueError(version)
    seed = "|".join(parts)
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
        copy=False,
        help="Number from 1 to 999999 chosen by a witness after the preparation, once the "
        "commitment is published, just before the draw.",
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
    date_prepared = fields.Datetime(string="Prepared At", readonly=True, copy=False)
    secret_hash = fields.Char(
        string="Commitment",
        readonly=True,
        copy=False,
        help="SHA-256 of the secret drawn by the server at the preparation, published "
        "before the witness number is chosen.",
    )
    secret = fields.Char(
        string="Revealed Secret",
        readonly=True,
        copy=False,
        help="The secret committed to at the preparation, revealed at the draw.",
    )
    # kept out of reach of every user until the draw reveals it
    sealed_secret = fields.Char(readonly=True, copy=False, groups="base.group_system")
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

    # written by the preparation and the draw only (through the register bypass)
    _gov_frozen_fields = (
        "name", "service_type_id", "witness_names", "witness_number", "date_draw",
        "candidate_ids", "candidate_snapshot", "candidate_count", "seed",
        "algorithm_version", "winner_id", "date_prepared", "secret_hash", "secret",
        "sealed_secret",
    )
    # set only by the preparation and the draw themselves
    COMMITMENT_FIELDS = {
        "date_draw", "candidate_ids", "candidate_snapshot", "candidate_count", "seed",
        "algorithm_version", "winner_id", "date_prepared", "secret_hash", "secret",
        "sealed_secret",
    }

    @api.constrains("witness_number")
    def _check_witness_number(self):
        for draw in self:
            if draw.witness_number and not 1 <= draw.witness_number <= 999999:
                raise ValidationError(
                    self.env._("The witness number must lie between 1 and 999999.")
                )

    def _gov_frozen_records(self):
        return self.filtered(lambda draw: draw.state not in ("draft", "prepared"))

    def _gov_frozen_message(self):
        return self.env._("A draw that took place cannot be changed.")

    def _gov_register_deletable(self):
        return self.filtered(lambda draw: draw.state == "draft")

    def _gov_unlink_message(self):
        return self.env._("A draw that was prepared or took place is never deleted.")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if self.COMMITMENT_FIELDS & set(vals):
                raise UserError(
                    self.env._("The candidates and the commitment are set by the preparation.")
                )
            if vals.get("witness_number"):
                raise UserError(self._witness_too_early_message())
        return super().create(vals_list)

    def _witness_too_early_message(self):
        return self.env._(
            "Prepare the draw first: the witness chooses the number only once the "
            "commitment is published."
        )

    def write(self, vals):
        # the preparation and the draw write through the register bypass,
        # which no client request can carry
        if not self._gov_register_bypassed():
            if self.COMMITMENT_FIELDS & set(vals):
                raise UserError(
                    self.env._("The candidates and the commitment are set by the preparation.")
                )
            # (a draw that took place is refused by the register: frozen fields)
            if "witness_number" in vals and any(draw.state == "draft" for draw in self):
                raise UserError(self._witness_too_early_message())
            if {"name", "service_type_id"} & set(vals) and any(
                draw.state == "prepared" for draw in self
            ):
                raise UserError(
                    self.env._(
                        "The draw is prepared: its project and service type cannot change."
                    )
                )
        return super().write(vals)

    def _eligible_candidates(self):
        self.ensure_one()
        Intermediary = self.env["gov.intermediary"].sudo()
        return Intermediary.search(
            Intermediary._eligible_domain(self.service_type_id), order="id"
        )

    def _check_enough_candidates(self, candidates):
        self.ensure_one()
        minimum = max(self.service_type_id.min_providers, 1)
        if len(candidates) < minimum:
            raise UserError(
                self.env._(
                    "Only %(count)s qualified intermediaries offer %(type)s, fewer than "
                    "the %(minimum)s required for a draw.",
                    count=len(candidates),
                    type=self.service_type_id.display_name,
                    minimum=minimum,
                )
            )

    def action_prepare(self):
        """Fix the candidates and commit to a server secret, before any
        witness number exists. A prepared draw whose witness number is not
        entered yet may be prepared again (e.g. when the candidates changed)."""
        self.check_access("write")
        for draw in self:
            if draw.state not in ("draft", "prepared"):
                raise UserError(self.env._("This draw already took place."))
            if draw.state == "prepared" and draw.witness_number:
                raise UserError(
                    self.env._(
                        "The witness number is entered: the draw cannot be prepared again."
                    )
                )
            candidates = draw._eligible_candidates()
            draw._check_enough_candidates(candidates)
            secret = secrets.token_hex(32)
            draw.sudo()._gov_register_bypass().write(
                {
                    "date_prepared": fields.Datetime.now(),
                    "candidate_ids": [fields.Command.set(candidates.ids)],
                    "candidate_snapshot": ",".join(str(cid) for cid in candidates.ids),
                    "candidate_count": len(candidates),
                    "secret_hash": secret_commitment(secret),
                    "sealed_secret": secret,
                    "witness_number": False,
                    "state": "prepared",
                }
            )
        return True

    def action_draw(self):
        self.check_access("write")
        for draw in self:
            if draw.state == "draft":
                raise UserError(
                    self.env._("Prepare the draw first: its commitment must be published.")
                )
            if draw.state != "prepared":
                raise UserError(self.env._("This draw already took place."))
            if not (draw.witness_names or "").strip():
                raise UserError(self.env._("Record the witnesses of the draw first."))
            if not draw.witness_number:
                raise UserError(
                    self.env._("Enter the number chosen by a witness (1 to 999999) first.")
                )
            candidate_ids = draw._snapshot_ids()
            if draw._eligible_candidates().ids != candidate_ids:
                raise UserError(
                    self.env._(
                        "The eligible intermediaries changed since the preparation: enter "
                        "the number again after preparing the draw again."
                    )
                )
            secret = draw.sudo().sealed_secret
            if not secret or secret_commitment(secret) != draw.secret_hash:
                raise UserError(self.env._("The secret of this draw does not match its commitment."))
            now = fields.Datetime.now().replace(microsecond=0)
            seed, index = draw_winner_index(
                now, draw.witness_number, candidate_ids, ALGORITHM_V2, secret=secret
            )
            draw.sudo()._gov_register_bypass().write(
                {
                    "date_draw": now,
                    "secret": secret,
                    "sealed_secret": False,
                    "seed": seed,
                    "algorithm_version": ALGORITHM_V2,
                    "winner_id": candidate_ids[index],
                    "state": "drawn",
                }
            )
        return True

    def _snapshot_ids(self):
        self.ensure_one()
        return [int(cid) for cid in (self.candidate_snapshot or "").split(",") if cid]

    def _recompute_winner(self):
        self.ensure_one()
        candidate_ids = self._snapshot_ids()
        if not candidate_ids or not self.date_draw:
            raise UserError(self.env._("This draw has not taken place."))
        if self.algorithm_version == ALGORITHM_V2:
            if not (self.secret and self.secret_hash) or not hmac.compare_digest(
                secret_commitment(self.secret), self.secret_hash
            ):
                raise UserError(
                    self.env._(
                        "Verification failed: the revealed secret of the draw %(name)s does "
                        "not match the commitment published before the draw.",
                        name=self.display_name,
                    )
                )
        _seed, index = draw_winner_index(
            self.date_draw, self.witness_number, candidate_ids, self.algorithm_version,
            secret=self.secret,
        )
        return candidate_ids[index]

    def action_verify(self):
        """Check the revealed secret against the commitment and re-run the
        draw from the stored values; raise if anything differs."""
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
        if any(draw.state not in ("draft", "prepared") for draw in self):
            raise UserError(self.env._("Only a draw that did not take place can be cancelled."))
        self.write({"state": "cancelled"})
        self.sudo()._gov_register_bypass().write({"sealed_secret": False})
        return True

    # ------------------------------------------------------------------
    # Website
    # ------------------------------------------------------------------
    @api.model
    def _gov_public_domain(self):
        """Draws shown on the website: their commitment once prepared, the winner once drawn."""
        return [("state", "in", ("prepared", "drawn")), ("website_published", "=", True)]
