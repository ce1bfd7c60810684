# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Online consultation (在线咨询) and leader mailbox (领导信箱) on the website.

Every POST goes through the shared :class:`FormGuard`; records are created
with explicit keys only and read back with ``sudo()`` and strict domains.
"""
import logging

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.gov_consultation import RATING_SELECTION, is_valid_email, is_valid_phone
from ..models.gov_query_code_mixin import random_query_code
from .common import (
    LOOKUP_MAX_CONTENT_LENGTH,
    clean_search as _clean_search,
    parse_positive_int as _parse_positive_int,
    readonly_on_get,
    track_request,
    upload_max_content_length,
)
from .form_guard import FormGuard

_logger = logging.getLogger(__name__)

ANSWERS_PER_PAGE = 10
SEARCH_COUNT_LIMIT = 1000  # 100 pages
# the published answers pile up for years: the pager counts up to 1,000 pages
# (older answers are found by searching), not every answer on every view
BROWSE_COUNT_LIMIT = 10000
SUBJECT_MIN, SUBJECT_MAX = 5, 50
BODY_MAX = {"consultation": 2000, "mailbox": 600}
CATEGORIES = ("consultation", "complaint", "suggestion", "help")
MAX_FILES = 3
MAX_FILE_SIZE = 5 * 1024 * 1024
FORM_MAX_CONTENT_LENGTH = upload_max_content_length(MAX_FILES, MAX_FILE_SIZE)


def _guard(kind):
    fields = {
        "name": SUBJECT_MAX,
        "question": BODY_MAX[kind],
        "contact_name": 50,
        "contact_phone": 20,
        "contact_email": 254,
        "department_id": 10,
        "item_id": 10,
        "is_public": 5,
    }
    if kind == "mailbox":
        fields.update(category=20, leader_id=10, complexity=10)
        fields.pop("item_id")
    return FormGuard(
        kind,
        fields=fields,
        phone_field="contact_phone",
        file_field="attachments",
        max_files=MAX_FILES,
        max_file_size=MAX_FILE_SIZE,
        allowed_extensions=("pdf", "jpg", "jpeg", "png"),
    )


def _track_guard():
    return FormGuard("consultation_track", fields={"code": 20, "verifier": 254, "rating": 30})


class GovConsultationWebsite(http.Controller):
    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _departments(self):
        return (
            request.env["hr.department"]
            .sudo()
            .search([("gov_is_stationed", "=", True)], order="name")
        )

    def _leaders(self):
        return request.env["gov.mailbox.leader"].sudo().search([])

    def _prefill(self):
        user = request.env.user
        if user._is_public():
            return {}
        partner = user.partner_id
        return {
            "contact_name": partner.name or "",
            "contact_phone": partner.phone or partner.mobile or "",
            "contact_email": partner.email or "",
        }

    def _prepare_consultation_form_values(self, kind, guard, values=None, errors=None):
        result = {
            "kind": kind,
            "departments": self._departments(),
            "leaders": self._leaders() if kind == "mailbox" else [],
            "categories": [
                (key, label)
                for key, label in request.env["gov.consultation"]
                ._fields["category"]
                ._description_selection(request.env)
            ],
            "values": values if values is not None else self._prefill(),
            "errors": errors or [],
            "body_max": BODY_MAX[kind],
            "form_action": "/mailbox" if kind == "mailbox" else "/consultation",
        }
        result.update(guard.render_values())
        return result

    def _validate(self, kind, values):
        """Return (errors, create values)."""
        _ = request.env._
        errors = []
        subject = values.get("name", "")
        if not SUBJECT_MIN <= len(subject) <= SUBJECT_MAX:
            errors.append(_("The subject must have between 5 and 50 characters."))
        question = values.get("question", "")
        if not question:
            errors.append(_("Please write your question."))
        phone = values.get("contact_phone", "").replace(" ", "")
        email = values.get("contact_email", "")
        if not phone and not email:
            errors.append(_("A phone number or an email address is required."))
        if phone and not is_valid_phone(phone):
            errors.append(
                _(
                    "The phone number must be a mainland mobile number (11 digits) "
                    "or a landline number with its area code."
                )
            )
        if email and not is_valid_email(email):
            errors.append(_("The email address is not valid."))
        vals = {
            "kind": kind,
            "name": subject,
            "question": question,
            "contact_name": values.get("contact_name") or False,
            "contact_phone": phone or False,
            "contact_email": email or False,
            "is_public": values.get("is_public") in ("1", "on", "true"),
        }
        department_id = _parse_positive_int(values.get("department_id"))
        if department_id:
            department = self._departments().filtered(lambda d: d.id == department_id)
            if not department:
                errors.append(_("Please choose a department from the list."))
            vals["department_id"] = department.id or False
        if kind == "consultation":
            item_id = _parse_positive_int(values.get("item_id"))
            if item_id:
                Item = request.env["gov.approval.item"].sudo()
                item = Item.search(
                    [("id", "=", item_id)] + Item._gov_public_domain(), limit=1
                )
                vals["item_id"] = item.id or False
                if item and not vals.get("department_id"):
                    vals["department_id"] = item.department_id.id
        else:
            category = values.get("category") or "consultation"
            if category not in CATEGORIES:
                errors.append(_("Please choose a category from the list."))
            vals["category"] = category
            leader_id = _parse_positive_int(values.get("leader_id"))
            if leader_id:
                leader = self._leaders().filtered(lambda leader: leader.id == leader_id)
                if not leader:
                    errors.append(_("Please choose an addressee from the list."))
                vals["leader_id"] = leader.id or False
        return errors, vals

    def _prepare_consultation_thanks_values(self, kind, query_code):
        return {"kind": kind, "query_code": query_code}

    # ------------------------------------------------------------------
    # Forms
    # ------------------------------------------------------------------
    def _form(self, kind, **post):
        guard = _guard(kind)
        if request.httprequest.method != "POST":
            return request.render(
                "gov_service_center.consultation_form_page", self._prepare_consultation_form_values(kind, guard)
            )
        rejection = guard.check(post)
        if rejection is not None:
            return rejection
        if guard.replay is not None:
            # the same form sent again: the same answer
            return request.render(
                "gov_service_center.consultation_thanks_page",
                self._prepare_consultation_thanks_values(
                    guard.replay.get("kind") or kind, guard.replay.get("query_code")
                ),
            )
        if guard.is_spam:
            # pretend success, store nothing
            return request.render(
                "gov_service_center.consultation_thanks_page",
                self._prepare_consultation_thanks_values(kind, random_query_code()),
            )
        errors, vals = self._validate(kind, guard.values)
        if errors:
            _logger.info(
                "Public form %s rejected (validation) from %s", kind, request.httprequest.remote_addr
            )
            response = request.render(
                "gov_service_center.consultation_form_page",
                self._prepare_consultation_form_values(kind, _guard(kind), guard.values, errors),
            )
            response.status_code = 400
            return response
        user = request.env.user
        if not user._is_public() and user.share:
            vals["partner_id"] = user.partner_id.id
        try:
            with request.env.cr.savepoint():
                record = request.env["gov.consultation"].sudo().create(vals)
                if guard.files:
                    request.env["ir.attachment"].sudo().create(
                        [
                            {
                                "name": upload["name"],
                                "raw": upload["raw"],
                                "res_model": "gov.consultation",
                                "res_id": record.id,
                            }
                            for upload in guard.files
                        ]
                    )
        except (ValidationError, UserError) as error:
            _logger.info("Public form %s rejected (constraint)", kind)
            return FormGuard.error_response(400, str(error.args[0] if error.args else ""))
        guard.record(record)
        return request.render(
            "gov_service_center.consultation_thanks_page",
            self._prepare_consultation_thanks_values(kind, record.query_code),
        )

    @http.route(
        "/consultation", type="http", auth="public", website=True, methods=["GET", "POST"],
        sitemap=True, max_content_length=FORM_MAX_CONTENT_LENGTH, readonly=readonly_on_get,
    )
    def consultation(self, **post):
        return self._form("consultation", **post)

    @http.route(
        "/mailbox", type="http", auth="public", website=True, methods=["GET", "POST"],
        sitemap=True, max_content_length=FORM_MAX_CONTENT_LENGTH, readonly=readonly_on_get,
    )
    def mailbox(self, **post):
        return self._form("mailbox", **post)

    # ------------------------------------------------------------------
    # Tracking
    # ------------------------------------------------------------------
    def _prepare_consultation_track_values(self):
        return {
            "record": False,
            "not_found": False,
            "rated": False,
            "code": "",
            "verifier": "",
            "rating_labels": RATING_SELECTION,
        }

    @http.route(
        "/consultation/track", type="http", auth="public", website=True,
        methods=["GET", "POST"], sitemap=False, max_content_length=LOOKUP_MAX_CONTENT_LENGTH,
        readonly=readonly_on_get,
    )
    def consultation_track(self, **post):
        values = self._prepare_consultation_track_values()
        if request.httprequest.method != "POST":
            return request.render("gov_service_center.consultation_track_page", values)
        guard = _track_guard()
        record, rejection = track_request("gov.consultation", guard, post)
        if rejection is not None:
            return rejection
        if not record:
            values["not_found"] = True
            return request.render("gov_service_center.consultation_track_page", values)
        rating = guard.values.get("rating")
        if rating:
            try:
                with request.env.cr.savepoint():
                    record._rate(rating)
                values["rated"] = True
            except (UserError, ValidationError) as error:
                response = FormGuard.error_response(400, str(error.args[0] if error.args else ""))
                return response
        values.update(
            record=record._public_values(),
            state_label=dict(
                record._fields["state"]._description_selection(request.env)
            ).get(record.state),
            rating_label=dict(RATING_SELECTION).get(record.rating) and dict(
                record._fields["rating"]._description_selection(request.env)
            ).get(record.rating),
            can_rate=record.state in ("answered", "closed") and not record.rating,
            date_deadline=record.date_deadline,
            code=record.query_code,
            verifier=guard.values.get("verifier"),
        )
        return request.render("gov_service_center.consultation_track_page", values)

    # ------------------------------------------------------------------
    # Published questions and answers
    # ------------------------------------------------------------------
    @http.route(
        ["/consultation/answers", "/consultation/answers/page/<int:page>"],
        type="http", auth="public", website=True, sitemap=True, readonly=True,
    )
    def consultation_answers(self, page=1, search="", **kw):
        page = _parse_positive_int(page, 1)
        search = _clean_search(search)
        domain = request.env["gov.consultation"]._gov_public_domain()
        if search:
            domain += ["|", ("name", "ilike", search), ("question", "ilike", search)]
        Consultation = request.env["gov.consultation"].sudo()
        # counted up to a cap: a common word, or the whole archive, would
        # otherwise be read just for the count
        count_limit = SEARCH_COUNT_LIMIT if search else BROWSE_COUNT_LIMIT
        total = Consultation.search_count(domain, limit=count_limit)
        pager = portal_pager(
            url="/consultation/answers",
            total=total,
            page=page,
            step=ANSWERS_PER_PAGE,
            url_args={"search": search} if search else None,
        )
        records = Consultation.search(
            domain, limit=ANSWERS_PER_PAGE, offset=pager["offset"], order="date_answered desc, id desc"
        )
        records.fetch(["name", "question", "answer", "contact_name", "department_id",
                       "date_submitted", "date_answered", "kind"])
        records.department_id.fetch(["name"])
        return request.render(
            "gov_service_center.consultation_answers_page",
            {
                "entries": [record._public_values() for record in records],
                "pager": pager,
                "search": search,
                "total": total,
                "total_capped": total >= count_limit,
                # the page's body is cached (t-cache) under what it shows
                "cache_key": (records, records.department_id, total, count_limit,
                              pager["page"], search),
            },
        )


class GovConsultationPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "consultation_count" in counters:
            values["consultation_count"] = (
                request.env["gov.consultation"].search_count(self._consultation_domain())
                if request.env["gov.consultation"].has_access("read")
                else 0
            )
        return values

    def _consultation_domain(self):
        return [("partner_id", "=", request.env.user.partner_id.id)]

    @http.route(
        ["/my/consultations", "/my/consultations/page/<int:page>"],
        type="http", auth="user", website=True,
    )
    def portal_my_consultations(self, page=1, **kw):
        page = _parse_positive_int(page, 1)
        Consultation = request.env["gov.consultation"].sudo()
        domain = self._consultation_domain()
        total = Consultation.search_count(domain)
        pager = portal_pager(url="/my/consultations", total=total, page=page, step=20)
        records = Consultation.search(domain, limit=20, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "consultations": records,
                "pager": pager,
                "page_name": "consultations",
                "default_url": "/my/consultations",
            }
        )
        return request.render("gov_service_center.portal_my_consultations", values)

    def _prepare_consultation_portal_values(self, record):
        values = self._prepare_portal_layout_values()
        values.update({"consultation": record, "page_name": "consultations"})
        return values

    @http.route("/my/consultations/<int:consultation_id>", type="http", auth="user", website=True)
    def portal_my_consultation(self, consultation_id, access_token=None, **kw):
        consultation_id = _parse_positive_int(consultation_id)
        if not consultation_id:
            raise request.not_found()
        try:
            record = self._document_check_access(
                "gov.consultation",
                consultation_id,
                access_token=access_token if isinstance(access_token, str) else None,
            )
        except (AccessError, MissingError):
            raise request.not_found() from None
        return request.render(
            "gov_service_center.portal_my_consultation",
            self._prepare_consultation_portal_values(record),
        )
