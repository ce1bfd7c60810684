# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The shared protection of the public forms under concurrency and replays:
rate limits that hold under simultaneous requests, one-time captchas and
submission keys, idempotent forms, body limits, and the answers given when
the database is unavailable."""
import re
import threading
import uuid
from datetime import timedelta
from unittest.mock import patch

import psycopg2

from odoo import SUPERUSER_ID, api, fields, sql_db
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.gov_service_center.controllers.common import normalize_address
from odoo.addons.gov_service_center.controllers.main import GovServiceItemWebsite

from .common import PublicFormMixin, website_in_english
from .test_service_rating import RatingFixtures

GUARD_LOGGER = "odoo.addons.gov_service_center.controllers"
CODE_RE = re.compile(r'class="o_gov_query_code">([0-9A-Z]{10})<')
PDF = b"%PDF-1.4\n%test\n"


@tagged("post_install", "-at_install")
class TestPublicFormGuard(RatingFixtures, PublicFormMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        website_in_english(cls.env)  # the texts checked below are English
        Department = cls.env["hr.department"]
        cls._rating_setup(
            Department.create({"name": "GscGuard A"}), Department.create({"name": "GscGuard B"})
        )
        cls.dept = Department.create(
            {"name": "GscGuard Bureau", "gov_code": "GG", "gov_is_stationed": True}
        )
        cls.env["ir.config_parameter"].set_param("gov_service_center.form_min_fill_seconds", "0")
        cls.Rating = cls.env["gov.service.rating"].sudo()
        cls.Consultation = cls.env["gov.consultation"].sudo().with_context(active_test=False)
        cls.Complaint = cls.env["gov.complaint"].sudo()
        cls.Submission = cls.env["gov.form.submission"].sudo()

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    RATING_URL = "/service-rating?window=GSCRAT-A1"

    def _rating(self, **values):
        return dict({"window": "GSCRAT-A1", "level": "5", "comment": "Quick"}, **values)

    def _consultation(self, **values):
        return dict(
            {
                "name": "如何办理不动产登记",
                "question": "请问需要准备哪些材料？",
                "contact_name": "李四",
                "contact_phone": "13812345678",
                "department_id": str(self.dept.id),
            },
            **values,
        )

    def _complaint(self, **values):
        return dict(
            {
                "name": "Provider asked for extra fees",
                "description": "They asked for 2000 yuan more than agreed.",
                "complainant_phone": "13912345678",
            },
            **values,
        )

    def _ratings(self):
        self.env.invalidate_all()
        return self.Rating.search_count([("window_id", "=", self.window.id)])

    def _set_param(self, name, value):
        self.env["ir.config_parameter"].set_param(f"gov_service_center.form_{name}", str(value))

    def _earlier_submission(self):
        """A submission of this address earlier today: the forms now ask
        the verification question."""
        self.Submission.create({"form_key": "consultation", "ip": "127.0.0.1"})

    def assertNoServerError(self, responses):
        for response in responses:
            self.assertNotIsInstance(response, Exception, response)
            self.assertLess(response.status_code, 500, response.text[:300])
            self.assertNotIn("Traceback", response.text)

    # ------------------------------------------------------------------
    # rate limits and captcha under simultaneous requests
    # ------------------------------------------------------------------
    @mute_logger(GUARD_LOGGER, "odoo.http")
    def test_rate_limit_holds_under_parallel_posts(self):
        """10 forms, each with its own solved question, each sent twice at
        the same moment in one session: the limit (5 per 10 minutes, one
        used already) lets exactly 4 ratings in."""
        self._set_param("ip_per_10_minutes", 5)
        self._set_param("scope_ip_per_day", 1000)
        self.Submission.create({"form_key": "service_rating", "ip": "127.0.0.1"})
        forms = [self.public_form(self.RATING_URL)[0] for _index in range(10)]
        self.assertTrue(all("gov_captcha" in tokens for tokens in forms))
        payloads = [
            self.public_form_payload(self._rating(comment=f"Rating {index}"), tokens)
            for index, tokens in enumerate(forms)
            for _copy in range(2)
        ]
        before = self._ratings()
        responses = self.post_public_forms_at_once("/service-rating", payloads)
        self.assertNoServerError(responses)
        self.assertEqual(self._ratings(), before + 4)
        self.assertEqual(
            sorted({r.status_code for r in responses}), [200, 429], [r.status_code for r in responses]
        )

    @mute_logger(GUARD_LOGGER, "odoo.http")
    def test_solved_captcha_cannot_be_replayed_in_parallel(self):
        """One form with its solved question sent 15 times at once, with
        different contents: one rating, the other answers show the same
        success page."""
        self._earlier_submission()
        tokens, _html = self.public_form(self.RATING_URL)
        self.assertIn("gov_captcha", tokens)
        payloads = [
            self.public_form_payload(self._rating(comment=f"Copy {index}"), tokens)
            for index in range(15)
        ]
        before = self._ratings()
        responses = self.post_public_forms_at_once("/service-rating", payloads)
        self.assertNoServerError(responses)
        self.assertEqual(self._ratings(), before + 1)
        self.assertEqual({r.status_code for r in responses}, {200})
        for response in responses:
            self.assertIn("o_gov_service_rating_thanks", response.text)

    @mute_logger(GUARD_LOGGER, "odoo.http")
    def test_first_submission_of_the_day_at_once(self):
        """Forms shown without the question (nothing sent yet today) and sent
        at once: only the first goes through without answering one."""
        self._set_param("scope_ip_per_day", 1000)
        forms = [self.public_form(self.RATING_URL)[0] for _index in range(6)]
        self.assertFalse([tokens for tokens in forms if "gov_captcha" in tokens])
        payloads = [self.public_form_payload(self._rating(), tokens) for tokens in forms]
        before = self._ratings()
        responses = self.post_public_forms_at_once("/service-rating", payloads)
        self.assertNoServerError(responses)
        self.assertEqual(self._ratings(), before + 1)
        self.assertEqual(sorted(r.status_code for r in responses), [200] + [400] * 5)

    @mute_logger(GUARD_LOGGER)
    def test_solved_captcha_only_for_its_form(self):
        self._earlier_submission()
        solved, _html = self.public_form(self.RATING_URL)
        response = self.post_public_form("/service-rating", self._rating(), tokens=solved)
        self.assertEqual(response.status_code, 200)
        before = self._ratings()
        for _attempt in range(20):
            other, _html = self.public_form(self.RATING_URL)
            if other["gov_captcha"] != solved["gov_captcha"]:
                break
        response = self.post_public_form(
            "/service-rating",
            self._rating(gov_captcha=solved["gov_captcha"]),
            tokens=other,
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._ratings(), before)

    # ------------------------------------------------------------------
    # idempotent forms
    # ------------------------------------------------------------------
    def test_double_post_shows_the_same_code(self):
        cases = [
            ("/consultation", self._consultation(), self.Consultation),
            ("/complaint", self._complaint(), self.Complaint),
        ]
        for url, data, Model in cases:
            with self.subTest(url=url):
                tokens, _html = self.public_form(url)
                before = Model.search_count([])
                first = self.post_public_form(url, data, tokens=tokens)
                self.assertEqual(first.status_code, 200, first.text[:300])
                code = CODE_RE.search(first.text).group(1)
                # lost answer, double click: the same form once more, even
                # with other contents; no question is asked now either
                second = self.post_public_form(
                    url, dict(data, name=data["name"] + " again"), tokens=tokens
                )
                self.assertEqual(second.status_code, 200, second.text[:300])
                self.assertEqual(CODE_RE.search(second.text).group(1), code)
                self.env.invalidate_all()
                self.assertEqual(Model.search_count([]), before + 1)
                self.assertEqual(Model.search([("query_code", "=", code)]).name, data["name"])
        # the rating form
        tokens, _html = self.public_form(self.RATING_URL)
        before = self._ratings()
        for _copy in range(2):
            response = self.post_public_form("/service-rating", self._rating(), tokens=tokens)
            self.assertEqual(response.status_code, 200)
            self.assertIn("o_gov_service_rating_thanks", response.text)
        self.assertEqual(self._ratings(), before + 1)

    def test_double_post_at_once(self):
        for url, data, Model in (
            ("/consultation", self._consultation(), self.Consultation),
            ("/complaint", self._complaint(), self.Complaint),
        ):
            with self.subTest(url=url):
                self.Submission.search([]).unlink()
                tokens, _html = self.public_form(url)
                payload = self.public_form_payload(data, tokens)
                before = Model.search_count([])
                responses = self.post_public_forms_at_once(url, [payload, payload])
                self.assertNoServerError(responses)
                self.assertEqual([r.status_code for r in responses], [200, 200])
                codes = {CODE_RE.search(r.text).group(1) for r in responses}
                self.assertEqual(len(codes), 1)
                self.assertEqual(Model.search_count([]), before + 1)

    @mute_logger(GUARD_LOGGER)
    def test_submission_key_required_and_signed(self):
        complaint_tokens, _html = self.public_form("/complaint")
        tokens, _html = self.public_form("/consultation")
        before = self.Consultation.search_count([])
        for key in (None, "", "abc", "abc.def", "é.é", complaint_tokens["gov_submission_key"],
                    tokens["gov_submission_key"].split(".")[0] + ".0000"):
            with self.subTest(key=key):
                response = self.post_public_form(
                    "/consultation", self._consultation(gov_submission_key=key), tokens=tokens,
                    drop=("gov_submission_key",) if key is None else (),
                )
                self.assertEqual(response.status_code, 400)
        self.assertEqual(self.Consultation.search_count([]), before)

    # ------------------------------------------------------------------
    # malformed timestamp, body size, addresses
    # ------------------------------------------------------------------
    @mute_logger(GUARD_LOGGER, "odoo.http")
    def test_non_ascii_timestamp_is_400(self):
        cases = [
            ("/consultation", "/consultation", self._consultation()),
            ("/complaint", "/complaint", self._complaint()),
            ("/service-rating", self.RATING_URL, self._rating()),
            ("/intermediaries/apply", "/intermediaries/apply", {"name": "Co"}),
        ]
        for url, form_url, data in cases:
            for stamp in ("1.é", "１２３.abc", "1.\u00a0", "é"):
                with self.subTest(url=url, stamp=stamp):
                    response = self.post_public_form(
                        url, dict(data, gov_form_ts=stamp), form_url=form_url
                    )
                    self.assertEqual(response.status_code, 400)
                    self.assertIn("expired", response.text)

    @mute_logger(GUARD_LOGGER, "odoo.http", "werkzeug")
    def test_large_body_is_413(self):
        before = (self._ratings(), self.Consultation.search_count([]))
        response = self.post_public_form(
            "/service-rating", self._rating(comment="x" * (200 * 1024)), form_url=self.RATING_URL
        )
        self.assertEqual(response.status_code, 413)
        self.assertIn("too large", response.text)
        self.assertNotIn("Traceback", response.text)
        tokens, _html = self.public_form("/consultation")
        response = self.url_open(
            "/consultation",
            data=self.public_form_payload(self._consultation(), tokens),
            files=[("attachments", ("big.pdf", PDF + b"0" * (16 * 1024 * 1024), "application/pdf"))],
            allow_redirects=False,
            timeout=120,
        )
        self.assertEqual(response.status_code, 413)
        self.assertNotIn("Traceback", response.text)
        # a form within the limits is still accepted
        response = self.post_public_form(
            "/consultation", self._consultation(), tokens=tokens,
            files=[("attachments", ("scan.pdf", PDF + b"0" * 1024, "application/pdf"))],
        )
        self.assertEqual(response.status_code, 200, response.text[:300])
        self.assertEqual(
            (self._ratings(), self.Consultation.search_count([])), (before[0], before[1] + 1)
        )

    @mute_logger(GUARD_LOGGER)
    def test_window_rating_limited_per_window_and_address(self):
        self._set_param("scope_ip_per_day", 2)
        statuses = [
            self.post_public_form(
                "/service-rating", self._rating(), form_url=self.RATING_URL
            ).status_code
            for _index in range(3)
        ]
        self.assertEqual(statuses, [200, 200, 429])
        # another window from the same address is still rated
        response = self.post_public_form(
            "/service-rating", self._rating(window="GSCRAT-B1"),
            form_url="/service-rating?window=GSCRAT-B1",
        )
        self.assertEqual(response.status_code, 200)

    def test_addresses_counted_by_ipv6_64(self):
        self.assertEqual(normalize_address("203.0.113.7"), "203.0.113.7")
        self.assertEqual(
            normalize_address("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64"
        )
        self.assertEqual(
            normalize_address("2001:db8:1:2::1"), normalize_address("2001:db8:1:2:ffff::9")
        )
        self.assertNotEqual(
            normalize_address("2001:db8:1:2::1"), normalize_address("2001:db8:1:3::1")
        )
        self.assertEqual(normalize_address("::ffff:198.51.100.4"), "198.51.100.4")
        self.assertEqual(normalize_address("fe80::1%eth0"), "fe80::/64")
        for garbage in ("", None, "not an address", "1.2.3.4.5"):
            self.assertEqual(normalize_address(garbage), "unknown")

    # ------------------------------------------------------------------
    # database unavailable
    # ------------------------------------------------------------------
    @mute_logger("odoo.addons.gov_service_center.models.ir_http", "odoo.http")
    def test_database_unavailable_is_503(self):
        for error in (
            psycopg2.OperationalError("server closed the connection unexpectedly"),
            psycopg2.InterfaceError("connection already closed"),
        ):
            with self.subTest(error=type(error).__name__):
                def fail(controller, *args, **kwargs):
                    raise error

                with patch.object(GovServiceItemWebsite, "_get_catalog_filters", fail):
                    response = self.url_open("/service-items")
                self.assertEqual(response.status_code, 503)
                self.assertEqual(response.headers.get("Retry-After"), "30")
                self.assertIn("服务暂时不可用", response.text)
                self.assertNotIn("Traceback", response.text)
                self.assertNotIn("psycopg2", response.text)
        self.assertEqual(self.url_open("/service-items").status_code, 200)

    # ------------------------------------------------------------------
    # portal pages
    # ------------------------------------------------------------------
    def test_portal_consultation_access_token(self):
        owner = self.env["res.partner"].create({"name": "GscGuard Owner"})
        record = self.env["gov.consultation"].create(
            {"name": "GscGuard shared request", "question": "Which documents?",
             "contact_phone": "13800001111", "department_id": self.dept.id,
             "partner_id": owner.id}
        )
        record._portal_ensure_token()
        new_test_user(self.env, "gscguard_portal", groups="base.group_portal")
        self.authenticate("gscguard_portal", "gscguard_portal")
        url = f"/my/consultations/{record.id}"
        self.assertEqual(self.url_open(url).status_code, 404)
        self.assertEqual(self.url_open(f"{url}?access_token=wrong").status_code, 404)
        response = self.url_open(f"{url}?access_token={record.access_token}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("GscGuard shared request", response.text)


@tagged("post_install", "-at_install")
class TestFormSubmissionLocking(TransactionCase):
    """The limits are checked and the submission inserted under an advisory
    lock, counting on a transaction started once the lock is held: requests
    that took their snapshot before the others committed still see them."""

    def test_parallel_transactions_respect_the_limit(self):
        form_key = f"gov_test_lock_{uuid.uuid4().hex[:12]}"
        limit, workers = 3, 8
        database = sql_db.db_connect(self.cr.dbname)
        barrier = threading.Barrier(workers)
        errors = []

        def submit():
            try:
                with database.cursor() as cr:
                    # the registry is known: no look-up (and lock) of it by name
                    cr.transaction = api.Transaction(self.registry)
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    Submission = env["gov.form.submission"]
                    # the snapshot of a request is taken before the lock
                    Submission.search_count([("form_key", "=", form_key)])
                    barrier.wait(30)
                    Submission._lock([f"gov_form:ip:{form_key}"])
                    since = fields.Datetime.now() - timedelta(minutes=10)
                    [count] = Submission._committed_counts(
                        [{"since": since, "form_key": form_key}]
                    )
                    if count < limit:
                        Submission.create({"form_key": form_key, "ip": "192.0.2.1"})
                    env.flush_all()
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)

        threads = [threading.Thread(target=submit, daemon=True) for _index in range(workers)]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
            self.assertFalse([thread for thread in threads if thread.is_alive()])
            self.assertFalse(errors)
            with database.cursor() as cr:
                cr.execute(
                    "SELECT count(*) FROM gov_form_submission WHERE form_key = %s", [form_key]
                )
                self.assertEqual(cr.fetchone()[0], limit)
        finally:
            with database.cursor() as cr:
                cr.execute("DELETE FROM gov_form_submission WHERE form_key = %s", [form_key])
