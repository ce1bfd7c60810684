# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models

from ..controllers.attendance import punch_error_response


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _handle_error(cls, exception):
        # the terminal endpoint answers JSON even when the request fails
        # (concurrency failure after the retries, lost database connection)
        response = punch_error_response(exception)
        return response if response is not None else super()._handle_error(exception)
