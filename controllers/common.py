# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Helpers shared by the public controllers: parsing of ids and searches,
public record look-up, the client address, error pages and the look-up of a
request by its query code."""
import ipaddress
import re

from odoo.http import request

SEARCH_MAX_LENGTH = 100
# PostgreSQL ``integer`` range: larger ids would make the query itself fail.
MAX_DB_ID = 2**31 - 1
_NON_PRINTABLE_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]+")

# Request bodies accepted by the public forms (413 above): the text fields
# are a few kilobytes; forms with attachments add their files.
FORM_MAX_CONTENT_LENGTH = 64 * 1024
LOOKUP_MAX_CONTENT_LENGTH = 8 * 1024


def readonly_on_get(controller):
    """``readonly`` of the routes that show a page on GET and act on POST:
    the page is served by a read-only cursor (the replica, when one is
    configured), the submission by the primary database."""
    return request.httprequest.method in ("GET", "HEAD")


def upload_max_content_length(max_files, max_file_size):
    """Body limit of a form accepting ``max_files`` files of at most
    ``max_file_size`` bytes (multipart overhead included)."""
    return FORM_MAX_CONTENT_LENGTH + max_files * (max_file_size + 4096)


def parse_positive_int(value, default=None):
    """Return ``value`` as a database id / page number, or ``default`` when
    it is not a positive integer in the range PostgreSQL accepts."""
    if isinstance(value, int):
        number = value
    else:
        value = (value or "").strip() if isinstance(value, str) else ""
        if not value or len(value) > 10 or not value.isdigit() or not value.isascii():
            return default
        number = int(value)
    if 0 < number <= MAX_DB_ID:
        return number
    return default


def clean_search(value):
    """Strip control characters and surrounding blanks, cap the length."""
    if not isinstance(value, str):
        return ""
    value = _NON_PRINTABLE_RE.sub(" ", value[: SEARCH_MAX_LENGTH * 4])
    return " ".join(value.split())[:SEARCH_MAX_LENGTH].strip()


def find_public_record(model_name, slug):
    """Return the record of ``slug`` (sudo) if the website may show it (the
    model's ``_gov_public_domain()``), else raise 404: the lookup shared by
    the public detail pages."""
    try:
        _name, record_id = request.env["ir.http"]._unslug(slug or "")
    except (TypeError, ValueError):
        record_id = None
    record_id = parse_positive_int(record_id) if isinstance(record_id, int) else None
    if not record_id:
        raise request.not_found()
    record = (
        request.env[model_name].sudo().search(
            [("id", "=", record_id)] + request.env[model_name]._gov_public_domain(), limit=1
        )
    )
    if not record:
        raise request.not_found()
    return record


def normalize_address(address):
    """The key under which a client address is counted: IPv4 addresses as
    they are, IPv6 addresses by their /64 network (one subscriber usually
    holds a whole /64), IPv4-mapped IPv6 addresses as IPv4."""
    try:
        ip = ipaddress.ip_address((address or "").split("%", 1)[0])
    except ValueError:
        return "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def client_address():
    """The normalised address of the current client (see
    :func:`normalize_address`)."""
    return normalize_address(request.httprequest.remote_addr)


def error_page(status, message):
    """The friendly error page of the public forms with ``status``."""
    response = request.render(
        "gov_service_center.form_error_page",
        {"error_message": message, "error_status": status},
    )
    response.status_code = status
    return response


def track_request(model_name, guard, post, finder="_find_by_query_code",
                  code_field="code", verifier_field="verifier"):
    """Look a request up by its reference and second factor for a public
    tracking page: ``finder`` names the model method taking both (by default
    the query code of ``gov.query.code.mixin``; a case by its number).
    Return ``(record, rejection)``: the record (sudo, empty when nothing
    matches) and None, or an empty record and the error response when the
    look-up is refused (invalid form, too many failed look-ups from the
    address). A failed look-up counts toward the limits of the address."""
    Model = request.env[model_name].sudo()
    rejection = guard.check_lookup(post)
    if rejection is not None:
        return Model.browse(), rejection
    record = getattr(Model, finder)(
        guard.values.get(code_field), guard.values.get(verifier_field)
    )
    if not record:
        guard.record()
    return record, None
