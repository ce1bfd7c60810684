# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models, tools
from odoo.tools import SQL


class GovCenterOverview(models.Model):
    """Headline figures of every line of work, computed live by a SQL view.

    Each line of work contributes rows ``(area, metric, value)`` through
    :meth:`_overview_queries`; the figures are read with the usual list,
    kanban, graph and pivot views.
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
        year = SQL("EXTRACT(YEAR FROM CURRENT_DATE)::int")
        return [
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
                "SELECT 40, 'approval', 'stationed_departments', COUNT(DISTINCT department_id) "
                "FROM gov_approval_item WHERE state = 'active'"
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
            # window staff attendance and hall queue (local day of the hall)
            SQL(
                "SELECT 300, 'staff', 'staff_on_duty_today', COUNT(DISTINCT a.employee_id) "
                "FROM hr_attendance a JOIN hr_employee e ON e.id = a.employee_id "
                "WHERE e.gov_window_id IS NOT NULL AND a.check_out IS NULL "
                "AND (a.check_in AT TIME ZONE 'UTC' AT TIME ZONE 'Asia/Shanghai')::date "
                "= (now() AT TIME ZONE 'Asia/Shanghai')::date"
            ),
            SQL(
                "SELECT 310, 'staff', 'late_arrivals_this_month', COUNT(*) "
                "FROM gov_attendance_day WHERE late_minutes > 0 "
                "AND date >= date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai')::date"
            ),
            SQL(
                "SELECT 320, 'staff', 'visitors_today', COUNT(*) FROM gov_queue_ticket "
                "WHERE date = (now() AT TIME ZONE 'Asia/Shanghai')::date"
            ),
            SQL(
                "SELECT 330, 'staff', 'average_wait_today', COALESCE(ROUND(AVG(wait_minutes)::numeric, 1), 0) "
                "FROM gov_queue_ticket WHERE date = (now() AT TIME ZONE 'Asia/Shanghai')::date "
                "AND called_at IS NOT NULL"
            ),
        ]

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        parts = SQL(" UNION ALL ").join(self._overview_queries())
        self.env.cr.execute(
            SQL(
                """CREATE OR REPLACE VIEW %s AS (
                    SELECT row_number() OVER (ORDER BY f.sequence) AS id,
                           f.sequence, f.area, f.metric, f.value
                      FROM (%s) AS f(sequence, area, metric, value)
                )""",
                SQL.identifier(self._table),
                parts,
            )
        )
