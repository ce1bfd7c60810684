# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Import of the yearly third-party evaluation results (CSV or XLSX)."""
import base64

from odoo import fields, models
from odoo.exceptions import UserError

from ..models.gov_center_time import center_today
from ..models.gov_intermediary import normalize_uscc
from .tabular_file import read_tabular_file

MAX_ROWS = 5000
USCC_HEADERS = {"uscc", "统一社会信用代码"}
SCORE_HEADERS = {"score", "得分", "分数"}
COMMENT_HEADERS = {"comment", "备注", "评价"}


class GovIntermediaryEvaluationImport(models.TransientModel):
    _name = "gov.intermediary.evaluation.import"
    _description = "Import Third-Party Evaluation Results"

    year = fields.Integer(
        required=True, default=lambda self: center_today(self.env).year - 1
    )
    evaluator = fields.Char(
        string="Third Party", required=True, help="Body that carried out the survey."
    )
    file = fields.Binary(attachment=False)
    filename = fields.Char()
    report = fields.Text(string="Rejected Rows", readonly=True)

    # ------------------------------------------------------------------
    # Reading
    # ------------------------------------------------------------------
    def _read_rows(self):
        """Return the rows of the file as lists of strings (header first)."""
        raw = base64.b64decode(self.file or b"")
        if not raw:
            raise UserError(self.env._("Choose a non-empty CSV or XLSX file."))
        name = (self.filename or "").lower()
        if not name.endswith((".csv", ".xlsx")):
            raise UserError(self.env._("Choose a CSV or XLSX file."))
        return [
            ["" if cell is None else str(cell).strip() for cell in row]
            for row in read_tabular_file(self.env, raw, name, MAX_ROWS + 2)
        ]

    @staticmethod
    def _column(header, names):
        for index, title in enumerate(header):
            if title.strip().lower() in names:
                return index
        return None

    def _parse(self):
        """Return ``(vals_list, errors)``."""
        rows = [row for row in self._read_rows() if any(row)]
        if not rows:
            raise UserError(self.env._("The file is empty."))
        if len(rows) > MAX_ROWS + 1:
            raise UserError(
                self.env._("The file has more than %(max)s rows.", max=MAX_ROWS)
            )
        header, lines = rows[0], rows[1:]
        uscc_col = self._column(header, USCC_HEADERS)
        score_col = self._column(header, SCORE_HEADERS)
        comment_col = self._column(header, COMMENT_HEADERS)
        if uscc_col is None or score_col is None:
            raise UserError(
                self.env._("The first row must name the columns 'uscc' and 'score'.")
            )
        usccs = {
            normalize_uscc(row[uscc_col]) for row in lines if len(row) > uscc_col
        }
        intermediaries = {
            intermediary.uscc: intermediary
            for intermediary in self.env["gov.intermediary"].with_context(
                active_test=False
            ).search([("uscc", "in", list(usccs))])
        }
        vals_list, errors, seen = [], [], set()
        for number, row in enumerate(lines, start=2):
            cell = lambda col: row[col] if col is not None and len(row) > col else ""  # noqa: E731
            uscc = normalize_uscc(cell(uscc_col))
            intermediary = intermediaries.get(uscc)
            if not intermediary:
                errors.append(
                    self.env._("Row %(row)s: unknown USCC %(uscc)s.", row=number, uscc=uscc or "-")
                )
                continue
            try:
                score = float(cell(score_col).replace(",", "."))
            except ValueError:
                score = None
            if score is None or not 0 <= score <= 100:
                errors.append(
                    self.env._(
                        "Row %(row)s: the score must be a number from 0 to 100.", row=number
                    )
                )
                continue
            if uscc in seen:
                errors.append(
                    self.env._("Row %(row)s: %(uscc)s appears twice.", row=number, uscc=uscc)
                )
                continue
            seen.add(uscc)
            vals_list.append(
                {
                    "intermediary_id": intermediary.id,
                    "year": self.year,
                    "source": "third_party",
                    "score": score,
                    "evaluator": self.evaluator,
                    "comment": cell(comment_col)[:2000] or False,
                }
            )
        if not vals_list and not errors:
            errors.append(self.env._("The file has no result row."))
        return vals_list, errors

    def action_import(self):
        self.ensure_one()
        if not 2000 <= self.year <= 2100:
            raise UserError(self.env._("%(year)s is not a valid year.", year=self.year))
        vals_list, errors = self._parse()
        if errors:
            self.report = "\n".join(
                [self.env._("Nothing was imported. Correct these rows and try again:")] + errors
            )
            return {
                "type": "ir.actions.act_window",
                "res_model": self._name,
                "res_id": self.id,
                "view_mode": "form",
                "target": "new",
            }
        evaluations = self.env["gov.intermediary.evaluation"].create(vals_list)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Imported Evaluations"),
            "res_model": "gov.intermediary.evaluation",
            "view_mode": "list,form",
            "domain": [("id", "in", evaluations.ids)],
        }
