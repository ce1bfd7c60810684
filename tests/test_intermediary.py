# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError
from stdnum.cn import uscc as stdnum_uscc

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.gov_center_time import center_today
from .common import IntermediaryCase, make_uscc


@tagged("post_install", "-at_install")
class TestIntermediaryRegistry(IntermediaryCase):
    def test_uscc_validation(self):
        self.assertTrue(stdnum_uscc.is_valid(make_uscc(1)))
        good = self._make()
        self.assertTrue(good.partner_id.is_company)
        self.assertEqual(good.partner_id.name, good.name)
        with self.assertRaisesRegex(ValidationError, "Unified Social Credit Code"):
            self.Intermediary.create({"name": "Bad", "uscc": "91511400MA0000001X"})
        with self.assertRaisesRegex(ValidationError, "Unified Social Credit Code"):
            self.Intermediary.create({"name": "Short", "uscc": "915114"})
        # lower case and blanks are normalised
        lower = self.Intermediary.create({"name": "Lower", "uscc": " 91110000600037341l "})
        self.assertEqual(lower.uscc, "91110000600037341L")
        # the worked example of the domain rules
        self.Intermediary.create({"name": "Example", "uscc": "91350100M000100Y43"})
        with self.assertRaisesRegex(ValidationError, "Unified Social Credit Code"):
            good.uscc = "91350100M000100Y44"

    @mute_logger("odoo.sql_db")
    def test_uscc_unique(self):
        first = self._make()
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            self.Intermediary.create({"name": "Duplicate", "uscc": first.uscc})

    def test_provider_count(self):
        self.assertEqual(self.type_eia.provider_count, 0)
        self.assertTrue(self.type_eia.is_short)
        providers = self._make(3)
        self.assertEqual(self.type_eia.provider_count, 3)
        self.assertFalse(self.type_eia.is_short)
        self.assertNotIn(self.type_eia, self.Type.search([("is_short", "=", True)]))
        # not filed, suspended, restricted, archived, expired: not counted
        self._make(1, state="submitted")
        self._make(1, expiry=date.today() - timedelta(days=1))
        self._make(1, expiry=date.today() + timedelta(days=5))
        self.assertEqual(self.type_eia.provider_count, 4)
        providers[0].action_suspend()
        self.assertEqual(self.type_eia.provider_count, 3)
        self._restrict(providers[1])
        self.assertEqual(self.type_eia.provider_count, 2)
        self.assertTrue(self.type_eia.is_short)
        self.assertIn(self.type_eia, self.Type.search([("is_short", "=", True)]))
        # a provider with two certificates of one type counts once
        self.env["gov.intermediary.qualification"].create(
            {
                "intermediary_id": providers[2].id,
                "name": "Q-extra",
                "issuer": "Ministry",
                "service_type_id": self.type_eia.id,
            }
        )
        self.assertEqual(self.type_eia.provider_count, 2)
        # a certificate for another type links that type
        self.env["gov.intermediary.qualification"].create(
            {
                "intermediary_id": providers[2].id,
                "name": "Q-survey",
                "issuer": "Ministry",
                "service_type_id": self.type_survey.id,
            }
        )
        self.assertIn(self.type_survey, providers[2].service_type_ids)
        self.assertEqual(self.type_survey.provider_count, 1)
        self.type_survey.min_providers = 1
        self.assertFalse(self.type_survey.is_short)

    def test_provider_count_expiry_refreshed_nightly(self):
        self._make(3, expiry=date.today() + timedelta(days=2))
        self.assertEqual(self.type_eia.provider_count, 3)
        with freeze_time(date.today() + timedelta(days=3)):
            self.env["gov.intermediary.qualification"]._cron_warn_expiring()
            self.assertEqual(self.type_eia.provider_count, 0)
            self.assertTrue(self.type_eia.is_short)

    def test_provider_count_query_count(self):
        """The counts of many types are computed in one grouped query: the
        same number of queries for 2 types as for 20."""
        types = self.Type.create(
            [{"name": f"Perf {index}", "code": f"PERF{index}"} for index in range(20)]
        )
        for service_type in types[:5]:
            self._make(2, service_type=service_type)

        def count_queries(service_types):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            self.Type.browse(service_types.ids)._recompute_provider_count()
            return self.cr.sql_log_count - before

        self.assertEqual(count_queries(types[:2]), count_queries(types))
        with self.assertQueryCount(__system__=3):
            self.Type.browse(types.ids)._recompute_provider_count()
        self.assertEqual(
            self.Type.browse(types.ids).mapped("provider_count"), [2] * 5 + [0] * 15
        )

    def test_cron_short_supply_no_duplicates(self):
        admin_group = self.env.ref("gov_service_center.group_gov_admin")
        self._make(3)
        self.type_eia.invalidate_recordset()
        Activity = self.env["mail.activity"]
        domain = [
            ("res_model", "=", "gov.intermediary.service.type"),
            ("res_id", "in", (self.type_eia | self.type_survey).ids),
        ]
        self.Type._cron_warn_short_supply()
        activities = Activity.search(domain)
        users = admin_group.users.filtered(lambda user: user.active and not user.share)
        self.assertIn(self.user_admin, users)
        # only the short type, one activity per center user
        self.assertEqual(set(activities.mapped("res_id")), {self.type_survey.id})
        self.assertEqual(activities.user_id, users)
        self.assertEqual(len(activities), len(users))
        self.Type._cron_warn_short_supply()
        self.assertEqual(len(Activity.search(domain)), len(users))

    def test_filing_workflow(self):
        intermediary = self._make(state="draft")
        intermediary.action_submit()
        self.assertEqual(intermediary.filing_state, "submitted")
        with self.assertRaisesRegex(UserError, "reason"):
            intermediary.action_reject()
        intermediary.reject_reason = "Certificate unreadable"
        intermediary.action_reject()
        self.assertEqual(intermediary.filing_state, "rejected")
        intermediary.action_submit()
        self.assertFalse(intermediary.reject_reason)
        intermediary.action_file()
        self.assertEqual(intermediary.filing_state, "filed")
        self.assertEqual(intermediary.date_filed, center_today(self.env))
        with self.assertRaises(UserError):
            intermediary.action_submit()
        intermediary.action_suspend()
        intermediary.action_resume()
        intermediary.action_revoke()
        self.assertEqual(intermediary.filing_state, "revoked")
        with self.assertRaises(UserError):
            intermediary.action_resume()
        # cannot file without any service type
        empty = self.Intermediary.create({"name": "Empty", "uscc": make_uscc(9999)})
        empty.action_submit()
        with self.assertRaisesRegex(UserError, "service type"):
            empty.action_file()

    def test_filing_tracked(self):
        intermediary = self._make(state="draft").with_context(tracking_disable=False)
        self.env.flush_all()
        self.cr.precommit.run()  # forget the discarded tracking of the creation
        intermediary.action_submit()
        self.env.flush_all()
        self.cr.precommit.run()
        intermediary.action_file()
        self.env.flush_all()
        self.cr.precommit.run()
        intermediary.invalidate_recordset(["message_ids"])
        values = intermediary.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "filing_state"
        )
        self.assertEqual(len(values), 2)

    def test_unlink(self):
        draft = self._make(state="draft")
        draft.unlink()
        filed = self._make()
        with self.assertRaisesRegex(UserError, "archive"):
            filed.unlink()

    def test_expiry_cron(self):
        soon = self._make(expiry=date.today() + timedelta(days=20))
        later = self._make(expiry=date.today() + timedelta(days=60))
        Activity = self.env["mail.activity"]
        domain = [("res_model", "=", "gov.intermediary"), ("res_id", "in", (soon | later).ids)]
        Qualification = self.env["gov.intermediary.qualification"]
        Qualification._cron_warn_expiring()
        activities = Activity.search(domain)
        self.assertEqual(set(activities.mapped("res_id")), {soon.id})
        self.assertIn(self.user_admin, activities.user_id)
        self.assertTrue(soon.qualification_ids.expiry_notified)
        Qualification._cron_warn_expiring()
        self.assertEqual(Activity.search(domain), activities)
        # a renewed certificate is watched again
        soon.qualification_ids.date_expiry = date.today() + timedelta(days=10)
        self.assertFalse(soon.qualification_ids.expiry_notified)

    def test_qualification_dates(self):
        with self.assertRaisesRegex(ValidationError, "expire before"):
            self._make(
                qualification_ids=[(0, 0, {
                    "name": "Q", "issuer": "X", "service_type_id": self.type_eia.id,
                    "date_issued": date(2024, 1, 1), "date_expiry": date(2023, 1, 1),
                })]
            )

    def test_access(self):
        intermediary = self._make()
        for user in (self.user_viewer, self.user_inspector, self.user_officer):
            records = self.Intermediary.with_user(user).search([("id", "=", intermediary.id)])
            self.assertEqual(records, intermediary)
            records.read(["name", "uscc", "filing_state"])
            with self.assertRaises(AccessError):
                records.write({"name": "Changed"})
            with self.assertRaises(AccessError):
                self.Intermediary.with_user(user).create(
                    {"name": "Created", "uscc": make_uscc(5555)}
                )
        for user in (self.user_internal, self.user_portal, self.user_public):
            with self.assertRaises(AccessError):
                self.env["gov.intermediary.qualification"].with_user(user).search([])
            if user == self.user_portal:
                # portal users read only the intermediary of their company
                self.assertFalse(self.Intermediary.with_user(user).search([]))
                self.assertFalse(self.env["gov.credit.restriction"].with_user(user).search([]))
                with self.assertRaises(AccessError):
                    intermediary.with_user(user).read(["name"])
                continue
            with self.assertRaises(AccessError):
                self.Intermediary.with_user(user).search([])
            with self.assertRaises(AccessError):
                self.env["gov.credit.restriction"].with_user(user).search([])
        admin = self.Intermediary.with_user(self.user_admin)
        admin.browse(intermediary.id).write({"legal_representative": "Zhang San"})
        admin.browse(intermediary.id).action_suspend()


@tagged("post_install", "-at_install")
class TestCreditRestriction(IntermediaryCase):
    def test_restriction_lifecycle(self):
        intermediary = self._make()
        self.assertFalse(intermediary.is_restricted)
        restriction = self._restrict(intermediary)
        self.assertTrue(intermediary.is_restricted)
        self.assertNotIn(
            intermediary, self.Intermediary.search(self.Intermediary._eligible_domain())
        )
        with self.assertRaisesRegex(UserError, "reason"):
            restriction.action_lift()
        with self.assertRaisesRegex(UserError, "Lift"):
            restriction.state = "lifted"
        restriction.lift_reason = "Credit repaired"
        restriction.action_lift()
        self.assertEqual(restriction.state, "lifted")
        self.assertEqual(restriction.date_lifted, center_today(self.env))
        self.assertFalse(intermediary.is_restricted)
        self.assertIn(
            intermediary, self.Intermediary.search(self.Intermediary._eligible_domain())
        )
        with self.assertRaisesRegex(UserError, "already lifted"):
            restriction.action_lift(reason="again")
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            restriction.decision_ref = "Other"

    def test_never_deleted(self):
        intermediary = self._make()
        restriction = self._restrict(intermediary)
        for user in (self.user_admin, self.user_officer, self.user_viewer):
            with self.assertRaises(AccessError):
                restriction.with_user(user).unlink()
        with self.assertRaisesRegex(UserError, "never deleted"):
            restriction.sudo().unlink()
        restriction.lift_reason = "Done"
        restriction.action_lift()
        with self.assertRaisesRegex(UserError, "never deleted"):
            restriction.sudo().unlink()
        with self.assertRaisesRegex(UserError, "archive"):
            intermediary.sudo().unlink()

    def test_create_active_only_and_dates(self):
        intermediary = self._make()
        with self.assertRaisesRegex(UserError, "active"):
            self._restrict(intermediary, state="lifted")
        with self.assertRaisesRegex(ValidationError, "end before"):
            self._restrict(
                intermediary, date_start=date(2025, 5, 1), date_end=date(2025, 4, 1)
            )

    def test_cron_lifts_expired(self):
        first, second, third = self._make(3)
        expired = self._restrict(first, date_end=date.today() - timedelta(days=1))
        running = self._restrict(second)
        open_ended = self._restrict(third, date_end=False)
        self.env["gov.credit.restriction"]._cron_lift_expired()
        self.assertEqual(expired.state, "lifted")
        self.assertTrue(expired.lift_reason)
        self.assertEqual(running.state, "active")
        self.assertEqual(open_ended.state, "active")
        self.assertFalse(first.is_restricted)
        self.assertTrue(second.is_restricted)

    def test_access(self):
        restriction = self._restrict(self._make())
        for user in (self.user_viewer, self.user_officer, self.user_inspector):
            self.assertEqual(
                self.env["gov.credit.restriction"].with_user(user).search(
                    [("id", "=", restriction.id)]
                ),
                restriction,
            )
            with self.assertRaises(AccessError):
                restriction.with_user(user).write({"reason": "x"})
        restriction.with_user(self.user_admin).write({"legal_basis": "Regulation"})

    def test_overview(self):
        self._make(3)
        self._restrict(self._make())
        self.env.flush_all()
        Overview = self.env["gov.center.overview"]
        values = {
            row["metric"]: row["value"]
            for row in Overview.search_read([("area", "=", "intermediary")], ["metric", "value"])
        }
        self.assertEqual(
            values["filed_intermediaries"],
            self.Intermediary.search_count([("filing_state", "=", "filed")]),
        )
        self.assertEqual(
            values["active_restrictions"],
            self.env["gov.credit.restriction"].search_count([("state", "=", "active")]),
        )
        self.assertEqual(
            values["short_service_types"], self.Type.search_count([("is_short", "=", True)])
        )
