# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Public catalog of approval items (办事指南) on the website."""
import re

from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import pager as portal_pager

from .common import (  # noqa: F401 - also imported from here by other controllers
    MAX_DB_ID,
    SEARCH_MAX_LENGTH,
    clean_search as _clean_search,
    find_public_record,
    parse_positive_int as _parse_positive_int,
)

ITEMS_PER_PAGE = 20
_SAFE_URL_RE = re.compile(r"^https?://", re.IGNORECASE)


class GovServiceItemWebsite(http.Controller):
    def sitemap_service_items(env, rule, qs):
        if not qs or qs.lower() in "/service-items":
            yield {"loc": "/service-items"}

    def sitemap_service_item_guides(env, rule, qs):
        items = env["gov.approval.item"].sudo().search(env["gov.approval.item"]._gov_public_domain())
        slug = env["ir.http"]._slug
        for item in items:
            loc = f"/service-items/{slug(item)}"
            if not qs or qs.lower() in loc:
                yield {"loc": loc}

    # ------------------------------------------------------------------
    # Catalog
    # ------------------------------------------------------------------
    def _get_type_labels(self):
        Item = request.env["gov.approval.item"]
        return dict(Item._fields["item_type"]._description_selection(request.env))

    def _get_catalog_filters(self, base_domain):
        """Departments and types that have published active items, with
        their counts: one grouped query, whatever the catalog size."""
        Item = request.env["gov.approval.item"].sudo()
        department_counts, type_counts = {}, {}
        for department, item_type, count in Item._read_group(
            base_domain, groupby=["department_id", "item_type"], aggregates=["__count"]
        ):
            if department:
                department_counts[department] = department_counts.get(department, 0) + count
            type_counts[item_type] = type_counts.get(item_type, 0) + count
        departments = sorted(
            department_counts.items(), key=lambda group: (group[0].name or "").lower()
        )
        types = [
            (key, label, type_counts[key])
            for key, label in self._get_type_labels().items()
            if key in type_counts
        ]
        return departments, types

    @http.route(
        ["/service-items", "/service-items/page/<int:page>"],
        type="http",
        auth="public",
        website=True,
        sitemap=sitemap_service_items,
        readonly=True,
    )
    def service_items(self, page=1, search=None, department=None, **kwargs):
        Item = request.env["gov.approval.item"].sudo()
        base_domain = request.env["gov.approval.item"]._gov_public_domain()
        departments, types = self._get_catalog_filters(base_domain)

        search = _clean_search(search)
        # Only filters that can match something are applied; anything else
        # (garbage, unknown ids, unknown types) is ignored.
        department_id = _parse_positive_int(department)
        current_department = next(
            (dep for dep, _count in departments if dep.id == department_id),
            Item.department_id,
        )
        item_type = kwargs.get("type")
        if not isinstance(item_type, str) or item_type not in {key for key, _l, _c in types}:
            item_type = False

        domain = []
        if current_department:
            domain.append(("department_id", "=", current_department.id))
        if item_type:
            domain.append(("item_type", "=", item_type))
        # online=1: only the items that can be applied for online (网上申报)
        online = kwargs.get("online") == "1"
        if online:
            domain.append(("online_available", "=", True))

        url_args = {}
        if search:
            url_args["search"] = search
        if current_department:
            url_args["department"] = current_department.id
        if item_type:
            url_args["type"] = item_type
        if online:
            url_args["online"] = "1"

        total = len(Item._gov_public_query(search, domain))
        pager = portal_pager(
            url="/service-items",
            total=total,
            page=_parse_positive_int(page, default=1),
            step=ITEMS_PER_PAGE,
            url_args=url_args,
        )
        items = Item.browse(Item._gov_public_query(
            # by department (its id: the order of the partial index
            # gov_approval_item_public_idx), then code
            search, domain, order="department_id.id, code, id", limit=ITEMS_PER_PAGE,
            offset=pager["offset"],
        ))
        values = {
            "items": items,
            "total": total,
            "pager": pager,
            "search": search,
            "departments": departments,
            "current_department": current_department,
            "types": types,
            "type_labels": self._get_type_labels(),
            "current_type": item_type,
            "current_online": online,
            "url_args": url_args,
            # the page's body is cached (t-cache) under what it shows
            "cache_key": (
                items,
                items.department_id | Item.department_id.browse(dep.id for dep, _c in departments),
                total, pager["page"], url_args, departments, types,
            ),
        }
        return request.render("gov_service_center.service_items_page", values)

    # ------------------------------------------------------------------
    # Service guide
    # ------------------------------------------------------------------
    def _get_public_item(self, slug):
        """Return the active published item of ``slug`` (sudo) or raise 404."""
        return find_public_record("gov.approval.item", slug)

    def _prepare_guide_values(self, item):
        preconditions = item.precondition_ids.filtered(lambda p: p.state == "active")
        public_required_items = preconditions.required_item_id.filtered_domain(
            item._gov_public_domain()
        )
        online_url = item.online_url if item.online_available else False
        if online_url and not _SAFE_URL_RE.match(online_url.strip()):
            online_url = False
        return {
            "item": item,
            "main_object": item,
            "materials": item.material_ids,
            "steps": item.step_ids,
            "preconditions": preconditions,
            "public_required_items": public_required_items,
            "online_url": online_url and online_url.strip(),
            "type_labels": self._get_type_labels(),
        }

    @http.route(
        "/service-items/<string:slug>",
        type="http",
        auth="public",
        website=True,
        sitemap=sitemap_service_item_guides,
        readonly=True,
    )
    def service_item_guide(self, slug, **kwargs):
        item = self._get_public_item(slug)
        return request.render(
            "gov_service_center.service_item_guide_page", self._prepare_guide_values(item)
        )
