# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Public hall pages: the ticket kiosk and the hall screen.

The kiosk at the hall entrance is a registered device (``gov.hall.kiosk``):
the administrator opens ``/hall/ticket?kiosk=<token>`` once on it, and the
token is then kept in a cookie (a kiosk may also be recognised by its network
address). A registered kiosk gives as many tickets as the hall needs. Any
other device (a citizen's phone, a browser) may take a few tickets per
address and per 10 minutes, and fewer green-channel tickets. The form carries
no personal data; it is protected by Odoo's CSRF token and accepts only a
zone id and a priority key.
"""
from datetime import timedelta

from odoo import fields, http
from odoo.exceptions import UserError
from odoo.http import request

from ..models.gov_consultation import MOBILE_RE
from ..models.gov_form_submission import NOT_FORM_KEYS
from ..models.gov_hall_kiosk import KIOSK_COOKIE
from ..models.gov_settings import get_setting
from .common import LOOKUP_MAX_CONTENT_LENGTH, client_address
from .common import parse_positive_int as _parse_positive_int
from .form_guard import FormGuard

PRIORITIES = {"normal", "elderly", "disabled"}
KIOSK_COOKIE_AGE = 10 * 365 * 24 * 3600
# submission keys counting the tickets of devices that are not registered kiosks
FORM_KEY, PRIORITY_FORM_KEY = NOT_FORM_KEYS


class GovHallController(http.Controller):
    def _zones(self):
        return request.env["gov.hall.zone"].sudo().search(
            [("active", "=", True), ("zone_type", "!=", "self_service")]
        )

    def _kiosk(self):
        """The registered kiosk sending the request, or an empty recordset."""
        return request.env["gov.hall.kiosk"]._gov_authenticate(
            request.httprequest.cookies.get(KIOSK_COOKIE), request.httprequest.remote_addr
        )

    @staticmethod
    def _limit(name):
        return get_setting(request.env, name)

    def _anonymous_refusal(self, priority):
        """A 429 page when this address took too many tickets lately, else None."""
        Submission = request.env["gov.form.submission"]
        ip = client_address()
        # takes from one address wait for each other: the counts below see
        # every ticket the address took before, also at the same moment
        Submission._lock([f"{FORM_KEY}:{ip}"])
        since = fields.Datetime.now() - timedelta(minutes=10)
        taken, priority_taken = Submission._committed_counts([
            {"since": since, "form_key": FORM_KEY, "ip": ip},
            {"since": since, "form_key": PRIORITY_FORM_KEY, "ip": ip},
        ])
        if taken >= self._limit("hall_ticket_ip_limit"):
            return FormGuard.error_response(429, request.env._(
                "Several tickets were taken from this device in the last minutes: please take "
                "your ticket at the kiosk of the hall."
            ))
        if priority != "normal" and priority_taken >= self._limit("hall_ticket_ip_priority_limit"):
            return FormGuard.error_response(429, request.env._(
                "Green-channel tickets are given at the kiosk of the hall or by the reception staff."
            ))
        return None

    @http.route("/hall/ticket", type="http", auth="public", website=True, sitemap=False,
                methods=["GET"], readonly=True)
    def ticket_kiosk(self, kiosk=None, **kwargs):
        if kiosk is not None:
            # set-up link opened once on the kiosk by the administrator
            device = request.env["gov.hall.kiosk"]._gov_authenticate(kiosk)
            if not device:
                return FormGuard.error_response(403, request.env._(
                    "This kiosk set-up link is not valid: ask the hall administrator for a new one."
                ))
            response = request.redirect("/hall/ticket", code=303)
            response.set_cookie(
                KIOSK_COOKIE, kiosk, max_age=KIOSK_COOKIE_AGE, httponly=True, samesite="Lax",
                secure=request.httprequest.scheme == "https",
            )
            return response
        return request.render("gov_service_center.hall_ticket_page", {"zones": self._zones()})

    @http.route("/hall/ticket", type="http", auth="public", website=True, sitemap=False,
                methods=["POST"], max_content_length=LOOKUP_MAX_CONTENT_LENGTH)
    def ticket_take(self, zone=None, priority=None, **kwargs):
        zone_id = _parse_positive_int(zone if isinstance(zone, str) else None)
        zone = self._zones().filtered(lambda z: z.id == zone_id) if zone_id else None
        if not zone:
            return FormGuard.error_response(
                400, request.env._("Choose a zone of the hall to take a ticket.")
            )
        priority = priority if isinstance(priority, str) and priority in PRIORITIES else "normal"
        kiosk = self._kiosk()
        if not kiosk:
            refusal = self._anonymous_refusal(priority)
            if refusal is not None:
                return refusal
        try:
            phone = kwargs.get("phone")
            phone = phone.strip() if isinstance(phone, str) else ""
            ticket = request.env["gov.queue.ticket"].sudo().create({
                "zone_id": zone.id, "priority": priority, "kiosk_id": kiosk.id or False,
                # a mobile number to text when the number is next; anything else is ignored
                "notify_phone": phone if MOBILE_RE.match(phone) else False,
            })
        except UserError:  # daily limit reached
            return FormGuard.error_response(
                429, request.env._("No more tickets can be given in this zone today.")
            )
        if not kiosk:
            ip = client_address()
            keys = [FORM_KEY] + ([PRIORITY_FORM_KEY] if ticket.is_priority else [])
            request.env["gov.form.submission"].sudo().create(
                [{"form_key": key, "ip": ip} for key in keys]
            )
        _tickets, waiting = request.env["gov.queue.ticket"]._gov_display_data()
        ahead = max(waiting.get(zone, 1) - 1, 0)
        return request.render("gov_service_center.hall_ticket_taken_page", {
            "number": ticket.name,
            "zone_name": zone.name,
            "ahead": ahead,
            "is_priority": ticket.is_priority,
        })

    @http.route("/hall/display", type="http", auth="public", website=True, sitemap=False,
                methods=["GET"], readonly=True)
    def hall_display(self, **kwargs):
        Ticket = request.env["gov.queue.ticket"]
        tickets, waiting = Ticket._gov_display_data()
        rows = [
            {
                "number": ticket.name,
                "window": ticket.window_id.sudo().code or "",
                "window_name": ticket.window_id.sudo().name or "",
                "time": Ticket._gov_local_datetime(ticket.called_at),
            }
            for ticket in tickets
        ]
        zones = [{"name": zone.name, "waiting": waiting.get(zone, 0)} for zone in self._zones()]
        return request.render("gov_service_center.hall_display_page", {"rows": rows, "zones": zones})
