# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The website front door: the home page, the center's identity in the header,
the footer and the printed documents, Chinese as the site's language,
accessible markup and read-only public pages."""
import re

from freezegun import freeze_time
from lxml import html as lxml_html

from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, TransactionCase, tagged

from ..hooks import SITE_LANG, set_site_language
from ..models.gov_settings import get_setting, param_key

MODULE = "odoo.addons.gov_service_center."

# Odoo's sample content, which a government website must not show
PLACEHOLDERS = (
    "YourLogo",
    "+1 555",
    "555-555",
    "我们是一支充满激情的团队",
    "We are a team of passionate people",
    "公司名称",
    "Powered by",
    "由 Odoo 提供支持",
    "创建免费的网站",
    "free website",
    "Your Company",
    "info@yourcompany",
    "Free Returns",
)
# links of Odoo's sample footer
PLACEHOLDER_LINKS = (">产品<", ">Products<", ">服务<", ">Services<", ">关于我们<", ">About us<")

# public GET routes of the module allowed to use the primary database, with the reason
READ_WRITE_ALLOWED = {
    "/policies/<string:slug>": "counts the visit of the document (gov.policy.visit)",
}

# values of the URL parameters of the public pages, by parameter name
SAMPLE_PAGES = 1


def module_public_routes(env):
    """``(url, routing)`` of every public route of the module that answers
    GET, from the routing map."""
    routes = []
    for rule in env["ir.http"].routing_map().iter_rules():
        endpoint = rule.endpoint
        routing = endpoint.routing
        if not (endpoint.func.__module__ or "").startswith(MODULE):
            continue
        if routing.get("auth") != "public":
            continue
        methods = routing.get("methods")
        if methods is not None and "GET" not in methods:
            continue
        routes.append((rule.rule, routing))
    return sorted(routes, key=lambda route: route[0])


def identity_values():
    return {
        "gov_center_hours": "周一至周五 9:00-12:00，13:30-17:30",
        "gov_complaint_phone": "12345",
        "gov_site_sponsor": "GscFront 市人民政府办公室",
        "gov_site_code": "5114000099",
        "gov_icp_number": "蜀ICP备00000099号",
        "gov_psb_number": "川公网安备 51140202000099号",
    }


@tagged("post_install", "-at_install")
class TestWebsiteIdentitySettings(TransactionCase):
    def test_identity_saved_and_read(self):
        company = self.env.company
        company.write({"name": "GscFront Center", "phone": "028-00000099", "city": "GscCity"})
        settings = self.env["res.config.settings"].create(identity_values())
        settings.execute()
        identity = company._gov_identity()
        self.assertEqual(identity["name"], "GscFront Center")
        self.assertEqual(identity["hotline"], "028-00000099")
        self.assertIn("GscCity", identity["address"])
        self.assertEqual(identity["hours"], "周一至周五 9:00-12:00，13:30-17:30")
        self.assertEqual(identity["complaint_phone"], "12345")
        self.assertEqual(identity["sponsor"], "GscFront 市人民政府办公室")
        self.assertEqual(identity["site_code"], "5114000099")
        self.assertEqual(identity["icp_number"], "蜀ICP备00000099号")
        self.assertEqual(identity["psb_code"], "51140202000099")
        self.assertFalse(identity["logo_url"], "the default logo is never shown")
        reopened = self.env["res.config.settings"].create({})
        self.assertEqual(reopened.gov_icp_number, "蜀ICP备00000099号")

    def test_optional_fields_can_be_cleared(self):
        self.env["res.config.settings"].create(identity_values()).execute()
        self.env["res.config.settings"].create(
            {"gov_icp_number": "", "gov_site_sponsor": " "}
        ).execute()
        self.assertEqual(get_setting(self.env, "icp_number"), "")
        self.assertEqual(get_setting(self.env, "site_sponsor"), "")
        self.assertFalse(
            self.env["ir.config_parameter"].sudo().get_param(param_key("icp_number"))
        )
        # the others are kept
        self.assertEqual(get_setting(self.env, "site_code"), "5114000099")

    def test_identity_on_printed_documents(self):
        self.env["res.config.settings"].create(identity_values()).execute()
        department = self.env["hr.department"].create({"name": "GscFront Doc Bureau"})
        item = self.env["gov.approval.item"].create({
            "name": "GscFront Printed Item", "department_id": department.id,
            "statutory_days": 5, "promised_days": 5,
        })
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            "gov_service_center.action_report_gov_approval_item_catalog", item.ids
        )
        html = html.decode() if isinstance(html, bytes) else html
        self.assertIn("o_gov_report_identity", html)
        self.assertIn("周一至周五 9:00-12:00，13:30-17:30", html)
        self.assertIn("12345", html)

    def test_site_code_checked(self):
        settings = self.env["res.config.settings"].create({"gov_site_code": "51140-0001"})
        with self.assertRaises(ValidationError):
            settings.execute()

    def test_complaint_line_defaults_to_12345(self):
        self.env["ir.config_parameter"].sudo().set_param(param_key("complaint_phone"), False)
        self.assertEqual(self.env.company._gov_identity()["complaint_phone"], "12345")


@tagged("post_install", "-at_install")
class TestSiteLanguage(TransactionCase):
    def test_chinese_from_the_install(self):
        lang = self.env["res.lang"]._lang_get(SITE_LANG)
        self.assertTrue(lang.active)
        for website in self.env["website"].search([]):
            self.assertEqual(website.default_lang_id, lang)
            self.assertEqual(website.language_ids, lang)
        # the translations of Odoo and of the module are loaded
        menu = self.env.ref("gov_service_center.website_menu_service_items")
        self.assertEqual(menu.with_context(lang=SITE_LANG).name, "办事指南")
        # the menus of each website too
        menus = self.env["website.menu"].with_context(lang=SITE_LANG).search(
            [("url", "=", "/complaint"), ("website_id", "!=", False)]
        )
        self.assertTrue(menus)
        self.assertEqual(set(menus.mapped("name")), {"投诉"})
        # Odoo's own "Home" entry, on the template and on each website
        homes = self.env["website.menu"].with_context(lang=SITE_LANG).search([("url", "=", "/")])
        self.assertTrue(homes)
        self.assertEqual(set(homes.mapped("name")), {"首页"})

    def test_hook_keeps_an_active_language(self):
        """Run again (a second website, zh_CN already active), the hook sets
        Chinese without reloading anything."""
        website = self.env["website"].create({"name": "GscFront Second Site"})
        set_site_language(self.env)
        self.assertEqual(website.default_lang_id.code, SITE_LANG)
        self.assertEqual(website.language_ids.mapped("code"), [SITE_LANG])


class FrontFixtures:
    @classmethod
    def _front_setup(cls):
        env = cls.env
        cls.company = env.company
        cls.company.write({
            "name": "GscFront 眉山市政务服务中心",
            "phone": "028-38100099",
            "email": "gscfront@example.org",
            "city": "眉山市",
            "street": "GscFront 东坡区湖滨路 1 号",
        })
        env["res.config.settings"].create(identity_values()).execute()
        department = env["hr.department"].create({"name": "GscFront Bureau", "gov_code": "GF"})
        Item = env["gov.approval.item"]
        cls.items = Item.create([
            {
                "name": f"GscFront Item {index}",
                "department_id": department.id,
                "item_type": "licensing",
                "statutory_days": 20,
                "promised_days": 5,
                "state": "active",
                "is_published": True,
                "online_available": index == 0,
            }
            for index in range(3)
        ])
        cls.policy = env["gov.policy.document"].create({
            "name": "GscFront Policy On Services",
            "doc_number": "GSCFRONT〔2026〕1号",
            "issuer": "GscFront City",
            "date_issued": "2026-01-05",
            "is_published": True,
        })
        Zone = env["gov.hall.zone"]
        cls.zone = Zone.create({
            "name": "GscFront Approval Zone", "code": "GSCFZA", "ticket_prefix": "F",
            "location": "GscFront 1F east",
        })
        cls.zone_empty = Zone.create({"name": "GscFront Tax Zone", "code": "GSCFZB"})
        Ticket = env["gov.queue.ticket"].sudo()
        Ticket.create([{"zone_id": cls.zone.id, "priority": "normal"} for _i in range(2)])


@tagged("post_install", "-at_install")
class TestHomeValues(FrontFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._front_setup()
        cls.website = cls.env["website"].get_current_website()

    def test_figures(self):
        values = self.website._gov_home_values()
        figures = values["figures"]
        public = self.env["gov.approval.item"].sudo().search_count(
            self.env["gov.approval.item"]._gov_public_domain()
        )
        self.assertEqual(figures["active_items"], public)
        self.assertGreaterEqual(figures["visitors_today"], 2)
        if "gov.case" not in self.env:
            self.assertEqual(figures["cases_done_month"], 0)
        self.assertIn(self.policy, values["policies"])
        waiting = dict(values["zones"])
        self.assertEqual(waiting[self.zone], 2)
        self.assertEqual(waiting[self.zone_empty], 0)

    def test_query_count_does_not_grow(self):
        """The home page reads its figures and lists with a fixed number of
        queries, whatever the number of zones, policies and news."""
        def count():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            values = self.website._gov_home_values()
            for zone, _waiting in values["zones"]:
                zone.name, zone.location  # noqa: B018 - read as the template does
            for policy in values["policies"]:
                policy.name, policy.website_url  # noqa: B018
            return self.env.cr.sql_log_count - before

        count()  # warm-up
        first = count()
        self.env["gov.hall.zone"].create([
            {"name": f"GscFront More Zone {index}", "code": f"GSCFM{index}"} for index in range(5)
        ])
        self.env["gov.policy.document"].create([
            {"name": f"GscFront More Policy {index}", "issuer": "GscFront City",
             "date_issued": "2026-02-0%d" % (index + 1), "is_published": True}
            for index in range(5)
        ])
        self.assertEqual(count(), first)


@tagged("post_install", "-at_install")
class TestWebsiteFront(FrontFixtures, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._front_setup()
        cls.env.registry.clear_cache("templates")

    def _get(self, url, headers=None):
        response = self.url_open(url, headers=headers, timeout=60)
        return response

    def test_copyright_year_turns_on_new_year(self):
        """The cached footer shows the center's year: 2026 at 23:30 on 31
        December in Beijing, 2027 half an hour later (still 2026 in UTC)."""
        with freeze_time("2026-12-31 15:30:00"):
            html = self._get("/").text
            self.assertIn("© 2026", html)
            self.assertIn("© 2026", self._get("/").text)  # from the cache
        with freeze_time("2026-12-31 16:30:00"):
            html = self._get("/").text
            self.assertIn("© 2027", html)
            self.assertNotIn("© 2026", html)

    def _sample_urls(self):
        """Every public page of the module (GET), with sample parameters."""
        slug = self.env["ir.http"]._slug
        samples = {
            "/service-items/<string:slug>": f"/service-items/{slug(self.items[0])}",
            "/policies/<string:slug>": f"/policies/{slug(self.policy)}",
        }
        urls = ["/"]
        for url, routing in module_public_routes(self.env):
            if url in samples:
                urls.append(samples[url])
                continue
            if "<" not in url:
                urls.append(url)
                continue
            # other parameters: a sample number; the page may answer 404,
            # which is a page of the site too
            urls.append(re.sub(r"<(?:[a-z]+:)?[a-z_]+>", "1", url))
        return urls

    def test_home_page(self):
        response = self._get("/")
        self.assertEqual(response.status_code, 200)
        page = response.text
        tree = lxml_html.fromstring(page)
        # search over the service items
        form = tree.xpath("//form[hasclass('o_gov_home_search')]")[0]
        self.assertEqual(form.get("action"), "/service-items")
        self.assertEqual(form.get("method"), "get")
        self.assertTrue(form.xpath(".//input[@name='search']"))
        # entries to every public service
        hrefs = set(tree.xpath("//*[hasclass('o_gov_home_services')]//a/@href"))
        for url in ("/service-items", "/service-items?online=1", "/cases/track",
                    "/consultation", "/mailbox", "/complaint", "/intermediaries",
                    "/policies", "/honor-roll", "/news"):
            self.assertIn(url, hrefs)
        self.assertIn("/news", hrefs)
        # live figures, latest policies, the hall and its zones
        active = str(self.env["gov.approval.item"].sudo().search_count(
            self.env["gov.approval.item"]._gov_public_domain()
        ))
        self.assertEqual(
            tree.xpath("string(//*[hasclass('o_gov_figure_items')]//*[hasclass('o_gov_figure_value')])").strip(), active
        )
        self.assertIn("GscFront Policy On Services", page)
        self.assertIn(self.policy.website_url, page)
        rows = {
            row.xpath("string(th)").strip(): row.xpath("string(td[hasclass('o_gov_home_waiting')])").strip()
            for row in tree.xpath("//tr[hasclass('o_gov_home_zone')]")
        }
        self.assertEqual(rows.get("GscFront Approval Zone"), "2")
        self.assertEqual(rows.get("GscFront Tax Zone"), "0")
        self.assertIn("GscFront 东坡区湖滨路 1 号", page)
        self.assertIn("周一至周五 9:00-12:00，13:30-17:30", page)
        # editable blocks for the website editor
        self.assertTrue(tree.xpath("//*[@id='oe_structure_gov_home_services'][hasclass('oe_structure')]"))

    def test_online_filter(self):
        page = self._get("/service-items?online=1").text
        self.assertIn("GscFront Item 0", page)
        self.assertNotIn("GscFront Item 1", page)

    def test_identity_in_header_and_footer(self):
        page = self._get("/service-items").text
        tree = lxml_html.fromstring(page)
        header = lxml_html.tostring(tree.xpath("//header")[0], encoding="unicode")
        footer = lxml_html.tostring(tree.xpath("//footer")[0], encoding="unicode")
        self.assertIn("GscFront 眉山市政务服务中心", header)
        self.assertIn("028-38100099", header)
        for text in ("GscFront 眉山市政务服务中心", "028-38100099", "12345",
                     "GscFront 市人民政府办公室", "5114000099", "蜀ICP备00000099号",
                     "川公网安备 51140202000099号", "https://beian.miit.gov.cn/",
                     "51140202000099", "gscfront@example.org"):
            self.assertIn(text, footer)
        # menu entries of every public service
        menu_urls = set(tree.xpath("//header//a/@href"))
        for url in ("/service-items", "/policies", "/intermediaries", "/consultation",
                    "/mailbox", "/complaint", "/honor-roll"):
            self.assertIn(url, menu_urls)
        # empty fields are not shown
        self.env["res.config.settings"].create(
            {"gov_icp_number": "", "gov_site_sponsor": ""}
        ).execute()
        footer = lxml_html.tostring(
            lxml_html.fromstring(self._get("/service-items").text).xpath("//footer")[0],
            encoding="unicode",
        )
        self.assertNotIn("蜀ICP备00000099号", footer)
        self.assertNotIn("o_gov_icp", footer)
        self.assertNotIn("o_gov_sponsor", footer)
        self.assertIn("5114000099", footer)

    def test_no_placeholder_on_public_pages(self):
        urls = self._sample_urls()
        self.assertGreater(len(urls), 15)
        checked = 0
        for url in urls:
            with self.subTest(url=url):
                response = self._get(url)
                self.assertLess(response.status_code, 500)
                if "text/html" not in response.headers.get("Content-Type", ""):
                    continue
                checked += 1
                for text in PLACEHOLDERS + PLACEHOLDER_LINKS:
                    self.assertNotIn(text, response.text)
        self.assertGreater(checked, 15)

    def test_chinese_for_an_english_browser(self):
        response = self._get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
        self.assertEqual(response.status_code, 200)
        self.assertIn('lang="zh-CN"', response.text)
        self.assertIn("办事指南", response.text)
        self.assertNotIn("Service Guide", response.text)
        # no English version of the pages either
        response = self._get("/en/service-items", headers={"Accept-Language": "en-US"})
        self.assertNotIn('lang="en-US"', response.text)

    def test_accessibility_markup(self):
        """Every field of every public page has a label; the pages scale on
        phones; the large-text switch is in the header with its script."""
        for url in self._sample_urls():
            response = self._get(url)
            if "text/html" not in response.headers.get("Content-Type", ""):
                continue
            tree = lxml_html.fromstring(response.text)
            if not tree.xpath("//div[@id='wrapwrap']"):
                continue  # not a page of the website (e.g. a bare 404 of an image route)
            with self.subTest(url=url):
                self.assertTrue(tree.xpath("//meta[@name='viewport'][contains(@content, 'width=device-width')]"))
                self.assertTrue(tree.xpath("//html[@lang]"))
                labels = set(tree.xpath("//label/@for"))
                fields = tree.xpath(
                    "//main//input[not(@type='hidden') and not(@type='submit') and not(@type='button')]"
                    " | //main//select | //main//textarea"
                )
                for field in fields:
                    if field.xpath("ancestor::*[@aria-hidden='true']"):
                        continue  # the honeypot, hidden from everyone
                    labelled = (
                        field.get("id") in labels
                        or field.get("aria-label")
                        or field.get("aria-labelledby")
                        or field.xpath("ancestor::label")
                    )
                    self.assertTrue(
                        labelled, f"unlabelled field {field.get('name')!r} on {url}"
                    )
                toggle = tree.xpath("//header//button[hasclass('o_gov_large_text_toggle')]")
                self.assertTrue(toggle)
                self.assertEqual(toggle[0].get("aria-pressed"), "false")
                self.assertTrue(tree.xpath("//a[@href='#wrap'][hasclass('visually-hidden-focusable')]"))
        assets = self.env["ir.asset"]._get_asset_paths("web.assets_frontend", {})
        paths = {asset[0] for asset in assets}
        self.assertIn("/gov_service_center/static/src/js/gov_large_text.js", paths)
        self.assertIn("/gov_service_center/static/src/scss/gov_website.scss", paths)


@tagged("post_install", "-at_install")
class TestPublicRoutesReadonly(TransactionCase):
    def test_public_get_routes_are_read_only(self):
        """Public pages that write nothing are served by a read-only cursor,
        i.e. by the PostgreSQL replica when ``db_replica_host`` is set."""
        routes = module_public_routes(self.env)
        get_only = [
            (url, routing) for url, routing in routes
            if routing.get("methods") is None or set(routing["methods"]) <= {"GET", "HEAD"}
        ]
        self.assertGreater(len(get_only), 10)
        not_readonly = sorted(
            url for url, routing in get_only
            if routing.get("readonly") is not True and url not in READ_WRITE_ALLOWED
        )
        self.assertFalse(
            not_readonly,
            "public GET routes not read-only (declare readonly=True, or add them to "
            "READ_WRITE_ALLOWED with the reason): %s" % not_readonly,
        )
        # the allow-list holds only routes that exist and are read-write
        by_url = dict(get_only)
        for url, reason in READ_WRITE_ALLOWED.items():
            self.assertIn(url, by_url, reason)
            self.assertIsNot(by_url[url].get("readonly"), True, reason)
        # pages that show a form on GET and take it on POST: read-only on GET
        for url, routing in routes:
            if callable(routing.get("readonly")):
                self.assertIn("POST", routing.get("methods") or ["POST"], url)
