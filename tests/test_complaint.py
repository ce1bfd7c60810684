# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import GovServiceCenterCase, PublicFormMixin, make_uscc, website_in_english


@tagged("post_install", "-at_install")
class TestComplaint(GovServiceCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Complaint = cls.env["gov.complaint"]
        # a plain week: Monday 2025-03-03 to Friday 2025-03-07
        cls.env["ir.config_parameter"].sudo().set_param(
            "gov_service_center.complaint_deadline_days", 15
        )

    def _complaint(self, **vals):
        return self.Complaint.create(
            dict(
                {
                    "name": "Survey delayed",
                    "description": "The survey report is 40 days late.",
                    "complainant_phone": "13800000000",
                    "department_id": self.dept_a.id,
                    "date_received": date(2025, 3, 3),
                },
                **vals,
            )
        )

    def test_deadline_in_working_days(self):
        complaint = self._complaint()
        Calendar = self.env["gov.calendar.day"]
        self.assertEqual(complaint.date_deadline, Calendar.add_working_days(date(2025, 3, 3), 15))
        # 15 working days from a Monday without holidays: three weeks later
        self.assertEqual(Calendar.working_days_between(date(2025, 3, 3), complaint.date_deadline), 15)
        self.env["ir.config_parameter"].sudo().set_param(
            "gov_service_center.complaint_deadline_days", 5
        )
        short = self._complaint()
        self.assertEqual(short.date_deadline, Calendar.add_working_days(date(2025, 3, 3), 5))
        # garbage in the setting falls back to 15
        self.env["ir.config_parameter"].sudo().set_param(
            "gov_service_center.complaint_deadline_days", "abc"
        )
        self.assertEqual(self._complaint().date_deadline, complaint.date_deadline)

    def test_workflow_and_overdue(self):
        complaint = self._complaint()
        with freeze_time(complaint.date_deadline):
            self.assertFalse(complaint.is_overdue)
            complaint.invalidate_recordset(["is_overdue"])
        with freeze_time("2025-12-31"):
            complaint.invalidate_recordset(["is_overdue"])
            self.assertTrue(complaint.is_overdue)
            self.assertIn(complaint, self.Complaint.search([("is_overdue", "=", True)]))
            self.assertNotIn(complaint, self.Complaint.search([("is_overdue", "=", False)]))
        with self.assertRaises(UserError):
            complaint.action_dispose()
        complaint.action_investigate()
        self.assertEqual(complaint.user_id, self.env.user)
        with self.assertRaisesRegex(UserError, "outcome"):
            complaint.action_dispose()
        complaint.outcome = "Warning issued"
        complaint.action_dispose()
        with self.assertRaisesRegex(UserError, "reply"):
            complaint.action_reply()
        complaint.reply = "We warned the provider."
        complaint.action_reply()
        complaint.action_close()
        self.assertEqual(complaint.state, "closed")
        with freeze_time("2025-12-31"):
            complaint.invalidate_recordset(["is_overdue"])
            self.assertFalse(complaint.is_overdue)
            self.assertIn(complaint, self.Complaint.search([("is_overdue", "=", False)]))

    def test_never_deleted(self):
        complaint = self._complaint()
        with self.assertRaisesRegex(UserError, "never deleted"):
            complaint.unlink()
        with self.assertRaises(AccessError):
            complaint.with_user(self.user_admin).unlink()

    @mute_logger("odoo.sql_db")
    def test_query_code_unique(self):
        first, second = self._complaint(), self._complaint()
        self.assertNotEqual(first.query_code, second.query_code)
        self.assertEqual(len(first.query_code), 10)
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            second.query_code = first.query_code
            second.flush_recordset()

    def test_website_needs_contact(self):
        with self.assertRaisesRegex(ValidationError, "phone"):
            self._complaint(channel="website", complainant_phone=False)

    def test_access(self):
        own = self._complaint(department_id=self.dept_a_sub.id)
        other = self._complaint(department_id=self.dept_b.id)
        # officer A reads all, edits only A (and its sub-departments)
        officer = self.Complaint.with_user(self.user_officer)
        self.assertEqual(officer.search([("id", "in", (own | other).ids)]), own | other)
        own.with_user(self.user_officer).write({"outcome": "Checked"})
        with self.assertRaises(AccessError):
            other.with_user(self.user_officer).write({"outcome": "Checked"})
        other.with_user(self.user_officer_b).write({"outcome": "Checked"})
        with self.assertRaises(AccessError):
            officer.create({"name": "X", "description": "Y", "department_id": self.dept_b.id})
        officer.create({"name": "X", "description": "Y", "department_id": self.dept_a.id})
        for user in (self.user_viewer, self.user_inspector):
            self.assertEqual(
                self.Complaint.with_user(user).search([("id", "in", (own | other).ids)]),
                own | other,
            )
            with self.assertRaises(AccessError):
                own.with_user(user).write({"outcome": "x"})
        for user in (self.user_internal, self.user_portal, self.user_public):
            with self.assertRaises(AccessError):
                self.Complaint.with_user(user).search([])
        other.with_user(self.user_admin).write({"reply": "Done"})


@tagged("post_install", "-at_install")
class TestComplaintWebsite(PublicFormMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        website_in_english(cls.env)  # the texts checked below are English
        cls.env["ir.config_parameter"].sudo().set_param(
            "gov_service_center.form_min_fill_seconds", 0
        )
        service_type = cls.env["gov.intermediary.service.type"].create(
            {"name": "GscCmp Type", "code": "GSCCMP"}
        )
        cls.provider = cls.env["gov.intermediary"].create(
            {
                "name": "GscCmp Public Provider",
                "uscc": make_uscc(8801),
                "filing_state": "filed",
                "website_published": True,
                "service_type_ids": [(6, 0, service_type.ids)],
            }
        )
        cls.hidden = cls.env["gov.intermediary"].create(
            {"name": "GscCmp Hidden Provider", "uscc": make_uscc(8802)}
        )

    def _form(self):
        tokens, html = self.public_form("/complaint")
        self.assertIn("GscCmp Public Provider", html)
        self.assertNotIn("GscCmp Hidden Provider", html)
        tokens.pop("gov_captcha", None)
        return tokens

    def _post(self, data, files=None):
        return self.url_open(
            "/complaint", data=data, files=files, allow_redirects=False, timeout=60
        )

    def test_submit(self):
        Complaint = self.env["gov.complaint"]
        before = Complaint.search_count([])
        data = dict(
            self._form(),
            name="Provider asked for extra fees",
            description="They asked for 2000 yuan more than agreed.",
            complainant_name="Li Hua",
            complainant_phone="13912345678",
            intermediary_id=str(self.provider.id),
            keep_anonymous="1",
        )
        response = self._post(data, files={"attachments": ("proof.pdf", b"%PDF-1.4 test", "application/pdf")})
        self.assertEqual(response.status_code, 200, response.text[:500])
        complaint = Complaint.search([], order="id desc", limit=1)
        self.assertEqual(Complaint.search_count([]), before + 1)
        self.assertIn(complaint.query_code, response.text)
        self.assertEqual(complaint.channel, "website")
        self.assertEqual(complaint.intermediary_id, self.provider)
        self.assertTrue(complaint.keep_anonymous)
        self.assertEqual(complaint.complainant_phone, "13912345678")
        self.assertEqual(complaint.attachment_ids.name, "proof.pdf")
        self.assertEqual(complaint.state, "new")
        self.assertIn('href="/complaint/track"', response.text)

    def test_bad_input_writes_nothing(self):
        Complaint = self.env["gov.complaint"]
        before = Complaint.search_count([])
        base = dict(name="Subject", description="Text", complainant_phone="13900000000")
        cases = [
            dict(base, name=""),
            dict(base, complainant_phone=""),
            dict(base, intermediary_id=str(self.hidden.id)),
            dict(base, intermediary_id="abc"),
            dict(base, state="closed"),
            dict(base, query_code="AAAA"),
            dict(base, description="x" * 6000),
            dict(base, name="bad\x00"),
        ]
        for values in cases:
            with self.subTest(values={k: v[:20] for k, v in values.items()}):
                response = self._post(dict(self._form(), **values))
                self.assertIn(response.status_code, (400, 429))
                self.assertNotIn("Traceback", response.text)
        # bad timestamp and missing CSRF token
        response = self._post(dict(base, csrf_token=self._form()["csrf_token"], gov_form_ts="1.x"))
        self.assertEqual(response.status_code, 400)
        response = self._post(dict(base, gov_form_ts=self._form()["gov_form_ts"]))
        self.assertIn(response.status_code, (400, 403))
        # a file that is not what it claims
        response = self._post(
            dict(self._form(), **base),
            files={"attachments": ("fake.pdf", b"MZ\x90\x00", "application/pdf")},
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(Complaint.search_count([]), before)

    def test_honeypot(self):
        Complaint = self.env["gov.complaint"]
        before = Complaint.search_count([])
        response = self._post(
            dict(self._form(), name="Spam", description="Spam", complainant_phone="13900000001",
                 gov_website="http://spam.example")
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Complaint.search_count([]), before)

    # ------------------------------------------------------------------
    # /complaint/track
    # ------------------------------------------------------------------
    def _complaint(self, **vals):
        values = {
            "name": "GscCmp tracked complaint",
            "description": "Secret details of the complaint",
            "channel": "website",
            "complainant_name": "Zhao Liu",
            "complainant_phone": "13812349876",
            "complainant_email": "zhao@example.com",
            "intermediary_id": self.provider.id,
        }
        values.update(vals)
        return self.env["gov.complaint"].create(values)

    def _track(self, code, verifier, **extra):
        return self.post_public_form(
            "/complaint/track", dict({"code": code, "verifier": verifier}, **extra)
        )

    def _reset_guard(self):
        self.env["gov.form.submission"].sudo().search([]).unlink()

    def test_track(self):
        complaint = self._complaint()
        self.assertIn('name="verifier"', self.url_open("/complaint/track").text)
        for code, verifier in (
            (complaint.query_code, "9876"),
            (complaint.query_code.lower(), " ZHAO@example.com "),
            (" ".join(complaint.query_code), "9876"),
        ):
            with self.subTest(code=code, verifier=verifier):
                response = self._track(code, verifier)
                self.assertEqual(response.status_code, 200)
                self.assertIn("GscCmp tracked complaint", response.text)
                self.assertIn("o_gov_complaint_state", response.text)
                for secret in ("Zhao Liu", "13812349876", "zhao@example.com",
                               "Secret details", "GscCmp Public Provider"):
                    self.assertNotIn(secret, response.text)
        self.assertNotIn("o_gov_complaint_reply", response.text, "no reply yet")
        # the reply is shown once given, never the internal outcome
        complaint.write({"user_id": self.env.ref("base.user_admin").id})
        complaint.action_investigate()
        complaint.write({"outcome": "Internal disposal notes"})
        complaint.action_dispose()
        complaint.write({"reply": "We fined the provider."})
        complaint.action_reply()
        response = self._track(complaint.query_code, "9876")
        self.assertIn("We fined the provider.", response.text)
        self.assertNotIn("Internal disposal notes", response.text)
        # wrong second factor or wrong code: the same answer
        self._reset_guard()
        for code, verifier in ((complaint.query_code, "9875"), ("ABCDEFGHJK", "9876"),
                               (complaint.query_code, ""), (complaint.query_code, "13812349876")):
            with self.subTest(code=code, verifier=verifier):
                response = self._track(code, verifier)
                self.assertEqual(response.status_code, 200)
                self.assertNotIn("GscCmp tracked complaint", response.text)
                self.assertIn("No complaint matches", response.text)
            self._reset_guard()

    @mute_logger("odoo.addons.gov_service_center.controllers")
    def test_track_throttled_and_robust(self):
        complaint = self._complaint()
        statuses = [self._track(f"ABCDEFGH{index:02d}", "1234").status_code for index in range(5)]
        self.assertEqual(statuses, [200] * 5)
        # failed look-ups are cut off per address, even the right one then
        response = self._track(complaint.query_code, "9876")
        self.assertEqual(response.status_code, 429)
        self.assertNotIn("GscCmp tracked complaint", response.text)
        for values in (
            {"code": "A\x00B", "verifier": "1"},
            {"code": "A" * 5000, "verifier": "1"},
            {"code": "éééééééééé", "verifier": "é"},
            {"code": complaint.query_code, "verifier": "9876", "unknown": "1"},
            {"code": "", "verifier": ""},
        ):
            with self.subTest(values={k: v[:20] for k, v in values.items()}):
                self._reset_guard()
                response = self._track(**values)
                self.assertIn(response.status_code, (200, 400))
                self.assertNotIn("GscCmp tracked complaint", response.text)
        # no form data at all: a page, not a server error
        self._reset_guard()
        tokens, _html = self.public_form("/complaint/track")
        response = self.url_open("/complaint/track", data=tokens, allow_redirects=False)
        self.assertLess(response.status_code, 500)
