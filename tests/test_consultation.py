# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re
from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.gov_service_center.models.gov_consultation import (
    QUERY_CODE_ALPHABET,
    mask_name,
    mask_text,
)

from .common import GovServiceCenterCase


@tagged("post_install", "-at_install")
class TestConsultation(GovServiceCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Consultation = cls.env["gov.consultation"]

    @classmethod
    def _vals(cls, **vals):
        values = {
            "name": "How to apply for a permit",
            "question": "Which documents are needed?",
            "contact_name": "张三",
            "contact_phone": "13812345678",
            "department_id": cls.dept_a.id,
        }
        values.update(vals)
        return values

    def _create(self, **vals):
        return self.Consultation.create(self._vals(**vals))

    # ------------------------------------------------------------------
    # query code, validation
    # ------------------------------------------------------------------
    def test_query_code(self):
        records = self.Consultation.create([self._vals() for _i in range(20)])
        codes = records.mapped("query_code")
        self.assertEqual(len(set(codes)), 20)
        for code in codes:
            self.assertEqual(len(code), 10)
            self.assertTrue(all(ch in QUERY_CODE_ALPHABET for ch in code))
            self.assertFalse(set(code) & set("01OIL"))
        with self.assertRaises(UserError):
            records[0].query_code = "AAAAAAAAAA"
        copy_vals = self._vals()
        copy_vals["query_code"] = codes[0]  # ignored: always generated
        self.assertNotEqual(self.Consultation.create(copy_vals).query_code, codes[0])

    def test_validation(self):
        bad = [
            {"name": "Hi"},
            {"name": "x" * 51},
            {"question": "x" * 2001},
            {"kind": "mailbox", "category": "complaint", "question": "x" * 601},
            {"contact_phone": False, "contact_email": False},
            {"contact_phone": "12345"},
            {"contact_phone": "12812345678"},
            {"contact_email": "not-an-email", "contact_phone": False},
        ]
        for vals in bad:
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                self._create(**vals)
        # accepted formats
        self._create(contact_phone="028-38123456")
        self._create(contact_phone="02838123456")
        self._create(contact_phone=False, contact_email="zhang@example.com")
        self._create(kind="mailbox", category="help", question="x" * 600)

    # ------------------------------------------------------------------
    # deadlines in working days
    # ------------------------------------------------------------------
    @freeze_time("2026-09-30 10:00:00")
    def test_deadline_working_days(self):
        # 2026-10-01..07 national day holidays, make-up days around them
        Calendar = self.env["gov.calendar.day"]
        Calendar.search([("date", ">=", "2026-09-01"), ("date", "<=", "2026-10-31")]).unlink()
        Calendar.create(
            [{"date": date(2026, 10, day), "day_type": "holiday", "holiday": "national_day"}
             for day in range(1, 8)]
        )
        consultation = self._create()
        self.assertEqual(consultation.date_deadline, Calendar.add_working_days(date(2026, 9, 30), 3))
        self.assertEqual(consultation.date_deadline, date(2026, 10, 12))
        simple = self._create(kind="mailbox", category="complaint")
        complex_letter = self._create(kind="mailbox", category="complaint", complexity="complex")
        self.assertEqual(simple.date_deadline, date(2026, 10, 12))
        self.assertEqual(complex_letter.date_deadline, Calendar.add_working_days(date(2026, 9, 30), 10))
        # configurable
        self.env["ir.config_parameter"].set_param("gov_service_center.consultation_days", "5")
        self.assertEqual(self._create().date_deadline, Calendar.add_working_days(date(2026, 9, 30), 5))
        # switching to complex recomputes
        simple.complexity = "complex"
        self.assertEqual(simple.date_deadline, complex_letter.date_deadline)

    def test_overdue_and_answer_days(self):
        with freeze_time("2026-03-02 09:00:00"):  # Monday
            late = self._create()
            on_time = self._create()
            self.assertEqual(late.date_deadline, date(2026, 3, 5))
        with freeze_time("2026-03-04 09:00:00"):
            on_time.answer = "Bring your ID card."
            on_time.action_answer()
        self.assertEqual(on_time.answer_days, 2)
        self.assertFalse(on_time.is_overdue)
        with freeze_time("2026-03-06 09:00:00"):
            self.Consultation._cron_refresh_overdue()
            self.assertTrue(late.is_overdue)
            self.assertEqual(late.overdue_count, 1)
            self.assertIn(late, self.Consultation.search([("is_overdue", "=", True)]))
            self.assertNotIn(on_time, self.Consultation.search([("is_overdue", "=", True)]))
            late.answer = "Sorry for the delay."
            late.action_answer()
            self.assertFalse(late.is_overdue, "answered: the deadline no longer runs")
        self.assertEqual(late.overdue_count, 1, "answered after the deadline stays counted as late")
        self.assertEqual(late.answer_days, 4)

    # ------------------------------------------------------------------
    # workflow, assignment, templates
    # ------------------------------------------------------------------
    def test_workflow(self):
        record = self._create()
        self.assertEqual(record.state, "new")
        with self.assertRaises(UserError):
            record.action_answer()  # no answer yet
        record.with_user(self.user_officer).action_assign_to_me()
        self.assertEqual(record.state, "assigned")
        self.assertEqual(record.user_id, self.user_officer)
        template = self.env["gov.consultation.template"].create(
            {"name": "Documents", "body": "Please bring your ID card."}
        )
        with Form(record.with_user(self.user_officer)) as form:
            form.template_id = template
            self.assertEqual(form.answer, "Please bring your ID card.")
        record.with_user(self.user_officer).action_answer()
        self.assertEqual(record.state, "answered")
        self.assertTrue(record.date_answered)
        with self.assertRaises(UserError):
            record.action_answer()
        record.action_close()
        self.assertEqual(record.state, "closed")
        self.assertEqual(record.resolved_count, 1)

    def test_assignment_rules(self):
        Rule = self.env["gov.consultation.rule"]
        item = self._create_item(department_id=self.dept_b.id, state="active")
        Rule.create(
            [
                {"name": "Item rule", "sequence": 1, "item_id": item.id,
                 "user_id": self.user_officer_b.id},
                {"name": "Dept A", "sequence": 2, "department_id": self.dept_a.id,
                 "user_id": self.user_officer.id},
                {"name": "Complaints", "sequence": 3, "kind": "mailbox", "category": "complaint",
                 "department_target_id": self.dept_c.id},
            ]
        )
        by_item = self._create(item_id=item.id, department_id=False)
        self.assertEqual(by_item.user_id, self.user_officer_b)
        self.assertEqual(by_item.state, "assigned")
        by_sub_department = self._create(department_id=self.dept_a_sub.id)
        self.assertEqual(by_sub_department.user_id, self.user_officer)
        complaint = self._create(kind="mailbox", category="complaint", department_id=False)
        self.assertEqual(complaint.department_id, self.dept_c)
        self.assertEqual(complaint.state, "new")
        nothing = self._create(department_id=self.dept_c.id)
        self.assertFalse(nothing.user_id)
        leader = self.env["gov.mailbox.leader"].create(
            {"name": "王主任", "title": "Director", "user_id": self.user_officer_b.id}
        )
        letter = self._create(kind="mailbox", category="suggestion", leader_id=leader.id,
                              department_id=False)
        self.assertEqual(letter.user_id, self.user_officer_b)

    def test_rating(self):
        with freeze_time("2026-03-02 09:00:00"):
            record = self._create(answer="Answer.")
            record.action_answer()
            other = self._create(answer="Answer.")
            other.action_answer()
        self.assertEqual(record.rating_deadline, self.env["gov.calendar.day"].add_working_days(
            date(2026, 3, 2), 20))
        with self.assertRaises(UserError):
            record.with_user(self.user_officer).write({"rating": "satisfied"})
        with freeze_time("2026-03-10"):
            record._rate("dissatisfied")
            with self.assertRaises(UserError):
                record._rate("satisfied")  # only once
            with self.assertRaises(ValidationError):
                other._rate("excellent")
        self.assertEqual(record.rating, "dissatisfied")
        self.assertEqual(record.satisfied_count, 0)
        with freeze_time("2026-03-30"):
            self.assertFalse(self.Consultation._cron_default_rating())
        with freeze_time("2026-04-01"):
            with self.assertRaises(UserError):
                other._rate("satisfied")  # period over
            done = self.Consultation._cron_default_rating()
        self.assertEqual(done, other)
        self.assertEqual(other.rating, "satisfied")
        self.assertTrue(other.rating_auto)
        self.assertEqual(record.rating, "dissatisfied")
        with self.assertRaises(UserError):
            self._create()._rate("satisfied")  # not answered

    def test_reminder_cron(self):
        with freeze_time("2026-03-02 09:00:00"):
            record = self._create(user_id=self.user_officer.id)
            no_user = self._create(department_id=self.dept_c.id)
        with freeze_time("2026-03-03 09:00:00"):
            self.assertFalse(self.Consultation._cron_remind())
        with freeze_time("2026-03-04 09:00:00"):
            reminded = self.Consultation._cron_remind()
        self.assertIn(record, reminded)
        activity = record.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.user_officer)
        self.assertEqual(activity.date_deadline, record.date_deadline)
        self.assertFalse(no_user.activity_ids)
        with freeze_time("2026-03-04 10:00:00"):
            self.Consultation._cron_remind()
        self.assertEqual(len(record.activity_ids), 1, "one reminder only")
        record.answer = "Done"
        record.action_answer()
        self.assertFalse(record.activity_ids)

    def test_publication(self):
        record = self._create(answer="Answer", is_public=False)
        record.action_answer()
        with self.assertRaises(UserError):
            record.action_approve_publication()
        self.assertFalse(record.is_published)
        consented = self._create(answer="Answer", is_public=True)
        self.assertFalse(consented.is_published)
        consented.action_answer()
        self.assertFalse(consented.is_published, "needs the officer's approval")
        consented.action_approve_publication()
        self.assertTrue(consented.is_published)
        consented.action_withdraw_publication()
        self.assertFalse(consented.is_published)

    def test_never_deleted_tracked(self):
        record = self._create()
        for user in (self.user_admin, self.user_officer):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                record.with_user(user).unlink()
        with self.assertRaises(UserError):
            record.sudo().unlink()
        self.assertTrue(record.exists())
        record.with_user(self.user_admin).active = False
        self.assertFalse(record.active)
        tracked = {name for name, field in record._fields.items() if getattr(field, "tracking", None)}
        self.assertTrue({"state", "answer", "user_id", "department_id", "date_deadline"} <= tracked)

    # ------------------------------------------------------------------
    # masking
    # ------------------------------------------------------------------
    def test_masking(self):
        self.assertEqual(mask_name("张三"), "张*")
        self.assertEqual(mask_name("欧阳娜娜"), "欧***")
        self.assertEqual(mask_name(""), "")
        text = "我的电话13812345678，身份证511402199001011234，座机028-38123456"
        masked = mask_text(text)
        self.assertNotRegex(masked, r"1[3-9]\d{9}")
        self.assertNotRegex(masked, r"\d{17}[\dXx]")
        self.assertIn("138****5678", masked)
        self.assertIn("511402********1234", masked)
        self.assertIn("51140219900101123X"[:6], mask_text("51140219900101123X"))
        self.assertNotRegex(mask_text("id 51140219900101123x"), r"\d{17}[\dXx]")
        self.assertEqual(mask_text("no personal data"), "no personal data")

    # ------------------------------------------------------------------
    # statistics and overview
    # ------------------------------------------------------------------
    def test_statistics(self):
        with freeze_time("2026-03-02 09:00:00"):
            records = self.Consultation.create([self._vals() for _i in range(4)])
            records += self._create(department_id=self.dept_b.id)
        records[:2].write({"answer": "A"})
        with freeze_time("2026-03-03 09:00:00"):
            records[:2].action_answer()
        groups = self.Consultation._read_group(
            [("id", "in", records.ids)],
            groupby=["department_id", "date_submitted:month"],
            aggregates=["__count", "resolved_count:sum", "answer_days:avg"],
        )
        by_department = {department: (count, resolved, days)
                         for department, _month, count, resolved, days in groups}
        self.assertEqual(by_department[self.dept_a], (4, 2, 0.5))
        self.assertEqual(by_department[self.dept_b], (1, 0, 0))
        self.env.flush_all()
        overview = self.env["gov.center.overview"].search([("area", "=", "citizen")])
        metrics = {line.metric: line.value for line in overview}
        self.assertIn("consultations_this_year", metrics)
        self.assertIn("consultations_resolved_this_year", metrics)
        self.assertIn("consultations_overdue", metrics)

    # ------------------------------------------------------------------
    # access rights
    # ------------------------------------------------------------------
    def test_access_matrix(self):
        mine = self._create(department_id=self.dept_a_sub.id)
        other = self._create(department_id=self.dept_c.id)
        portal_partner = self.user_portal.partner_id
        own = self._create(department_id=self.dept_c.id)
        own.sudo().partner_id = portal_partner
        # public and internal users without group: nothing
        for user in (self.user_public, self.user_internal):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.Consultation.with_user(user).search([])
        # portal: only their own, read-only, no contact data
        portal_env = self.Consultation.with_user(self.user_portal)
        self.assertEqual(portal_env.search([("id", "in", (mine | other | own).ids)]), own)
        with self.assertRaises(AccessError):
            own.with_user(self.user_portal).name = "Changed subject"
        with self.assertRaises(AccessError):
            portal_env.create(self._vals())
        # viewer and inspector: read all, without contact data, write nothing
        for user in (self.user_viewer, self.user_inspector):
            with self.subTest(user=user.login):
                found = self.Consultation.with_user(user).search([("id", "in", (mine | other).ids)])
                self.assertEqual(found, mine | other)
                found.read(["name", "state", "date_deadline", "answer_days"])
                with self.assertRaises(AccessError):
                    found.read(["contact_phone"])
                with self.assertRaises(AccessError):
                    mine.with_user(user).answer = "x"
                with self.assertRaises(AccessError):
                    self.Consultation.with_user(user).create(self._vals())
        # officer: handles requests of their departments (and sub-departments)
        mine.with_user(self.user_officer).write({"answer": "OK"})
        self.assertEqual(mine.with_user(self.user_officer).contact_phone, "13812345678")
        with self.assertRaises(AccessError):
            other.with_user(self.user_officer).write({"answer": "OK"})
        other.user_id = self.user_officer  # assigned to them by hand
        other.with_user(self.user_officer).write({"answer": "OK"})
        # admin: everything but deletion
        own.with_user(self.user_admin).write({"answer": "OK"})
        self.assertTrue(self.Consultation.with_user(self.user_admin).create(self._vals()))
        # configuration models
        for model in ("gov.consultation.rule", "gov.consultation.template", "gov.mailbox.leader"):
            with self.subTest(model=model):
                self.env[model].with_user(self.user_viewer).search([])
                with self.assertRaises(AccessError):
                    self.env[model].with_user(self.user_officer).create({"name": "x", "body": "x"})
                with self.assertRaises(AccessError):
                    self.env[model].with_user(self.user_portal).search([])
                vals = {"name": "x"}
                if model == "gov.consultation.template":
                    vals["body"] = "x"
                self.env[model].with_user(self.user_admin).create(vals)
