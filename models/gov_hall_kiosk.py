# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import ipaddress

from odoo import api, fields, models
from odoo.exceptions import ValidationError


KIOSK_COOKIE = "gov_hall_kiosk"


class GovHallKiosk(models.Model):
    """A ticket kiosk registered at the hall entrance.

    Tickets taken from a registered kiosk are not limited per address. The
    kiosk is recognised by a secret token, shown once to the administrator
    who registers it and stored only as a SHA-256 hash: the administrator
    opens ``/hall/ticket?kiosk=<token>`` once on the kiosk, which keeps the
    token in a cookie. A kiosk may also be recognised by its network address
    (allow-list), for kiosks whose browser does not keep cookies.
    """

    _name = "gov.hall.kiosk"
    _description = "Ticket Kiosk"
    _inherit = ["mail.thread", "gov.device.token.mixin"]
    _order = "code, id"

    code = fields.Char(required=True, index=True, tracking=True, copy=False)
    name = fields.Char(required=True, translate=True, tracking=True)
    location = fields.Char(tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    allowed_ips = fields.Char(
        string="Network Addresses", tracking=True,
        help="Optional: addresses (or networks, e.g. 10.1.2.0/28) of the kiosk, separated by "
             "commas. A request from one of them is taken as coming from this kiosk.",
    )
    ticket_count = fields.Integer(compute="_compute_ticket_count")

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of a ticket kiosk must be unique."),
    ]

    @api.constrains("allowed_ips")
    def _check_allowed_ips(self):
        for kiosk in self:
            try:
                kiosk._gov_networks()
            except ValueError as exc:
                raise ValidationError(self.env._(
                    "Kiosk %(code)s: %(value)s is not a network address.",
                    code=kiosk.code, value=exc.args[0],
                )) from None

    def _gov_networks(self):
        self.ensure_one()
        networks = []
        for part in (self.allowed_ips or "").replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            try:
                networks.append(ipaddress.ip_network(part, strict=False))
            except ValueError:
                raise ValueError(part) from None
        return networks

    def _compute_ticket_count(self):
        counts = dict(self.env["gov.queue.ticket"]._read_group(
            [("kiosk_id", "in", self.ids)], ["kiosk_id"], ["__count"]
        ))
        for kiosk in self:
            kiosk.ticket_count = counts.get(kiosk, 0)

    def _gov_token_message(self, token):
        url = "%s/hall/ticket?kiosk=%s" % (self.get_base_url(), token)
        return {
            "type": "warning",
            "sticky": True,
            "title": self.env._("Set-up link of kiosk %(code)s", code=self.code),
            "message": self.env._(
                "Open this link once in the browser of the kiosk; it will not be shown again: "
                "%(url)s",
                url=url,
            ),
        }

    def _gov_token_renewed_message(self):
        return self.env._("A new set-up link was issued; the old one no longer works.")

    @api.model
    def _gov_authenticate(self, token=None, address=None):
        """Return the active kiosk owning ``token`` or, failing that, whose
        allow-list holds ``address``; an empty recordset otherwise."""
        Kiosk = self.sudo()
        kiosk = self._gov_find_by_token(token)
        if kiosk:
            return kiosk
        if address:
            try:
                ip = ipaddress.ip_address(address)
            except ValueError:
                return self.browse()
            for kiosk in Kiosk.search([("allowed_ips", "!=", False)]):
                if any(ip in network for network in kiosk._gov_networks()):
                    return kiosk
        return self.browse()
