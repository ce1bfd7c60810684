# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The citizen's main pages on a phone (375 px wide, in Chromium): no
horizontal scrolling, and the main entry buttons shown inside the screen."""
import json
from unittest.mock import patch

from odoo.tests import HttpCase, common, tagged

WIDTH, HEIGHT = 375, 667

# Checks the page once loaded: the width fits the screen and every listed
# element is displayed within the screen's width; console.error fails the
# test with the reasons.
MOBILE_CHECK = """
(() => {
    const specs = %(specs)s;
    const problems = [];
    const width = window.innerWidth;
    if (width > 400) {
        problems.push(`the window is ${width} px wide, not a phone's width`);
    }
    const scrollWidth = document.documentElement.scrollWidth;
    if (scrollWidth > width + 1) {
        const wide = [...document.body.querySelectorAll("*")]
            .filter((el) => el.getBoundingClientRect().right > width + 1)
            .slice(0, 5)
            .map((el) => el.outerHTML.slice(0, 120));
        problems.push(`horizontal scroll: ${scrollWidth} px of content for ${width} px\\n    ${wide.join("\\n    ")}`);
    }
    const shown = (el) => {
        const rect = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        return rect.width > 0 && rect.height > 0 && style.visibility !== "hidden"
            && style.display !== "none" && rect.left >= -1 && rect.right <= width + 1;
    };
    for (const [selector, every] of specs) {
        const elements = [...document.querySelectorAll(selector)];
        if (!elements.length) {
            problems.push(`no element ${selector}`);
        } else if (every ? !elements.every(shown) : !elements.some(shown)) {
            problems.push(`${selector} not shown within the screen`);
        }
    }
    const page = location.pathname;
    if (problems.length) {
        console.error(`On ${page} at ${width} px:\\n  ${problems.join("\\n  ")}`);
    } else {
        console.log("test successful");
    }
})();
"""


class PhoneChromeBrowser(common.ChromeBrowser):
    """Chromium with a phone's screen: headless Chromium keeps its windows at
    least 500 px wide whatever ``--window-size`` says, so the page's viewport
    is set through the DevTools protocol (kept across navigations)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._websocket_request("Emulation.setDeviceMetricsOverride", params={
            "width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 2, "mobile": True,
        })
        self._websocket_request("Emulation.setTouchEmulationEnabled", params={"enabled": True})


@tagged("post_install", "-at_install", "gsc_browser")
class TestBrowserMobile(HttpCase):
    browser_size = f"{WIDTH}x{HEIGHT}"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        department = env["hr.department"].create(
            {"name": "GscMobile Housing Bureau", "gov_code": "GMB", "gov_is_stationed": True}
        )
        cls.item = env["gov.approval.item"].create({
            "name": "GscMobile Construction Project Planning Permit for Buildings",
            "department_id": department.id, "item_type": "licensing",
            "statutory_days": 20, "promised_days": 10, "online_available": True,
            "material_ids": [(0, 0, {"name": "GscMobile Application Form",
                                     "requirement": "required"})],
        })
        cls.item.apply_decision("added", "GscMobile Decision No. 1", "2026-01-05")
        cls.item.is_published = True

    def _check(self, url, specs):
        code = MOBILE_CHECK % {"specs": json.dumps(specs)}
        with self.subTest(url=url):
            try:
                with patch.object(common, "ChromeBrowser", PhoneChromeBrowser):
                    self.browser_js(url, code, "document.readyState === 'complete'", timeout=60)
            except self.failureException as error:
                raise self.failureException(str(error).replace(code, "<mobile check>")) from None

    def test_pages_fit_a_phone(self):
        self._check("/", [
            [".o_gov_home_search input[type=search]", True],
            [".o_gov_home_search button[type=submit]", True],
            ["a.o_gov_home_entry", True],
        ])
        self._check(self.item.website_url, [
            ["a.o_gov_case_apply_button", True],
            [".o_gov_case_apply a[href='/cases/track']", True],
        ])
        self._check("/consultation", [
            ["form.o_gov_consultation input#gov_name", True],
            ["form.o_gov_consultation button[type=submit]", True],
        ])
        self._check("/cases/track", [
            ["input#gov_case_track_number", True],
            ["input#gov_case_track_verifier", True],
            ["form:has(#gov_case_track_number) button[type=submit]", True],
        ])
