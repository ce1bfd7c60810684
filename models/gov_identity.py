# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Check digits of the identifiers an applicant gives at intake.

* citizen identity number (公民身份号码, GB 11643-1999): 18 characters,
  ISO 7064 MOD 11-2 check character, a real birth date not in the future;
  the 2023 foreigner permanent-residence ID (starting with 9) and the
  Hong Kong / Macao / Taiwan residence permits use the same check;
* unified social credit code (统一社会信用代码, GB 32100-2015): see
  :func:`gov_intermediary.is_valid_uscc`.
"""
import datetime
import re
from operator import mul

_ID_RE = re.compile(r"^[1-9]\d{16}[\dX]$")
_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"


def normalize_id_number(value):
    """Upper-case form of an identity number with blanks removed."""
    if value and value.isalnum():  # nothing to remove (the usual case)
        return value.upper()
    return re.sub(r"\s+", "", value or "").upper()


def id_number_check_char(body):
    """Check character of the 17 first digits of an identity number."""
    return _ID_CHECK[sum(map(mul, map(int, body[:17]), _ID_WEIGHTS)) % 11]


def is_valid_id_number(value, today=None):
    """True for an 18-character identity number with a valid check character
    and a real birth date that is not in the future."""
    number = normalize_id_number(value)
    if not _ID_RE.match(number):
        return False
    if number[-1] != id_number_check_char(number[:17]):
        return False
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return datetime.date(1800, 1, 1) <= birth <= (today or datetime.date.today())
