# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import html
import re
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from ..models.gov_settings import param_key
from .common import GovServiceCenterCase, RatingFixtures

TZ = "Asia/Shanghai"
# 23:30 on 30 November and 00:30 on 1 December in Asia/Shanghai (UTC+8):
# the same UTC day, two months of the center
EVENING = "2026-11-30 15:30:00"
MORNING = "2026-11-30 16:30:00"
NOV, DEC = date(2026, 11, 1), date(2026, 12, 1)

# source -> (model, live domain, month group-by, {measure: (aggregate, extra domain)})
LIVE = {
    "rating": (
        "gov.service.rating", [("counts_in_ledger", "=", True)], "rating_day:month",
        {
            "rating_count": ("__count", []),
            "rating_level_sum": ("level:sum", []),
            "rating_bad_count": ("__count", [("is_bad", "=", True)]),
            "rating_bad_open_count": ("__count", [
                ("is_bad", "=", True),
                ("rectification_state", "in", ("to_verify", "rectifying", "followed_up")),
            ]),
        },
    ),
    "consultation": (
        "gov.consultation", [("active", "=", True)], "date_submitted:month",
        {
            "consultation_count": ("__count", []),
            "consultation_answered_count": ("__count", [("state", "in", ("answered", "closed"))]),
            "consultation_overdue_count": ("overdue_count:sum", []),
        },
    ),
    "complaint": (
        "gov.complaint", [], "date_received:month",
        {
            "complaint_count": ("__count", []),
            "complaint_closed_count": ("__count", [("state", "=", "closed")]),
        },
    ),
    "attendance": (
        "gov.attendance.day", [], "date:month",
        {
            "attendance_day_count": ("__count", [("result", "!=", "rest_day")]),
            "attendance_late_count": ("__count", [("late_minutes", ">", 0)]),
            "attendance_absent_count": ("__count", [("result", "=", "absent")]),
            "attendance_missed_punches": ("missed_punches:sum", []),
        },
    ),
    "queue": (
        "gov.queue.ticket", [], "date:month",
        {
            "ticket_count": ("__count", []),
            "ticket_served_count": ("__count", [("state", "=", "done")]),
        },
    ),
}


def _month(value):
    return value.date() if isinstance(value, datetime) else value


@tagged("post_install", "-at_install")
class TestStatMonthly(RatingFixtures, GovServiceCenterCase):
    """The stored monthly statistics equal a live read_group of their sources."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(param_key("center_tz"), TZ)
        cls._rating_setup(cls.dept_a, cls.dept_b)
        cls.Stat = cls.env["gov.stat.monthly"]
        cls.Stat._gov_stat_rebuild()
        cls.item_c = cls._create_item(name="GscStat item", department_id=cls.dept_c.id, state="active")
        cls.clerk = cls.env["hr.employee"].create(
            {"name": "GscStat Clerk", "department_id": cls.dept_a.id, "gov_window_id": cls.window.id}
        )

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _live(self, source):
        model, domain, month, measures = LIVE[source]
        Model = self.env[model].with_context(tz=TZ, active_test=False)
        result = {}
        # a ticket has the department of its window, else of its item
        groupby = ["window_id", "item_id"] if source == "queue" else ["department_id"]
        for measure, (aggregate, extra) in measures.items():
            for group_month, *keys, value in Model._read_group(
                domain + extra, [month, *groupby], [aggregate]
            ):
                if source == "queue":
                    department = keys[0].department_id or keys[1].department_id
                else:
                    department = keys[0]
                key = (_month(group_month), department.id)
                row = result.setdefault(key, dict.fromkeys(measures, 0))
                row[measure] += value or 0
        return result

    def _stored(self, source):
        measures = LIVE[source][3]
        groups = self.Stat._read_group(
            [("source", "=", source)], ["month:month", "department_id"],
            [f"{measure}:sum" for measure in measures],
        )
        return {
            (_month(month), department.id): dict(zip(measures, (value or 0 for value in values)))
            for month, department, *values in groups
        }

    def assertStatsMatch(self, *sources):
        self.env.flush_all()
        for source in sources or LIVE:
            with self.subTest(source=source):
                self.assertEqual(self._stored(source), self._live(source))

    def _rating(self, level, window, when):
        return self.env["gov.service.rating"].create(
            {"level": level, "window_id": window.id, "date": when, "channel": "terminal"}
        )

    def _consultation(self, department, kind="consultation"):
        return self.env["gov.consultation"].create({
            "name": "GscStat question", "question": "When?", "kind": kind,
            "contact_name": "Zhang", "contact_phone": "13800000000",
            "department_id": department.id,
        })

    def _complaint(self, department):
        return self.env["gov.complaint"].create({
            "name": "GscStat complaint", "description": "Late.",
            "complainant_phone": "13800000000", "department_id": department.id,
        })

    def _records_across_midnight(self):
        records = {}
        with freeze_time(EVENING):
            records["good"] = self._rating(5, self.window, EVENING)
            records["bad"] = self._rating(1, self.window, EVENING)
            records["question"] = self._consultation(self.dept_a)
            records["letter"] = self._consultation(self.dept_b, kind="mailbox")
            records["complaint"] = self._complaint(self.dept_a)
            records["day"] = self.env["gov.attendance.day"].create({
                "employee_id": self.clerk.id, "department_id": self.dept_a.id,
                "window_id": self.window.id, "date": "2026-11-30",
                "result": "late", "late_minutes": 7,
            })
            records["ticket"] = self.env["gov.queue.ticket"].sudo().create({"zone_id": self.zone.id})
            records["item_ticket"] = self.env["gov.queue.ticket"].sudo().create(
                {"zone_id": self.zone.id, "item_id": self.item_c.id}
            )
        with freeze_time(MORNING):
            records["december"] = self._rating(4, self.window_b, MORNING)
            records["december_question"] = self._consultation(self.dept_a)
            records["december_complaint"] = self._complaint(self.dept_b)
        return records

    # ------------------------------------------------------------------
    # tests
    # ------------------------------------------------------------------
    def test_month_of_the_center(self):
        records = self._records_across_midnight()
        self.assertEqual(records["question"].date_submitted.date(),
                         records["december_question"].date_submitted.date())
        keys = self.Stat._gov_stat_refresh()
        self.assertEqual(keys, {
            ("rating", NOV, self.dept_a.id), ("rating", DEC, self.dept_b.id),
            ("consultation", NOV, self.dept_a.id), ("consultation", NOV, self.dept_b.id),
            ("consultation", DEC, self.dept_a.id),
            ("complaint", NOV, self.dept_a.id), ("complaint", DEC, self.dept_b.id),
            ("attendance", NOV, self.dept_a.id),
            ("queue", NOV, 0), ("queue", NOV, self.dept_c.id),
        })
        self.assertStatsMatch()
        rows = self.Stat.search([("source", "=", "consultation")])
        self.assertEqual(
            sorted((r.month, r.department_id, r.kind, r.consultation_count) for r in rows),
            sorted([(NOV, self.dept_a, "consultation", 1), (NOV, self.dept_b, "mailbox", 1),
                    (DEC, self.dept_a, "consultation", 1)]),
        )
        nov_a = self.Stat.search([("source", "=", "rating"), ("month", "=", NOV),
                                  ("department_id", "=", self.dept_a.id)])
        self.assertEqual(
            (nov_a.rating_count, nov_a.rating_level_sum, nov_a.rating_bad_count,
             nov_a.rating_bad_open_count, nov_a.window_id),
            (2, 6, 1, 1, self.window),
        )

    def test_writes_refresh_only_changed_months(self):
        records = self._records_across_midnight()
        self.Stat._gov_stat_refresh()
        december = self.Stat.search([("source", "=", "rating"), ("month", "=", DEC)])
        computed_on = december.refreshed_at

        with freeze_time("2026-12-02 02:00:00"):
            # a rating moves to the window of department B (its department is recomputed)
            records["good"]._gov_register_bypass().write({"window_id": self.window_b.id})
            self.assertEqual(self.Stat._gov_stat_refresh(), {
                ("rating", NOV, self.dept_a.id), ("rating", NOV, self.dept_b.id),
            })
            self.assertStatsMatch("rating")
            self.assertEqual(december.refreshed_at, computed_on, "December was not recomputed")

            # a question goes to another department, a letter is archived
            records["question"].department_id = self.dept_b
            records["letter"].active = False
            self.assertEqual(self.Stat._gov_stat_refresh(), {
                ("consultation", NOV, self.dept_a.id), ("consultation", NOV, self.dept_b.id),
            })
            self.assertStatsMatch("consultation")

            # an attendance result re-evaluated, a complaint closed in December
            records["day"].write({"result": "absent", "late_minutes": 0, "absent_half_days": 2})
            records["december_complaint"].sudo().write({"state": "closed"})
            self.assertEqual(self.Stat._gov_stat_refresh(), {
                ("attendance", NOV, self.dept_a.id), ("complaint", DEC, self.dept_b.id),
            })
            self.assertStatsMatch("attendance", "complaint")

            # a ticket of an item of department C is called by a window of department A
            records["item_ticket"].sudo().write({"window_id": self.window.id})
            self.assertEqual(self.Stat._gov_stat_refresh(), {
                ("queue", NOV, self.dept_c.id), ("queue", NOV, self.dept_a.id),
            })
            self.assertStatsMatch("queue")

            # a window changes department: its ratings follow, without any write on them
            self.window_b.department_id = self.dept_c
            self.assertEqual(self.Stat._gov_stat_refresh(), {
                ("rating", NOV, self.dept_b.id), ("rating", NOV, self.dept_c.id),
                ("rating", DEC, self.dept_b.id), ("rating", DEC, self.dept_c.id),
            })
            self.assertStatsMatch("rating")

            # a write that changes no figure marks nothing
            records["december_question"].answer = "Draft"
            self.assertEqual(self.Stat._gov_stat_refresh(), set())
        self.assertStatsMatch()

    def test_deletes(self):
        records = self._records_across_midnight()
        self.Stat._gov_stat_refresh()
        self.assertEqual(self.Stat.search_count([("source", "=", "queue")]), 2)
        records["ticket"].with_user(self.user_admin).unlink()
        self.assertEqual(self.Stat._gov_stat_refresh(), {("queue", NOV, 0)})
        # the month and department left without tickets has no row any more
        rows = self.Stat.search([("source", "=", "queue")])
        self.assertEqual(rows.department_id, self.dept_c)
        self.assertStatsMatch()

    def test_reading_brings_figures_up_to_date(self):
        self._records_across_midnight()
        # no explicit refresh: a reading recomputes the pending months first
        self.assertStatsMatch()
        self.env.flush_all()
        self.assertFalse(self.env["gov.stat.monthly.dirty"].search_count([]))

    def test_rebuild_equals_refresh(self):
        self._records_across_midnight()
        self.Stat._gov_stat_refresh()
        fields_ = [name for name, field in self.Stat._fields.items()
                   if field.store and name not in ("id", "refreshed_at")]
        before = sorted(tuple(str(v) for v in row.values()) for row in self.Stat.search_read([], fields_, load=None))
        self.Stat._gov_stat_rebuild()
        after = sorted(tuple(str(v) for v in row.values()) for row in self.Stat.search_read([], fields_, load=None))
        self.assertEqual(before, after)

    def test_time_zone_change_rebuilds(self):
        self._records_across_midnight()
        self.Stat._gov_stat_refresh()
        self.env["ir.config_parameter"].sudo().set_param(param_key("center_tz"), "Europe/Paris")
        self.assertEqual(self.Stat._gov_stat_refresh(), {"*"})
        months = set(self.Stat.search([("source", "=", "consultation")]).mapped("month"))
        self.assertEqual(months, {NOV})

    def test_overview_reads_the_statistics(self):
        Overview = self.env["gov.center.overview"].with_user(self.user_viewer)

        def figures():
            self.env.invalidate_all()
            return {row["metric"]: row["value"] for row in Overview.search_read([], ["metric", "value"])}

        with freeze_time(MORNING):
            before = figures()
            self._rating(2, self.window, MORNING)
            self._consultation(self.dept_a)
            after = figures()
            self.assertEqual(after["ratings_this_month"], before["ratings_this_month"] + 1)
            self.assertEqual(after["bad_ratings_open"], before["bad_ratings_open"] + 1)
            self.assertEqual(after["consultations_this_year"], before["consultations_this_year"] + 1)
            # with nothing left to refresh: a look at the queue, then the figures,
            # however many records the sources hold
            self._rating(5, self.window, MORNING)
            Overview.search_read([], ["metric", "value"])
            self.env.invalidate_all()
            with self.assertQueryCount(2):
                Overview.search_read([], ["metric", "value"])
            self.env["gov.service.rating"].create([
                {"level": 4, "window_id": self.window.id, "date": MORNING, "channel": "terminal"}
                for _index in range(30)
            ])
            self.Stat._gov_stat_refresh()
            self.env.invalidate_all()
            with self.assertQueryCount(2):
                rows = Overview.search_read([], ["metric", "value"])
            figures_now = {row["metric"]: row["value"] for row in rows}
            self.assertEqual(figures_now["ratings_this_month"], after["ratings_this_month"] + 31)

    def test_staff_on_duty_today(self):
        Attendance = self.env["hr.attendance"]
        with freeze_time(EVENING):
            before = {r.metric: r.value for r in self.env["gov.center.overview"].search([])}
            Attendance.create({"employee_id": self.clerk.id, "check_in": "2026-11-30 01:00:00"})
            self.env.invalidate_all()
            after = {r.metric: r.value for r in self.env["gov.center.overview"].search([])}
            self.assertEqual(after["staff_on_duty_today"], before["staff_on_duty_today"] + 1)
        with freeze_time(MORNING):
            # local midnight passed: yesterday's open attendance no longer counts
            self.env.invalidate_all()
            later = {r.metric: r.value for r in self.env["gov.center.overview"].search([])}
            self.assertEqual(later["staff_on_duty_today"], before["staff_on_duty_today"])


@tagged("post_install", "-at_install")
class TestStatMonthlyAccess(GovServiceCenterCase):
    def test_access(self):
        Stat = self.env["gov.stat.monthly"]
        for user in (self.user_viewer, self.user_inspector, self.user_officer, self.user_admin):
            with self.subTest(user=user.login):
                self.assertTrue(Stat.with_user(user).has_access("read"))
                for operation in ("write", "create", "unlink"):
                    self.assertFalse(Stat.with_user(user).has_access(operation))
        for user in (self.user_public, self.user_portal, self.user_internal):
            with self.subTest(user=user.login):
                for operation in ("read", "write", "create", "unlink"):
                    self.assertFalse(Stat.with_user(user).has_access(operation))
        Dirty = self.env["gov.stat.monthly.dirty"]
        self.assertTrue(Dirty.with_user(self.user_admin).has_access("read"))
        for user in (self.user_viewer, self.user_officer, self.user_portal, self.user_public):
            self.assertFalse(Dirty.with_user(user).has_access("read"))

    def test_viewer_reads_and_refreshes(self):
        Stat = self.env["gov.stat.monthly"].with_user(self.user_viewer)
        Stat.search_read([], ["month", "source", "department_id"])
        Stat.read_group([], ["rating_count:sum"], ["department_id"])
        self.assertEqual(Stat.action_refresh()["tag"], "soft_reload")

    def test_actions_open_on_last_twelve_months(self):
        """The statistics open on the last 12 months of the center (a pivot of
        every month since the start would grow with the years); the filter
        can be removed to see them all."""
        search_view = self.env["gov.stat.monthly"].get_view(view_type="search")["arch"]
        match = re.search(r'<filter name="last_12_months"[^>]*domain="([^"]*)"', search_view)
        self.assertTrue(match, "the search view offers the last 12 months")
        domain = safe_eval(html.unescape(match.group(1)), {
            "context_today": lambda: date(2026, 2, 1),
            "relativedelta": relativedelta,
        })
        self.assertEqual(domain, [("month", ">=", "2025-03-01")])
        actions = self.env["ir.actions.act_window"].search([("res_model", "=", "gov.stat.monthly")])
        self.assertGreaterEqual(len(actions), 7)
        for action in actions:
            with self.subTest(action=action.name):
                context = safe_eval(action.context or "{}", {"uid": self.env.uid})
                self.assertEqual(context.get("search_default_last_12_months"), 1)
