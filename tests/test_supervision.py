# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import GovCaseCase

# Friday 6 March 2026, 09:00 in Shanghai (March 2026 has no holiday): with one
# warning day the yellow light covers Friday 6 and Monday 9.
FRIDAY = "2026-03-06 01:00:00"
# Friday 01:00 in Shanghai while still Thursday in UTC
FRIDAY_EARLY = "2026-03-05 17:00:00"
THU, FRI, MON, TUE = date(2026, 3, 5), date(2026, 3, 6), date(2026, 3, 9), date(2026, 3, 10)


@tagged("post_install", "-at_install")
class TestSupervision(GovCaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Alert = cls.env["gov.supervision.alert"]
        cls.user_head = new_test_user(cls.env, "gsc_head_a", groups="base.group_user")
        cls.dept_a.manager_id = cls.env["hr.employee"].create(
            {"name": "Head A", "user_id": cls.user_head.id, "department_id": cls.dept_a.id}
        )
        cls.employee_officer = cls.user_officer.employee_ids[:1]

    def _case(self, deadline, user=None, **vals):
        """An accepted case whose promised deadline is ``deadline``."""
        case = self._new_case()
        case._gov_register_bypass().write(dict({
            "state": "accepted", "date_accepted": deadline, "promised_days": 0,
            "statutory_days": 0, "user_id": (user or self.user_officer).id,
        }, **vals))
        return case

    def _alerts(self, records):
        return self.Alert.with_context(active_test=False).search(
            [("res_model", "=", records._name), ("res_id", "in", records.ids)]
        )

    # ------------------------------------------------------------------
    # Lights
    # ------------------------------------------------------------------
    def test_light_boundaries_around_weekend(self):
        with freeze_time(FRIDAY):
            late, today, monday, tuesday = (self._case(d) for d in (THU, FRI, MON, TUE))
            cases = late | today | monday | tuesday
            cases.invalidate_recordset(["deadline_light"])
            self.assertEqual(
                cases.mapped("deadline_light"), ["red", "yellow", "yellow", "green"]
            )
            Case = self.env["gov.case"]
            self.assertEqual(Case.search([("id", "in", cases.ids), ("deadline_light", "=", "yellow")]),
                             today | monday)
            self.assertEqual(Case.search([("id", "in", cases.ids), ("deadline_light", "=", "red")]), late)
            self.assertEqual(Case.search([("id", "in", cases.ids), ("deadline_light", "in", ["green"])]),
                             tuesday)
            closed = self._new_case()
            self.assertFalse(closed.deadline_light)
            self.assertIn(closed, Case.search([("deadline_light", "=", False)]))
            # two warning days: Tuesday turns yellow
            self.env["ir.config_parameter"].set_param(
                "gov_service_center.supervision_warning_days", "2")
            tuesday.invalidate_recordset(["deadline_light"])
            self.assertEqual(tuesday.deadline_light, "yellow")
        with freeze_time(FRIDAY_EARLY):
            # the center's day is already Friday: Thursday's deadline is passed
            late.invalidate_recordset(["deadline_light"])
            self.assertEqual(late.deadline_light, "red")

    # ------------------------------------------------------------------
    # Job
    # ------------------------------------------------------------------
    @freeze_time(FRIDAY)
    def test_job_raises_once(self):
        late, near, far = self._case(THU), self._case(MON), self._case(TUE)
        new = self.Alert._gov_supervision_raise()
        alerts = self._alerts(late | near | far)
        self.assertEqual(
            sorted(alerts.mapped(lambda a: (a.res_id, a.level, a.rule))),
            sorted([(late.id, "red", "deadline_red"), (near.id, "warning", "deadline_yellow")]),
        )
        self.assertTrue(alerts <= new)
        red = alerts.filtered(lambda a: a.level == "red")
        self.assertEqual(red.department_id, self.dept_a)
        self.assertEqual(red.user_id, self.user_officer)
        self.assertEqual(red.name, late.name)
        self.assertTrue(red.notice_no.startswith("监字〔2026〕第"))
        # activities: the responsible user, and the head for the red card
        self.assertEqual(set(red.activity_ids.user_id.ids), {self.user_officer.id, self.user_head.id})
        self.assertEqual(red.activity_ids.filtered(
            lambda act: act.user_id == self.user_officer).date_deadline, MON)
        # a second run writes nothing
        self.env.cr.execute("SELECT COUNT(*), MAX(write_date) FROM gov_supervision_alert")
        before = self.env.cr.fetchone()
        self.assertFalse(self.Alert._gov_supervision_raise())
        self.env.cr.execute("SELECT COUNT(*), MAX(write_date) FROM gov_supervision_alert")
        self.assertEqual(self.env.cr.fetchone(), before)
        self.assertEqual(self.Alert._cron_supervision(), 0)

    @freeze_time(FRIDAY)
    def test_red_card_text_messages(self):
        """A red card reaches the officer and the department head by text
        message through the notification service (log-only gateway)."""
        self.user_officer.partner_id.mobile = "13800138001"
        self.user_head.partner_id.mobile = "13800138002"
        late = self._case(THU)
        self.Alert._gov_supervision_raise()
        red = self._alerts(late).filtered(lambda a: a.level == "red")
        notes = self.env["gov.notification"].sudo().search(
            [("res_model", "=", red._name), ("res_id", "=", red.id)]
        )
        self.assertEqual(notes.mapped("template_key"), ["supervision_red"] * 2)
        self.assertEqual(set(notes.mapped("channel")), {"sms"})
        self.assertEqual(set(notes.user_id.ids), {self.user_officer.id, self.user_head.id})
        self.assertEqual(sorted(notes.mapped("phone_masked")), ["138****8001", "138****8002"])
        self.assertIn(late.name, notes[0].body)
        self.assertNotIn("{", notes[0].body)
        # the warning of a near deadline sends nothing
        near = self._case(MON)
        self.Alert._gov_supervision_raise()
        warning = self._alerts(near)
        self.assertEqual(warning.level, "warning")
        self.assertFalse(self.env["gov.notification"].sudo().search(
            [("res_model", "=", warning._name), ("res_id", "=", warning.id)]))

    @freeze_time(FRIDAY)
    def test_case_rules(self):
        unapproved = self._case(TUE)
        unapproved._gov_register_bypass().write({"extension_days": 5})
        rejected = self._new_case(user_id=self.user_officer.id)
        rejected._gov_register_bypass().write({"state": "rejected", "date_decided": THU})
        denied = self._case(TUE)
        denied._gov_register_bypass().write({
            "state": "delivered", "decision_result": "denied", "date_decided": date(2026, 2, 2),
            "date_delivered": date(2026, 2, 27), "decision_note": " ",
        })
        deemed = self._case(TUE, is_deemed_accepted=True)
        fine = self._case(TUE)
        self.Alert._gov_supervision_raise()
        rules = lambda case: set(self._alerts(case).mapped("rule"))  # noqa: E731
        self.assertEqual(rules(unapproved), {"extension_unapproved"})
        self.assertEqual(rules(rejected), {"decision_no_reason"})
        # delivered 19 working days after the decision (limit 10): late too
        self.assertEqual(rules(denied), {"decision_no_reason", "late_delivery"})
        self.assertEqual(rules(deemed), {"late_acceptance"})
        self.assertFalse(rules(fine))
        self.assertEqual(set(self._alerts(unapproved | rejected | denied | deemed).mapped("level")),
                         {"yellow"})
        # undelivered past the delivery due date
        approved = self._case(TUE)
        approved._gov_register_bypass().write({
            "state": "approved", "decision_result": "approved", "date_decided": date(2026, 2, 2),
        })
        self.Alert._gov_supervision_raise()
        self.assertEqual(rules(approved), {"late_delivery"})

    @freeze_time(FRIDAY)
    def test_other_deadline_models(self):
        consultation = self.env["gov.consultation"].create({
            "name": "办事材料咨询问题", "question": "请问需要什么材料？", "kind": "consultation",
            "contact_name": "张三", "contact_phone": "13800000000",
            "department_id": self.dept_a.id, "user_id": self.user_officer.id,
        })
        complaint = self.env["gov.complaint"].create({
            "name": "中介超时", "description": "未按时出具报告。",
            "complainant_phone": "13800000000", "department_id": self.dept_a.id,
        })
        consultation.date_deadline = THU
        complaint.date_deadline = MON
        self.assertEqual(consultation.deadline_light, "red")
        self.assertEqual(complaint.deadline_light, "yellow")
        self.Alert._gov_supervision_raise()
        self.assertEqual(self._alerts(consultation).rule, "deadline_red")
        self.assertEqual(self._alerts(consultation).user_id, self.user_officer)
        self.assertEqual(self._alerts(complaint).mapped("level"), ["warning"])
        # a consultation answered no longer raises anything
        self.assertEqual(set(self.Alert._gov_supervision_raise().mapped("res_model"))
                         & {"gov.consultation"}, set())

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    @freeze_time(FRIDAY)
    def test_workflow(self):
        late, other = self._case(THU), self._case(THU)
        self.Alert._gov_supervision_raise()
        card = self._alerts(late).with_user(self.user_officer)
        with self.assertRaises(UserError):
            card.action_explain()  # no explanation
        with self.assertRaises(UserError):
            card.action_confirm()  # not an inspector
        card.explanation = "专家评审延误，已督办。"
        card.action_explain()
        self.assertEqual(card.state, "explained")
        with self.assertRaises(UserError):
            card.action_explain()
        as_inspector = card.with_user(self.user_inspector)
        as_inspector.action_accept_explanation()
        self.assertEqual(card.state, "cancelled")
        self.assertEqual(card.inspector_id, self.user_inspector)
        with self.assertRaises(UserError):
            as_inspector.action_confirm()
        # confirmed straight from open
        second = self._alerts(other).with_user(self.user_inspector)
        with self.assertRaises(UserError):
            second.action_accept_explanation()
        second.action_confirm()
        self.assertEqual(second.state, "confirmed")
        self.assertEqual(second.date_decided, FRI)
        # the state is only changed through the buttons
        with self.assertRaises(UserError):
            second.with_user(self.user_admin).write({"state": "open"})

    @freeze_time(FRIDAY)
    def test_never_deleted(self):
        self._case(THU)
        self.Alert._gov_supervision_raise()
        alert = self.Alert.search([], limit=1)
        with self.assertRaises(UserError):
            alert.unlink()
        with self.assertRaises(UserError):
            alert.with_user(self.user_admin).unlink()
        alert.active = False
        self.assertFalse(alert.active)

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------
    @freeze_time(FRIDAY)
    def test_access(self):
        mine = self._case(THU)
        internal = self._case(THU, user=self.user_internal)
        case_b = self._case(THU)
        case_b._gov_register_bypass().write({"department_id": self.dept_b.id, "user_id": False})
        self.env.flush_all()
        self.env["gov.case"].invalidate_model()
        self.Alert._gov_supervision_raise()
        alert_a, alert_internal, alert_b = (self._alerts(c) for c in (mine, internal, case_b))
        everything = alert_a | alert_internal | alert_b
        domain = [("id", "in", everything.ids)]
        for user in (self.user_viewer, self.user_inspector, self.user_front_desk,
                     self.user_admin, self.user_officer):
            self.assertEqual(self.Alert.with_user(user).search(domain), everything, user.login)
        # the plain internal user sees their own, the head their department's
        self.assertEqual(self.Alert.with_user(self.user_internal).search(domain), alert_internal)
        self.assertEqual(self.Alert.with_user(self.user_head).search(domain), alert_a | alert_internal)
        for user in (self.user_portal, self.user_public):
            with self.assertRaises(AccessError):
                self.Alert.with_user(user).search(domain)
        # writing: viewers and the front desk never; officers their departments
        for user in (self.user_viewer, self.user_front_desk):
            with self.assertRaises(AccessError):
                alert_a.with_user(user).explanation = "x"
        alert_a.with_user(self.user_officer).explanation = "已处理"
        with self.assertRaises(AccessError):
            alert_b.with_user(self.user_officer).explanation = "x"
        alert_b.with_user(self.user_officer_b).explanation = "已处理"
        alert_internal.with_user(self.user_internal).explanation = "已处理"
        alert_internal.with_user(self.user_internal).action_explain()
        with self.assertRaises(AccessError):
            self.Alert.with_user(self.user_officer).create({
                "name": "x", "res_model": "gov.case", "res_id": mine.id, "level": "red",
                "rule": "x", "date": FRI,
            })

    # ------------------------------------------------------------------
    # Points, statistics, reports
    # ------------------------------------------------------------------
    @freeze_time(FRIDAY)
    def test_ledger_lines(self):
        late = self._case(THU)
        unapproved = self._case(TUE)
        unapproved._gov_register_bypass().write({"extension_days": 3})
        self.Alert._gov_supervision_raise()
        (self._alerts(late) | self._alerts(unapproved)).with_user(self.user_inspector).action_confirm()
        lines = self.Alert._gov_ledger_lines(date(2026, 3, 1), date(2026, 4, 1), self.employee_officer)
        self.assertEqual(sorted(line["points"] for line in lines), [-3.0, -1.0])
        self.assertEqual({line["employee_id"] for line in lines}, {self.employee_officer.id})
        red = next(line for line in lines if line["points"] == -3.0)
        self.assertEqual(red["cause_code"], "supervision_red")
        self.assertIn(late.name, red["cause"])
        label = self.Alert.with_context(lang="en_US")._gov_ledger_cause_labels(
            [(red["cause_code"], red["cause_args"])])[0]
        self.assertEqual(label, f"Red card confirmed: Deadline passed, {late.name}")
        self.assertFalse(self.Alert._gov_ledger_lines(
            date(2026, 4, 1), date(2026, 5, 1), self.employee_officer))
        self.env["ir.config_parameter"].set_param(
            "gov_service_center.supervision_red_points", "-5")
        lines = self.Alert._gov_ledger_lines(date(2026, 3, 1), date(2026, 4, 1), self.employee_officer)
        self.assertEqual(sorted(line["points"] for line in lines), [-5.0, -1.0])

    @freeze_time(FRIDAY)
    def test_stat_monthly_matches_live(self):
        cases = self._case(THU) | self._case(THU) | self._case(MON)
        extra = self._case(TUE)
        extra._gov_register_bypass().write({"extension_days": 2})
        self.Alert._gov_supervision_raise()
        self._alerts(cases[0]).with_user(self.user_inspector).action_confirm()
        self._alerts(cases[1]).explanation = "x"
        self._alerts(cases[1]).with_user(self.user_officer).action_explain()
        self._alerts(cases[1]).with_user(self.user_inspector).action_accept_explanation()
        Stat = self.env["gov.stat.monthly"]
        Stat._gov_stat_refresh()
        stat = {
            (dept.id, month): (warning, yellow, red, confirmed)
            for dept, month, warning, yellow, red, confirmed in Stat._read_group(
                [("source", "=", "supervision")], ["department_id", "month:month"],
                ["supervision_warning_count:sum", "supervision_yellow_count:sum",
                 "supervision_red_count:sum", "supervision_confirmed_count:sum"],
            )
        }
        live = {}
        for dept, month, level, state, count in self.Alert._read_group(
            [], ["department_id", "date:month", "level", "state"], ["__count"],
        ):
            key = (dept.id, month)
            values = list(live.get(key, (0, 0, 0, 0)))
            if state != "cancelled":
                values[("warning", "yellow", "red").index(level)] += count
            if state == "confirmed" and level in ("yellow", "red"):
                values[3] += count
            live[key] = tuple(values)
        self.assertEqual(stat, live)
        self.assertEqual(stat[(self.dept_a.id, date(2026, 3, 1))], (1, 1, 1, 1))

    @freeze_time(FRIDAY)
    def test_reports_render(self):
        self._case(THU)
        self.Alert._gov_supervision_raise()
        red = self.Alert.search([("level", "=", "red"), ("notice_no", "!=", False)], limit=1)
        html = self.env["ir.actions.report"]._render_qweb_html(
            "gov_service_center.report_gov_supervision_notice", red.ids)[0].decode()
        self.assertIn(red.notice_no, html)
        wizard = self.env["gov.supervision.report.wizard"].create({"month": date(2026, 3, 1)})
        rows = wizard._gov_report_rows()
        row_a = next(row for row in rows if row["department"] == self.dept_a)
        self.assertGreaterEqual(row_a["red"], 1)
        html = self.env["ir.actions.report"]._render_qweb_html(
            "gov_service_center.report_gov_supervision_monthly", wizard.ids)[0].decode()
        self.assertIn(self.dept_a.name, html)
        action = wizard.with_context(discard_logo_check=True).action_print()
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(action["report_name"], "gov_service_center.report_gov_supervision_monthly")
        with self.assertRaises(UserError):
            self.env["gov.supervision.report.wizard"].create(
                {"month": date(2026, 5, 1)}).action_print()
        # a warning has no notice
        warning = self.Alert.search([("level", "=", "warning")], limit=1)
        if warning:
            with self.assertRaises(UserError):
                warning.action_print_notice()

    def test_on_time_by_officer(self):
        """The officer's on-time rate, beside their cards: the cases they
        decided, grouped by officer, as the report's action reads them."""
        with freeze_time(FRIDAY):
            case = self._receive_all(self._new_case())
            case.action_submit()
            case.action_accept()
            case.user_id = self.user_officer
            case.action_approve()
        action = self.env.ref("gov_service_center.gov_case_action_on_time_by_officer")
        domain = safe_eval(action.domain)
        context = safe_eval(action.context)
        self.assertEqual(context["pivot_row_groupby"], ["department_id", "user_id"])
        groups = self.env["gov.case"].with_user(self.user_inspector).read_group(
            domain, ["count_decided:sum", "count_on_time:sum", "on_time_rate:avg"],
            ["user_id"], lazy=False,
        )
        mine = next(group for group in groups if group["user_id"][0] == self.user_officer.id)
        self.assertEqual(mine["count_decided"], 1)
        self.assertEqual(mine["count_on_time"], 1)
        self.assertEqual(mine["on_time_rate"], 100.0)


@tagged("post_install", "-at_install")
class TestSupervisionPdf(GovCaseCase, HttpCase):
    def test_notice_pdf(self):
        """The notice renders as a PDF (outside a frozen clock: wkhtmltopdf
        waits on real time)."""
        Report = self.env["ir.actions.report"]
        if Report.get_wkhtmltopdf_state() not in ("ok", "upgrade"):
            self.skipTest("wkhtmltopdf cannot be used")
        with freeze_time(FRIDAY):
            case = self._new_case()
            case._gov_register_bypass().write({
                "state": "accepted", "date_accepted": THU, "promised_days": 0,
                "user_id": self.user_officer.id,
            })
            red = self.env["gov.supervision.alert"]._gov_supervision_raise().filtered(
                lambda alert: alert.level == "red")
        pdf, kind = Report.with_context(force_report_rendering=True)._render_qweb_pdf(
            "gov_service_center.action_report_gov_supervision_notice", red.ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
