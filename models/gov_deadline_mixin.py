# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL

from .gov_center_time import center_today


class GovDeadlineMixin(models.AbstractModel):
    """A record with a legal deadline in working days (答复、办结、整改时限).

    The model sets ``date_deadline`` (usually computed with
    ``gov.calendar.day.add_working_days``), says which records are still open
    with :meth:`_gov_deadline_open_domain` and who answers for the deadline
    with the field paths ``_gov_deadline_department_path`` and
    ``_gov_deadline_user_path``. The mixin gives the overdue
    flag (computed and searchable), the working days left, and the SQL
    condition a set-based supervision job runs over the deadline columns.
    """

    _name = "gov.deadline.mixin"
    _description = "Record with a Legal Deadline"

    # field paths of the department and of the user who answer for the deadline
    _gov_deadline_department_path = "department_id"
    _gov_deadline_user_path = "user_id"

    date_deadline = fields.Date(string="Deadline", index=True, copy=False)
    is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
        help="The deadline has passed and the record is still open.",
    )
    deadline_department_id = fields.Many2one(
        "hr.department",
        string="Responsible Department",
        compute="_compute_deadline_responsible",
        store=True,
        index="btree_not_null",
        help="Department that answers for the deadline.",
    )
    deadline_user_id = fields.Many2one(
        "res.users",
        string="Deadline Owner",
        compute="_compute_deadline_responsible",
        store=True,
        index="btree_not_null",
        help="Person who answers for the deadline.",
    )
    deadline_remaining_days = fields.Integer(
        string="Working Days Left",
        compute="_compute_deadline_remaining_days",
        help="Working days left until the deadline; negative once it has passed.",
    )

    # ------------------------------------------------------------------
    # Hooks
    # ------------------------------------------------------------------
    def _gov_today(self):
        """The center's today: the one place the deadline logic reads it."""
        return center_today(self.env)

    @api.model
    def _gov_deadline_open_domain(self):
        """Domain of the records whose deadline still runs (default: all)."""
        return []

    @api.model
    def _gov_deadline_depends(self):
        """Fields the overdue flag depends on: the deadline and the fields of
        :meth:`_gov_deadline_open_domain`."""
        return ["date_deadline"]

    @api.depends(
        lambda self: [self._gov_deadline_department_path, self._gov_deadline_user_path]
    )
    def _compute_deadline_responsible(self):
        """Department and user read from the paths the model declares."""
        for record in self:
            record.deadline_department_id = record.mapped(self._gov_deadline_department_path)[:1]
            record.deadline_user_id = record.mapped(self._gov_deadline_user_path)[:1]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends(lambda self: self._gov_deadline_depends())
    def _compute_is_overdue(self):
        today = self._gov_today()
        late = self.filtered(lambda r: r.date_deadline and r.date_deadline < today)
        if late:
            late = late.filtered_domain(self._gov_deadline_open_domain())
        for record in self:
            record.is_overdue = record in late

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on 'Overdue'."))
        domain = expression.AND(
            [[("date_deadline", "<", self._gov_today())], self._gov_deadline_open_domain()]
        )
        if (operator == "=") == value:
            return domain
        return ["!"] + expression.normalize_domain(domain)

    @api.depends("date_deadline")
    def _compute_deadline_remaining_days(self):
        Calendar = self.env["gov.calendar.day"]
        today = self._gov_today()
        for record in self:
            record.deadline_remaining_days = (
                Calendar.working_days_between(today, record.date_deadline)
                if record.date_deadline
                else 0
            )

    # ------------------------------------------------------------------
    # Set-based access for supervision
    # ------------------------------------------------------------------
    @api.model
    def _gov_deadline_open_sql(self):
        """SQL condition on the model's table (``self._table``) true for the
        records whose deadline still runs. Models may override it with a
        hand-written condition on their own columns."""
        query = self.sudo().with_context(active_test=False)._search(
            self._gov_deadline_open_domain()
        )
        return SQL("%s IN %s", SQL.identifier(self._table, "id"), query.subselect())

    @api.model
    def _gov_overdue_sql(self, today=None):
        """SQL condition on ``self._table`` true for the overdue records."""
        return SQL(
            "%s < %s AND %s",
            SQL.identifier(self._table, "date_deadline"),
            today or self._gov_today(),
            self._gov_deadline_open_sql(),
        )
