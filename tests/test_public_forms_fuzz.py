# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Property-based tests of the public POST routes /service-rating,
/complaint and /intermediaries/apply.

Each example GETs the form like a browser (CSRF token, signed timestamp,
one-time submission key and, when asked, the verification question), then POSTs a valid submission in
which some fields are replaced by arbitrary text, bytes (invalid UTF-8), NUL
characters, very long values, repeated keys, unknown fields or an upload.

Invariants: the status is below 500; the body never shows a traceback; a 4xx
writes nothing; a 2xx or 3xx creates at most one record.
"""
import logging
from collections import Counter
from datetime import date
from itertools import count

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import PublicFormMixin, make_uscc

_logger = logging.getLogger(__name__)

GUARD_LOGGER = "odoo.addons.gov_service_center.controllers"
LEAK_MARKERS = ("Traceback", "psycopg2", 'File "/')

EXAMPLES = 60
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)

# text: any character but lone surrogates (they cannot be sent), with
# controls and NUL; short alphabets that look like phones, ids and codes
FUZZ_TEXT = (
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), max_codepoint=0x10FFFF), max_size=60)
    | st.text(alphabet="0123456789-+@.xX\x00 \t\r\n%&=;<>'\"", max_size=30)
    | st.sampled_from(["", " ", "\x00", "0", "-1", "99999999999999999999", "1e3", "%FF%FE",
                       "<script>alert(1)</script>", "' OR 1=1 --", "%s%s%s", "{0}{}",
                       "\u202e\u0644\u0639\u0631\u0628\u064a\u0629", "😀" * 10])
)
# bytes are sent as they are: invalid UTF-8 in the url-encoded or multipart body
FUZZ_BYTES = st.binary(max_size=40)
# above every field limit; the largest one also above the form memory limit
FUZZ_HUGE = st.sampled_from([5001, 20000, 600000]).map(lambda size: "问" * size)
FUZZ_VALUE = (
    FUZZ_TEXT
    | FUZZ_BYTES
    | FUZZ_HUGE
    | st.lists(FUZZ_TEXT | FUZZ_BYTES, min_size=2, max_size=3)  # repeated keys
)
FUZZ_KEY = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), max_codepoint=0x9FFF), min_size=1, max_size=20
)
UPLOAD_NAME = st.tuples(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters='"\\/',
                               max_codepoint=0x9FFF),
        max_size=20,
    ),
    st.sampled_from(["pdf", "png", "jpg", "jpeg", "exe", "PDF", ""]),
).map(lambda parts: f"{parts[0]}.{parts[1]}" if parts[1] else parts[0])
UPLOAD_CONTENT = (
    st.binary(max_size=200)
    | st.sampled_from([b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff"]).flatmap(
        lambda magic: st.binary(max_size=100).map(lambda tail: magic + tail)
    )
)


@tagged("post_install", "-at_install")
class TestPublicFormsFuzz(PublicFormMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        env = cls.env
        Param = env["ir.config_parameter"].sudo()
        # the limits must not hide the checks under test
        for name, value in {
            "min_fill_seconds": 0,
            "ip_per_10_minutes": 1000000,
            "ip_per_day": 1000000,
            "phone_per_day": 1000000,
        }.items():
            Param.set_param(f"gov_service_center.form_{name}", value)

        # service rating: a window with one clerk, and queue tickets
        department = env["hr.department"].create({"name": "GscFuzz Department"})
        cls.zone = env["gov.hall.zone"].create({"name": "GscFuzz Zone", "code": "GSCFZZ"})
        cls.clerk = env["hr.employee"].create(
            {"name": "GscFuzz Clerk", "department_id": department.id}
        )
        cls.window = env["gov.service.window"].create(
            {"name": "GscFuzz Window", "code": "GSCFZ-W1", "zone_id": cls.zone.id,
             "department_id": department.id, "employee_ids": [(6, 0, cls.clerk.ids)]}
        )
        cls.ind_good = env.ref("gov_service_center.rating_indicator_efficient")
        cls.ind_bad = env.ref("gov_service_center.rating_indicator_bad_attitude")
        cls.ind_online = env.ref("gov_service_center.rating_indicator_clear_guide")
        cls.ticket_tokens = []
        cls.ticket_ids = {}
        if "gov.queue.ticket" in env:
            tickets = env["gov.queue.ticket"].sudo().create(
                [
                    {"zone_id": cls.zone.id, "date": date.today(), "sequence_number": 9000 + index}
                    for index in range(3)
                ]
            )
            tickets.write({"state": "done"})  # rated once served
            cls.ticket_tokens = tickets.mapped("access_token")
            cls.ticket_ids = dict(zip(cls.ticket_tokens, tickets.ids))

        # complaint: a published intermediary and a hidden one
        cls.service_type = env["gov.intermediary.service.type"].create(
            {"name": "GscFuzz Type", "code": "GSCFUZZ"}
        )
        cls.provider = env["gov.intermediary"].create(
            {"name": "GscFuzz Public Provider", "uscc": make_uscc(7701), "filing_state": "filed",
             "website_published": True, "service_type_ids": [(6, 0, cls.service_type.ids)]}
        )
        cls.hidden = env["gov.intermediary"].create(
            {"name": "GscFuzz Hidden Provider", "uscc": make_uscc(7702)}
        )
        # fresh valid USCCs for the applications
        cls._uscc_serials = count(7800)

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def setUp(self):
        super().setUp()
        self.statuses = Counter()

    def _summary(self):
        _logger.info("%s: %d requests, statuses %s", self._testMethodName,
                     sum(self.statuses.values()), dict(sorted(self.statuses.items())))

    def _reset_guard(self):
        self.env["gov.form.submission"].sudo().search([]).unlink()

    def _counts(self):
        self.env.invalidate_all()
        return {
            model: self.env[model].sudo().with_context(active_test=False).search_count([])
            for model in ("gov.service.rating", "gov.complaint", "gov.intermediary", "ir.attachment")
        }

    def _submit(self, form_url, post_url, payload, upload=None):
        files = None
        if upload is not None:
            field, name, content = upload
            files = [(field, (name, content, "application/octet-stream"))]
        return self.post_public_form(post_url, payload, form_url=form_url, files=files)

    def _check(self, model, form_url, post_url, payload, upload=None):
        """Submit and assert the invariants; return the status."""
        self._reset_guard()
        before = self._counts()
        with mute_logger(GUARD_LOGGER, "odoo.http", "werkzeug"):
            response = self._submit(form_url, post_url, payload, upload)
        after = self._counts()
        shown = {key: (value[:40] if isinstance(value, (str, bytes)) else value)
                 for key, value in payload.items()}
        status = response.status_code
        self.statuses[status] += 1
        self.assertLess(status, 500, f"{post_url} {shown} {upload and upload[:2]}")
        for marker in LEAK_MARKERS:
            self.assertNotIn(marker, response.text, f"{post_url} {shown}")
        if status >= 400:
            self.assertEqual(after, before, f"a {status} wrote records: {shown}")
        else:
            self.assertLessEqual(after[model] - before[model], 1, shown)
        return status

    def _fuzzed(self, base, keys):
        """Valid ``base`` values, some of them replaced, some keys added."""
        # a few changes per example, so that many examples stay valid enough
        # to reach the record creation
        changes = (
            st.dictionaries(st.sampled_from(keys), FUZZ_TEXT, max_size=1)
            | st.dictionaries(st.sampled_from(keys) | FUZZ_KEY, FUZZ_VALUE, max_size=3)
        )
        removed = st.just(set()) | st.sets(st.sampled_from(sorted(base)), max_size=2)
        return st.tuples(changes, removed).map(
            lambda parts: {
                **{key: value for key, value in base.items() if key not in parts[1]},
                **parts[0],
            }
        )

    @staticmethod
    def _uploads(field):
        return st.none() | st.tuples(st.sampled_from([field, "other_file"]), UPLOAD_NAME, UPLOAD_CONTENT)

    # ------------------------------------------------------------------
    # the valid submissions pass (the properties are not vacuous)
    # ------------------------------------------------------------------
    def _rating_base(self):
        return {"window": self.window.code, "level": "5", "indicator_ids": str(self.ind_good.id),
                "comment": "办事很快", "rater_name": "张三", "rater_phone": "13900000000"}

    def _complaint_base(self):
        return {"name": "Extra fees asked", "description": "They asked for 2000 yuan more.",
                "complainant_name": "李华", "complainant_phone": "13912345678",
                "complainant_email": "", "intermediary_id": str(self.provider.id),
                "keep_anonymous": "1"}

    def _apply_base(self):
        return {"name": "GscFuzz New Co", "uscc": make_uscc(next(self._uscc_serials)),
                "legal_representative": "周", "contact_name": "王", "phone": "13812340000",
                "email": "co@example.com", "address": "眉山市东坡区",
                "service_type_ids": str(self.service_type.id)}

    def test_valid_submissions(self):
        form = f"/service-rating?window={self.window.code}"
        cases = [
            ("gov.service.rating", form, "/service-rating", self._rating_base()),
            ("gov.complaint", "/complaint", "/complaint", self._complaint_base()),
            ("gov.intermediary", "/intermediaries/apply", "/intermediaries/apply",
             self._apply_base()),
        ]
        for model, form_url, post_url, payload in cases:
            with self.subTest(route=post_url):
                before = self._counts()[model]
                self.assertEqual(self._check(model, form_url, post_url, payload), 200)
                self.assertEqual(self._counts()[model], before + 1)

    def test_window_rated_twice(self):
        """A window's QR code is rated by many citizens: every valid rating of
        a window (no queue ticket) is stored."""
        form = f"/service-rating?window={self.window.code}"
        for attempt in range(2):
            with self.subTest(attempt=attempt):
                before = self._counts()["gov.service.rating"]
                status = self._check("gov.service.rating", form, "/service-rating",
                                     self._rating_base())
                self.assertEqual(status, 200)
                self.assertEqual(self._counts()["gov.service.rating"], before + 1)

    # ------------------------------------------------------------------
    # properties
    # ------------------------------------------------------------------
    def test_fuzz_service_rating(self):
        base = self._rating_base()
        keys = list(base) + ["ticket", "gov_website", "gov_captcha", "csrf_token", "gov_form_ts",
                             "gov_submission_key",
                             "unknown_field"]
        targets = [self.window.code] + self.ticket_tokens
        valid_values = st.fixed_dictionaries(
            {},
            optional={
                "window": st.sampled_from(targets),
                "ticket": st.sampled_from(targets),
                "level": st.sampled_from(["1", "2", "3", "4", "5", "0", "6", " 5 ", "٥"]),
                "indicator_ids": st.sampled_from(
                    [str(self.ind_good.id), str(self.ind_bad.id), str(self.ind_online.id),
                     [str(self.ind_good.id), str(self.ind_bad.id)]]
                ),
            },
        )

        @FUZZ_SETTINGS
        @given(self._fuzzed(base, keys), valid_values, self._uploads("attachments"))
        def run(payload, plausible, upload):
            payload = {**payload, **plausible}
            target = payload.get("ticket") or payload.get("window")
            ticket_id = self.ticket_ids.get(target) if isinstance(target, str) else None
            # the tokens come from the ticket's form page unless the ticket was
            # rated before (that page answers 409): then from the window's page
            form_url = f"/service-rating?window={self.window.code}"
            if ticket_id and not self.env["gov.service.rating"].sudo().search_count(
                [("ticket_id", "=", ticket_id)]
            ):
                form_url = f"/service-rating?ticket={target}"
            self._check("gov.service.rating", form_url, "/service-rating", payload, upload)

        run()
        self._summary()

    def test_fuzz_complaint(self):
        base = self._complaint_base()
        keys = list(base) + ["gov_website", "gov_captcha", "csrf_token", "gov_form_ts",
                             "gov_submission_key",
                             "attachments", "unknown_field"]
        intermediary = st.sampled_from(
            ["", str(self.provider.id), str(self.hidden.id), "0", "-1", "99999999999"]
        )

        @FUZZ_SETTINGS
        @given(self._fuzzed(base, keys), st.none() | intermediary, self._uploads("attachments"))
        def run(payload, intermediary_id, upload):
            if intermediary_id is not None:
                payload = {**payload, "intermediary_id": intermediary_id}
            self._check("gov.complaint", "/complaint", "/complaint", payload, upload)

        run()
        self._summary()

    def test_fuzz_intermediary_apply(self):
        base = self._apply_base()
        keys = list(base) + ["gov_website", "gov_captcha", "csrf_token", "gov_form_ts",
                             "gov_submission_key",
                             "qualification_files", "filing_state", "website_published",
                             "unknown_field"]
        uscc = st.sampled_from(
            ["fresh", "fresh", "taken", "91511400MA0000001X", " 9151 1400 ma00 ", "9" * 18]
        )
        types = st.sampled_from(
            [str(self.service_type.id), [str(self.service_type.id)] * 2, "abc", "999999", ""]
        )

        @FUZZ_SETTINGS
        @given(self._fuzzed(base, keys), st.none() | uscc, st.none() | types,
               self._uploads("qualification_files"))
        def run(payload, uscc_choice, type_choice, upload):
            if uscc_choice == "fresh" or payload.get("uscc") == base["uscc"]:
                # a fresh valid code, so that more than the first example can pass
                payload = {**payload, "uscc": make_uscc(next(self._uscc_serials))}
            elif uscc_choice == "taken":
                payload = {**payload, "uscc": self.provider.uscc}
            elif uscc_choice is not None:
                payload = {**payload, "uscc": uscc_choice}
            if type_choice is not None:
                payload = {**payload, "service_type_ids": type_choice}
            self._check("gov.intermediary", "/intermediaries/apply", "/intermediaries/apply",
                        payload, upload)

        run()
        self._summary()
