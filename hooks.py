# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Installation of the module: the website speaks Chinese from the start."""
from odoo.fields import Command

SITE_LANG = "zh_CN"


def set_site_language(env):
    """Activate Simplified Chinese with the translations of every installed
    module and make it the default, and only, language of every website. An
    administrator may add other languages later (Website > Configuration >
    Settings); updating the module does not run this again."""
    Lang = env["res.lang"]
    lang = Lang.with_context(active_test=False).search([("code", "=", SITE_LANG)], limit=1)
    if not lang:
        return
    if not lang.active:
        Lang._activate_lang(SITE_LANG)
        env["ir.module.module"].search(
            [("state", "in", ("installed", "to install", "to upgrade"))]
        )._update_translations([SITE_LANG])
    for website in env["website"].search([]):
        website.write({
            "language_ids": [Command.set(lang.ids)],
            "default_lang_id": lang.id,
        })
    translate_home_menus(env)


def translate_home_menus(env):
    """Odoo's "Home" menu has no Chinese of its own: the module translates the
    template menu, and the copies made for each website follow it."""
    template = env.ref("website.menu_home", raise_if_not_found=False)
    if not template:
        return
    name = template.with_context(lang=SITE_LANG).name
    if name == template.with_context(lang="en_US").name:
        return
    copies = env["website.menu"].with_context(lang="en_US").search(
        [("url", "=", template.url), ("name", "=", template.with_context(lang="en_US").name),
         ("id", "!=", template.id)]
    )
    copies.with_context(lang=SITE_LANG).write({"name": name})


def post_init_hook(env):
    set_site_language(env)
