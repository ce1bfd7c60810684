# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Public policy documents (政策文件) on the website."""
from odoo import http
from odoo.http import request
from odoo.tools.sql import escape_psql

from odoo.addons.portal.controllers.portal import pager as portal_pager

from .main import _clean_search, _parse_positive_int, find_public_record

POLICIES_PER_PAGE = 20
MIN_YEAR, MAX_YEAR = 1949, 2100


class GovPolicyWebsite(http.Controller):
    def sitemap_policies(env, rule, qs):
        if not qs or qs.lower() in "/policies":
            yield {"loc": "/policies"}

    def _get_state_labels(self):
        Document = request.env["gov.policy.document"]
        return dict(Document._fields["state"]._description_selection(request.env))

    def _get_policy_filters(self, base_domain):
        """Categories, issuers, years and validities of the published
        documents, with their counts: one grouped query each."""
        Document = request.env["gov.policy.document"].sudo()
        categories = sorted(
            (
                (category, count)
                for category, count in Document._read_group(
                    base_domain, groupby=["category_id"], aggregates=["__count"]
                )
                if category
            ),
            key=lambda group: (group[0].sequence, group[0].name or ""),
        )
        issuers = sorted(
            (
                (issuer, count)
                for issuer, count in Document._read_group(
                    base_domain, groupby=["issuer"], aggregates=["__count"]
                )
                if issuer
            ),
            key=lambda group: -group[1],
        )
        years = sorted(
            (
                (year, count)
                for year, count in Document._read_group(
                    base_domain, groupby=["year"], aggregates=["__count"]
                )
                if year
            ),
            reverse=True,
        )
        state_counts = dict(
            Document._read_group(base_domain, groupby=["state"], aggregates=["__count"])
        )
        states = [
            (key, label, state_counts[key])
            for key, label in self._get_state_labels().items()
            if key in state_counts
        ]
        return categories, issuers, years, states

    @http.route(
        ["/policies", "/policies/page/<int:page>"],
        type="http",
        auth="public",
        website=True,
        sitemap=sitemap_policies,
        readonly=True,
    )
    def policies(self, page=1, search=None, category=None, issuer=None, year=None, state=None, **kw):
        Document = request.env["gov.policy.document"].sudo()
        base_domain = request.env["gov.policy.document"]._gov_public_domain()
        categories, issuers, years, states = self._get_policy_filters(base_domain)

        search = _clean_search(search)
        category_id = _parse_positive_int(category)
        current_category = next(
            (cat for cat, _count in categories if cat.id == category_id), Document.category_id
        )
        issuer = _clean_search(issuer)
        current_issuer = issuer if issuer in {name for name, _c in issuers} else False
        current_year = _parse_positive_int(year)
        if current_year not in {y for y, _c in years}:
            current_year = False
        current_state = state if isinstance(state, str) and state in {k for k, _l, _c in states} else False

        domain = list(base_domain)
        if search:
            pattern = f"%{escape_psql(search)}%"
            domain += ["|", ("name", "=ilike", pattern), ("doc_number", "=ilike", pattern)]
        url_args = {}
        if search:
            url_args["search"] = search
        if current_category:
            domain.append(("category_id", "=", current_category.id))
            url_args["category"] = current_category.id
        if current_issuer:
            domain.append(("issuer", "=", current_issuer))
            url_args["issuer"] = current_issuer
        if current_year:
            domain.append(("year", "=", current_year))
            url_args["year"] = current_year
        if current_state:
            domain.append(("state", "=", current_state))
            url_args["state"] = current_state

        total = Document.search_count(domain)
        pager = portal_pager(
            url="/policies",
            total=total,
            page=_parse_positive_int(page, default=1),
            step=POLICIES_PER_PAGE,
            url_args=url_args,
        )
        documents = Document.search(
            domain, order="date_issued desc, id desc", limit=POLICIES_PER_PAGE, offset=pager["offset"]
        )
        values = {
            "documents": documents,
            "total": total,
            "pager": pager,
            "search": search,
            "categories": categories,
            "current_category": current_category,
            "issuers": issuers,
            "current_issuer": current_issuer,
            "years": years,
            "current_year": current_year,
            "states": states,
            "current_state": current_state,
            "state_labels": self._get_state_labels(),
            "url_args": url_args,
            # the page's body is cached (t-cache) under what it shows
            "cache_key": (
                documents,
                documents.category_id | Document.category_id.browse(cat.id for cat, _c in categories),
                total, pager["page"], url_args, categories, issuers, years, states,
            ),
        }
        return request.render("gov_service_center.policies_page", values)

    def _get_public_document(self, slug):
        return find_public_record("gov.policy.document", slug)

    @http.route("/policies/<string:slug>", type="http", auth="public", website=True, sitemap=True)
    def policy_page(self, slug, **kwargs):
        document = self._get_public_document(slug)
        request.env["gov.policy.visit"].sudo()._count_visit(
            document, request.httprequest.remote_addr
        )
        public = request.env["gov.policy.document"]._gov_public_domain()
        values = {
            "document": document,
            "main_object": document,
            "state_labels": self._get_state_labels(),
            "amended_by": document.amended_by_id.filtered_domain(public),
            "repealed_by": document.repealed_by_id.filtered_domain(public),
            "amends": document.amends_ids.filtered_domain(public),
            "repeals": document.repeals_ids.filtered_domain(public),
            "interpretations": document.interpretation_ids.filtered_domain(public),
            "interpreted": document.interpreted_document_id.filtered_domain(public),
            "attachments": document._get_public_attachments(),
        }
        return request.render("gov_service_center.policy_page", values)

    @http.route(
        "/policies/<string:slug>/attachment/<int:attachment_id>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        readonly=True,
    )
    def policy_attachment(self, slug, attachment_id, **kwargs):
        document = self._get_public_document(slug)
        attachment = document._get_public_attachments().filtered(
            lambda att: att.id == attachment_id
        )
        if not attachment:
            raise request.not_found()
        return request.env["ir.binary"]._get_stream_from(attachment).get_response(
            as_attachment=True
        )
