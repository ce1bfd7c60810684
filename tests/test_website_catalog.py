# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import sql_db
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.gov_service_center.controllers.main import GovServiceItemWebsite

from .common import website_in_english


@tagged("post_install", "-at_install")
class TestWebsiteCatalog(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        website_in_english(cls.env)  # the texts checked below are English
        Department = cls.env["hr.department"]
        cls.dept_alpha = Department.create({"name": "GscWeb Alpha Bureau", "gov_code": "WA"})
        cls.dept_beta = Department.create({"name": "GscWeb Beta Bureau", "gov_code": "WB"})
        cls.dept_empty = Department.create({"name": "GscWeb Gamma Bureau", "gov_code": "WG"})
        cls.service_type = cls.env["gov.intermediary.service.type"].create(
            {"name": "GscWeb Survey Service", "code": "GSCWEBSRV"}
        )
        Item = cls.env["gov.approval.item"]

        def make(name, department=None, **vals):
            values = {
                "name": name,
                "department_id": (department or cls.dept_alpha).id,
                "item_type": "licensing",
                "statutory_days": 20,
                "promised_days": 5,
            }
            values.update(vals)
            return Item.create(values)

        cls.item_published = make(
            "GscWeb Published Quarry Permit",
            state="active",
            is_published=True,
            national_code="GSCNAT-000123",
            legal_basis="GscWeb Mineral Resources Law, Art. 3",
            acceptance_conditions="GscWeb Applicant holds a business licence.",
            fee_required=True,
            fee_standard="GscWeb 50 yuan per certificate",
            fee_basis="GscWeb Price Bureau notice",
            visits_required=1,
            service_location="GscWeb Hall B, window 12",
            service_hours="GscWeb Mon-Fri 9:00-17:00",
            consultation_phone="0833-1234567",
            complaint_phone="0833-7654321",
            online_available=True,
            online_url="https://zwfw.example.org/apply/123",
            material_ids=[
                (0, 0, {
                    "name": "GscWeb Application Form",
                    "requirement": "required",
                    "original_count": 1,
                    "copy_count": 2,
                }),
                (0, 0, {
                    "name": "GscWeb Site Survey Map",
                    "requirement": "optional",
                    "original_count": 0,
                    "copy_count": 1,
                    "may_supply_later": True,
                }),
            ],
            step_ids=[
                (0, 0, {"name": "GscWeb Acceptance", "duration_days": 1}),
                (0, 0, {
                    "name": "GscWeb Expert Review",
                    "duration_days": 10,
                    "counts_toward_limit": False,
                }),
                (0, 0, {"name": "GscWeb Decision", "duration_days": 3}),
            ],
        )
        cls.item_published_beta = make(
            "GscWeb Published Residence Certificate",
            department=cls.dept_beta,
            item_type="public_service",
            promised_days=0,
            state="active",
            is_published=True,
        )
        cls.item_unpublished = make("GscWeb Unpublished Active Item", state="active")
        cls.item_draft = make("GscWeb Draft Item")
        cls.item_suspended = make("GscWeb Suspended Item", state="active", is_published=True)
        cls.item_suspended.apply_decision("suspended", "GSCWEB-DOC-1", "2026-01-05")
        cls.item_cancelled = make("GscWeb Cancelled Item", state="active", is_published=True)
        cls.item_cancelled.apply_decision("cancelled", "GSCWEB-DOC-2", "2026-01-06")
        cls.item_delegated = make(
            "GscWeb Delegated Item", department=cls.dept_empty, state="active", is_published=True
        )
        cls.item_delegated.apply_decision(
            "delegated", "GSCWEB-DOC-3", "2026-01-07", delegated_level="county"
        )
        cls.hidden_items = (
            cls.item_unpublished
            | cls.item_draft
            | cls.item_suspended
            | cls.item_cancelled
            | cls.item_delegated
        )

        Precondition = cls.env["gov.approval.precondition"]
        cls.precondition_active = Precondition.create(
            {
                "item_id": cls.item_published.id,
                "name": "GscWeb Land Use Approval In Force",
                "kind": "approval",
                "required_item_id": cls.item_published_beta.id,
                "legal_basis": "GscWeb Land Law, Art. 9",
            }
        )
        cls.precondition_intermediary = Precondition.create(
            {
                "item_id": cls.item_published.id,
                "name": "GscWeb Survey Report In Force",
                "kind": "intermediary",
                "service_type_id": cls.service_type.id,
            }
        )
        cls.precondition_hidden_item = Precondition.create(
            {
                "item_id": cls.item_published.id,
                "name": "GscWeb Draft Prerequisite",
                "kind": "approval",
                "required_item_id": cls.item_draft.id,
            }
        )
        cls.precondition_removed = Precondition.create(
            {
                "item_id": cls.item_published.id,
                "name": "GscWeb Removed Safety Certificate",
                "kind": "other",
            }
        )
        cls.precondition_removed.remove("GscWeb removed by the clean-up")

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _get(self, url, expected=200):
        response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, expected, f"{url} -> {response.status_code}")
        return response.text

    def assertShown(self, html, items):
        for item in items:
            self.assertIn(item.name, html)

    def assertHidden(self, html, items):
        for item in items:
            self.assertNotIn(item.name, html)

    # ------------------------------------------------------------------
    # catalog
    # ------------------------------------------------------------------
    def test_catalog_public_items_only(self):
        self.assertTrue(self.item_published.website_url.startswith("/service-items/"))
        html = self._get("/service-items")
        self.assertShown(html, self.item_published | self.item_published_beta)
        self.assertHidden(html, self.hidden_items)
        self.assertIn(self.item_published.code, html)
        self.assertIn(self.item_published.website_url, html)
        # department filter lists only departments with published active items
        self.assertIn(self.dept_alpha.name, html)
        self.assertIn(self.dept_beta.name, html)
        self.assertNotIn(self.dept_empty.name, html)
        self.assertNotIn("Traceback", html)

    def test_catalog_search(self):
        html = self._get("/service-items?search=Quarry")
        self.assertShown(html, self.item_published)
        self.assertHidden(html, self.item_published_beta | self.hidden_items)
        # by code, case-insensitive, with surrounding blanks
        html = self._get(f"/service-items?search=%20{self.item_published_beta.code.lower()}%20")
        self.assertShown(html, self.item_published_beta)
        self.assertNotIn(self.item_published.name, html)
        # by national code
        html = self._get("/service-items?search=GSCNAT-000123")
        self.assertShown(html, self.item_published)
        self.assertNotIn(self.item_published_beta.name, html)
        # hidden items cannot be found by searching for them
        html = self._get("/service-items?search=Suspended")
        self.assertHidden(html, self.hidden_items)
        # wildcards are searched literally
        html = self._get("/service-items?search=%25")
        self.assertHidden(html, self.item_published | self.item_published_beta)
        html = self._get("/service-items?search=GscWeb_Published")
        self.assertHidden(html, self.item_published | self.item_published_beta)

    def test_catalog_short_keywords(self):
        """Keywords of one or two characters (too short for the trigram
        indexes) are looked up in the index of short substrings, with the
        same results as any keyword: name, code or national code, any case,
        public items only."""
        Item = self.env["gov.approval.item"]
        permit = Item.create({
            "name": "GscWeb 食品经营许可", "department_id": self.dept_alpha.id,
            "code": "GSCWEB-XK-SHORT", "state": "active", "is_published": True,
        })
        hidden = Item.create({
            "name": "GscWeb 未公开许可", "department_id": self.dept_alpha.id, "state": "active",
        })
        cases = [
            ("许可", permit, self.item_published),
            ("营", permit, self.item_published),
            ("xk", permit, self.item_published_beta),  # in the code, lower case
            ("Qu", self.item_published, permit),  # "Quarry", mixed case
        ]
        for keyword, found, not_found in cases:
            with self.subTest(keyword=keyword):
                query = Item.sudo()._gov_public_query(keyword)
                self.assertIn("gov_short_grams", query.select().code)
                records = Item.browse(query)
                self.assertIn(found, records)
                self.assertNotIn(not_found, records)
                self.assertNotIn(hidden, records)
                # the same answer as the plain conditions without the index
                pattern = f"%{keyword}%"
                expected = Item.sudo().search(Item._gov_public_domain() + [
                    "|", "|", ("name", "=ilike", pattern), ("code", "=ilike", pattern),
                    ("national_code", "=ilike", pattern),
                ])
                self.assertEqual(records, expected)
        html = self._get("/service-items?search=%E8%AE%B8%E5%8F%AF")  # 许可
        self.assertIn(permit.name, html)
        self.assertNotIn(hidden.name, html)
        # three characters and more: the trigram indexes, no short substrings
        self.assertNotIn("gov_short_grams", Item.sudo()._gov_public_query("经营许").select().code)

    def test_catalog_page_follows_edits(self):
        """The catalog's body is cached under what it shows: an edit made
        later (a later write date) shows at once."""
        html = self._get("/service-items")
        self.assertIn(self.item_published_beta.name, html)
        self.item_published_beta.name = "GscWeb Renamed Residence Certificate"
        self.dept_beta.name = "GscWeb Renamed Beta Bureau"
        # in a test every write shares one transaction, hence one write date:
        # move it as a later transaction would
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE gov_approval_item SET write_date = write_date + interval '1 second' WHERE id = %s;"
            "UPDATE hr_department SET write_date = write_date + interval '1 second' WHERE id = %s",
            [self.item_published_beta.id, self.dept_beta.id],
        )
        self.env.invalidate_all()
        html = self._get("/service-items")
        self.assertIn("GscWeb Renamed Residence Certificate", html)
        self.assertIn("GscWeb Renamed Beta Bureau", html)
        self.assertNotIn("GscWeb Published Residence Certificate", html)

    def test_catalog_filters(self):
        html = self._get(f"/service-items?department={self.dept_beta.id}")
        self.assertShown(html, self.item_published_beta)
        self.assertNotIn(self.item_published.name, html)
        html = self._get("/service-items?type=licensing")
        self.assertShown(html, self.item_published)
        self.assertNotIn(self.item_published_beta.name, html)
        html = self._get(f"/service-items?type=public_service&department={self.dept_alpha.id}")
        self.assertHidden(html, self.item_published | self.item_published_beta)
        # a department without published items is not a usable filter
        html = self._get(f"/service-items?department={self.dept_empty.id}")
        self.assertShown(html, self.item_published | self.item_published_beta)
        self.assertHidden(html, self.hidden_items)

    def test_catalog_pager(self):
        Item = self.env["gov.approval.item"]
        Item.create(
            [
                {
                    "name": f"GscWeb Paged Item {index:03d}",
                    "department_id": self.dept_empty.id,
                    "state": "active",
                    "is_published": True,
                }
                for index in range(25)
            ]
        )
        html = self._get(f"/service-items?department={self.dept_empty.id}")
        self.assertEqual(html.count("GscWeb Paged Item"), 20)
        self.assertIn(f"/service-items/page/2?department={self.dept_empty.id}", html)
        html = self._get(f"/service-items/page/2?department={self.dept_empty.id}")
        self.assertEqual(html.count("GscWeb Paged Item"), 5)
        html = self._get(f"/service-items?department={self.dept_empty.id}&page=2")
        self.assertEqual(html.count("GscWeb Paged Item"), 5)

    def test_weird_query_strings(self):
        long_value = "x" * 5000
        queries = [
            "search='",
            'search="',
            "search=%25",
            "search=%25%25",
            "search=%5C",
            "search=%5C%5C",
            "search=%00",
            "search=%27%3B%20DROP%20TABLE%20gov_approval_item%3B--",
            "search=<script>alert(1)</script>",
            f"search={long_value}",
            "search=%ff%fe",
            "search=a&search=b",
            "department=abc",
            "department=-1",
            "department=0",
            "department=99999999999999999999",
            f"department={'9' * 5000}",
            "page=-1",
            "page=0",
            "page=abc",
            "page=99999",
            "page=1e9",
            "type=zzz",
            "type=",
            "type=%ff",
            "%ff%fe=%ff%fe",
        ]
        urls = [f"/service-items?{query}" for query in queries] + [
            "/service-items/page/99999",
            "/service-items/page/0",
            "/service-items/page/-1",
        ]
        for url in urls:
            with self.subTest(url=url[:80]):
                response = self.url_open(url, allow_redirects=False)
                self.assertIn(response.status_code, (200, 400, 404), url[:80])
                self.assertNotIn("Traceback", response.text)
                self.assertNotIn("<script>alert(1)</script>", response.text)
        # the search term is echoed capped at 100 characters
        html = self._get(f"/service-items?search={long_value}")
        self.assertIn('value="' + "x" * 100 + '"', html)
        self.assertNotIn("x" * 101, html)

    # ------------------------------------------------------------------
    # service guide
    # ------------------------------------------------------------------
    def test_guide_page(self):
        html = self._get(self.item_published.website_url)
        item = self.item_published
        for text in (
            item.name,
            item.code,
            item.national_code,
            "Administrative Licensing",
            self.dept_alpha.name,
            "GscWeb Mineral Resources Law",
            "GscWeb Applicant holds a business licence.",
            "GscWeb Application Form",
            "GscWeb Site Survey Map",
            "GscWeb Acceptance",
            "GscWeb Expert Review",
            "Does not count toward the time limit",
            "GscWeb 50 yuan per certificate",
            "GscWeb Price Bureau notice",
            "GscWeb Hall B, window 12",
            "GscWeb Mon-Fri 9:00-17:00",
            "0833-1234567",
            "0833-7654321",
            "https://zwfw.example.org/apply/123",
            # preconditions still in force, with a link to a public required item
            "GscWeb Land Use Approval In Force",
            "GscWeb Survey Report In Force",
            "GscWeb Survey Service",
            self.item_published_beta.website_url,
            "GscWeb Draft Prerequisite",
        ):
            self.assertIn(text, html)
        # removed preconditions never show, nor do names of hidden items
        self.assertNotIn("GscWeb Removed Safety Certificate", html)
        self.assertNotIn("GscWeb removed by the clean-up", html)
        self.assertNotIn(self.item_draft.name, html)
        # the editor knows the record shown
        self.assertIn('data-main-object="gov.approval.item(', html)

        html = self._get(self.item_published_beta.website_url)
        self.assertIn("Handled on the spot", html)
        self.assertIn("Free of charge", html)

    def test_guide_unsafe_online_link(self):
        self.item_published.online_url = "javascript:alert(document.cookie)"
        html = self._get(self.item_published.website_url)
        self.assertNotIn("javascript:alert", html)

    @mute_logger("odoo.http", "odoo.addons.http_routing.models.ir_http", "werkzeug")
    def test_guide_not_found(self):
        for item in self.hidden_items:
            with self.subTest(state=item.state, published=item.is_published):
                slug = self.env["ir.http"]._slug(item)
                self._get(f"/service-items/{slug}", expected=404)
                self._get(f"/service-items/{item.id}", expected=404)
        for path in (
            "/service-items/999999999",
            "/service-items/gscweb-999999999",
            "/service-items/99999999999999999999",
            "/service-items/-1",
            "/service-items/0",
            "/service-items/abc",
            "/service-items/abc-xyz",
            "/service-items/%ff%fe",
            "/service-items/%27%22",
            "/service-items/page",
        ):
            with self.subTest(path=path):
                response = self.url_open(path, allow_redirects=False)
                self.assertIn(response.status_code, (400, 404), path)
                self.assertNotIn("Traceback", response.text)
        # once suspended, the published item disappears from the website
        url = self.item_published_beta.website_url
        self._get(url)
        self.item_published_beta.apply_decision("suspended", "GSCWEB-DOC-9", "2026-02-01")
        self._get(url, expected=404)
        self.assertNotIn(self.item_published_beta.name, self._get("/service-items"))

    def test_sitemap(self):
        locs = [
            entry["loc"]
            for entry in GovServiceItemWebsite.sitemap_service_item_guides(self.env, None, "")
        ]
        self.assertIn(self.item_published.website_url, locs)
        slug = self.env["ir.http"]._slug
        for item in self.hidden_items:
            self.assertNotIn(f"/service-items/{slug(item)}", locs)

    # ------------------------------------------------------------------
    # performance
    # ------------------------------------------------------------------
    def _catalog_query_count(self):
        """Queries run by the server to answer GET /service-items (warm caches)."""
        self._get("/service-items")
        self.env.flush_all()
        before = sql_db.sql_counter
        html = self._get("/service-items")
        return sql_db.sql_counter - before, html

    def test_catalog_query_count(self):
        Item = self.env["gov.approval.item"]
        departments = self.env["hr.department"].create(
            [
                {"name": f"GscWeb Perf Department {index}", "gov_code": f"P{index}"}
                for index in range(5)
            ]
        )

        def make_items(count, offset):
            return Item.create(
                [
                    {
                        "name": f"GscWeb Perf Item {offset + index:03d}",
                        "department_id": departments[(offset + index) % len(departments)].id,
                        "item_type": ("licensing", "public_service", "confirmation")[index % 3],
                        "promised_days": index % 2,
                        "statutory_days": 5,
                        "state": "active",
                        "is_published": True,
                    }
                    for index in range(count)
                ]
            )

        published = [("state", "=", "active"), ("is_published", "=", True)]
        # start from an empty public catalog (the database may hold demo data)
        Item.search(published).write({"is_published": False})
        make_items(10, 0)
        self.assertEqual(Item.search_count(published), 10)
        count_10, html_10 = self._catalog_query_count()
        self.assertEqual(html_10.count('o_gov_service_item"'), 10)

        make_items(190, 100)
        self.assertEqual(Item.search_count(published), 200)
        count_200, html_200 = self._catalog_query_count()
        self.assertEqual(html_200.count('o_gov_service_item"'), 20)

        self.assertEqual(
            count_10,
            count_200,
            "The catalog page must not run more queries when there are more items",
        )

    # ------------------------------------------------------------------
    # languages
    # ------------------------------------------------------------------
    def test_catalog_zh_cn(self):
        lang = self.env["res.lang"]._activate_lang("zh_CN")
        website = self.env["website"].get_current_website()
        website.language_ids = [(4, lang.id)]
        self.item_published.with_context(lang="zh_CN").name = "GscWeb 采矿许可"
        html = self._get("/zh_CN/service-items")
        self.assertIn("GscWeb 采矿许可", html)
        self.assertNotIn("Traceback", html)
        html = self._get("/zh_CN/service-items?search=采矿")
        self.assertIn("GscWeb 采矿许可", html)
        self.assertNotIn(self.item_published_beta.name, html)
        html = self._get(f"/zh_CN/service-items/{self.env['ir.http']._slug(self.item_published)}")
        self.assertIn("GscWeb 采矿许可", html)
        # the English page keeps the source name
        self.opener.cookies.clear()
        self.assertIn("GscWeb Published Quarry Permit", self._get("/service-items"))
