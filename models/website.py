# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from .gov_center_time import center_month_bounds, center_today

HOME_LIST_SIZE = 5
# figures of the center overview shown on the home page: metric -> home figure
HOME_OVERVIEW_METRICS = {
    "published_items": "active_items",  # the public catalog (_gov_public_domain)
    "satisfaction_rate": "satisfaction_rate",
    "visitors_today": "visitors_today",
}


class Website(models.Model):
    _inherit = "website"

    def _gov_center_year(self):
        """The year in the center's time zone (the copyright line's)."""
        return center_today(self.env).year

    def _gov_home_values(self):
        """What the home page shows besides its editable blocks: live figures,
        the latest policies and department news and the hall with the
        tickets waiting in each zone. A fixed number of queries, whatever
        the size of the catalog, the hall or the archives."""
        self.ensure_one()
        env = self.env
        figures = {
            "active_items": 0,
            "satisfaction_rate": 0.0,
            "visitors_today": 0,
            "cases_done_month": 0,
        }
        # one query over the center overview, the figures of the back office
        for row in env["gov.center.overview"].sudo().with_context(
            gov_overview_metrics=tuple(HOME_OVERVIEW_METRICS),
        ).search_read(
            [("metric", "in", tuple(HOME_OVERVIEW_METRICS))], ["metric", "value"]
        ):
            figures[HOME_OVERVIEW_METRICS[row["metric"]]] = row["value"]
        if "gov.case" in env:
            Case = env["gov.case"].sudo()
            if "date_decided" in Case._fields:
                first, last = center_month_bounds(env)
                figures["cases_done_month"] = Case.search_count(
                    [("date_decided", ">=", first), ("date_decided", "<=", last)]
                )

        Policy = env["gov.policy.document"]
        policies = Policy.sudo().search_fetch(
            Policy._gov_public_domain(),
            # write_date: the cache key of the block that shows them
            ["name", "doc_number", "date_issued", "write_date"],
            order="date_issued desc, id desc",
            limit=HOME_LIST_SIZE,
        )

        news_blog = env.ref("gov_service_center.blog_department_news", raise_if_not_found=False)
        news = env["blog.post"]
        news_url = "/news"
        if news_blog:
            news = news.sudo().search_fetch(
                [
                    ("blog_id", "=", news_blog.id),
                    ("is_published", "=", True),
                    ("post_date", "<=", fields.Datetime.now()),
                ] + self.website_domain(),
                ["name", "post_date", "blog_id", "write_date"],
                order="post_date desc, id desc",
                limit=HOME_LIST_SIZE,
            )

        Ticket = env["gov.queue.ticket"].sudo()
        zones = env["gov.hall.zone"].sudo().search_fetch(
            [("active", "=", True), ("zone_type", "!=", "self_service")],
            ["name", "location", "ticket_prefix"],
        )
        _now, local = Ticket._gov_local_now()
        waiting = dict(Ticket._read_group(
            [("date", "=", local.date()), ("state", "=", "waiting"), ("zone_id", "in", zones.ids)],
            ["zone_id"], ["__count"],
        ))
        return {
            "figures": figures,
            "policies": policies,
            "news": news,
            "news_url": news_url,
            "zones": [(zone, waiting.get(zone, 0)) for zone in zones],
        }
