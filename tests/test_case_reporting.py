# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from ..models.gov_identity import is_valid_id_number
from ..models.gov_intermediary import is_valid_uscc
from .common import GovCaseCase

# 2026-03-02 is a Monday; March 2026 has no holiday. 10:00 in Shanghai.
MONDAY = "2026-03-02 02:00:00"


def report_html(env, kind, cases):
    html, _format = env["ir.actions.report"]._render_qweb_html(
        f"gov_service_center.action_report_gov_case_{kind}", cases.ids
    )
    return html.decode()


class CaseFactory:
    def _accepted(self, day=MONDAY, **vals):
        with freeze_time(day):
            case = self._receive_all(self._new_case(user_id=self.user_officer.id, **vals))
            case.action_submit()
            case.action_accept()
        return case

    def _decided(self, accepted=MONDAY, decided="2026-03-04 02:00:00", deny=False):
        case = self._accepted(accepted)
        with freeze_time(decided):
            if deny:
                case.decision_note = "Site outside the planned zone."
                case.action_deny()
            else:
                case.action_approve()
        return case


@tagged("post_install", "-at_install")
class TestCaseNotices(CaseFactory, GovCaseCase):
    def test_acceptance_notice(self):
        case = self._accepted()
        html = report_html(self.env, "acceptance", case)
        self.assertIn(case.notice_acceptance_no, html)
        self.assertIn("Acceptance Notice", html)
        self.assertIn(case.name, html)
        self.assertIn("barcode_type=QR", html)
        url = case._gov_track_url()
        self.assertTrue(url.startswith(case.get_base_url()))
        self.assertTrue(url.endswith(f"/cases/track?number={case.name}"))
        self.assertIn(url, html)
        self.assertIn("Promised Time Limit", html)

    def test_supplement_notice_lists_every_missing_material(self):
        with freeze_time(MONDAY):
            case = self._new_case()
            case.material_line_ids.filtered(lambda line: line.name == "Photos").action_mark_received()
            case.action_submit()
        with freeze_time("2026-03-04 02:00:00"):
            case.action_request_supplement()
        html = report_html(self.env, "supplement", case)
        self.assertIn(case.notice_supplement_no, html)
        for name in ("Application Form", "Site Plan", "Land Certificate"):
            self.assertIn(name, html)
        self.assertNotIn("Photos", html)
        self.assertIn("Article 32", html)
        self.assertIn("within 5 working days of receipt", html)
        # supplied after the notice: still listed when the notice is printed again
        with freeze_time("2026-03-05 02:00:00"):
            self._receive_all(case)
        html = report_html(self.env, "supplement", case)
        self.assertIn("Site Plan", html)

    def test_rejection_notice_gives_reasons_and_remedies(self):
        with freeze_time(MONDAY):
            case = self._new_case()
            case.action_submit()
            case.rejection_reason = "Not within the department's competence."
            case.action_reject()
        html = report_html(self.env, "rejection", case)
        self.assertIn(case.notice_rejection_no, html)
        self.assertIn("Not within the department", html)
        self.assertIn("administrative review within", html)
        self.assertIn("60 days", html)
        self.assertIn("6 months", html)
        self.assertIn("05/01/2026", html)  # date_review_limit
        self.assertIn("09/02/2026", html)  # date_lawsuit_limit

    def test_decision_notices(self):
        approved = self._decided()
        html = report_html(self.env, "decision", approved)
        self.assertIn(approved.notice_decision_no, html)
        self.assertIn("Decision to Grant the Licence", html)
        self.assertNotIn("administrative review", html)
        denied = self._decided(deny=True)
        html = report_html(self.env, "decision", denied)
        self.assertIn(denied.notice_decision_no, html)
        self.assertIn("Decision Not to Grant the Licence", html)
        self.assertIn("Site outside the planned zone.", html)
        self.assertIn("60 days", html)
        self.assertIn("6 months", html)
        # the outcome stays once delivered
        with freeze_time("2026-03-05 02:00:00"):
            denied.action_deliver()
        self.assertEqual(denied.decision_result, "denied")
        self.assertIn("Decision Not to Grant the Licence", report_html(self.env, "decision", denied))

    def test_delivery_receipt(self):
        case = self._decided()
        with freeze_time("2026-03-05 02:00:00"):
            case.action_deliver()
        html = report_html(self.env, "delivery", case)
        self.assertIn(case.notice_delivery_no, html)
        self.assertIn(case.notice_decision_no, html)
        self.assertIn("Delivery Receipt", html)
        self.assertIn("Signature of the Addressee", html)
        self.assertIn("Signature of the Person Delivering", html)

    def test_notice_the_case_does_not_have_is_refused(self):
        case = self._accepted()
        for kind in ("supplement", "rejection", "decision", "delivery"):
            with self.assertRaises(UserError, msg=kind):
                report_html(self.env, kind, case)
            with self.assertRaises(UserError, msg=kind):
                getattr(case, f"action_print_{kind}")()
        action = case.action_print_acceptance()
        # without a document layout yet, the layout wizard comes first
        action = action.get("context", {}).get("report_action") or action
        self.assertEqual(action["report_name"], "gov_service_center.report_gov_case_acceptance")

    def test_print_needs_read_access(self):
        case = self._accepted()
        # officer of department B cannot read a case of department A
        with self.assertRaises(AccessError):
            report_html(self.env(user=self.user_officer_b), "acceptance", case)
        with self.assertRaises(AccessError):
            case.with_user(self.user_officer_b).action_print_acceptance()
        for user in (self.user_internal, self.user_portal):
            with self.assertRaises(AccessError, msg=user.login):
                report_html(self.env(user=user), "acceptance", case)
        html = report_html(self.env(user=self.user_officer), "acceptance", case)
        self.assertIn(case.notice_acceptance_no, html)

    def test_notices_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["gov_service_center"], ["zh_CN"], overwrite=True)
        case = self._decided(deny=True)
        env = self.env(context=dict(self.env.context, lang="zh_CN"))
        html = report_html(env, "acceptance", case)
        self.assertIn("受理通知书", html)
        html = report_html(env, "decision", case)
        self.assertIn("不予行政许可决定书", html)
        self.assertIn("行政复议", html)

@tagged("post_install", "-at_install")
class TestCaseLedger(CaseFactory, GovCaseCase):
    """Overdue cases deduct points from their officer, once, in the month of
    their first overdue day (center time zone)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee = cls.user_officer.employee_ids[:1]

    def _lines(self, month_start, month_end):
        return self.env["gov.case"]._gov_ledger_lines(month_start, month_end, self.employee)

    def test_decided_late_and_on_time(self):
        late = self._decided(decided="2026-03-18 02:00:00")  # deadline 3/16
        self._decided(decided="2026-03-13 02:00:00")  # on time
        with freeze_time("2026-04-02 02:00:00"):
            lines = self._lines(date(2026, 3, 1), date(2026, 3, 31))
            self.assertEqual(len(lines), 1)
            self.assertEqual(lines[0]["res_id"], late.id)
            self.assertEqual(lines[0]["employee_id"], self.employee.id)
            self.assertEqual(lines[0]["points"], -2.0)
            self.assertEqual(lines[0]["date"], date(2026, 3, 17))
            self.assertIn(late.name, lines[0]["cause"])
            self.assertFalse(self._lines(date(2026, 4, 1), date(2026, 4, 30)))

    def test_open_past_deadline_counts_once(self):
        case = self._accepted()  # deadline 3/16, still open at the end of March
        with freeze_time("2026-04-08 02:00:00"):
            self.assertEqual(len(self._lines(date(2026, 3, 1), date(2026, 3, 31))), 1)
            case.action_approve()  # decided late in April: already counted in March
            self.assertEqual(len(self._lines(date(2026, 3, 1), date(2026, 3, 31))), 1)
            self.assertFalse(self._lines(date(2026, 4, 1), date(2026, 4, 30)))

    def test_month_boundary_in_center_time_zone(self):
        case = self._accepted("2026-03-17 02:00:00")
        self.assertEqual(case.date_deadline, date(2026, 3, 31))
        # 23:59 on 31 March in Shanghai: the deadline has not passed
        with freeze_time("2026-03-31 15:59:00"):
            self.assertFalse(self._lines(date(2026, 3, 1), date(2026, 3, 31)))
            self.assertFalse(self._lines(date(2026, 4, 1), date(2026, 4, 30)))
        # 00:01 on 1 April in Shanghai (still 31 March in UTC): overdue, in April
        with freeze_time("2026-03-31 16:01:00"):
            self.assertFalse(self._lines(date(2026, 3, 1), date(2026, 3, 31)))
            lines = self._lines(date(2026, 4, 1), date(2026, 4, 30))
            self.assertEqual([line["date"] for line in lines], [date(2026, 4, 1)])

    def test_withdrawn_before_deadline_and_setting(self):
        case = self._accepted()
        with freeze_time("2026-03-10 02:00:00"):
            case.action_withdraw()
        self.env["ir.config_parameter"].set_param("gov_service_center.case_overdue_points", "-3")
        late = self._decided(decided="2026-03-18 02:00:00")
        with freeze_time("2026-04-02 02:00:00"):
            lines = self._lines(date(2026, 3, 1), date(2026, 3, 31))
        self.assertEqual([(line["res_id"], line["points"]) for line in lines], [(late.id, -3.0)])

    def test_ledger_collects_case_lines(self):
        late = self._decided(decided="2026-03-18 02:00:00")
        with freeze_time("2026-04-02 02:00:00"):
            ledger = self.env["gov.points.ledger"].compute_month(date(2026, 3, 1), self.employee)
        line = ledger.line_ids.filtered(lambda l: l.res_model == "gov.case")
        self.assertEqual(line.res_id, late.id)
        self.assertEqual(line.points, -2.0)
        self.assertEqual(ledger.total, ledger.base - 2.0)


@tagged("post_install", "-at_install")
class TestCaseStatistics(CaseFactory, GovCaseCase):
    def test_on_time_rate_and_working_days_average_over_decisions(self):
        on_time = self._decided(decided="2026-03-04 02:00:00")  # 2 working days
        self._decided(decided="2026-03-06 02:00:00")  # 4
        late = self._decided(decided="2026-03-18 02:00:00")  # 12, late
        self._accepted()  # undecided
        self.assertTrue(on_time.is_on_time)
        self.assertFalse(late.is_on_time)
        self.assertEqual(late.on_time_rate, 0.0)
        self.assertEqual(on_time.on_time_rate, 100.0)
        [[count, accepted, decided, rate, days]] = self.env["gov.case"]._read_group(
            [("item_id", "=", self.item.id)],
            aggregates=["__count", "count_accepted:sum", "count_decided:sum",
                        "on_time_rate:avg", "working_days_used:avg"],
        )
        self.assertEqual((count, accepted, decided), (4, 4, 3))
        self.assertAlmostEqual(rate, 200.0 / 3, places=2)
        self.assertAlmostEqual(days, 6.0, places=2)
        groups = self.env["gov.case"].read_group(
            [("item_id", "=", self.item.id)], ["on_time_rate:avg", "count_delivered:sum"],
            ["channel"],
        )
        self.assertAlmostEqual(groups[0]["on_time_rate"], 200.0 / 3, places=2)

    def test_overview_figures(self):
        self._decided(decided="2026-03-04 02:00:00")
        self._decided(decided="2026-03-18 02:00:00")
        self._accepted()  # overdue from 3/17
        with freeze_time("2026-03-20 02:00:00"):
            received = self._new_case()
            received.action_submit()
            self._new_case()  # a draft is not received
            figures = self.env["gov.case"]._gov_overview_figures()
        self.assertEqual(figures, {
            "received_today": 1, "open": 2, "overdue": 1, "on_time_rate_month": 50.0,
        })
        with freeze_time("2026-04-01 02:00:00"):
            self.assertIsNone(self.env["gov.case"]._gov_overview_figures()["on_time_rate_month"])

    def test_overview_figures_cheap(self):
        with freeze_time("2026-03-20 02:00:00"):
            self.env["gov.case"]._gov_overview_figures()
            with self.assertQueryCount(4):
                self.env["gov.case"]._gov_overview_figures()

    def test_list_query_count_independent_of_size(self):
        spec = {
            "name": {}, "date_received": {}, "item_id": {"fields": {"display_name": {}}},
            "department_id": {"fields": {"display_name": {}}}, "applicant_name": {},
            "channel": {}, "user_id": {"fields": {"display_name": {}}},
            "current_step_id": {"fields": {"display_name": {}}}, "date_deadline": {},
            "deadline_remaining_days": {}, "date_decided": {}, "is_overdue": {}, "state": {},
        }
        Case = self.env["gov.case"]
        with freeze_time(MONDAY):
            counts = {}
            for size in (10, 200):
                rows = [self._case_vals(description=f"list {i}", user_id=self.user_officer.id)
                        for i in range(size - Case.search_count([("description", "=like", "list %")]))]
                cases = Case._gov_import_cases(rows)
                self._receive_all(cases[:5])
                cases[:5].action_submit()
                cases[:5].action_accept()
                ListCase = Case.with_user(self.user_front_desk)
                for _attempt in range(2):  # the first read warms the caches (rules, access)
                    self.env.invalidate_all()
                    before = self.env.cr.sql_log_count
                    result = ListCase.web_search_read(
                        [("description", "=like", "list %")], spec, limit=80
                    )
                    counts[size] = self.env.cr.sql_log_count - before
                self.assertEqual(len(result["records"]), min(size, 80))
        self.assertEqual(counts[200], counts[10], counts)


@tagged("post_install", "-at_install")
class TestCaseImportAndDemo(GovCaseCase):
    def test_import_cases_in_batch(self):
        rows = [self._case_vals(applicant_name=f"申请人{i}") for i in range(30)]
        with freeze_time(MONDAY):
            cases = self.env["gov.case"]._gov_import_cases(rows, batch_size=12)
        self.assertEqual(len(cases), 30)
        self.assertEqual(len(set(cases.mapped("name"))), 30)
        self.assertEqual(cases[0].name, "51140020260302000001")
        self.assertEqual(len(cases.material_line_ids), 120)
        self.assertFalse(cases.message_ids)
        self.assertFalse(cases.message_follower_ids)

    def test_import_checks_identity(self):
        from odoo.exceptions import ValidationError

        with self.assertRaises(ValidationError):
            self.env["gov.case"]._gov_import_cases([self._case_vals(applicant_id_number="110105194912310021")])

    def test_demo_generator(self):
        with freeze_time("2026-06-15 02:00:00"):
            cases = self.env["gov.case"]._gov_demo_generate(days=60, per_day=8, seed=7)
            overdue = cases.filtered("is_overdue")
        self.assertGreater(len(cases), 200)
        states = set(cases.mapped("state")) | set(cases.mapped("decision_result")) - {False}
        self.assertEqual(states, {
            "draft", "submitted", "supplement", "accepted", "rejected", "approved", "denied",
            "withdrawn", "delivered",
        })
        self.assertEqual(set(cases.mapped("channel")), {"window", "online", "other"})
        self.assertTrue(overdue)
        self.assertTrue(cases.filtered("is_paused"))
        self.assertEqual(len(cases.filtered(lambda c: c.extension_state == "approved")), 1)
        for case in cases:
            if case.applicant_type == "person":
                self.assertTrue(is_valid_id_number(case.applicant_id_number), case.applicant_id_number)
            else:
                self.assertTrue(is_valid_uscc(case.applicant_uscc), case.applicant_uscc)
        delivered = cases.filtered(lambda c: c.state == "delivered")
        self.assertTrue(all(delivered.mapped("notice_delivery_no")))
        self.assertTrue(all(delivered.mapped("decision_result")))
        supplement = cases.filtered(lambda c: c.state == "supplement")
        self.assertTrue(all(c.missing_material_count for c in supplement))


@tagged("post_install", "-at_install")
class TestCaseNoticePdf(CaseFactory, GovCaseCase, HttpCase):
    """PDF through wkhtmltopdf: the test server answers its requests (styles,
    QR code) within the test transaction."""

    def test_notice_pdf(self):
        from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin

        try:
            _get_wkhtmltopdf_bin()
        except OSError:
            self.skipTest("wkhtmltopdf is not installed")
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() not in ("ok", "upgrade"):
            self.skipTest("wkhtmltopdf cannot be used")
        case = self._accepted()
        pdf, report_format = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("gov_service_center.action_report_gov_case_acceptance", case.ids)
        )
        self.assertEqual(report_format, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
