# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged

from odoo.addons.gov_service_center.models.gov_intermediary_draw import (
    ALGORITHM_V1,
    ALGORITHM_V2,
    draw_winner_index,
)

from .common import IntermediaryCase, make_uscc


@tagged("post_install", "-at_install")
class TestIntermediaryDraw(IntermediaryCase):
    def _draw(self, witness_number=4711, prepare=True, **vals):
        """A prepared draw (commitment published) with its witness number."""
        draw = self.env["gov.intermediary.draw"].create(
            dict(
                {
                    "name": "Hospital extension EIA",
                    "service_type_id": self.type_eia.id,
                    "witness_names": "Wang, Li",
                },
                **vals,
            )
        )
        if prepare:
            draw.action_prepare()
            draw.witness_number = witness_number
        return draw

    def test_draw_and_verify(self):
        eligible = self._make(4)
        restricted = self._make()
        self._restrict(restricted)
        expired = self._make(expiry=date(2025, 6, 2))  # the day before the draw
        not_filed = self._make(state="submitted")
        with freeze_time("2025-06-03 09:30:15.123"):
            draw = self._draw()
            draw.action_draw()
        self.assertEqual(draw.state, "drawn")
        self.assertEqual(draw.candidate_ids, eligible)
        self.assertEqual(draw.candidate_snapshot, ",".join(map(str, sorted(eligible.ids))))
        self.assertEqual(draw.date_draw, datetime(2025, 6, 3, 9, 30, 15))
        self.assertIn(draw.winner_id, eligible)
        for excluded in (restricted, expired, not_filed):
            self.assertNotIn(excluded, draw.candidate_ids)
        self.assertEqual(draw.algorithm_version, ALGORITHM_V2)
        seed, index = draw_winner_index(
            draw.date_draw, 4711, sorted(eligible.ids), ALGORITHM_V2, secret=draw.secret
        )
        self.assertEqual(draw.seed, seed)
        self.assertEqual(draw.winner_id.id, sorted(eligible.ids)[index])
        self.assertTrue(draw.action_verify())
        # a tampered record does not verify: another witness number that
        # designates another candidate
        ids = sorted(eligible.ids)
        other_number = next(
            number for number in range(1, 1000)
            if ids[draw_winner_index(
                draw.date_draw, number, ids, ALGORITHM_V2, secret=draw.secret
            )[1]] != draw.winner_id.id
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE gov_intermediary_draw SET witness_number = %s WHERE id = %s",
            [other_number, draw.id],
        )
        draw.invalidate_recordset()
        with self.assertRaisesRegex(UserError, "Verification failed"):
            draw.action_verify()

    def test_same_inputs_same_winner(self):
        ids = self._make(5).ids
        moment = datetime(2025, 7, 1, 8, 0, 0)
        for version, secret in ((ALGORITHM_V1, None), (ALGORITHM_V2, "ab" * 32)):
            self.assertEqual(
                draw_winner_index(moment, 4711, ids, version, secret=secret),
                draw_winner_index(moment, 4711, ids, version, secret=secret),
            )
        with self.assertRaises(ValueError):
            draw_winner_index(moment, 4711, ids, ALGORITHM_V2)

    def test_too_few_candidates(self):
        self._make(2)
        draw = self._draw(prepare=False)
        with self.assertRaisesRegex(UserError, "fewer than the 3 required"):
            draw.action_prepare()
        self.assertEqual(draw.state, "draft")
        self.assertFalse(draw.winner_id)

    def test_inputs_required_and_frozen(self):
        self._make(3)
        with self.assertRaisesRegex(UserError, "witnesses"):
            self._draw(witness_names=False).action_draw()
        with self.assertRaisesRegex(UserError, "number"):
            self._draw(witness_number=0).action_draw()
        with self.assertRaisesRegex(ValidationError, "999999"):
            self._draw(witness_number=1000000)
        with self.assertRaisesRegex(UserError, "Prepare the draw first"):
            self.env["gov.intermediary.draw"].create(
                {"name": "x", "service_type_id": self.type_eia.id, "witness_number": 5}
            )
        draw = self._draw()
        draw.action_draw()
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            draw.witness_number = 5
        with self.assertRaisesRegex(UserError, "already"):
            draw.action_draw()
        with self.assertRaisesRegex(UserError, "never deleted"):
            draw.unlink()
        draft = self.env["gov.intermediary.draw"].create(
            {"name": "x", "service_type_id": self.type_eia.id}
        )
        draft.unlink()

    def test_access(self):
        self._make(3)
        draw = self._draw()
        for user in (self.user_viewer, self.user_officer):
            draw.with_user(user).read(["name", "secret_hash"])
            with self.assertRaises(AccessError):
                draw.with_user(user).action_draw()
            with self.assertRaises(AccessError):
                draw.with_user(user).action_prepare()
            with self.assertRaises(AccessError):
                draw.with_user(user).read(["sealed_secret"])
        for user in (self.user_internal, self.user_portal, self.user_public):
            with self.assertRaises(AccessError):
                self.env["gov.intermediary.draw"].with_user(user).search([])
        draw.with_user(self.user_admin).action_draw()


@tagged("post_install", "-at_install")
class TestIntermediaryDrawWebsite(HttpCase):
    def test_public_draws(self):
        env = self.env(context=dict(self.env.context, tracking_disable=True))
        service_type = env["gov.intermediary.service.type"].create(
            {"name": "GscDraw Type", "code": "GSCDRAW", "min_providers": 1}
        )
        provider = env["gov.intermediary"].create(
            {
                "name": "GscDraw Winner Co",
                "uscc": make_uscc(9301),
                "filing_state": "filed",
                "qualification_ids": [(0, 0, {
                    "name": "GSCD-1", "issuer": "X", "service_type_id": service_type.id,
                })],
            }
        )
        Draw = env["gov.intermediary.draw"]
        shown = Draw.create({"name": "GscDraw Public Project", "service_type_id": service_type.id,
                             "witness_names": "A"})
        hidden = Draw.create({"name": "GscDraw Hidden Project", "service_type_id": service_type.id,
                              "witness_names": "A", "website_published": False})
        Draw.create({"name": "GscDraw Draft Project", "service_type_id": service_type.id})
        (shown | hidden).action_prepare()
        shown.witness_number = 7
        hidden.witness_number = 8
        (shown | hidden).action_draw()
        response = self.url_open("/intermediaries/draws")
        self.assertEqual(response.status_code, 200)
        self.assertIn("GscDraw Public Project", response.text)
        self.assertIn(provider.name, response.text)
        self.assertIn(shown.seed, response.text)
        self.assertNotIn("GscDraw Hidden Project", response.text)
        self.assertNotIn("GscDraw Draft Project", response.text)
