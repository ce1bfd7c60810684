# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The settings of the service center, declared once.

Each setting is an ``ir.config_parameter`` named ``gov_service_center.<name>``,
edited in Settings through the field ``gov_<name>`` of ``res.config.settings``.
:func:`get_setting` is the one reader of the module: it parses the stored text
according to the declared type and falls back to the default when the value is
missing, unreadable or out of bounds, so a wrong value typed in the system
parameters never breaks a form, a deadline or a cron.
"""
import logging
import re
from collections import namedtuple

import pytz

_logger = logging.getLogger(__name__)

PREFIX = "gov_service_center."

Setting = namedtuple(
    "Setting",
    "name type default minimum maximum label help section pattern",
    defaults=(None, None, "", "", "", None),
)

DECLARATIONS = [
    # center clock
    Setting("center_tz", "selection", "Asia/Shanghai", label="Center Time Zone",
            help="Every day, month and year of the center follow this zone: queue numbers, "
            "deadlines, attendance, ledgers and overview figures.", section="clock"),
    # approval items
    Setting("item_code_pattern", "char", "{division}{dept}-{type}-{seq}",
            label="Item Code Pattern",
            help="Pattern of generated approval item codes. Placeholders: {division} "
            "(administrative division code), {dept} (department code), {type} (item type "
            "code: XK, GG, QR, JF, QT), {year} and {seq} (sequence number).",
            section="approval"),
    Setting("division_code", "char", "511400", label="Administrative Division Code",
            help="Six-digit code of the city (GB/T 2260), e.g. 511400 for Meishan.",
            section="approval",
            pattern=r"\d{6}"),
    # cases (working days; Administrative Licensing Law Art. 32, 42, 44)
    Setting("case_number_pattern", "char", "{division}{yyyymmdd}{seq:06d}",
            label="Case Number Pattern",
            help="Pattern of case numbers. Placeholders: {division} (division code), "
            "{yyyymmdd}, {yyyy}, {mm}, {dd} (day of receipt) and {seq} (number of the day, "
            "e.g. {seq:06d}).", section="case"),
    Setting("case_supplement_days", "int", 5, 1, 30, "Supplement Notice Time",
            "Working days after receipt to send the one-time supplement notice; without "
            "it the case counts as accepted on the day of receipt (Art. 32).", "case"),
    Setting("case_extension_days", "int", 10, 0, 60, "Extension Limit",
            "Working days an administrator may add once to a case (Art. 42).", "case"),
    Setting("case_joint_extension_days", "int", 15, 0, 60, "Extension Limit (joint handling)",
            "Working days an administrator may add once to a jointly handled case.", "case"),
    Setting("case_delivery_days", "int", 10, 1, 60, "Delivery Time",
            "Working days to deliver the decision after it is taken (Art. 44).", "case"),
    Setting("case_overdue_points", "float", -2.0, -100.0, 0.0, "Points per Overdue Case",
            "Points deducted from the case officer for each case decided after its "
            "promised deadline.", "case"),
    # consultations and leader mailbox (working days)
    Setting("consultation_days", "int", 3, 1, 60, "Consultation Answer Time",
            "Working days to answer an online consultation.", "consultation"),
    Setting("mailbox_simple_days", "int", 3, 1, 60, "Mailbox Answer Time (simple)",
            "Working days to answer a simple mailbox letter.", "consultation"),
    Setting("mailbox_complex_days", "int", 10, 1, 60, "Mailbox Answer Time (complex)",
            "Working days to answer a complex mailbox letter.", "consultation"),
    Setting("rating_days", "int", 20, 1, 60, "Rating Period",
            "Working days the citizen has to rate an answer.", "consultation"),
    # window staff discipline
    Setting("points_base", "float", 100.0, 0.0, 1000.0, "Monthly Base Points",
            "Base score of every staff member each month.", "discipline"),
    Setting("points_bonus_cap", "float", 5.0, 0.0, 100.0, "Bonus Points Cap",
            "Maximum bonus counted in a monthly score.", "discipline"),
    Setting("star_count", "int", 3, 0, 50, "Service Stars per Month",
            "Service stars nominated each month.", "discipline"),
    Setting("notice_threshold", "float", 90.0, 0.0, 1000.0, "Notice Threshold",
            "A window whose monthly score is below this threshold is notified to its "
            "department leader.", "discipline"),
    Setting("warning_late_count", "int", 2, 0, 31, "Late Arrivals Before Warning",
            "0 disables this trigger.", "discipline"),
    Setting("warning_bad_rating", "bool", True, label="Warn on Bad Rating",
            help="Raise an early warning on each bad rating.", section="discipline"),
    Setting("warning_inspection", "bool", True, label="Warn on Inspection Deduction",
            help="Raise an early warning on each confirmed inspection deduction.",
            section="discipline"),
    # attendance
    Setting("attendance_grace_minutes", "int", 0, 0, 120, "Grace Minutes",
            "Minutes tolerated before a late arrival or early leave counts.", "attendance"),
    Setting("attendance_minor_minutes", "int", 10, 0, 480, "Minor Lateness Limit (minutes)",
            "A late arrival or early leave up to this many minutes is minor.", "attendance"),
    Setting("attendance_points_minor", "float", -1.0, -100.0, 0.0,
            "Points per Minor Late Arrival or Early Leave", "", "attendance"),
    Setting("attendance_points_major", "float", -3.0, -100.0, 0.0,
            "Points per Longer Late Arrival or Early Leave", "", "attendance"),
    Setting("attendance_points_missed_punch", "float", -2.0, -100.0, 0.0,
            "Points per Missed Punch", "", "attendance"),
    Setting("punch_rederive_days", "int", 35, 1, 3660, "Late Punch Window (days)",
            "A punch that arrives late re-derives the employee's attendances and daily "
            "results up to this many days back; an older one is kept for review.",
            "attendance"),
    Setting("attendance_points_absent_half_day", "float", -5.0, -100.0, 0.0,
            "Points per Half Day of Absence", "", "attendance"),
    # service ratings
    Setting("rating_verify_days", "int", 1, 0, 30, "Bad Rating Verification Time",
            "Working days to verify a bad rating.", "rating"),
    Setting("rating_rectify_days", "int", 15, 1, 60, "Bad Rating Rectification Time",
            "Working days to rectify a verified bad rating.", "rating"),
    Setting("rating_bad_points", "float", -2.0, -100.0, 0.0, "Points per Bad Rating",
            "", "rating"),
    Setting("rating_good_points", "float", 0.5, 0.0, 100.0, "Points per Good Rating",
            "", "rating"),
    # intermediaries
    Setting("complaint_deadline_days", "int", 15, 1, 60, "Complaint Deadline (working days)",
            "Working days to handle and answer a complaint about an intermediary (GB/T 36113).",
            "intermediary"),
    Setting("evaluation_weight_owner", "int", 50, 0, 100, "Weight of Project Owners",
            "", "intermediary"),
    Setting("evaluation_weight_department", "int", 30, 0, 100,
            "Weight of Industry Departments", "", "intermediary"),
    Setting("evaluation_weight_center", "int", 20, 0, 100, "Weight of the Service Center",
            "", "intermediary"),
    Setting("grade_threshold_a", "int", 90, 0, 100, "Grade A from", "", "intermediary"),
    Setting("grade_threshold_b", "int", 80, 0, 100, "Grade B from", "", "intermediary"),
    Setting("grade_threshold_c", "int", 70, 0, 100, "Grade C from", "", "intermediary"),
    Setting("grade_threshold_d", "int", 60, 0, 100, "Grade D from", "", "intermediary"),
    # electronic supervision (电子监察)
    Setting("supervision_warning_days", "int", 1, 0, 30, "Warning Days",
            "A record still open this many working days or fewer before its deadline "
            "shows a yellow light and raises a warning; past the deadline it shows a red "
            "light and raises a red card.", "supervision"),
    Setting("supervision_yellow_points", "float", -1.0, -100.0, 0.0,
            "Points per Confirmed Yellow Card", "", "supervision"),
    Setting("supervision_red_points", "float", -3.0, -100.0, 0.0,
            "Points per Confirmed Red Card", "", "supervision"),
    # website forms
    Setting("form_min_fill_seconds", "int", 3, 0, 3600, "Minimum Fill Time (seconds)",
            "Forms sent faster than this are taken for robots.", "forms"),
    Setting("form_max_form_age_seconds", "int", 86400, 60, 2592000,
            "Maximum Form Age (seconds)", "Older forms must be reloaded.", "forms"),
    Setting("form_ip_per_10_minutes", "int", 5, 1, 100000000,
            "Submissions per Address per 10 Minutes", "", "forms"),
    Setting("form_ip_per_day", "int", 20, 1, 100000000, "Submissions per Address per Day",
            "", "forms"),
    Setting("form_phone_per_day", "int", 3, 1, 100000000, "Submissions per Phone per Day",
            "", "forms"),
    Setting("form_scope_ip_per_day", "int", 3, 1, 100000000,
            "Ratings per Window and Address per Day",
            "Ratings one address may give to the same window through its QR code each day.",
            "forms"),
    Setting("hall_ticket_ip_limit", "int", 3, 0, 1000, "Tickets per Address per 10 Minutes",
            "Queue tickets a device that is not a registered kiosk may take in 10 minutes.",
            "forms"),
    Setting("hall_ticket_ip_priority_limit", "int", 1, 0, 1000,
            "Priority Tickets per Address per 10 Minutes",
            "Green-channel tickets a device that is not a registered kiosk may take in 10 minutes.",
            "forms"),
    # notifications (SMS, e-mail and portal messages to citizens and staff)
    Setting("notify_sms_daily_cap", "int", 5, 0, 1000, "SMS per Phone per Day",
            "At most this many text messages are sent to one phone number each day of "
            "the center; further ones are skipped. 0: no limit.", "notification"),
    Setting("notify_quiet_start", "float", 21.0, 0.0, 24.0, "Quiet Hours From",
            "From this hour of the center, non-urgent text messages wait for the end of "
            "the quiet hours.", "notification"),
    Setting("notify_quiet_end", "float", 8.0, 0.0, 24.0, "Quiet Hours Until",
            "Hour of the center at which the quiet hours end. Equal to the start: no "
            "quiet hours.", "notification"),
    Setting("notify_max_attempts", "int", 5, 1, 50, "Sending Attempts",
            "Attempts to send a message through the gateway before it is marked failed.",
            "notification"),
    Setting("notify_backoff_minutes", "int", 5, 1, 1440, "Retry Delay (minutes)",
            "Delay before the first retry; it doubles at each further attempt.",
            "notification"),
    # website identity (the center's name, logo, address and hotline are those of the company)
    Setting("center_hours", "char", "", label="Opening Hours",
            help="Opening hours of the hall, shown in the header, the footer, the home page "
            "and the printed documents, e.g. Monday to Friday 9:00-12:00, 13:30-17:30.",
            section="website"),
    Setting("complaint_phone", "char", "12345", label="Complaint Line",
            help="Telephone number for complaints and suggestions, e.g. the 12345 government "
            "service hotline.", section="website"),
    Setting("site_sponsor", "char", "", label="Website Sponsor",
            help="Organisation running the website (主办单位), shown in the footer.",
            section="website"),
    Setting("site_code", "char", "", label="Website Identifier",
            help="Ten-character identifier of the government website (网站标识码).",
            section="website", pattern=r"[0-9A-Za-z]{10}"),
    Setting("icp_number", "char", "", label="ICP Filing Number",
            help="ICP filing number of the website (ICP备案号), linked to the MIIT filing "
            "system in the footer.", section="website"),
    Setting("psb_number", "char", "", label="Public Security Filing Number",
            help="Public security filing number of the website (公安机关备案号), linked to the "
            "national filing system in the footer.", section="website"),
]

SETTINGS = {setting.name: setting for setting in DECLARATIONS}

# Former keys still read when the setting itself was never stored.
LEGACY_KEYS = {"center_tz": PREFIX + "hall_tz"}


def param_key(name):
    """The ``ir.config_parameter`` key of the setting ``name``."""
    return PREFIX + name


def field_name(name):
    """The ``res.config.settings`` field of the setting ``name``."""
    return "gov_" + name


def parse(setting, raw):
    """The typed value of the stored text ``raw``; ``None`` when it is unusable."""
    if raw is None or raw is False:
        return None
    text = str(raw).strip()
    try:
        if setting.type == "bool":
            lowered = text.lower()
            if lowered in ("true", "1", "yes"):
                return True
            if lowered in ("false", "0", "no", ""):
                return False
            return None
        if setting.type == "int":
            number = float(text)
            if number != int(number):
                return None
            value = int(number)
        elif setting.type == "float":
            value = float(text)
            if value != value or value in (float("inf"), float("-inf")):
                return None
        elif setting.type == "selection":
            return text if text in selection_values(setting) else None
        else:
            if not text:
                return None
            if setting.pattern and not re.fullmatch(setting.pattern, text):
                return None
            return text
    except (TypeError, ValueError, OverflowError):
        return None
    if not in_bounds(setting, value):
        return None
    return value


def in_bounds(setting, value):
    return not (
        (setting.minimum is not None and value < setting.minimum)
        or (setting.maximum is not None and value > setting.maximum)
    )


def selection_values(setting):
    if setting.name == "center_tz":
        return set(pytz.all_timezones)
    return set()


def format_value(setting, value):
    """The text stored for ``value``."""
    if setting.type == "bool":
        return str(bool(value))
    if setting.type == "float":
        return repr(float(value))
    return str(value)


def get_setting(env, name):
    """The value of the setting ``name``: typed, defaulted and within bounds."""
    setting = SETTINGS[name]
    ICP = env["ir.config_parameter"].sudo()
    raw = ICP.get_param(param_key(name))
    if raw is False and name in LEGACY_KEYS:
        raw = ICP.get_param(LEGACY_KEYS[name])
    value = parse(setting, raw)
    if value is None:
        if raw not in (None, False, ""):
            _logger.warning("Ignoring the unusable value %r of %s", raw, param_key(name))
        return setting.default
    return value


def settings_markdown():
    """The Markdown table of the settings, as written in the README."""

    def text(value):
        if value is None:
            return ""
        if isinstance(value, bool):
            return "yes" if value else "no"
        return str(value)

    lines = [
        "| Key | Meaning | Default | Bounds |",
        "| --- | --- | --- | --- |",
    ]
    for setting in DECLARATIONS:
        if setting.type == "selection":
            bounds = "a time zone (pytz)"
        elif setting.pattern:
            bounds = f"`{setting.pattern}`"
        elif setting.type in ("int", "float"):
            bounds = f"{text(setting.minimum)} to {text(setting.maximum)}"
        else:
            bounds = ""
        lines.append(
            f"| `{param_key(setting.name)}` | {setting.label} | `{text(setting.default)}` "
            f"| {bounds} |"
        )
    return "\n".join(lines) + "\n"
