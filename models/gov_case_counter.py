# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.tools import SQL


class GovCaseCounter(models.Model):
    """Last case number given per day. Incremented in one statement, so two
    cases received at the same moment never share a number; numbers are never
    reused (cases are never deleted)."""

    _name = "gov.case.counter"
    _description = "Case Number Counter"
    _log_access = False
    _order = "date desc"

    date = fields.Date(required=True, readonly=True)
    last = fields.Integer(string="Last Number", readonly=True)

    _sql_constraints = [
        ("date_unique", "unique(date)", "One counter per day."),
    ]

    @api.model
    def _gov_reserve(self, date, count=1):
        """Reserve ``count`` numbers for ``date``; return the last one."""
        self.env.cr.execute(SQL(
            """INSERT INTO gov_case_counter AS counter (date, last)
               VALUES (%(date)s, %(count)s)
               ON CONFLICT (date) DO UPDATE SET last = counter.last + %(count)s
               RETURNING last""",
            date=date, count=count,
        ))
        self.invalidate_model(["last"])
        return self.env.cr.fetchone()[0]
