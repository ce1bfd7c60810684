# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging

import psycopg2
from werkzeug.exceptions import RequestEntityTooLarge

from odoo import models
from odoo.http import Response, request


_logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30

# Served when the database cannot be reached, so it cannot come from the
# database (views, translations): a static page, in Chinese first.
SERVICE_UNAVAILABLE_HTML = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>服务暂时不可用 / Service temporarily unavailable</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto; padding: 0 1em;">
<h1>服务暂时不可用</h1>
<p>系统正忙，请在 %(seconds)s 秒后刷新本页重试。您填写的内容未丢失时，可直接重新提交。</p>
<hr/>
<p lang="en">The service is temporarily unavailable. Please reload this page in
%(seconds)s seconds.</p>
</body></html>"""


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _handle_error(cls, exception):
        # the terminal endpoint answers JSON even when the request fails
        # (concurrency failure after the retries, lost database connection)
        from ..controllers.attendance import punch_error_response  # noqa: PLC0415 (import cycle)

        response = punch_error_response(exception)
        if response is not None:
            return response
        if isinstance(
            exception, (psycopg2.OperationalError, psycopg2.InterfaceError)
        ) and cls._gov_is_http_request():
            return cls._gov_service_unavailable(exception)
        if isinstance(exception, RequestEntityTooLarge) and getattr(request, "is_frontend", False):
            try:
                return cls._gov_too_large()
            except Exception:  # noqa: BLE001 - fall back on the generic page
                _logger.exception("Could not render the page of a too large request")
        return super()._handle_error(exception)

    @classmethod
    def _serve_fallback(cls):
        # a path with a NUL character names no attachment, page or redirect
        # (and PostgreSQL refuses it in a query): a plain 404
        if "\x00" in request.httprequest.path:
            return None
        return super()._serve_fallback()

    @classmethod
    def _gov_is_http_request(cls):
        """Pages and forms (``type="http"`` routes); JSON-RPC keeps its own
        error format."""
        dispatcher = getattr(request, "dispatcher", None)
        return getattr(dispatcher, "routing_type", "http") == "http"

    @classmethod
    def _gov_service_unavailable(cls, exception):
        """503 with a retry hint when the database connection dropped: the
        request can simply be sent again."""
        _logger.warning(
            "Database unavailable while serving %s: %s",
            request.httprequest.path,
            exception.__class__.__name__,
        )
        response = Response(
            SERVICE_UNAVAILABLE_HTML % {"seconds": RETRY_AFTER_SECONDS},
            status=503,
            content_type="text/html;charset=utf-8",
        )
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response.headers["Cache-Control"] = "no-store"
        return response

    @classmethod
    def _gov_too_large(cls):
        """413 on the friendly form error page, without reading the body."""
        request.cr.rollback()
        request.params = dict(request.httprequest.args)
        max_length = request.httprequest.max_content_length or 0
        message = request.env._(
            "The form is too large (more than %(size)s MB). Send smaller attachments.",
            size=max(1, round(max_length / (1024 * 1024))),
        )
        response = request.render(
            "gov_service_center.form_error_page",
            {"error_message": message, "error_status": 413},
            status=413,
        )
        response.flatten()
        cls._post_dispatch(response)
        return response
