# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.gov_service_center.models.gov_policy_document import GovPolicyDocument

from .common import GovServiceCenterCase, PolicyFixtures, template_cache_bypassed


@tagged("post_install", "-at_install")
class TestPolicyDocument(PolicyFixtures, GovServiceCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._policy_setup()
        cls.doc = cls._doc("Notice on approval reform", "眉府发〔2014〕12号", department_id=cls.dept_a.id)
        cls.doc_new = cls._doc("Amending notice", "眉府发〔2014〕30号", date_issued="2014-06-01")

    def test_state_follows_links(self):
        self.assertEqual(self.doc.state, "in_force")
        self.doc.amended_by_id = self.doc_new
        self.assertEqual(self.doc.state, "amended")
        self.assertEqual(self.doc_new.amends_ids, self.doc)
        self.doc.repealed_by_id = self.doc_new
        self.assertEqual(self.doc.state, "repealed")
        self.assertEqual(self.doc.date_repealed, date(2014, 6, 1))
        self.assertEqual(self.doc.year, 2014)

    def test_link_rules(self):
        with self.assertRaises(ValidationError):
            self.doc.amended_by_id = self.doc
        with self.assertRaises(ValidationError):
            # an older document cannot repeal a newer one
            self.doc_new.repealed_by_id = self.doc
        with self.assertRaises(ValidationError):
            self.doc.interpreted_document_id = self.doc_new
        interpretation = self._doc(
            "Interpretation of the notice", kind="interpretation",
            interpreted_document_id=self.doc.id,
        )
        self.assertEqual(self.doc.interpretation_ids, interpretation)
        self.assertEqual(self.doc.state, "in_force")

    def test_dates_and_numbers(self):
        with self.assertRaises(ValidationError):
            self._doc("Bad dates", "GSCPOL-1", date_effective="2014-01-01")
        with self.assertRaises(ValidationError):
            self._doc("Same number", "眉府发〔2014〕12号")
        # documents without a number are fine
        self._doc("No number A")
        self._doc("No number B")

    def test_never_deleted(self):
        with self.assertRaises(UserError):
            self.doc.unlink()
        self.doc.action_archive()
        self.assertFalse(self.doc.active)

    def test_visit_counter_not_writable(self):
        with self.assertRaises(UserError):
            self.doc.with_user(self.user_admin).visit_count = 1000

    def test_visits_once_per_visitor_and_day(self):
        Visit = self.env["gov.policy.visit"]
        self.assertTrue(Visit._count_visit(self.doc, "10.0.0.1", day=date(2026, 3, 2)))
        self.assertFalse(Visit._count_visit(self.doc, "10.0.0.1", day=date(2026, 3, 2)))
        self.assertTrue(Visit._count_visit(self.doc, "10.0.0.2", day=date(2026, 3, 2)))
        self.assertTrue(Visit._count_visit(self.doc, "10.0.0.1", day=date(2026, 3, 3)))
        self.assertTrue(Visit._count_visit(self.doc_new, "10.0.0.1", day=date(2026, 3, 3)))
        self.assertEqual(self.doc.visit_count, 3)
        visits = Visit.search([("document_id", "=", self.doc.id)])
        self.assertEqual(len(visits), 3)
        # the address is never stored in clear
        for visit in visits:
            self.assertNotIn("10.0.0", visit.visitor_hash)
            self.assertEqual(len(visit.visitor_hash), 64)

    def test_website_url(self):
        self.assertTrue(self.doc.website_url.startswith("/policies/"))

    def test_access(self):
        Document = self.env["gov.policy.document"]
        # officers edit the documents of their departments only
        self.doc.with_user(self.user_officer).name = "Edited by officer"
        with self.assertRaises(AccessError):
            self.doc.with_user(self.user_officer_b).name = "Not my department"
        with self.assertRaises(AccessError):
            self.doc_new.with_user(self.user_officer).name = "No department"
        Document.with_user(self.user_officer).create(
            {"name": "Officer doc", "issuer": "X", "date_issued": "2015-01-01",
             "department_id": self.dept_a_sub.id}
        )
        with self.assertRaises(AccessError):
            Document.with_user(self.user_officer).create(
                {"name": "Officer doc B", "issuer": "X", "date_issued": "2015-01-01",
                 "department_id": self.dept_b.id}
            )
        # viewers and inspectors read only
        for user in (self.user_viewer, self.user_inspector):
            self.assertTrue(self.doc.with_user(user).name)
            with self.assertRaises(AccessError):
                self.doc.with_user(user).name = "x"
        # users without a service center group, portal and public: nothing
        for user in (self.user_internal, self.user_portal, self.user_public):
            with self.assertRaises(AccessError):
                Document.with_user(user).search([])
            with self.assertRaises(AccessError):
                self.env["gov.policy.visit"].with_user(user).search([])
        # administrators: everything but deletion
        self.doc_new.with_user(self.user_admin).name = "Admin edit"
        self.env["gov.policy.category"].with_user(self.user_admin).create({"name": "New cat"})
        with self.assertRaises(AccessError):
            self.env["gov.policy.category"].with_user(self.user_officer).create({"name": "No"})
        with self.assertRaises(UserError):
            self.doc.with_user(self.user_admin).unlink()


@tagged("post_install", "-at_install")
class TestPolicyWebsite(PolicyFixtures, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls._policy_setup()
        cls.doc = cls._doc(
            "GscPol Notice on approval reform", "GSCPOL〔2014〕12号", is_published=True,
            body="<p>GscPol body text</p>",
        )
        cls.doc_2013 = cls._doc(
            "GscPol Old investment rules", "GSCPOL〔2013〕3号", is_published=True,
            date_issued="2013-05-01", category_id=cls.category_other.id,
            issuer="GscPol Development Commission",
        )
        cls.doc_repealing = cls._doc(
            "GscPol Repealing decision", "GSCPOL〔2015〕1号", is_published=True,
            date_issued="2015-01-10",
        )
        cls.doc_2013.repealed_by_id = cls.doc_repealing
        cls.doc_hidden = cls._doc("GscPol Unpublished draft", "GSCPOL〔2014〕99号")
        cls.interpretation = cls._doc(
            "GscPol Interpretation of the reform", kind="interpretation",
            interpreted_document_id=cls.doc.id, is_published=True,
        )
        cls.attachment = cls.env["ir.attachment"].create(
            {"name": "gscpol-annex.pdf", "raw": b"%PDF-1.4 gscpol", "mimetype": "application/pdf"}
        )
        cls.doc.attachment_ids = cls.attachment

    def _get(self, url, expected=200):
        response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, expected, f"{url} -> {response.status_code}")
        return response.text

    def test_list(self):
        html = self._get("/policies")
        for document in (self.doc, self.doc_2013, self.doc_repealing, self.interpretation):
            self.assertIn(document.name, html)
        self.assertNotIn(self.doc_hidden.name, html)
        self.assertIn("o_gov_policy_repealed", html)
        self.assertIn("GSCPOL〔2014〕12号", html)

    def test_search_and_filters(self):
        html = self._get("/policies?search=GSCPOL〔2013〕")
        self.assertIn(self.doc_2013.name, html)
        self.assertNotIn(self.doc.name, html)
        html = self._get("/policies?search=Unpublished")
        self.assertNotIn(self.doc_hidden.name, html)
        html = self._get(f"/policies?category={self.category_other.id}")
        self.assertIn(self.doc_2013.name, html)
        self.assertNotIn(self.doc.name, html)
        html = self._get("/policies?year=2015")
        self.assertIn(self.doc_repealing.name, html)
        self.assertNotIn(self.doc.name, html)
        html = self._get("/policies?state=repealed")
        self.assertIn(self.doc_2013.name, html)
        self.assertNotIn(self.doc_repealing.name, html)
        html = self._get("/policies?issuer=GscPol%20Development%20Commission")
        self.assertIn(self.doc_2013.name, html)
        self.assertNotIn(self.doc.name, html)
        html = self._get("/policies?search=%25")
        self.assertNotIn(self.doc.name, html)

    def test_weird_query_strings(self):
        for query in (
            "search=%00", "search='", "search=" + "x" * 5000, "category=abc", "category=-1",
            "category=99999999999999999999", "year=abc", "year=99999", "state=zzz",
            "issuer=%ff%fe", "page=abc", "page=-1", "page=99999", "search=a&search=b",
            "search=<script>alert(1)</script>",
        ):
            with self.subTest(query=query[:40]):
                response = self.url_open(f"/policies?{query}", allow_redirects=False)
                self.assertIn(response.status_code, (200, 400, 404))
                self.assertNotIn("Traceback", response.text)
                self.assertNotIn("<script>alert(1)</script>", response.text)

    def test_page_and_visits(self):
        html = self._get(self.doc.website_url)
        for text in ("GscPol body text", "GSCPOL〔2014〕12号", self.interpretation.name,
                     "gscpol-annex.pdf"):
            self.assertIn(text, html)
        self.doc.invalidate_recordset(["visit_count"])
        self.assertEqual(self.doc.visit_count, 1)
        self._get(self.doc.website_url)
        self.doc.invalidate_recordset(["visit_count"])
        self.assertEqual(self.doc.visit_count, 1, "a visitor is counted once a day")
        html = self._get(self.doc_2013.website_url)
        self.assertIn("o_gov_policy_repealed_notice", html)
        self.assertIn(self.doc_repealing.website_url, html)
        response = self.url_open(f"{self.doc.website_url}/attachment/{self.attachment.id}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"%PDF-1.4 gscpol")

    def test_portal_and_internal_users(self):
        """Logged-in users see exactly what the public sees."""
        new_test_user(self.env, "gscpol_portal", groups="base.group_portal")
        new_test_user(self.env, "gscpol_internal", groups="base.group_user")
        for login in ("gscpol_portal", "gscpol_internal"):
            with self.subTest(login=login):
                self.authenticate(login, login)
                html = self._get("/policies")
                self.assertIn(self.doc.name, html)
                self.assertNotIn(self.doc_hidden.name, html)
                self._get(self.doc.website_url)
                with mute_logger("odoo.http", "werkzeug"):
                    slug = self.env["ir.http"]._slug(self.doc_hidden)
                    self._get(f"/policies/{slug}", expected=404)

    @mute_logger("odoo.http", "werkzeug")
    def test_not_found(self):
        slug = self.env["ir.http"]._slug(self.doc_hidden)
        self._get(f"/policies/{slug}", expected=404)
        for path in ("/policies/999999999", "/policies/abc", "/policies/-1",
                     "/policies/99999999999999999999",
                     f"{self.doc.website_url}/attachment/999999",
                     f"/policies/{slug}/attachment/{self.attachment.id}"):
            with self.subTest(path=path):
                response = self.url_open(path, allow_redirects=False)
                self.assertEqual(response.status_code, 404)
        self.doc_hidden.invalidate_recordset(["visit_count"])
        self.assertEqual(self.doc_hidden.visit_count, 0)

    # ------------------------------------------------------------------
    # query count
    # ------------------------------------------------------------------
    def _create_bulk(self, count, start):
        self.env["gov.policy.document"].create(
            [
                {
                    "name": f"GscPolBulk {i:04d}",
                    "doc_number": f"GSCPOLBULK〔2016〕{i}号",
                    "issuer": f"GscPol Issuer {i % 5}",
                    "date_issued": f"{2010 + i % 8}-02-01",
                    "category_id": (self.category if i % 2 else self.category_other).id,
                    "is_published": True,
                }
                for i in range(start, start + count)
            ]
        )

    def _count_list_queries(self, url):
        self.url_open(url)  # warm the caches
        self.env.flush_all()
        before = self.cr.sql_log_count
        # the page's body rendered (not read from the template cache): what
        # it costs when the documents change
        with template_cache_bypassed():
            response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return self.cr.sql_log_count - before

    def _measure(self):
        url = "/policies?search=GscPolBulk"
        self._create_bulk(10, 0)
        small = self._count_list_queries(url)
        self._create_bulk(190, 10)
        big = self._count_list_queries(url)
        return small, big

    def test_list_query_count_constant(self):
        small, big = self._measure()
        self.assertEqual(small, big, f"/policies: {small} queries for 10, {big} for 200")

    def test_list_query_count_can_fail(self):
        """The measure above detects a query per document."""
        original = GovPolicyDocument._compute_website_url

        def slow_website_url(records):
            for record in records:
                record.env.cr.execute("SELECT 1")
            return original(records)

        with patch.object(GovPolicyDocument, "_compute_website_url", slow_website_url):
            small, big = self._measure()
        self.assertGreater(big, small)
