# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Push endpoint of the attendance terminals (see CONTRACT.md)."""
import json
import logging

from odoo import http
from odoo.http import request

_logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 2 * 1024 * 1024
MAX_PUNCHES = 5000
MAX_DEVICE_CODE = 64


def _json(payload, status=200):
    return request.make_json_response(payload, status=status)


def _error(status, error, message):
    return _json({"error": error, "message": message}, status=status)


class GovAttendancePunchController(http.Controller):
    @http.route(
        "/gov/attendance/punch",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
        max_content_length=MAX_BODY_BYTES,
    )
    def punch(self, **kwargs):
        httprequest = request.httprequest
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
            raw = httprequest.get_data(cache=False)
            if len(raw) > MAX_BODY_BYTES:
                return _error(413, "too_large", "The body is too large.")
            body = json.loads(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError, RecursionError):
            return _error(400, "malformed", "The body is not valid JSON in UTF-8.")
        except Exception as exc:  # werkzeug RequestEntityTooLarge and friends
            status = getattr(exc, "code", None)
            if isinstance(status, int) and 400 <= status < 500:
                return _error(status, "bad_request", "The body could not be read.")
            raise
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
