# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Public honor roll (光荣榜) of the published service stars and red-flag windows."""
import re
from datetime import date

from odoo import http
from odoo.http import request

from .main import _parse_positive_int

_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
MONTHS_SHOWN = 12


def _parse_month(value):
    """``YYYY-MM`` → first day of that month, or None."""
    if not isinstance(value, str):
        return None
    match = _MONTH_RE.match(value.strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (2000 <= year <= 2999 and 1 <= month <= 12):
        return None
    return date(year, month, 1)


class GovHonorRoll(http.Controller):
    @http.route("/honor-roll", type="http", auth="public", website=True, sitemap=True,
                readonly=True)
    def honor_roll(self, month=None, **kwargs):
        Star = request.env["gov.service.star"].sudo()
        domain = Star._gov_public_domain()
        selected = _parse_month(month) if month else None
        if month and not selected:
            return request.render(
                "gov_service_center.honor_roll_bad_request", {}, status=400
            )
        months = sorted(
            {m for (m,) in Star._read_group(domain, groupby=["month:day"])}, reverse=True
        )[:MONTHS_SHOWN] if not selected else [selected]
        stars = Star.search(
            domain + [("month", "in", months)], order="month desc, rank, id"
        ) if months else Star.browse()
        WindowScore = request.env["gov.window.score"].sudo()
        red_flags = WindowScore.search(
            WindowScore._gov_public_domain() + [("month", "in", months)], order="month desc, id"
        ) if months else request.env["gov.window.score"].sudo().browse()
        entries = []
        for m in months:
            entries.append(
                {
                    "month": m,
                    "stars": [
                        {
                            "id": star.id,
                            "name": star.employee_id.name,
                            "window": star.window_id.display_name or "",
                            "citation": star.citation or "",
                        }
                        for star in stars
                        if star.month == m
                    ],
                    "red_flags": [
                        {"window": score.window_id.display_name, "citation": score.citation or ""}
                        for score in red_flags
                        if score.month == m
                    ],
                }
            )
        return request.render(
            "gov_service_center.honor_roll_page",
            {"entries": entries, "selected_month": selected},
        )

    @http.route("/honor-roll/photo/<string:star_id>", type="http", auth="public", readonly=True)
    def honor_roll_photo(self, star_id, **kwargs):
        star_id = _parse_positive_int(star_id)
        Star = request.env["gov.service.star"].sudo()
        star = Star.search([("id", "=", star_id or 0)] + Star._gov_public_domain(), limit=1)
        if not star:
            return request.not_found()
        return request.env["ir.binary"]._get_image_stream_from(
            star.employee_id, "avatar_128"
        ).get_response()
