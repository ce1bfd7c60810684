# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
from collections import defaultdict
from datetime import datetime

from markupsafe import Markup, escape

from odoo import fields, models
from odoo.exceptions import UserError

from .tabular_file import read_tabular_file


MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 200000
PREVIEW_ROWS = 20
COLUMNS = ["device", "id", "badge", "time", "method"]
HEADER_ALIASES = {
    "device": "device", "device code": "device", "terminal": "device", "设备编号": "device",
    "id": "id", "punch id": "id", "记录号": "id",
    "badge": "badge", "badge id": "badge", "工号": "badge",
    "time": "time", "打卡时间": "time",
    "method": "method", "方式": "method",
}


class GovAttendanceImportWizard(models.TransientModel):
    """Import a punch file exported by a terminal (CSV or XLSX).

    Columns: device code, punch id, badge, time (UTC, YYYY-MM-DD HH:MM:SS),
    method. The rows go through the same ingestion as the terminal endpoint,
    so a file imported twice creates nothing the second time.
    """

    _name = "gov.attendance.import.wizard"
    _description = "Import Attendance Punches"

    file = fields.Binary(required=True)
    filename = fields.Char()
    state = fields.Selection(
        [("upload", "Upload"), ("preview", "Preview"), ("done", "Done")], default="upload"
    )
    row_count = fields.Integer(readonly=True)
    preview_html = fields.Html(readonly=True, sanitize=True)
    accepted_count = fields.Integer(readonly=True)
    duplicate_count = fields.Integer(readonly=True)
    rejected_count = fields.Integer(readonly=True)
    report_html = fields.Html(readonly=True, sanitize=True)

    # ------------------------------------------------------------------
    def _read_rows(self):
        """Return the rows as dicts with the keys of COLUMNS (plus ``line``)."""
        self.ensure_one()
        if not self.file:
            raise UserError(self.env._("Choose the file exported by the terminal."))
        data = base64.b64decode(self.file)
        if len(data) > MAX_FILE_BYTES:
            raise UserError(self.env._("The file is larger than 10 MB: split it."))
        rows = read_tabular_file(self.env, data, self.filename)
        if not rows:
            raise UserError(self.env._("The file is empty."))
        header = [HEADER_ALIASES.get(str(cell or "").strip().lower()) for cell in rows[0]]
        if set(COLUMNS) <= set(header):
            positions = {key: header.index(key) for key in COLUMNS}
            rows = rows[1:]
            first_line = 2
        else:
            positions = {key: index for index, key in enumerate(COLUMNS)}
            first_line = 1
        if len(rows) > MAX_ROWS:
            raise UserError(self.env._("The file has more than 200,000 lines: split it."))
        result = []
        for offset, row in enumerate(rows):
            if not any(cell not in (None, "") for cell in row):
                continue
            values = {"line": first_line + offset}
            for key, position in positions.items():
                cell = row[position] if position < len(row) else None
                if isinstance(cell, datetime):
                    cell = cell.strftime("%Y-%m-%d %H:%M:%S")
                elif isinstance(cell, float) and cell.is_integer():
                    cell = str(int(cell))
                elif cell is not None:
                    cell = str(cell).strip()
                values[key] = cell
            result.append(values)
        return result

    # ------------------------------------------------------------------
    def _html_table(self, headers, rows):
        head = Markup("").join(Markup("<th>%s</th>") % h for h in headers)
        body = Markup("").join(
            Markup("<tr>%s</tr>") % Markup("").join(Markup("<td>%s</td>") % escape(c or "") for c in row)
            for row in rows
        )
        return Markup('<table class="table table-sm"><thead><tr>%s</tr></thead><tbody>%s</tbody></table>') % (head, body)

    def action_preview(self):
        self.ensure_one()
        rows = self._read_rows()
        headers = [self.env._("Line"), self.env._("Terminal"), self.env._("Punch ID"),
                   self.env._("Badge"), self.env._("Time"), self.env._("Method")]
        self.write({
            "state": "preview",
            "row_count": len(rows),
            "preview_html": self._html_table(
                headers, [[str(r["line"])] + [r[key] for key in COLUMNS] for r in rows[:PREVIEW_ROWS]]
            ),
        })
        return self._reopen()

    def action_import(self):
        self.ensure_one()
        rows = self._read_rows()
        by_device = defaultdict(list)
        for row in rows:
            by_device[row["device"]].append(row)
        devices = {
            device.code: device
            for device in self.env["gov.attendance.device"].search(
                [("code", "in", [code for code in by_device if code])]
            )
        }
        Punch = self.env["gov.attendance.punch"]
        accepted = duplicates = 0
        rejected_rows = []
        for code, device_rows in by_device.items():
            device = devices.get(code)
            if not device:
                rejected_rows += [(row, "unknown_device") for row in device_rows]
                continue
            line_by_ref = {}
            for row in device_rows:
                line_by_ref.setdefault(row["id"], row)
            result = Punch._gov_ingest(
                device,
                [{key: row[key] for key in ("id", "badge", "time", "method")} for row in device_rows],
                source="import",
            )
            accepted += result["accepted"]
            duplicates += len(result["duplicates"])
            for item in result["rejected"]:
                row = line_by_ref.get(item["id"]) or {"line": "", "device": code, "id": item["id"]}
                rejected_rows.append((row, item["reason"]))
        labels = dict(Punch._fields["reason"]._description_selection(self.env))
        labels["unknown_device"] = self.env._("Unknown terminal")
        rejected_rows.sort(key=lambda pair: pair[0].get("line") or 0)
        self.write({
            "state": "done",
            "accepted_count": accepted,
            "duplicate_count": duplicates,
            "rejected_count": len(rejected_rows),
            "report_html": self._html_table(
                [self.env._("Line"), self.env._("Terminal"), self.env._("Punch ID"), self.env._("Reason")],
                [[str(row.get("line", "")), row.get("device"), row.get("id"), labels.get(reason, reason)]
                 for row, reason in rejected_rows[:1000]],
            ),
        })
        return self._reopen()

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
