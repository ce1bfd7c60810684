# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Public 好差评 rating page: ``/service-rating?ticket=<token>`` (QR code
printed on a served queue ticket), ``/service-rating?window=<code>`` (fixed
QR code of a window) or ``/service-rating?case=<token>`` (link sent to the
applicant once a case is delivered: one rating per case)."""
import re

import psycopg2

from odoo import http
from odoo.http import request

from .common import FORM_MAX_CONTENT_LENGTH
from .common import parse_positive_int as _parse_positive_int
from .form_guard import FormGuard

_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{8,128}$")
_CODE_RE = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")
RATING_FIELDS = {
    "ticket": 128,
    "window": 32,
    "case": 128,
    "level": 1,
    "comment": 500,
    "rater_name": 50,
    "rater_phone": 30,
}


class GovServiceRatingWebsite(http.Controller):
    def _guard(self):
        return FormGuard(
            "service_rating",
            fields=RATING_FIELDS,
            phone_field="rater_phone",
            extra_fields={"indicator_ids"},
            scope_field="window",
        )

    # ------------------------------------------------------------------
    # What is rated
    # ------------------------------------------------------------------
    def _find_ticket(self, token):
        """The ticket of ``token`` (sudo), or None."""
        if not isinstance(token, str) or not _TOKEN_RE.match(token):
            return None
        ticket = request.env["gov.queue.ticket"].sudo().search(
            [("access_token", "=", token)], limit=1
        )
        return ticket or None

    def _find_case(self, token):
        """The case of ``token`` (sudo), or None."""
        if not isinstance(token, str) or not _TOKEN_RE.match(token):
            return None
        case = request.env["gov.case"].sudo().search([("access_token", "=", token)], limit=1)
        return case or None

    def _find_window(self, code):
        if not isinstance(code, str) or not _CODE_RE.match(code):
            return None
        window = request.env["gov.service.window"].sudo().search([("code", "=", code)], limit=1)
        return window or None

    def _resolve_target(self, ticket=None, window=None, case=None):
        """Return the values copied on the rating, or None when the link is
        not valid."""
        if case:
            record = self._find_case(case)
            if record is None:
                return None
            values = {
                "case_id": record.id, "case": case, "case_ref": record.name,
                "channel": "website",
            }
            if record.state != "delivered":
                values["not_served"] = True
            return values
        if ticket:
            record = self._find_ticket(ticket)
            if record is None:
                return None
            values = {"ticket_id": record.id, "ticket": ticket}
            if record.state != "done":
                values["not_served"] = True
            for field_name in ("window_id", "employee_id", "item_id"):
                if record[field_name]:
                    values[field_name] = record[field_name].id
            values["ticket_ref"] = record.name or False
            return values
        if window:
            record = self._find_window(window)
            if record is None:
                return None
            values = {"window_id": record.id, "window": window}
            if len(record.employee_ids) == 1:
                values["employee_id"] = record.employee_ids.id
            return values
        return None

    def _already_rated(self, target):
        for field_name in ("ticket_id", "case_id"):
            if target.get(field_name) and request.env["gov.service.rating"].sudo().search_count(
                [(field_name, "=", target[field_name])], limit=1
            ):
                return True
        return False

    def _render_status(self, template, status, **values):
        response = request.render(template, values)
        response.status_code = status
        return response

    def _not_found(self):
        return self._render_status("gov_service_center.service_rating_not_found", 404)

    def _form_values(self, target, guard, error=None):
        Indicator = request.env["gov.rating.indicator"].sudo()
        indicators = Indicator.search(Indicator._channel_domain(target.get("channel", "hall_qr")))
        Rating = request.env["gov.service.rating"]
        window = request.env["gov.service.window"].sudo().browse(target.get("window_id"))
        return {
            "target": target,
            "window_name": window.display_name if window else False,
            "indicators": indicators,
            "levels": Rating._fields["level_label"]._description_selection(request.env),
            "error": error,
            **guard.render_values(),
        }

    # ------------------------------------------------------------------
    # Routes
    # ------------------------------------------------------------------
    @http.route("/service-rating", type="http", auth="public", website=True, sitemap=False,
                methods=["GET"], readonly=True)
    def service_rating_form(self, ticket=None, window=None, case=None, **kwargs):
        target = self._resolve_target(ticket, window, case)
        if target is None:
            return self._not_found()
        if target.get("not_served"):
            return self._render_status("gov_service_center.service_rating_not_served", 409)
        if self._already_rated(target):
            return self._render_status("gov_service_center.service_rating_already", 409)
        guard = self._guard()
        return request.render(
            "gov_service_center.service_rating_page", self._form_values(target, guard)
        )

    @http.route("/service-rating", type="http", auth="public", website=True, sitemap=False,
                methods=["POST"], max_content_length=FORM_MAX_CONTENT_LENGTH)
    def service_rating_submit(self, **post):
        guard = self._guard()
        rejection = guard.check(post)
        if rejection is not None:
            return rejection
        if guard.replay is not None:
            return request.render("gov_service_center.service_rating_thanks", {})
        values = guard.values
        target = self._resolve_target(values.get("ticket"), values.get("window"), values.get("case"))
        if target is None:
            return self._not_found()
        if guard.is_spam:
            return request.render("gov_service_center.service_rating_thanks", {})
        if target.get("not_served"):
            return self._render_status("gov_service_center.service_rating_not_served", 409)
        if self._already_rated(target):
            return self._render_status("gov_service_center.service_rating_already", 409)
        level = _parse_positive_int(values.get("level"))
        if not level or level > 5:
            return FormGuard.error_response(
                400, request.env._("Choose how satisfied you are, from 1 to 5 stars.")
            )
        indicator_ids = []
        for raw in request.httprequest.form.getlist("indicator_ids")[:20]:
            indicator_id = _parse_positive_int(raw)
            if not indicator_id:
                return FormGuard.error_response(400, request.env._("The form is malformed."))
            indicator_ids.append(indicator_id)
        Indicator = request.env["gov.rating.indicator"].sudo()
        channel = target.get("channel", "hall_qr")
        indicators = Indicator.search(
            [("id", "in", indicator_ids)] + Indicator._applicable_domain(level, channel)
        )
        if len(indicators) != len(set(indicator_ids)):
            return FormGuard.error_response(
                400, request.env._("Some options chosen do not apply to this rating.")
            )
        vals = {
            "level": level,
            "channel": channel,
            "comment": values.get("comment") or False,
            "indicator_ids": [(6, 0, indicators.ids)],
            "window_id": target.get("window_id", False),
            "employee_id": target.get("employee_id", False),
            "item_id": target.get("item_id", False),
            "ticket_id": target.get("ticket_id", False),
            "ticket_ref": target.get("ticket_ref") or target.get("case_ref") or False,
            "case_id": target.get("case_id", False),
            "rater_name": values.get("rater_name") or False,
            "rater_phone": values.get("rater_phone") or False,
        }
        try:
            with request.env.cr.savepoint():
                rating = request.env["gov.service.rating"].sudo().create(vals)
        except psycopg2.IntegrityError:
            # the same ticket or case rated twice at the same moment
            return self._render_status("gov_service_center.service_rating_already", 409)
        guard.record(rating)
        return request.render("gov_service_center.service_rating_thanks", {})
