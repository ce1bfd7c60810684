# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import GovServiceCenterCase, hall_calendar


@tagged("post_install", "-at_install")
@freeze_time("2026-02-20 12:00:00")
class TestAttendanceDay(GovServiceCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = hall_calendar(cls.env)
        zone = cls.env["gov.hall.zone"].create({"name": "Zone", "code": "ZT"})
        cls.window = cls.env["gov.service.window"].create(
            {"name": "W", "code": "WT", "zone_id": zone.id, "department_id": cls.dept_a.id}
        )
        cls.user_staff = new_test_user(cls.env, "gsc_staff", groups="base.group_user")
        cls.emp = cls.env["hr.employee"].create({
            "name": "Window Staff", "tz": "Asia/Shanghai", "resource_calendar_id": cls.calendar.id,
            "gov_window_id": cls.window.id, "department_id": cls.dept_a.id,
            "user_id": cls.user_staff.id,
        })
        cls.other = cls.env["hr.employee"].create({
            "name": "Other Staff", "tz": "Asia/Shanghai", "resource_calendar_id": cls.calendar.id,
            "gov_window_id": cls.window.id, "department_id": cls.dept_b.id,
        })
        # Spring Festival 2026: make-up Saturday 14 February, holiday from the 15th
        Calendar = cls.env["gov.calendar.day"]
        for day, day_type in (("2026-02-14", "workday"), ("2026-02-16", "holiday"),
                              ("2026-02-17", "holiday")):
            found = Calendar.search([("date", "=", day)])
            if found:
                found.write({"day_type": day_type})
            else:
                Calendar.create({"date": day, "day_type": day_type, "holiday": "spring_festival"})
        cls.env["gov.calendar.day"].search(
            [("date", ">=", "2026-02-06"), ("date", "<=", "2026-02-13")]
        ).unlink()
        # UTC times (Shanghai = UTC+8): the day runs 01:00-04:00 and 05:30-09:30
        attendances = [
            ("2026-02-09 00:55:00", "2026-02-09 09:35:00"),  # Mon on time
            ("2026-02-10 01:05:00", "2026-02-10 09:31:00"),  # Tue late 5
            ("2026-02-11 01:15:00", "2026-02-11 09:10:00"),  # Wed late 15, early 20
            ("2026-02-12 00:50:00", "2026-02-12 00:50:00"),  # Thu forgotten check-out
            # Fri 13: nothing -> absent
            ("2026-02-14 01:00:00", "2026-02-14 09:30:00"),  # make-up Saturday, on time
            ("2026-02-16 03:00:00", "2026-02-16 04:00:00"),  # holiday
            ("2026-02-06 05:00:00", "2026-02-06 09:30:00"),  # Fri 6: absent in the morning
        ]
        cls.env["hr.attendance"].create([
            {"employee_id": cls.emp.id, "check_in": cin, "check_out": cout} for cin, cout in attendances
        ])

    def _evaluate(self, employees=None):
        return self.env["gov.attendance.day"]._gov_evaluate(
            "2026-02-06", "2026-02-17", employees if employees is not None else self.emp
        )

    def _results(self):
        days = self.env["gov.attendance.day"].search([("employee_id", "=", self.emp.id)])
        return {str(d.date): (d.result, d.late_minutes, d.early_minutes, d.missed_punches,
                              d.absent_half_days) for d in days}

    def test_results_of_the_period(self):
        self._evaluate()
        self.assertEqual(self._results(), {
            "2026-02-06": ("absent", 0, 0, 0, 1),
            "2026-02-09": ("ok", 0, 0, 0, 0),
            "2026-02-10": ("late", 5, 0, 0, 0),
            "2026-02-11": ("late_and_early", 15, 20, 0, 0),
            "2026-02-12": ("missed_punch", 0, 0, 1, 0),
            "2026-02-13": ("absent", 0, 0, 0, 2),
            "2026-02-14": ("ok", 0, 0, 0, 0),  # make-up Saturday: Monday's hours
        })
        saturday = self.env["gov.attendance.day"].search(
            [("employee_id", "=", self.emp.id), ("date", "=", "2026-02-14")]
        )
        self.assertTrue(saturday.is_makeup_day)
        self.assertEqual(str(saturday.scheduled_start), "2026-02-14 01:00:00")
        self.assertEqual(saturday.window_id, self.window)

    def test_makeup_saturday_late(self):
        self.env["hr.attendance"].search(
            [("employee_id", "=", self.emp.id), ("check_in", ">=", "2026-02-14"), ("check_in", "<", "2026-02-15")]
        ).check_in = "2026-02-14 01:30:00"
        self._evaluate()
        self.assertEqual(self._results()["2026-02-14"], ("late", 30, 0, 0, 0))

    def test_holiday_and_weekend_have_no_result(self):
        self._evaluate()
        results = self._results()
        self.assertNotIn("2026-02-15", results)  # Sunday
        self.assertNotIn("2026-02-16", results)  # statutory holiday
        self.assertNotIn("2026-02-17", results)
        # a day that becomes a holiday afterwards turns into a rest day
        self.env["gov.calendar.day"].create({"date": "2026-02-13", "day_type": "holiday"})
        self._evaluate()
        self.assertEqual(self._results()["2026-02-13"], ("rest_day", 0, 0, 0, 0))

    def test_grace_minutes(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "gov_service_center.attendance_grace_minutes", "10"
        )
        self._evaluate()
        self.assertEqual(self._results()["2026-02-10"], ("ok", 0, 0, 0, 0))
        self.assertEqual(self._results()["2026-02-11"][:3], ("late_and_early", 15, 20))

    def test_evaluation_is_idempotent_and_tracked(self):
        first = self._evaluate()
        again = self._evaluate()
        self.assertEqual(first, again)
        self.assertEqual(
            self.env["gov.attendance.day"].search_count([("employee_id", "=", self.emp.id)]), 7
        )

    def test_future_days_are_not_evaluated(self):
        days = self.env["gov.attendance.day"]._gov_evaluate("2026-02-20", "2026-02-27", self.emp)
        self.assertFalse(days)

    def test_default_employees_are_window_staff(self):
        self.env["hr.employee"].create({"name": "Back office"})
        days = self.env["gov.attendance.day"]._gov_evaluate("2026-02-09", "2026-02-09")
        self.assertEqual(days.employee_id, self.emp | self.other)

    def test_bad_period(self):
        with self.assertRaises(ValidationError):
            self.env["gov.attendance.day"]._gov_evaluate("2026-02-10", "2026-02-09", self.emp)
        with self.assertRaises(ValidationError):
            self.env["gov.attendance.day"]._gov_evaluate("2024-01-01", "2026-02-09", self.emp)

    def test_cron_evaluates_yesterday(self):
        with freeze_time("2026-02-11 02:00:00"):
            self.env["gov.attendance.day"]._cron_evaluate_yesterday()
        self.assertEqual(
            self.env["gov.attendance.day"].search([("employee_id", "=", self.emp.id)]).mapped("result"),
            ["late"],
        )

    def test_wizard(self):
        wizard = self.env["gov.attendance.evaluate.wizard"].with_user(self.user_admin).create(
            {"date_from": "2026-02-09", "date_to": "2026-02-13", "employee_ids": [(6, 0, self.emp.ids)]}
        )
        action = wizard.action_evaluate()
        self.assertEqual(len(action["domain"][0][2]), 5)

    def test_ledger_lines(self):
        self._evaluate(self.emp | self.other)
        lines = self.env["gov.attendance.day"]._gov_ledger_lines(
            date(2026, 2, 6), date(2026, 2, 17), self.emp
        )
        got = sorted((str(line["date"]), line["points"]) for line in lines)
        self.assertEqual(got, [
            ("2026-02-06", -5.0),
            ("2026-02-10", -1.0),
            ("2026-02-11", -3.0),
            ("2026-02-11", -3.0),
            ("2026-02-12", -2.0),
            ("2026-02-13", -10.0),
        ])
        for line in lines:
            self.assertEqual(set(line), {"employee_id", "date", "points", "cause", "cause_code",
                                         "cause_args", "res_model", "res_id"})
            self.assertEqual(line["employee_id"], self.emp.id)
            self.assertEqual(line["res_model"], "gov.attendance.day")
            self.assertTrue(line["cause"])
        # rules are parameters
        self.env["ir.config_parameter"].sudo().set_param(
            "gov_service_center.attendance_points_missed_punch", "-4"
        )
        lines = self.env["gov.attendance.day"]._gov_ledger_lines(
            date(2026, 2, 12), date(2026, 2, 12), self.emp
        )
        self.assertEqual([line["points"] for line in lines], [-4.0])

    def test_never_deleted(self):
        days = self._evaluate()
        with self.assertRaises(UserError):
            days[0].unlink()
        with self.assertRaises(AccessError):
            days[0].with_user(self.user_admin).unlink()

    def test_access(self):
        self._evaluate(self.emp | self.other)
        Day = self.env["gov.attendance.day"]
        mine = Day.with_user(self.user_staff).search([])
        self.assertEqual(mine.employee_id, self.emp)
        self.assertEqual(Day.with_user(self.user_internal).search([]), Day)
        self.assertEqual(len(Day.with_user(self.user_viewer).search([])), 14)
        with self.assertRaises(AccessError):
            mine[0].with_user(self.user_staff).write({"note": "forged"})
        with self.assertRaises(AccessError):
            mine[0].with_user(self.user_officer).write({"note": "forged"})
        mine[0].with_user(self.user_admin).write({"note": "Official business"})
        with self.assertRaises(AccessError):
            Day.with_user(self.user_portal).search([])
