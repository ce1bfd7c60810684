# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unittest.mock import patch

from odoo import sql_db
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import PublicFormMixin, template_cache_bypassed, website_in_english

MOBILE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_RE = re.compile(r"(?<!\d)\d{17}[\dXx](?![\dXx])")
CODE_RE = re.compile(r'class="o_gov_query_code">([0-9A-Z]{10})<')
CSRF_TOKEN_RE = re.compile(r"[0-9a-f]{40}o[0-9]*")

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%test\n"
GUARD_LOGGER = "odoo.addons.gov_service_center.controllers"
CONTROLLER = "odoo.addons.gov_service_center.controllers.consultation"

# characters the fuzzer mixes: ASCII, Chinese, controls (incl. NUL), digits
FUZZ_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), max_codepoint=0x9FFF),
    max_size=80,
) | st.text(alphabet="0123456789-@.x\x00 ", max_size=30) | st.just("x" * 2100)


@tagged("post_install", "-at_install")
class TestConsultationWebsite(PublicFormMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        website_in_english(cls.env)  # the texts checked below are English
        Department = cls.env["hr.department"]
        cls.dept = Department.create(
            {"name": "GscCons Housing Bureau", "gov_code": "CH", "gov_is_stationed": True}
        )
        cls.dept_hidden = Department.create({"name": "GscCons Internal Office", "gov_code": "CI"})
        cls.leader = cls.env["gov.mailbox.leader"].create({"name": "GscCons Leader", "title": "Director"})
        cls.user_portal = new_test_user(
            cls.env, "gsc_cons_portal", groups="base.group_portal", name="Portal Citizen",
            email="citizen@example.com",
        )
        cls.user_portal.partner_id.phone = "13900001111"
        cls.user_portal_other = new_test_user(
            cls.env, "gsc_cons_portal2", groups="base.group_portal"
        )
        Param = cls.env["ir.config_parameter"]
        Param.set_param("gov_service_center.form_min_fill_seconds", "0")
        cls.Consultation = cls.env["gov.consultation"].with_context(active_test=False)
        cls.Submission = cls.env["gov.form.submission"]
        cls.Attachment = cls.env["ir.attachment"]

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _form(self, url="/consultation"):
        """GET the form; return its hidden values (and captcha answer)."""
        return self.public_form(url)[0]

    def _valid(self, kind="consultation", **values):
        data = {
            "name": "如何办理不动产登记",
            "question": "请问需要准备哪些材料？",
            "contact_name": "李四",
            "contact_phone": "13812345678",
            "contact_email": "",
            "department_id": str(self.dept.id),
            "is_public": "1",
        }
        if kind == "mailbox":
            data.update(category="complaint", leader_id=str(self.leader.id))
        data.update(values)
        return {key: value for key, value in data.items() if value is not None}

    def _post(self, url="/consultation", data=None, files=None, captcha=True, raw=None,
              tokens=None):
        """POST the form the way a browser does (fresh form and its hidden values)."""
        form_key = "mailbox" if url == "/mailbox" else "consultation"
        if tokens is None:
            tokens = self._form(url)
        payload = self.public_form_payload(
            data if data is not None else self._valid(form_key), tokens, captcha=captcha
        )
        if raw is not None:
            body = "&".join(f"{k}={v}" for k, v in payload.items()).encode() + b"&" + raw
            return self.opener.post(
                self.base_url() + url,
                data=body,
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                allow_redirects=False,
                timeout=30,
            )
        if files:
            files = [(field, upload) for field, uploads in files.items() for upload in uploads]
        return self.url_open(url, data=payload, files=files, allow_redirects=False, timeout=60)

    def _counts(self):
        self.env.invalidate_all()
        return (
            self.Consultation.search_count([]),
            self.Attachment.sudo().search_count([("res_model", "=", "gov.consultation")]),
        )

    def assertNothingWritten(self, before):
        self.assertEqual(self._counts(), before, "a rejected form must write nothing")

    def assertMasked(self, html):
        self.assertFalse(MOBILE_RE.findall(html), "mobile number on a public page")
        self.assertFalse(ID_RE.findall(html), "ID number on a public page")

    def _reset_guard(self):
        self.Submission.sudo().search([]).unlink()

    # ------------------------------------------------------------------
    # forms
    # ------------------------------------------------------------------
    def test_get_forms(self):
        for url in ("/consultation", "/mailbox"):
            with self.subTest(url=url):
                html = self.url_open(url).text
                self.assertIn('name="gov_form_ts"', html)
                self.assertIn('name="gov_website"', html)
                self.assertIn("GscCons Housing Bureau", html)
                self.assertNotIn("GscCons Internal Office", html)
                self.assertMasked(html)
        self.assertIn("GscCons Leader", self.url_open("/mailbox").text)
        self.authenticate("gsc_cons_portal", "gsc_cons_portal")
        html = self.url_open("/consultation").text
        self.assertIn('value="Portal Citizen"', html)
        self.assertIn('value="citizen@example.com"', html)

    def test_submit_consultation(self):
        before = self._counts()
        response = self._post(
            files={"attachments": [("scan.png", PNG, "image/png"), ("form.pdf", PDF, "application/pdf")]}
        )
        self.assertEqual(response.status_code, 200)
        code = CODE_RE.search(response.text).group(1)
        self.assertMasked(response.text)
        record = self.Consultation.search([("query_code", "=", code)])
        self.assertEqual(len(record), 1)
        self.assertEqual(self._counts(), (before[0] + 1, before[1] + 2))
        self.assertEqual(record.kind, "consultation")
        self.assertEqual(record.name, "如何办理不动产登记")
        self.assertEqual(record.sudo().contact_phone, "13812345678")
        self.assertEqual(record.department_id, self.dept)
        self.assertTrue(record.is_public)
        self.assertFalse(record.partner_id)
        self.assertEqual(record.state, "new")
        # mailbox letter from a portal user
        self._reset_guard()
        self.authenticate("gsc_cons_portal", "gsc_cons_portal")
        response = self._post("/mailbox", data=self._valid("mailbox", contact_phone="13900001111"))
        self.assertEqual(response.status_code, 200, response.text[:500])
        letter = self.Consultation.search([("query_code", "=", CODE_RE.search(response.text).group(1))])
        self.assertEqual(letter.kind, "mailbox")
        self.assertEqual(letter.category, "complaint")
        self.assertEqual(letter.leader_id, self.leader)
        self.assertEqual(letter.partner_id, self.user_portal.partner_id)

    @mute_logger(GUARD_LOGGER)
    def test_validation_errors(self):
        cases = [
            ("/consultation", {"name": "短"}),
            ("/consultation", {"contact_phone": "12345"}),
            ("/consultation", {"contact_phone": "", "contact_email": ""}),
            ("/consultation", {"contact_phone": "", "contact_email": "not-an-email"}),
            ("/consultation", {"department_id": str(self.dept_hidden.id)}),
            ("/consultation", {"department_id": "99999999999"}),
            ("/mailbox", {"category": "praise"}),
            ("/mailbox", {"question": "x" * 601}),
            ("/consultation", {"question": "x" * 2001}),
            ("/consultation", {"name": "x" * 51}),
        ]
        for url, values in cases:
            with self.subTest(url=url, values=values):
                self._reset_guard()
                before = self._counts()
                kind = url.strip("/")
                response = self._post(url, data=self._valid(kind, **values))
                self.assertEqual(response.status_code, 400)
                self.assertNothingWritten(before)

    def test_honeypot(self):
        before = self._counts()
        with self.assertLogs(GUARD_LOGGER, logging.INFO) as logs:
            response = self._post(data=self._valid(gov_website="http://spam.example"))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(CODE_RE.search(response.text), "the bot sees a success page")
        self.assertNothingWritten(before)
        self.assertIn("honeypot", "\n".join(logs.output))
        self.assertFalse(self.Submission.sudo().search_count([]), "spam is not counted")

    def test_too_fast(self):
        self.env["ir.config_parameter"].set_param("gov_service_center.form_min_fill_seconds", "600")
        before = self._counts()
        with self.assertLogs(GUARD_LOGGER, logging.INFO) as logs:
            response = self._post()
        self.assertEqual(response.status_code, 400)
        self.assertIn("(fast)", "\n".join(logs.output))
        self.assertNothingWritten(before)

    @mute_logger(GUARD_LOGGER)
    def test_captcha(self):
        self.assertEqual(self._post(captcha=False).status_code, 200)  # first of the day: none
        # second submission of the day: captcha required
        tokens = self._form()
        self.assertIn("gov_captcha", tokens, "the form now asks a question")
        before = self._counts()
        data = self._valid(contact_phone="13800000002")
        self.assertEqual(self._post(data=data, tokens=tokens, captcha=False).status_code, 400)
        self.assertNothingWritten(before)
        tokens = self._form()
        wrong = str(int(tokens["gov_captcha"]) + 1)
        self.assertEqual(self._post(data=dict(data, gov_captcha=wrong), tokens=tokens).status_code, 400)
        self.assertNothingWritten(before)
        # one attempt per question: the right answer after a wrong one is refused
        self.assertEqual(self._post(data=data, tokens=tokens).status_code, 400)
        self.assertNothingWritten(before)
        solved = self._form()
        response = self._post(data=data, tokens=solved)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._counts()[0], before[0] + 1)
        # a solved answer is good for its own form only
        before = self._counts()
        for _attempt in range(20):
            other = self._form()
            if other["gov_captcha"] != solved["gov_captcha"]:
                break
        response = self._post(
            data=dict(data, contact_phone="13800000003", gov_captcha=solved["gov_captcha"]),
            tokens=other,
        )
        self.assertEqual(response.status_code, 400)
        self.assertNothingWritten(before)

    @mute_logger(GUARD_LOGGER)
    def test_burst_limits(self):
        # per IP: 5 per 10 minutes
        statuses = [
            self._post(data=self._valid(contact_phone=f"1380000{index:04d}")).status_code
            for index in range(7)
        ]
        self.assertEqual(statuses, [200] * 5 + [429] * 2)
        response = self._post(data=self._valid(contact_phone="13800009999"))
        self.assertEqual(response.status_code, 429)
        self.assertIn("Too many submissions", response.text)
        # per phone: 3 per day, whatever the IP and the form
        self._reset_guard()
        self.env["ir.config_parameter"].set_param("gov_service_center.form_ip_per_10_minutes", "50")
        statuses = [
            self._post(url, data=self._valid(url.strip("/"), contact_phone="139 1234 5678")).status_code
            for url in ("/consultation", "/mailbox", "/consultation", "/mailbox")
        ]
        self.assertEqual(statuses, [200, 200, 200, 429])

    @mute_logger(GUARD_LOGGER)
    def test_bad_input_400(self):
        cases = {
            "nul": dict(data=self._valid(question="abc\x00def")),
            "long": dict(data=self._valid(question="问" * 20000)),
            "unknown": dict(data=self._valid(is_admin="1")),
            "long-hidden": dict(data=self._valid(gov_captcha="9" * 20000)),
            "utf8": dict(data=self._valid(name=None), raw=b"name=%FF%FE%FDabcdef"),
        }
        for name, kwargs in cases.items():
            with self.subTest(case=name):
                self._reset_guard()
                before = self._counts()
                response = self._post(**kwargs)
                self.assertEqual(response.status_code, 400, name)
                self.assertNothingWritten(before)

    @mute_logger(GUARD_LOGGER)
    def test_attachments(self):
        cases = {
            "magic": [("scan.png", b"GIF89a" + b"\x00" * 20, "image/png")],
            "pdf-as-jpg": [("photo.jpg", PDF, "image/jpeg")],
            "type": [("run.exe", b"MZ\x90\x00", "application/octet-stream")],
            "count": [(f"f{index}.pdf", PDF, "application/pdf") for index in range(4)],
            "size": [("big.pdf", PDF + b"0" * (5 * 1024 * 1024), "application/pdf")],
        }
        for name, files in cases.items():
            with self.subTest(case=name):
                self._reset_guard()
                before = self._counts()
                response = self._post(files={"attachments": files})
                self.assertEqual(response.status_code, 400, name)
                self.assertNothingWritten(before)

    def test_rejections_logged_without_phone(self):
        self.env["ir.config_parameter"].set_param("gov_service_center.form_phone_per_day", "1")
        with self.assertLogs(GUARD_LOGGER, logging.INFO) as logs:
            self._post(data=self._valid(question="abc\x00", contact_phone="13712345678"))
            self._post(data=self._valid(contact_phone="13712345678", extra="1"))
            self._post(data=self._valid(contact_phone="1371234567"))
            self._post(data=self._valid(contact_phone="13712345678"))
            self._post(data=self._valid(contact_phone="13712345678"))  # 429 phone
        output = "\n".join(logs.output)
        self.assertIn("phone-day", output)
        self.assertIn("rejected", output)
        self.assertNotIn("1371234567", output)
        self.assertNotIn("5678", output)
        self.assertFalse(MOBILE_RE.search(output))

    # ------------------------------------------------------------------
    # tracking
    # ------------------------------------------------------------------
    def _create(self, **values):
        vals = {
            "name": "GscCons tracked request",
            "question": "我的手机13812345678，身份证511402199001011234",
            "contact_name": "王五",
            "contact_phone": "13812345678",
            "contact_email": "wang@example.com",
            "department_id": self.dept.id,
        }
        vals.update(values)
        return self.env["gov.consultation"].create(vals)

    def _track(self, code="", verifier="", **extra):
        return self.post_public_form(
            "/consultation/track", dict({"code": code, "verifier": verifier}, **extra)
        )

    def test_track(self):
        record = self._create(answer="请携带身份证511402199001011234办理", is_public=True)
        record.action_answer()
        for verifier in ("5678", "WANG@example.com"):
            with self.subTest(verifier=verifier):
                response = self._track(record.query_code.lower(), verifier)
                self.assertEqual(response.status_code, 200)
                self.assertIn("GscCons tracked request", response.text)
                self.assertIn("请携带身份证", response.text)
                self.assertMasked(response.text)
        self._reset_guard()
        wrong_code = self._track("ABCDEFGHJK", "5678").text
        wrong_verifier = self._track(record.query_code, "5679").text
        for html in (wrong_code, wrong_verifier):
            self.assertNotIn("GscCons tracked request", html)
            self.assertIn("No request matches", html)
        # same page whether the code exists or not
        strip = lambda html: CSRF_TOKEN_RE.sub("", html)  # noqa: E731
        self.assertEqual(strip(wrong_code), strip(wrong_verifier))
        # rating from the tracking page
        response = self._track(record.query_code, "5678", rating="basically_satisfied")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(record.rating, "basically_satisfied")
        with mute_logger(GUARD_LOGGER):
            self.assertEqual(self._track(record.query_code, "5678", rating="satisfied").status_code, 400)
        self.assertEqual(record.rating, "basically_satisfied")

    @mute_logger(GUARD_LOGGER)
    def test_track_throttled(self):
        record = self._create()
        statuses = [
            self._track(f"ABCDEFGH{index:02d}", "1234").status_code for index in range(5)
        ]
        self.assertEqual(statuses, [200] * 5)
        # sequential guesses are cut off, even the right one
        response = self._track(record.query_code, "5678")
        self.assertEqual(response.status_code, 429)
        self.assertNotIn("GscCons tracked request", response.text)
        # bad input
        self._reset_guard()
        for extra in ({"code": "A\x00B"}, {"code": "A" * 5000}, {"unknown": "1"}):
            with self.subTest(extra=extra):
                data = {"code": record.query_code, "verifier": "5678"}
                data.update(extra)
                self.assertEqual(self._track(**data).status_code, 400)

    # ------------------------------------------------------------------
    # published answers
    # ------------------------------------------------------------------
    def _publish(self, count, prefix="GscCons QA"):
        records = self.env["gov.consultation"].create(
            [
                {
                    "name": f"{prefix} {index:03d}",
                    "question": f"张三的电话13812345{index:03d}，身份证51140219900101{index:04d}",
                    "contact_name": "张三丰",
                    "contact_phone": "13812345678",
                    "department_id": self.dept.id,
                    "is_public": True,
                    "answer": "回复：请致电13987654321或携带身份证511402199001011234",
                }
                for index in range(count)
            ]
        )
        records.action_answer()
        records.action_approve_publication()
        return records

    def test_answers_page(self):
        published = self._publish(3)
        hidden = self._create(name="GscCons not consented", answer="x")
        hidden.action_answer()
        not_approved = self._create(name="GscCons not approved", answer="x", is_public=True)
        not_approved.action_answer()
        unanswered = self._create(name="GscCons unanswered", is_public=True)
        html = self.url_open("/consultation/answers").text
        for record in published:
            self.assertIn(record.name, html)
        for record in (hidden, not_approved, unanswered):
            self.assertNotIn(record.name, html)
        self.assertMasked(html)
        self.assertIn("张**", html)
        self.assertNotIn("张三丰", html)
        self.assertIn("138****5000", html)
        # search
        html = self.url_open("/consultation/answers?search=QA+001").text
        self.assertIn("GscCons QA 001", html)
        self.assertNotIn("GscCons QA 002", html)
        for url in ("/consultation/answers?search=%00%ff", "/consultation/answers/page/99999999999",
                    "/consultation/answers?page=abc", "/consultation/answers?search=" + "x" * 5000):
            with self.subTest(url=url):
                self.assertEqual(self.url_open(url).status_code, 200)

    def test_answers_count_capped(self):
        """The archive is counted up to a cap: beyond it the page says "N+"
        and the pager stops there (older answers are found by searching)."""
        self._publish(5)

        def total(html):
            return re.search(r'o_gov_answers_total">([^<]*)<', html).group(1).split()[0]

        with patch(f"{CONTROLLER}.BROWSE_COUNT_LIMIT", 3), patch(f"{CONTROLLER}.ANSWERS_PER_PAGE", 2):
            html = self.url_open("/consultation/answers").text
            self.assertEqual(total(html), "3+")
            self.assertIn("/consultation/answers/page/2", html)
            self.assertNotIn("/consultation/answers/page/3", html)
        with patch(f"{CONTROLLER}.BROWSE_COUNT_LIMIT", 100):
            published = self.env["gov.consultation"].sudo().search_count([("is_published", "=", True)])
            self.assertEqual(total(self.url_open("/consultation/answers").text), str(published))

    def _answers_query_count(self):
        self.url_open("/consultation/answers")
        self.env.flush_all()
        before = sql_db.sql_counter
        with template_cache_bypassed():
            html = self.url_open("/consultation/answers").text
        return sql_db.sql_counter - before, html

    def test_answers_query_count(self):
        self._publish(10)
        count_10, html = self._answers_query_count()
        self.assertEqual(html.count('o_gov_answer"'), 10)
        self._publish(190, prefix="GscCons More")
        count_200, html = self._answers_query_count()
        self.assertEqual(html.count('o_gov_answer"'), 10)
        self.assertMasked(html)
        self.assertEqual(count_10, count_200, "the page must not run more queries with more answers")

    def test_answers_query_count_all_on_one_page(self):
        """Even with every answer on one page the queries do not grow, and a
        per-answer query (an N+1 regression) is caught by the same check."""
        Model = self.env.registry["gov.consultation"]
        original = Model._public_values

        def one_query_per_answer(record):
            record.env.cr.execute("SELECT 1")
            return original(record)

        with patch(f"{CONTROLLER}.ANSWERS_PER_PAGE", 500):
            self._publish(10)
            count_10, html = self._answers_query_count()
            self.assertEqual(html.count('o_gov_answer"'), 10)
            self._publish(50, prefix="GscCons More")
            count_60, html = self._answers_query_count()
            self.assertEqual(html.count('o_gov_answer"'), 60)
            self.assertEqual(count_10, count_60)
            with patch.object(Model, "_public_values", one_query_per_answer):
                count_regression, _html = self._answers_query_count()
        self.assertEqual(count_regression, count_60 + 60, "the check can fail")

    def test_masking_on_every_public_page(self):
        self._publish(2)
        record = self._create()
        pages = [self.url_open(url).text for url in
                 ("/consultation", "/mailbox", "/consultation/track", "/consultation/answers")]
        pages.append(self._track(record.query_code, "5678").text)
        pages.append(self._post().text)
        for html in pages:
            self.assertMasked(html)

    # ------------------------------------------------------------------
    # portal
    # ------------------------------------------------------------------
    def test_portal_my_consultations(self):
        mine = self._create(name="GscCons my request", partner_id=self.user_portal.partner_id.id)
        other = self._create(name="GscCons other request",
                             partner_id=self.user_portal_other.partner_id.id)
        anonymous = self._create(name="GscCons anonymous request")
        response = self.url_open("/my/consultations", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.authenticate("gsc_cons_portal", "gsc_cons_portal")
        html = self.url_open("/my/consultations").text
        self.assertIn("GscCons my request", html)
        self.assertNotIn("GscCons other request", html)
        self.assertNotIn("GscCons anonymous request", html)
        self.assertIn("GscCons my request", self.url_open(f"/my/consultations/{mine.id}").text)
        for record_id in (other.id, anonymous.id, 99999999999):
            with self.subTest(record_id=record_id):
                response = self.url_open(f"/my/consultations/{record_id}")
                self.assertEqual(response.status_code, 404)
        self.assertIn("My Requests", self.url_open("/my/home").text)

    # ------------------------------------------------------------------
    # property-based: no 5xx, and a 4xx writes nothing
    # ------------------------------------------------------------------
    def _fuzz(self, url, payload):
        self._reset_guard()
        before = self._counts()
        with mute_logger(GUARD_LOGGER, "odoo.http"):
            response = self._post(url, data=payload)
        self.assertLess(response.status_code, 500, payload)
        if response.status_code >= 400:
            self.assertNothingWritten(before)
        else:
            self.assertLessEqual(self._counts()[0] - before[0], 1)

    def _fuzz_payloads(self, kind):
        base = self._valid(kind)
        keys = list(base) + ["gov_website", "unknown_field"]
        return st.dictionaries(st.sampled_from(keys), FUZZ_TEXT, max_size=len(keys)).map(
            lambda changes: {**base, **changes}
        )

    def test_fuzz_consultation(self):
        @settings(max_examples=100, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(self._fuzz_payloads("consultation"))
        def run(payload):
            self._fuzz("/consultation", payload)

        run()

    def test_fuzz_mailbox(self):
        @settings(max_examples=100, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(self._fuzz_payloads("mailbox"))
        def run(payload):
            self._fuzz("/mailbox", payload)

        run()

    def test_fuzz_track(self):
        record = self._create()
        record.write({"answer": "ok"})
        record.action_answer()

        @settings(max_examples=100, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(
            st.dictionaries(
                st.sampled_from(["code", "verifier", "rating", "other"]),
                FUZZ_TEXT | st.sampled_from([record.query_code, "5678", "satisfied"]),
            )
        )
        def run(payload):
            self._reset_guard()
            before = self._counts()
            rating = record.rating
            with mute_logger(GUARD_LOGGER, "odoo.http"):
                response = self._track(**payload)
            self.assertLess(response.status_code, 500, payload)
            self.env.invalidate_all()
            if response.status_code >= 400:
                self.assertNothingWritten(before)
                self.assertEqual(record.rating, rating)

        run()
