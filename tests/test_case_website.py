# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re
from urllib.parse import quote

from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import VALID_ID_NUMBER, GovCaseCase, PublicFormMixin, website_in_english

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]*)"')


class CaseWebsiteCase(PublicFormMixin, GovCaseCase, HttpCase):
    """Cases on the website: a published item open to online application,
    two portal applicants."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        website_in_english(cls.env)  # the texts checked below are English
        cls.item.is_published = True
        cls.item_b.is_published = True  # published, not online
        cls.user_portal.partner_id.write({"email": "owner@example.com", "mobile": "13912345678"})
        cls.user_portal_other = new_test_user(
            cls.env, "gsc_case_portal2", groups="base.group_portal"
        )
        cls.env["ir.config_parameter"].set_param("gov_service_center.form_min_fill_seconds", "0")
        cls.Case = cls.env["gov.case"].sudo()
        cls.materials = cls.item.material_ids.sorted("sequence")
        cls.apply_url = f"{cls.item.website_url}/apply"

    def _material(self, name):
        return self.materials.filtered(lambda m: m.name == name)

    def _apply_data(self, **vals):
        data = {
            "applicant_type": "person",
            "applicant_name": "张三",
            "applicant_id_number": VALID_ID_NUMBER,
            "contact_phone": "13800138000",
            "contact_email": "zhang@example.com",
            "description": "申请建设工程规划许可",
        }
        data.update(vals)
        return data

    def _apply_files(self):
        return {
            f"material_{self._material('Application Form').id}": ("form.pdf", PDF, "application/pdf"),
            f"material_{self._material('Site Plan').id}": ("plan.png", PNG, "image/png"),
        }

    def _owned_case(self, user=None, **vals):
        user = user or self.user_portal
        return self._new_case(partner_id=user.partner_id.id, channel="online", **vals)

    def _csrf(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return CSRF_RE.search(response.text).group(1)


@tagged("post_install", "-at_install")
class TestCaseApplication(CaseWebsiteCase):
    def test_guide_shows_apply_button_for_online_items(self):
        response = self.url_open(self.item.website_url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_gov_case_apply_button", response.text)
        self.assertIn(f'href="{self.apply_url}"', response.text)
        response = self.url_open(self.item_b.website_url)
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("o_gov_case_apply_button", response.text)

    def test_public_visitor_is_sent_to_login(self):
        response = self.url_open(self.apply_url, allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn(f"/web/login?redirect={quote(self.apply_url, safe='')}",
                      response.headers["Location"])

    def test_not_online_or_not_public_items_are_404(self):
        self.authenticate("gsc_portal", "gsc_portal")
        self.assertEqual(self.url_open(f"{self.item_b.website_url}/apply").status_code, 404)
        self.item.is_published = False
        self.assertEqual(self.url_open(self.apply_url).status_code, 404)
        for slug in ("x", "0", "-99", "abc-99999999999", "办件-2147483647", "%00", "a%00b-1"):
            response = self.url_open(f"/service-items/{slug}/apply")
            self.assertEqual(response.status_code, 404, slug)

    def test_application_creates_a_submitted_case(self):
        self.authenticate("gsc_portal", "gsc_portal")
        tokens, html = self.public_form(self.apply_url)
        self.assertIn('value="13912345678"', html)  # prefilled from the partner
        response = self.post_public_form(
            self.apply_url, self._apply_data(), tokens=tokens, files=self._apply_files()
        )
        self.assertEqual(response.status_code, 200)
        case = self.Case.search([("partner_id", "=", self.user_portal.partner_id.id)])
        self.assertEqual(len(case), 1)
        self.assertIn(case.name, response.text)
        self.assertIn(f"/cases/track?number={case.name}", response.text)
        self.assertEqual(case.state, "submitted")
        self.assertEqual(case.channel, "online")
        self.assertEqual(case.item_id, self.item)
        self.assertEqual(case.submission_key, tokens["gov_submission_key"])
        self.assertTrue(case.date_received)
        received = case.material_line_ids.filtered(lambda line: line.state == "received")
        self.assertEqual(set(received.mapped("name")), {"Application Form", "Site Plan"})
        self.assertEqual(case.missing_material_count, 2)
        for line in received:
            self.assertEqual(len(line.attachment_ids), 1)
            self.assertEqual(line.attachment_ids.res_model, "gov.case.material")
            self.assertEqual(line.attachment_ids.res_id, line.id)
        self.assertEqual(received.attachment_ids.sorted("name").mapped("raw"), [PDF, PNG])

    def test_double_submission_creates_one_case(self):
        self.authenticate("gsc_portal", "gsc_portal")
        tokens, _html = self.public_form(self.apply_url)
        first = self.post_public_form(
            self.apply_url, self._apply_data(), tokens=tokens, files=self._apply_files()
        )
        second = self.post_public_form(
            self.apply_url, self._apply_data(), tokens=tokens, files=self._apply_files()
        )
        self.assertEqual((first.status_code, second.status_code), (200, 200))
        case = self.Case.search([("partner_id", "=", self.user_portal.partner_id.id)])
        self.assertEqual(len(case), 1)
        self.assertIn(case.name, second.text)

    def test_file_of_wrong_type_is_refused(self):
        self.authenticate("gsc_portal", "gsc_portal")
        attachments_before = self.env["ir.attachment"].sudo().search_count([])
        material = self._material("Site Plan")
        for name, content in (("plan.txt", b"hello"), ("plan.pdf", b"MZ\x90\x00 not a pdf"),
                              ("plan.exe", PDF)):
            response = self.post_public_form(
                self.apply_url, self._apply_data(), form_url=self.apply_url,
                files={f"material_{material.id}": (name, content, "application/octet-stream")},
            )
            self.assertEqual(response.status_code, 400, name)
            self.assertIn("Site Plan", response.text)
            self.assertIn("PDF, JPG or PNG", response.text)
        self.assertFalse(self.Case.search_count([("partner_id", "=", self.user_portal.partner_id.id)]))
        self.assertEqual(self.env["ir.attachment"].sudo().search_count([]), attachments_before)

    def test_identity_errors_are_shown_on_the_form(self):
        self.authenticate("gsc_portal", "gsc_portal")
        counter_before = self.env["gov.case.counter"].sudo().search_read([], ["date", "last"])
        response = self.post_public_form(
            self.apply_url, self._apply_data(applicant_id_number="110105194912310021"),
            files=self._apply_files(),
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("o_gov_case_apply_error", response.text)
        self.assertIn("110105194912310021", response.text)
        self.assertIn("GB 11643", response.text)
        response = self.post_public_form(
            self.apply_url,
            self._apply_data(applicant_type="organization", applicant_uscc="91350100M000100Y44"),
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("GB 32100", response.text)
        response = self.post_public_form(self.apply_url, self._apply_data(contact_phone="123"))
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.Case.search_count([("partner_id", "=", self.user_portal.partner_id.id)]))
        self.assertFalse(self.env["ir.attachment"].sudo().search_count(
            [("res_model", "=", "gov.case.material")]
        ))
        self.assertEqual(self.env["gov.case.counter"].sudo().search_read([], ["date", "last"]), counter_before)

    def test_identity_errors_in_chinese(self):
        lang = self.env["res.lang"]._activate_lang("zh_CN")
        self.env["website"].get_current_website().language_ids = [(4, lang.id)]
        self.env["ir.module.module"]._load_module_terms(
            ["gov_service_center"], ["zh_CN"], overwrite=True
        )
        self.authenticate("gsc_portal", "gsc_portal")
        url = f"/zh_CN{self.apply_url}"
        response = self.post_public_form(
            url, self._apply_data(applicant_id_number="110105194912310021"),
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("身份证号码 110105194912310021", response.text)
        response = self.post_public_form(
            url, self._apply_data(),
            files={f"material_{self._material('Site Plan').id}": ("a.txt", b"x", "text/plain")},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("Site Plan", response.text)
        self.assertIn("PDF、JPG 或 PNG", response.text)
        self.assertFalse(self.Case.search_count([("partner_id", "=", self.user_portal.partner_id.id)]))

    def test_honeypot_writes_nothing(self):
        self.authenticate("gsc_portal", "gsc_portal")
        response = self.post_public_form(
            self.apply_url, self._apply_data(gov_website="http://spam.example"),
            files=self._apply_files(),
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(self.Case.search_count([("partner_id", "=", self.user_portal.partner_id.id)]))

    def test_unknown_fields_and_expired_forms_are_refused(self):
        self.authenticate("gsc_portal", "gsc_portal")
        response = self.post_public_form(self.apply_url, self._apply_data(state="accepted"))
        self.assertEqual(response.status_code, 400)
        response = self.post_public_form(
            self.apply_url, self._apply_data(), drop=("gov_submission_key",)
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.Case.search_count([("partner_id", "=", self.user_portal.partner_id.id)]))


@tagged("post_install", "-at_install")
class TestCasePortal(CaseWebsiteCase):
    def _supplement_case(self):
        case = self._owned_case()
        case.material_line_ids.filtered(lambda l: l.name == "Application Form").action_mark_received()
        case.action_submit()
        case.action_request_supplement()
        self.assertEqual(case.state, "supplement")
        return case

    def test_portal_home_counter(self):
        self._owned_case()
        self._owned_case(user=self.user_portal_other)
        self.authenticate("gsc_portal", "gsc_portal")
        response = self.url_open("/my/home")
        self.assertEqual(response.status_code, 200)
        self.assertIn("/my/cases", response.text)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["case_count"]})
        self.assertEqual(counters["case_count"], 1)

    def test_my_cases_list_and_access(self):
        mine = self._owned_case()
        theirs = self._owned_case(user=self.user_portal_other)
        # public: login first
        response = self.url_open(f"/my/cases/{mine.id}", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])
        # the owner
        self.authenticate("gsc_portal", "gsc_portal")
        response = self.url_open("/my/cases")
        self.assertEqual(response.status_code, 200)
        self.assertIn(mine.name, response.text)
        self.assertNotIn(theirs.name, response.text)
        response = self.url_open(f"/my/cases/{mine.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(mine.name, response.text)
        self.assertIn("o_gov_case_line_missing", response.text)
        # another portal user, with or without the access token
        self.assertEqual(self.url_open(f"/my/cases/{theirs.id}").status_code, 404)
        token = theirs._portal_ensure_token()
        self.assertEqual(
            self.url_open(f"/my/cases/{theirs.id}?access_token={token}").status_code, 404
        )
        for bad in ("0", "99999999", "2147483648"):
            self.assertIn(self.url_open(f"/my/cases/{bad}").status_code, (404,), bad)
        # internal users: the officer of the department reads cases in the
        # back office, not as an applicant
        self.authenticate("gsc_officer", "gsc_officer")
        self.assertEqual(self.url_open(f"/my/cases/{mine.id}").status_code, 404)
        self.authenticate("gsc_internal", "gsc_internal")
        self.assertEqual(self.url_open(f"/my/cases/{mine.id}").status_code, 404)
        response = self.url_open("/my/cases")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(mine.name, response.text)

    def test_detail_shows_timeline_and_deadlines(self):
        case = self._owned_case()
        self._receive_all(case)
        case.action_submit()
        case.action_accept()
        self.authenticate("gsc_portal", "gsc_portal")
        response = self.url_open(f"/my/cases/{case.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Application accepted", response.text)
        self.assertIn("Review", response.text)  # current step
        self.assertIn("o_gov_case_withdraw", response.text)

    def test_supplement_from_the_portal(self):
        case = self._supplement_case()
        lines = case.material_line_ids.filtered(lambda l: l.state == "missing")
        self.assertEqual(len(lines), 3)
        site_plan = lines.filtered(lambda l: l.name == "Site Plan")
        self.authenticate("gsc_portal", "gsc_portal")
        detail = f"/my/cases/{case.id}"
        self.assertIn("o_gov_case_supplement_form", self.url_open(detail).text)
        # a file of the wrong type: nothing written
        response = self.url_open(
            f"{detail}/supplement", data={"csrf_token": self._csrf(detail)},
            files={f"line_{site_plan.id}": ("plan.txt", b"plain", "text/plain")},
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(site_plan.state, "missing")
        self.assertFalse(site_plan.attachment_ids)
        # one material: the case still waits for the others
        response = self.url_open(
            f"{detail}/supplement", data={"csrf_token": self._csrf(detail)},
            files={f"line_{site_plan.id}": ("plan.pdf", PDF, "application/pdf")},
        )
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(site_plan.state, "supplemented")
        self.assertEqual(site_plan.attachment_ids.res_model, "gov.case.material")
        self.assertEqual(case.state, "supplement")
        # the others: back to review
        rest = lines - site_plan
        response = self.url_open(
            f"{detail}/supplement", data={"csrf_token": self._csrf(detail)},
            files={f"line_{line.id}": (f"{line.id}.pdf", PDF, "application/pdf") for line in rest},
        )
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(set(lines.mapped("state")), {"supplemented"})
        self.assertEqual(case.state, "submitted")
        # nothing to supplement anymore
        response = self.url_open(
            f"{detail}/supplement", data={"csrf_token": self._csrf(detail)},
            files={f"line_{site_plan.id}": ("plan.pdf", PDF, "application/pdf")},
        )
        self.assertEqual(response.status_code, 409)

    def test_supplement_by_another_user_is_404(self):
        case = self._supplement_case()
        line = case.material_line_ids.filtered(lambda l: l.state == "missing")[:1]
        self.authenticate("gsc_case_portal2", "gsc_case_portal2")
        response = self.url_open(
            f"/my/cases/{case.id}/supplement", data={"csrf_token": self._csrf("/cases/track")},
            files={f"line_{line.id}": ("a.pdf", PDF, "application/pdf")},
        )
        self.assertEqual(response.status_code, 404)
        self.env.invalidate_all()
        self.assertEqual(line.state, "missing")
        self.assertFalse(line.attachment_ids)

    def test_withdraw(self):
        case = self._owned_case()
        case.action_submit()
        other = self._owned_case(user=self.user_portal_other)
        other.action_submit()
        self.authenticate("gsc_portal", "gsc_portal")
        detail = f"/my/cases/{case.id}"
        # without the confirmation: refused
        response = self.url_open(f"{detail}/withdraw", data={"csrf_token": self._csrf(detail)})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(case.state, "submitted")
        # someone else's case
        response = self.url_open(
            f"/my/cases/{other.id}/withdraw",
            data={"csrf_token": self._csrf(detail), "confirm": "1"},
        )
        self.assertEqual(response.status_code, 404)
        self.env.invalidate_all()
        self.assertEqual(other.state, "submitted")
        response = self.url_open(
            f"{detail}/withdraw",
            data={"csrf_token": self._csrf(detail), "confirm": "1", "reason": "申请有误"},
        )
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(case.state, "withdrawn")
        self.assertEqual(case.withdrawal_reason, "申请有误")
        self.assertIn("Application withdrawn", response.text)
        self.assertNotIn("o_gov_case_withdraw", response.text)
        # once withdrawn (or decided): no more
        response = self.url_open(
            f"{detail}/withdraw", data={"csrf_token": self._csrf("/cases/track"), "confirm": "1"},
        )
        self.assertEqual(response.status_code, 409)


@tagged("post_install", "-at_install")
class TestCaseTrack(CaseWebsiteCase):
    def _track(self, number, verifier):
        return self.url_open(
            "/cases/track",
            data={"csrf_token": self._csrf("/cases/track"), "number": number, "verifier": verifier},
        )

    def test_prefilled_number(self):
        response = self.url_open("/cases/track?number=511400202603020001")
        self.assertEqual(response.status_code, 200)
        self.assertIn('value="511400202603020001"', response.text)
        response = self.url_open("/cases/track?number=" + "9" * 5000)
        self.assertIn(response.status_code, (200, 400, 414))

    def test_track_shows_progress_without_personal_data(self):
        case = self._owned_case(contact_email="zhang@example.com")
        self._receive_all(case)
        case.action_submit()
        case.action_accept()
        case.action_next_step()  # review done, expert review (paused)
        response = self._track(case.name, "8000")
        self.assertEqual(response.status_code, 200)
        html = response.text
        self.assertIn("o_gov_case_track_result", html)
        self.assertIn("Application received", html)
        self.assertIn("Application accepted", html)
        self.assertIn("Step done: Review", html)
        self.assertIn("Paused: Expert Review", html)
        self.assertIn("Expert Review", html)
        self.assertIn(str(case.date_deadline), html)
        for secret in ("张三", VALID_ID_NUMBER, "13800138000", "zhang@example.com"):
            self.assertNotIn(secret, html)
        # the number with blanks, as read from paper
        self.assertIn("o_gov_case_track_result", self._track(f" {case.name[:6]} {case.name[6:]} ", "8000").text)

    def test_wrong_digits_not_found_and_throttled(self):
        self.env["ir.config_parameter"].set_param("gov_service_center.form_ip_per_10_minutes", "3")
        case = self._owned_case()
        case.action_submit()
        for verifier in ("0000", "1234", ""):
            response = self._track(case.name, verifier)
            self.assertEqual(response.status_code, 200)
            self.assertIn("o_gov_case_not_found", response.text)
            self.assertNotIn("o_gov_case_track_result", response.text)
        # too many failed look-ups from this address: even the right answer waits
        response = self._track(case.name, "8000")
        self.assertEqual(response.status_code, 429)
        self.assertEqual(self.env["gov.form.submission"].sudo().search_count(
            [("form_key", "=", "case_track")]
        ), 3)

    @mute_logger("odoo.addons.gov_service_center.controllers.form_guard", "odoo.http")
    def test_any_input_never_5xx(self):
        self.env["ir.config_parameter"].set_param("gov_service_center.form_ip_per_10_minutes", "1000")
        self.env["ir.config_parameter"].set_param("gov_service_center.form_ip_per_day", "1000")
        inputs = [
            "x" * 64, "x" * 65, "9" * 10000, "办件编号", "' OR 1=1 --", "\"; DROP TABLE gov_case;",
            "%", "_", "\\", "\x00", "😀" * 10, " ", "", "<script>alert(1)</script>",
        ]
        for value in inputs:
            for data in ({"number": value, "verifier": "1234"}, {"number": "1", "verifier": value}):
                response = self.url_open(
                    "/cases/track", data={"csrf_token": self._csrf("/cases/track"), **data}
                )
                self.assertLess(response.status_code, 500, repr(value))
                if response.status_code == 200:
                    self.assertIn("o_gov_case_not_found", response.text)
        response = self.url_open(
            "/cases/track", data={"csrf_token": self._csrf("/cases/track"), "number": "1",
                                  "verifier": "1", "other": "x"},
        )
        self.assertEqual(response.status_code, 400)
        response = self.url_open(
            "/cases/track", data={"csrf_token": self._csrf("/cases/track"), "number": "1" * 20000},
        )
        self.assertEqual(response.status_code, 413)

    def test_find_by_case_number(self):
        case = self._new_case()
        Case = self.env["gov.case"]
        self.assertEqual(Case._find_by_case_number(case.name, "8000"), case)
        self.assertFalse(Case._find_by_case_number(case.name, "800"))
        self.assertFalse(Case._find_by_case_number(case.name, None))
        self.assertFalse(Case._find_by_case_number(None, "8000"))
        self.assertFalse(Case._find_by_case_number("x" * 100, "8000"))


@tagged("post_install", "-at_install")
class TestCaseRating(CaseWebsiteCase):
    def _delivered_case(self, **vals):
        case = self._owned_case(user_id=self.user_officer.id, **vals)
        self._receive_all(case)
        case.action_submit()
        case.action_accept()
        case.action_next_step()
        case.action_next_step()
        case.action_approve()
        case.action_deliver()
        self.assertEqual(case.state, "delivered")
        return case

    def test_delivery_invites_to_rate(self):
        case = self._delivered_case(contact_email="zhang@example.com")
        url = case._gov_rating_url()
        self.assertTrue(url.endswith(f"/service-rating?case={case.access_token}"))
        message = case.message_ids.filtered(lambda m: url in (m.body or ""))
        self.assertEqual(len(message), 1)
        self.assertEqual(message.partner_ids, self.user_portal.partner_id)
        mail = self.env["mail.mail"].sudo().search([("email_to", "=", "zhang@example.com"),
                                                    ("res_id", "=", case.id),
                                                    ("model", "=", "gov.case")])
        self.assertEqual(len(mail), 1)
        self.assertIn(url, mail.body_html)
        # no link before delivery
        self.assertFalse(self._owned_case()._gov_rating_url())

    def test_one_rating_per_case(self):
        case = self._delivered_case()
        url = f"/service-rating?case={case.access_token}"
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn(case.name, response.text)
        response = self.post_public_form("/service-rating", {"case": case.access_token,
                                                             "level": "5", "comment": "很好"},
                                         form_url=url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_gov_service_rating_thanks", response.text)
        rating = self.env["gov.service.rating"].sudo().search([("case_id", "=", case.id)])
        self.assertEqual(len(rating), 1)
        self.assertEqual(rating.item_id, self.item)
        self.assertEqual(rating.department_id, case.department_id)
        self.assertEqual(rating.officer_id, self.user_officer)
        self.assertEqual(rating.employee_id.user_id, self.user_officer)
        self.assertEqual(rating.channel, "website")
        self.assertEqual(rating.ticket_ref, case.name)
        # a second rating of the case: 409, nothing written
        self.assertEqual(self.url_open(url).status_code, 409)
        other = self._delivered_case()
        tokens, _html = self.public_form(f"/service-rating?case={other.access_token}")
        response = self.post_public_form(
            "/service-rating", {"case": case.access_token, "level": "1"}, tokens=tokens
        )
        self.assertEqual(response.status_code, 409)
        self.assertIn("o_gov_service_rating_already", response.text)
        self.assertEqual(self.env["gov.service.rating"].sudo().search_count(
            [("case_id", "=", case.id)]), 1)

    def test_rating_links_not_valid(self):
        case = self._owned_case()
        case.action_submit()
        token = case._portal_ensure_token()
        self.assertEqual(self.url_open(f"/service-rating?case={token}").status_code, 409)
        self.assertEqual(self.url_open("/service-rating?case=not-a-token-at-all").status_code, 404)
        self.assertEqual(self.url_open("/service-rating?case=' OR 1=1").status_code, 404)

    def test_rating_model_one_per_case(self):
        case = self._delivered_case()
        Rating = self.env["gov.service.rating"].sudo()
        Rating.create({"level": 4, "case_id": case.id, "channel": "website"})
        with self.assertRaises(Exception), mute_logger("odoo.sql_db"), self.cr.savepoint():
            Rating.create({"level": 2, "case_id": case.id, "channel": "website"})
        undelivered = self._owned_case()
        with self.assertRaises(ValidationError):
            Rating.create({"level": 4, "case_id": undelivered.id, "channel": "website"})
