# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class GovMailboxLeader(models.Model):
    """A leader citizens can write to through the leader mailbox."""

    _name = "gov.mailbox.leader"
    _description = "Leader Mailbox Addressee"
    _order = "sequence, id"

    name = fields.Char(required=True)
    title = fields.Char(string="Position", translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    employee_id = fields.Many2one("hr.employee", index="btree_not_null")
    user_id = fields.Many2one(
        "res.users", string="Letters Handled By",
        help="Officer who receives the letters addressed to this leader.",
    )
