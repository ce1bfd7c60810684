# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Public intermediary directory (中介服务信息发布平台) and the list of
credit-restricted intermediaries (失信受限名单)."""
from collections import defaultdict

from odoo import http
from odoo.http import request
from odoo.tools.sql import escape_psql

from ..models.gov_center_time import center_today
from .main import _clean_search, _parse_positive_int


class GovIntermediaryWebsite(http.Controller):
    def sitemap_intermediaries(env, rule, qs):
        for loc in ("/intermediaries", "/intermediaries/restricted"):
            if not qs or qs.lower() in loc:
                yield {"loc": loc}

    @http.route(
        "/intermediaries",
        type="http",
        auth="public",
        website=True,
        sitemap=sitemap_intermediaries,
        readonly=True,
    )
    def intermediaries(self, search=None, **kwargs):
        Intermediary = request.env["gov.intermediary"].sudo()
        base_domain = Intermediary._gov_public_domain()
        providers = Intermediary.search(base_domain, order="name, id")
        # the types offered by published providers, with their counts
        types = providers.service_type_ids.filtered("active").sorted(
            lambda service_type: (service_type.code or "", service_type.id)
        )
        type_id = _parse_positive_int(kwargs.get("type"))
        current_type = types.filtered(lambda service_type: service_type.id == type_id)[:1]
        search = _clean_search(search)
        shown = providers
        if search:
            pattern = f"%{escape_psql(search)}%"
            shown = Intermediary.search(
                [("id", "in", providers.ids), "|",
                 ("name", "=ilike", pattern), ("uscc", "=ilike", pattern)],
                order="name, id",
            )
        if current_type:
            shown = shown.filtered(lambda provider: current_type in provider.service_type_ids)

        # valid certificates of the shown providers, one query
        today = center_today(request.env)
        qualifications = request.env["gov.intermediary.qualification"].sudo().search(
            [
                ("intermediary_id", "in", shown.ids),
                "|", ("date_expiry", "=", False), ("date_expiry", ">=", today),
            ],
            order="intermediary_id, service_type_id, id",
        )
        by_provider_type = defaultdict(list)
        for qualification in qualifications:
            by_provider_type[
                (qualification.intermediary_id.id, qualification.service_type_id.id)
            ].append(qualification)
        type_counts = defaultdict(int)
        for provider in providers:
            for service_type in provider.service_type_ids:
                type_counts[service_type.id] += 1
        groups = []
        for service_type in current_type or types:
            members = shown.filtered(lambda provider: service_type in provider.service_type_ids)
            if members:
                groups.append((service_type, members))
        values = {
            "groups": groups,
            "types": types,
            "type_counts": type_counts,
            "current_type": current_type,
            "search": search,
            "total": len(shown),
            "qualifications": by_provider_type,
        }
        return request.render("gov_service_center.intermediaries_page", values)

    @http.route(
        "/intermediaries/restricted",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        readonly=True,
    )
    def intermediaries_restricted(self, **kwargs):
        Restriction = request.env["gov.credit.restriction"].sudo()
        restrictions = Restriction.search(
            Restriction._gov_public_domain(), order="date_start desc, id desc"
        )
        return request.render(
            "gov_service_center.intermediaries_restricted_page", {"restrictions": restrictions}
        )

    @http.route(
        "/intermediaries/results/<int:year>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        readonly=True,
    )
    def intermediaries_results(self, year, **kwargs):
        if not 2000 <= year <= 2100:
            raise request.not_found()
        Score = request.env["gov.intermediary.year.score"].sudo()
        scores = Score.search(
            Score._gov_public_domain() + [("year", "=", year)],
            order="grade, weighted_score desc, id",
        )
        if not scores:
            raise request.not_found()
        return request.render(
            "gov_service_center.intermediaries_results_page",
            {
                "year": year,
                "scores": scores,
                "commended": scores.filtered(
                    lambda score: score.commendation_state == "confirmed"
                ),
            },
        )

    @http.route(
        "/intermediaries/draws",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        readonly=True,
    )
    def intermediaries_draws(self, **kwargs):
        Draw = request.env["gov.intermediary.draw"].sudo()
        public = Draw._gov_public_domain()
        draws = Draw.search(
            public + [("state", "=", "drawn")],
            order="date_draw desc, id desc",
            limit=200,
        )
        # commitments are public before the witness number is chosen
        prepared = Draw.search(
            public + [("state", "=", "prepared")],
            order="date_prepared desc, id desc",
            limit=200,
        )
        return request.render(
            "gov_service_center.intermediaries_draws_page", {"draws": draws, "prepared": prepared}
        )
