# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import hashlib
import hmac

from odoo import api, fields, models
from odoo.tools import SQL

from .gov_center_time import center_today


class GovPolicyVisit(models.Model):
    """One visitor reading one policy document on one day.

    The visitor is kept only as a keyed hash of the address and the day: the
    IP address is never stored, and the hash of one day cannot be linked to the
    hash of another day. The browser plays no part: changing the User-Agent
    does not make a new visitor.
    """

    _name = "gov.policy.visit"
    _description = "Policy Document Visit"
    _order = "day desc, id desc"
    _log_access = False

    document_id = fields.Many2one(
        "gov.policy.document", required=True, index=True, ondelete="cascade"
    )
    day = fields.Date(required=True, index=True)
    visitor_hash = fields.Char(required=True)
    visit_count = fields.Integer(
        default=1, help="Visits represented by this row (1 for a visit counted on the website)."
    )

    _sql_constraints = [
        (
            "visitor_day_unique",
            "unique(document_id, day, visitor_hash)",
            "A visitor is counted once per document and day.",
        ),
    ]

    @api.model
    def _visitor_hash(self, ip, day):
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret", "")
        payload = f"gov.policy.visit|{day}|{ip or ''}"
        return hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest()

    @api.model
    def _count_visit(self, document, ip, day=None):
        """Count a visit of ``document`` unless this visitor was counted today.

        Returns True when the visit was counted. Two queries, whatever the
        number of visits already recorded.
        """
        day = day or center_today(self.env)
        visitor = self._visitor_hash(ip, day)
        self.env.cr.execute(
            SQL(
                """INSERT INTO gov_policy_visit (document_id, day, visitor_hash, visit_count)
                   VALUES (%s, %s, %s, 1)
                   ON CONFLICT (document_id, day, visitor_hash) DO NOTHING""",
                document.id,
                day,
                visitor,
            )
        )
        if not self.env.cr.rowcount:
            return False
        self.env.cr.execute(
            SQL(
                "UPDATE gov_policy_document SET visit_count = COALESCE(visit_count, 0) + 1 "
                "WHERE id = %s",
                document.id,
            )
        )
        document.invalidate_recordset(["visit_count"])
        return True
