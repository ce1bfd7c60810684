# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, timedelta

from odoo import sql_db
from odoo.tests import HttpCase, tagged

from .common import make_uscc, website_in_english


@tagged("post_install", "-at_install")
class TestIntermediaryWebsite(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        website_in_english(cls.env)  # the texts checked below are English
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        Type = cls.env["gov.intermediary.service.type"]
        cls.type_alpha, cls.type_beta = Type.create(
            [
                {"name": "GscInt Alpha Survey", "code": "GSCINT-A"},
                {"name": "GscInt Beta Review", "code": "GSCINT-B"},
            ]
        )
        cls.serial = 7000

        def make(name, service_type=None, state="filed", published=True, expiry=None, **vals):
            cls.serial += 1
            service_type = service_type or cls.type_alpha
            return cls.env["gov.intermediary"].create(
                dict(
                    {
                        "name": name,
                        "uscc": make_uscc(cls.serial),
                        "filing_state": state,
                        "website_published": published,
                        "credit_grade": "B",
                        "qualification_ids": [(0, 0, {
                            "name": f"GSCQ-{cls.serial}",
                            "issuer": "GscInt Provincial Bureau",
                            "service_type_id": service_type.id,
                            "date_expiry": expiry,
                        })],
                    },
                    **vals,
                )
            )

        cls.make = staticmethod(make)
        cls.shown_alpha = make("GscInt Shown Alpha Co")
        cls.shown_beta = make("GscInt Shown Beta Co", service_type=cls.type_beta)
        cls.expired_cert = make(
            "GscInt Expired Cert Co", expiry=date.today() - timedelta(days=3)
        )
        cls.unpublished = make("GscInt Unpublished Co", published=False)
        cls.draft = make("GscInt Draft Co", state="submitted")
        cls.revoked = make("GscInt Revoked Co", state="revoked")
        cls.restricted = make("GscInt Restricted Co")
        cls.restriction = cls.env["gov.credit.restriction"].create(
            {
                "intermediary_id": cls.restricted.id,
                "reason": "GscInt forged report",
                "decision_ref": "GSCINT-DEC-1",
                "date_start": date.today() - timedelta(days=5),
                "date_end": date.today() + timedelta(days=100),
            }
        )
        cls.lifted = make("GscInt Lifted Co")
        lifted = cls.env["gov.credit.restriction"].create(
            {
                "intermediary_id": cls.lifted.id,
                "reason": "GscInt late delivery",
                "decision_ref": "GSCINT-DEC-2",
                "date_start": date.today() - timedelta(days=50),
            }
        )
        lifted.action_lift(reason="Repaired")

    def _get(self, url, expected=200):
        response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, expected, f"{url} -> {response.status_code}")
        self.assertNotIn("Traceback", response.text)
        return response.text

    def test_directory_public_only(self):
        html = self._get("/intermediaries")
        for shown in (self.shown_alpha, self.shown_beta, self.lifted, self.expired_cert):
            self.assertIn(shown.name, html)
        self.assertIn(self.shown_alpha.uscc, html)
        self.assertIn(self.shown_alpha.qualification_ids.name, html)
        for hidden in (self.unpublished, self.draft, self.revoked, self.restricted):
            self.assertNotIn(hidden.name, html)
        # expired certificates are not shown as qualifications
        self.assertNotIn(self.expired_cert.qualification_ids.name, html)
        self.assertIn(self.type_alpha.name, html)
        self.assertIn(self.type_beta.name, html)

    def test_directory_filters(self):
        html = self._get(f"/intermediaries?type={self.type_beta.id}")
        self.assertIn(self.shown_beta.name, html)
        self.assertNotIn(self.shown_alpha.name, html)
        html = self._get("/intermediaries?search=Shown+Alpha")
        self.assertIn(self.shown_alpha.name, html)
        self.assertNotIn(self.shown_beta.name, html)
        html = self._get(f"/intermediaries?search={self.shown_beta.uscc}")
        self.assertIn(self.shown_beta.name, html)
        self.assertNotIn(self.shown_alpha.name, html)
        # searching cannot reveal hidden providers
        html = self._get("/intermediaries?search=GscInt+Restricted")
        self.assertNotIn(self.restricted.name, html)

    def test_directory_bad_input(self):
        for query in (
            "type=abc", "type=-1", "type=0", "type=99999999999999999999", f"type={'9' * 5000}",
            "search=%00", "search=%25", "search=%ff%fe", f"search={'x' * 5000}",
            "search=<script>alert(1)</script>", "search=a&search=b", "%ff=%ff",
        ):
            with self.subTest(query=query[:40]):
                response = self.url_open(f"/intermediaries?{query}", allow_redirects=False)
                self.assertIn(response.status_code, (200, 400, 404))
                self.assertNotIn("Traceback", response.text)
                self.assertNotIn("<script>alert(1)</script>", response.text)

    def test_restricted_page(self):
        html = self._get("/intermediaries/restricted")
        self.assertIn(self.restricted.name, html)
        self.assertIn(self.restricted.uscc, html)
        self.assertIn("GscInt forged report", html)
        self.assertIn("GSCINT-DEC-1", html)
        self.assertNotIn(self.lifted.name, html)
        self.assertNotIn("GSCINT-DEC-2", html)
        self.assertNotIn(self.shown_alpha.name, html)

    def test_restricted_pages(self):
        # one page of at most 50 restrictions; past the last page, the last page
        html = self._get("/intermediaries/restricted/page/7")
        self.assertIn(self.restricted.name, html)
        for url in ("/intermediaries/restricted/page/0", "/intermediaries/restricted/page/abc",
                    "/intermediaries/results/2021/page/abc"):
            with self.subTest(url=url):
                response = self.url_open(url, allow_redirects=False)
                self.assertIn(response.status_code, (200, 404))
                self.assertNotIn("Traceback", response.text)

    def test_no_backend_access_for_public(self):
        # the public user reads nothing outside the sudo controllers
        self.authenticate(None, None)
        response = self.url_open(
            "/web/dataset/call_kw/gov.intermediary/search_read",
            data='{"jsonrpc": "2.0", "method": "call", "params": {"model": "gov.intermediary", '
            '"method": "search_read", "args": [], "kwargs": {}}}',
            headers={"Content-Type": "application/json"},
        )
        self.assertNotIn(self.unpublished.name, response.text)

    def _directory_query_count(self):
        self._get("/intermediaries")
        self.env.flush_all()
        before = sql_db.sql_counter
        html = self._get("/intermediaries")
        return sql_db.sql_counter - before, html

    def test_directory_query_count(self):
        Intermediary = self.env["gov.intermediary"]
        public = Intermediary._gov_public_domain()

        def make_many(count):
            for _index in range(count):
                self.make(
                    f"GscInt Perf {self.serial}",
                    service_type=(self.type_alpha, self.type_beta)[self.serial % 2],
                )

        make_many(10 - Intermediary.search_count(public))
        self.assertEqual(Intermediary.search_count(public), 10)
        count_10, html_10 = self._directory_query_count()
        self.assertEqual(html_10.count('class="o_gov_intermediary"'), 10)
        make_many(200 - Intermediary.search_count(public))
        self.assertEqual(Intermediary.search_count(public), 200)
        count_200, html_200 = self._directory_query_count()
        # one page of 20, whatever the number of providers
        self.assertEqual(html_200.count('class="o_gov_intermediary"'), 20)
        self.assertIn("200 intermediaries", html_200)
        self.assertIn("/intermediaries/page/2", html_200)
        self.assertEqual(
            count_10, count_200, "The directory must not run more queries for more providers"
        )

    def test_directory_pages(self):
        Intermediary = self.env["gov.intermediary"]
        public = Intermediary._gov_public_domain()
        while Intermediary.search_count(public) < 45:
            self.make(f"GscInt Page {self.serial}", credit_grade="C")
        names = Intermediary.search(public, order="name, id").mapped("name")
        seen = []
        for page in (1, 2, 3):
            url = "/intermediaries" if page == 1 else f"/intermediaries/page/{page}"
            html = self._get(url)
            rows = html.count('class="o_gov_intermediary"')
            self.assertEqual(rows, min(20, len(names) - 20 * (page - 1)))
            seen += [name for name in names if f"<td>{name}</td>" in html]
        self.assertEqual(sorted(seen), sorted(names), "every provider is on exactly one page")
        # past the last page: the last page, no error
        self.assertEqual(self._get("/intermediaries/page/999").count('class="o_gov_intermediary"'),
                         len(names) - 40)

    def test_directory_grade_filter(self):
        graded = self.make("GscInt Graded A Co", credit_grade="A")
        html = self._get("/intermediaries?grade=A")
        self.assertIn(graded.name, html)
        self.assertNotIn(self.shown_alpha.name, html)
        # grades nobody published holds, and garbage, are ignored
        for grade in ("E", "Z", "%00", "A" * 500):
            with self.subTest(grade=grade[:10]):
                html = self._get(f"/intermediaries?grade={grade}")
                self.assertIn(self.shown_alpha.name, html)
        # filters combine and are kept by the pager links
        html = self._get(f"/intermediaries?grade=A&type={self.type_alpha.id}&search=Graded")
        self.assertIn(graded.name, html)
        self.assertIn("1 intermediaries", html)

    def test_directory_totals(self):
        """The number of providers shown equals a count of the same filters,
        whether it comes from the filters' own counts or from a count."""
        Intermediary = self.env["gov.intermediary"]
        self.make("GscInt Total A Co", credit_grade="A")
        self.make("GscInt Total No Grade Co", credit_grade=False)
        public = Intermediary._gov_public_domain()
        cases = [
            ("", []),
            ("grade=A", [("credit_grade", "=", "A")]),
            (f"type={self.type_alpha.id}", [("service_type_ids", "in", self.type_alpha.ids)]),
            (f"type={self.type_alpha.id}&grade=A",
             [("service_type_ids", "in", self.type_alpha.ids), ("credit_grade", "=", "A")]),
            ("search=GscInt+Total", [("name", "ilike", "GscInt Total")]),
        ]
        for query, domain in cases:
            with self.subTest(query=query):
                html = self._get(f"/intermediaries?{query}")
                expected = Intermediary.search_count(public + domain)
                self.assertIn(f"{expected} intermediaries", html)

    def test_results_page(self):
        Score = self.env["gov.intermediary.year.score"]
        self.env["gov.intermediary.evaluation"].create(
            [
                {"intermediary_id": self.shown_alpha.id, "year": 2021, "source": "owner", "rating": 5},
                {"intermediary_id": self.shown_beta.id, "year": 2021, "source": "department",
                 "score": 65, "comment": "GscInt private comment"},
            ]
        )
        # draft scores are not public
        Score.compute_year(2021)
        self._get("/intermediaries/results/2021", expected=404)
        scores = Score.publish_year(2021)
        scores.filtered(lambda score: score.intermediary_id == self.shown_alpha)\
            .action_confirm_commendation()
        html = self._get("/intermediaries/results/2021")
        self.assertIn(self.shown_alpha.name, html)
        self.assertIn(self.shown_beta.name, html)
        self.assertIn('class="o_gov_commended"', html)
        self.assertNotIn("GscInt private comment", html)
        for url in ("/intermediaries/results/1999", "/intermediaries/results/2030",
                    "/intermediaries/results/99999999999999", "/intermediaries/results/abc"):
            response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 404, url)
            self.assertNotIn("Traceback", response.text)
