# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class GovConsultationTemplate(models.Model):
    _name = "gov.consultation.template"
    _description = "Consultation Answer Template"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(
        [("consultation", "Online Consultation"), ("mailbox", "Leader Mailbox")],
        help="Leave empty for both.",
    )
    body = fields.Text(required=True, translate=True)
