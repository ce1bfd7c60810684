# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging

from odoo import fields, models
from odoo.tools import SQL
from odoo.tools.sql import table_exists

_logger = logging.getLogger(__name__)

# Table of the former many2many between windows and employees (before the
# employee's window became the one link between them).
LEGACY_STAFF_TABLE = "gov_service_window_hr_employee_rel"


def migrate_legacy_staff_links(cr):
    """Carry the staff lists kept in the former many2many table into the
    employees' window (``hr.employee.gov_window_id``).

    An employee without a window gets the window that listed them (the
    oldest one when several did); an employee who already has a window keeps
    it. The rows that could not be carried over (an employee listed at
    another window than theirs) are logged, and the table is left untouched
    so that nothing is lost. Returns ``(updated, conflicts)``: the number of
    employees given a window and the ``(employee_id, window_id)`` pairs left
    aside.
    """
    if not table_exists(cr, LEGACY_STAFF_TABLE):
        return 0, []
    table = SQL.identifier(LEGACY_STAFF_TABLE)
    cr.execute(SQL(
        """UPDATE hr_employee employee SET gov_window_id = legacy.window_id
             FROM (SELECT employee_id, MIN(window_id) AS window_id
                     FROM %s GROUP BY employee_id) legacy
            WHERE employee.id = legacy.employee_id AND employee.gov_window_id IS NULL""",
        table,
    ))
    updated = cr.rowcount
    cr.execute(SQL(
        """SELECT legacy.employee_id, legacy.window_id
             FROM %s legacy
             JOIN hr_employee employee ON employee.id = legacy.employee_id
            WHERE employee.gov_window_id != legacy.window_id
            ORDER BY legacy.employee_id, legacy.window_id""",
        table,
    ))
    conflicts = cr.fetchall()
    if conflicts:
        _logger.warning(
            "Window staff: %s link(s) of %s not carried over, the employee works at "
            "another window (employee id, window id): %s",
            len(conflicts), LEGACY_STAFF_TABLE, conflicts,
        )
    _logger.info("Window staff: %s employee(s) given the window that listed them", updated)
    return updated, conflicts


class GovServiceWindow(models.Model):
    _name = "gov.service.window"
    _description = "Service Window"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "zone_id, code, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(required=True, index=True, tracking=True)
    zone_id = fields.Many2one(
        "gov.hall.zone", string="Zone", required=True, index=True, tracking=True,
        ondelete="restrict",
    )
    department_id = fields.Many2one(
        "hr.department",
        string="Stationed Department",
        index=True,
        tracking=True,
        ondelete="restrict",
    )
    # One link between windows and their staff: the employee's window
    # (hr.employee.gov_window_id). Editing the staff of a window sets or
    # clears the window of the employees added or removed.
    employee_ids = fields.One2many(
        "hr.employee",
        "gov_window_id",
        string="Staff",
        help="Employees working at this window. An employee works at one window: "
        "adding them here moves them from their previous window.",
    )
    item_ids = fields.Many2many(
        "gov.approval.item",
        "gov_service_window_approval_item_rel",
        "window_id",
        "item_id",
        string="Approval Items Handled",
    )
    active = fields.Boolean(default=True, tracking=True)
    note = fields.Text()

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of a service window must be unique."),
    ]

    def _compute_display_name(self):
        for window in self:
            window.display_name = (
                f"{window.code} {window.name}" if window.code else window.name
            )
