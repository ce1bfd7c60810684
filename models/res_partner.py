# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    gov_notify_opt_out = fields.Boolean(
        string="No Service Center Notifications",
        help="The person asked not to receive any notification of the service center "
        "(e-mail, portal message, text message).",
    )
    gov_notify_opt_out_sms = fields.Boolean(
        string="No Service Center Text Messages",
        help="The person asked not to receive text messages of the service center.",
    )
