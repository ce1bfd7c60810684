# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Department news (部门动态) under a stable address.

The news are the posts of one website blog. Its own address ends with the
blog's id (``/blog/department-news-3``), and Odoo stops caching the rendered
header menu of every page as soon as one menu entry points to such an
address (``website.is_menu_cache_disabled``). The menu entry points here
instead; the page is the blog's own."""
from odoo import http
from odoo.http import request

from odoo.addons.website_blog.controllers.main import WebsiteBlog

NEWS_URL = "/news"


class GovDepartmentNews(http.Controller):
    @http.route(
        [NEWS_URL, f"{NEWS_URL}/page/<int:page>"],
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        readonly=True,
    )
    def department_news(self, page=1, **kwargs):
        blog = request.env.ref(
            "gov_service_center.blog_department_news", raise_if_not_found=False
        )
        if not blog or not blog.sudo().can_access_from_current_website():
            return request.redirect("/blog", code=302)
        kwargs.pop("blog", None)
        kwargs.pop("tag", None)
        # the blog's own page (posts, pager, tags), with the user's rights
        return WebsiteBlog().blog(blog=blog.with_env(request.env), page=page, **kwargs)
