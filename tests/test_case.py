# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..models.gov_identity import is_valid_id_number
from .common import VALID_USCC, GovCaseCase

# 2026-03-02 is a Monday; March 2026 has no holiday. 10:00 in Shanghai.
MONDAY = "2026-03-02 02:00:00"


@tagged("post_install", "-at_install")
class TestCaseIntake(GovCaseCase):
    def test_identity_checks(self):
        self.assertTrue(is_valid_id_number("11010519491231002X"))
        self.assertTrue(is_valid_id_number("440524188001010014"))
        self.assertFalse(is_valid_id_number("110105194912310021"))  # check digit
        self.assertFalse(is_valid_id_number("11010519491332002X"))  # month 13
        self.assertFalse(is_valid_id_number("1101051949123100"))  # length
        self.assertFalse(is_valid_id_number("11010530491231002X", today=date(2026, 1, 1)))
        with self.assertRaises(ValidationError):
            self._new_case(applicant_id_number="110105194912310021")
        with self.assertRaises(ValidationError):
            self._new_case(applicant_type="organization", applicant_uscc="91350100M000100Y44")
        case = self._new_case(
            applicant_type="organization", applicant_uscc=" 91350100m000100y43 ",
            applicant_name="某某公司", applicant_id_number=False,
        )
        self.assertEqual(case.applicant_uscc, VALID_USCC)
        with self.assertRaises(ValidationError):
            self._new_case(contact_phone="12345")
        with self.assertRaises(ValidationError):
            self._new_case(contact_email="not-an-email")
        self.assertEqual(self._new_case(contact_phone="+86 138-0013-8000").contact_phone,
                         "13800138000")

    def test_inactive_item_refused(self):
        draft_item = self._create_item(name="Draft Item")
        with self.assertRaises(ValidationError):
            self._new_case(item_id=draft_item.id)
        case = self._new_case()
        with self.assertRaises(ValidationError):
            case.item_id = draft_item

    @freeze_time(MONDAY)
    def test_number_pattern_and_sequence(self):
        cases = self.env["gov.case"].create([self._case_vals() for _ in range(3)])
        self.assertEqual(
            cases.mapped("name"),
            ["51140020260302000001", "51140020260302000002", "51140020260302000003"],
        )
        self.env["ir.config_parameter"].set_param(
            "gov_service_center.case_number_pattern", "SL{yyyy}-{seq:04d}"
        )
        self.assertEqual(self._new_case().name, "SL2026-0004")
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create({"gov_case_number_pattern": "{division}-{x}"})
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create({"gov_case_number_pattern": "{division}"})

    def test_materials_copied(self):
        case = self._new_case()
        self.assertEqual(len(case.material_line_ids), 4)
        self.assertEqual(set(case.material_line_ids.mapped("state")), {"missing"})
        later = case.material_line_ids.filtered("may_supply_later")
        self.assertEqual(later.name, "Land Certificate")
        self.assertEqual(case.department_id, self.dept_a)
        self.assertEqual(case.state, "draft")

    def test_new_case_starts_as_draft(self):
        with self.assertRaises(UserError):
            self._new_case(state="accepted")

    def test_never_deleted(self):
        case = self._new_case()
        with self.assertRaises(UserError):
            case.unlink()
        with self.assertRaises(UserError):
            case.material_line_ids[:1].unlink()


@tagged("post_install", "-at_install")
class TestCaseFlow(GovCaseCase):
    def _accepted_case(self):
        with freeze_time(MONDAY):
            case = self._receive_all(self._new_case())
            case.action_submit()
            case.action_accept()
        return case

    def test_accept_requires_required_materials(self):
        with freeze_time(MONDAY):
            case = self._new_case()
            case.action_submit()
            with self.assertRaises(UserError):
                case.action_accept()
            # the land certificate may follow later, photos are optional
            case.material_line_ids.filtered(
                lambda line: line.name in ("Application Form", "Site Plan")
            ).action_mark_received()
            case.action_accept()
        self.assertEqual(case.state, "accepted")

    def test_deadlines_in_working_days(self):
        case = self._accepted_case()
        self.assertEqual(case.date_accepted, date(2026, 3, 2))
        self.assertEqual(case.promised_days, 10)
        self.assertEqual(case.date_deadline, date(2026, 3, 16))
        self.assertEqual(case.date_deadline_statutory, date(2026, 3, 30))
        self.assertTrue(case.notice_acceptance_no)
        self.assertEqual(len(case.step_ids), 3)
        self.assertEqual(case.current_step_id.name, "Review")
        with freeze_time("2026-03-05 02:00:00"):
            self.assertEqual(case.deadline_remaining_days, 7)

    def test_not_counted_step_pauses_the_clock(self):
        case = self._accepted_case()
        with freeze_time("2026-03-03 02:00:00"):
            case.action_next_step()  # Review done, Expert Review starts: pause
        self.assertEqual(case.current_step_id.name, "Expert Review")
        self.assertTrue(case.is_paused)
        with freeze_time("2026-03-05 02:00:00"):
            with self.assertRaises(UserError):  # no decision during a pause
                case.action_approve()
            case.action_next_step()  # pause 3/3..3/5: three working days
        self.assertFalse(case.is_paused)
        self.assertEqual(case.pause_ids.date_end, date(2026, 3, 5))
        self.assertEqual(case.date_deadline, date(2026, 3, 19))
        with freeze_time("2026-03-06 02:00:00"):
            case.action_approve()
        self.assertEqual(case.state, "approved")
        self.assertTrue(case.is_on_time)
        self.assertEqual(set(case.step_ids.mapped("state")), {"done"})

    def test_manual_pause_needs_end_before_decision(self):
        case = self._accepted_case()
        with freeze_time("2026-03-03 02:00:00"):
            self.env["gov.case.pause"].create(
                {"case_id": case.id, "reason": "Hearing", "date_start": "2026-03-03"}
            )
            with self.assertRaises(ValidationError):
                self.env["gov.case.pause"].create(
                    {"case_id": case.id, "reason": "Twice", "date_start": "2026-03-03"}
                )
            with self.assertRaises(UserError):
                case.action_approve()

    def test_overdue_searchable(self):
        case = self._accepted_case()
        with freeze_time("2026-03-17 02:00:00"):
            case.invalidate_recordset(["is_overdue"])
            self.assertTrue(case.is_overdue)
            self.assertIn(case, self.env["gov.case"].search([("is_overdue", "=", True)]))
            case.action_approve()
            self.assertFalse(case.is_on_time)
            self.assertNotIn(case, self.env["gov.case"].search([("is_overdue", "=", True)]))

    def test_deny_needs_reasons_and_gives_remedies(self):
        case = self._accepted_case()
        with freeze_time("2026-03-04 02:00:00"):
            with self.assertRaises(UserError):
                case.action_deny()
            case.decision_note = "Site outside the planned zone."
            case.action_deny()
        self.assertEqual(case.state, "denied")
        self.assertEqual(case.date_review_limit, date(2026, 5, 3))
        self.assertEqual(case.date_lawsuit_limit, date(2026, 9, 4))

    def test_decision_only_on_accepted_case(self):
        case = self._new_case()
        with self.assertRaises(UserError):
            case.action_approve()
        case.action_submit()
        with self.assertRaises(UserError):
            case.action_approve()
        with self.assertRaises(UserError):
            case.action_deliver()

    def test_delivery_within_ten_working_days(self):
        case = self._accepted_case()
        with freeze_time("2026-03-04 02:00:00"):
            case.action_approve()
        self.assertEqual(case.date_delivery_deadline, date(2026, 3, 18))
        with freeze_time("2026-03-19 02:00:00"):
            case.action_deliver()
        self.assertEqual(case.state, "delivered")
        self.assertTrue(case.is_delivery_late)
        self.assertTrue(case.notice_delivery_no)

    def test_reject_needs_reasons(self):
        with freeze_time(MONDAY):
            case = self._new_case()
            case.action_submit()
            with self.assertRaises(UserError):
                case.action_reject()
            case.rejection_reason = "Not within the department's competence."
            case.action_reject()
        self.assertEqual(case.state, "rejected")
        self.assertEqual(case.date_review_limit, date(2026, 5, 1))

    def test_withdraw_before_decision_only(self):
        case = self._accepted_case()
        with freeze_time("2026-03-03 02:00:00"):
            case.action_next_step()
            case.action_withdraw()
        self.assertEqual(case.state, "withdrawn")
        self.assertTrue(case.pause_ids.date_end)
        with self.assertRaises(UserError):
            case.action_withdraw()
        other = self._accepted_case()
        with freeze_time("2026-03-03 02:00:00"):
            other.action_approve()
            with self.assertRaises(UserError):
                other.action_withdraw()

    def test_frozen_after_acceptance(self):
        case = self._accepted_case()
        with self.assertRaises(UserError):
            case.applicant_name = "李四"
        with self.assertRaises(UserError):
            case.write({"state": "approved"})


@tagged("post_install", "-at_install")
class TestCaseSupplementRule(GovCaseCase):
    def test_one_time_supplement_notice(self):
        with freeze_time(MONDAY):
            case = self._new_case()
            case.action_submit()
        with freeze_time("2026-03-04 02:00:00"):
            case.action_request_supplement()
        self.assertEqual(case.state, "supplement")
        self.assertTrue(case.notice_supplement_no)
        body = case.message_ids[:1].body
        self.assertIn("Application Form", body)
        self.assertIn("Site Plan", body)
        with self.assertRaises(UserError):
            case.action_supplement_received()  # still missing
        with freeze_time("2026-03-10 02:00:00"):
            self._receive_all(case)
            self.assertEqual(set(case.material_line_ids.mapped("state")), {"supplemented"})
            case.action_supplement_received()
            with self.assertRaises(UserError):  # one notice only
                case.action_request_supplement()
            case.action_accept()
        self.assertEqual(case.date_accepted, date(2026, 3, 10))
        self.assertFalse(case.is_deemed_accepted)

    def test_no_notice_within_five_days_means_accepted_on_receipt(self):
        with freeze_time(MONDAY):
            case = self._new_case()
            case.action_submit()
        self.assertEqual(case.date_supplement_limit, date(2026, 3, 9))
        with freeze_time("2026-03-10 02:00:00"):
            with self.assertRaises(UserError):
                case.action_request_supplement()
            self.env["gov.case"]._cron_deemed_acceptance()
        self.assertEqual(case.state, "accepted")
        self.assertTrue(case.is_deemed_accepted)
        self.assertEqual(case.date_accepted, date(2026, 3, 2))
        self.assertEqual(case.date_deadline, date(2026, 3, 16))

    def test_accept_after_five_days_dates_back(self):
        with freeze_time(MONDAY):
            case = self._receive_all(self._new_case())
            case.action_submit()
        with freeze_time("2026-03-11 02:00:00"):
            case.action_accept()
        self.assertEqual(case.date_accepted, date(2026, 3, 2))
        self.assertTrue(case.is_deemed_accepted)

    def test_cron_leaves_timely_cases(self):
        with freeze_time(MONDAY):
            case = self._new_case()
            case.action_submit()
        with freeze_time("2026-03-09 02:00:00"):
            self.env["gov.case"]._cron_deemed_acceptance()
        self.assertEqual(case.state, "submitted")


@tagged("post_install", "-at_install")
class TestCaseExtension(GovCaseCase):
    def _accepted(self, item=None):
        with freeze_time(MONDAY):
            case = self._receive_all(self._new_case(item_id=(item or self.item).id))
            case.action_submit()
            case.action_accept()
        return case

    def test_extension_once_by_administrator(self):
        case = self._accepted().with_user(self.user_officer)
        with self.assertRaises(UserError):
            case.action_request_extension()  # no reason
        with self.assertRaises(ValidationError):
            case.write({"extension_requested_days": 11, "extension_reason": "Complex"})
        case.write({"extension_requested_days": 10, "extension_reason": "Site survey needed"})
        case.action_request_extension()
        with self.assertRaises(UserError):
            case.action_approve_extension()  # not an administrator
        case.with_user(self.user_admin).action_approve_extension()
        self.assertEqual(case.extension_days, 10)
        self.assertEqual(case.date_deadline_statutory, date(2026, 4, 14))  # Qingming 4/6 skipped
        self.assertEqual(case.extension_approver_id, self.user_admin)
        with self.assertRaises(UserError):
            case.action_request_extension()

    def test_joint_items_extend_by_fifteen(self):
        joint = self._create_item(
            name="Joint Project Approval", state="active", is_joint_handling=True,
            statutory_days=45, promised_days=30,
        )
        case = self._accepted(joint)
        case.write({"extension_requested_days": 15, "extension_reason": "Joint review"})
        with self.assertRaises(ValidationError):
            case.write({"extension_requested_days": 16})


@tagged("post_install", "-at_install")
class TestCaseAccess(GovCaseCase):
    def test_front_desk_receives_any_item(self):
        Case = self.env["gov.case"].with_user(self.user_front_desk)
        case = Case.create(self._case_vals(item_id=self.item_b.id))
        self._receive_all(case)
        case.action_submit()
        case.action_accept()
        self.assertEqual(case.state, "accepted")
        # once accepted, the department handles it
        with self.assertRaises(AccessError):
            case.write({"user_id": self.user_officer_b.id})
        self.assertEqual(Case.search([("id", "=", case.id)]), case)

    def test_officers_see_their_departments(self):
        case_a = self._new_case()
        case_b = self._new_case(item_id=self.item_b.id)
        Case = self.env["gov.case"].with_user(self.user_officer)
        self.assertEqual(Case.search([("id", "in", (case_a | case_b).ids)]), case_a)
        with self.assertRaises(AccessError):
            case_b.with_user(self.user_officer).read(["name"])
        case_a.with_user(self.user_officer).write({"user_id": self.user_officer.id})
        with self.assertRaises(AccessError):
            Case.create(self._case_vals(item_id=self.item_b.id))

    def test_inspector_reads_only(self):
        case = self._new_case()
        Case = self.env["gov.case"].with_user(self.user_inspector)
        self.assertEqual(Case.browse(case.id).name, case.name)
        with self.assertRaises(AccessError):
            case.with_user(self.user_inspector).write({"description": "x"})
        with self.assertRaises(AccessError):
            Case.create(self._case_vals())

    def test_viewer_internal_public_no_access(self):
        case = self._new_case()
        for user in (self.user_viewer, self.user_internal, self.user_public):
            with self.assertRaises(AccessError, msg=user.login):
                case.with_user(user).read(["name"])

    def test_portal_reads_own_cases(self):
        own = self._new_case(partner_id=self.user_portal.partner_id.id, channel="online")
        other = self._new_case()
        Case = self.env["gov.case"].with_user(self.user_portal)
        self.assertEqual(Case.search([]), own)
        with self.assertRaises(AccessError):
            other.with_user(self.user_portal).read(["name"])
        with self.assertRaises(AccessError):
            own.with_user(self.user_portal).write({"description": "x"})
        self.assertEqual(
            own.material_line_ids, self.env["gov.case.material"].with_user(self.user_portal).search([])
        )


@tagged("post_install", "-at_install")
class TestCaseDeadlineBatch(GovCaseCase):
    def test_batch_equals_one_by_one(self):
        Calendar = self.env["gov.calendar.day"]
        requests = [
            (date(2026, 1, 1) + timedelta(days=offset), n)
            for offset in range(0, 730, 7)
            for n in (0, 1, 5, 20, 45, 60)
        ]
        self.assertEqual(
            Calendar.add_working_days_batch(requests),
            [Calendar.add_working_days(start, n) for start, n in requests],
        )
        self.assertEqual(Calendar.add_working_days_batch([]), [])
        with self.assertRaises(ValidationError):
            Calendar.add_working_days_batch([(date(2026, 1, 1), -1)])

    def test_batch_compute_matches_paused_path(self):
        with freeze_time(MONDAY):
            cases = self.env["gov.case"].create([self._case_vals() for _ in range(3)])
            for case in cases:
                self._receive_all(case)
            cases.action_submit()
            cases.action_accept()
        self.assertEqual(set(cases.mapped("date_deadline")), {date(2026, 3, 16)})
        self.assertEqual(set(cases.mapped("date_deadline_statutory")), {date(2026, 3, 30)})


@tagged("post_install", "-at_install")
class TestCaseMonthlyStatistics(GovCaseCase):
    def test_stored_figures_follow_the_cases(self):
        Stat = self.env["gov.stat.monthly"]
        # received at 23:30 in Shanghai on 31 March: a March case
        with freeze_time("2026-03-31 15:30:00"):
            cases = self.env["gov.case"].create([self._case_vals() for _ in range(3)])
            for case in cases:
                self._receive_all(case)
            cases.action_submit()
            cases[:2].action_accept()
        with freeze_time("2026-04-01 02:00:00"):
            cases[0].action_approve()
            Stat._gov_stat_refresh()
            row = Stat.search([("source", "=", "case"), ("item_id", "=", self.item.id)])
        self.assertEqual(len(row), 1)
        self.assertEqual(row.month, date(2026, 3, 1))
        self.assertEqual(
            (row.case_count, row.case_accepted_count, row.case_decided_count,
             row.case_on_time_count),
            (3, 2, 1, 1),
        )
        # a draft is not counted; its submission is
        with freeze_time("2026-04-01 02:00:00"):
            draft = self._new_case()
            Stat._gov_stat_refresh()
            self.assertEqual(row.case_count, 3)
            draft.action_submit()
            Stat._gov_stat_refresh()
            april = Stat.search([("source", "=", "case"), ("month", "=", "2026-04-01")])
        self.assertEqual(april.case_count, 1)
