# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Text message gateways (短信通道).

The ``log`` gateway only records the messages: nothing leaves the server.
The ``http`` gateway posts each message to the URL an administrator
configures, with a body written from a template with the placeholders
``{phone}`` and ``{message}``, and checks the answer (status 2xx, plus an
optional text or JSON key). Errors worth a retry (timeout, connection error,
5xx, unexpected answer) raise :class:`GatewayError` with ``retry=True``.
"""
import json
import logging
from urllib.parse import quote

import requests

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .gov_consultation import mask_text
from .gov_notification_template import NAME_RE, placeholder_names

_logger = logging.getLogger(__name__)

PROVIDER_PLACEHOLDERS = {"phone", "message"}


class GatewayError(Exception):
    """The gateway did not take the message; ``retry``: worth another attempt."""

    def __init__(self, message, retry=True):
        super().__init__(message)
        self.retry = retry


class GovSmsProvider(models.Model):
    _name = "gov.sms.provider"
    _description = "Text Message Gateway"
    _order = "sequence, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(
        default=10, help="The first active gateway sends the text messages.",
    )
    active = fields.Boolean(default=True)
    provider_type = fields.Selection(
        [("log", "Log Only"), ("http", "HTTP Gateway")], string="Type", required=True,
        default="log",
        help="Log Only records the messages and sends nothing; HTTP Gateway calls the "
        "URL below.",
    )
    url = fields.Char(
        string="URL", groups="gov_service_center.group_gov_admin",
        help="Address of the gateway; {phone} and {message} may appear in it (URL-encoded).",
    )
    http_method = fields.Selection(
        [("POST", "POST"), ("GET", "GET")], string="Method", default="POST", required=True,
    )
    content_type = fields.Selection(
        [("json", "JSON"), ("form", "Form")], default="json", required=True,
        help="How {phone} and {message} are escaped in the body.",
    )
    auth_header_name = fields.Char(
        string="Authentication Header", default="Authorization", groups="gov_service_center.group_gov_admin",
    )
    auth_header_value = fields.Char(
        string="Authentication Value", groups="gov_service_center.group_gov_admin",
        help="Value of the authentication header, e.g. Bearer <key>.",
    )
    body_template = fields.Text(
        groups="gov_service_center.group_gov_admin",
        default='{"mobile": "{phone}", "content": "{message}"}',
        help="Body of the request, with the placeholders {phone} and {message}.",
    )
    success_substring = fields.Char(
        string="Success Text", groups="gov_service_center.group_gov_admin",
        help="When set, the answer must contain this text.",
    )
    success_json_key = fields.Char(
        string="Success JSON Key", groups="gov_service_center.group_gov_admin",
        help="When set, the answer must be JSON with this key (dotted path, e.g. result.code).",
    )
    success_json_value = fields.Char(
        string="Success JSON Value", groups="gov_service_center.group_gov_admin",
        help="When set, the value the JSON key must have, e.g. 0 or OK.",
    )
    timeout = fields.Integer(string="Timeout (seconds)", default=10, required=True)
    test_phone = fields.Char(
        string="Test Phone", groups="gov_service_center.group_gov_admin",
        help="Number to which Send Test Message sends a message.",
    )

    @api.constrains("body_template", "url", "provider_type", "timeout")
    def _check_http(self):
        for provider in self.sudo():
            if provider.provider_type != "http":
                continue
            if not (provider.url or "").startswith(("http://", "https://")):
                raise ValidationError(self.env._("The gateway URL must start with http:// or https://."))
            if not 1 <= provider.timeout <= 120:
                raise ValidationError(self.env._("The timeout must lie between 1 and 120 seconds."))
            for text in (provider.url, provider.body_template):
                # JSON braces are literal text: only plain names count as placeholders
                names = {name for name in placeholder_names(text) if NAME_RE.match(name)}
                unknown = names - PROVIDER_PLACEHOLDERS
                if unknown:
                    raise ValidationError(self.env._(
                        "Unknown placeholder {%(name)s} in the gateway: only {phone} and "
                        "{message} are allowed.", name=sorted(unknown)[0],
                    ))

    @api.model
    def _get_active(self):
        return self.sudo().search([], limit=1)

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------
    def _send_sms(self, phone, message):
        """Send one message; returns the gateway's reference (text) or raises
        :class:`GatewayError`."""
        self.ensure_one()
        provider = self.sudo()
        if provider.provider_type == "log":
            _logger.info("Text message (log gateway) to %s: %s", mask_text(phone), message)
            return "log"
        return provider._send_http(phone, message)

    def _fill(self, template, phone, message, escape):
        values = {"phone": escape(phone), "message": escape(message)}
        return "".join(
            values.get(part, "{%s}" % part) if index % 2 else part
            for index, part in enumerate(_split_placeholders(template or ""))
        )

    def _send_http(self, phone, message):
        if self.content_type == "json":
            def escape(value):
                return json.dumps(value, ensure_ascii=False)[1:-1]
        else:
            def escape(value):
                return quote(value, safe="")
        url = self._fill(self.url, phone, message, lambda v: quote(v, safe=""))
        headers = {}
        if self.auth_header_name and self.auth_header_value:
            headers[self.auth_header_name] = self.auth_header_value
        data = None
        if self.http_method == "POST":
            data = self._fill(self.body_template, phone, message, escape).encode()
            headers["Content-Type"] = (
                "application/json; charset=utf-8" if self.content_type == "json"
                else "application/x-www-form-urlencoded; charset=utf-8"
            )
        try:
            response = requests.request(
                self.http_method, url, data=data, headers=headers, timeout=self.timeout,
            )
        except requests.exceptions.Timeout:
            raise GatewayError(self.env._("The gateway did not answer in time.")) from None
        except requests.exceptions.RequestException as error:
            raise GatewayError(self.env._(
                "The gateway could not be reached: %(error)s", error=type(error).__name__,
            )) from None
        status = response.status_code
        text = response.text or ""
        if status >= 500:
            raise GatewayError(self.env._("The gateway answered with error %(status)s.", status=status))
        if not 200 <= status < 300:
            raise GatewayError(
                self.env._("The gateway refused the message (status %(status)s).", status=status),
                retry=False,
            )
        if self.success_substring and self.success_substring not in text:
            raise GatewayError(self.env._("Unexpected answer of the gateway: %(answer)s",
                                          answer=mask_text(text[:200])))
        if self.success_json_key:
            try:
                value = json.loads(text)
                for part in self.success_json_key.split("."):
                    value = value[part]
            except (ValueError, KeyError, TypeError, IndexError):
                raise GatewayError(self.env._("Unexpected answer of the gateway: %(answer)s",
                                              answer=mask_text(text[:200]))) from None
            if self.success_json_value and str(value) != self.success_json_value:
                raise GatewayError(self.env._("Unexpected answer of the gateway: %(answer)s",
                                              answer=mask_text(text[:200])))
        return text[:200]

    def action_send_test(self):
        """Send a test message to the test phone number, now."""
        self.ensure_one()
        phone = (self.sudo().test_phone or "").strip()
        if not phone:
            raise UserError(self.env._("Enter the test phone number first."))
        try:
            self._send_sms(phone, self.env._("Test message of the service center."))
        except GatewayError as error:
            raise UserError(self.env._("The test message failed: %(error)s", error=str(error))) from None
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Test message sent to %(phone)s.", phone=mask_text(phone)),
            },
        }


def _split_placeholders(text):
    """``text`` split into literal parts (even indexes) and placeholder names
    (odd indexes); only {phone} and {message} count as placeholders, other
    braces (JSON) stay as they are."""
    parts = []
    rest = text
    while True:
        positions = [(rest.find("{%s}" % name), name) for name in PROVIDER_PLACEHOLDERS]
        positions = [(pos, name) for pos, name in positions if pos >= 0]
        if not positions:
            parts.append(rest)
            return parts
        pos, name = min(positions)
        parts.extend([rest[:pos], name])
        rest = rest[pos + len(name) + 2:]
