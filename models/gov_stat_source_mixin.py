# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Sources of the monthly statistics (``gov.stat.monthly``).

A model feeds the monthly statistics by inheriting ``gov.stat.source.mixin``
and returning from :meth:`~GovStatSourceMixin._gov_stat_sources` one
:class:`StatSource` per kind of figure it contributes, e.g.::

    class GovCase(models.Model):
        _inherit = ["gov.case", "gov.stat.source.mixin"]

        def _gov_stat_sources(self):
            return [StatSource(
                source="case", date_field="date_received",
                dims={"item_id": SQL("s.item_id")},
                measures={"case_count": SQL("COUNT(*)"),
                          "case_overdue_count": SQL("COUNT(*) FILTER (WHERE s.is_overdue)")},
                fields=("date_received", "department_id", "item_id", "is_overdue"),
            )]

plus the selection value ``case`` and the measure fields on
``gov.stat.monthly``. Everything else (marking changed months, refreshing
them, the full rebuild) is done here and in ``gov.stat.monthly``.

The mixin marks the (source, month, department) keys touched by every
creation, low-level write (including recomputed stored fields) and deletion
in ``gov_stat_monthly_dirty``, in the same transaction, with one
``INSERT … SELECT`` per source: no Python loop over the records.
"""
from dataclasses import dataclass, field

from odoo import api, models
from odoo.tools import SQL

from .gov_center_time import center_tz


@dataclass(frozen=True)
class StatSource:
    """How one model feeds ``gov.stat.monthly``.

    All SQL expressions use the alias ``s`` for the model's table (and the
    aliases of ``joins``).

    * ``source``: the value of ``gov.stat.monthly.source`` of the rows;
    * ``date_field``: the Date or Datetime field giving the month (a
      Datetime is read in the center's time zone);
    * ``department``: the expression of the department;
    * ``dims``: more key columns of ``gov.stat.monthly`` (``item_id``,
      ``window_id``, ``kind``) and their expressions;
    * ``measures``: measure columns of ``gov.stat.monthly`` and their
      aggregate expressions;
    * ``where``: the records counted (the others still mark their month);
    * ``fields``: the fields whose change may change a figure;
    * ``key_fields``: among them, those that may move a record to another
      month or department (defaults to the date field and ``department_id``).
    """

    source: str
    date_field: str
    measures: dict
    fields: tuple
    department: SQL = field(default_factory=lambda: SQL("s.department_id"))
    dims: dict = field(default_factory=dict)
    joins: SQL = field(default_factory=SQL)
    where: SQL = field(default_factory=lambda: SQL("TRUE"))
    key_fields: tuple = ()

    def all_key_fields(self):
        return set(self.key_fields) | {self.date_field, "department_id"}


# ids created in the transaction, whose keys are marked once after creation
SKIP_KEY = "gov_stat_skip"


class GovStatSourceMixin(models.AbstractModel):
    _name = "gov.stat.source.mixin"
    _description = "Source of Monthly Statistics"

    @api.model
    def _gov_stat_sources(self):
        """The :class:`StatSource` specifications of the model."""
        return []

    # ------------------------------------------------------------------
    # SQL helpers (also used by gov.stat.monthly)
    # ------------------------------------------------------------------
    @api.model
    def _gov_stat_month_sql(self, spec):
        """Expression of the center's month (first day) of a record."""
        column = SQL.identifier("s", spec.date_field)
        if self._fields[spec.date_field].type == "datetime":
            local = SQL("(%s AT TIME ZONE 'UTC' AT TIME ZONE %s)", column, center_tz(self.env).zone)
            return SQL("date_trunc('month', %s)::date", local)
        return SQL("date_trunc('month', %s)::date", column)

    @api.model
    def _gov_stat_from_sql(self, spec):
        return SQL("%s AS s %s", SQL.identifier(self._table), spec.joins)

    def _gov_stat_mark(self, specs):
        """Mark the keys of the records of ``self`` (as stored now) dirty."""
        ids = list(self._ids)
        if not ids or not specs:
            return
        for spec in specs:
            month = self._gov_stat_month_sql(spec)
            self.env.cr.execute(SQL(
                """INSERT INTO gov_stat_monthly_dirty (source, month, department_id)
                   SELECT DISTINCT %(source)s, %(month)s, %(department)s
                     FROM %(from)s
                    WHERE s.id = ANY(%(ids)s) AND %(month)s IS NOT NULL""",
                source=spec.source,
                month=month,
                department=spec.department,
                ids=ids,
                **{"from": self._gov_stat_from_sql(spec)},
            ))

    def _gov_stat_specs_for(self, fnames):
        fnames = set(fnames)
        return [spec for spec in self._gov_stat_sources() if fnames & set(spec.fields)]

    # ------------------------------------------------------------------
    # CRUD hooks
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        specs = self._gov_stat_sources()
        if specs and records:
            # write the computed keys first, then mark them once
            skip = self.env.cr.cache.setdefault(SKIP_KEY, {}).setdefault(self._name, set())
            skip.update(records._ids)
            try:
                records.flush_recordset()
            finally:
                skip.difference_update(records._ids)
            records._gov_stat_mark(specs)
        return records

    def _write_multi(self, vals_list):
        # every UPDATE goes through here, recomputed stored fields included
        fnames = {fname for vals in vals_list for fname in vals}
        specs = self._gov_stat_specs_for(fnames)
        skip = self.env.cr.cache.get(SKIP_KEY, {}).get(self._name)
        records = self.browse([id_ for id_ in self._ids if id_ not in skip]) if skip else self
        if not specs or not records:
            return super()._write_multi(vals_list)
        records._gov_stat_mark(specs)
        result = super()._write_multi(vals_list)
        moved = [spec for spec in specs if fnames & spec.all_key_fields()]
        records._gov_stat_mark(moved)
        return result

    def unlink(self):
        specs = self._gov_stat_sources()
        if specs and self:
            self.flush_recordset()
            self._gov_stat_mark(specs)
        return super().unlink()
