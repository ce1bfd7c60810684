# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import ast
import re
from datetime import date

from odoo import fields, models, tools
from odoo.tools import SQL, create_index, date_utils

from .gov_center_time import center_day_utc_bounds, center_today

# how every select of _overview_queries starts: its sequence, area and metric
OVERVIEW_SELECT_RE = re.compile(r"\s*SELECT (?P<sequence>\d+), '(?P<area>\w+)', '(?P<metric>\w+)'")


class GovCenterOverview(models.Model):
    """Headline figures of every line of work, computed by SQL at each reading.

    Each line of work contributes rows ``(area, metric, value)`` through
    :meth:`_overview_queries`; the figures are read with the usual list,
    kanban, graph and pivot views. "Today", "this month" and "this year" are
    those of the center's time zone, computed at each reading.

    The figures over the large tables (ratings, consultations, attendance
    results) are read from the stored monthly statistics
    (``gov.stat.monthly``, brought up to date before the reading); the others
    are cheap indexed conditions (open states, today's range) or small tables.
    """

    _name = "gov.center.overview"
    _description = "Service Center Overview"
    _auto = False
    _order = "sequence, id"
    _rec_name = "metric"

    sequence = fields.Integer(readonly=True)
    area = fields.Selection(
        [
            ("approval", "Approval Items"),
            ("case", "Cases"),
            ("intermediary", "Intermediaries"),
            ("staff", "Window Staff"),
            ("citizen", "Citizen Services"),
        ],
        readonly=True,
    )
    metric = fields.Selection(
        [
            ("active_items", "Active approval items"),
            ("published_items", "Items published on the website"),
            ("on_the_spot_items", "On-the-spot items"),
            ("stationed_departments", "Departments with active items"),
            ("changes_this_year", "Decisions on items this year"),
            ("items_added_this_year", "Items added this year"),
            ("items_removed_this_year", "Items cancelled, delegated or merged this year"),
            ("preconditions_in_force", "Preconditions in force"),
            ("preconditions_removed", "Preconditions removed"),
            ("preconditions_removed_this_year", "Preconditions removed this year"),
            # cases
            ("cases_received_today", "Cases received today"),
            ("cases_open", "Cases open"),
            ("cases_overdue", "Cases overdue"),
            ("cases_on_time_rate_month", "Cases decided on time this month (%)"),
            # citizen services: ratings and policy documents
            ("ratings_this_month", "Service ratings this month"),
            ("satisfaction_rate", "Satisfaction rate, last 12 months (%)"),
            ("bad_ratings_open", "Bad ratings in rectification"),
            ("bad_ratings_overdue", "Bad ratings overdue"),
            ("policies_in_force", "Policy documents in force"),
            ("policy_visits", "Visits of policy documents"),
            # citizen services: consultations and leader mailbox
            ("consultations_this_year", "Consultations and letters received this year"),
            ("consultations_resolved_this_year", "Consultations and letters resolved this year"),
            ("consultations_overdue", "Consultations and letters overdue"),
            ("inspections_this_month", "Inspections confirmed this month"),
            ("avg_score_last_month", "Average staff score last month"),
            ("stars_published", "Service stars published"),
            ("open_rectifications", "Open rectifications"),
            ("filed_intermediaries", "Filed intermediaries"),
            ("short_service_types", "Intermediary service types in short supply"),
            ("active_restrictions", "Active credit restrictions"),
            ("open_complaints", "Open complaints"),
            ("overdue_complaints", "Overdue complaints"),
            # window staff attendance and hall queue
            ("staff_on_duty_today", "Window staff on duty now"),
            ("late_arrivals_this_month", "Late arrivals this month"),
            ("visitors_today", "Visitors today (queue tickets)"),
            ("average_wait_today", "Average wait today (minutes)"),
        ],
        readonly=True,
    )
    value = fields.Float(readonly=True, aggregator="sum", digits=(16, 0))

    def _overview_queries(self):
        """Return the SQL selects of the view, one per figure.

        Each select yields the columns ``sequence, area, metric, value``.
        """
        today = center_today(self.env)
        month = date_utils.start_of(today, "month")
        next_month = date_utils.add(month, months=1)
        last_month = date_utils.subtract(month, months=1)
        year = today.year
        year_start, year_end = date(year, 1, 1), date(year + 1, 1, 1)
        day_start, day_end = center_day_utc_bounds(self.env, today)
        Stat = self.env["gov.stat.monthly"]
        cases = [
            SQL(
                "SELECT 110, 'case', 'cases_received_today', COUNT(*) FROM gov_case "
                "WHERE date_received_day = %s AND state != 'draft'",
                today,
            ),
            SQL(
                "SELECT 120, 'case', 'cases_open', COUNT(*) FROM gov_case "
                "WHERE state IN ('submitted', 'supplement', 'accepted')"
            ),
            SQL(
                "SELECT 130, 'case', 'cases_overdue', COUNT(*) FROM gov_case "
                "WHERE state = 'accepted' AND date_deadline < %s",
                today,
            ),
            SQL(
                "SELECT 140, 'case', 'cases_on_time_rate_month', COALESCE(ROUND("
                "100.0 * COUNT(*) FILTER (WHERE is_on_time) / NULLIF(COUNT(*), 0), 1), 0) "
                "FROM gov_case WHERE date_decided >= %s AND date_decided < %s "
                "AND state IN ('approved', 'denied', 'delivered')",
                month, next_month,
            ),
        ]
        return cases + [
            SQL(
                "SELECT 10, 'approval', 'active_items', COUNT(*) FROM gov_approval_item "
                "WHERE state = 'active'"
            ),
            SQL(
                "SELECT 20, 'approval', 'published_items', COUNT(*) FROM gov_approval_item "
                "WHERE state = 'active' AND is_published"
            ),
            SQL(
                "SELECT 30, 'approval', 'on_the_spot_items', COUNT(*) FROM gov_approval_item "
                "WHERE state = 'active' AND is_on_the_spot"
            ),
            SQL(
                # one index probe per department, not a pass over the catalog
                "SELECT 40, 'approval', 'stationed_departments', COUNT(*) FROM hr_department d "
                "WHERE EXISTS (SELECT 1 FROM gov_approval_item i "
                "WHERE i.department_id = d.id AND i.state = 'active')"
            ),
            SQL(
                "SELECT 50, 'approval', 'changes_this_year', COUNT(*) "
                "FROM gov_approval_item_change WHERE year = %s",
                year,
            ),
            SQL(
                "SELECT 60, 'approval', 'items_added_this_year', COUNT(*) "
                "FROM gov_approval_item_change WHERE year = %s AND change_type = 'added'",
                year,
            ),
            SQL(
                "SELECT 70, 'approval', 'items_removed_this_year', COUNT(*) "
                "FROM gov_approval_item_change WHERE year = %s "
                "AND change_type IN ('cancelled', 'delegated', 'merged')",
                year,
            ),
            SQL(
                "SELECT 80, 'approval', 'preconditions_in_force', COUNT(*) "
                "FROM gov_approval_precondition WHERE state = 'active'"
            ),
            SQL(
                "SELECT 90, 'approval', 'preconditions_removed', COUNT(*) "
                "FROM gov_approval_precondition WHERE state = 'removed'"
            ),
            SQL(
                "SELECT 100, 'approval', 'preconditions_removed_this_year', COUNT(*) "
                "FROM gov_approval_precondition WHERE state = 'removed' "
                "AND EXTRACT(YEAR FROM removal_date)::int = %s",
                year,
            ),
            # citizen services: ratings (appeals accepted are left out)
            SQL(
                "SELECT 400, 'citizen', 'ratings_this_month', (%s)",
                Stat._gov_stat_sum_sql("rating", SQL("SUM(rating_count)"), month, next_month),
            ),
            # this month and the 11 before it
            SQL(
                "SELECT 410, 'citizen', 'satisfaction_rate', (%s)",
                Stat._gov_stat_sum_sql(
                    "rating",
                    SQL("ROUND(100.0 * SUM(rating_count - rating_bad_count) "
                        "/ NULLIF(SUM(rating_count), 0), 1)"),
                    date_utils.subtract(month, months=11), next_month,
                ),
            ),
            SQL(
                "SELECT 420, 'citizen', 'bad_ratings_open', (%s)",
                Stat._gov_stat_sum_sql("rating", SQL("SUM(rating_bad_open_count)")),
            ),
            SQL(
                "SELECT 430, 'citizen', 'bad_ratings_overdue', COUNT(*) FROM gov_service_rating "
                "WHERE counts_in_ledger AND %s",
                self.env["gov.service.rating"]._gov_overdue_sql(today),
            ),
            SQL(
                "SELECT 440, 'citizen', 'policies_in_force', COUNT(*) FROM gov_policy_document "
                "WHERE state = 'in_force' AND kind = 'document' AND active"
            ),
            SQL(
                "SELECT 450, 'citizen', 'policy_visits', COALESCE(SUM(visit_count), 0) "
                "FROM gov_policy_document"
            ),
            # citizen services: consultations and leader mailbox
            SQL(
                "SELECT 460, 'citizen', 'consultations_this_year', (%s)",
                Stat._gov_stat_sum_sql(
                    "consultation", SQL("SUM(consultation_count)"), year_start, year_end
                ),
            ),
            SQL(
                "SELECT 470, 'citizen', 'consultations_resolved_this_year', (%s)",
                Stat._gov_stat_sum_sql(
                    "consultation", SQL("SUM(consultation_answered_count)"), year_start, year_end
                ),
            ),
            SQL(
                "SELECT 480, 'citizen', 'consultations_overdue', COUNT(*) "
                "FROM gov_consultation WHERE active AND state IN ('new', 'assigned') "
                "AND date_deadline < %s",
                today,
            ),
            # Window staff discipline
            SQL(
                "SELECT 310, 'staff', 'inspections_this_month', COUNT(*) FROM gov_inspection "
                "WHERE state = 'confirmed' AND date >= %s",
                month,
            ),
            SQL(
                "SELECT 320, 'staff', 'avg_score_last_month', COALESCE(ROUND(AVG(total)::numeric, 1), 0) "
                "FROM gov_points_ledger "
                "WHERE month = %s",
                last_month,
            ),
            SQL(
                "SELECT 330, 'staff', 'stars_published', COUNT(*) FROM gov_service_star "
                "WHERE state = 'published'"
            ),
            SQL(
                "SELECT 340, 'staff', 'open_rectifications', COUNT(*) FROM gov_inspection "
                "WHERE state = 'confirmed' AND rectification_state = 'pending'"
            ),
            SQL(
                "SELECT 200, 'intermediary', 'filed_intermediaries', COUNT(*) "
                "FROM gov_intermediary WHERE active AND filing_state = 'filed'"
            ),
            SQL(
                "SELECT 210, 'intermediary', 'short_service_types', COUNT(*) "
                "FROM gov_intermediary_service_type WHERE active AND is_short"
            ),
            SQL(
                "SELECT 220, 'intermediary', 'active_restrictions', COUNT(*) "
                "FROM gov_credit_restriction WHERE state = 'active'"
            ),
            SQL(
                "SELECT 230, 'intermediary', 'open_complaints', COUNT(*) "
                "FROM gov_complaint WHERE state IN ('new', 'investigating', 'disposed')"
            ),
            SQL(
                "SELECT 240, 'intermediary', 'overdue_complaints', COUNT(*) "
                "FROM gov_complaint WHERE state IN ('new', 'investigating', 'disposed') "
                "AND date_deadline < %s",
                today,
            ),
            # window staff attendance and hall queue (local day of the center)
            # open attendances checked in today: index gov_hr_attendance_open_check_in
            SQL(
                "SELECT 350, 'staff', 'staff_on_duty_today', COUNT(DISTINCT a.employee_id) "
                "FROM hr_attendance a JOIN hr_employee e ON e.id = a.employee_id "
                "WHERE e.gov_window_id IS NOT NULL AND a.check_out IS NULL "
                "AND a.check_in >= %s AND a.check_in < %s",
                day_start, day_end,
            ),
            SQL(
                "SELECT 360, 'staff', 'late_arrivals_this_month', (%s)",
                Stat._gov_stat_sum_sql(
                    "attendance", SQL("SUM(attendance_late_count)"), month, next_month
                ),
            ),
            SQL(
                "SELECT 370, 'staff', 'visitors_today', COUNT(*) FROM gov_queue_ticket "
                "WHERE date = %s",
                today,
            ),
            SQL(
                "SELECT 380, 'staff', 'average_wait_today', COALESCE(ROUND(AVG(wait_minutes)::numeric, 1), 0) "
                "FROM gov_queue_ticket WHERE date = %s AND called_at IS NOT NULL",
                today,
            ),
        ]

    @property
    def _table_query(self):
        # built at each reading: the day changes, and so may the center's zone;
        # the monthly statistics are brought up to date first. The id is the
        # figure's sequence (unique): no window function, so that a condition
        # on the metric (the director's dashboard reads some figures only)
        # reaches each branch and the other figures are not computed.
        # A reader that needs some figures only (the website's home page)
        # names them in the context key ``gov_overview_metrics``: the other
        # branches are then not even planned.
        self.env["gov.stat.monthly"]._gov_stat_refresh_pending()
        queries = self._overview_queries()
        metrics = self.env.context.get("gov_overview_metrics")
        if metrics:
            queries = [
                query for query in queries
                if OVERVIEW_SELECT_RE.match(query.code).group("metric") in metrics
            ] or [SQL("SELECT 0, '', '', 0 WHERE FALSE")]
        return SQL(
            """SELECT f.sequence AS id,
                      f.sequence, f.area, f.metric, f.value
                 FROM (%s) AS f(sequence, area, metric, value)""",
            SQL(" UNION ALL ").join(queries),
        )

    def init(self):
        # the figures used to be a database view, frozen at its creation
        tools.drop_view_if_exists(self.env.cr, self._table)
        # "staff on duty": the open attendances are few, this index keeps them at hand
        create_index(
            self.env.cr, "gov_hr_attendance_open_check_in", "hr_attendance", ["check_in"],
            where="check_out IS NULL",
        )

    # ------------------------------------------------------------------
    # The records behind each figure
    # ------------------------------------------------------------------
    def _overview_targets(self):
        """Return ``{metric: (action xmlid, domain, kind)}``: the action that
        lists the records a figure counts (or measures), the domain matching
        the figure, and its kind: ``count`` for a number of records, else the
        unit of the figure (``percent``, ``score``, ``minutes``, ``visits``).
        Only figures of one kind are compared in a graph."""
        today = center_today(self.env)
        month = date_utils.start_of(today, "month")
        last_month = date_utils.subtract(month, months=1)
        year = today.year
        year_start, year_end = (
            center_day_utc_bounds(self.env, date(y, 1, 1))[0] for y in (year, year + 1)
        )
        day_start, day_end = center_day_utc_bounds(self.env, today)
        to_date = fields.Date.to_string
        to_datetime = fields.Datetime.to_string
        active_item = [("state", "=", "active")]
        open_complaint = [("state", "in", ["new", "investigating", "disposed"])]
        submitted_this_year = [
            ("date_submitted", ">=", to_datetime(year_start)),
            ("date_submitted", "<", to_datetime(year_end)),
        ]
        return {
            "active_items": ("gov_approval_item_action", active_item, "count"),
            "published_items": (
                "gov_approval_item_action", active_item + [("is_published", "=", True)], "count",
            ),
            "on_the_spot_items": (
                "gov_approval_item_action", active_item + [("is_on_the_spot", "=", True)], "count",
            ),
            "stationed_departments": (
                "hr_department_action_gov",
                [("gov_approval_item_ids", "any", active_item)],
                "count",
            ),
            "changes_this_year": ("gov_approval_item_change_action", [("year", "=", year)], "count"),
            "items_added_this_year": (
                "gov_approval_item_change_action",
                [("year", "=", year), ("change_type", "=", "added")],
                "count",
            ),
            "items_removed_this_year": (
                "gov_approval_item_change_action",
                [("year", "=", year), ("change_type", "in", ["cancelled", "delegated", "merged"])],
                "count",
            ),
            "preconditions_in_force": (
                "gov_approval_precondition_action", [("state", "=", "active")], "count",
            ),
            "preconditions_removed": (
                "gov_approval_precondition_action", [("state", "=", "removed")], "count",
            ),
            "preconditions_removed_this_year": (
                "gov_approval_precondition_action",
                [
                    ("state", "=", "removed"),
                    ("removal_date", ">=", to_date(date(year, 1, 1))),
                    ("removal_date", "<", to_date(date(year + 1, 1, 1))),
                ],
                "count",
            ),
            "cases_received_today": (
                "gov_case_action",
                [("date_received_day", "=", to_date(today)), ("state", "!=", "draft")],
                "count",
            ),
            "cases_open": (
                "gov_case_action", [("state", "in", ["submitted", "supplement", "accepted"])],
                "count",
            ),
            "cases_overdue": (
                "gov_case_action",
                [("state", "=", "accepted"), ("date_deadline", "<", to_date(today))],
                "count",
            ),
            "cases_on_time_rate_month": (
                "gov_case_action",
                [
                    ("date_decided", ">=", to_date(month)),
                    ("date_decided", "<", to_date(date_utils.add(month, months=1))),
                    ("state", "in", ["approved", "denied", "delivered"]),
                ],
                "percent",
            ),
            "ratings_this_month": (
                "gov_service_rating_action",
                [("counts_in_ledger", "=", True), ("rating_day", ">=", to_date(month))],
                "count",
            ),
            "satisfaction_rate": (
                "gov_service_rating_action",
                [
                    ("counts_in_ledger", "=", True),
                    ("rating_day", ">", to_date(date_utils.subtract(today, months=12))),
                ],
                "percent",
            ),
            "bad_ratings_open": (
                "gov_service_rating_action",
                [
                    ("is_bad", "=", True),
                    ("counts_in_ledger", "=", True),
                    ("rectification_state", "in", ["to_verify", "rectifying", "followed_up"]),
                ],
                "count",
            ),
            "bad_ratings_overdue": (
                "gov_service_rating_action",
                [("counts_in_ledger", "=", True), ("is_overdue", "=", True)],
                "count",
            ),
            "policies_in_force": (
                "gov_policy_document_action",
                [("state", "=", "in_force"), ("kind", "=", "document")],
                "count",
            ),
            "policy_visits": ("gov_policy_document_action", [("visit_count", ">", 0)], "visits"),
            "consultations_this_year": ("gov_consultation_action", submitted_this_year, "count"),
            "consultations_resolved_this_year": (
                "gov_consultation_action",
                submitted_this_year + [("state", "in", ["answered", "closed"])],
                "count",
            ),
            "consultations_overdue": (
                "gov_consultation_action",
                [("state", "in", ["new", "assigned"]), ("date_deadline", "<", to_date(today))],
                "count",
            ),
            "inspections_this_month": (
                "gov_inspection_action",
                [("state", "=", "confirmed"), ("date", ">=", to_date(month))],
                "count",
            ),
            "avg_score_last_month": (
                "gov_points_ledger_action", [("month", "=", to_date(last_month))], "score",
            ),
            "stars_published": ("gov_service_star_action", [("state", "=", "published")], "count"),
            "open_rectifications": (
                "gov_inspection_action",
                [("state", "=", "confirmed"), ("rectification_state", "=", "pending")],
                "count",
            ),
            "filed_intermediaries": (
                "gov_intermediary_action", [("filing_state", "=", "filed")], "count",
            ),
            "short_service_types": (
                "gov_intermediary_service_type_action", [("is_short", "=", True)], "count",
            ),
            "active_restrictions": (
                "gov_credit_restriction_action", [("state", "=", "active")], "count",
            ),
            "open_complaints": ("gov_complaint_action", open_complaint, "count"),
            "overdue_complaints": (
                "gov_complaint_action",
                open_complaint + [("date_deadline", "<", to_date(today))],
                "count",
            ),
            "staff_on_duty_today": (
                "hr_employee_action_gov_staff",
                [
                    ("gov_window_id", "!=", False),
                    ("attendance_ids", "any", [
                        ("check_out", "=", False),
                        ("check_in", ">=", to_datetime(day_start)),
                        ("check_in", "<", to_datetime(day_end)),
                    ]),
                ],
                "count",
            ),
            "late_arrivals_this_month": (
                "gov_attendance_day_action",
                [
                    ("late_minutes", ">", 0),
                    ("date", ">=", to_date(month)),
                    ("date", "<=", to_date(today)),
                ],
                "count",
            ),
            "visitors_today": (
                "gov_queue_ticket_action_stats", [("date", "=", to_date(today))], "count",
            ),
            "average_wait_today": (
                "gov_queue_ticket_action_stats",
                [("date", "=", to_date(today)), ("called_at", "!=", False)],
                "minutes",
            ),
        }

    def action_open_records(self):
        """Open the records behind the figure (the overview's tiles)."""
        self.ensure_one()
        target = self._overview_targets().get(self.metric)
        if not target:
            return False
        xmlid, domain, _kind = target
        action = self.env["ir.actions.act_window"]._for_xml_id(f"gov_service_center.{xmlid}")
        try:
            context = ast.literal_eval(action.get("context") or "{}")
        except (ValueError, SyntaxError):
            context = {}
        # the figure's own domain, without the action's default filters
        context = {key: value for key, value in context.items() if not key.startswith("search_default_")}
        action.update(
            name=dict(self._fields["metric"]._description_selection(self.env))[self.metric],
            domain=domain,
            context=context,
            target="current",
        )
        return action
