# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import os
from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from ..models import gov_center_time as clock
from ..models.gov_settings import (
    DECLARATIONS,
    PREFIX,
    SETTINGS,
    field_name,
    get_setting,
    param_key,
    settings_markdown,
)
from .common import GovServiceCenterCase

# (UTC instant, the center's day there) around midnight in Asia/Shanghai (UTC+8):
# the last day of a month and the first of the next, then 31 December and 1 January.
MOMENTS = [
    ("2026-11-30 15:30:00", date(2026, 11, 30)),  # 23:30 on 30 November
    ("2026-11-30 16:30:00", date(2026, 12, 1)),  # 00:30 on 1 December
    ("2026-12-31 15:30:00", date(2026, 12, 31)),  # 23:30 on 31 December
    ("2026-12-31 16:30:00", date(2027, 1, 1)),  # 00:30 on 1 January
]


@tagged("post_install", "-at_install")
class TestCenterClock(GovServiceCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(param_key("center_tz"), "Asia/Shanghai")
        cls.zone = cls.env["gov.hall.zone"].create(
            {"name": "Clock Zone", "code": "CLK", "ticket_prefix": "K"}
        )
        window = cls.env["gov.service.window"].create(
            {"name": "Clock Window", "code": "CLKW", "zone_id": cls.zone.id}
        )
        cls.employee = cls.env["hr.employee"].create(
            {"name": "Clock Clerk", "gov_window_id": window.id}
        )

    def _figures(self):
        self.env.flush_all()
        self.env["gov.center.overview"].invalidate_model()
        return {row.metric: row.value for row in self.env["gov.center.overview"].search([])}

    def test_helpers(self):
        for instant, day in MOMENTS:
            with self.subTest(instant=instant), freeze_time(instant):
                utc = datetime.fromisoformat(instant)
                self.assertEqual(clock.center_today(self.env), day)
                self.assertEqual(clock.center_now(self.env), utc + timedelta(hours=8))
                self.assertIsNone(clock.center_now(self.env).tzinfo)
                first, last = clock.center_month_bounds(self.env)
                self.assertEqual(first, day.replace(day=1))
                self.assertEqual(last.month, day.month)
                self.assertEqual((last + timedelta(days=1)).day, 1)
                start, end = clock.center_day_utc_bounds(self.env)
                midnight = datetime.combine(day, datetime.min.time())
                self.assertEqual(start, midnight - timedelta(hours=8))
                self.assertEqual(end - start, timedelta(days=1))
                self.assertTrue(start <= utc < end)
                month_start, month_end = clock.center_month_utc_bounds(self.env)
                self.assertEqual(month_start, clock.center_day_utc_bounds(self.env, first)[0])
                self.assertEqual(month_end, clock.center_day_utc_bounds(self.env, last)[1])
                self.assertEqual(clock.center_date(self.env, utc), day)

    @mute_logger("odoo.addons.gov_service_center.models.gov_settings")
    def test_zone_is_a_setting(self):
        Param = self.env["ir.config_parameter"].sudo()
        with freeze_time("2026-11-30 16:30:00"):
            self.assertEqual(clock.center_today(self.env), date(2026, 12, 1))
            Param.set_param(param_key("center_tz"), "Europe/Paris")
            self.assertEqual(clock.center_today(self.env), date(2026, 11, 30))
            Param.set_param(param_key("center_tz"), "Not/AZone")
            self.assertEqual(clock.center_today(self.env), date(2026, 12, 1))

    def test_overview_today_and_month(self):
        Day = self.env["gov.attendance.day"].sudo()
        Ticket = self.env["gov.queue.ticket"].sudo()
        for instant, day in MOMENTS:
            with self.subTest(instant=instant), freeze_time(instant):
                before = self._figures()
                yesterday = day - timedelta(days=1)
                employee = self.employee.create(
                    {"name": f"Clerk {instant}", "gov_window_id": self.employee.gov_window_id.id}
                )
                for when in (day, yesterday):
                    Day.create({
                        "employee_id": employee.id, "date": when,
                        "result": "late", "late_minutes": 5,
                    })
                Ticket.create([{"zone_id": self.zone.id}] * 2)
                after = self._figures()
                # yesterday is in this month on the last day, in the previous one on the first
                expected = 2 if yesterday.month == day.month else 1
                self.assertEqual(
                    after["late_arrivals_this_month"], before["late_arrivals_this_month"] + expected
                )
                self.assertEqual(after["visitors_today"], before["visitors_today"] + 2)

    def test_queue_numbers_restart_at_local_midnight(self):
        Ticket = self.env["gov.queue.ticket"].sudo()
        for evening, morning in (MOMENTS[0:2], MOMENTS[2:4]):
            with freeze_time(evening[0]):
                late = Ticket.create([{"zone_id": self.zone.id}] * 2)
            with freeze_time(morning[0]):
                early = Ticket.create({"zone_id": self.zone.id})
            self.assertEqual(set(late.mapped("date")), {evening[1]})
            self.assertEqual(late[-1].sequence_number, late[0].sequence_number + 1)
            self.assertEqual(early.date, morning[1])
            self.assertEqual(early.sequence_number, 1)
            self.assertEqual(early.name, "K001")

    def test_deadline_from_center_today(self):
        Calendar = self.env["gov.calendar.day"]
        days = get_setting(self.env, "complaint_deadline_days")
        for instant, day in MOMENTS:
            with self.subTest(instant=instant), freeze_time(instant):
                complaint = self.env["gov.complaint"].create({
                    "name": "Late report",
                    "description": "The report is late.",
                    "complainant_phone": "13800000000",
                    "department_id": self.dept_a.id,
                })
                self.assertEqual(complaint.date_received, day)
                self.assertEqual(complaint.date_deadline, Calendar.add_working_days(day, days))

    def test_attendance_period_of_the_center(self):
        Wizard = self.env["gov.attendance.evaluate.wizard"]
        for instant, day in MOMENTS:
            with self.subTest(instant=instant), freeze_time(instant):
                values = Wizard.default_get(["date_from", "date_to"])
                self.assertEqual(values["date_from"], day.replace(day=1))
                self.assertEqual(values["date_to"], day - timedelta(days=1))


@tagged("post_install", "-at_install")
class TestSettingsTable(TransactionCase):
    def _settings_fields(self):
        return {
            name: field
            for name, field in self.env["res.config.settings"]._fields.items()
            if (getattr(field, "config_parameter", None) or "").startswith(PREFIX)
        }

    def test_every_setting_has_a_field(self):
        fields_by_key = {
            field.config_parameter: name for name, field in self._settings_fields().items()
        }
        self.assertEqual(set(fields_by_key), {param_key(s.name) for s in DECLARATIONS})
        for setting in DECLARATIONS:
            name = fields_by_key[param_key(setting.name)]
            self.assertEqual(name, field_name(setting.name))
            field = self.env["res.config.settings"]._fields[name]
            self.assertEqual(field.string, setting.label)
            self.assertEqual(field.default(self.env["res.config.settings"]), setting.default)
            self.assertEqual(
                field.type,
                {"int": "integer", "float": "float", "bool": "boolean", "char": "char",
                 "selection": "selection"}[setting.type],
            )
        # every field is shown in the settings form
        arch = self.env["res.config.settings"].get_view(view_type="form")["arch"]
        for name in self._settings_fields():
            self.assertIn(f'name="{name}"', arch)

    def test_bounds_checked_on_save(self):
        Param = self.env["ir.config_parameter"].sudo()
        Param.set_param(param_key("complaint_deadline_days"), "12")
        below = SETTINGS["complaint_deadline_days"].minimum - 1
        settings = self.env["res.config.settings"].create({"gov_complaint_deadline_days": below})
        with self.assertRaises(ValidationError):
            settings.execute()
        self.assertEqual(Param.get_param(param_key("complaint_deadline_days")), "12")
        settings = self.env["res.config.settings"].create({"gov_division_code": "51140X"})
        with self.assertRaises(ValidationError):
            settings.execute()

    def test_zero_and_false_are_kept(self):
        settings = self.env["res.config.settings"].create({
            "gov_warning_late_count": 0,
            "gov_warning_bad_rating": False,
            "gov_form_min_fill_seconds": 0,
            "gov_points_bonus_cap": 2.5,
            "gov_center_tz": "Asia/Urumqi",
        })
        settings.execute()
        self.assertEqual(get_setting(self.env, "warning_late_count"), 0)
        self.assertIs(get_setting(self.env, "warning_bad_rating"), False)
        self.assertEqual(get_setting(self.env, "form_min_fill_seconds"), 0)
        self.assertEqual(get_setting(self.env, "points_bonus_cap"), 2.5)
        self.assertEqual(get_setting(self.env, "center_tz"), "Asia/Urumqi")
        reopened = self.env["res.config.settings"].create({})
        self.assertEqual(reopened.gov_warning_late_count, 0)
        self.assertFalse(reopened.gov_warning_bad_rating)
        self.assertEqual(reopened.gov_center_tz, "Asia/Urumqi")

    @mute_logger(
        "odoo.addons.gov_service_center.models.gov_settings", "odoo.addons.base.models.res_config"
    )
    def test_reader_defaults_on_garbage(self):
        Param = self.env["ir.config_parameter"].sudo()
        cases = {
            "complaint_deadline_days": ("abc", "0", "2.5", "1e9"),
            "points_base": ("nan", "-1", "x"),
            "warning_inspection": ("maybe",),
            "center_tz": ("Mars/Olympus",),
            "division_code": ("51-14",),
        }
        for name, values in cases.items():
            for value in values:
                with self.subTest(name=name, value=value):
                    Param.set_param(param_key(name), value)
                    self.assertEqual(get_setting(self.env, name), SETTINGS[name].default)
        Param.set_param(param_key("complaint_deadline_days"), " 20 ")
        self.assertEqual(get_setting(self.env, "complaint_deadline_days"), 20)
        Param.set_param(param_key("warning_inspection"), "False")
        self.assertIs(get_setting(self.env, "warning_inspection"), False)
        # the settings form shows what the module uses
        Param.set_param(param_key("star_count"), "many")
        self.assertEqual(
            self.env["res.config.settings"].create({}).gov_star_count,
            SETTINGS["star_count"].default,
        )

    def test_readme_lists_the_settings(self):
        path = os.path.join(get_module_path("gov_service_center"), "README.md")
        with open(path, encoding="utf-8") as readme:
            self.assertIn(settings_markdown(), readme.read())
