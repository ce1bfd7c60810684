# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import hashlib
import hmac
from datetime import timedelta

from odoo import api, fields, models


class GovFormSubmission(models.Model):
    """Accepted submissions of the public forms, kept only for rate limiting.

    Neither the phone number nor any other personal data is stored: the phone
    is kept as a keyed hash, the IP address for two days at most.
    """

    _name = "gov.form.submission"
    _description = "Public Form Submission (rate limiting)"
    _order = "id desc"
    _log_access = False

    form_key = fields.Char(required=True, index=True)
    ip = fields.Char(string="IP Address", index=True)
    phone_hash = fields.Char(index="btree_not_null")
    create_date = fields.Datetime(
        default=fields.Datetime.now, required=True, index=True, readonly=True
    )

    @api.model
    def _hash_phone(self, phone):
        phone = "".join(ch for ch in (phone or "") if ch.isdigit())
        if not phone:
            return False
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret", "")
        return hmac.new(secret.encode(), phone.encode(), hashlib.sha256).hexdigest()

    @api.model
    def _count(self, since, form_key=None, ip=None, phone_hash=None):
        domain = [("create_date", ">=", since)]
        if form_key:
            domain.append(("form_key", "=", form_key))
        if ip:
            domain.append(("ip", "=", ip))
        if phone_hash:
            domain.append(("phone_hash", "=", phone_hash))
        return self.sudo().search_count(domain)

    @api.model
    def _cron_purge(self):
        """Forget submissions older than two days (IP addresses are personal data)."""
        limit = fields.Datetime.now() - timedelta(days=2)
        self.sudo().search([("create_date", "<", limit)]).unlink()
