# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
from collections import defaultdict
from datetime import datetime, timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .gov_center_time import center_today, center_tz
from .hr_attendance import PUNCH_METHOD_SELECTION

_logger = logging.getLogger(__name__)

# A punch may be at most this far in the future (terminal clocks drift).
FUTURE_TOLERANCE = timedelta(minutes=5)
# A second punch within this delay is a double scan, not a check-out.
MIN_GAP = timedelta(seconds=60)
# An attendance left open longer than this is a forgotten check-out: it is
# closed at its own check-in time (0 hours, a missed punch for the daily
# evaluation) and the new punch opens a new attendance.
MAX_SHIFT = timedelta(hours=16)
MAX_REF_LENGTH = 64
MAX_BADGE_LENGTH = 32
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"

REASON_SELECTION = [
    ("malformed", "Malformed punch"),
    ("unknown_method", "Unknown punch method"),
    ("unknown_badge", "Unknown badge"),
    ("future_time", "Time in the future"),
    ("no_face_consent", "Face punch without face recognition consent"),
    ("out_of_order", "Older than the employee's last recorded attendance"),
    ("too_close", "Repeated punch within one minute"),
    ("conflict", "Conflicts with the employee's attendances"),
]
METHODS = {key for key, _label in PUNCH_METHOD_SELECTION}


class GovAttendancePunch(models.Model):
    """One punch received from an attendance terminal (log of the raw data).

    Accepted punches become check-ins or check-outs of ``hr.attendance``;
    rejected ones keep their reason and are processed again if the terminal
    sends them again (for example after the employee's badge was fixed).
    """

    _name = "gov.attendance.punch"
    _description = "Attendance Punch"
    _inherit = ["gov.register.mixin"]
    _order = "punch_time desc, id desc"
    _rec_name = "punch_ref"

    device_id = fields.Many2one(
        "gov.attendance.device", string="Terminal", required=True, index=True,
        ondelete="restrict",
    )
    punch_ref = fields.Char(string="Punch ID", required=True)
    badge = fields.Char(string="Badge ID")
    employee_id = fields.Many2one(
        "hr.employee", string="Employee", index=True, ondelete="restrict"
    )
    department_id = fields.Many2one(
        related="employee_id.department_id", store=True, index=True, string="Department"
    )
    punch_time = fields.Datetime(string="Time", index=True)
    method = fields.Selection(PUNCH_METHOD_SELECTION)
    state = fields.Selection(
        [("accepted", "Accepted"), ("rejected", "Rejected")],
        required=True,
        default="accepted",
        index=True,
    )
    reason = fields.Selection(REASON_SELECTION)
    attendance_id = fields.Many2one("hr.attendance", string="Attendance", ondelete="set null")
    source = fields.Selection(
        [("terminal", "Terminal"), ("import", "File Import")], default="terminal"
    )

    _sql_constraints = [
        (
            "punch_unique",
            "unique(device_id, punch_ref)",
            "A punch ID can only be received once per terminal.",
        ),
    ]

    # ------------------------------------------------------------------
    # Validation of one raw punch
    # ------------------------------------------------------------------
    @api.model
    def _gov_clean_text(self, value, max_length):
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            return None
        value = value.strip()
        if not value or len(value) > max_length or not value.isprintable():
            return None
        return value

    @api.model
    def _gov_parse_punch(self, raw):
        """Return ``(ref, values, reason)`` for one raw punch (a dict)."""
        if not isinstance(raw, dict):
            return None, None, "malformed"
        ref = self._gov_clean_text(raw.get("id"), MAX_REF_LENGTH)
        if ref is None:
            return None, None, "malformed"
        badge = self._gov_clean_text(raw.get("badge"), MAX_BADGE_LENGTH)
        when = raw.get("time")
        method = raw.get("method")
        if badge is None or not isinstance(when, str) or len(when) != 19:
            return ref, None, "malformed"
        try:
            when = datetime.strptime(when, TIME_FORMAT)
        except ValueError:
            return ref, None, "malformed"
        if when.year < 2000:
            return ref, None, "malformed"
        if not isinstance(method, str) or method not in METHODS:
            return ref, None, "unknown_method"
        return ref, {"badge": badge, "punch_time": when, "method": method}, None

    # ------------------------------------------------------------------
    # Ingestion (terminal endpoint and file import)
    # ------------------------------------------------------------------
    @api.model
    def _gov_ingest(self, device, raw_punches, source="terminal"):
        """Record the punches of ``device`` and turn the valid ones into attendances.

        Returns ``{"accepted": int, "rejected": [{"id", "reason"}],
        "duplicates": [id]}``. A punch already accepted for this terminal is a
        duplicate: it is reported, not counted and changes nothing. Punches
        are applied per employee in time order; a conflict with the
        employee's attendances rejects that employee's punches of the batch
        and keeps the others.
        """
        device.ensure_one()
        Punch = self.sudo()
        now = fields.Datetime.now()
        rejected, duplicates = [], []
        parsed = {}  # ref -> values
        for raw in raw_punches:
            ref, values, reason = self._gov_parse_punch(raw)
            if ref is not None and (ref in parsed or ref in duplicates):
                duplicates.append(ref)
                continue
            if reason:
                rejected.append({"id": ref, "reason": reason})
                continue
            parsed[ref] = values

        existing = {}
        if parsed:
            for punch in Punch.search_fetch(
                [("device_id", "=", device.id), ("punch_ref", "in", list(parsed))],
                ["punch_ref", "state"],
            ):
                existing[punch.punch_ref] = punch
        for ref, punch in existing.items():
            if punch.state == "accepted":
                duplicates.append(ref)
                del parsed[ref]

        employees = {}
        badges = {values["badge"] for values in parsed.values()}
        if badges:
            for employee in (
                self.env["hr.employee"]
                .sudo()
                .with_context(active_test=False)
                .search_fetch([("barcode", "in", list(badges))], ["barcode", "gov_face_consent"])
            ):
                employees[employee.barcode] = employee

        by_employee = defaultdict(list)
        log_vals = []  # punches rejected before the attendance step
        for ref, values in parsed.items():
            employee = employees.get(values["badge"])
            reason = None
            if not employee:
                reason = "unknown_badge"
            elif values["punch_time"] > now + FUTURE_TOLERANCE:
                reason = "future_time"
            elif values["method"] == "face" and not employee.gov_face_consent:
                reason = "no_face_consent"
            if reason:
                log_vals.append(dict(values, punch_ref=ref, employee_id=employee.id if employee else False,
                                     state="rejected", reason=reason))
                continue
            by_employee[employee].append(dict(values, punch_ref=ref, employee_id=employee.id))

        accepted_vals = []
        if by_employee:
            plans = self._gov_plan_attendances(device, by_employee)
            try:
                with self.env.cr.savepoint():
                    accepted_vals += self._gov_apply_plans(device, plans.values())
            except ValidationError:
                # one employee's attendances conflict: retry one by one
                for employee, plan in plans.items():
                    try:
                        with self.env.cr.savepoint():
                            accepted_vals += self._gov_apply_plans(device, [plan])
                    except ValidationError:
                        for vals in plan["punches"]:
                            if vals.get("state") != "rejected":
                                vals.update(state="rejected", reason="conflict")
            for plan in plans.values():
                log_vals += [v for v in plan["punches"] if v.get("state") == "rejected"]

        # write the log: update the punches rejected before, create the others
        to_create = []
        for vals in accepted_vals + log_vals:
            vals = {key: value for key, value in vals.items() if key != "attendance"}
            vals.update(device_id=device.id, source=source)
            vals.setdefault("state", "accepted")
            punch = existing.get(vals["punch_ref"])
            if punch:
                punch.write(vals)
            else:
                to_create.append(vals)
        Punch.create(to_create)
        if accepted_vals:
            device.sudo().last_punch_date = now
        accepted = [v for v in accepted_vals if v.get("state", "accepted") == "accepted"]
        rejected += [{"id": v["punch_ref"], "reason": v["reason"]} for v in log_vals]
        return {"accepted": len(accepted), "rejected": rejected, "duplicates": duplicates}

    @api.model
    def _gov_plan_attendances(self, device, by_employee):
        """Pair the punches of each employee into check-ins and check-outs."""
        Attendance = self.env["hr.attendance"].sudo()
        last = {}
        employee_ids = [employee.id for employee in by_employee]
        # the latest attendance of each employee
        for attendance in Attendance.search_fetch(
            [("employee_id", "in", employee_ids)],
            ["employee_id", "check_in", "check_out"],
            order="employee_id, check_in desc",
        ):
            last.setdefault(attendance.employee_id.id, attendance)
        plans = {}
        for employee, punches in by_employee.items():
            punches.sort(key=lambda vals: (vals["punch_time"], vals["punch_ref"]))
            latest = last.get(employee.id)
            open_att = latest if latest and not latest.check_out else None
            last_time = (latest.check_out or latest.check_in) if latest else None
            plan = {"close": {}, "new": [], "punches": punches}
            current = None  # dict of the new attendance being built, if open
            for vals in punches:
                when = vals["punch_time"]
                if last_time and when <= last_time:
                    vals.update(state="rejected", reason="out_of_order")
                    continue
                if last_time and when - last_time < MIN_GAP:
                    vals.update(state="rejected", reason="too_close")
                    continue
                if open_att is not None:
                    if when - open_att.check_in > MAX_SHIFT:
                        plan["close"][open_att] = open_att.check_in
                    else:
                        plan["close"][open_att] = when
                        vals["attendance"] = open_att
                        open_att = None
                        last_time = when
                        continue
                    open_att = None
                if current is not None:
                    if when - current["check_in"] > MAX_SHIFT:
                        current["check_out"] = current["check_in"]
                    else:
                        current["check_out"] = when
                        vals["attendance"] = current
                        current = None
                        last_time = when
                        continue
                current = {
                    "employee_id": employee.id,
                    "check_in": when,
                    "gov_punch_method": vals["method"],
                    "gov_device_id": device.id,
                    "in_mode": "kiosk",
                }
                plan["new"].append(current)
                vals["attendance"] = current
                last_time = when
            plans[employee] = plan
        return plans

    @api.model
    def _gov_apply_plans(self, device, plans):
        """Write the attendances of ``plans``; return the accepted punch values."""
        Attendance = self.env["hr.attendance"].sudo()
        for plan in plans:
            for attendance, check_out in plan["close"].items():
                attendance.write({"check_out": check_out, "out_mode": "kiosk"})
        new_vals = [vals for plan in plans for vals in plan["new"]]
        for vals in new_vals:
            if vals.get("check_out"):
                vals["out_mode"] = "kiosk"
        records = Attendance.create([dict(vals) for vals in new_vals])
        ids = {id(vals): record.id for vals, record in zip(new_vals, records)}
        result = []
        for plan in plans:
            for vals in plan["punches"]:
                if vals.get("state") == "rejected":
                    continue
                attendance = vals.get("attendance")
                attendance_id = (
                    attendance.id if isinstance(attendance, models.BaseModel)
                    else ids.get(id(attendance), False)
                )
                result.append({
                    "punch_ref": vals["punch_ref"],
                    "badge": vals["badge"],
                    "punch_time": vals["punch_time"],
                    "method": vals["method"],
                    "employee_id": vals["employee_id"],
                    "attendance_id": attendance_id,
                    "state": "accepted",
                    "reason": False,
                })
        return result

    # ------------------------------------------------------------------
    # Demo data
    # ------------------------------------------------------------------
    @api.model
    def _gov_demo_load(self):
        """Demo: a month of punches of the demo staff, their results, tickets."""
        import random

        import pytz

        rng = random.Random(2014)
        ref = self.env.ref
        devices = {
            "fingerprint": ref("gov_service_center.attendance_demo_device_fingerprint"),
            "face": ref("gov_service_center.attendance_demo_device_face"),
        }
        employees = self.env["hr.employee"].browse(
            ref(f"gov_service_center.attendance_demo_employee_{i:03d}").id for i in range(1, 121)
        )
        tz = center_tz(self.env)
        Calendar = self.env["gov.calendar.day"]
        today = center_today(self.env)
        batches = defaultdict(list)
        for offset in range(30, 0, -1):
            day = today - timedelta(days=offset)
            if not Calendar.is_working_day(day):
                continue
            for employee in employees:
                roll = rng.random()
                if roll < 0.01:
                    continue  # absent
                method = "face" if employee.gov_face_consent and rng.random() < 0.6 else "fingerprint"
                minutes_in = rng.randint(-25, -2) if roll > 0.06 else rng.randint(3, 25)  # 5 % late
                check_in = datetime.combine(day, datetime.min.time()).replace(hour=8) + timedelta(
                    minutes=minutes_in, seconds=rng.randint(0, 59)
                )
                check_out = datetime.combine(day, datetime.min.time()).replace(hour=17) + timedelta(
                    minutes=rng.randint(1, 30), seconds=rng.randint(0, 59)
                )
                times = [check_in] if roll < 0.03 else [check_in, check_out]  # 2 % missed
                for kind, local in zip(("in", "out"), times):
                    utc = tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None)
                    batches[(day, method)].append({
                        "id": f"{day:%Y%m%d}-{employee.barcode}-{kind}",
                        "badge": employee.barcode,
                        "time": utc.strftime(TIME_FORMAT),
                        "method": method,
                    })
        # the terminals post their punches as they come: day after day
        for (_day, method), punches in sorted(batches.items()):
            self._gov_ingest(devices[method], punches)
        self.env["gov.attendance.day"]._gov_evaluate(
            today - timedelta(days=30), today - timedelta(days=1), employees
        )
        self._gov_demo_tickets(rng, today)

    @api.model
    def _gov_demo_tickets(self, rng, today):
        import pytz

        Ticket = self.env["gov.queue.ticket"].sudo()
        tz = center_tz(self.env)
        ref = self.env.ref
        zones = [ref(f"gov_service_center.attendance_demo_{xid}")
                 for xid in ("zone_approval", "zone_public", "zone_consult")]
        windows = self.env["gov.service.window"].search([("zone_id", "in", [z.id for z in zones])])
        tickets = Ticket.create([
            {"zone_id": rng.choice(zones).id,
             "priority": "elderly" if rng.random() < 0.08 else "normal"}
            for _i in range(60)
        ])
        for index, ticket in enumerate(tickets):
            local = datetime.combine(today, datetime.min.time()).replace(hour=9) + timedelta(
                minutes=index * 4
            )
            taken = tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None)
            vals = {"taken_at": taken, "hour": local.hour}
            zone_windows = windows.filtered(lambda w, z=ticket.zone_id: w.zone_id == z)
            if index < 45 and zone_windows:
                window = rng.choice(zone_windows)
                called = taken + timedelta(minutes=rng.randint(2, 25))
                served = called + timedelta(minutes=1)
                vals.update(
                    state="done" if index < 40 else "serving",
                    window_id=window.id,
                    employee_id=window.employee_ids[:1].id or self.env["hr.employee"].search(
                        [("gov_window_id", "=", window.id)], limit=1).id,
                    called_at=called,
                    served_at=served,
                    done_at=served + timedelta(minutes=rng.randint(3, 20)) if index < 40 else False,
                    call_count=1,
                )
            ticket.write(vals)
