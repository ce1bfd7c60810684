# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.tools import SQL


class GovQueueCounter(models.Model):
    """Last ticket number given per zone and day.

    The row is incremented in one statement (insert or update), so two
    tickets taken at the same moment never get the same number: the second
    waits for the first and, under the database's repeatable-read isolation,
    is replayed by the server's retry of concurrent requests.
    """

    _name = "gov.queue.counter"
    _description = "Queue Ticket Counter"
    _log_access = False
    _order = "date desc, zone_id"

    zone_id = fields.Many2one("gov.hall.zone", required=True, ondelete="cascade", readonly=True)
    date = fields.Date(required=True, readonly=True)
    last = fields.Integer(string="Last Number", readonly=True)

    _sql_constraints = [
        ("zone_date_unique", "unique(zone_id, date)", "One counter per zone and day."),
    ]

    @api.model
    def _gov_reserve(self, zone_id, date, count=1):
        """Reserve ``count`` numbers for ``zone_id`` on ``date``; return the
        last one (the reserved numbers end with it)."""
        self.env.cr.execute(SQL(
            """INSERT INTO gov_queue_counter AS counter (zone_id, date, last)
               VALUES (%(zone)s, %(date)s, %(count)s + (
                   SELECT COALESCE(MAX(sequence_number), 0) FROM gov_queue_ticket
                    WHERE zone_id = %(zone)s AND date = %(date)s))
               ON CONFLICT (zone_id, date) DO UPDATE SET last = counter.last + %(count)s
               RETURNING last""",
            zone=zone_id, date=date, count=count,
        ))
        self.invalidate_model(["last"])
        return self.env.cr.fetchone()[0]
