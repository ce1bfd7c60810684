# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .gov_center_time import center_today
from .gov_settings import get_setting
from .gov_stat_source_mixin import StatSource

RESULT_SELECTION = [
    ("ok", "On Time"),
    ("late", "Late Arrival"),
    ("early_leave", "Early Leave"),
    ("late_and_early", "Late and Early Leave"),
    ("missed_punch", "Missed Punch"),
    ("absent", "Absent"),
    ("rest_day", "Rest Day"),
]

# Points of the monthly ledger (domain rules §3.8, Cangnan county rules): the
# settings ``attendance_<name>`` of the center (see gov_settings.py).
PARAM_NAMES = (
    "grace_minutes",  # minutes tolerated before a late arrival / early leave counts
    "minor_minutes",  # a late arrival or early leave up to this is minor
    "points_minor",  # each minor late arrival or early leave
    "points_major",  # each longer one (not absent)
    "points_missed_punch",  # each missed punch
    "points_absent_half_day",  # each half day of absence
)


def float_to_time(hours):
    minutes = round(hours * 60)
    if minutes >= 24 * 60:
        return time(23, 59, 59)
    return time(minutes // 60, minutes % 60)


class GovAttendanceDay(models.Model):
    """Result of one working day of one window staff member.

    Computed from the employee's attendances against the working schedule
    (``resource.calendar``) on the working days of the product's calendar
    (``gov.calendar.day``): statutory holidays are rest days, make-up
    Saturdays and Sundays are working days. On a make-up working day the
    hours are those of the first normal weekday of the schedule (usually
    Monday), since a schedule has no hours for the weekend.

    The records are evidence of the monthly points ledger: they are never
    deleted, and a new evaluation updates them (with tracking).
    """

    _name = "gov.attendance.day"
    _description = "Attendance Day Result"
    _inherit = ["mail.thread", "gov.register.mixin", "gov.stat.source.mixin"]
    _order = "date desc, employee_id"
    _rec_name = "employee_id"

    employee_id = fields.Many2one(
        "hr.employee", string="Employee", required=True, index=True, ondelete="restrict"
    )
    user_id = fields.Many2one(related="employee_id.user_id", store=True, index=True)
    department_id = fields.Many2one(
        "hr.department", string="Department", index=True, ondelete="set null"
    )
    window_id = fields.Many2one(
        "gov.service.window", string="Window", index=True, ondelete="set null"
    )
    date = fields.Date(required=True, index=True)
    result = fields.Selection(RESULT_SELECTION, required=True, default="ok", index=True, tracking=True)
    late_minutes = fields.Integer(tracking=True)
    early_minutes = fields.Integer(tracking=True)
    missed_punches = fields.Integer(tracking=True)
    absent_half_days = fields.Integer(tracking=True)
    scheduled_start = fields.Datetime(readonly=True)
    scheduled_end = fields.Datetime(readonly=True)
    first_check_in = fields.Datetime(readonly=True)
    last_check_out = fields.Datetime(readonly=True)
    worked_hours = fields.Float(readonly=True, aggregator="sum")
    is_makeup_day = fields.Boolean(string="Make-up Working Day", readonly=True)
    note = fields.Text(tracking=True)

    _sql_constraints = [
        ("employee_date_unique", "unique(employee_id, date)",
         "An employee has one attendance result per day."),
    ]

    # ------------------------------------------------------------------
    # Parameters
    # ------------------------------------------------------------------
    @api.model
    def _gov_stat_sources(self):
        return [StatSource(
            source="attendance",
            date_field="date",
            dims={"window_id": SQL("s.window_id")},
            measures={
                "attendance_day_count": SQL("COUNT(*) FILTER (WHERE s.result <> 'rest_day')"),
                "attendance_late_count": SQL("COUNT(*) FILTER (WHERE s.late_minutes > 0)"),
                "attendance_early_count": SQL("COUNT(*) FILTER (WHERE s.early_minutes > 0)"),
                "attendance_absent_count": SQL("COUNT(*) FILTER (WHERE s.result = 'absent')"),
                "attendance_missed_punches": SQL("COALESCE(SUM(s.missed_punches), 0)"),
            },
            fields=("date", "department_id", "window_id", "result", "late_minutes",
                    "early_minutes", "missed_punches"),
        )]

    @api.model
    def _gov_params(self):
        return {key: get_setting(self.env, "attendance_" + key) for key in PARAM_NAMES}

    # ------------------------------------------------------------------
    # Evaluation
    # ------------------------------------------------------------------
    @api.model
    def _gov_schedule(self, calendar, day, makeup):
        """Return the working periods ``[(hour_from, hour_to)]`` of ``day``."""
        if not calendar:
            return []
        lines = calendar.attendance_ids.filtered(
            lambda a: a.day_period != "lunch" and a.display_type != "line_section"
        )
        if makeup:
            weekdays = sorted({int(a.dayofweek) for a in lines if int(a.dayofweek) < 5})
            if not weekdays:
                return []
            weekday = weekdays[0]
        else:
            weekday = day.weekday()
        if calendar.two_weeks_calendar:
            week_type = self.env["resource.calendar.attendance"].get_week_type(day)
            lines = lines.filtered(lambda a: a.week_type == str(week_type))
        return sorted(
            (a.hour_from, a.hour_to) for a in lines if int(a.dayofweek) == weekday
        )

    @api.model
    def _gov_default_employees(self):
        return self.env["hr.employee"].search([("gov_window_id", "!=", False)])

    @api.model
    def _gov_evaluate(self, date_from, date_to, employees=None):
        """Create or update the results of ``employees`` for the period (dates included)."""
        date_from, date_to = fields.Date.to_date(date_from), fields.Date.to_date(date_to)
        if not date_from or not date_to or date_from > date_to:
            raise ValidationError(self.env._("Choose a period whose start is before its end."))
        if (date_to - date_from).days > 366:
            raise ValidationError(self.env._("Evaluate at most one year at a time."))
        employees = (employees if employees is not None else self._gov_default_employees()).sudo()
        if not employees:
            return self.browse()
        Calendar = self.env["gov.calendar.day"]
        days = []
        day = date_from
        while day <= date_to:
            days.append((day, Calendar.is_working_day(day)))
            day += timedelta(days=1)
        params = self._gov_params()
        # attendances of the period, with a day of margin for time zones
        start = datetime.combine(date_from - timedelta(days=1), time.min)
        stop = datetime.combine(date_to + timedelta(days=2), time.min)
        attendances = defaultdict(list)
        for att in self.env["hr.attendance"].sudo().search_fetch(
            [("employee_id", "in", employees.ids), ("check_in", "<", stop),
             "|", ("check_out", ">=", start), ("check_out", "=", False)],
            ["employee_id", "check_in", "check_out"],
            order="check_in",
        ):
            attendances[att.employee_id.id].append((att.check_in, att.check_out))
        existing = {
            (rec.employee_id.id, rec.date): rec
            for rec in self.sudo().search_fetch(
                [("employee_id", "in", employees.ids), ("date", ">=", date_from), ("date", "<=", date_to)],
                ["employee_id", "date", "result"],
            )
        }
        now = fields.Datetime.now()
        center_tz_name = get_setting(self.env, "center_tz")
        to_create = []
        result = self.browse()
        for employee in employees:
            tz = pytz.timezone(employee.tz or employee.resource_calendar_id.tz or center_tz_name)
            calendar = employee.resource_calendar_id or employee.company_id.resource_calendar_id
            for day, working in days:
                record = existing.get((employee.id, day))
                if not working:
                    if record and record.result != "rest_day":
                        record.write({"result": "rest_day", "late_minutes": 0, "early_minutes": 0,
                                      "missed_punches": 0, "absent_half_days": 0})
                    continue
                makeup = day.weekday() >= 5
                periods = self._gov_schedule(calendar, day, makeup)
                if not periods:
                    continue
                vals = self._gov_evaluate_day(
                    employee, day, periods, tz, attendances[employee.id], params, now
                )
                if vals is None:
                    continue  # the day has not ended yet
                vals["is_makeup_day"] = makeup
                vals["window_id"] = employee.gov_window_id.id
                vals["department_id"] = employee.department_id.id
                if record:
                    record.write(vals)
                    result |= record
                else:
                    to_create.append(dict(vals, employee_id=employee.id, date=day))
        return result | self.sudo().create(to_create)

    @api.model
    def _gov_reevaluate(self, spans):
        """Evaluate again the results already computed in the given spans.

        ``spans`` maps employee ids to ``(start, end)`` UTC datetimes whose
        attendances changed (e.g. a late punch); the results of those days
        that exist are computed again, with a day of margin for time zones.
        """
        if not spans:
            return self.browse()
        first = min(start for start, _end in spans.values()).date() - timedelta(days=1)
        last = max(end for _start, end in spans.values()).date() + timedelta(days=1)
        periods = {}
        for record in self.sudo().search_fetch(
            [("employee_id", "in", list(spans)), ("date", ">=", first), ("date", "<=", last)],
            ["employee_id", "date"],
        ):
            start, end = spans[record.employee_id.id]
            if start.date() - timedelta(days=1) <= record.date <= end.date() + timedelta(days=1):
                low, high = periods.get(record.employee_id, (record.date, record.date))
                periods[record.employee_id] = (min(low, record.date), max(high, record.date))
        result = self.browse()
        for employee, (date_from, date_to) in periods.items():
            result |= self._gov_evaluate(date_from, date_to, employee)
        return result

    @api.model
    def _gov_evaluate_day(self, employee, day, periods, tz, attendances, params, now):
        def to_utc(hours):
            local = tz.localize(datetime.combine(day, float_to_time(hours)))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        start, end = to_utc(periods[0][0]), to_utc(periods[-1][1])
        if end > now:
            return None
        # the middle of the day splits the morning and the afternoon
        middle = to_utc(periods[0][1]) if len(periods) > 1 else start + (end - start) / 2
        afternoon = to_utc(periods[1][0]) if len(periods) > 1 else middle
        day_start = tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc).replace(tzinfo=None)
        day_end = day_start + timedelta(days=1)
        mine = [(cin, cout) for cin, cout in attendances if day_start <= cin < day_end]
        grace = timedelta(minutes=params["grace_minutes"])
        vals = {
            "scheduled_start": start,
            "scheduled_end": end,
            "late_minutes": 0,
            "early_minutes": 0,
            "missed_punches": 0,
            "absent_half_days": 0,
            "first_check_in": False,
            "last_check_out": False,
            "worked_hours": 0.0,
        }
        if not mine:
            vals.update(result="absent", absent_half_days=2)
            return vals
        first_in = mine[0][0]
        closed = [cout for cin, cout in mine if cout and cout > cin]
        missed = sum(1 for cin, cout in mine if not cout or cout <= cin)
        last_out = max(closed) if closed else False
        vals.update(
            first_check_in=first_in,
            last_check_out=last_out,
            missed_punches=missed,
            worked_hours=sum((cout - cin).total_seconds() for cin, cout in mine if cout) / 3600,
        )
        absent = 0
        if first_in >= middle:
            absent += 1  # no presence in the morning
        elif first_in > start + grace:
            vals["late_minutes"] = int((first_in - start).total_seconds() // 60)
        if last_out:
            if last_out <= afternoon:
                absent += 1  # gone before the afternoon
            elif last_out < end - grace:
                vals["early_minutes"] = int((end - last_out).total_seconds() // 60)
        vals["absent_half_days"] = min(absent, 2)
        if vals["absent_half_days"] >= 2:
            vals["result"] = "absent"
        elif missed:
            vals["result"] = "missed_punch"
        elif vals["late_minutes"] and vals["early_minutes"]:
            vals["result"] = "late_and_early"
        elif vals["late_minutes"]:
            vals["result"] = "late"
        elif vals["early_minutes"]:
            vals["result"] = "early_leave"
        elif absent:
            vals["result"] = "absent"
        else:
            vals["result"] = "ok"
        return vals

    @api.model
    def _cron_evaluate_yesterday(self):
        yesterday = center_today(self.env) - timedelta(days=1)
        self._gov_evaluate(yesterday, yesterday)

    # ------------------------------------------------------------------
    # Monthly points ledger (cause provider)
    # ------------------------------------------------------------------
    @api.model
    def _gov_ledger_lines(self, date_from, date_to, employees):
        """Deductions of the period for the points ledger (see README)."""
        params = self._gov_params()
        domain = [
            ("date", ">=", date_from),
            ("date", "<=", date_to),
            ("result", "!=", "rest_day"),
        ]
        if employees is not None:
            domain.append(("employee_id", "in", employees.ids))
        Line = self.env["gov.points.ledger.line"]
        lines = []
        for day in self.sudo().search_fetch(
            domain,
            ["employee_id", "date", "late_minutes", "early_minutes", "missed_punches", "absent_half_days"],
            order="date, employee_id",
        ):
            base = {"employee_id": day.employee_id.id, "date": day.date,
                    "res_model": self._name, "res_id": day.id}
            for minutes, code in ((day.late_minutes, "late"), (day.early_minutes, "early")):
                if minutes > 0:
                    minor = minutes <= params["minor_minutes"]
                    points = params["points_minor"] if minor else params["points_major"]
                    lines.append(dict(
                        base, points=points, **Line._gov_cause_vals(self, code, {"minutes": minutes})
                    ))
            if day.missed_punches:
                lines.append(dict(
                    base,
                    points=params["points_missed_punch"] * day.missed_punches,
                    **Line._gov_cause_vals(self, "missed_punch", {"count": day.missed_punches}),
                ))
            if day.absent_half_days:
                lines.append(dict(
                    base,
                    points=params["points_absent_half_day"] * day.absent_half_days,
                    **Line._gov_cause_vals(self, "absent", {"count": day.absent_half_days}),
                ))
        return lines

    @api.model
    def _gov_ledger_cause_labels(self, causes):
        """Causes of the points ledger ``[(code, args)]`` worded in the
        current language."""
        labels = []
        for code, args in causes:
            if code == "late":
                labels.append(self.env._("Late arrival (%(minutes)s min)", minutes=args.get("minutes")))
            elif code == "early":
                labels.append(self.env._("Early leave (%(minutes)s min)", minutes=args.get("minutes")))
            elif code == "missed_punch":
                labels.append(self.env._("Missed punch (%(count)s)", count=args.get("count")))
            elif code == "absent":
                labels.append(self.env._("Absent (%(count)s half day(s))", count=args.get("count")))
            else:
                labels.append(False)
        return labels
