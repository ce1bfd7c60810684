# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Push endpoint of the attendance terminals (see CONTRACT.md).

Every answer is JSON. A request that meets a concurrency failure (another
terminal posting for the same employees) is run again by Odoo on a fresh
transaction, with the same body; if it still fails, or if anything else goes
wrong (e.g. the database connection dropped), the answer is 503 with a
``Retry-After`` header and nothing is written: the terminal sends the same
batch again later (see ``punch_error_response``, called by ``ir.http``).
"""
import json
import logging

from werkzeug.exceptions import HTTPException

from odoo import http
from odoo.http import request

_logger = logging.getLogger(__name__)

PUNCH_URL = "/gov/attendance/punch"
MAX_BODY_BYTES = 2 * 1024 * 1024
MAX_PUNCHES = 5000
MAX_DEVICE_CODE = 64
RETRY_AFTER_SECONDS = 10
HTTP_ERRORS = {
    400: "malformed",
    401: "unauthorized",
    405: "method_not_allowed",
    413: "too_large",
}


def _json(payload, status=200, headers=None):
    return request.make_json_response(payload, headers=headers, status=status)


def _error(status, error, message, headers=None):
    return _json({"error": error, "message": message}, status=status, headers=headers)


def punch_error_response(exception):
    """JSON answer of the punch endpoint for ``exception``, or None for other URLs.

    A 4xx raised by the web layer keeps its status; anything else is a
    transient failure: 503, retry later with the same batch. The answer
    never shows the exception (it is logged by Odoo).
    """
    if request is None or request.httprequest.path != PUNCH_URL:
        return None
    code = getattr(exception, "code", None) if isinstance(exception, HTTPException) else None
    if isinstance(code, int) and 400 <= code < 500:
        return _error(code, HTTP_ERRORS.get(code, "bad_request"), "The request was refused.")
    return _error(
        503, "unavailable", "The server is busy: send the same batch again later.",
        headers=[("Retry-After", str(RETRY_AFTER_SECONDS))],
    )


class GovAttendancePunchController(http.Controller):
    @http.route(
        PUNCH_URL,
        type="http",
        auth="public",
        methods=["GET", "POST"],
        csrf=False,
        save_session=False,
        max_content_length=MAX_BODY_BYTES,
    )
    def punch(self, **kwargs):
        httprequest = request.httprequest
        if httprequest.method != "POST":
            return _error(405, "method_not_allowed", "Post the punches.", headers=[("Allow", "POST")])
        header = httprequest.headers.get("Authorization") or ""
        scheme, _sep, token = header.partition(" ")
        Device = request.env["gov.attendance.device"].sudo()
        device = (
            Device._gov_authenticate(token.strip())
            if scheme.lower() == "bearer"
            else Device.browse()
        )
        if not device:
            _logger.warning("Attendance punch refused: bad token from %s", httprequest.remote_addr)
            return _error(401, "unauthorized", "Missing or invalid bearer token.")
        if (httprequest.content_length or 0) > MAX_BODY_BYTES:
            return _error(413, "too_large", "The body is too large.")
        try:
            # cached: when a concurrency failure makes Odoo run the request
            # again, the body is read from the cache, the stream being spent
            raw = httprequest.get_data(cache=True)
            if len(raw) > MAX_BODY_BYTES:
                return _error(413, "too_large", "The body is too large.")
            body = json.loads(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError, RecursionError):
            return _error(400, "malformed", "The body is not valid JSON in UTF-8.")
        except HTTPException as exc:  # werkzeug RequestEntityTooLarge and friends
            status = exc.code if isinstance(exc.code, int) and 400 <= exc.code < 500 else 400
            return _error(status, HTTP_ERRORS.get(status, "bad_request"), "The body could not be read.")
        if not isinstance(body, dict):
            return _error(400, "malformed", "The body must be a JSON object.")
        code = body.get("device")
        punches = body.get("punches")
        if not isinstance(code, str) or not code or len(code) > MAX_DEVICE_CODE:
            return _error(400, "malformed", "'device' must be the code of the terminal.")
        if not isinstance(punches, list):
            return _error(400, "malformed", "'punches' must be a list.")
        if len(punches) > MAX_PUNCHES:
            return _error(413, "too_many", f"At most {MAX_PUNCHES} punches per request.")
        if code != device.code:
            # the token belongs to another terminal
            return _error(401, "unauthorized", "The token does not belong to this terminal.")
        result = request.env["gov.attendance.punch"].sudo()._gov_ingest(device, punches)
        return _json(result)
