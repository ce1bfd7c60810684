# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.tools.sql import create_index

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

    def init(self):
        super().init()
        # the attendance lists sort by check-in, latest first (the model's
        # _order); core declares no index on check_in
        create_index(
            self.env.cr, "hr_attendance_check_in_desc_idx", self._table,
            ["check_in DESC", "id DESC"],
        )
