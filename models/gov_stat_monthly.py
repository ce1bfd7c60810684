# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Stored monthly statistics of the service center.

One table for every line of work: a row holds the counts and sums of one
source (ratings, consultations and letters, complaints, attendance results,
queue tickets) for one month of the center's time zone, one department and,
where useful, one approval item, window or kind. One table rather than one
per source: the statistics menu, the overview, the access rights, the dirty
queue and the refresh are the same for all, and a department can be compared
across lines of work in one pivot; the few thousand rows a year stay small
even with columns that only one source fills.

The sources declare themselves (``gov.stat.source.mixin``); their changes
mark (source, month, department) keys in ``gov.stat.monthly.dirty``; the
refresh recomputes those keys with one set-based statement per source.
"""
import logging

import psycopg2

from odoo import api, fields, models
from odoo.tools import SQL, create_unique_index, date_utils
from odoo.tools.sql import index_exists

from .gov_center_time import center_day_utc_bounds, center_tz

_logger = logging.getLogger(__name__)

SOURCE_SELECTION = [
    ("rating", "Service Ratings"),
    ("consultation", "Consultations and Letters"),
    ("complaint", "Complaints"),
    ("attendance", "Attendance Results"),
    ("queue", "Queue Tickets"),
    ("case", "Cases"),
    ("supervision", "Electronic Supervision"),
]
KIND_SELECTION = [
    ("consultation", "Online Consultation"),
    ("mailbox", "Leader Mailbox"),
]
# key columns besides source and month, with their value for "none" in the
# unique index (so that an empty department or item is one key)
KEY_COLUMNS = (("department_id", "0"), ("item_id", "0"), ("window_id", "0"), ("kind", "''"))
# the figures the center overview sums over months (gov_stat_monthly_overview_idx)
OVERVIEW_SUM_COLUMNS = (
    "rating_count", "rating_bad_count", "rating_bad_open_count",
    "consultation_count", "consultation_answered_count", "attendance_late_count",
)
# advisory lock held by the refresh: one refresh at a time
LOCK_KEY = 0x6753544D  # "gSTM"
# the refresh reads every dirty month of a source at once; past this many
# months it reads the whole table rather than one date range per month
MAX_RANGES = 24
TZ_PARAM = "gov_service_center.stat_monthly_tz"


def _conflict_target():
    return SQL(", ").join(
        [SQL("source"), SQL("month")]
        + [SQL("COALESCE(%s, %s)", SQL.identifier(col), SQL(none)) for col, none in KEY_COLUMNS]
    )


class GovStatMonthly(models.Model):
    _name = "gov.stat.monthly"
    _description = "Monthly Statistics"
    _log_access = False
    _order = "month desc, source, department_id, id"
    _rec_name = "month"

    source = fields.Selection(SOURCE_SELECTION, string="Line of Work", required=True, readonly=True, index=True)
    month = fields.Date(required=True, readonly=True, index=True,
                        help="First day of the month, in the center's time zone.")
    department_id = fields.Many2one("hr.department", string="Department", readonly=True, index=True,
                                    ondelete="cascade")
    item_id = fields.Many2one("gov.approval.item", string="Approval Item", readonly=True,
                              ondelete="cascade")
    window_id = fields.Many2one("gov.service.window", string="Window", readonly=True, ondelete="cascade")
    kind = fields.Selection(KIND_SELECTION, readonly=True)
    refreshed_at = fields.Datetime(string="Computed On", readonly=True)

    # service ratings (appeals accepted left out)
    rating_count = fields.Integer(string="Ratings", readonly=True)
    rating_level_sum = fields.Integer(string="Sum of Rating Levels", readonly=True)
    rating_bad_count = fields.Integer(string="Bad Ratings", readonly=True)
    rating_bad_open_count = fields.Integer(string="Bad Ratings in Rectification", readonly=True)
    # consultations and leader-mailbox letters (archived ones left out)
    consultation_count = fields.Integer(string="Questions Received", readonly=True)
    consultation_answered_count = fields.Integer(string="Questions Answered", readonly=True)
    consultation_overdue_count = fields.Integer(string="Questions Overdue", readonly=True)
    consultation_answer_days = fields.Integer(
        string="Answer Time (working days, sum)", readonly=True,
        help="Sum of the answer times of the answered questions, in working days.",
    )
    # complaints
    complaint_count = fields.Integer(string="Complaints Received", readonly=True)
    complaint_closed_count = fields.Integer(string="Complaints Closed", readonly=True)
    # attendance results of the window staff
    attendance_day_count = fields.Integer(string="Working Days Evaluated", readonly=True)
    attendance_late_count = fields.Integer(string="Late Arrivals", readonly=True)
    attendance_early_count = fields.Integer(string="Early Leaves", readonly=True)
    attendance_absent_count = fields.Integer(string="Absences", readonly=True)
    attendance_missed_punches = fields.Integer(string="Missed Punches", readonly=True)
    # hall queue
    ticket_count = fields.Integer(string="Queue Tickets", readonly=True)
    ticket_served_count = fields.Integer(string="Tickets Served", readonly=True)
    ticket_called_count = fields.Integer(string="Tickets Called", readonly=True)
    ticket_wait_minutes = fields.Float(
        string="Waiting Time (minutes, sum)", readonly=True, digits=(16, 1),
        help="Sum of the waiting times of the tickets called.",
    )

    # cases, by month of receipt (drafts left out)
    case_count = fields.Integer(string="Cases Received", readonly=True)
    case_accepted_count = fields.Integer(string="Cases Accepted", readonly=True)
    case_decided_count = fields.Integer(string="Cases Decided", readonly=True)
    case_on_time_count = fields.Integer(string="Cases Decided on Time", readonly=True)
    case_delivered_count = fields.Integer(string="Cases Delivered", readonly=True)
    case_working_days = fields.Integer(
        string="Handling Time (working days, sum)", readonly=True,
        help="Sum of the working days from acceptance to decision of the decided cases.",
    )

    # electronic supervision, by month raised (cancelled alerts left out)
    supervision_warning_count = fields.Integer(string="Deadline Warnings", readonly=True)
    supervision_yellow_count = fields.Integer(string="Yellow Cards", readonly=True)
    supervision_red_count = fields.Integer(string="Red Cards", readonly=True)
    supervision_confirmed_count = fields.Integer(string="Cards Confirmed", readonly=True)

    def init(self):
        create_unique_index(
            self.env.cr, "gov_stat_monthly_key_uniq", self._table,
            [
                "source", "month",
                *(f"COALESCE({column}, {none})" for column, none in KEY_COLUMNS),
            ],
        )
        # the center overview's sums over months (_gov_stat_sum_sql) read
        # this index only, not the rows
        if not index_exists(self.env.cr, "gov_stat_monthly_overview_idx"):
            self.env.cr.execute(SQL(
                "CREATE INDEX gov_stat_monthly_overview_idx ON %s (source, month) INCLUDE (%s)",
                SQL.identifier(self._table),
                SQL(", ").join(SQL.identifier(column) for column in OVERVIEW_SUM_COLUMNS),
            ))

    # ------------------------------------------------------------------
    # Reading: pending months are refreshed first
    # ------------------------------------------------------------------
    @api.model
    def _search(self, *args, **kwargs):
        self._gov_stat_refresh_pending()
        return super()._search(*args, **kwargs)

    @api.model
    def _gov_stat_refresh_pending(self):
        """Recompute the months marked dirty, if any, before a reading.

        Costs one query when nothing is pending. Skipped on a read-only
        cursor and when another transaction is refreshing (the figures are
        then those of the last refresh); the scheduled job catches up.
        """
        self.env.flush_all()
        cr = self.env.cr
        if cr.readonly:
            return set()
        cr.execute(SQL("SELECT EXISTS(SELECT 1 FROM gov_stat_monthly_dirty)"))
        if not cr.fetchone()[0]:
            return set()
        try:
            with cr.savepoint():
                return self._gov_stat_refresh(wait=False)
        except (psycopg2.errors.SerializationFailure, psycopg2.errors.LockNotAvailable):
            _logger.info("Monthly statistics: refresh left to the scheduled job")
            return set()

    # ------------------------------------------------------------------
    # Sources
    # ------------------------------------------------------------------
    @api.model
    def _gov_stat_source_specs(self):
        """``[(model, spec)]`` of every source declared in the registry."""
        mixin = self.env["gov.stat.source.mixin"]
        result = []
        for name in sorted(mixin._inherit_children):
            model = self.env[name]
            if model._abstract or model._transient:
                continue
            result.extend((model, spec) for spec in model._gov_stat_sources())
        return result

    # ------------------------------------------------------------------
    # Refresh
    # ------------------------------------------------------------------
    @api.model
    def _gov_stat_lock(self, wait=True):
        cr = self.env.cr
        if wait:
            cr.execute(SQL("SELECT pg_advisory_xact_lock(%s)", LOCK_KEY))
            return True
        cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s)", LOCK_KEY))
        return cr.fetchone()[0]

    @api.model
    def _gov_stat_refresh(self, wait=True):
        """Recompute the dirty keys; return the set of ``(source, month,
        department id or 0)`` keys recomputed."""
        if not self._gov_stat_lock(wait=wait):
            return set()
        if self._gov_stat_tz_changed():
            self._gov_stat_rebuild()
            return {"*"}
        cr = self.env.cr
        self.env.flush_all()
        cr.execute(SQL(
            """SELECT source, month, COALESCE(department_id, 0), MAX(id)
                 FROM gov_stat_monthly_dirty GROUP BY 1, 2, 3"""
        ))
        rows = cr.fetchall()
        if not rows:
            return set()
        keys = {(source, month, department) for source, month, department, _id in rows}
        last_id = max(row[3] for row in rows)
        for model, spec in self._gov_stat_source_specs():
            source_keys = sorted((month, dept) for source, month, dept in keys if source == spec.source)
            if source_keys:
                self._gov_stat_refresh_source(model, spec, source_keys)
        # the rows seen (the snapshot hides the rows of transactions not yet visible)
        cr.execute(SQL("DELETE FROM gov_stat_monthly_dirty WHERE id <= %s", last_id))
        self.invalidate_model()
        return keys

    @api.model
    def _gov_stat_rebuild(self):
        """Recompute every month of every source (install, upgrade, change
        of the center's time zone)."""
        self._gov_stat_lock(wait=True)
        self.env.flush_all()
        cr = self.env.cr
        sources = set()
        for model, spec in self._gov_stat_source_specs():
            self._gov_stat_refresh_source(model, spec, None)
            sources.add(spec.source)
        cr.execute(SQL("DELETE FROM gov_stat_monthly WHERE source <> ALL(%s)", list(sources)))
        cr.execute(SQL("DELETE FROM gov_stat_monthly_dirty"))
        self.env["ir.config_parameter"].sudo().set_param(TZ_PARAM, center_tz(self.env).zone)
        self.invalidate_model()
        _logger.info("Monthly statistics rebuilt for %s", ", ".join(sorted(sources)))
        return True

    @api.model
    def _gov_stat_tz_changed(self):
        stored = self.env["ir.config_parameter"].sudo().get_param(TZ_PARAM)
        return stored != center_tz(self.env).zone

    @api.model
    def _cron_refresh(self):
        return self._gov_stat_refresh(wait=True)

    def action_refresh(self):
        """Button: bring the figures up to date now."""
        self.check_access("read")
        self.sudo()._gov_stat_refresh(wait=True)
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    @api.model
    def _gov_stat_month_ranges(self, model, spec, months):
        """Condition on the source's date column selecting ``months``."""
        column = SQL.identifier("s", spec.date_field)
        is_datetime = model._fields[spec.date_field].type == "datetime"
        ranges = []
        for month in sorted(set(months)):
            after = date_utils.add(month, months=1)
            if is_datetime:
                start = center_day_utc_bounds(self.env, month)[0]
                end = center_day_utc_bounds(self.env, after)[0]
            else:
                start, end = month, after
            ranges.append(SQL("(%s >= %s AND %s < %s)", column, start, column, end))
        return SQL("(%s)", SQL(" OR ").join(ranges))

    @api.model
    def _gov_stat_refresh_source(self, model, spec, keys):
        """Recompute the rows of one source: for the ``(month, department id
        or 0)`` pairs ``keys``, or all of them when ``keys`` is None.

        One statement: the groups of the source are upserted, and the rows of
        the same keys that no longer have a group are deleted.
        """
        month = model._gov_stat_month_sql(spec)
        dims = list(spec.dims.items())
        measures = list(spec.measures.items())
        columns = [SQL.identifier(name) for name in ("source", "month", "department_id")]
        columns += [SQL.identifier(name) for name, _expr in dims + measures]
        columns.append(SQL.identifier("refreshed_at"))
        select = [SQL("%s", spec.source), month, spec.department]
        select += [expr for _name, expr in dims]
        select += [expr for _name, expr in measures]
        select.append(SQL("%s::timestamp", fields.Datetime.now()))
        group_by = SQL(", ").join(SQL(str(position)) for position in range(2, 4 + len(dims)))
        updates = SQL(", ").join(
            SQL("%s = EXCLUDED.%s", SQL.identifier(name), SQL.identifier(name))
            for name, _expr in measures + [("refreshed_at", None)]
        )
        if keys is None:
            where = spec.where
            stale = SQL("TRUE")
            dirty = SQL("SELECT NULL::date, NULL::int")
        else:
            where = SQL(
                "%s AND %s AND (%s, COALESCE(%s, 0)) IN (SELECT month, department_id FROM dirty)",
                spec.where,
                self._gov_stat_month_ranges(model, spec, [k[0] for k in keys])
                if len({k[0] for k in keys}) <= MAX_RANGES else SQL("TRUE"),
                month, spec.department,
            )
            stale = SQL("(m.month, COALESCE(m.department_id, 0)) IN (SELECT month, department_id FROM dirty)")
            dirty = SQL(
                "SELECT * FROM unnest(%s::date[], %s::int[])",
                [k[0] for k in keys], [k[1] for k in keys],
            )
        self.env.cr.execute(SQL(
            """WITH dirty(month, department_id) AS (%(dirty)s),
                    fresh AS (
                        INSERT INTO gov_stat_monthly (%(columns)s)
                        SELECT %(select)s
                          FROM %(from)s
                         WHERE %(where)s
                         GROUP BY %(group_by)s
                        ON CONFLICT (%(target)s) DO UPDATE SET %(updates)s
                        RETURNING id
                    )
               DELETE FROM gov_stat_monthly m
                WHERE m.source = %(source)s AND %(stale)s
                  AND m.id NOT IN (SELECT id FROM fresh)""",
            dirty=dirty,
            columns=SQL(", ").join(columns),
            select=SQL(", ").join(select),
            where=where,
            group_by=group_by,
            target=_conflict_target(),
            updates=updates,
            source=spec.source,
            stale=stale,
            **{"from": model._gov_stat_from_sql(spec)},
        ))

    # ------------------------------------------------------------------
    # Figures for the overview
    # ------------------------------------------------------------------
    @api.model
    def _gov_stat_sum_sql(self, source, expression, first=None, end=None):
        """A scalar select summing ``expression`` over the rows of
        ``source`` with ``first <= month < end``."""
        conditions = [SQL("source = %s", source)]
        if first:
            conditions.append(SQL("month >= %s", first))
        if end:
            conditions.append(SQL("month < %s", end))
        return SQL(
            "SELECT COALESCE(%s, 0) FROM gov_stat_monthly WHERE %s",
            expression, SQL(" AND ").join(conditions),
        )
