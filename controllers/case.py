# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The citizen's side of cases (办件): online application of an item
(/service-items/<slug>/apply), the applicant's cases on the portal
(/my/cases) and the public progress look-up (/cases/track).

The application form goes through the shared :class:`FormGuard`; the case is
created as superuser only after the checks, with explicit keys. Portal pages
check that the case belongs to the user (record rules and partner) before
anything is read or done as superuser.
"""
import logging
from urllib.parse import quote, urlencode

import psycopg2

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.gov_case import UNDECIDED_STATES
from .common import (
    LOOKUP_MAX_CONTENT_LENGTH,
    clean_search,
    error_page,
    find_public_record,
    parse_positive_int,
    track_request,
    upload_max_content_length,
)
from .form_guard import FormGuard, FormRejected, check_upload

_logger = logging.getLogger(__name__)

# one file per material, at most this many materials sent online at once
MAX_FILES = 12
MAX_FILE_SIZE = 5 * 1024 * 1024
UPLOAD_EXTENSIONS = ("pdf", "jpg", "jpeg", "png")
APPLY_MAX_CONTENT_LENGTH = upload_max_content_length(MAX_FILES, MAX_FILE_SIZE)
APPLY_FIELDS = {
    "applicant_type": 20,
    "applicant_name": 100,
    "applicant_id_number": 30,
    "applicant_uscc": 30,
    "contact_phone": 20,
    "contact_email": 254,
    "description": 2000,
}
CASE_NUMBER_MAX = 64
CASES_PER_PAGE = 20


def _apply_guard(item):
    return FormGuard(
        "case_apply",
        fields=APPLY_FIELDS,
        extra_fields={_material_field(material) for material in item.material_ids},
    )


def _track_guard():
    return FormGuard("case_track", fields={"number": CASE_NUMBER_MAX, "verifier": 20})


def _material_field(material):
    return f"material_{material.id}"


def _line_field(line):
    return f"line_{line.id}"


def _file_refused_message(name, rejection):
    return request.env._(
        "The file sent for \"%(material)s\" is not accepted: %(reason)s Send PDF, JPG or "
        "PNG files of at most %(size)s MB.",
        material=name, reason=rejection.message, size=MAX_FILE_SIZE // (1024 * 1024),
    )


def _check_uploads(named_storages):
    """Check every ``(key, name, storage)`` uploaded; return ``({key: file},
    None)`` or ``(None, error response)`` (400) for the first file refused."""
    checked = {}
    for key, name, storage in named_storages:
        if not storage or not storage.filename:
            continue
        try:
            checked[key] = check_upload(storage, MAX_FILE_SIZE, UPLOAD_EXTENSIONS)
        except FormRejected as rejection:
            _logger.info(
                "Case upload refused (%s) from %s on %s", rejection.reason,
                request.httprequest.remote_addr, request.httprequest.path,
            )
            return None, error_page(400, _file_refused_message(name, rejection))
    if len(checked) > MAX_FILES:
        return None, error_page(400, request.env._("Too many attachments."))
    return checked, None


class GovCaseWebsite(http.Controller):
    # ------------------------------------------------------------------
    # Online application (网上申报)
    # ------------------------------------------------------------------
    def _online_item(self, slug):
        """The published, active item of ``slug`` open to online
        application (sudo), else 404."""
        item = find_public_record("gov.approval.item", slug)
        if not item.online_available:
            raise request.not_found()
        return item

    def _apply_prefill(self):
        partner = request.env.user.partner_id
        return {
            "applicant_type": "person",
            "applicant_name": partner.name or "",
            "contact_phone": partner.mobile or partner.phone or "",
            "contact_email": partner.email or "",
        }

    def _prepare_apply_values(self, item, guard, values=None, error=None):
        result = {
            "item": item,
            "materials": item.material_ids,
            "values": values if values is not None else self._apply_prefill(),
            "error": error,
            "applicant_types": request.env["gov.case"]._fields["applicant_type"]
            ._description_selection(request.env),
            "max_file_mb": MAX_FILE_SIZE // (1024 * 1024),
            "form_action": f"{item.website_url}/apply",
        }
        result.update(guard.render_values())
        return result

    def _render_apply(self, item, values=None, error=None, status=200):
        response = request.render(
            "gov_service_center.case_apply_page",
            self._prepare_apply_values(item, _apply_guard(item), values, error),
        )
        response.status_code = status
        return response

    def _render_applied(self, case):
        return request.render("gov_service_center.case_apply_done_page", {
            "case": case,
            "track_url": "/cases/track?" + urlencode({"number": case.name}) if case else False,
        })

    def _applied_case(self, res_id):
        """The case created by an earlier submission of the same form, when
        it is the user's."""
        case = request.env["gov.case"].sudo().browse(parse_positive_int(res_id) or []).exists()
        return case if case and case.partner_id == request.env.user.partner_id else None

    def _validate_apply(self, item, values):
        """Return (error, create values)."""
        _ = request.env._
        applicant_type = values.get("applicant_type") or "person"
        if applicant_type not in ("person", "organization"):
            return _("Choose whether you apply as a person or an organisation."), {}
        name = values.get("applicant_name", "")
        phone = values.get("contact_phone", "")
        if not name or not phone:
            return _("Give the applicant's name and a contact mobile number."), {}
        vals = {
            "item_id": item.id,
            "applicant_type": applicant_type,
            "applicant_name": name,
            "contact_phone": phone,
            "contact_email": values.get("contact_email") or False,
            "description": values.get("description") or False,
            "partner_id": request.env.user.partner_id.id,
        }
        if applicant_type == "person":
            vals["applicant_id_number"] = values.get("applicant_id_number") or False
        else:
            vals["applicant_uscc"] = values.get("applicant_uscc") or False
        return None, vals

    @http.route(
        "/service-items/<string:slug>/apply", type="http", auth="public", website=True,
        methods=["GET", "POST"], sitemap=False, max_content_length=APPLY_MAX_CONTENT_LENGTH,
    )
    def case_apply(self, slug, **post):
        item = self._online_item(slug)
        if request.env.user._is_public():
            path = request.httprequest.path
            return request.redirect(f"/web/login?redirect={quote(path, safe='')}")
        if request.httprequest.method != "POST":
            return self._render_apply(item)
        guard = _apply_guard(item)
        rejection = guard.check(post)
        if rejection is not None:
            return rejection
        if guard.replay is not None:
            # the same form sent again (double click): the same case
            return self._render_applied(self._applied_case(guard.replay.get("res_id")))
        if guard.is_spam:
            return self._render_applied(None)
        Case = request.env["gov.case"].sudo()
        earlier = Case.search([("submission_key", "=", guard.submission_key)], limit=1)
        if earlier:
            return self._render_applied(self._applied_case(earlier.id))
        uploads, refused = _check_uploads(
            (material.id, material.name,
             request.httprequest.files.get(_material_field(material)))
            for material in item.material_ids
        )
        if refused is not None:
            return refused
        error, vals = self._validate_apply(item, guard.values)
        if error:
            return self._render_apply(item, guard.values, error, status=400)
        vals["submission_key"] = guard.submission_key
        try:
            with request.env.cr.savepoint():
                case = Case._gov_online_create(vals, uploads)
        except (ValidationError, UserError) as error:
            _logger.info("Online application refused (validation) from %s",
                         request.httprequest.remote_addr)
            return self._render_apply(item, guard.values, str(error.args[0]), status=400)
        except psycopg2.IntegrityError:
            # the same form sent twice at the same moment
            earlier = Case.search([("submission_key", "=", guard.submission_key)], limit=1)
            return self._render_applied(self._applied_case(earlier.id))
        guard.record(case)
        return self._render_applied(case)

    # ------------------------------------------------------------------
    # Progress look-up (/cases/track)
    # ------------------------------------------------------------------
    @http.route(
        "/cases/track", type="http", auth="public", website=True, methods=["GET", "POST"],
        sitemap=False, max_content_length=LOOKUP_MAX_CONTENT_LENGTH,
    )
    def case_track(self, **post):
        values = {"case": False, "not_found": False, "number": ""}
        if request.httprequest.method != "POST":
            number = post.get("number")
            values["number"] = clean_search(number)[:CASE_NUMBER_MAX] if isinstance(
                number, str) else ""
            return request.render("gov_service_center.case_track_page", values)
        case, rejection = track_request(
            "gov.case", _track_guard(), post, finder="_find_by_case_number", code_field="number",
        )
        if rejection is not None:
            return rejection
        if not case:
            values.update(not_found=True, number=clean_search(post.get("number")))
        else:
            values.update(case=case._gov_public_track_values(), number=case.name)
        return request.render("gov_service_center.case_track_page", values)


class GovCasePortal(CustomerPortal):
    def _case_domain(self):
        return [("partner_id", "=", request.env.user.partner_id.id)]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "case_count" in counters:
            Case = request.env["gov.case"]
            values["case_count"] = (
                Case.search_count(self._case_domain()) if Case.has_access("read") else 0
            )
        return values

    def _owned_case(self, case_id):
        """The user's case ``case_id`` (sudo), or 404: readable by the user
        (record rules) and applied for by the user's partner."""
        case_id = parse_positive_int(case_id)
        if not case_id:
            raise request.not_found()
        case = request.env["gov.case"].browse(case_id)
        try:
            case.check_access("read")
            if not case.exists() or case.partner_id != request.env.user.partner_id:
                raise MissingError("")
        except (AccessError, MissingError):
            raise request.not_found() from None
        return case.sudo()

    @http.route(["/my/cases", "/my/cases/page/<int:page>"], type="http", auth="user",
                website=True)
    def portal_my_cases(self, page=1, **kw):
        Case = request.env["gov.case"]
        domain = self._case_domain()
        readable = Case.has_access("read")
        total = Case.search_count(domain) if readable else 0
        pager = portal_pager(
            url="/my/cases", total=total, page=parse_positive_int(page, 1), step=CASES_PER_PAGE,
        )
        cases = (
            Case.search(domain, limit=CASES_PER_PAGE, offset=pager["offset"])
            if readable else Case
        )
        values = self._prepare_portal_layout_values()
        values.update({
            "cases": cases.sudo(),
            "pager": pager,
            "page_name": "cases",
            "default_url": "/my/cases",
        })
        return request.render("gov_service_center.portal_my_cases", values)

    @http.route("/my/cases/<int:case_id>", type="http", auth="user", website=True)
    def portal_my_case(self, case_id, message=None, **kw):
        case = self._owned_case(case_id)
        values = self._prepare_portal_layout_values()
        values.update({
            "case": case,
            "page_name": "cases",
            "timeline": case._gov_timeline(),
            "missing_lines": case.material_line_ids.filtered(lambda l: l.state == "missing"),
            "can_supplement": case.state == "supplement",
            "can_withdraw": case.state in UNDECIDED_STATES,
            "message": message if message in ("supplemented", "withdrawn") else False,
            "max_file_mb": MAX_FILE_SIZE // (1024 * 1024),
        })
        return request.render("gov_service_center.portal_my_case", values)

    @http.route("/my/cases/<int:case_id>/supplement", type="http", auth="user", website=True,
                methods=["POST"], max_content_length=APPLY_MAX_CONTENT_LENGTH)
    def portal_my_case_supplement(self, case_id, **post):
        case = self._owned_case(case_id)
        if case.state != "supplement":
            return error_page(409, request.env._(
                "This case does not wait for materials anymore."))
        missing = case.material_line_ids.filtered(lambda line: line.state == "missing")
        uploads, refused = _check_uploads(
            (line, line.name, request.httprequest.files.get(_line_field(line)))
            for line in missing
        )
        if refused is not None:
            return refused
        if not uploads:
            return error_page(400, request.env._("Choose at least one file to send."))
        try:
            with request.env.cr.savepoint():
                case._gov_portal_supplement(uploads)
        except (UserError, ValidationError) as error:
            return error_page(400, str(error.args[0]))
        return request.redirect(f"/my/cases/{case.id}?message=supplemented")

    @http.route("/my/cases/<int:case_id>/withdraw", type="http", auth="user", website=True,
                methods=["POST"], max_content_length=LOOKUP_MAX_CONTENT_LENGTH)
    def portal_my_case_withdraw(self, case_id, confirm=None, reason=None, **post):
        case = self._owned_case(case_id)
        if confirm != "1":
            return error_page(400, request.env._(
                "Tick the box to confirm that you withdraw the application."))
        if case.state not in UNDECIDED_STATES:
            return error_page(409, request.env._(
                "A decision was made on this case: it can no longer be withdrawn."))
        reason = clean_search(reason) if isinstance(reason, str) else ""
        try:
            with request.env.cr.savepoint():
                if reason:
                    case.withdrawal_reason = reason
                case.action_withdraw()
        except (UserError, ValidationError) as error:
            return error_page(400, str(error.args[0]))
        return request.redirect(f"/my/cases/{case.id}?message=withdrawn")
