# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re

from odoo import models

from .gov_center_time import center_today
from .gov_settings import get_setting

# fields of the company shown by the website header and footer
IDENTITY_FIELDS = {
    "name", "logo", "street", "street2", "city", "zip", "state_id", "phone", "email",
}


class ResCompany(models.Model):
    _inherit = "res.company"

    def _gov_identity(self):
        """The identity of the center shown by the website header and footer,
        the home page and the printed documents: name, logo, address and
        hotline of the company, opening hours, complaint line and the
        footer fields of a government website (empty ones are left out by
        the templates)."""
        self.ensure_one()
        company = self.sudo()
        env = self.env
        psb_number = get_setting(env, "psb_number")
        return {
            "name": company.name,
            "logo_url": (
                f"/web/binary/company_logo?company={company.id}"
                if not company.uses_default_logo else False
            ),
            "address": " ".join(
                part for part in (
                    company.state_id.name, company.city, company.street, company.street2
                ) if part
            ),
            "hotline": company.phone or "",
            "email": company.email or "",
            "hours": get_setting(env, "center_hours"),
            "complaint_phone": get_setting(env, "complaint_phone"),
            "sponsor": get_setting(env, "site_sponsor"),
            "site_code": get_setting(env, "site_code"),
            "icp_number": get_setting(env, "icp_number"),
            "psb_number": psb_number,
            # the record code of the public security filing, for its link
            "psb_code": "".join(re.findall(r"\d+", psb_number or "")),
            "year": center_today(env).year,
        }

    def write(self, vals):
        res = super().write(vals)
        if IDENTITY_FIELDS & set(vals):
            # the website header and footer are cached with the templates
            self.env.registry.clear_cache("templates")
        return res
