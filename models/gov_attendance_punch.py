# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
from collections import defaultdict
from datetime import datetime, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from .gov_center_time import center_today, center_tz
from .gov_settings import get_setting
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
# A late punch re-derives the attendances at most this many days back; an
# older one is kept for review (system parameter of that name).

REASON_SELECTION = [
    ("malformed", "Malformed punch"),
    ("unknown_method", "Unknown punch method"),
    ("unknown_badge", "Unknown badge"),
    ("future_time", "Time in the future"),
    ("no_face_consent", "Face punch without face recognition consent"),
    ("out_of_order", "Older than the employee's last recorded attendance"),
    ("too_close", "Repeated punch within one minute"),
    ("conflict", "Conflicts with the employee's attendances"),
    ("too_old", "Late punch older than the re-evaluation window"),
]
METHODS = {key for key, _label in PUNCH_METHOD_SELECTION}


class GovAttendancePunch(models.Model):
    """One punch received from an attendance terminal (log of the raw data).

    The log of accepted punches is the source of truth: the attendances
    (``hr.attendance`` with a terminal) of an employee are derived from it,
    and derived again when a punch arrives late. Rejected punches keep their
    reason and are processed again if the terminal sends them again (for
    example after the employee's badge was fixed); late punches older than
    the re-derivation window are kept for review.
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
        [("accepted", "Accepted"), ("review", "To Review"), ("rejected", "Rejected")],
        required=True,
        default="accepted",
        index=True,
    )
    reason = fields.Selection(REASON_SELECTION)
    attendance_id = fields.Many2one(
        "hr.attendance", string="Attendance", ondelete="set null", index="btree_not_null"
    )
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
    def _gov_rederive_days(self):
        """Days back a late punch still re-derives the attendances."""
        return get_setting(self.env, "punch_rederive_days")

    @api.model
    def _gov_lock(self, device, employee_ids):
        """Serialise the ingestion per terminal and per employee.

        The rows of the terminal and of the employees (in id order, so that
        two ingestions never wait for each other crosswise) are locked and
        rewritten unchanged: a concurrent ingestion that read the database
        before this one committed fails with a serialization error when it
        reaches the same rows, and the request is run again on fresh data
        instead of writing attendances from a stale view.
        """
        cr = self.env.cr
        cr.execute(SQL(
            "UPDATE gov_attendance_device SET write_date = write_date WHERE id = %s", device.id
        ))
        if employee_ids:
            ids = sorted(employee_ids)
            cr.execute(SQL(
                "SELECT id FROM hr_employee WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE", ids
            ))
            cr.execute(SQL(
                "UPDATE hr_employee SET write_date = write_date WHERE id = ANY(%s)", ids
            ))

    @api.model
    def _gov_ingest(self, device, raw_punches, source="terminal"):
        """Record the punches of ``device`` in the log and derive the attendances.

        Returns ``{"accepted": int, "rejected": [{"id", "reason"}],
        "duplicates": [id]}``. A punch already accepted for this terminal is a
        duplicate: it is reported, not counted and changes nothing. A valid
        punch is accepted whatever its time: a punch older than the
        employee's last recorded one re-derives that employee's attendances
        from the punch log (see ``_gov_derive``), unless it is older than the
        re-derivation window: then it is stored for review (``too_old``).
        A conflict with attendances entered by hand rejects that employee's
        punches of the batch and keeps the others.
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
        Punch._gov_lock(device, {employee.id for employee in employees.values()})

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

        by_employee = defaultdict(list)
        log_vals = []  # punches not derived (rejected, or kept for review)
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
            by_employee[employee.id].append(
                dict(values, punch_ref=ref, employee_id=employee.id, device_id=device.id)
            )
        if by_employee:
            log_vals += Punch._gov_hold_too_old(by_employee, now)

        accepted_vals = []
        if by_employee:
            try:
                with self.env.cr.savepoint():
                    accepted_vals += Punch._gov_derive(by_employee)
            except ValidationError:
                # one employee's punches conflict with attendances entered by
                # hand: derive one employee at a time
                for employee_id, punches in by_employee.items():
                    try:
                        with self.env.cr.savepoint():
                            accepted_vals += Punch._gov_derive({employee_id: punches})
                    except ValidationError:
                        log_vals += [dict(vals, state="rejected", reason="conflict") for vals in punches]

        # write the log: update the punches rejected before, create the others
        to_create = []
        for vals in accepted_vals + log_vals:
            vals = {key: value for key, value in vals.items() if key != "attendance"}
            vals.update(device_id=device.id, source=source)
            vals.setdefault("state", "accepted")
            vals.setdefault("reason", False)
            punch = existing.get(vals["punch_ref"])
            if punch:
                punch.write(vals)
            else:
                to_create.append(vals)
        Punch.create(to_create)
        if accepted_vals:
            device.sudo().last_punch_date = now
        rejected += [{"id": v["punch_ref"], "reason": v["reason"]} for v in log_vals]
        return {"accepted": len(accepted_vals), "rejected": rejected, "duplicates": duplicates}

    @api.model
    def _gov_hold_too_old(self, by_employee, now):
        """Take out of ``by_employee`` the late punches older than the window.

        A punch is late when the log already holds a later accepted punch of
        the employee; a late punch older than the re-derivation window would
        change attendances and daily results that are closed: it is kept for
        review instead (state ``review``). Returns the values of those punches.
        """
        limit = now - timedelta(days=self._gov_rederive_days())
        old = {employee_id: min(v["punch_time"] for v in punches)
               for employee_id, punches in by_employee.items()}
        old = {employee_id: first for employee_id, first in old.items() if first < limit}
        if not old:
            return []
        self.flush_model(["employee_id", "punch_time", "state"])
        self.env.cr.execute(SQL(
            """SELECT employee_id, max(punch_time) FROM gov_attendance_punch
                WHERE employee_id = ANY(%s) AND state = 'accepted' GROUP BY employee_id""",
            list(old),
        ))
        latest = dict(self.env.cr.fetchall())
        held = []
        for employee_id in old:
            last = latest.get(employee_id)
            if not last:
                continue
            punches = by_employee[employee_id]
            keep = [v for v in punches if v["punch_time"] >= limit or v["punch_time"] >= last]
            held += [dict(v, state="review", reason="too_old") for v in punches if v not in keep]
            if keep:
                by_employee[employee_id] = keep
            else:
                del by_employee[employee_id]
        return held

    @api.model
    def _gov_pair(self, punches):
        """Pair punches sorted in time order into attendances (list of dicts).

        Punches alternate check-in and check-out; a punch within one minute
        of the previous one used is a double scan and is left out; an
        attendance left open longer than ``MAX_SHIFT`` is closed at its own
        check-in time and the punch opens a new one. Sets ``attendance`` on
        every punch (the dict of its attendance, or None).
        """
        result = []
        current = None
        last_time = None
        for vals in punches:
            when = vals["punch_time"]
            vals["attendance"] = None
            if last_time is not None and when - last_time < MIN_GAP:
                continue
            last_time = when
            if current is not None:
                if when - current["check_in"] <= MAX_SHIFT:
                    current["check_out"] = when
                    vals["attendance"] = current
                    current = None
                    continue
                current["check_out"] = current["check_in"]
            current = {
                "check_in": when,
                "check_out": False,
                "gov_punch_method": vals["method"],
                "gov_device_id": vals["device_id"],
            }
            result.append(current)
            vals["attendance"] = current
        return result

    @api.model
    def _gov_derive(self, by_employee):
        """Derive the attendances of employees from their punch log.

        ``by_employee`` maps employee ids to the values of their new punches
        (not yet in the log). For each employee the derivation starts at the
        check-in of the last attendance derived from the log that begins at
        or before the earliest new punch (or at that punch): the accepted
        punches from there on, old and new, are paired again and the derived
        attendances of that span are updated to match, so that the same log
        always gives the same attendances, whatever the order of arrival.
        Attendances entered by hand are not changed (an overlap raises a
        ValidationError). The daily results of the days touched are evaluated
        again. Returns the values of the new punches, with ``attendance_id``.
        """
        cr = self.env.cr
        Attendance = self.env["hr.attendance"].sudo()
        self.env.flush_all()
        firsts = {
            employee_id: min(v["punch_time"] for v in punches)
            for employee_id, punches in by_employee.items()
        }
        values = SQL(", ").join(
            SQL("(%s, %s::timestamp)", employee_id, first) for employee_id, first in firsts.items()
        )
        # the last derived attendance starting at or before the first new punch
        cr.execute(SQL(
            """SELECT DISTINCT ON (a.employee_id) a.employee_id, a.check_in
                 FROM hr_attendance a
                 JOIN (VALUES %s) AS s(employee_id, first) ON s.employee_id = a.employee_id
                WHERE a.check_in <= s.first
                  AND EXISTS (SELECT 1 FROM gov_attendance_punch p WHERE p.attendance_id = a.id)
                ORDER BY a.employee_id, a.check_in DESC""",
            values,
        ))
        starts = dict(firsts)
        starts.update(cr.fetchall())
        values = SQL(", ").join(
            SQL("(%s, %s::timestamp)", employee_id, start) for employee_id, start in starts.items()
        )
        cr.execute(SQL(
            """SELECT p.id, p.employee_id, p.punch_time, p.method, p.device_id, p.punch_ref,
                      p.attendance_id
                 FROM gov_attendance_punch p
                 JOIN (VALUES %s) AS s(employee_id, start) ON s.employee_id = p.employee_id
                WHERE p.state = 'accepted' AND p.punch_time >= s.start""",
            values,
        ))
        logs = defaultdict(list)
        for row_id, employee_id, when, method, device_id, ref, attendance_id in cr.fetchall():
            logs[employee_id].append({
                "id": row_id, "punch_time": when, "method": method, "device_id": device_id,
                "punch_ref": ref, "old_attendance_id": attendance_id,
            })
        old_ids = {v["old_attendance_id"] for log in logs.values() for v in log} - {None}
        old_by_employee = defaultdict(dict)
        for attendance in Attendance.browse(old_ids).sudo():
            old_by_employee[attendance.employee_id.id][attendance.check_in] = attendance

        to_unlink = Attendance
        to_write = []
        to_create = []
        spans = {}
        for employee_id, punches in by_employee.items():
            log = logs[employee_id] + punches
            log.sort(key=lambda v: (v["punch_time"], v["device_id"], v["punch_ref"]))
            desired = self._gov_pair(log)
            old = old_by_employee[employee_id]
            for vals in desired:
                attendance = old.pop(vals["check_in"], None)
                if attendance is None:
                    vals["employee_id"] = employee_id
                    to_create.append(vals)
                    continue
                vals["record"] = attendance
                changes = {
                    key: value for key, value in vals.items()
                    if key in ("check_out", "gov_punch_method", "gov_device_id")
                    and value != (attendance[key].id if key == "gov_device_id" else attendance[key])
                }
                if changes:
                    if changes.get("check_out"):
                        changes["out_mode"] = "kiosk"
                    to_write.append((attendance, changes))
            for attendance in old.values():
                to_unlink |= attendance
            times = [v["punch_time"] for v in log] + [
                a.check_out or a.check_in for a in old.values()
            ]
            spans[employee_id] = (starts[employee_id], max(times))
        to_unlink.unlink()
        for attendance, changes in to_write:
            attendance.write(changes)
        created = Attendance.create([
            dict({key: value for key, value in vals.items() if key != "record"}, in_mode="kiosk",
                 **({"out_mode": "kiosk"} if vals["check_out"] else {}))
            for vals in to_create
        ])
        for vals, record in zip(to_create, created):
            vals["record"] = record

        # the log: new punches get their attendance, old ones follow theirs
        moved = defaultdict(list)
        result = []
        for employee_id, punches in by_employee.items():
            for vals in logs[employee_id]:
                attendance = vals["attendance"]
                new_id = attendance["record"].id if attendance else None
                if new_id != vals["old_attendance_id"]:
                    moved[new_id or False].append(vals["id"])
            for vals in punches:
                attendance = vals.pop("attendance")
                result.append(dict(
                    vals, attendance_id=attendance["record"].id if attendance else False,
                    state="accepted", reason=False,
                ))
        for attendance_id, punch_ids in moved.items():
            self.browse(punch_ids).write({"attendance_id": attendance_id})
        self.env["gov.attendance.day"]._gov_reevaluate(spans)
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
                    employee_id=window.employee_ids[:1].id,
                    called_at=called,
                    served_at=served,
                    done_at=served + timedelta(minutes=rng.randint(3, 20)) if index < 40 else False,
                    call_count=1,
                )
            ticket.write(vals)
