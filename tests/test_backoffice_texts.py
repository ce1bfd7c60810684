# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re
from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import html2plaintext

from ..models.gov_points_ledger import CAUSE_PROVIDERS
from .common import DisciplineCase, GovServiceCenterCase

MODULE = "gov_service_center"
# two English words in a row: an English sentence
ENGLISH = re.compile(r"[A-Za-z]{2,}[ ,.:;()-]+[A-Za-z]{2,}")


def _load_chinese(env):
    env["res.lang"]._activate_lang("zh_CN")
    env["ir.module.module"]._load_module_terms([MODULE], ["zh_CN"], overwrite=True)


@tagged("post_install", "-at_install")
class TestStateLabels(GovServiceCenterCase):
    """A state reads as a state and a date as a date, in Chinese too."""

    def _module_fields(self):
        fields_data = self.env["ir.model.fields"].search(
            [("model_id.modules", "ilike", MODULE), ("ttype", "in", ("date", "datetime", "selection"))]
        )
        for field_data in fields_data:
            if field_data.model in self.env:
                field = self.env[field_data.model]._fields.get(field_data.name)
                if field is not None:
                    yield field

    def test_state_labels_are_not_date_labels(self):
        _load_chinese(self.env)
        zh = self.env(context={"lang": "zh_CN"})
        date_labels = set()
        selections = []
        for field in self._module_fields():
            if field.type in ("date", "datetime"):
                date_labels.add(field.string)
            elif field._module == "gov_service_center" and (
                field.name in ("state", "filing_state") or field.name.endswith("_state")
            ):
                selections.append(field)
        self.assertTrue(selections)
        problems = []
        for field in selections:
            labels = dict(field._description_selection(self.env))
            labels_zh = dict(field._description_selection(zh))
            for key, label in labels.items():
                if label in date_labels:
                    problems.append(f"{field}: '{label}' is also the label of a date")
                if re.search("(时间|日期)$", labels_zh[key]):
                    problems.append(f"{field}: {key} reads '{labels_zh[key]}' in Chinese")
        self.assertFalse(problems, "\n".join(problems))
        filing = dict(self.env["gov.intermediary"]._fields["filing_state"]._description_selection(zh))
        self.assertEqual(filing["submitted"], "已提交备案")


@tagged("post_install", "-at_install")
class TestReaderLanguage(DisciplineCase):
    """Texts the module writes read in their reader's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _load_chinese(cls.env)
        # a Chinese center: new contacts speak Chinese
        cls.env["ir.default"].set("res.partner", "lang", "zh_CN")
        # messages are logged in these tests
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        for user in cls.staff_users:
            user.lang = "zh_CN"

    def _assert_chinese(self, texts):
        english = [text for text in texts if ENGLISH.search(text or "")]
        self.assertFalse(english, "English sentences shown in Chinese: %s" % english)

    def test_chatter_lines_in_chinese(self):
        # written by a process running in English (a scheduled action, a terminal)
        env_en = self.env(context=dict(self.env.context, lang="en_US"))
        item = env_en["gov.approval.item"].create(self._item_vals())
        inspection = env_en["gov.inspection"].create(
            {"employee_id": self.staff[0].id, "date": date(2026, 3, 10), "rule_id": self.rule_phone.id}
        )
        inspection.action_confirm()
        messages = item.message_ids | inspection.message_ids
        bodies = [html2plaintext(body) for body in messages.mapped("body") if body]
        self.assertTrue(bodies)
        self._assert_chinese(bodies)
        self.assertIn("审批事项", " ".join(bodies))

    @freeze_time("2026-04-05 02:00:00")
    def test_ledger_causes_in_reader_language(self):
        self._inspection(self.staff[0], day=date(2026, 3, 10))
        ledgers = self.env["gov.points.ledger"].with_context(lang="en_US").compute_month(date(2026, 3, 1))
        lines = ledgers.line_ids
        self.assertTrue(lines)
        # stored as a key and parameters, worded at display
        self.assertTrue(all(line.cause_code for line in lines))
        zh_lines = lines.with_context(lang="zh_CN")
        self._assert_chinese(zh_lines.mapped("cause_label"))
        self.assertIn("监督检查", zh_lines[0].cause_label)
        self.assertIn("Inspection", lines.with_context(lang="en_US")[0].cause_label)
        # every cause of every provider is worded in Chinese
        samples = {
            "gov.attendance.day": [("late", {"minutes": 5}), ("early", {"minutes": 7}),
                                   ("missed_punch", {"count": 1}), ("absent", {"count": 2})],
            "gov.inspection": [("inspection", {"ref": "JC0001"}),
                               ("inspection_rule", {"ref": "JC0001", "rule": "上班迟到"})],
            "gov.service.rating": [("rating_bad", {"level": 1}), ("rating_good", {})],
            "gov.case": [("case_overdue", {"case": "51140020260302000001",
                                           "deadline": "2026-03-16"})],
            "gov.supervision.alert": [
                ("supervision_yellow", {"rule": "late_delivery", "record": "51140020260302000001"}),
                ("supervision_red", {"rule": "deadline_red", "record": "51140020260302000001"}),
            ],
        }
        self.assertEqual(set(samples), set(CAUSE_PROVIDERS))
        for model_name, causes in samples.items():
            labels = self.env[model_name].with_context(lang="zh_CN")._gov_ledger_cause_labels(causes)
            self.assertTrue(all(labels), model_name)
            self._assert_chinese(labels)
        # a manual bonus keeps the words of the administrator
        bonus = self.env["gov.points.ledger.line"].create(
            {"ledger_id": ledgers[0].id, "cause_label": "Praise letter", "points": 2}
        )
        self.assertEqual(bonus.cause, "Praise letter")
        self.assertEqual(bonus.with_context(lang="zh_CN").cause_label, "Praise letter")
