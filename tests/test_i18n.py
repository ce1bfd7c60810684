# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import os

import polib

from odoo.exceptions import ValidationError
from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

MODULE = "gov_service_center"


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    """zh_CN must cover every term of the module, as the module grows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.i18n_dir = os.path.join(get_module_path(MODULE), "i18n")

    def _module_terms(self):
        """Source terms of the module's code, views and data (demo data excluded:
        it is written in Chinese)."""
        reader = TranslationModuleReader(self.env.cr, [MODULE])
        terms = set()
        for module, term_type, _name, res_id, source, _value, _comments in reader:
            if module != MODULE or not (source or "").strip():
                continue
            if term_type in ("model", "model_terms") and str(res_id).endswith("_demo"):
                continue
            terms.add(source)
        return terms

    def test_zh_cn_complete(self):
        po = polib.pofile(os.path.join(self.i18n_dir, "zh_CN.po"))
        self.assertEqual(po.metadata.get("Language"), "zh_CN")
        translated = {
            entry.msgid: entry.msgstr
            for entry in po
            if not entry.obsolete and "fuzzy" not in entry.flags
        }
        terms = self._module_terms()
        self.assertGreater(len(terms), 100)
        missing = sorted(term for term in terms if not translated.get(term, "").strip())
        self.assertFalse(
            missing,
            "zh_CN.po lacks %d translations, e.g.:\n%s" % (len(missing), "\n".join(missing[:40])),
        )

    def test_pot_matches_terms(self):
        pot = polib.pofile(os.path.join(self.i18n_dir, f"{MODULE}.pot"))
        self.assertFalse([entry.msgid for entry in pot if entry.msgstr])
        missing = self._module_terms() - {entry.msgid for entry in pot}
        self.assertFalse(sorted(missing)[:40], "the .pot file is out of date")

    def test_errors_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms([MODULE], ["zh_CN"], overwrite=True)
        department = self.env["hr.department"].create({"name": "Test"})
        Item = self.env["gov.approval.item"].with_context(lang="zh_CN")
        with self.assertRaises(ValidationError) as error:
            Item.create(
                {
                    "name": "Test",
                    "department_id": department.id,
                    "statutory_days": 5,
                    "promised_days": 9,
                }
            )
        self.assertIn("承诺", str(error.exception))
        action = self.env.ref(f"{MODULE}.gov_approval_item_action").with_context(lang="zh_CN")
        self.assertNotEqual(action.name, "Approval Items")
