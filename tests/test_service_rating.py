# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.gov_service_center.models.gov_service_rating import GovServiceRating

from .common import GovServiceCenterCase, PublicFormMixin, RatingFixtures, website_in_english


@tagged("post_install", "-at_install")
class TestServiceRating(RatingFixtures, GovServiceCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._rating_setup(cls.dept_a, cls.dept_b)
        cls.Rating = cls.env["gov.service.rating"]

    def _rate(self, level, **vals):
        values = {"level": level, "channel": "hall_qr", "window_id": self.window.id,
                  "employee_id": self.employee.id, "date": "2026-03-02 02:00:00"}
        values.update(vals)
        return self.Rating.create(values)

    def test_levels_and_bad(self):
        ratings = {level: self._rate(level) for level in range(1, 6)}
        self.assertEqual([ratings[lv].is_bad for lv in range(1, 6)], [True, True, False, False, False])
        self.assertEqual(ratings[3].satisfaction_rate, 100)
        self.assertEqual(ratings[2].satisfaction_rate, 0)
        self.assertEqual(ratings[1].rectification_state, "to_verify")
        self.assertEqual(ratings[4].rectification_state, "none")
        self.assertEqual(ratings[4].department_id, self.dept_a)
        self.assertTrue(ratings[4].name.startswith("PJ"))
        for bad in (0, 6, -1):
            with self.assertRaises(ValidationError):
                self._rate(bad)

    def test_indicators_follow_level_and_channel(self):
        self._rate(5, indicator_ids=[(6, 0, self.ind_good.ids)])
        self._rate(1, indicator_ids=[(6, 0, self.ind_bad.ids)])
        with self.assertRaises(ValidationError):
            self._rate(5, indicator_ids=[(6, 0, self.ind_bad.ids)])
        with self.assertRaises(ValidationError):
            self._rate(5, indicator_ids=[(6, 0, self.ind_online.ids)])  # online only
        self._rate(5, channel="website", indicator_ids=[(6, 0, self.ind_online.ids)])

    def test_rectification_workflow_and_deadlines(self):
        # Monday 2 March 2026, 10:00 in Meishan; a holiday on Tuesday 3 March
        self.env["gov.calendar.day"].create({"date": "2026-03-03", "day_type": "holiday"})
        rating = self._rate(2)
        self.assertEqual(rating.verify_deadline, date(2026, 3, 4))
        with self.assertRaises(UserError):
            rating.action_verify()  # no verification note
        with self.assertRaises(UserError):
            rating.action_follow_up()  # wrong state
        rating.verification_note = "Clerk confirmed the long wait"
        with freeze_time("2026-03-04"):
            rating.action_verify()
        self.assertEqual(rating.rectification_state, "rectifying")
        self.assertEqual(
            rating.rectify_deadline,
            self.env["gov.calendar.day"].add_working_days(date(2026, 3, 4), 15),
        )
        rating.rectification_note = "Second clerk at peak hours"
        with self.assertRaises(UserError):
            rating.action_follow_up()  # no follow-up call
        rating.followup_note = "Called back, citizen informed"
        rating.action_follow_up()
        self.assertEqual(rating.rectification_state, "followed_up")
        with self.assertRaises(UserError):
            rating.action_close()  # no second rating
        rating.second_level = 4
        rating.action_close()
        self.assertEqual(rating.rectification_state, "closed")
        self.assertTrue(rating.closed_date)

    def test_rectify_days_configurable(self):
        self.env["ir.config_parameter"].set_param("gov_service_center.rating_rectify_days", "5")
        rating = self._rate(1, verification_note="checked")
        with freeze_time("2026-03-02"):
            rating.action_verify()
        self.assertEqual(rating.rectify_deadline, date(2026, 3, 9))

    def test_overdue(self):
        late = self._rate(1)
        on_time = self._rate(1, date="2026-03-05 02:00:00")
        with freeze_time("2026-03-05"):
            self.assertTrue(late.is_overdue)
            self.assertIn(late, self.Rating.search([("is_overdue", "=", True)]))
            self.assertFalse(on_time.is_overdue)
            self.assertEqual(late.date_deadline, late.verify_deadline)
            late.verification_note = "checked"
            late.action_verify()
            self.assertEqual(late.date_deadline, late.rectify_deadline)
            self.assertFalse(late.is_overdue)

    def test_rating_is_immutable_and_never_deleted(self):
        rating = self._rate(1)
        for vals in ({"level": 5}, {"comment": "changed"}, {"rectification_state": "closed"},
                     {"appeal_state": "accepted"}, {"employee_id": self.employee_b.id}):
            with self.assertRaises(UserError):
                rating.with_user(self.user_admin).write(vals)
        with self.assertRaises(UserError):
            rating.unlink()
        with self.assertRaises(AccessError):
            rating.with_user(self.user_admin).unlink()

    @mute_logger("odoo.sql_db")
    def test_one_rating_per_ticket(self):
        ticket = self.env["gov.queue.ticket"].sudo().create({"zone_id": self.zone.id})
        ticket.write({"state": "done"})  # rated once served
        rating = self._rate(4, ticket_id=ticket.id)
        self.assertEqual(rating.ticket_id, ticket)
        # ratings without a ticket store NULL and never collide
        self.assertFalse((self._rate(4) | self._rate(5)).ticket_id)
        with self.assertRaises(Exception), self.cr.savepoint():
            self._rate(5, ticket_id=ticket.id)

    def test_appeal(self):
        rating = self._rate(1)
        officer_rating = rating.with_user(self.user_officer)
        with self.assertRaises(UserError):
            officer_rating.action_request_appeal()  # no grounds
        officer_rating.write({"appeal_reason": "malicious", "appeal_note": "Citizen was never served"})
        officer_rating.action_request_appeal()
        self.assertEqual(rating.appeal_state, "requested")
        with self.assertRaises(UserError):
            officer_rating.action_verify()  # waits for the decision
        officer_rating.appeal_decision_note = "x"
        with self.assertRaises(AccessError):
            officer_rating.action_accept_appeal()
        rating.with_user(self.user_admin).action_accept_appeal()
        self.assertEqual(rating.appeal_state, "accepted")
        self.assertEqual(rating.rectification_state, "closed")
        self.assertFalse(rating.counts_in_ledger)
        with self.assertRaises(UserError):
            rating.with_user(self.user_admin).action_request_appeal()

    def test_appeal_rejected(self):
        rating = self._rate(2, appeal_reason="mistaken", appeal_note="Wrong button")
        rating.action_request_appeal()
        rating.appeal_decision_note = "The citizen confirmed the rating"
        rating.with_user(self.user_admin).action_reject_appeal()
        self.assertEqual(rating.appeal_state, "rejected")
        self.assertEqual(rating.rectification_state, "to_verify")
        self.assertTrue(rating.counts_in_ledger)

    def test_ledger_lines(self):
        bad = self._rate(1, date="2026-03-02 02:00:00")
        good = self._rate(5, date="2026-03-10 02:00:00")
        self._rate(4, date="2026-03-11 02:00:00")
        self._rate(1, date="2026-04-01 02:00:00")  # out of the period
        self._rate(2, employee_id=self.employee_b.id, date="2026-03-03 02:00:00")
        appealed = self._rate(2, date="2026-03-04 02:00:00", appeal_reason="mistaken", appeal_note="x")
        appealed.action_request_appeal()
        appealed.appeal_decision_note = "accepted"
        appealed.with_user(self.user_admin).action_accept_appeal()
        # late evening in Meishan on 31 March is still March
        late_evening = self._rate(1, date="2026-03-31 15:30:00")
        lines = self.Rating._gov_ledger_lines(date(2026, 3, 1), date(2026, 3, 31), self.employee)
        by_record = {line["res_id"]: line for line in lines}
        self.assertEqual(set(by_record), {bad.id, good.id, late_evening.id})
        self.assertEqual(by_record[bad.id]["points"], -2.0)
        self.assertEqual(by_record[good.id]["points"], 0.5)
        self.assertEqual(by_record[bad.id]["date"], date(2026, 3, 2))
        self.assertEqual(by_record[late_evening.id]["date"], date(2026, 3, 31))
        for line in lines:
            self.assertEqual(line["employee_id"], self.employee.id)
            self.assertEqual(line["res_model"], "gov.service.rating")
            self.assertTrue(line["cause"])
        self.env["ir.config_parameter"].set_param("gov_service_center.rating_good_points", "0")
        self.env["ir.config_parameter"].set_param("gov_service_center.rating_bad_points", "-3")
        lines = self.Rating._gov_ledger_lines("2026-03-01", "2026-03-31", self.employee)
        self.assertEqual(sorted(line["points"] for line in lines), [-3.0, -3.0])

    def test_access(self):
        rating_a = self._rate(1)
        rating_b = self._rate(1, window_id=self.window_b.id, employee_id=self.employee_b.id,
                              rater_name="Citizen Zhang", rater_phone="13800000000")
        # rater identity: administrators only
        for user in (self.user_viewer, self.user_inspector, self.user_officer):
            with self.assertRaises(AccessError):
                rating_b.with_user(user).read(["rater_phone"])
            self.assertTrue(rating_b.with_user(user).read(["level", "comment"]))
        self.assertEqual(rating_b.with_user(self.user_admin).rater_phone, "13800000000")
        # officers handle the ratings of their departments' windows
        rating_a.with_user(self.user_officer).verification_note = "checked"
        rating_a.with_user(self.user_officer).action_verify()
        with self.assertRaises(AccessError):
            rating_b.with_user(self.user_officer).verification_note = "not mine"
        rating_b.with_user(self.user_officer_b).verification_note = "mine"
        # viewers and inspectors read only
        for user in (self.user_viewer, self.user_inspector):
            with self.assertRaises(AccessError):
                rating_a.with_user(user).rectification_note = "x"
        # nobody but administrators records ratings in the back office
        with self.assertRaises(AccessError):
            self.Rating.with_user(self.user_officer).create({"level": 5, "channel": "phone",
                                                            "window_id": self.window.id})
        self.Rating.with_user(self.user_admin).create({"level": 5, "channel": "phone"})
        # internal users without a group, portal and public users see nothing
        for user in (self.user_internal, self.user_portal, self.user_public):
            with self.assertRaises(AccessError):
                self.Rating.with_user(user).search([])
            with self.assertRaises(AccessError):
                self.env["gov.rating.indicator"].with_user(user).search([])


RATING_LIST_SPEC = {
    "display_name": {},
    "name": {},
    "date": {},
    "level_label": {},
    "channel": {},
    "window_id": {"fields": {"display_name": {}}},
    "employee_id": {"fields": {"display_name": {}}},
    "department_id": {"fields": {"display_name": {}}},
    "rectification_state": {},
    "is_overdue": {},
}


@tagged("post_install", "-at_install")
class TestServiceRatingQueryCounts(RatingFixtures, GovServiceCenterCase):
    """The rating list costs the same number of queries whatever its size."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._rating_setup(cls.dept_a, cls.dept_b)

    def _create(self, count):
        windows = [self.window, self.window_b]
        self.env["gov.service.rating"].create(
            [{"level": 1 + i % 5, "window_id": windows[i % 2].id, "employee_id": self.employee.id,
              "channel": "terminal", "indicator_ids": []} for i in range(count)]
        )

    def _count(self, user):
        Rating = self.env["gov.service.rating"].with_user(user)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        result = Rating.web_search_read([("channel", "=", "terminal")], RATING_LIST_SPEC, limit=250)
        return self.cr.sql_log_count - before, result["length"]

    def _measure(self, user):
        self._create(10)
        self._count(user)  # warm the caches
        small, length = self._count(user)
        self._create(190)
        big, length_big = self._count(user)
        self.assertEqual((length, length_big), (10, 200))
        return small, big

    def test_list_constant(self):
        for user in (self.user_admin, self.user_officer):
            with self.subTest(user=user.login):
                small, big = self._measure(user)
                self.assertEqual(small, big)
                self.assertLessEqual(big, 8)
                self.env["gov.service.rating"].search(
                    [("channel", "=", "terminal")]
                )._gov_register_bypass().write({"channel": "phone"})

    def test_list_measure_can_fail(self):
        original = GovServiceRating._compute_display_name

        def slow_display_name(records):
            for record in records:
                record.env.cr.execute("SELECT 1")
            return original(records)

        with patch.object(GovServiceRating, "_compute_display_name", slow_display_name):
            small, big = self._measure(self.user_admin)
        self.assertGreater(big, small)


@tagged("post_install", "-at_install")
class TestServiceRatingWebsite(RatingFixtures, PublicFormMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        website_in_english(cls.env)  # the indicator names checked below are English
        Department = cls.env["hr.department"]
        cls._rating_setup(Department.create({"name": "GscRat A"}), Department.create({"name": "GscRat B"}))
        cls.Rating = cls.env["gov.service.rating"]
        cls.env["ir.config_parameter"].set_param("gov_service_center.form_min_fill_seconds", "0")

    def _form_token(self, url):
        self._tokens, html = self.public_form(url)
        return self._tokens["csrf_token"], self._tokens["gov_form_ts"], html

    def _post(self, data):
        """POST ``data`` with the other hidden values of the last form fetched."""
        payload = self.public_form_payload(data, getattr(self, "_tokens", {}))
        return self.url_open("/service-rating", data=payload, allow_redirects=False, timeout=60)

    def _count(self):
        return self.Rating.search_count([])

    def test_window_rating(self):
        csrf, stamp, html = self._form_token("/service-rating?window=GSCRAT-A1")
        self.assertIn("GscRat Window A", html)
        self.assertIn(self.ind_good.name, html)
        self.assertIn(self.ind_bad.name, html)
        self.assertNotIn(self.ind_online.name, html)
        before = self._count()
        response = self._post({
            "csrf_token": csrf, "gov_form_ts": stamp, "window": "GSCRAT-A1", "level": "1",
            "indicator_ids": [str(self.ind_bad.id)], "comment": "Waited an hour",
            "rater_phone": "13900000000",
        })
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_gov_service_rating_thanks", response.text)
        self.assertEqual(self._count(), before + 1)
        rating = self.Rating.search([], order="id desc", limit=1)
        self.assertEqual(rating.level, 1)
        self.assertEqual(rating.window_id, self.window)
        self.assertEqual(rating.employee_id, self.employee)
        self.assertEqual(rating.indicator_ids, self.ind_bad)
        self.assertEqual(rating.rater_phone, "13900000000")
        self.assertEqual(rating.rectification_state, "to_verify")

    def test_portal_user_rates_through_the_route(self):
        new_test_user(self.env, "gscrat_portal", groups="base.group_portal")
        self.authenticate("gscrat_portal", "gscrat_portal")
        csrf, stamp, _html = self._form_token("/service-rating?window=GSCRAT-A1")
        before = self._count()
        response = self._post({"csrf_token": csrf, "gov_form_ts": stamp, "window": "GSCRAT-A1",
                               "level": "4"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._count(), before + 1)

    def test_window_with_several_staff_leaves_employee_empty(self):
        csrf, stamp, _html = self._form_token("/service-rating?window=GSCRAT-B1")
        self._post({"csrf_token": csrf, "gov_form_ts": stamp, "window": "GSCRAT-B1", "level": "5"})
        rating = self.Rating.search([], order="id desc", limit=1)
        self.assertEqual(rating.window_id, self.window_b)
        self.assertFalse(rating.employee_id)

    @mute_logger("odoo.http", "werkzeug", "odoo.addons.gov_service_center.controllers.form_guard")
    def test_bad_input_writes_nothing(self):
        csrf, stamp, _html = self._form_token("/service-rating?window=GSCRAT-A1")
        before = self._count()
        base = {"csrf_token": csrf, "gov_form_ts": stamp, "window": "GSCRAT-A1"}
        cases = [
            dict(base, level="0"), dict(base, level="6"), dict(base, level="x"), dict(base),
            dict(base, level="5", indicator_ids=[str(self.ind_bad.id)]),
            dict(base, level="5", indicator_ids=[str(self.ind_online.id)]),
            dict(base, level="5", indicator_ids=["abc"]),
            dict(base, level="5", indicator_ids=["99999999999999"]),
            dict(base, level="5", comment="x" * 501),
            dict(base, level="5", unknown="1"),
            dict(base, level="5", gov_form_ts="123.bad"),
            dict(base, level="5", window="NOPE"),
            dict(base, level="5", window="", ticket=""),
            dict(base, level="5", window="<script>"),
            dict(base, level="5", comment="a\x00b"),
        ]
        for data in cases:
            with self.subTest(data={k: v for k, v in data.items() if k != "csrf_token"}):
                response = self._post(data)
                self.assertIn(response.status_code, (400, 404, 409, 429))
                self.assertNotIn("Traceback", response.text)
        self.assertEqual(self._count(), before)
        # without the CSRF token
        response = self.url_open("/service-rating", allow_redirects=False, data=self.public_form_payload(
            {"window": "GSCRAT-A1", "level": "5"}, self._tokens, drop=("csrf_token",)
        ))
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._count(), before)

    def test_honeypot(self):
        csrf, stamp, _html = self._form_token("/service-rating?window=GSCRAT-A1")
        before = self._count()
        response = self._post({"csrf_token": csrf, "gov_form_ts": stamp, "window": "GSCRAT-A1",
                               "level": "5", "gov_website": "http://spam"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._count(), before)

    @mute_logger("odoo.http", "werkzeug")
    def test_bad_links(self):
        for url in ("/service-rating", "/service-rating?window=NOPE", "/service-rating?window=",
                    "/service-rating?ticket=abc", "/service-rating?ticket=" + "a" * 500,
                    "/service-rating?ticket=%00%ff", "/service-rating?window=%27%3B--",
                    "/service-rating?ticket=validlookingtoken123"):
            with self.subTest(url=url[:60]):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 404)
                self.assertIn("o_gov_service_rating_not_found", response.text)

    def test_ticket_rating_copies_and_once(self):
        """With a queue ticket, window, staff and item come from the ticket and
        the ticket is rated only once."""
        item = self.env["gov.approval.item"].create(
            {"name": "GscRat Item", "department_id": self.window.department_id.id}
        )
        self.zone.ticket_prefix = "R"
        served = self.env["gov.queue.ticket"].sudo().create(
            {"zone_id": self.zone.id, "item_id": item.id}
        )
        served.write(
            {"window_id": self.window_b.id, "employee_id": self.employee_b.id, "state": "done"}
        )
        token = served.access_token

        csrf, stamp, _html = self._form_token(f"/service-rating?ticket={token}")
        response = self._post({"csrf_token": csrf, "gov_form_ts": stamp, "ticket": token,
                               "level": "4"})
        self.assertEqual(response.status_code, 200)
        rating = self.Rating.search([("ticket_id", "=", served.id)])
        self.assertEqual(len(rating), 1)
        self.assertEqual(rating.window_id, self.window_b)
        self.assertEqual(rating.employee_id, self.employee_b)
        self.assertEqual(rating.item_id, item)
        # second time: friendly page, nothing written
        response = self.url_open(f"/service-rating?ticket={token}")
        self.assertEqual(response.status_code, 409)
        response = self._post({"csrf_token": csrf, "gov_form_ts": stamp, "ticket": token,
                               "level": "1"})
        # the same form sent again shows the same answer; never a second rating
        self.assertIn(response.status_code, (200, 409))
        self.assertEqual(self.Rating.search_count([("ticket_id", "=", served.id)]), 1)


@tagged("post_install", "-at_install")
class TestCitizenOverview(RatingFixtures, GovServiceCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._rating_setup(cls.dept_a, cls.dept_b)

    def _figures(self):
        self.env.flush_all()
        self.env.invalidate_all()
        rows = self.env["gov.center.overview"].with_user(self.user_viewer).search_read(
            [("area", "=", "citizen")], ["metric", "value"]
        )
        return {row["metric"]: row["value"] for row in rows}

    def test_citizen_figures(self):
        before = self._figures()
        self.assertTrue({"ratings_this_month", "satisfaction_rate", "bad_ratings_open",
                         "bad_ratings_overdue", "policies_in_force", "policy_visits"} <= set(before))
        Rating = self.env["gov.service.rating"]
        now = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        Rating.create([{"level": level, "window_id": self.window.id, "date": now}
                       for level in (5, 5, 4, 1)])
        appealed = Rating.create({"level": 2, "window_id": self.window.id, "date": now,
                                  "appeal_reason": "malicious", "appeal_note": "x"})
        appealed.action_request_appeal()
        appealed.appeal_decision_note = "accepted"
        appealed.with_user(self.user_admin).action_accept_appeal()
        self.env["gov.policy.document"].create(
            {"name": "GscOv doc", "issuer": "X", "date_issued": "2014-01-01", "visit_count": 40}
        )
        after = self._figures()
        self.assertEqual(after["ratings_this_month"] - before["ratings_this_month"], 4)
        self.assertEqual(after["bad_ratings_open"] - before["bad_ratings_open"], 1)
        self.assertEqual(after["policies_in_force"] - before["policies_in_force"], 1)
        self.assertEqual(after["policy_visits"] - before["policy_visits"], 40)
        if not before["ratings_this_month"]:
            self.assertEqual(after["satisfaction_rate"], 75)

    def test_overview_query_count(self):
        Overview = self.env["gov.center.overview"].with_user(self.user_viewer)
        Overview.search_read([], ["area", "metric", "value"])
        self.env.invalidate_all()
        # the figures, after one look at the queue of monthly statistics to refresh
        with self.assertQueryCount(2):
            Overview.search_read([], ["area", "metric", "value"])
