# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from bisect import bisect_right
from datetime import date, timedelta

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

HOLIDAY_SELECTION = [
    ("new_year", "New Year's Day"),
    ("spring_festival", "Spring Festival"),
    ("qingming", "Qingming Festival"),
    ("labour_day", "Labour Day"),
    ("dragon_boat", "Dragon Boat Festival"),
    ("mid_autumn", "Mid-Autumn Festival"),
    ("national_day", "National Day"),
    ("other", "Other"),
]


class GovCalendarDay(models.Model):
    """Exceptions to the Monday-Friday working week.

    China moves weekend days around its statutory holidays: a ``holiday`` row
    removes a weekday from the working days, a ``workday`` row (补班) makes a
    Saturday or Sunday a working day. Every deadline of the product is computed
    with :meth:`add_working_days` and :meth:`working_days_between`.
    """

    _name = "gov.calendar.day"
    _description = "Working-Day Calendar Exception"
    _order = "date"
    _rec_name = "date"

    date = fields.Date(required=True, index=True)
    day_type = fields.Selection(
        [("holiday", "Statutory Holiday"), ("workday", "Make-up Working Day")],
        string="Type",
        required=True,
        default="holiday",
    )
    holiday = fields.Selection(HOLIDAY_SELECTION, required=True, default="other")
    year = fields.Integer(compute="_compute_year", store=True, index=True)
    note = fields.Char()

    _sql_constraints = [
        ("date_unique", "unique(date)", "A date can only appear once in the calendar."),
    ]

    @api.depends("date")
    def _compute_year(self):
        for day in self:
            day.year = day.date.year if day.date else 0

    @api.constrains("date", "day_type")
    def _check_day_type(self):
        for day in self:
            weekend = day.date.weekday() >= 5
            if day.day_type == "workday" and not weekend:
                raise ValidationError(
                    self.env._(
                        "%(date)s is already a working day: only a Saturday or a "
                        "Sunday can be a make-up working day.",
                        date=day.date,
                    )
                )
            if day.day_type == "holiday" and weekend:
                # a weekend day inside a holiday period is stored for
                # completeness; it changes nothing
                continue

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        res = super().write(vals)
        self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res

    # ------------------------------------------------------------------
    # Working-day arithmetic
    # ------------------------------------------------------------------
    @tools.ormcache("year")
    def _get_exceptions(self, year):
        """Return (holidays, workdays) of ``year`` as frozensets of dates."""
        rows = self.sudo()._read_group(
            [("year", "=", year)], groupby=["day_type"], aggregates=["date:array_agg"]
        )
        holidays, workdays = frozenset(), frozenset()
        for day_type, dates in rows:
            if day_type == "holiday":
                holidays = frozenset(dates)
            else:
                workdays = frozenset(dates)
        return holidays, workdays

    @api.model
    def is_working_day(self, day):
        day = fields.Date.to_date(day)
        holidays, workdays = self._get_exceptions(day.year)
        if day in workdays:
            return True
        if day in holidays:
            return False
        return day.weekday() < 5

    @api.model
    def _in_pauses(self, day, pauses):
        return any(start <= day <= end for start, end in pauses)

    @api.model
    def _normalize_pauses(self, pauses):
        result = []
        for start, end in pauses or []:
            start, end = fields.Date.to_date(start), fields.Date.to_date(end)
            if start and end:
                result.append((min(start, end), max(start, end)))
        return result

    @api.model
    def add_working_days(self, start, n, pauses=None):
        """Return the date of the ``n``-th working day after ``start``.

        The start day itself is not counted (a time limit of 20 working days
        starting on the day of acceptance ends on the 20th working day after
        it); ``n == 0`` returns ``start``. ``pauses`` is an optional list of
        ``(date_from, date_to)`` periods (both included) during which the clock
        stops, e.g. process steps that do not count toward the time limit
        (Administrative Licensing Law, Art. 45).
        """
        day = fields.Date.to_date(start)
        n = int(n)
        if n < 0:
            raise ValidationError(self.env._("The number of working days cannot be negative."))
        pauses = self._normalize_pauses(pauses)
        counted = 0
        while counted < n:
            day += timedelta(days=1)
            if self.is_working_day(day) and not self._in_pauses(day, pauses):
                counted += 1
        return day

    @api.model
    def _working_days_list(self, date_from, date_to):
        """Sorted list of the working days from ``date_from`` to ``date_to``
        (both included)."""
        days = []
        day = date_from
        while day <= date_to:
            holidays, workdays = self._get_exceptions(day.year)
            year_end = min(date_to, day.replace(month=12, day=31))
            while day <= year_end:
                if day in workdays or (day.weekday() < 5 and day not in holidays):
                    days.append(day)
                day += timedelta(days=1)
        return days

    @api.model
    def add_working_days_batch(self, requests):
        """:meth:`add_working_days` without pauses for many ``(start, n)``
        pairs at once: one sorted list of working days spanning every request,
        then one bisection per request. Returns the dates in the same order."""
        to_date = fields.Date.to_date
        starts, counts = [], []
        for start, n in requests:
            starts.append(start if type(start) is date else to_date(start))
            counts.append(int(n))
        if not starts:
            return []
        if min(counts) < 0:
            raise ValidationError(self.env._("The number of working days cannot be negative."))
        last, longest = max(starts), max(counts)
        # seven calendar days hold at least five working days; the margin
        # covers the holiday periods; extended below if ever too short
        horizon = last + timedelta(days=longest * 7 // 5 + 30)
        days = self._working_days_list(min(starts) + timedelta(days=1), horizon)
        # the latest start with the longest count needs the farthest index:
        # once it fits, every request fits
        while bisect_right(days, last) + longest > len(days):
            more_from = (days[-1] if days else horizon) + timedelta(days=1)
            days.extend(self._working_days_list(more_from, more_from + timedelta(days=366)))
        return [
            days[bisect_right(days, start) + n - 1] if n else start
            for start, n in zip(starts, counts)
        ]

    @api.model
    def working_days_between_batch(self, requests):
        """:meth:`working_days_between` without pauses for many
        ``(date_from, date_to)`` pairs at once: one sorted list of working
        days spanning every request, two bisections per request. Returns the
        counts in the same order."""
        to_date = fields.Date.to_date
        pairs = [(to_date(date_from), to_date(date_to)) for date_from, date_to in requests]
        if not pairs:
            return []
        first = min(min(pair) for pair in pairs)
        last = max(max(pair) for pair in pairs)
        days = self._working_days_list(first, last)
        return [
            bisect_right(days, date_to) - bisect_right(days, date_from)
            for date_from, date_to in pairs
        ]

    @api.model
    def working_days_between(self, date_from, date_to, pauses=None):
        """Count the working days after ``date_from`` up to ``date_to`` included.

        ``working_days_between(a, add_working_days(a, n)) == n``. The result is
        negative when ``date_to`` is before ``date_from``.
        """
        date_from = fields.Date.to_date(date_from)
        date_to = fields.Date.to_date(date_to)
        if date_to < date_from:
            return -self.working_days_between(date_to, date_from, pauses)
        pauses = self._normalize_pauses(pauses)
        count = 0
        day = date_from
        while day < date_to:
            day += timedelta(days=1)
            if self.is_working_day(day) and not self._in_pauses(day, pauses):
                count += 1
        return count
