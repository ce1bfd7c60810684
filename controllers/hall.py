# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Public hall pages: the ticket kiosk and the hall screen.

The kiosk page does not use the shared FormGuard: its per-IP limits and
captcha are meant for citizens' forms sent from their own devices, while the
kiosk is one shared terminal in the hall giving hundreds of tickets a day.
The form carries no personal data; it is protected by Odoo's CSRF token and
accepts only a zone id and a priority key.
"""
from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from .form_guard import FormGuard
from .main import _parse_positive_int

PRIORITIES = {"normal", "elderly", "disabled"}


class GovHallController(http.Controller):
    def _zones(self):
        return request.env["gov.hall.zone"].sudo().search(
            [("active", "=", True), ("zone_type", "!=", "self_service")]
        )

    @http.route("/hall/ticket", type="http", auth="public", website=True, sitemap=False,
                methods=["GET"])
    def ticket_kiosk(self, **kwargs):
        return request.render("gov_service_center.hall_ticket_page", {"zones": self._zones()})

    @http.route("/hall/ticket", type="http", auth="public", website=True, sitemap=False,
                methods=["POST"])
    def ticket_take(self, zone=None, priority=None, **kwargs):
        zone_id = _parse_positive_int(zone if isinstance(zone, str) else None)
        zone = self._zones().filtered(lambda z: z.id == zone_id) if zone_id else None
        if not zone:
            return FormGuard.error_response(
                400, request.env._("Choose a zone of the hall to take a ticket.")
            )
        priority = priority if isinstance(priority, str) and priority in PRIORITIES else "normal"
        try:
            ticket = request.env["gov.queue.ticket"].sudo().create(
                {"zone_id": zone.id, "priority": priority}
            )
        except UserError:  # daily limit reached
            return FormGuard.error_response(
                429, request.env._("No more tickets can be given in this zone today.")
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
