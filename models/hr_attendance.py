# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

PUNCH_METHOD_SELECTION = [
    ("fingerprint", "Fingerprint"),
    ("face", "Face Recognition"),
    ("kiosk", "Kiosk"),
    ("manual", "Manual"),
    ("other", "Other"),
]


class HrAttendance(models.Model):
    _inherit = "hr.attendance"

    gov_punch_method = fields.Selection(
        PUNCH_METHOD_SELECTION,
        string="Punch Method",
        default="manual",
        help="How the check-in was taken: attendance terminal (fingerprint, face), "
        "kiosk, or entered by hand.",
    )
    gov_device_id = fields.Many2one(
        "gov.attendance.device",
        string="Attendance Terminal",
        index="btree_not_null",
        ondelete="restrict",
        readonly=True,
    )
