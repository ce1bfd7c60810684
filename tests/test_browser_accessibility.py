# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""axe-core (https://github.com/dequelabs/axe-core) in Chromium on every
public page of the module: a 'serious' or 'critical' violation fails the test
and is printed (rule, help, elements). scripts/test installs axe-core in
.local/node (scripts/lib.sh, GSC_AXE_VERSION); without it the test is skipped."""
import json
import os
from unittest import SkipTest

from odoo.tests import HttpCase, tagged

from .common import make_uscc

MODULE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AXE_JS = os.environ.get("GSC_AXE_JS") or os.path.join(
    MODULE_ROOT, ".local", "node", "node_modules", "axe-core", "axe.min.js"
)
FAILING_IMPACTS = ("serious", "critical")

# Every serious or critical violation fails, in the module's pages as in the
# layout around them (header, footer, copyright line) and on the department
# news blog (website_blog's templates, fixed by views/website_blog_templates.xml).

# Load axe-core (a public attachment of the test, so that the code run and
# logged by browser_js stays short), run it once the page is loaded, print the
# failing violations with console.error (which fails browser_js), else the
# success signal.
AXE_RUN = """
(async () => {
    const report = (kind, message) => console[kind](message);
    await new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = %(axe_url)s;
        script.onload = resolve;
        script.onerror = () => reject(new Error("axe-core could not be loaded"));
        document.head.appendChild(script);
    });
    const results = await axe.run(document, {resultTypes: ["violations"]});
    const failing = results.violations
        .filter((v) => %(impacts)s.includes(v.impact))
        .map((v) => [v, v.nodes]);
    const describe = (list) => {
        const lines = [];
        for (const [v, nodes] of list) {
            lines.push(`[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`);
            for (const node of nodes.slice(0, 8)) {
                lines.push(`    ${node.target.join(" ")}  ${node.html.slice(0, 160)}`);
                lines.push(`        ${(node.failureSummary || "").split("\\n").slice(1, 2).join("").trim()}`);
            }
            if (nodes.length > 8) {
                lines.push(`    ... and ${nodes.length - 8} more`);
            }
        }
        return lines.join("\\n");
    };
    const page = location.pathname + location.search;
    if (failing.length) {
        report("error", `axe-core: ${failing.length} serious or critical violation(s) on ${page}:\\n` + describe(failing));
    } else {
        report("log", "test successful");
    }
})();
"""


@tagged("post_install", "-at_install", "gsc_browser")
class TestBrowserAccessibility(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not os.path.isfile(AXE_JS):
            raise SkipTest(f"axe-core not found at {AXE_JS} (scripts/test installs it)")
        with open(AXE_JS, "rb") as axe_file:
            axe_source = axe_file.read()
        env = cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.axe_attachment = env["ir.attachment"].create({
            "name": "axe.min.js", "raw": axe_source, "mimetype": "application/javascript",
            "public": True,
        })
        department = env["hr.department"].create(
            {"name": "GscAxe Housing Bureau", "gov_code": "GAX", "gov_is_stationed": True}
        )
        cls.item = env["gov.approval.item"].create({
            "name": "GscAxe Construction Permit", "department_id": department.id,
            "item_type": "licensing", "statutory_days": 20, "promised_days": 10,
        })
        cls.item.apply_decision("added", "GscAxe Decision No. 1", "2026-01-05")
        cls.item.is_published = True
        category = env["gov.policy.category"].create({"name": "GscAxe Approval", "code": "GAX-P"})
        cls.document = env["gov.policy.document"].create({
            "name": "GscAxe Measures on Approvals", "doc_number": "GscAxe [2026] 1",
            "issuer": "GscAxe City Government", "date_issued": "2026-01-05",
            "category_id": category.id, "is_published": True,
        })
        service_type = env["gov.intermediary.service.type"].create(
            {"name": "GscAxe Surveying", "code": "GAX-S", "min_providers": 1}
        )
        cls.intermediary = env["gov.intermediary"].create({
            "name": "GscAxe Survey Company", "uscc": make_uscc(9101),
            "filing_state": "filed", "service_type_ids": [(6, 0, service_type.ids)],
            "website_published": True,
        })
        zone = env["gov.hall.zone"].create({"name": "GscAxe Zone", "code": "GAXZ", "ticket_prefix": "X"})
        cls.window = env["gov.service.window"].create(
            {"name": "GscAxe Window", "code": "GAX-01", "zone_id": zone.id,
             "department_id": department.id}
        )
        blog = env["blog.blog"].search([], limit=1) or env["blog.blog"].create({"name": "GscAxe News"})
        cls.blog_post = env["blog.post"].create({
            "name": "GscAxe New Service Windows", "blog_id": blog.id, "is_published": True,
            "content": "<p>The hall opens two new windows.</p>",
        })

    def _pages(self):
        slug = self.env["ir.http"]._slug
        return [
            "/",
            "/service-items",
            self.item.website_url,
            "/consultation",
            "/consultation/track",
            "/consultation/answers",
            "/mailbox",
            "/complaint",
            "/complaint/track",
            "/intermediaries",
            f"/intermediaries?search={self.intermediary.name}",
            "/intermediaries/restricted",
            "/intermediaries/draws",
            "/intermediaries/apply",
            "/policies",
            self.document.website_url,
            f"/service-rating?window={self.window.code}",
            "/hall/ticket",
            "/hall/display",
            "/honor-roll",
            # a year of published intermediary results, when there is one
            *[f"/intermediaries/results/{year}" for year in self.env[
                "gov.intermediary.year.score"].sudo().search(
                    [("state", "=", "published")], order="year desc", limit=1).mapped("year")],
            "/blog",
            "/news",
            f"/blog/{slug(self.blog_post.blog_id)}",
            f"/blog/{slug(self.blog_post.blog_id)}/{slug(self.blog_post)}",
        ]

    def test_public_pages(self):
        code = AXE_RUN % {
            "axe_url": json.dumps(f"/web/content/{self.axe_attachment.id}"), "impacts": json.dumps(FAILING_IMPACTS),
        }
        for url in self._pages():
            with self.subTest(url=url):
                try:
                    self.browser_js(url, code, "document.readyState === 'complete'", timeout=60)
                except self.failureException as error:
                    # browser_js quotes the whole code: keep the violations
                    raise self.failureException(
                        str(error).replace(code, "<axe-core check>")
                    ) from None
