# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json
import random
from datetime import date, datetime, timedelta

import psycopg2

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import NOW, GovAttendanceCase, hall_calendar

@tagged("post_install", "-at_install")
class TestWindowStaff(GovAttendanceCase):
    def test_probation_defaults_to_one_month(self):
        self.emp1.gov_station_date = date(2026, 1, 31)
        self.assertEqual(self.emp1.gov_probation_end, date(2026, 2, 28))
        self.emp1.gov_probation_end = date(2026, 4, 1)
        self.assertEqual(self.emp1.gov_probation_end, date(2026, 4, 1))

    def test_face_consent_needs_date(self):
        with self.assertRaises(ValidationError):
            self.emp1.gov_face_consent = True
        self.emp2.gov_face_consent = False
        self.assertFalse(self.emp2.gov_face_consent_date)

    def test_training_records(self):
        record = self.env["gov.training.record"].create(
            {"employee_id": self.emp1.id, "course": "Service etiquette", "hours": 8, "result": "passed"}
        )
        self.assertEqual(self.emp1.gov_training_ids, record)
        self.assertEqual(record.department_id, self.dept_a)
        with self.assertRaises(ValidationError):
            record.hours = -1

    def test_sensitive_fields_hidden_from_non_hr(self):
        for user in (self.user_internal, self.user_viewer):
            with self.assertRaises(AccessError):
                self.emp1.with_user(user).read(["gov_face_consent"])
        # the public profile shows the window and the role
        public = self.env["hr.employee.public"].with_user(self.user_internal).browse(self.emp1.id)
        self.assertEqual(public.gov_window_id, self.window)
        self.assertEqual(public.gov_staff_role, "staff")
        self.assertNotIn("gov_face_consent", self.env["hr.employee.public"]._fields)

    def test_officer_reads_own_department_staff(self):
        Employee = self.env["hr.employee"].with_user(self.user_officer)
        self.assertEqual(Employee.browse(self.emp1.id).gov_station_date, False)
        Employee.browse(self.emp1.id).read(["gov_face_consent", "gov_training_ids"])
        with self.assertRaises(AccessError):
            Employee.browse(self.emp2.id).read(["name"])
        with self.assertRaises(AccessError):
            Employee.browse(self.emp1.id).write({"gov_reserve_talent": True})
        self.env["hr.employee"].with_user(self.user_admin).browse(self.emp2.id).write(
            {"gov_reserve_talent": True}
        )


@tagged("post_install", "-at_install")
class TestAttendanceDevice(GovAttendanceCase):
    def test_token_stored_as_hash_only(self):
        device = self.device.sudo()
        self.assertEqual(len(device.token_hash), 64)
        self.assertNotIn(self.token, device.token_hash)
        Device = self.env["gov.attendance.device"]
        self.assertEqual(Device._gov_authenticate(self.token), self.device)
        self.assertFalse(Device._gov_authenticate(self.token + "x"))
        self.assertFalse(Device._gov_authenticate(""))
        self.assertFalse(Device._gov_authenticate(None))
        action = self.device.with_user(self.user_admin).action_regenerate_token()
        new_token = action["params"]["message"].rsplit(" ", 1)[-1]
        self.assertFalse(Device._gov_authenticate(self.token))
        self.assertEqual(Device._gov_authenticate(new_token), self.device)
        self.device.active = False
        self.assertFalse(Device._gov_authenticate(new_token))

    def test_token_hidden_from_users(self):
        with self.assertRaises(AccessError):
            self.device.with_user(self.user_admin).read(["token_hash"])
        with self.assertRaises(AccessError):
            self.device.with_user(self.user_viewer).action_regenerate_token()

    def test_code_unique(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(Exception):
            with self.env.cr.savepoint():
                self.env["gov.attendance.device"].create({"code": "DEV1", "name": "Again"})


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestPunchIngestion(GovAttendanceCase):
    def test_check_in_and_out_in_time_order(self):
        # sent out of order: applied in time order
        result = self._ingest([
            self._p("3", "1001", "2026-03-10 09:30:00"),
            self._p("1", "1001", "2026-03-10 00:58:00"),
        ])
        self.assertEqual(result, {"accepted": 2, "rejected": [], "duplicates": []})
        attendance = self.env["hr.attendance"].search([("employee_id", "=", self.emp1.id)])
        self.assertEqual(len(attendance), 1)
        self.assertEqual(attendance.check_in, datetime(2026, 3, 10, 0, 58))
        self.assertEqual(attendance.check_out, datetime(2026, 3, 10, 9, 30))
        self.assertEqual(attendance.gov_punch_method, "fingerprint")
        self.assertEqual(attendance.gov_device_id, self.device)
        punches = self.env["gov.attendance.punch"].search([("device_id", "=", self.device.id)])
        self.assertEqual(set(punches.mapped("state")), {"accepted"})
        self.assertEqual(punches.attendance_id, attendance)

    def test_same_punch_twice_is_a_duplicate(self):
        batch = [self._p("1", "1001", "2026-03-10 00:58:00")]
        self.assertEqual(self._ingest(batch)["accepted"], 1)
        result = self._ingest(batch + batch)
        self.assertEqual(result, {"accepted": 0, "rejected": [], "duplicates": ["1", "1"]})
        self.assertEqual(self.env["hr.attendance"].search_count([("employee_id", "=", self.emp1.id)]), 1)
        self.assertEqual(self.env["gov.attendance.punch"].search_count([]), 1)
        # the same id on another terminal is another punch
        other = self.env["gov.attendance.device"].create({"code": "DEV2", "name": "Face 1F", "kind": "face"})
        self.assertEqual(self._ingest([self._p("1", "1002", "2026-03-10 01:00:00")], other)["accepted"], 1)

    def test_partial_acceptance(self):
        result = self._ingest([
            self._p("ok", "1001", "2026-03-10 00:55:00"),
            self._p("unknown", "9999", "2026-03-10 00:55:00"),
            self._p("future", "1002", "2026-03-10 12:06:00"),
            self._p("face", "1001", "2026-03-10 09:00:00", "face"),
            self._p("method", "1001", "2026-03-10 09:00:00", "iris"),
            self._p("time", "1001", "10/03/2026 09:00"),
            {"id": "nobadge", "time": "2026-03-10 09:00:00", "method": "face"},
            "not a dict",
            {"id": None},
            {"id": "nul\x00", "badge": "1001", "time": "2026-03-10 09:00:00", "method": "face"},
            self._p("face-ok", "1002", "2026-03-10 12:04:00", "face"),
        ])
        self.assertEqual(result["accepted"], 2)
        reasons = {r["id"]: r["reason"] for r in result["rejected"]}
        self.assertEqual(reasons, {
            "unknown": "unknown_badge",
            "future": "future_time",
            "face": "no_face_consent",
            "method": "unknown_method",
            "time": "malformed",
            "nobadge": "malformed",
            None: "malformed",
        })
        self.assertEqual(len(result["rejected"]), 9)
        # the rejected punches with an id are logged with their reason
        logged = self.env["gov.attendance.punch"].search([("state", "=", "rejected")])
        self.assertEqual(set(logged.mapped("punch_ref")), {"unknown", "future", "face"})
        self.assertEqual(
            self.env["hr.attendance"].search([("employee_id", "=", self.emp2.id)]).gov_punch_method, "face"
        )

    def test_rejected_punch_is_retried(self):
        punch = self._p("1", "5555", "2026-03-10 00:58:00")
        self.assertEqual(self._ingest([punch])["rejected"], [{"id": "1", "reason": "unknown_badge"}])
        self.emp1.barcode = "5555"
        self.assertEqual(self._ingest([punch])["accepted"], 1)
        logged = self.env["gov.attendance.punch"].search([("punch_ref", "=", "1")])
        self.assertEqual((logged.state, logged.employee_id), ("accepted", self.emp1))
        self.assertTrue(logged.attendance_id)

    def test_conflict_keeps_other_employees(self):
        # an attendance entered by hand that the derived one would overlap
        manual = self.env["hr.attendance"].create({
            "employee_id": self.emp1.id,
            "check_in": "2026-03-10 08:00:00",
            "check_out": "2026-03-10 09:00:00",
        })
        result = self._ingest([
            self._p("a", "1001", "2026-03-10 07:00:00"),
            self._p("b", "1002", "2026-03-10 07:00:00"),
            self._p("c", "1001", "2026-03-10 09:30:00"),
            self._p("d", "1001", "2026-03-10 09:30:30"),
        ])
        self.assertEqual(result["accepted"], 1)
        self.assertEqual(
            {r["id"]: r["reason"] for r in result["rejected"]},
            {"a": "conflict", "c": "conflict", "d": "conflict"},
        )
        self.assertTrue(self.emp2.last_attendance_id)
        self.assertEqual(self.emp1.last_attendance_id, manual)

    def test_double_scan_is_logged_not_paired(self):
        result = self._ingest([
            self._p("a", "1001", "2026-03-10 01:00:00"),
            self._p("b", "1001", "2026-03-10 01:00:30"),
            self._p("c", "1001", "2026-03-10 09:30:00"),
        ])
        self.assertEqual(result["accepted"], 3)
        attendance = self.emp1.last_attendance_id
        self.assertEqual((attendance.check_in, attendance.check_out),
                         (datetime(2026, 3, 10, 1, 0), datetime(2026, 3, 10, 9, 30)))
        double = self.env["gov.attendance.punch"].search([("punch_ref", "=", "b")])
        self.assertEqual(double.state, "accepted")
        self.assertFalse(double.attendance_id)

    def test_validation_error_rejects_one_employee_only(self):
        # hr.attendance's own constraints fail for employee 1 only: the
        # punches of employee 2 are kept
        Attendance = self.env["hr.attendance"]
        create = type(Attendance).create
        emp1_id = self.emp1.id

        def failing_create(self_, vals_list):
            if any(vals.get("employee_id") == emp1_id for vals in vals_list):
                raise ValidationError("overlap")
            return create(self_, vals_list)

        self.patch(type(Attendance), "create", failing_create)
        result = self._ingest([
            self._p("a", "1001", "2026-03-10 01:00:00"),
            self._p("b", "1002", "2026-03-10 01:00:00"),
            self._p("c", "1001", "2026-03-10 09:00:00"),
        ])
        self.assertEqual(result["accepted"], 1)
        self.assertEqual(
            result["rejected"],
            [{"id": "a", "reason": "conflict"}, {"id": "c", "reason": "conflict"}],
        )
        self.assertFalse(self.emp1.last_attendance_id)
        self.assertTrue(self.emp2.last_attendance_id)
        logged = self.env["gov.attendance.punch"].search([("employee_id", "=", emp1_id)])
        self.assertEqual(set(logged.mapped("reason")), {"conflict"})

    def test_forgotten_check_out_is_closed_empty(self):
        self._ingest([self._p("1", "1001", "2026-03-09 00:58:00")])
        self._ingest([self._p("2", "1001", "2026-03-10 00:59:00")])
        attendances = self.env["hr.attendance"].search(
            [("employee_id", "=", self.emp1.id)], order="check_in"
        )
        self.assertEqual(len(attendances), 2)
        self.assertEqual(attendances[0].check_out, attendances[0].check_in)
        self.assertFalse(attendances[1].check_out)

    def test_punches_are_never_deleted(self):
        self._ingest([self._p("1", "1001", "2026-03-10 00:58:00")])
        punch = self.env["gov.attendance.punch"].search([])
        with self.assertRaises(UserError):
            punch.unlink()

    def test_query_count_close_to_plain_attendance_creation(self):
        employees = self.env["hr.employee"].create(
            [{"name": f"E{i}", "barcode": f"2{i:03d}"} for i in range(54)]
        )

        def ingest(first, count, prefix):
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            self._ingest([
                self._p(f"{prefix}{i}", employees[i].barcode, "2026-03-10 01:00:00")
                for i in range(first, first + count)
            ])
            return self.env.cr.sql_log_count - start

        def plain(first, count):
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            self.env["hr.attendance"].create([
                {"employee_id": employees[i].id, "check_in": "2026-03-10 01:00:00"}
                for i in range(first, first + count)
            ])
            return self.env.cr.sql_log_count - start

        ingest(50, 2, "w")  # warm-up
        plain(52, 2)
        ingest_5, ingest_20 = ingest(0, 5, "a"), ingest(5, 20, "b")
        plain_5, plain_20 = plain(25, 5), plain(30, 20)
        # hr.attendance costs about 6 queries per record (its constraints and
        # overtime); the ingestion reads and writes its own data in batches:
        # at most 2 more queries per punch, whatever the batch size
        self.assertLessEqual(ingest_20 - ingest_5, (plain_20 - plain_5) + 2 * 15,
                             (ingest_5, ingest_20, plain_5, plain_20))
        self.assertLessEqual(ingest_5 - plain_5, 30, (ingest_5, plain_5))


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestPunchRederivation(GovAttendanceCase):
    """The punch log is the source of truth: late punches re-derive."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = hall_calendar(cls.env)
        cls.staff = cls.env["hr.employee"].create([
            {"name": f"Window Staff {badge}", "barcode": badge, "tz": "Asia/Shanghai",
             "resource_calendar_id": cls.calendar.id, "gov_window_id": cls.window.id,
             "department_id": cls.dept_a.id}
            for badge in ("4001", "4002")
        ])
        # ten working days, 23 February to 6 March 2026 (no holiday record)
        cls.env["gov.calendar.day"].search(
            [("date", ">=", "2026-02-23"), ("date", "<=", "2026-03-06")]
        ).unlink()
        cls.days = [date(2026, 2, 23 + i) for i in range(5)] + [date(2026, 3, 2 + i) for i in range(5)]

    def _batches(self, badge):
        """One batch per day: check-in (later every day), lunch on day 4, check-out."""
        batches = []
        for index, day in enumerate(self.days, start=1):
            stamp = f"{day:%Y-%m-%d}"
            check_in = datetime.combine(day, datetime.min.time()).replace(minute=40) + timedelta(
                minutes=3 * index
            )
            batch = [
                self._p(f"{badge}-{index}-in", badge, f"{check_in:%Y-%m-%d %H:%M:%S}"),
                self._p(f"{badge}-{index}-out", badge, f"{stamp} 09:35:00"),
            ]
            if index == 4:
                batch += [
                    self._p(f"{badge}-{index}-lunch", badge, f"{stamp} 04:05:00"),
                    self._p(f"{badge}-{index}-back", badge, f"{stamp} 05:20:00"),
                    self._p(f"{badge}-{index}-double", badge, f"{stamp} 05:20:40"),
                ]
            batches.append(batch)
        return batches

    def _attendances(self, employee):
        return [
            (a.check_in, a.check_out, a.gov_punch_method, a.gov_device_id.id)
            for a in self.env["hr.attendance"].search(
                [("employee_id", "=", employee.id)], order="check_in"
            )
        ]

    def _results(self, employee):
        Day = self.env["gov.attendance.day"]
        days = Day.search([("employee_id", "=", employee.id)], order="date")
        lines = Day._gov_ledger_lines(self.days[0], self.days[-1], employee)
        return (
            [(d.date, d.result, d.late_minutes, d.early_minutes, d.missed_punches,
              d.absent_half_days, d.first_check_in, d.last_check_out) for d in days],
            [(line["date"], line["points"], line["cause"]) for line in lines],
        )

    def test_late_batch_gives_the_attendances_of_the_ordered_log(self):
        ordered, late = self.staff
        for batch in self._batches("4001"):
            result = self._ingest(batch)
            self.assertEqual((result["accepted"], result["rejected"]), (len(batch), []))
        self.env["gov.attendance.day"]._gov_evaluate(self.days[0], self.days[-1], ordered)

        batches = self._batches("4002")
        for batch in batches[:3] + batches[4:]:
            result = self._ingest(batch)
            self.assertEqual((result["accepted"], result["rejected"]), (len(batch), []))
        # the day without punches is evaluated as an absence before the late batch
        self.env["gov.attendance.day"]._gov_evaluate(self.days[0], self.days[-1], late)
        absent = self.env["gov.attendance.day"].search(
            [("employee_id", "=", late.id), ("date", "=", self.days[3])]
        )
        self.assertEqual(absent.result, "absent")
        result = self._ingest(batches[3])
        self.assertEqual(result, {"accepted": 5, "rejected": [], "duplicates": []})

        self.assertEqual(len(self._attendances(late)), 11)
        self.assertEqual(self._attendances(late), self._attendances(ordered))
        self.assertEqual(absent.result, "ok")
        self.assertEqual(self._results(late), self._results(ordered))
        # every accepted punch points to the attendance derived from it
        punches = self.env["gov.attendance.punch"].search([("employee_id", "=", late.id)])
        self.assertEqual(len(punches), 23)
        self.assertEqual(len(punches.filtered("attendance_id")), 22)
        self.assertEqual(set(punches.mapped("state")), {"accepted"})

        # deriving again from the same log changes nothing; resending is a duplicate
        before = self._attendances(late)
        result = self._ingest(batches[3])
        self.assertEqual(sorted(result["duplicates"]), sorted(p["id"] for p in batches[3]))
        self.assertEqual(self._attendances(late), before)

    def test_late_punch_older_than_the_window_is_kept_for_review(self):
        self.env["ir.config_parameter"].set_param("gov_service_center.punch_rederive_days", "5")
        self._ingest([
            self._p("1", "1001", "2026-03-08 01:00:00"),
            self._p("2", "1001", "2026-03-08 09:00:00"),
            self._p("3", "1001", "2026-03-09 01:00:00"),
        ])
        before = self._attendances(self.emp1)
        old = self._p("old", "1001", "2026-03-02 01:00:00")
        for _attempt in range(2):
            result = self._ingest([old])
            self.assertEqual(result["rejected"], [{"id": "old", "reason": "too_old"}])
        self.assertEqual(self._attendances(self.emp1), before)
        held = self.env["gov.attendance.punch"].search(
            [("punch_ref", "=", "old"), ("state", "=", "review")]
        )
        self.assertEqual((len(held), held.reason, held.attendance_id.id), (1, "too_old", False))
        self.assertEqual(held.employee_id, self.emp1)
        # within the window a late punch is derived
        result = self._ingest([self._p("4", "1001", "2026-03-07 01:00:00"),
                               self._p("5", "1001", "2026-03-07 09:00:00")])
        self.assertEqual(result["accepted"], 2)
        self.assertEqual(len(self._attendances(self.emp1)), 3)
        # an old punch after all of the employee's punches is not late
        result = self._ingest([self._p("6", "1002", "2026-03-01 01:00:00")])
        self.assertEqual(result["accepted"], 1)
        self.assertTrue(self.emp2.last_attendance_id)


@tagged("post_install", "-at_install")
class TestPunchEndpoint(HttpCase):
    URL = "/gov/attendance/punch"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee = cls.env["hr.employee"].create({"name": "Staff", "barcode": "3001"})
        cls.device = cls.env["gov.attendance.device"].create({"code": "T1", "name": "Terminal"})
        cls.token = cls.device._gov_new_token()

    def _post(self, body, token=None, raw=False):
        headers = {"Content-Type": "application/json"}
        if token is not False:
            headers["Authorization"] = f"Bearer {self.token if token is None else token}"
        data = body if raw else json.dumps(body)
        return self.opener.post(
            self.base_url() + self.URL, data=data, headers=headers, allow_redirects=False,
            timeout=30,
        )

    def _count(self):
        return (
            self.env["gov.attendance.punch"].search_count([]),
            self.env["hr.attendance"].search_count([("employee_id", "=", self.employee.id)]),
        )

    def _body(self, ref="1", when=None):
        when = when or datetime.utcnow().replace(microsecond=0).strftime("%Y-%m-%d %H:%M:%S")
        return {"device": "T1", "punches": [{"id": ref, "badge": "3001", "time": when, "method": "fingerprint"}]}

    @mute_logger("odoo.addons.gov_service_center.controllers.attendance")
    def test_auth(self):
        for token in (False, "wrong", "", "x" * 500):
            response = self._post(self._body(), token=token)
            self.assertEqual(response.status_code, 401, token)
            self.assertEqual(response.json()["error"], "unauthorized")
        other = self.env["gov.attendance.device"].create({"code": "T2", "name": "Other"})
        other_token = other._gov_new_token()
        self.assertEqual(self._post(self._body(), token=other_token).status_code, 401)
        response = self.url_open(
            self.URL, data=json.dumps(self._body()),
            headers={"Authorization": f"Basic {self.token}"},
        )
        self.assertEqual(response.status_code, 401)
        self.assertEqual(self._count(), (0, 0))

    def test_accept_and_duplicate(self):
        response = self._post(self._body())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"accepted": 1, "rejected": [], "duplicates": []})
        response = self._post(self._body())
        self.assertEqual(response.json(), {"accepted": 0, "rejected": [], "duplicates": ["1"]})
        self.assertEqual(self._count(), (1, 1))

    def test_partial(self):
        body = self._body()
        body["punches"].append({"id": "2", "badge": "0000", "time": "2026-01-01 08:00:00", "method": "face"})
        response = self._post(body)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["accepted"], 1)
        self.assertEqual(response.json()["rejected"], [{"id": "2", "reason": "unknown_badge"}])

    def test_bad_bodies_are_400_and_write_nothing(self):
        bodies = [
            b"", b"{", b"null", b"[]", b'"text"', b"\x00\x00", b"\xff\xfe{}",
            b'{"device": "T1"}', b'{"device": "T1", "punches": {}}',
            b'{"device": 1, "punches": []}', b'{"device": "T1\\u0000", "punches": []}',
            b'{"device": "T1", "punches": "1"}', b"[" * 100000,
            b'{"device": "T1", "punches": [' + b"1" * 5000 + b"]}",
        ]
        for body in bodies:
            with self.subTest(body=body[:30]):
                response = self._post(body, raw=True)
                self.assertIn(response.status_code, (400, 401, 413))
                self.assertLess(response.status_code, 500)
                self.assertIn("error", response.json())
        self.assertEqual(self._count(), (0, 0))

    def test_garbage_items_never_5xx(self):
        items = [None, 1, "x", [], {}, {"id": {"a": 1}}, {"id": "x" * 1000},
                 {"id": "1", "badge": ["3001"], "time": "2026-01-01 08:00:00", "method": "face"},
                 {"id": "2", "badge": "3001", "time": 20260101, "method": "face"},
                 {"id": "3", "badge": "3001", "time": "2026-02-30 08:00:00", "method": "face"},
                 {"id": "4", "badge": "3\x001", "time": "2026-01-01 08:00:00", "method": "face"},
                 {"id": "5", "badge": "3001", "time": "0001-01-01 00:00:00", "method": "face"},
                 {"id": "6", "badge": "3001", "time": "2026-01-01 08:00:00", "method": None},
                 {"id": True, "badge": "3001", "time": "2026-01-01 08:00:00", "method": "face"},
                 {"id": 10**30, "badge": "3001", "time": "2026-01-01 08:00:00", "method": "face"}]
        response = self._post({"device": "T1", "punches": items})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["accepted"], 0)
        self.assertEqual(len(response.json()["rejected"]), len(items))
        self.assertEqual(self._count()[1], 0)

    def test_huge_body_is_refused(self):
        body = b'{"device": "T1", "punches": ["' + b"x" * (3 * 1024 * 1024) + b'"]}'
        response = self._post(body, raw=True)
        self.assertEqual(response.status_code, 413)
        many = {"device": "T1", "punches": [{}] * 6000}
        self.assertEqual(self._post(many).status_code, 413)
        self.assertEqual(self._count(), (0, 0))

    def test_get_is_refused(self):
        response = self.url_open(self.URL, allow_redirects=False)
        self.assertEqual(response.status_code, 405)
        self.assertEqual(response.json()["error"], "method_not_allowed")

    def _patch_ingest(self, fail):
        """Make the ingestion call ``fail(punch_model)`` once before working."""
        Punch = type(self.env["gov.attendance.punch"])
        ingest = Punch._gov_ingest
        calls = []

        def patched(self_, device, punches, source="terminal"):
            calls.append(device.id)
            if len(calls) == 1:
                fail(self_)
            return ingest(self_, device, punches, source=source)

        self.patch(Punch, "_gov_ingest", patched)
        return calls

    def test_serialization_failure_is_retried_with_the_body(self):
        def fail(punch_model):
            punch_model.env.cr.execute(
                "DO $$ BEGIN RAISE EXCEPTION 'concurrent update' "
                "USING ERRCODE = 'serialization_failure'; END $$"
            )

        calls = self._patch_ingest(fail)
        self.patch(random, "uniform", lambda low, high: 0.0)
        with mute_logger("odoo.sql_db", "odoo.service.model"):
            response = self._post(self._body())
        self.assertEqual(len(calls), 2)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"accepted": 1, "rejected": [], "duplicates": []})
        self.assertEqual(self._count(), (1, 1))

    def test_failures_are_json_503_without_internals(self):
        failures = [
            psycopg2.OperationalError("server closed the connection unexpectedly"),
            KeyError("hr_employee_id 42"),
        ]
        for failure in failures:
            with self.subTest(failure=repr(failure)):
                def fail(punch_model, failure=failure):
                    punch_model.env["hr.attendance"].create(
                        {"employee_id": self.employee.id, "check_in": "2026-01-01 08:00:00"}
                    )
                    raise failure

                self._patch_ingest(fail)
                with mute_logger("odoo.http"):
                    response = self._post(self._body())
                self.assertEqual(response.status_code, 503)
                self.assertEqual(response.headers["Content-Type"], "application/json; charset=utf-8")
                self.assertTrue(response.headers.get("Retry-After"))
                self.assertEqual(response.json()["error"], "unavailable")
                self.assertNotIn("42", response.text)
                self.assertNotIn("connection", response.text)
                # the attendance created before the failure is rolled back
                self.assertEqual(self._count(), (0, 0))
