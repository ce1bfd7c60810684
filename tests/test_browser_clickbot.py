# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Odoo's clickbot over the Government Service Center app, in Chromium: every
menu of the app, every view type of each action, a record of each list, as
the administrator and as each role of the app. Any error dialog or uncaught
JavaScript error fails the test."""
from odoo.tests import HttpCase, new_test_user, tagged

CLICKBOT = (
    "odoo.loader.modules.get('@web/webclient/clickbot/clickbot_loader')"
    ".startClickEverywhere('gov_service_center.menu_gov_root');"
)


@tagged("post_install", "-at_install", "gsc_browser")
class TestBrowserClickbot(HttpCase):
    # the clickbot may stop on a form view (e.g. a settings action)
    allow_end_on_form = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        department = env["hr.department"].create(
            {"name": "GscClick Housing Bureau", "gov_code": "GCK", "gov_is_stationed": True}
        )
        zone = env["gov.hall.zone"].create({"name": "GscClick Zone", "code": "GCKZ"})
        window = env["gov.service.window"].create(
            {"name": "GscClick Window", "code": "GCK-01", "zone_id": zone.id,
             "department_id": department.id}
        )
        env["gov.approval.item"].create({
            "name": "GscClick Permit", "department_id": department.id,
            "item_type": "licensing", "statutory_days": 20, "promised_days": 10,
        })
        cls.role_users = {}
        # the Administrator role is the one of the administrator (test_clickbot_admin);
        # window staff are plain internal users linked to a window
        for role, group in (
            ("viewer", "gov_service_center.group_gov_viewer"),
            ("inspector", "gov_service_center.group_gov_inspector"),
            ("officer", "gov_service_center.group_gov_officer"),
            ("front_desk", "gov_service_center.group_gov_front_desk"),
            ("window_staff", "base.group_user"),
        ):
            user = new_test_user(
                env, f"gsc_click_{role}", groups=group, name=f"GscClick {role.title()}",
            )
            env["hr.employee"].create({
                "name": user.name, "user_id": user.id, "department_id": department.id,
                "gov_window_id": window.id,
            })
            cls.role_users[role] = user
        users = env.ref("base.user_admin") | env["res.users"].concat(*cls.role_users.values())
        if "tour_enabled" in env["res.users"]._fields:
            users.write({"tour_enabled": False})

    def _click_everywhere(self, login):
        self.browser_js(
            "/odoo", CLICKBOT, "odoo.isReady === true", login=login, timeout=600,
            success_signal="clickbot test succeeded",
        )

    def test_clickbot_admin(self):
        self._click_everywhere("admin")

    def test_clickbot_roles(self):
        for role, user in self.role_users.items():
            with self.subTest(role=role):
                self._click_everywhere(user.login)
