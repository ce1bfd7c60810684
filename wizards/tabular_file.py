# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Reading the CSV and XLSX files uploaded to the import wizards."""
import csv
import io

from odoo.exceptions import UserError

try:
    import openpyxl
except ImportError:  # pragma: no cover - openpyxl is an Odoo requirement
    openpyxl = None


def is_xlsx(data, filename):
    return (filename or "").lower().endswith(".xlsx") or data[:2] == b"PK"


def read_tabular_file(env, data, filename, max_rows=None):
    """Return the rows of an uploaded CSV or XLSX file, header first.

    CSV files may be UTF-8 (with or without BOM) or GB 18030 (Excel's
    default in China); the delimiter (comma, semicolon or tab) is detected.
    XLSX cells keep their Python types (dates, numbers), CSV cells are
    strings. Unreadable files raise a translated UserError.
    """
    rows = _read_xlsx(env, data) if is_xlsx(data, filename) else _read_csv(env, data)
    return rows[:max_rows] if max_rows else rows


def _read_csv(env, data):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UserError(env._("The file is neither UTF-8 nor GB 18030 text."))
    if "\x00" in text:
        raise UserError(env._("The file contains NUL characters: it is not a CSV file."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:
        raise UserError(env._("The CSV file cannot be read: %(error)s", error=exc)) from exc


def _read_xlsx(env, data):
    if openpyxl is None:
        raise UserError(env._("Reading XLSX files needs the openpyxl library."))
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    except Exception as exc:  # noqa: BLE001 - any corrupt or foreign file
        raise UserError(env._("The XLSX file cannot be read.")) from exc
