# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import contextlib
import hashlib
import hmac
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL


def _lock_id(key):
    """A signed 64-bit integer for ``pg_advisory_xact_lock`` from a text key."""
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)


# Keys counted here that are not citizen forms: queue tickets taken on the
# website are limited per address, but do not make the next form ask the
# verification question.
NOT_FORM_KEYS = ("hall_ticket", "hall_ticket_priority")


class GovFormSubmission(models.Model):
    """Accepted submissions of the public forms, kept for rate limiting and
    to make the forms idempotent.

    Neither the phone number nor any other personal data is stored: the phone
    is kept as a keyed hash, the IP address for two days at most. Each
    rendered form carries a one-time submission key: the row of an accepted
    submission holds it (unique) with the record it created, so a replay of
    the same form shows the same answer instead of creating a second record.
    """

    _name = "gov.form.submission"
    _description = "Public Form Submission (rate limiting)"
    _order = "id desc"
    _log_access = False

    form_key = fields.Char(required=True, index=True)
    ip = fields.Char(string="IP Address", index=True)
    phone_hash = fields.Char(index="btree_not_null")
    scope = fields.Char(
        index="btree_not_null",
        help="What the submission is about when it is limited on its own, "
        "e.g. the window of a window rating.",
    )
    submission_key = fields.Char(index=True, readonly=True)
    res_model = fields.Char(string="Document Model", readonly=True)
    res_id = fields.Many2oneReference(
        string="Document", model_field="res_model", readonly=True
    )
    create_date = fields.Datetime(
        default=fields.Datetime.now, required=True, index=True, readonly=True
    )

    _sql_constraints = [
        (
            "submission_key_unique",
            "unique(submission_key)",
            "This form has already been sent.",
        ),
    ]

    @api.model
    def _hash_phone(self, phone):
        phone = "".join(ch for ch in (phone or "") if ch.isdigit())
        if not phone:
            return False
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret", "")
        return hmac.new(secret.encode(), phone.encode(), hashlib.sha256).hexdigest()

    @api.model
    def _count(self, since, form_key=None, ip=None, phone_hash=None, scope=None, forms_only=False):
        """Submissions since ``since`` matching the given criteria
        (``forms_only``: citizen forms, not queue tickets taken on the website)."""
        domain = [("create_date", ">=", since)]
        if form_key:
            domain.append(("form_key", "=", form_key))
        if forms_only:
            domain.append(("form_key", "not in", NOT_FORM_KEYS))
        if ip:
            domain.append(("ip", "=", ip))
        if phone_hash:
            domain.append(("phone_hash", "=", phone_hash))
        if scope:
            domain.append(("scope", "=", scope))
        return self.sudo().search_count(domain)

    # ------------------------------------------------------------------
    # Concurrency
    # ------------------------------------------------------------------
    @api.model
    def _lock(self, keys):
        """Serialise the submissions sharing one of ``keys`` (address, phone,
        submission key) until the end of the transaction. The locks are taken
        in a fixed order, so two requests never wait for each other."""
        for key in sorted({key for key in keys if key}):
            self.env.cr.execute(SQL("SELECT pg_advisory_xact_lock(%s)", _lock_id(key)))

    @api.model
    @contextlib.contextmanager
    def _committed_cursor(self):
        """A cursor on a new transaction, started after the locks of
        :meth:`_lock` are held: it sees every submission committed by the
        requests that held them before, which the snapshot of the current
        (repeatable read) transaction does not. Only plain SQL is run on it."""
        with self.env.registry.cursor() as cr:
            yield cr

    @api.model
    def _count_condition(
        self, since, form_key=None, ip=None, phone_hash=None, scope=None, forms_only=False
    ):
        conditions = [SQL("create_date >= %s", since)]
        if forms_only:
            conditions.append(SQL("form_key NOT IN %s", NOT_FORM_KEYS))
        for name, value in (
            ("form_key", form_key), ("ip", ip), ("phone_hash", phone_hash), ("scope", scope)
        ):
            if value:
                conditions.append(SQL("%s = %s", SQL.identifier(name), value))
        return SQL(" AND ").join(conditions)

    @api.model
    def _committed_counts(self, checks):
        """Counts of ``checks`` (list of ``_count`` keyword dicts) over the
        committed submissions, in one query (see :meth:`_committed_cursor`)."""
        if not checks:
            return []
        columns = SQL(", ").join(
            SQL("count(*) FILTER (WHERE %s)", self._count_condition(**check)) for check in checks
        )
        with self._committed_cursor() as cr:
            cr.execute(SQL("SELECT %s FROM %s", columns, SQL.identifier(self._table)))
            return list(cr.fetchone())

    @api.model
    def _replay_values(self, submission_key):
        """What an accepted submission of ``submission_key`` answered
        (``{"res_model", "res_id", "query_code", ...}``), or None."""
        if not submission_key:
            return None
        with self._committed_cursor() as cr:
            cr.execute(
                SQL(
                    "SELECT res_model, res_id FROM %s WHERE submission_key = %s LIMIT 1",
                    SQL.identifier(self._table),
                    submission_key,
                )
            )
            row = cr.fetchone()
            if not row:
                return None
            res_model, res_id = row
            values = {"res_model": res_model, "res_id": res_id}
            if res_model not in self.env or not res_id:
                return values
            Model = self.env[res_model]
            names = [
                name
                for name in ("query_code", "date_deadline", "kind")
                if name in Model._fields and Model._fields[name].store
            ]
            if names:
                cr.execute(
                    SQL(
                        "SELECT %s FROM %s WHERE id = %s",
                        SQL(", ").join(SQL.identifier(name) for name in names),
                        SQL.identifier(Model._table),
                        res_id,
                    )
                )
                row = cr.fetchone()
                if row:
                    values.update(zip(names, row))
            return values

    @api.model
    def _cron_purge(self):
        """Forget submissions older than two days (IP addresses are personal data)."""
        limit = fields.Datetime.now() - timedelta(days=2)
        self.sudo().search([("create_date", "<", limit)]).unlink()
