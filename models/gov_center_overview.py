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
            ("filed_intermediaries", "Filed intermediaries"),
            ("short_service_types", "Intermediary service types in short supply"),
            ("active_restrictions", "Active credit restrictions"),
            ("open_complaints", "Open complaints"),
            ("overdue_complaints", "Overdue complaints"),
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
                "AND date_deadline < CURRENT_DATE"
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
