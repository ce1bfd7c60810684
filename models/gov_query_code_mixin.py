# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Query codes given to citizens (查询码): one mechanism for every kind of
public request that can be followed on the website."""
import hmac
import secrets

from odoo import api, models

# no 0/O, 1/I/L: easy to read out on the phone
QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
QUERY_CODE_LENGTH = 10


def normalize_query_code(code):
    """The code as stored (upper case, no blanks), or "" when it cannot be a
    query code. Codes issued with an older alphabet stay valid: any ASCII
    letter or digit is accepted here, the look-up decides."""
    if not isinstance(code, str):
        return ""
    code = "".join(code.split()).upper()
    if len(code) != QUERY_CODE_LENGTH or not code.isascii() or not code.isalnum():
        return ""
    return code


def random_query_code():
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _i in range(QUERY_CODE_LENGTH))


def phone_verifier(phone):
    """The last 4 digits of ``phone``, the second factor of a public look-up
    ("" when the number has fewer digits)."""
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())
    return digits[-4:] if len(digits) >= 4 else ""


def verifier_matches(expected, verifier):
    """True when ``verifier`` equals one of the ``expected`` second factors.
    Every value is compared, in constant time; pass placeholders when no
    record was found so that a miss takes as long as a hit."""
    verifier = verifier.strip().lower() if isinstance(verifier, str) else ""
    matched = False
    for value in expected:
        matched |= bool(value) and bool(verifier) and hmac.compare_digest(
            value.encode(), verifier.encode()
        )
    return matched


class GovQueryCodeMixin(models.AbstractModel):
    """Issue a unique query code on creation and find a record back from it
    with a second factor (last 4 digits of the phone number or the email
    address given with the request), in constant time.

    Inheriting models define a ``query_code`` char field with a unique
    constraint and name their contact fields in ``_query_code_phone_field``
    and ``_query_code_email_field``.
    """

    _name = "gov.query.code.mixin"
    _description = "Query Code Mixin"

    _query_code_phone_field = "contact_phone"
    _query_code_email_field = "contact_email"

    @api.model
    def _generate_query_code(self):
        Model = self.sudo().with_context(active_test=False)
        while True:
            code = random_query_code()
            if not Model.search_count([("query_code", "=", code)], limit=1):
                return code

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("query_code"):
                vals["query_code"] = self._generate_query_code()
        return super().create(vals_list)

    def _query_code_verifiers(self):
        """The accepted second factors: last 4 digits of the phone number and
        the email address (lower case); "" when not given."""
        self.ensure_one()
        record = self.sudo()
        email = (record[self._query_code_email_field] or "").strip().lower()
        return [phone_verifier(record[self._query_code_phone_field]), email]

    @api.model
    def _find_by_query_code(self, code, verifier):
        """Return the record (sudo) of ``code`` when ``verifier`` matches one
        of its second factors, else an empty recordset. Every candidate is
        compared, in constant time, whether the code exists or not."""
        Model = self.sudo().with_context(active_test=False)
        code = normalize_query_code(code)
        record = Model.search([("query_code", "=", code)], limit=1) if code else Model.browse()
        expected = record._query_code_verifiers() if record else ["\x00" * 4, "\x00" * 8]
        matched = verifier_matches(expected, verifier)
        return record if (record and matched) else Model.browse()
