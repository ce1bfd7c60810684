# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class GovStatMonthlyDirty(models.Model):
    """Months of the monthly statistics to recompute.

    An append-only queue: the sources insert a row per changed (source,
    month, department) key in their own transaction, the refresh reads the
    rows it can see, recomputes their keys and deletes exactly those rows. A
    writer never updates a row, so writers and the refresh never wait on each
    other, and a key marked by a transaction the refresh cannot see yet stays
    in the queue for the next refresh.
    """

    _name = "gov.stat.monthly.dirty"
    _description = "Monthly Statistics to Refresh"
    _log_access = False
    _order = "id"

    source = fields.Char(required=True, readonly=True)
    month = fields.Date(required=True, readonly=True)
    department_id = fields.Many2one("hr.department", readonly=True, ondelete="cascade")
