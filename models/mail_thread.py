# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models

from .gov_center_lang import center_lang


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _creation_message(self):
        """The creation line of the service center's records is written in the
        center's language, whoever creates the record (a public form, a
        terminal, a scheduled action or a user in another language)."""
        if self._original_module != "gov_service_center":
            return super()._creation_message()
        return super(MailThread, self.with_context(lang=center_lang(self.env)))._creation_message()
