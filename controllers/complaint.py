# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Public complaint form about intermediaries and their services (/complaint)
and the follow-up of a complaint by its query code (/complaint/track)."""

from odoo import http
from odoo.exceptions import ValidationError
from odoo.http import request

from .common import (
    LOOKUP_MAX_CONTENT_LENGTH,
    parse_positive_int,
    readonly_on_get,
    track_request,
    upload_max_content_length,
)
from .form_guard import FormGuard

COMPLAINT_FIELDS = {
    "name": 200,
    "description": 5000,
    "complainant_name": 100,
    "complainant_phone": 30,
    "complainant_email": 120,
    "intermediary_id": 12,
    "keep_anonymous": 5,
}
MAX_FILES = 3
MAX_FILE_SIZE = 5 * 1024 * 1024


def _complaint_guard():
    return FormGuard(
        "complaint",
        fields=COMPLAINT_FIELDS,
        phone_field="complainant_phone",
        file_field="attachments",
        max_files=MAX_FILES,
        max_file_size=MAX_FILE_SIZE,
    )


def _track_guard():
    return FormGuard("complaint_track", fields={"code": 20, "verifier": 254})


class GovComplaintWebsite(http.Controller):
    def _public_intermediaries(self):
        Intermediary = request.env["gov.intermediary"].sudo()
        return Intermediary.search(Intermediary._gov_public_domain(), order="name, id")

    def _prepare_complaint_form_values(self, guard, values=None, error=None):
        render_values = dict(guard.render_values())
        render_values.update(
            {
                "intermediaries": self._public_intermediaries(),
                "values": values or {},
                "error": error,
            }
        )
        return render_values

    def _prepare_complaint_thanks_values(self, query_code, date_deadline=False):
        return {"query_code": query_code, "date_deadline": date_deadline}

    def _render_form(self, guard, values=None, error=None, status=200):
        response = request.render(
            "gov_service_center.complaint_form_page",
            self._prepare_complaint_form_values(guard, values, error),
        )
        response.status_code = status
        return response

    @http.route(
        "/complaint", type="http", auth="public", website=True, methods=["GET"], sitemap=True,
        readonly=True,
    )
    def complaint_form(self, **kwargs):
        guard = _complaint_guard()
        values = {}
        intermediary_id = parse_positive_int(kwargs.get("intermediary"))
        if intermediary_id:
            values["intermediary_id"] = intermediary_id
        return self._render_form(guard, values)

    @http.route(
        "/complaint", type="http", auth="public", website=True, methods=["POST"], sitemap=False,
        max_content_length=upload_max_content_length(MAX_FILES, MAX_FILE_SIZE),
    )
    def complaint_submit(self, **post):
        guard = _complaint_guard()
        rejection = guard.check(post)
        if rejection is not None:
            return rejection
        if guard.replay is not None:
            return request.render(
                "gov_service_center.complaint_thanks_page",
                self._prepare_complaint_thanks_values(
                    guard.replay.get("query_code"), guard.replay.get("date_deadline")
                ),
            )
        if guard.is_spam:
            return request.render(
                "gov_service_center.complaint_thanks_page",
                self._prepare_complaint_thanks_values(False),
            )
        values = guard.values
        subject = (values.get("name") or "").strip()
        description = (values.get("description") or "").strip()
        phone = (values.get("complainant_phone") or "").strip()
        email = (values.get("complainant_email") or "").strip()
        if not subject or not description or not (phone or email):
            return self._render_form(
                _complaint_guard(),
                values,
                error=request.env._(
                    "Give a subject, a description and a phone number or an email address."
                ),
                status=400,
            )
        intermediary = request.env["gov.intermediary"]
        raw_intermediary = (values.get("intermediary_id") or "").strip()
        intermediary_id = parse_positive_int(raw_intermediary)
        if raw_intermediary:
            intermediary = self._public_intermediaries().filtered(
                lambda record: record.id == intermediary_id
            )
            if not intermediary:
                return self._render_form(
                    _complaint_guard(), values,
                    error=request.env._("Choose an intermediary from the list."),
                    status=400,
                )
        Complaint = request.env["gov.complaint"].sudo()
        try:
            with request.env.cr.savepoint():
                complaint = Complaint.create(
                    {
                        "name": subject,
                        "description": description,
                        "channel": "website",
                        "complainant_name": (values.get("complainant_name") or "").strip(),
                        "complainant_phone": phone,
                        "complainant_email": email,
                        "keep_anonymous": bool(values.get("keep_anonymous")),
                        "intermediary_id": intermediary.id or False,
                    }
                )
                if guard.files:
                    attachments = request.env["ir.attachment"].sudo().create(
                        [
                            {
                                "name": upload["name"],
                                "raw": upload["raw"],
                                "res_model": "gov.complaint",
                                "res_id": complaint.id,
                            }
                            for upload in guard.files
                        ]
                    )
                    complaint.attachment_ids = attachments
        except ValidationError as error:
            return self._render_form(_complaint_guard(), values, error=str(error), status=400)
        guard.record(complaint)
        return request.render(
            "gov_service_center.complaint_thanks_page",
            self._prepare_complaint_thanks_values(complaint.query_code, complaint.date_deadline),
        )

    # ------------------------------------------------------------------
    # Tracking
    # ------------------------------------------------------------------
    def _prepare_complaint_track_values(self, complaint=None, not_found=False):
        values = {"complaint": False, "not_found": not_found}
        if complaint:
            values["complaint"] = complaint._public_track_values()
        return values

    @http.route(
        "/complaint/track", type="http", auth="public", website=True, methods=["GET", "POST"],
        sitemap=False, max_content_length=LOOKUP_MAX_CONTENT_LENGTH, readonly=readonly_on_get,
    )
    def complaint_track(self, **post):
        if request.httprequest.method != "POST":
            return request.render(
                "gov_service_center.complaint_track_page", self._prepare_complaint_track_values()
            )
        complaint, rejection = track_request("gov.complaint", _track_guard(), post)
        if rejection is not None:
            return rejection
        return request.render(
            "gov_service_center.complaint_track_page",
            self._prepare_complaint_track_values(complaint, not_found=not complaint),
        )
