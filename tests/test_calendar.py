# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestWorkingDayCalendar(TransactionCase):
    """Working days: weekdays, minus statutory holidays, plus make-up days.

    Relies on the 2026 schedule shipped in data/gov_calendar_day_data.xml.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Calendar = cls.env["gov.calendar.day"]

    def test_shipped_years(self):
        years = set(self.Calendar.search([]).mapped("year"))
        self.assertTrue({2026, 2027} <= years)
        # 2026 national day holiday: Oct 1-7, make-up days Sep 20 (Sun) and Oct 10 (Sat)
        self.assertFalse(self.Calendar.is_working_day(date(2026, 10, 5)))
        self.assertTrue(self.Calendar.is_working_day(date(2026, 9, 20)))
        self.assertTrue(self.Calendar.is_working_day(date(2026, 10, 10)))

    def test_plain_week(self):
        # Monday 2026-03-02 + 5 working days = Monday 2026-03-09
        self.assertEqual(self.Calendar.add_working_days(date(2026, 3, 2), 5), date(2026, 3, 9))
        # a Friday + 1 = the next Monday
        self.assertEqual(self.Calendar.add_working_days(date(2026, 3, 6), 1), date(2026, 3, 9))
        self.assertEqual(self.Calendar.add_working_days(date(2026, 3, 6), 0), date(2026, 3, 6))

    def test_spring_festival_and_make_up_saturdays(self):
        # Friday 2026-02-13; Saturday 14 is a make-up working day, then the
        # holiday runs Feb 15-23; Saturday Feb 28 is a make-up working day too.
        self.assertTrue(self.Calendar.is_working_day(date(2026, 2, 14)))
        self.assertEqual(self.Calendar.add_working_days(date(2026, 2, 13), 1), date(2026, 2, 14))
        self.assertEqual(self.Calendar.add_working_days(date(2026, 2, 13), 2), date(2026, 2, 24))
        # Feb 24, 25, 26, 27 (Tue-Fri), Sat 28 (make-up), Mon Mar 2
        self.assertEqual(self.Calendar.add_working_days(date(2026, 2, 23), 5), date(2026, 2, 28))
        self.assertEqual(self.Calendar.add_working_days(date(2026, 2, 23), 6), date(2026, 3, 2))

    def test_statutory_limit_over_national_day(self):
        # a case accepted on Friday 2026-09-18 with a 20 working-day limit
        # Sep 20 (Sun, make-up) counts, Sep 25-27 and Oct 1-7 do not, Oct 10 (Sat) counts
        deadline = self.Calendar.add_working_days(date(2026, 9, 18), 20)
        self.assertEqual(deadline, date(2026, 10, 22))
        self.assertEqual(self.Calendar.working_days_between(date(2026, 9, 18), deadline), 20)

    def test_between_is_inverse_of_add(self):
        start = date(2026, 1, 1)
        for n in (0, 1, 3, 7, 20, 45, 60):
            end = self.Calendar.add_working_days(start, n)
            self.assertEqual(self.Calendar.working_days_between(start, end), n)
        self.assertEqual(
            self.Calendar.working_days_between(date(2026, 3, 9), date(2026, 3, 2)), -5
        )

    def test_pause_for_steps_that_do_not_count(self):
        # expert review from Tue 2026-03-10 to Thu 2026-03-12 stops the clock
        pauses = [(date(2026, 3, 10), date(2026, 3, 12))]
        without = self.Calendar.add_working_days(date(2026, 3, 2), 10)
        with_pause = self.Calendar.add_working_days(date(2026, 3, 2), 10, pauses)
        self.assertEqual(without, date(2026, 3, 16))
        self.assertEqual(with_pause, date(2026, 3, 19))
        self.assertEqual(
            self.Calendar.working_days_between(date(2026, 3, 2), with_pause, pauses), 10
        )

    def test_negative_days_refused(self):
        with self.assertRaises(ValidationError):
            self.Calendar.add_working_days(date(2026, 3, 2), -1)

    def test_make_up_day_must_be_a_weekend(self):
        with self.assertRaises(ValidationError):
            self.Calendar.create({"date": "2030-03-05", "day_type": "workday"})

    def test_date_unique(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.Calendar.create({"date": "2026-10-01", "day_type": "holiday"})

    def test_new_entry_is_seen_at_once(self):
        # 2030 has no data: Tuesday 2030-03-05 is a working day until declared
        self.assertTrue(self.Calendar.is_working_day(date(2030, 3, 5)))
        self.Calendar.create({"date": "2030-03-05", "day_type": "holiday", "holiday": "other"})
        self.assertFalse(self.Calendar.is_working_day(date(2030, 3, 5)))
        self.Calendar.create({"date": "2030-03-09", "day_type": "workday", "holiday": "other"})
        self.assertTrue(self.Calendar.is_working_day(date(2030, 3, 9)))

    def test_item_deadlines(self):
        department = self.env["hr.department"].create({"name": "Calendar Test Department"})
        item = self.env["gov.approval.item"].create(
            {
                "name": "Deadline test item",
                "department_id": department.id,
                "statutory_days": 20,
                "promised_days": 5,
            }
        )
        deadlines = item.get_deadlines(date(2026, 9, 18))
        self.assertEqual(deadlines["statutory"], date(2026, 10, 22))
        # Sep 20 (make-up Sunday), 21, 22, 23, 24
        self.assertEqual(deadlines["promised"], date(2026, 9, 24))
