# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import io

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import NOW, GovAttendanceCase

CSV = (
    "device code,punch id,badge,time,method\n"
    "DEV1,1,1001,2026-03-10 00:58:00,fingerprint\n"
    "DEV1,2,1001,2026-03-10 09:31:00,fingerprint\n"
    "DEV1,3,4444,2026-03-10 09:31:00,fingerprint\n"
    "NOPE,4,1001,2026-03-10 09:31:00,fingerprint\n"
    "DEV1,5,1002,2026/03/10 09:31,face\n"
)


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestAttendanceImport(GovAttendanceCase):
    def _wizard(self, data, filename="punches.csv", user=None):
        Wizard = self.env["gov.attendance.import.wizard"].with_user(user or self.user_admin)
        return Wizard.create({"file": base64.b64encode(data), "filename": filename})

    def test_preview_then_import_then_again(self):
        wizard = self._wizard(CSV.encode())
        wizard.action_preview()
        self.assertEqual(wizard.state, "preview")
        self.assertEqual(wizard.row_count, 5)
        self.assertIn("4444", wizard.preview_html)
        self.assertFalse(self.env["gov.attendance.punch"].search_count([]))  # preview writes nothing
        wizard.action_import()
        self.assertEqual((wizard.accepted_count, wizard.duplicate_count, wizard.rejected_count), (2, 0, 3))
        self.assertIn("Unknown terminal", wizard.report_html)
        self.assertIn("Unknown badge", wizard.report_html)
        attendance = self.emp1.last_attendance_id
        self.assertEqual(str(attendance.check_out), "2026-03-10 09:31:00")
        self.assertEqual(
            set(self.env["gov.attendance.punch"].search([]).mapped("source")), {"import"}
        )
        again = self._wizard(CSV.encode())
        again.action_import()
        self.assertEqual((again.accepted_count, again.duplicate_count), (0, 2))
        self.assertEqual(self.env["hr.attendance"].search_count([("employee_id", "=", self.emp1.id)]), 1)

    def test_xlsx_without_header(self):
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["DEV1", 7, 1002, "2026-03-10 01:00:00", "face"])
        sheet.append(["DEV1", 8, 1002, "2026-03-10 09:40:00", "face"])
        stream = io.BytesIO()
        book.save(stream)
        wizard = self._wizard(stream.getvalue(), "punches.xlsx")
        wizard.action_import()
        self.assertEqual(wizard.accepted_count, 2)
        self.assertTrue(self.emp2.last_attendance_id.check_out)

    @mute_logger("odoo.tools.mimetypes.guess_mimetype", "py.warnings")
    def test_bad_files(self):
        for data, name in ((b"", "a.csv"), (b"\x00\x01\x02", "a.csv"), (b"PK\x03\x04garbage", "a.xlsx"),
                           (b"\xff\xfe\xfa", "a.csv")):
            with self.subTest(name=name, data=data), self.assertRaises(UserError):
                self._wizard(data, name).action_import()
        self.assertFalse(self.env["gov.attendance.punch"].search_count([]))

    def test_only_admins_import(self):
        with self.assertRaises(AccessError):
            self._wizard(CSV.encode(), user=self.user_officer)
