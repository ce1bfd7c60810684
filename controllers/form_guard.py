# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""One protection for every public form of the product.

Usage in a controller::

    guard = FormGuard("consultation", fields={"name": 50, "question": 2000, ...},
                      phone_field="contact_phone")
    # GET: render the form with guard.render_values() and, inside the <form>,
    #      <t t-call="gov_service_center.form_guard_fields"/>
    # POST:
    rejection = guard.check(post)          # None, or an HTTP response (400/429)
    if rejection is not None:
        return rejection
    if guard.replay is not None:            # this very form was already accepted
        return request.render(...success page of guard.replay["query_code"]...)
    if guard.is_spam:                       # honeypot filled: pretend success
        return request.render(...success page without a record...)
    ... create the record with guard.values (only the declared fields) ...
    guard.record(record)                    # consume the submission key, count it

What it checks: the CSRF token (Odoo's, on every POST route); a honeypot field;
a minimum fill time and a maximum age (signed timestamp); a one-time signed
submission key per rendered form (a replay shows the first answer again);
per-address limits per form (5 per 10 minutes, 20 per day; IPv6 addresses
counted by /64), per-phone limits (3 per day) and, for forms about one thing
(``scope_field``, e.g. the window rated), per thing and address (3 per day);
an arithmetic captcha, bound to the rendered form, once the address has
already submitted a form that day; field lengths, unknown fields, NUL bytes
and invalid UTF-8; uploaded files (count, size, extension and magic bytes).
The limits are checked and the submission recorded under advisory locks of
the address, the phone and the submission key, so simultaneous requests
cannot overrun them. Rejections are logged with the route and the IP
address, never with the submitted values.
"""
import hashlib
import hmac
import logging
import random
import re
import secrets
import time
from urllib.parse import unquote_to_bytes
from datetime import timedelta

from werkzeug.datastructures import FileStorage

from odoo import fields
from odoo.http import request

from ..models.gov_settings import get_setting
from .common import client_address, error_page

_logger = logging.getLogger(__name__)

HONEYPOT_FIELD = "gov_website"
TIMESTAMP_FIELD = "gov_form_ts"
CAPTCHA_FIELD = "gov_captcha"
SUBMISSION_KEY_FIELD = "gov_submission_key"
GUARD_FIELDS = {"csrf_token", HONEYPOT_FIELD, TIMESTAMP_FIELD, CAPTCHA_FIELD, SUBMISSION_KEY_FIELD}
# captchas of rendered forms kept in the session at most (oldest dropped)
MAX_PENDING_CAPTCHAS = 10
GUARD_FIELD_MAX_LENGTH = 256

# extension -> accepted magic numbers
FILE_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}


# Werkzeug keeps the percent escapes of bytes that are not valid UTF-8 in
# url-encoded bodies ("%FF" stays "%FF"): find runs of such escapes.
_ESCAPE_RUN_RE = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def _has_undecodable_escapes(value):
    """True when ``value`` holds percent escapes left by the decoder because
    they are not valid UTF-8, i.e. the client sent invalid UTF-8."""
    if "%" not in value:
        return False
    for run in _ESCAPE_RUN_RE.findall(value):
        raw = unquote_to_bytes(run)
        if any(byte >= 0x80 for byte in raw):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                return True
    return False


class FormRejected(Exception):
    def __init__(self, status, message, reason):
        super().__init__(message)
        self.status = status
        self.message = message
        self.reason = reason


def check_upload(storage, max_file_size, allowed_extensions=("pdf", "jpg", "jpeg", "png")):
    """Read and check one uploaded file (size, extension, magic bytes).
    Return ``{"name", "raw", "mimetype"}``; raise :class:`FormRejected`
    (400) when the file is refused."""
    _ = request.env._
    name = storage.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    content = storage.read(max_file_size + 1)
    if len(content) > max_file_size:
        raise FormRejected(400, _("An attachment is too large."), "file-size")
    signatures = FILE_SIGNATURES.get(extension)
    if extension not in allowed_extensions or not signatures:
        raise FormRejected(400, _("This kind of attachment is not accepted."), "file-type")
    if not content.startswith(signatures):
        raise FormRejected(
            400, _("The content of an attachment does not match its type."), "file-magic"
        )
    return {"name": name[:128], "raw": content, "mimetype": storage.mimetype}


class FormGuard:
    def __init__(
        self,
        form_key,
        fields=None,
        phone_field=None,
        file_field=None,
        max_files=3,
        max_file_size=5 * 1024 * 1024,
        allowed_extensions=("pdf", "jpg", "jpeg", "png"),
        extra_fields=(),
        scope_field=None,
    ):
        """``fields`` maps each accepted field name to its maximum length;
        ``scope_field`` names the field whose value is also limited per
        address (``scope_ip_per_day``)."""
        self.form_key = form_key
        self.fields = dict(fields or {})
        self.phone_field = phone_field
        self.file_field = file_field
        self.max_files = max_files
        self.max_file_size = max_file_size
        self.allowed_extensions = tuple(allowed_extensions)
        self.extra_fields = set(extra_fields)
        self.scope_field = scope_field
        self.values = {}
        self.files = []
        self.is_spam = False
        self.replay = None
        self.submission_key = False
        self._phone_hash = False
        self._scope = False
        self._captcha_needed = False

    # ------------------------------------------------------------------
    # Configuration
    # ------------------------------------------------------------------
    @staticmethod
    def _param(name):
        return get_setting(request.env, f"form_{name}")

    @staticmethod
    def _secret():
        return request.env["ir.config_parameter"].sudo().get_param("database.secret", "")

    @staticmethod
    def _ip():
        return client_address()

    # ------------------------------------------------------------------
    # Rendering
    # ------------------------------------------------------------------
    def _sign(self, payload):
        return hmac.new(self._secret().encode(), payload.encode(), hashlib.sha256).hexdigest()[:32]

    def _timestamp_token(self):
        now = str(int(time.time()))
        return f"{now}.{self._sign(f'{self.form_key}:{now}')}"

    def _submission_key(self):
        nonce = secrets.token_urlsafe(18)
        return f"{nonce}.{self._sign(f'submission:{self.form_key}:{nonce}')}"

    def _captcha_required(self):
        since = fields.Datetime.now() - timedelta(days=1)
        return bool(
            request.env["gov.form.submission"]._count(since, ip=self._ip(), forms_only=True)
        )

    def _new_captcha(self, submission_key):
        """A question bound to the rendered form (its submission key): its
        answer is good for that form only, and only once."""
        a, b = random.randint(1, 9), random.randint(1, 9)
        captchas = dict(request.session.get("gov_captcha") or {})
        now = int(time.time())
        captchas = {
            key: value
            for key, value in captchas.items()
            if isinstance(value, dict) and value.get("expires", 0) >= now
        }
        captchas[self._captcha_slot(submission_key)] = {"answer": a + b, "expires": now + 300}
        if len(captchas) > MAX_PENDING_CAPTCHAS:
            oldest = sorted(captchas, key=lambda key: captchas[key]["expires"])
            for key in oldest[: len(captchas) - MAX_PENDING_CAPTCHAS]:
                del captchas[key]
        request.session["gov_captcha"] = captchas
        return f"{a} + {b}"

    def _captcha_slot(self, submission_key):
        return f"{self.form_key}:{submission_key.split('.', 1)[0]}"

    def render_values(self):
        """Values for ``gov_service_center.form_guard_fields``."""
        submission_key = self._submission_key()
        return {
            "gov_form_ts": self._timestamp_token(),
            "gov_submission_key": submission_key,
            "gov_captcha_question": (
                self._new_captcha(submission_key) if self._captcha_required() else False
            ),
            "gov_honeypot_field": HONEYPOT_FIELD,
        }

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------
    def _reject(self, status, message, reason):
        raise FormRejected(status, message, reason)

    def _check_timestamp(self, token):
        _ = request.env._
        try:
            if not isinstance(token, str) or not token.isascii():
                raise ValueError(token)
            stamp, signature = token.split(".", 1)
            if not stamp.isdigit():
                raise ValueError(stamp)
            issued = int(stamp)
        except ValueError:
            self._reject(400, _("The form has expired. Please reload the page."), "timestamp")
        if not hmac.compare_digest(signature, self._sign(f"{self.form_key}:{stamp}")):
            self._reject(400, _("The form has expired. Please reload the page."), "timestamp")
        age = time.time() - issued
        if age > self._param("max_form_age_seconds") or age < 0:
            self._reject(400, _("The form has expired. Please reload the page."), "expired")
        if age < self._param("min_fill_seconds"):
            self._reject(
                400, _("The form was sent too quickly. Please check it and send it again."), "fast"
            )

    def _check_submission_key(self, key):
        _ = request.env._
        nonce, _dot, signature = key.partition(".") if isinstance(key, str) else ("", "", "")
        if (
            not nonce
            or not key.isascii()
            or not signature.isascii()
            or not hmac.compare_digest(
                signature.encode(), self._sign(f"submission:{self.form_key}:{nonce}").encode()
            )
        ):
            self._reject(400, _("The form has expired. Please reload the page."), "submission-key")
        self.submission_key = key

    def _check_captcha(self, answer):
        _ = request.env._
        captchas = dict(request.session.get("gov_captcha") or {})
        expected = captchas.pop(self._captcha_slot(self.submission_key), None)  # one-time
        request.session["gov_captcha"] = captchas
        if (
            not expected
            or expected.get("expires", 0) < time.time()
            or str(expected.get("answer")) != (answer or "").strip()
        ):
            self._reject(400, _("The answer to the verification question is wrong."), "captcha")

    def _check_limits(self, phone_hash, scope=False):
        """Check the limits against the submissions committed so far: call it
        with the locks of :meth:`_lock` held."""
        _ = request.env._
        now = fields.Datetime.now()
        ip = self._ip()
        day = now - timedelta(days=1)
        checks = [
            ("ip-10min", "ip_per_10_minutes",
             {"since": now - timedelta(minutes=10), "form_key": self.form_key, "ip": ip}),
            ("ip-day", "ip_per_day", {"since": day, "form_key": self.form_key, "ip": ip}),
        ]
        if phone_hash:
            checks.append(("phone-day", "phone_per_day", {"since": day, "phone_hash": phone_hash}))
        if scope:
            checks.append(
                ("scope-day", "scope_ip_per_day", {"since": day, "ip": ip, "scope": scope})
            )
        # last column: any submission of the address today (captcha needed)
        counts = request.env["gov.form.submission"]._committed_counts(
            [check for _reason, _param, check in checks]
            + [{"since": day, "ip": ip, "forms_only": True}]
        )
        self._captcha_needed = bool(counts.pop())
        for (reason, param, _check), count in zip(checks, counts):
            if count >= self._param(param):
                self._reject(429, _("Too many submissions. Please try again later."), reason)

    def _lock(self, phone_hash=False, submission_key=False):
        """Serialise the submissions of this address, phone and form."""
        request.env["gov.form.submission"]._lock(
            [
                f"gov_form:ip:{self._ip()}",
                phone_hash and f"gov_form:phone:{phone_hash}",
                submission_key and f"gov_form:key:{submission_key}",
            ]
        )

    def _check_values(self, post):
        _ = request.env._
        allowed = set(self.fields) | GUARD_FIELDS | self.extra_fields
        if self.file_field:
            allowed.add(self.file_field)
        unknown = set(post) - allowed
        if unknown:
            self._reject(400, _("The form contains unexpected fields."), "unknown-field")
        values = {}
        for name, value in post.items():
            if isinstance(value, FileStorage):
                continue
            if not isinstance(value, str):
                self._reject(400, _("The form is malformed."), "type")
            if (
                "\x00" in value
                or "\ufffd" in value
                or any("\ud800" <= ch <= "\udfff" for ch in value)
                or _has_undecodable_escapes(value)
            ):
                self._reject(400, _("The form contains invalid characters."), "encoding")
            limit = self.fields.get(name)
            if limit is None and len(value) > GUARD_FIELD_MAX_LENGTH:
                # hidden fields (token, captcha, honeypot) are short
                self._reject(400, _("A field of the form is too long."), "length")
            if limit is not None:
                value = value.strip()
                if len(value) > limit:
                    self._reject(400, _("A field of the form is too long."), "length")
                values[name] = value
        self.values = values

    def _check_files(self):
        _ = request.env._
        files = []
        if self.file_field:
            files = [
                f
                for f in request.httprequest.files.getlist(self.file_field)
                if f and f.filename
            ]
        if len(files) > self.max_files:
            self._reject(400, _("Too many attachments."), "files-count")
        self.files = [
            check_upload(storage, self.max_file_size, self.allowed_extensions)
            for storage in files
        ]

    def check(self, post):
        """Validate a POST; return None when accepted, else the error response."""
        try:
            self._check_values(post)
            if post.get(HONEYPOT_FIELD):
                self.is_spam = True
                _logger.info("Public form %s: honeypot filled from %s", self.form_key, self._ip())
                return None
            self._check_timestamp(post.get(TIMESTAMP_FIELD))
            self._check_submission_key(post.get(SUBMISSION_KEY_FIELD))
            phone_hash = (
                request.env["gov.form.submission"]._hash_phone(self.values.get(self.phone_field))
                if self.phone_field
                else False
            )
            self._phone_hash = phone_hash
            scope_value = self.values.get(self.scope_field) if self.scope_field else False
            self._scope = scope_value and f"{self.form_key}:{self.scope_field}:{scope_value}"
            self._lock(phone_hash, self.submission_key)
            self.replay = request.env["gov.form.submission"]._replay_values(self.submission_key)
            if self.replay is not None:
                _logger.info("Public form %s sent again from %s", self.form_key, self._ip())
                return None
            self._check_limits(phone_hash, self._scope)
            if self._captcha_needed:
                self._check_captcha(post.get(CAPTCHA_FIELD))
            self._check_files()
        except FormRejected as rejection:
            return self._rejected(rejection)
        return None

    def check_lookup(self, post):
        """Validate a look-up form (no record is created): field checks and
        the per-IP limits, which count the failed look-ups recorded with
        :meth:`record`. Return None when accepted, else the error response."""
        try:
            self._check_values(post)
            self._lock()
            self._check_limits(False)
        except FormRejected as rejection:
            return self._rejected(rejection)
        return None

    def _rejected(self, rejection):
        """Log a rejection (route and IP, never the values) and answer it."""
        _logger.info(
            "Public form %s rejected (%s) from %s on %s",
            self.form_key,
            rejection.reason,
            self._ip(),
            request.httprequest.path,
        )
        return self.error_response(rejection.status, rejection.message)

    def record(self, record=None):
        """Count an accepted submission (or a failed look-up) for the rate
        limits and consume the submission key, in the transaction that
        created ``record``."""
        request.env["gov.form.submission"].sudo().create(
            {
                "form_key": self.form_key,
                "ip": self._ip(),
                "phone_hash": self._phone_hash,
                "scope": self._scope,
                "submission_key": self.submission_key or False,
                "res_model": record._name if record else False,
                "res_id": record.id if record else False,
            }
        )

    @staticmethod
    def error_response(status, message):
        return error_page(status, message)
