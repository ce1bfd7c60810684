# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Application of new intermediaries (/intermediaries/apply) and the portal
of an intermediary (/my/intermediary): its filing, evaluations, restrictions
and credit repair requests."""
from werkzeug.exceptions import BadRequest

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models.gov_intermediary import is_valid_uscc, normalize_uscc
from .common import FORM_MAX_CONTENT_LENGTH, upload_max_content_length
from .common import parse_positive_int as _parse_positive_int
from .form_guard import FormGuard

APPLY_FIELDS = {
    "name": 200,
    "uscc": 30,
    "legal_representative": 100,
    "contact_name": 100,
    "phone": 30,
    "email": 120,
    "address": 300,
    "service_type_ids": 12,
}
MAX_FILES = 3
MAX_FILE_SIZE = 5 * 1024 * 1024


def _apply_guard():
    return FormGuard(
        "intermediary_apply",
        fields=APPLY_FIELDS,
        phone_field="phone",
        file_field="qualification_files",
        max_files=MAX_FILES,
        max_file_size=MAX_FILE_SIZE,
    )


class GovIntermediaryApply(http.Controller):
    def _service_types(self):
        return request.env["gov.intermediary.service.type"].sudo().search([], order="code, id")

    def _prepare_apply_values(self, guard, values=None, error=None):
        render_values = dict(guard.render_values())
        render_values.update(
            {"service_types": self._service_types(), "values": values or {}, "error": error}
        )
        return render_values

    def _render_apply(self, guard, values=None, error=None, status=200):
        response = request.render(
            "gov_service_center.intermediary_apply_page",
            self._prepare_apply_values(guard, values, error),
        )
        response.status_code = status
        return response

    @http.route("/intermediaries/apply", type="http", auth="public", website=True,
                methods=["GET"], sitemap=True, readonly=True)
    def intermediary_apply_form(self, **kwargs):
        return self._render_apply(_apply_guard())

    @http.route("/intermediaries/apply", type="http", auth="public", website=True,
                methods=["POST"], sitemap=False,
                max_content_length=upload_max_content_length(MAX_FILES, MAX_FILE_SIZE))
    def intermediary_apply_submit(self, **post):
        guard = _apply_guard()
        rejection = guard.check(post)
        if rejection is not None:
            return rejection
        if guard.is_spam or guard.replay is not None:
            return request.render("gov_service_center.intermediary_apply_thanks_page", {})
        values = guard.values
        _ = request.env._
        name = (values.get("name") or "").strip()
        uscc = normalize_uscc(values.get("uscc"))
        phone = (values.get("phone") or "").strip()
        if not name or not uscc or not phone:
            return self._render_apply(
                _apply_guard(), values, _("Give the company name, its USCC and a phone number."), 400
            )
        if not is_valid_uscc(uscc):
            return self._render_apply(
                _apply_guard(), values, _("This Unified Social Credit Code is not valid."), 400
            )
        Intermediary = request.env["gov.intermediary"].sudo().with_context(active_test=False)
        if Intermediary.search_count([("uscc", "=", uscc)], limit=1):
            return self._render_apply(
                _apply_guard(), values,
                _("An intermediary with this USCC is already registered: contact the center."),
                400,
            )
        type_ids = {
            _parse_positive_int(value)
            for value in request.httprequest.form.getlist("service_type_ids")[:20]
        }
        service_types = self._service_types().filtered(lambda record: record.id in type_ids)
        if not service_types or len(service_types) != len(type_ids):
            return self._render_apply(
                _apply_guard(), values, _("Choose the services you offer."), 400
            )
        try:
            with request.env.cr.savepoint():
                intermediary = Intermediary.create(
                    {
                        "name": name,
                        "uscc": uscc,
                        "legal_representative": (values.get("legal_representative") or "").strip(),
                        "contact_name": (values.get("contact_name") or "").strip(),
                        "phone": phone,
                        "email": (values.get("email") or "").strip(),
                        "address": (values.get("address") or "").strip(),
                        "service_type_ids": [(6, 0, service_types.ids)],
                    }
                )
                intermediary.action_submit()
                if guard.files:
                    attachments = request.env["ir.attachment"].sudo().create(
                        [
                            {
                                "name": upload["name"],
                                "raw": upload["raw"],
                                "res_model": "gov.intermediary",
                                "res_id": intermediary.id,
                            }
                            for upload in guard.files
                        ]
                    )
                    intermediary.message_post(
                        body=_("Qualification files sent with the application."),
                        attachment_ids=attachments.ids,
                    )
        except (ValidationError, UserError):
            return self._render_apply(
                _apply_guard(), values, _("The application could not be saved."), 400
            )
        guard.record(intermediary)
        return request.render("gov_service_center.intermediary_apply_thanks_page", {})


class GovIntermediaryPortal(CustomerPortal):
    def _my_intermediaries(self):
        """The intermediaries of the portal user, read with the user's rights."""
        try:
            return request.env["gov.intermediary"].search(
                [("partner_id", "=", request.env.user.partner_id.commercial_partner_id.id)]
            )
        except AccessError:
            return request.env["gov.intermediary"]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "gov_intermediary_count" in counters:
            values["gov_intermediary_count"] = len(self._my_intermediaries())
        return values

    def _check_my_intermediaries(self, intermediaries):
        """Each intermediary shown goes through the portal access check."""
        checked = request.env["gov.intermediary"]
        for intermediary in intermediaries:
            try:
                self._document_check_access("gov.intermediary", intermediary.id)
            except (AccessError, MissingError):
                continue
            checked |= intermediary
        return checked

    @http.route("/my/intermediary", type="http", auth="user", website=True)
    def portal_my_intermediary(self, **kwargs):
        intermediaries = self._check_my_intermediaries(self._my_intermediaries())
        if not intermediaries:
            raise request.not_found()
        return request.render(
            "gov_service_center.portal_my_intermediary",
            self._prepare_my_intermediary_values(intermediaries, kwargs.get("message") == "sent"),
        )

    def _prepare_my_intermediary_values(self, intermediaries, message_sent=False):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "intermediaries": intermediaries,
                "evaluations": request.env["gov.intermediary.evaluation"].search(
                    [("intermediary_id", "in", intermediaries.ids)]
                ),
                "restrictions": request.env["gov.credit.restriction"].search(
                    [("intermediary_id", "in", intermediaries.ids)]
                ),
                "repairs": request.env["gov.credit.repair.request"].search(
                    [("intermediary_id", "in", intermediaries.ids)]
                ),
                "page_name": "gov_intermediary",
                "message": message_sent,
            }
        )
        return values

    @http.route("/my/intermediary/repair", type="http", auth="user", website=True,
                methods=["POST"], max_content_length=FORM_MAX_CONTENT_LENGTH)
    def portal_request_repair(self, restriction_id=None, rectification=None, **kwargs):
        intermediaries = self._my_intermediaries()
        restriction_id = _parse_positive_int(restriction_id)
        restriction = request.env["gov.credit.restriction"]
        if intermediaries and restriction_id:
            restriction = restriction.search(
                [("id", "=", restriction_id), ("intermediary_id", "in", intermediaries.ids),
                 ("state", "=", "active")]
            )
        rectification = (rectification or "").strip() if isinstance(rectification, str) else ""
        if not restriction:
            raise request.not_found()
        if not rectification or len(rectification) > 5000 or "\x00" in rectification:
            raise BadRequest()
        request.env["gov.credit.repair.request"].sudo().create(
            {
                "intermediary_id": restriction.intermediary_id.id,
                "restriction_id": restriction.id,
                "rectification": rectification,
            }
        )
        return request.redirect("/my/intermediary?message=sent")

