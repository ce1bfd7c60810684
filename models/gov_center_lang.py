# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The language of the texts the service center writes for people.

A chatter message is stored once, as written: the module writes it in the
language of its reader. A message addressed to one person is written in that
person's language; any other message (notes, creation lines) in the center's
language, the language given to new contacts (the database's language), else
the company's. Texts meant to be read by anyone in their own language, like
the causes of the points ledger, are not stored as sentences but as a key and
parameters, and worded at display.
"""


def center_lang(env):
    """Code of the center's language (an installed language)."""
    installed = {code for code, _name in env["res.lang"].get_installed()}
    for lang in (
        env["ir.default"].sudo()._get("res.partner", "lang"),
        env.company.partner_id.lang,
    ):
        if lang in installed:
            return lang
    return "en_US"


def reader_lang(env, partners=None):
    """Language of the reader of a message: the single addressee's, else the
    center's."""
    langs = {partner.lang for partner in partners or ()}
    if len(langs) == 1:
        (lang,) = langs
        if lang in {code for code, _name in env["res.lang"].get_installed()}:
            return lang
    return center_lang(env)


def in_reader_lang(records, partners=None):
    """``records`` in the language of the reader of a message about them."""
    return records.with_context(lang=reader_lang(records.env, partners))
