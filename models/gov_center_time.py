# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The clock of the service center.

Every "today", "this month" and "this year" of the module is the one of the
center's time zone (setting ``gov_service_center.center_tz``), never the one
of the user's browser nor of the database server. Datetimes are stored in
UTC, naive, as everywhere in Odoo; these helpers convert between the two.

``center_now`` returns a *naive* datetime holding the center's wall-clock
time; the ``*_utc_bounds`` helpers return naive UTC datetimes, ready for a
domain or a SQL comparison with a ``Datetime`` column: ``start <= x < end``.
All helpers follow :func:`odoo.fields.Datetime.now`, so tests pin them with
freezegun.
"""
from datetime import datetime, time, timedelta

import pytz

from odoo import fields
from odoo.tools import date_utils

from .gov_settings import get_setting


def center_tz(env):
    """The center's time zone, a pytz zone."""
    return pytz.timezone(get_setting(env, "center_tz"))


def to_center(env, value):
    """Naive local time of the center for the naive UTC datetime ``value``."""
    if not value:
        return value
    value = fields.Datetime.to_datetime(value)
    return pytz.utc.localize(value).astimezone(center_tz(env)).replace(tzinfo=None)


def to_utc(env, value):
    """Naive UTC datetime of the naive local time ``value`` of the center."""
    local = center_tz(env).localize(fields.Datetime.to_datetime(value))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


def center_date(env, value):
    """Day of the center on which the naive UTC datetime ``value`` falls."""
    return to_center(env, value).date() if value else False


def center_now(env):
    """Current wall-clock time of the center, as a naive datetime."""
    return to_center(env, fields.Datetime.now())


def center_today(env):
    """Current day of the center."""
    return center_now(env).date()


def center_month_bounds(env, day=None):
    """First and last day of the month of ``day`` (default: the center's today)."""
    day = fields.Date.to_date(day) if day else center_today(env)
    return date_utils.start_of(day, "month"), date_utils.end_of(day, "month")


def center_day_utc_bounds(env, day=None):
    """UTC datetimes ``(start, end)`` of the center's local ``day``, end excluded."""
    day = fields.Date.to_date(day) if day else center_today(env)
    start = to_utc(env, datetime.combine(day, time.min))
    end = to_utc(env, datetime.combine(day + timedelta(days=1), time.min))
    return start, end


def center_month_utc_bounds(env, day=None):
    """UTC datetimes ``(start, end)`` of the center's local month of ``day``, end excluded."""
    first, last = center_month_bounds(env, day)
    return center_day_utc_bounds(env, first)[0], center_day_utc_bounds(env, last)[1]


def center_today_default(model):
    """Field default: the center's today (``default=center_today_default``)."""
    return center_today(model.env)
