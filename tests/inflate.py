# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Inflate tables in SQL from their own rows, for the query-plan tests and
the scale benchmark (bench/bench_scale.py loads this file by its path: it
imports nothing from Odoo, only needs a DB-API cursor).

``inflate(cr, table, count, overrides)`` inserts ``count`` rows into
``table`` in one ``INSERT ... SELECT`` over ``generate_series(1, count)``:
row ``g`` copies every column (but ``id``, which takes the sequence's next
value) of the source rows taken in turn, and ``overrides`` gives SQL
expressions for the columns that must differ, in terms of ``g`` (1..count)
and ``s`` (the source row). Constraints and indexes stay in place: unique
columns and constrained values must be overridden with valid values.
"""
import re

_IDENTIFIER_RE = re.compile(r"^[a-z_][a-z0-9_]*$")


def _identifier(name):
    if not _IDENTIFIER_RE.match(name):
        raise ValueError(f"not a plain SQL identifier: {name!r}")
    return f'"{name}"'


def table_columns(cr, table):
    """The stored columns of ``table`` but ``id``."""
    cr.execute(
        """SELECT column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = %s
              AND column_name <> 'id' AND is_generated = 'NEVER'
            ORDER BY ordinal_position""",
        (table,),
    )
    return [name for (name,) in cr.fetchall()]


def inflate(cr, table, count, overrides=None, source_where="TRUE"):
    """Insert ``count`` rows copied from the rows of ``table`` matching
    ``source_where`` (an SQL condition on ``t``), with ``overrides``
    ({column: SQL expression of ``g`` and ``s``}). Return the number of
    rows inserted (0 when there is no source row)."""
    count = int(count)
    overrides = dict(overrides or {})
    if count <= 0:
        return 0
    columns = table_columns(cr, table)
    unknown = set(overrides) - set(columns)
    if unknown:
        raise ValueError(f"unknown columns of {table}: {sorted(unknown)}")
    quoted_table = _identifier(table)
    names = ", ".join(_identifier(column) for column in columns)
    values = ", ".join(
        f"({overrides[column]})" if column in overrides else f"s.{_identifier(column)}"
        for column in columns
    )
    cr.execute(
        f"""WITH src AS (
                SELECT row_number() OVER (ORDER BY t.id) - 1 AS gsc_rn, t.*
                  FROM {quoted_table} t WHERE {source_where}
            ), n AS (SELECT count(*) AS total FROM src)
            INSERT INTO {quoted_table} ({names})
            SELECT {values}
              FROM generate_series(1, {count}) AS g
              JOIN n ON n.total > 0
              JOIN src s ON s.gsc_rn = (g - 1) % n.total"""
    )
    return cr.rowcount
