# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models
from odoo.tools import html_sanitize

# Strict sanitizing of the HTML written by users who may not design the website
STRICT_SANITIZE_OPTIONS = {
    "sanitize_tags": True,
    "sanitize_attributes": True,
    "sanitize_style": True,
    "sanitize_form": True,
    "sanitize_conditional_comments": True,
    "strip_style": False,
    "strip_classes": False,
}
DESIGNER_GROUP = "website.group_website_designer"


def strict_sanitize(html):
    return html_sanitize(html, **STRICT_SANITIZE_OPTIONS) if html else html


class BlogPost(models.Model):
    """Blog posts store their content unsanitized so that website designers
    can use any snippet; the department officers who write Department News
    are not designers: what they write is sanitized strictly (no script, no
    event handler, no frame, no form)."""

    _inherit = "blog.post"

    _gov_sanitized_html_fields = ("content",)

    def _gov_must_sanitize(self):
        return not self.env.su and not self.env.user.has_group(DESIGNER_GROUP)

    @api.model
    def _gov_sanitize_vals(self, vals):
        for fname in self._gov_sanitized_html_fields:
            if vals.get(fname):
                vals[fname] = strict_sanitize(vals[fname])
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        if self._gov_must_sanitize():
            vals_list = [self._gov_sanitize_vals(dict(vals)) for vals in vals_list]
        return super().create(vals_list)

    def write(self, vals):
        if self._gov_must_sanitize():
            vals = self._gov_sanitize_vals(dict(vals))
        return super().write(vals)

    def _update_field_translations(self, field_name, translations, digest=None, source_lang=None):
        if field_name in self._gov_sanitized_html_fields and self._gov_must_sanitize():
            translations = {
                lang: (
                    {
                        term: strict_sanitize(f"<div>{value}</div>") if value else value
                        for term, value in terms.items()
                    }
                    if isinstance(terms, dict)
                    else strict_sanitize(terms)
                )
                for lang, terms in translations.items()
            }
        return super()._update_field_translations(
            field_name, translations, digest=digest, source_lang=source_lang
        )
