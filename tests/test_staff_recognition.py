# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import MONTH, DisciplineCase

APRIL = date(2026, 4, 1)


@tagged("post_install", "-at_install")
class TestEarlyWarning(DisciplineCase):
    def test_inspection_deduction_warns(self):
        inspection = self._inspection(self.staff[0])
        warning = self.env["gov.early.warning"].search([("employee_id", "=", self.staff[0].id)])
        self.assertEqual(len(warning), 1)
        self.assertEqual((warning.trigger, warning.res_id), ("inspection", inspection.id))
        self.assertEqual(warning.supervisor_user_id, self.supervisor_user)
        activity = warning.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.supervisor_user)
        messages = warning.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertIn(self.staff_users[0].partner_id, messages.partner_ids)
        # no duplicate for the same trigger
        self.env["gov.early.warning"]._check_inspections(inspection)
        self.assertEqual(self.env["gov.early.warning"].search_count([("key", "=", warning.key)]), 1)

    def test_supervisor_falls_back_to_department_manager(self):
        self.staff[1].parent_id = False
        self._inspection(self.staff[1])
        warning = self.env["gov.early.warning"].search([("employee_id", "=", self.staff[1].id)])
        self.assertEqual(warning.supervisor_user_id, self.leader_user)

    def test_triggers_configurable(self):
        self.env["ir.config_parameter"].set_param("gov_service_center.warning_inspection", "False")
        self._inspection(self.staff[0])
        self.assertFalse(self.env["gov.early.warning"].search([]))
        settings = self.env["res.config.settings"].create({})
        self.assertFalse(settings.gov_warning_inspection)
        settings.write({"gov_warning_inspection": True, "gov_warning_late_count": 0})
        settings.execute()
        trig = self.env["gov.early.warning"]._get_trigger_settings()
        self.assertEqual((trig["inspection"], trig["late_count"]), (True, 0))

    def test_no_deduction_no_warning(self):
        self._inspection(self.staff[0], points=0, rule=self.env["gov.conduct.rule"], description="Noted")
        self.assertFalse(self.env["gov.early.warning"].search([]))

    def test_month_check_without_other_features(self):
        # attendance and ratings may not be installed: nothing happens
        self.env["gov.early.warning"]._check_month(MONTH)
        self.env["gov.early.warning"]._cron_check()

    def test_warnings_are_kept(self):
        self._inspection(self.staff[0])
        warning = self.env["gov.early.warning"].search([])
        with self.assertRaises(UserError):
            warning.with_user(self.user_admin).unlink()
        warning.with_user(self.user_admin).action_done()
        self.assertEqual(warning.state, "done")
        self.assertFalse(warning.activity_ids)


@tagged("post_install", "-at_install")
class TestLeaderNotice(DisciplineCase):
    def _close(self, month):
        Ledger = self.env["gov.points.ledger"]
        Ledger.compute_month(month)
        Ledger._after_month_computed(month)

    def test_low_score_notice(self):
        self._inspection(self.staff[0], rule=self.rule_quarrel)
        self._inspection(self.staff[0], rule=self.env.ref("gov_service_center.conduct_rule_fee"))
        self._inspection(self.staff[1], rule=self.env.ref("gov_service_center.conduct_rule_fee"))
        self._close(MONTH)
        notice = self.env["gov.leader.notice"].search([("month", "=", MONTH)])
        self.assertEqual(len(notice), 1)
        self.assertEqual(notice.window_id, self.window_a)
        self.assertEqual((notice.score, notice.reason), (90.0 - 2.5, "low_score"))
        self.assertEqual(notice.manager_user_id, self.leader_user)
        self.assertEqual(len(notice.cause_line_ids), 3)
        self.assertEqual(len(notice.causes), 3)
        self.assertEqual(sum(cause["points"] for cause in notice.causes), -25)
        self.assertIn(self.leader_user.partner_id, notice.message_ids.partner_ids)
        # idempotent
        self._close(MONTH)
        self.assertEqual(self.env["gov.leader.notice"].search_count([("month", "=", MONTH)]), 1)
        html = self.env["ir.actions.report"]._render_qweb_html(
            "gov_service_center.action_report_gov_leader_notice", notice.ids
        )[0].decode()
        self.assertIn("Housing A", html)
        self.assertIn("87.50", html)
        self.assertIn(self.rule_quarrel.name, html)
        with self.assertRaises(UserError):
            notice.with_user(self.user_admin).unlink()

    def test_last_two_months_in_a_row(self):
        self._inspection(self.staff[0], day=date(2026, 3, 3))
        self._close(MONTH)
        self.assertFalse(self.env["gov.leader.notice"].search([]), "one month last is not enough")
        self._inspection(self.staff[1], day=date(2026, 4, 3))
        self._close(APRIL)
        notice = self.env["gov.leader.notice"].search([])
        self.assertEqual((notice.window_id, notice.month, notice.reason), (self.window_a, APRIL, "last_twice"))

    def test_threshold_setting(self):
        self.env["ir.config_parameter"].set_param("gov_service_center.notice_threshold", "101")
        self._close(MONTH)
        self.assertEqual(len(self.env["gov.leader.notice"].search([])), 2)

    def test_officer_acknowledges_own_department(self):
        self.env["ir.config_parameter"].set_param("gov_service_center.notice_threshold", "101")
        self._close(MONTH)
        notice = self.env["gov.leader.notice"].search([], limit=1)
        notice.with_user(self.user_officer_b).action_acknowledge()
        self.assertEqual(notice.state, "acknowledged")
        with self.assertRaises(AccessError):
            notice.with_user(self.user_officer).write({"reply": "not mine"})


@tagged("post_install", "-at_install")
class TestServiceStar(DisciplineCase):
    def _close(self):
        Ledger = self.env["gov.points.ledger"]
        Ledger.compute_month(MONTH)
        Ledger._after_month_computed(MONTH)
        return self.env["gov.service.star"].search([("month", "=", MONTH)])

    def test_nomination(self):
        self.env["ir.config_parameter"].set_param("gov_service_center.star_count", "2")
        self._inspection(self.staff[0])
        ledger = self.env["gov.points.ledger"].compute_month(MONTH, self.staff[3])
        self.env["gov.points.ledger.line"].create({"ledger_id": ledger.id, "cause": "Praise", "points": 2})
        stars = self._close()
        self.assertEqual(len(stars), 2)
        self.assertEqual(stars.sorted("rank")[0].employee_id, self.staff[3])
        self.assertNotIn(self.staff[0], stars.employee_id, "inspected staff are not nominated")
        self.assertEqual(set(stars.mapped("state")), {"nominated"})
        self.assertEqual(stars.sorted("rank")[0].score, 102)
        # approved stars are kept when nominations are recomputed
        best = stars.sorted("rank")[0]
        best.with_user(self.user_admin).action_approve()
        again = self._close()
        self.assertEqual(len(again), 2)
        self.assertIn(best, again)

    def test_workflow_rights(self):
        stars = self._close()
        self.assertEqual(len(stars), 3)
        star = stars[0]
        for user in (self.user_viewer, self.user_inspector, self.user_officer):
            with self.assertRaises(UserError):
                star.with_user(user).action_approve()
        with self.assertRaises(UserError):
            star.with_user(self.user_admin).action_publish()
        star.with_user(self.user_admin).action_approve()
        star.with_user(self.user_admin).write({"citation": "热情周到"})
        star.with_user(self.user_admin).action_publish()
        self.assertEqual(star.state, "published")
        with self.assertRaises(UserError):
            star.with_user(self.user_admin).unlink()
        stars[1].with_user(self.user_admin).unlink()  # a nomination can be dropped

    def test_overview_and_settings(self):
        Overview = self.env["gov.center.overview"]
        before = Overview.search([("metric", "=", "stars_published")]).value
        star = self._close()[0]
        star.action_approve()
        star.action_publish()
        self.env.flush_all()
        self.assertEqual(Overview.search([("metric", "=", "stars_published")]).value, before + 1)
        settings = self.env["res.config.settings"].create({})
        self.assertEqual((settings.gov_star_count, settings.gov_notice_threshold), (3, 90))
        settings.write({"gov_star_count": 5, "gov_notice_threshold": 85})
        settings.execute()
        self.assertEqual(self.env["gov.service.star"]._get_star_count(), 5)
        self.assertEqual(self.env["gov.leader.notice"]._get_threshold(), 85)

    def test_bulletin_html(self):
        stars = self._close()
        stars.write({"citation": "Always smiling"})
        html = self.env["ir.actions.report"]._render_qweb_html(
            "gov_service_center.action_report_gov_service_star_bulletin", stars.ids
        )[0].decode()
        self.assertIn("2026-03", html)
        self.assertEqual(html.count("o_gov_bulletin_star"), 3)
        self.assertIn("Always smiling", html)


@tagged("post_install", "-at_install")
class TestDisciplineAccess(DisciplineCase):
    MODELS = [
        "gov.conduct.rule", "gov.inspection", "gov.points.ledger", "gov.points.ledger.line",
        "gov.window.score", "gov.early.warning", "gov.leader.notice", "gov.service.star",
    ]
    R, ALL = "r", "rwcu"
    EXPECTED = {
        "public": dict.fromkeys(MODELS, ""),
        "portal": dict.fromkeys(MODELS, ""),
        "internal": {**dict.fromkeys(MODELS, "r"), "gov.window.score": "", "gov.leader.notice": ""},
        "viewer": dict.fromkeys(MODELS, "r"),
        "inspector": {**dict.fromkeys(MODELS, "r"), "gov.inspection": "rwc"},
        "officer": {**dict.fromkeys(MODELS, "r"), "gov.leader.notice": "rw"},
        "admin": {**dict.fromkeys(MODELS, ALL), "gov.early.warning": "rwc", "gov.leader.notice": "rwc"},
    }

    def test_acl_matrix(self):
        users = {
            "public": self.user_public, "portal": self.user_portal, "internal": self.user_internal,
            "viewer": self.user_viewer, "inspector": self.user_inspector,
            "officer": self.user_officer, "admin": self.user_admin,
        }
        checked = 0
        for role, per_model in self.EXPECTED.items():
            for model, allowed in per_model.items():
                for letter, operation in (("r", "read"), ("w", "write"), ("c", "create"), ("u", "unlink")):
                    with self.subTest(role=role, model=model, operation=operation):
                        self.assertEqual(
                            self.env[model].with_user(users[role]).has_access(operation),
                            letter in allowed,
                        )
                        checked += 1
        self.assertEqual(checked, 7 * 8 * 4)

    def test_staff_read_only_their_own(self):
        mine = self._inspection(self.staff[0])
        other = self._inspection(self.staff[1])
        Ledger = self.env["gov.points.ledger"]
        Ledger.compute_month(MONTH)
        Ledger._after_month_computed(MONTH)
        stars = self.env["gov.service.star"].search([])
        user = self.staff_users[0]
        self.assertEqual(self.env["gov.inspection"].with_user(user).search([]), mine)
        with self.assertRaises(AccessError):
            other.with_user(user).read(["points"])
        with self.assertRaises(AccessError):
            mine.with_user(user).write({"rectification_note": "x"})
        ledgers = Ledger.with_user(user).search([])
        self.assertEqual(ledgers.employee_id, self.staff[0])
        self.assertEqual(
            self.env["gov.points.ledger.line"].with_user(user).search([]).employee_id, self.staff[0]
        )
        self.assertEqual(self.env["gov.early.warning"].with_user(user).search([]).employee_id, self.staff[0])
        star_user = self.staff_users[stars[0].employee_id.id and self.staff.ids.index(stars[0].employee_id.id)]
        self.assertEqual(self.env["gov.service.star"].with_user(star_user).search([]), stars[0])
        # other roles read all
        for reader in (self.user_viewer, self.user_officer, self.user_inspector):
            self.assertEqual(self.env["gov.inspection"].with_user(reader).search_count([]), 2)
        self.assertFalse(self.env["gov.inspection"].with_user(self.user_internal).search([]))


@tagged("post_install", "-at_install")
class TestHonorRoll(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Employee = cls.env["hr.employee"]
        cls.emp_pub = Employee.create({"name": "Star Published", "work_phone": "13800138000",
                                       "work_email": "star@example.com"})
        cls.emp_draft = Employee.create({"name": "Star Approved"})
        zone = cls.env["gov.hall.zone"].create({"name": "HR Zone", "code": "HZ"})
        cls.window = cls.env["gov.service.window"].create(
            {"name": "Honor Window", "code": "HW01", "zone_id": zone.id,
             "employee_ids": [(6, 0, (cls.emp_pub | cls.emp_draft).ids)]}
        )
        Star = cls.env["gov.service.star"]
        cls.star_pub = Star.create({"month": MONTH, "employee_id": cls.emp_pub.id, "window_id": cls.window.id,
                                    "score": 100, "rank": 1, "citation": "Patient and kind"})
        cls.star_pub.action_approve()
        cls.star_pub.action_publish()
        cls.star_draft = Star.create({"month": MONTH, "employee_id": cls.emp_draft.id, "score": 99, "rank": 2})
        cls.star_draft.action_approve()
        cls.score = cls.env["gov.window.score"].create(
            {"window_id": cls.window.id, "month": MONTH, "score": 100, "citation": "Best window"}
        )
        cls.score.write({"is_red_flag": True, "red_flag_published": True})
        new_test_user(cls.env, "hr_portal", groups="base.group_portal")
        new_test_user(cls.env, "hr_internal", groups="base.group_user")

    def test_public_page(self):
        response = self.url_open("/honor-roll")
        self.assertEqual(response.status_code, 200)
        html = response.text
        self.assertIn("Star Published", html)
        self.assertIn("Patient and kind", html)
        self.assertIn("HW01 Honor Window", html)
        self.assertIn("Best window", html)
        self.assertIn("2026-03", html)
        self.assertIn(f"/honor-roll/photo/{self.star_pub.id}", html)
        self.assertNotIn("Star Approved", html)
        self.assertNotIn("13800138000", html)
        self.assertNotIn("star@example.com", html)
        self.assertIn("Star Published", self.url_open("/honor-roll?month=2026-03").text)
        self.assertNotIn("Star Published", self.url_open("/honor-roll?month=2026-04").text)

    @mute_logger("odoo.http")
    def test_bad_input(self):
        for query in ("2026-13", "abc", "2026-3", "%00", "9999999999-01", "2026-03'--", "x" * 5000):
            with self.subTest(query=query[:20]):
                response = self.url_open(f"/honor-roll?month={query}")
                self.assertEqual(response.status_code, 400)
                self.assertNotIn("Traceback", response.text)
        response = self.url_open("/honor-roll?month=2026-03&month=2026-04")
        self.assertLess(response.status_code, 500)

    @mute_logger("odoo.http")
    def test_photo_route(self):
        response = self.url_open(f"/honor-roll/photo/{self.star_pub.id}")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.headers["Content-Type"].startswith("image/"))
        for star_id in (self.star_draft.id, 0, -1, "abc", 2**40, "1.5"):
            with self.subTest(star_id=star_id):
                self.assertEqual(self.url_open(f"/honor-roll/photo/{star_id}").status_code, 404)

    def test_logged_in_users(self):
        for login in ("hr_portal", "hr_internal"):
            with self.subTest(login=login):
                self.authenticate(login, login)
                response = self.url_open("/honor-roll")
                self.assertEqual(response.status_code, 200)
                self.assertIn("Star Published", response.text)
                self.assertNotIn("Star Approved", response.text)

    def test_pdf_render(self):
        pdf, fmt = self.env["ir.actions.report"].with_context(force_report_rendering=True)._render_qweb_pdf(
            "gov_service_center.action_report_gov_service_star_bulletin", self.star_pub.ids
        )
        self.assertEqual(fmt, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        notice = self.env["gov.leader.notice"].create(
            {"month": MONTH, "window_id": self.window.id, "score": 80, "rank": 3, "threshold": 90,
             "reason": "low_score", "causes": [{"employee": "Star Approved", "date": "2026-03-02",
                                               "cause": "Late", "points": -1.0}]}
        )
        pdf, fmt = self.env["ir.actions.report"].with_context(force_report_rendering=True)._render_qweb_pdf(
            "gov_service_center.action_report_gov_leader_notice", notice.ids
        )
        self.assertEqual(fmt, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
