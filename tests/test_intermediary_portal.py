# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re
from datetime import date, timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import IntermediaryCase, PublicFormMixin, make_uscc


@tagged("post_install", "-at_install")
class TestCreditRepair(IntermediaryCase):
    def test_repair_workflow(self):
        intermediary = self._make()
        restriction = self._restrict(intermediary)
        Repair = self.env["gov.credit.repair.request"]
        request = Repair.create(
            {"intermediary_id": intermediary.id, "restriction_id": restriction.id,
             "rectification": "Staff trained, reports reviewed"}
        )
        with self.assertRaisesRegex(UserError, "center"):
            request.with_user(self.user_officer).action_approve()
        with self.assertRaisesRegex(UserError, "reason"):
            request.with_user(self.user_admin).action_refuse()
        request.decision_reason = "Rectification verified"
        request.with_user(self.user_admin).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertEqual(restriction.state, "lifted")
        self.assertEqual(restriction.lift_reason, "Rectification verified")
        self.assertFalse(intermediary.is_restricted)
        with self.assertRaisesRegex(UserError, "already"):
            request.with_user(self.user_admin).action_approve()
        with self.assertRaisesRegex(UserError, "never deleted"):
            request.unlink()
        # only an active restriction of the same intermediary
        with self.assertRaisesRegex(UserError, "active"):
            Repair.create({"intermediary_id": intermediary.id, "restriction_id": restriction.id,
                           "rectification": "x"})
        other = self._make()
        with self.assertRaisesRegex(UserError, "concern"):
            Repair.create({"intermediary_id": other.id,
                           "restriction_id": self._restrict(intermediary).id,
                           "rectification": "x"})

    def test_refuse(self):
        intermediary = self._make()
        restriction = self._restrict(intermediary)
        request = self.env["gov.credit.repair.request"].create(
            {"intermediary_id": intermediary.id, "restriction_id": restriction.id,
             "rectification": "Nothing"}
        )
        request.decision_reason = "No evidence"
        request.with_user(self.user_admin).action_refuse()
        self.assertEqual(request.state, "refused")
        self.assertEqual(restriction.state, "active")

    def test_portal_sees_only_own(self):
        mine, other = self._make(2)
        portal_user = new_test_user(
            self.env, "gsc_portal_intermediary", groups="base.group_portal"
        )
        portal_user.partner_id.parent_id = mine.partner_id
        restriction_mine = self._restrict(mine)
        self._restrict(other)
        evaluation_mine, evaluation_other = self.env["gov.intermediary.evaluation"].create(
            [
                {"intermediary_id": mine.id, "year": 2024, "source": "center", "score": 80},
                {"intermediary_id": other.id, "year": 2024, "source": "center", "score": 70},
            ]
        )
        self.env["gov.intermediary.year.score"].publish_year(2024)
        env = self.env(user=portal_user)
        self.assertEqual(env["gov.intermediary"].search([]), mine)
        self.assertEqual(env["gov.credit.restriction"].search([]), restriction_mine)
        self.assertEqual(env["gov.intermediary.evaluation"].search([]), evaluation_mine)
        with self.assertRaises(AccessError):
            other.with_user(portal_user).read(["name"])
        with self.assertRaises(AccessError):
            evaluation_other.with_user(portal_user).read(["score"])
        with self.assertRaises(AccessError):
            mine.with_user(portal_user).write({"name": "Hacked"})
        with self.assertRaises(AccessError):
            env["gov.complaint"].search([])
        with self.assertRaises(AccessError):
            env["gov.intermediary.draw"].search([])


@tagged("post_install", "-at_install")
class TestIntermediaryPortalWebsite(PublicFormMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env["ir.config_parameter"].sudo().set_param(
            "gov_service_center.form_min_fill_seconds", 0
        )
        cls.service_type = cls.env["gov.intermediary.service.type"].create(
            {"name": "GscApply Type", "code": "GSCAPPLY"}
        )
        cls.mine, cls.other = cls.env["gov.intermediary"].create(
            [
                {"name": "GscPortal Mine Co", "uscc": make_uscc(9601), "filing_state": "filed"},
                {"name": "GscPortal Other Co", "uscc": make_uscc(9602), "filing_state": "filed"},
            ]
        )
        cls.portal_user = new_test_user(
            cls.env, "gsc_portal_web", password="gsc_portal_web", groups="base.group_portal"
        )
        cls.portal_user.partner_id.parent_id = cls.mine.partner_id
        Restriction = cls.env["gov.credit.restriction"]
        cls.restriction = Restriction.create(
            {"intermediary_id": cls.mine.id, "reason": "GscPortal reason", "decision_ref": "GSCP-1",
             "date_start": date.today() - timedelta(days=3)}
        )
        cls.other_restriction = Restriction.create(
            {"intermediary_id": cls.other.id, "reason": "GscPortal other", "decision_ref": "GSCP-2",
             "date_start": date.today() - timedelta(days=3)}
        )

    def _form(self, url):
        return self.public_form(url)[0]

    def test_apply(self):
        Intermediary = self.env["gov.intermediary"].with_context(active_test=False)
        before = Intermediary.search_count([])
        base = {
            "name": "GscApply New Co", "uscc": make_uscc(9700), "phone": "13812340000",
            "legal_representative": "Zhou", "service_type_ids": str(self.service_type.id),
        }
        bad_cases = [
            dict(base, uscc="91511400MA0000001X"),
            dict(base, uscc=self.mine.uscc),
            dict(base, service_type_ids="abc"),
            dict(base, service_type_ids="999999"),
            dict(base, name=""),
            dict(base, filing_state="filed"),
        ]
        for values in bad_cases:
            with self.subTest(values={k: v[:20] for k, v in values.items()}):
                response = self.url_open(
                    "/intermediaries/apply", data=dict(self._form("/intermediaries/apply"), **values),
                    allow_redirects=False,
                )
                self.assertEqual(response.status_code, 400)
                self.assertNotIn("Traceback", response.text)
        self.assertEqual(Intermediary.search_count([]), before)
        response = self.url_open(
            "/intermediaries/apply",
            data=dict(self._form("/intermediaries/apply"), **base),
            files={"qualification_files": ("cert.pdf", b"%PDF-1.4 cert", "application/pdf")},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 200, response.text[:300])
        created = Intermediary.search([("uscc", "=", make_uscc(9700))])
        self.assertEqual(created.filing_state, "submitted")
        self.assertFalse(created.website_published)
        self.assertEqual(created.service_type_ids, self.service_type)
        self.assertEqual(
            self.env["ir.attachment"].search(
                [("res_model", "=", "gov.intermediary"), ("res_id", "=", created.id)]
            ).name,
            "cert.pdf",
        )

    def test_portal_page_and_repair(self):
        self.assertEqual(self.url_open("/my/intermediary", allow_redirects=False).status_code, 303)
        self.authenticate("gsc_portal_web", "gsc_portal_web")
        home = self.url_open("/my")
        self.assertEqual(home.status_code, 200)
        self.assertIn("/my/intermediary", home.text)
        html = self.url_open("/my/intermediary").text
        self.assertIn("GscPortal Mine Co", html)
        self.assertIn("GSCP-1", html)
        self.assertNotIn("GscPortal Other Co", html)
        self.assertNotIn("GSCP-2", html)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        Repair = self.env["gov.credit.repair.request"]
        # someone else's restriction, garbage: nothing written
        for data in (
            {"restriction_id": str(self.other_restriction.id), "rectification": "x"},
            {"restriction_id": "abc", "rectification": "x"},
            {"restriction_id": str(self.restriction.id), "rectification": ""},
        ):
            response = self.url_open(
                "/my/intermediary/repair", data=dict(data, csrf_token=csrf), allow_redirects=False
            )
            self.assertIn(response.status_code, (400, 404))
            self.assertNotIn("Traceback", response.text)
        self.assertFalse(Repair.search([]))
        response = self.url_open(
            "/my/intermediary/repair",
            data={"csrf_token": csrf, "restriction_id": str(self.restriction.id),
                  "rectification": "All reports re-checked"},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        repair = Repair.search([])
        self.assertEqual(repair.restriction_id, self.restriction)
        self.assertEqual(repair.state, "submitted")

    def test_portal_without_intermediary(self):
        new_test_user(self.env, "gsc_portal_none", password="gsc_portal_none",
                      groups="base.group_portal")
        self.authenticate("gsc_portal_none", "gsc_portal_none")
        self.assertEqual(self.url_open("/my/intermediary").status_code, 404)
