# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import tagged

from .common import GovServiceCenterCase

LIST_SPEC = {
    "code": {},
    "name": {},
    "department_id": {"fields": {"display_name": {}}},
    "item_type": {},
    "statutory_days": {},
    "promised_days": {},
    "is_on_the_spot": {},
    "fee_required": {},
    "online_available": {},
    "national_code": {},
    "is_published": {},
    "state": {},
}


@tagged("post_install", "-at_install")
class TestCatalogQueryCounts(GovServiceCenterCase):
    """The catalog list costs the same number of queries whatever its size."""

    def _count_list_queries(self, user, domain):
        Item = self.env["gov.approval.item"].with_user(user)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        result = Item.web_search_read(domain, LIST_SPEC, limit=250)
        return self.cr.sql_log_count - before, result["length"]

    def _create_items(self, count, start, prefix):
        departments = [self.dept_a, self.dept_b, self.dept_c]
        self.env["gov.approval.item"].create(
            [
                self._item_vals(
                    name=f"Catalog item {i}",
                    code=f"{prefix}-{i:05d}",
                    department_id=departments[i % 3].id,
                    state="active",
                )
                for i in range(start, start + count)
            ]
        )

    def test_list_read_constant(self):
        for user in (self.user_admin, self.user_officer):
            prefix = f"PERF{user.id}"
            domain = [("code", "=like", f"{prefix}-%")]
            self._create_items(10, 0, prefix)
            self._count_list_queries(user, domain)  # warm the registry caches
            small, length_small = self._count_list_queries(user, domain)
            self.assertEqual(length_small, 10)
            self._create_items(190, 10, prefix)
            big, length_big = self._count_list_queries(user, domain)
            self.assertEqual(length_big, 200)
            self.assertEqual(small, big, f"list read for {user.login}: {small} vs {big} queries")
            self.assertLessEqual(big, 6)

    def test_overview_query_count(self):
        Overview = self.env["gov.center.overview"].with_user(self.user_viewer)
        Overview.search_read([], ["area", "metric", "value"])
        self.env.invalidate_all()
        # the figures, after one look at the queue of monthly statistics to refresh
        with self.assertQueryCount(2):
            Overview.search_read([], ["area", "metric", "value"])

    def test_overview_some_figures(self):
        """A reader naming the figures it needs (the home page) gets the same
        values as from the whole overview, and only those branches run."""
        from ..models.gov_center_overview import OVERVIEW_SELECT_RE

        Overview = self.env["gov.center.overview"].with_user(self.user_viewer)
        queries = Overview._overview_queries()
        metrics = [OVERVIEW_SELECT_RE.match(query.code).group("metric") for query in queries]
        self.assertEqual(len(set(metrics)), len(queries), "one figure per select")
        wanted = ("satisfaction_rate", "visitors_today")
        whole = {
            row["metric"]: row["value"]
            for row in Overview.search_read([("metric", "in", wanted)], ["metric", "value"])
        }
        some = Overview.with_context(gov_overview_metrics=wanted)
        # no condition on the metric: the two figures are all there is
        rows = some.search_read([], ["metric", "value"])
        self.assertEqual({row["metric"]: row["value"] for row in rows}, whole)
        self.assertEqual(some.search_count([]), 2)
        self.assertEqual(Overview.with_context(gov_overview_metrics=("nothing",)).search_count([]), 0)


@tagged("post_install", "-at_install")
class TestListCountLimit(GovServiceCenterCase):
    """The lists over records that pile up for years count at most 1,000 rows
    per page (the pager then shows "1000+"), not the web client's 10,000."""

    def test_large_lists_count_limit(self):
        for model in ("gov.service.rating", "gov.consultation", "gov.queue.ticket",
                      "gov.case", "hr.attendance"):
            arch = self.env[model].get_view(view_type="list")["arch"]
            self.assertIn('count_limit="1000"', arch, model)
        management = self.env.ref("hr_attendance.view_attendance_tree_management")
        arch = self.env["hr.attendance"].get_view(management.id, "list")["arch"]
        self.assertIn('count_limit="1000"', arch)
