# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL

from .gov_center_time import center_today
from .gov_settings import get_setting

DEADLINE_LIGHT_SELECTION = [
    ("green", "Green"),
    ("yellow", "Yellow"),
    ("red", "Red"),
]


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
    deadline_light = fields.Selection(
        DEADLINE_LIGHT_SELECTION,
        string="Supervision Light",
        compute="_compute_deadline_light",
        search="_search_deadline_light",
        help="Electronic supervision of the deadline of an open record: green while "
        "more working days are left than the warning days, yellow from then on, red "
        "once the deadline has passed. Empty when the record is closed or has no deadline.",
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

    @api.model
    def _gov_warning_date(self, today=None):
        """Last deadline that shows a yellow light today: the day ``N``
        working days after today (``N`` = the warning days setting)."""
        today = today or self._gov_today()
        days = get_setting(self.env, "supervision_warning_days")
        return self.env["gov.calendar.day"].add_working_days(today, days)

    @api.depends(lambda self: self._gov_deadline_depends())
    def _compute_deadline_light(self):
        today = self._gov_today()
        warning = self._gov_warning_date(today)
        running = self.filtered("date_deadline")
        if running:
            running = running.filtered_domain(self._gov_deadline_open_domain())
        for record in self:
            if record not in running:
                record.deadline_light = False
            elif record.date_deadline < today:
                record.deadline_light = "red"
            elif record.date_deadline <= warning:
                record.deadline_light = "yellow"
            else:
                record.deadline_light = "green"

    @api.model
    def _gov_light_domain(self, light, today=None):
        today = today or self._gov_today()
        if light == "red":
            bounds = [("date_deadline", "<", today)]
        elif light == "yellow":
            bounds = [("date_deadline", ">=", today),
                      ("date_deadline", "<=", self._gov_warning_date(today))]
        elif light == "green":
            bounds = [("date_deadline", ">", self._gov_warning_date(today))]
        else:
            return expression.FALSE_DOMAIN
        return expression.AND([bounds, self._gov_deadline_open_domain()])

    def _search_deadline_light(self, operator, value):
        if operator in ("=", "!=") and not value:
            # no light: closed or without deadline
            lit = expression.OR([self._gov_light_domain(light) for light, _ in DEADLINE_LIGHT_SELECTION])
            return ["!"] + expression.normalize_domain(lit) if operator == "=" else lit
        if operator in ("=", "!="):
            values = [value]
        elif operator in ("in", "not in") and isinstance(value, (list, tuple, set)):
            values = list(value)
        else:
            raise UserError(self.env._("Unsupported search on 'Supervision Light'."))
        domain = expression.OR([self._gov_light_domain(light) for light in values if light]) \
            if any(values) else expression.FALSE_DOMAIN
        if False in values:
            domain = expression.OR([domain, self._search_deadline_light("=", False)])
        if operator in ("!=", "not in"):
            return ["!"] + expression.normalize_domain(domain)
        return domain

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
        if query.is_empty():
            return SQL("FALSE")
        if not query._joins and len(query._tables) == 1:
            # a condition on the table's own columns: no sub-select to scan
            return SQL("(%s)", query.where_clause) if query.where_clause else SQL("TRUE")
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

    @api.model
    def _gov_supervision_conditions(self, today, warning):
        """``[(rule, level, SQL condition on self._table)]`` of the electronic
        supervision rules of the model (see ``gov.supervision.alert``): the
        deadline near (``warning`` is the last deadline with a yellow light)
        and the deadline passed. Models add their own rules."""
        deadline = SQL.identifier(self._table, "date_deadline")
        is_open = self._gov_deadline_open_sql()
        return [
            ("deadline_yellow", "warning",
             SQL("%s >= %s AND %s <= %s AND %s", deadline, today, deadline, warning, is_open)),
            ("deadline_red", "red", SQL("%s < %s AND %s", deadline, today, is_open)),
        ]
