# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import GovServiceCenterCase


@tagged("post_install", "-at_install")
class TestApprovalItem(GovServiceCenterCase):
    def test_code_generated_from_pattern(self):
        self.env["ir.config_parameter"].set_param(
            "gov_service_center.item_code_pattern", "{division}{dept}-{type}-{seq}"
        )
        self.env["ir.config_parameter"].set_param("gov_service_center.division_code", "511400")
        item = self._create_item(item_type="public_service")
        self.assertRegex(item.code, r"^511400FG-GG-\d{4}$")
        other = self._create_item(item_type="licensing", department_id=self.dept_b.id)
        self.assertRegex(other.code, r"^511400ZJ-XK-\d{4}$")
        self.assertNotEqual(item.code[-4:], other.code[-4:])

    def test_code_pattern_validation(self):
        Item = self.env["gov.approval.item"]
        for pattern in ("", "{division}-{type}", "{seq}-{unknown}"):
            with self.assertRaises(ValidationError):
                Item._check_code_pattern(pattern)
        Item._check_code_pattern("{year}-{seq}")
        self.env["ir.config_parameter"].set_param(
            "gov_service_center.item_code_pattern", "{division}-{type}"
        )
        with self.assertRaises(ValidationError):
            self._create_item()

    def test_settings_refuse_bad_pattern(self):
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create({"gov_item_code_pattern": "{dept}-{nope}"})

    def test_duplicate_code(self):
        self._create_item(code="511400FG-XK-9999")
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self._create_item(code="511400FG-XK-9999", name="Another item")

    def test_time_limits(self):
        item = self._create_item(statutory_days=20, promised_days=0)
        self.assertTrue(item.is_on_the_spot)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._create_item(statutory_days=10, promised_days=15)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._create_item(statutory_days=-1, promised_days=0)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            item.write({"promised_days": 25})
        self.assertEqual(item.promised_days, 0)

    def test_step_days_within_statutory_limit(self):
        item = self._create_item(
            statutory_days=10,
            promised_days=5,
            step_ids=[
                (0, 0, {"name": "Acceptance", "duration_days": 1}),
                (0, 0, {"name": "Review", "duration_days": 4}),
                (
                    0,
                    0,
                    {"name": "Expert review", "duration_days": 30, "counts_toward_limit": False},
                ),
            ],
        )
        self.assertEqual(item.counted_step_days, 5)
        self.assertEqual(item.excluded_step_days, 30)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            item.write({"step_ids": [(0, 0, {"name": "Decision", "duration_days": 6})]})

    def test_state_changes_only_through_decisions(self):
        item = self._create_item()
        with self.assertRaises(UserError):
            item.write({"state": "active"})
        with self.assertRaises(UserError):
            self._create_item(state="cancelled")
        self.assertEqual(item.state, "draft")
        self.assertFalse(item.change_ids)

    def test_decision_lifecycle(self):
        item = self._create_item()
        target = self._create_item(name="Merged target", state="active")
        item.apply_decision("added", "MFF-2014-5", "2014-02-20")
        self.assertEqual(item.state, "active")
        item.is_published = True
        item.apply_decision("suspended", "MFF-2014-6", "2014-03-01")
        self.assertEqual(item.state, "suspended")
        self.assertFalse(item.is_published, "leaving the active state unpublishes")
        item.apply_decision("resumed", "MFF-2014-7", "2014-04-01")
        item.apply_decision("modified", "MFF-2014-8", "2014-05-01", note="Promise cut")
        self.assertEqual(item.state, "active")
        item.apply_decision("merged", "MFF-2014-9", "2014-06-01", merged_into_id=target.id)
        self.assertEqual(item.state, "cancelled")
        self.assertEqual(item.merged_into_id, target)
        self.assertEqual(
            item.change_ids.sorted("id").mapped("change_type"),
            ["added", "suspended", "resumed", "modified", "merged"],
        )
        self.assertEqual(item.change_ids.sorted("id")[-1].state_before, "active")
        self.assertEqual(item.change_ids.sorted("id")[-1].state_after, "cancelled")

    def test_delegation_needs_level(self):
        item = self._create_item(state="active")
        with self.assertRaises(UserError):
            item.apply_decision("delegated", "MFF-1", "2014-02-20")
        item.apply_decision(
            "delegated", "MFF-1", "2014-02-20", delegated_level="county", delegated_to="Counties"
        )
        self.assertEqual(item.state, "delegated")
        self.assertEqual(item.delegated_level, "county")

    def test_decision_refused_writes_nothing(self):
        active = self._create_item(state="active")
        draft = self._create_item(name="Draft one")
        with self.assertRaises(UserError):
            (active | draft).apply_decision("cancelled", "MFF-1", "2014-02-20")
        self.assertEqual(active.state, "active")
        self.assertFalse((active | draft).change_ids)
        with self.assertRaises(UserError):
            active.apply_decision("cancelled", "  ", "2014-02-20")
        with self.assertRaises(UserError):
            active.apply_decision("merged", "MFF-2", "2014-02-20", merged_into_id=active.id)
        with self.assertRaises(UserError):
            active.apply_decision("nonsense", "MFF-2", "2014-02-20")
        self.assertEqual(active.state, "active")
        self.assertFalse(active.change_ids)

    def test_decision_wizard(self):
        items = self._create_item(name="One") | self._create_item(name="Two")
        action = items.action_activate()
        wizard_form = Form(
            self.env["gov.approval.item.change.wizard"].with_context(**action["context"])
        )
        wizard_form.decision_ref = "MFF-2014-5"
        wizard_form.decision_date = "2014-02-20"
        wizard = wizard_form.save()
        self.assertEqual(wizard.change_type, "added")
        wizard.action_confirm()
        self.assertEqual(set(items.mapped("state")), {"active"})
        self.assertEqual(len(items.change_ids), 2)

    def test_no_unlink_once_in_catalog(self):
        draft = self._create_item()
        active = self._create_item(name="Active", state="active")
        with self.assertRaises(UserError):
            active.unlink()
        draft.apply_decision("added", "MFF-1", "2014-02-20")
        with self.assertRaises(UserError):
            draft.with_user(self.user_admin).unlink()
        fresh = self._create_item(name="Fresh draft")
        fresh.unlink()
        self.assertFalse(fresh.exists())

    def test_decisions_are_immutable(self):
        item = self._create_item(state="active")
        change = item.apply_decision("suspended", "MFF-1", "2014-02-20")
        with self.assertRaises(UserError):
            change.write({"decision_ref": "forged"})
        change.write({"note": "Published in the gazette"})
        with self.assertRaises(UserError):
            change.with_user(self.user_admin).unlink()
        with self.assertRaises(UserError):
            change.unlink()

    def test_publish_only_active(self):
        item = self._create_item()
        with self.assertRaises(ValidationError):
            item.write({"is_published": True})
        item.apply_decision("added", "MFF-1", "2014-02-20")
        item.write({"is_published": True})
        self.assertTrue(item.website_published)
        self.assertTrue(item.website_url.startswith("/service-items/"))
        item.apply_decision("cancelled", "MFF-2", "2015-02-20")
        self.assertFalse(item.is_published)

    def test_deadlines_use_the_calendar(self):
        item = self._create_item(statutory_days=20, promised_days=0)
        deadlines = item.get_deadlines("2026-03-02")
        self.assertEqual(str(deadlines["promised"]), "2026-03-02")
        self.assertEqual(str(deadlines["statutory"]), "2026-03-30")

    def test_batch_create_queries(self):
        vals_list = [self._item_vals(name=f"Item {i}", code=f"T-{i:04d}") for i in range(50)]
        Item = self.env["gov.approval.item"]
        Item.create(vals_list[:2])  # warm caches
        self.env.flush_all()
        with self.assertQueryCount(__system__=30):
            Item.create(vals_list[2:])
            self.env.flush_all()


@tagged("post_install", "-at_install")
class TestPreconditions(GovServiceCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.item = cls._create_item(state="active")
        cls.other = cls._create_item(name="Land use permit", state="active")
        cls.service_type = cls.env["gov.intermediary.service.type"].create(
            {"name": "Environmental impact assessment", "code": "EIA"}
        )

    def _precondition(self, **vals):
        defaults = {"item_id": self.item.id, "name": "Planning opinion", "kind": "other"}
        defaults.update(vals)
        return self.env["gov.approval.precondition"].create(defaults)

    def test_precondition_targets(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._precondition(kind="approval", required_item_id=self.item.id)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._precondition(kind="approval")
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._precondition(kind="intermediary")
        self._precondition(kind="approval", required_item_id=self.other.id)
        self._precondition(kind="intermediary", service_type_id=self.service_type.id)
        self.assertEqual(self.item.active_precondition_count, 2)
        self.assertEqual(self.service_type.precondition_count, 1)

    def test_removal_needs_a_reason_and_is_final(self):
        precondition = self._precondition()
        with self.assertRaises(ValidationError), self.cr.savepoint():
            precondition.write({"state": "removed"})
        with self.assertRaises(UserError):
            precondition.remove("  ")
        precondition.remove("No legal basis")
        self.assertEqual(precondition.state, "removed")
        self.assertTrue(precondition.removal_date)
        with self.assertRaises(UserError):
            precondition.remove("Again")
        with self.assertRaises(UserError):
            precondition.write({"state": "active"})
        with self.assertRaises(UserError):
            precondition.unlink()
        draft = self._precondition(name="Typo")
        draft.unlink()

    def test_campaign_counts_are_computed(self):
        review = self.env["gov.precondition.review"].create({"name": "2014 clean-up"})
        item_b = self._create_item(name="Building permit", department_id=self.dept_b.id, state="active")
        preconditions = (
            self._precondition(name="P1")
            | self._precondition(name="P2")
            | self._precondition(name="P3", item_id=self.other.id)
            | self._precondition(name="P4", item_id=item_b.id)
        )
        kept = self._precondition(name="Kept")
        wizard = self.env["gov.precondition.remove.wizard"].create(
            {
                "precondition_ids": [(6, 0, preconditions.ids)],
                "review_id": review.id,
                "removal_reason": "No legal basis",
            }
        )
        wizard.action_confirm()
        self.assertRecordValues(
            review, [{"removed_count": 4, "item_count": 3, "department_count": 2}]
        )
        self.assertEqual(kept.state, "active")
        self.assertEqual(self.item.removed_precondition_count, 2)
        with self.assertRaises(UserError):
            review.unlink()

    def test_overview_figures(self):
        Overview = self.env["gov.center.overview"]

        def figure(metric):
            Overview.invalidate_model()
            return Overview.search([("metric", "=", metric)]).value

        active_before = figure("active_items")
        removed_before = figure("preconditions_removed")
        changes_before = figure("changes_this_year")
        new = self._create_item(name="Brand new")
        new.apply_decision("added", "MFF-NOW", fields.Date.today())
        self._precondition(name="Gone").remove("No legal basis")
        self.env.flush_all()
        self.assertEqual(figure("active_items"), active_before + 1)
        self.assertEqual(figure("preconditions_removed"), removed_before + 1)
        self.assertEqual(figure("changes_this_year"), changes_before + 1)
