# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Public intermediary directory (中介服务信息发布平台) and the list of
credit-restricted intermediaries (失信受限名单)."""
from collections import defaultdict

from odoo import http
from odoo.http import request
from odoo.tools.sql import escape_psql

from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.gov_center_time import center_today
from .main import _clean_search, _parse_positive_int

PROVIDERS_PER_PAGE = 20
RESTRICTIONS_PER_PAGE = 50
RESULTS_PER_PAGE = 50


class GovIntermediaryWebsite(http.Controller):
    def sitemap_intermediaries(env, rule, qs):
        for loc in ("/intermediaries", "/intermediaries/restricted"):
            if not qs or qs.lower() in loc:
                yield {"loc": loc}

    def _get_directory_filters(self, base_domain):
        """Service types and credit grades of the published providers, with
        their counts, and the number of providers: one grouped query each,
        whatever the directory size."""
        Intermediary = request.env["gov.intermediary"].sudo()
        types = sorted(
            (
                (service_type, count)
                for service_type, count in Intermediary._read_group(
                    base_domain, groupby=["service_type_ids"], aggregates=["__count"]
                )
                if service_type and service_type.active
            ),
            key=lambda group: (group[0].code or "", group[0].id),
        )
        grade_counts = dict(
            Intermediary._read_group(base_domain, groupby=["credit_grade"], aggregates=["__count"])
        )
        grades = [
            (key, label, grade_counts[key])
            for key, label in Intermediary._fields["credit_grade"]._description_selection(
                request.env
            )
            if key in grade_counts
        ]
        # every provider has one grade or none (False): they sum up to all
        return types, grades, sum(grade_counts.values())

    @http.route(
        ["/intermediaries", "/intermediaries/page/<int:page>"],
        type="http",
        auth="public",
        website=True,
        sitemap=sitemap_intermediaries,
        readonly=True,
    )
    def intermediaries(self, page=1, search=None, **kwargs):
        """One page of PROVIDERS_PER_PAGE published providers, filtered by
        service type, credit grade and keyword (name or USCC): a count and
        one page read, never the whole directory."""
        Intermediary = request.env["gov.intermediary"].sudo()
        base_domain = Intermediary._gov_public_domain()
        types, grades, directory_total = self._get_directory_filters(base_domain)

        # only filters that can match something are applied
        type_id = _parse_positive_int(kwargs.get("type"))
        current_type = next(
            (service_type for service_type, _count in types if service_type.id == type_id),
            Intermediary.service_type_ids,
        )
        grade = kwargs.get("grade")
        current_grade = grade if isinstance(grade, str) and grade in {
            key for key, _label, _count in grades
        } else False
        search = _clean_search(search)

        domain = list(base_domain)
        url_args = {}
        if search:
            pattern = f"%{escape_psql(search)}%"
            domain += ["|", ("name", "=ilike", pattern), ("uscc", "=ilike", pattern)]
            url_args["search"] = search
        if current_type:
            domain.append(("service_type_ids", "in", current_type.ids))
            url_args["type"] = current_type.id
        if current_grade:
            domain.append(("credit_grade", "=", current_grade))
            url_args["grade"] = current_grade

        # a single filter, or none, is counted already by the filters
        if search or (current_type and current_grade):
            total = Intermediary.search_count(domain)
        elif current_type:
            total = next(count for service_type, count in types if service_type == current_type)
        elif current_grade:
            total = next(count for key, _label, count in grades if key == current_grade)
        else:
            total = directory_total
        pager = portal_pager(
            url="/intermediaries",
            total=total,
            page=_parse_positive_int(page, default=1),
            step=PROVIDERS_PER_PAGE,
            url_args=url_args,
        )
        providers = Intermediary.search(
            domain, order="name, id", limit=PROVIDERS_PER_PAGE, offset=pager["offset"]
        )
        # valid certificates of the shown providers, one query
        today = center_today(request.env)
        qualifications = request.env["gov.intermediary.qualification"].sudo().search(
            [
                ("intermediary_id", "in", providers.ids),
                "|", ("date_expiry", "=", False), ("date_expiry", ">=", today),
            ],
            order="intermediary_id, service_type_id, id",
        )
        by_provider = defaultdict(list)
        for qualification in qualifications:
            by_provider[qualification.intermediary_id.id].append(qualification)
        values = {
            "providers": providers,
            "types": types,
            "current_type": current_type,
            "grades": grades,
            "current_grade": current_grade,
            "search": search,
            "total": total,
            "pager": pager,
            "url_args": url_args,
            "qualifications": by_provider,
            # the page's body is cached (t-cache) under what it shows; the
            # day, for the qualifications that expire
            "cache_key": (
                providers, providers.service_type_ids, qualifications,
                Intermediary.service_type_ids.browse(service_type.id for service_type, _c in types),
                today, total, pager["page"], url_args, types, grades,
            ),
        }
        return request.render("gov_service_center.intermediaries_page", values)

    @http.route(
        ["/intermediaries/restricted", "/intermediaries/restricted/page/<int:page>"],
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        readonly=True,
    )
    def intermediaries_restricted(self, page=1, **kwargs):
        Restriction = request.env["gov.credit.restriction"].sudo()
        domain = Restriction._gov_public_domain()
        pager = portal_pager(
            url="/intermediaries/restricted",
            total=Restriction.search_count(domain),
            page=_parse_positive_int(page, default=1),
            step=RESTRICTIONS_PER_PAGE,
        )
        restrictions = Restriction.search(
            domain, order="date_start desc, id desc",
            limit=RESTRICTIONS_PER_PAGE, offset=pager["offset"],
        )
        return request.render(
            "gov_service_center.intermediaries_restricted_page",
            {"restrictions": restrictions, "pager": pager},
        )

    @http.route(
        ["/intermediaries/results/<int:year>", "/intermediaries/results/<int:year>/page/<int:page>"],
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        readonly=True,
    )
    def intermediaries_results(self, year, page=1, **kwargs):
        if not 2000 <= year <= 2100:
            raise request.not_found()
        Score = request.env["gov.intermediary.year.score"].sudo()
        domain = Score._gov_public_domain() + [("year", "=", year)]
        total = Score.search_count(domain)
        if not total:
            raise request.not_found()
        pager = portal_pager(
            url=f"/intermediaries/results/{year}",
            total=total,
            page=_parse_positive_int(page, default=1),
            step=RESULTS_PER_PAGE,
        )
        scores = Score.search(
            domain, order="grade, weighted_score desc, id",
            limit=RESULTS_PER_PAGE, offset=pager["offset"],
        )
        commended = Score.search(
            domain + [("commendation_state", "=", "confirmed")],
            order="weighted_score desc, id", limit=RESULTS_PER_PAGE,
        )
        return request.render(
            "gov_service_center.intermediaries_results_page",
            {"year": year, "scores": scores, "commended": commended, "pager": pager},
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
