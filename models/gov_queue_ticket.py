# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import uuid

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from .gov_center_time import center_today, center_tz, to_utc
from .gov_notification import mask_phone
from .gov_stat_source_mixin import StatSource

STATE_SELECTION = [
    ("waiting", "Waiting"),
    ("called", "Called"),
    ("serving", "Being Served"),
    ("done", "Done"),
    ("skipped", "Skipped"),
]
PRIORITY_SELECTION = [
    ("normal", "Normal"),
    ("elderly", "Elderly"),
    ("disabled", "Disabled"),
    ("other", "Other Priority"),
]
MAX_TICKETS_PER_DAY = 9999


class GovQueueTicket(models.Model):
    """A queue ticket (排队叫号) taken at the hall entrance.

    The number is the zone's ticket prefix followed by a sequence that
    restarts every day for each zone. Priority tickets (elderly, disabled
    citizens: green channel) are called before the others. A transfer to
    another zone or item puts the ticket back in the queue with its original
    time, so the wait is counted from the first ticket. A ticket holds no
    personal data of the citizen but, when they leave one to be told that
    their number is next, a mobile number only system administrators read.

    Tickets change only through the action methods (window console): plain
    users have no write access; the methods check that the caller runs the
    ticket's window (or is a hall administrator) and then write as superuser.
    The access token (QR code of the rating slip) is readable by
    administrators only and a ticket can be rated once it is done.
    """

    _name = "gov.queue.ticket"
    _description = "Queue Ticket"
    _inherit = ["gov.stat.source.mixin"]
    _order = "date desc, is_priority desc, taken_at, id"

    name = fields.Char(string="Number", required=True, readonly=True, index=True, default="/")
    zone_id = fields.Many2one(
        "gov.hall.zone", string="Zone", required=True, index=True, ondelete="restrict"
    )
    item_id = fields.Many2one(
        "gov.approval.item", string="Approval Item", index=True, ondelete="set null"
    )
    window_id = fields.Many2one(
        "gov.service.window", string="Window", index=True, ondelete="set null", readonly=True
    )
    employee_id = fields.Many2one(
        "hr.employee", string="Served by", index=True, ondelete="set null", readonly=True
    )
    priority = fields.Selection(PRIORITY_SELECTION, default="normal", required=True)
    is_priority = fields.Boolean(compute="_compute_is_priority", store=True, index=True)
    state = fields.Selection(STATE_SELECTION, default="waiting", required=True, index=True, readonly=True)
    date = fields.Date(required=True, index=True, readonly=True)
    sequence_number = fields.Integer(readonly=True)
    hour = fields.Integer(string="Hour Taken", readonly=True, aggregator=None,
                          help="Local hour at which the ticket was taken (per-hour figures).")
    taken_at = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    called_at = fields.Datetime(readonly=True)
    served_at = fields.Datetime(readonly=True)
    done_at = fields.Datetime(readonly=True)
    wait_minutes = fields.Float(
        compute="_compute_durations", store=True, aggregator="avg", digits=(16, 1),
        help="From taking the ticket to the (last) call.",
    )
    service_minutes = fields.Float(
        compute="_compute_durations", store=True, aggregator="avg", digits=(16, 1),
        help="From the start of the service to its end.",
    )
    transfer_count = fields.Integer(readonly=True)
    call_count = fields.Integer(readonly=True)
    kiosk_id = fields.Many2one(
        "gov.hall.kiosk", string="Kiosk", index="btree_not_null", ondelete="set null", readonly=True,
        help="Registered kiosk that gave the ticket; empty for a ticket taken from another device.",
    )
    access_token = fields.Char(
        required=True, readonly=True, copy=False, index=True,
        default=lambda self: uuid.uuid4().hex, groups="gov_service_center.group_gov_admin",
    )
    rating_url = fields.Char(compute="_compute_rating_url", groups="gov_service_center.group_gov_admin")
    # optional: the citizen leaves a mobile number to be told when their turn
    # comes; read by system administrators only, shown masked to the others
    notify_phone = fields.Char(
        string="Phone for Notice", groups="base.group_system", copy=False,
        help="Mobile number to which 'your number is next' is sent.",
    )
    notify_phone_masked = fields.Char(
        string="Phone", compute="_compute_notify_phone_masked",
    )
    next_notified = fields.Boolean(string="Told Next", readonly=True, copy=False)

    _sql_constraints = [
        ("number_unique", "unique(zone_id, date, sequence_number)",
         "A ticket number is given once per zone and day."),
        ("token_unique", "unique(access_token)", "The access token of a ticket must be unique."),
    ]

    @api.model
    def _gov_stat_sources(self):
        # the department of the window that called the ticket, else of its item
        return [StatSource(
            source="queue",
            date_field="date",
            department=SQL("COALESCE(w.department_id, i.department_id)"),
            joins=SQL(
                "LEFT JOIN gov_service_window w ON w.id = s.window_id "
                "LEFT JOIN gov_approval_item i ON i.id = s.item_id"
            ),
            dims={"item_id": SQL("s.item_id"), "window_id": SQL("s.window_id")},
            measures={
                "ticket_count": SQL("COUNT(*)"),
                "ticket_served_count": SQL("COUNT(*) FILTER (WHERE s.state = 'done')"),
                "ticket_called_count": SQL("COUNT(*) FILTER (WHERE s.called_at IS NOT NULL)"),
                "ticket_wait_minutes": SQL(
                    "COALESCE(SUM(s.wait_minutes) FILTER (WHERE s.called_at IS NOT NULL), 0)"
                ),
            },
            fields=("date", "window_id", "item_id", "state", "called_at", "wait_minutes"),
            key_fields=("window_id", "item_id"),
        )]

    @api.depends("priority")
    def _compute_is_priority(self):
        for ticket in self:
            ticket.is_priority = ticket.priority != "normal"

    @api.depends("taken_at", "called_at", "served_at", "done_at")
    def _compute_durations(self):
        for ticket in self:
            ticket.wait_minutes = (
                (ticket.called_at - ticket.taken_at).total_seconds() / 60
                if ticket.called_at and ticket.taken_at else 0.0
            )
            ticket.service_minutes = (
                (ticket.done_at - ticket.served_at).total_seconds() / 60
                if ticket.done_at and ticket.served_at else 0.0
            )

    def _compute_rating_url(self):
        for ticket in self:
            ticket.rating_url = (
                f"{ticket.get_base_url()}/service-rating?ticket={ticket.sudo().access_token}"
            )

    def _gov_rating_url(self):
        """Link printed on the rating slip: only for a ticket that is done."""
        self.ensure_one()
        return self.sudo().rating_url if self.state == "done" else False

    def _gov_check_ratable(self):
        """A ticket is rated once the citizen has been served."""
        for ticket in self:
            if ticket.state != "done":
                raise ValidationError(self.env._(
                    "Ticket %(number)s can be rated once its service is done.", number=ticket.name
                ))

    @api.model
    def _gov_tz(self):
        return center_tz(self.env)

    @api.model
    def _gov_local_now(self):
        now = fields.Datetime.now()
        return now, pytz.utc.localize(now).astimezone(self._gov_tz())

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [dict(vals) for vals in vals_list]  # the same dict may be passed twice
        now, local = self._gov_local_now()
        day = local.date()
        per_zone = {}
        for vals in vals_list:
            per_zone.setdefault(vals["zone_id"], []).append(vals)
        Counter = self.env["gov.queue.counter"].sudo()
        for zone_id, zone_vals in per_zone.items():
            zone = self.env["gov.hall.zone"].browse(zone_id)
            last = Counter._gov_reserve(zone.id, day, len(zone_vals))
            if last > MAX_TICKETS_PER_DAY:
                raise UserError(self.env._("No more tickets can be given in this zone today."))
            for number, vals in enumerate(zone_vals, start=last - len(zone_vals) + 1):
                vals.update(
                    date=day,
                    hour=local.hour,
                    taken_at=now,
                    sequence_number=number,
                    name=f"{zone.ticket_prefix or ''}{number:03d}",
                )
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_admin(self):
        if not self.env.user.has_group("gov_service_center.group_gov_admin"):
            raise UserError(self.env._("Queue tickets are kept for the hall statistics."))

    # ------------------------------------------------------------------
    # Window console
    # ------------------------------------------------------------------
    @api.model
    def _gov_is_hall_admin(self):
        return self.env.is_superuser() or self.env.user.has_group("gov_service_center.group_gov_admin")

    @api.model
    def _gov_my_window(self):
        window = self.env.user.employee_id.gov_window_id
        if not window:
            raise UserError(
                self.env._("You are not assigned to a service window: ask the hall administrator.")
            )
        return window

    @api.model
    def _gov_check_window(self, window):
        """The caller runs ``window`` (or is a hall administrator)."""
        if self._gov_is_hall_admin():
            return
        if window != self._gov_my_window():
            raise AccessError(self.env._(
                "Only the staff of window %(window)s can handle its tickets.",
                window=window.display_name,
            ))

    def _gov_check_console_access(self):
        """The caller may handle these tickets: they are readable to them and
        either not at a window yet or at the caller's own window."""
        self.check_access("read")
        if self._gov_is_hall_admin():
            return
        my_window = self._gov_my_window()
        for ticket in self:
            if ticket.window_id and ticket.window_id != my_window:
                self._gov_check_window(ticket.window_id)

    @api.model
    def action_call_next(self, window=None):
        """Call the next waiting ticket of the window's zone (priority first)."""
        if window is not None and not isinstance(window, models.BaseModel):
            window = self.env["gov.service.window"].browse(int(window)).exists()
        window = window or self._gov_my_window()
        self._gov_check_window(window)
        _now, local = self._gov_local_now()
        query = SQL(
            """SELECT id FROM gov_queue_ticket
                WHERE state = 'waiting' AND zone_id = %s AND date = %s
                  AND (item_id IS NULL OR %s OR item_id = ANY(%s))
                ORDER BY is_priority DESC, taken_at, id
                LIMIT 1 FOR UPDATE SKIP LOCKED""",
            window.zone_id.id, local.date(), not window.item_ids, window.item_ids.ids,
        )
        self.flush_model()
        self.env.cr.execute(query)
        row = self.env.cr.fetchone()
        if not row:
            raise UserError(self.env._("Nobody is waiting for window %(window)s.", window=window.display_name))
        ticket = self.browse(row[0])
        ticket.sudo()._gov_call(window, self.env.user.employee_id)
        ticket.sudo()._gov_notify_next()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": ticket.id,
            "view_mode": "form",
            "target": "current",
        }

    def _gov_notify_next(self):
        """Tell the holder of the next waiting ticket of the zone that their
        number is next, when they left a phone number (once per ticket)."""
        self.ensure_one()
        following = self.sudo().search([
            ("state", "=", "waiting"), ("zone_id", "=", self.zone_id.id), ("date", "=", self.date),
        ], order="is_priority desc, taken_at, id", limit=1)
        if following.notify_phone and not following.next_notified:
            following.next_notified = True
            self.env["gov.notification"]._gov_notify("queue_next", following)

    def _gov_notification_contacts(self):
        return {"phone": self.sudo().notify_phone or ""}

    def _gov_notification_values(self, key):
        return {"ticket_number": self.name, "zone": self.zone_id.name}

    def _compute_notify_phone_masked(self):
        for ticket in self:
            ticket.notify_phone_masked = mask_phone(ticket.sudo().notify_phone)

    def action_console_call_next(self):
        """*Call Next* button of the window console (kanban and list views):
        calls the next ticket for the user's window. The button sits in the
        view's header, so the tickets the web client passes along (those on
        screen) play no part."""
        return self.browse().action_call_next()

    def _gov_check_state(self, *states):
        for ticket in self:
            if ticket.state not in states:
                raise UserError(self.env._(
                    "Ticket %(number)s is %(state)s: this action is not possible.",
                    number=ticket.name,
                    state=dict(self._fields["state"]._description_selection(self.env))[ticket.state],
                ))

    def _gov_call(self, window, employee=None):
        self._gov_check_state("waiting", "called")
        if employee is None:
            employee = self.env.user.employee_id
        for ticket in self:
            ticket.write({
                "state": "called",
                "window_id": window.id,
                "employee_id": employee.id if employee else False,
                "called_at": fields.Datetime.now(),
                "call_count": ticket.call_count + 1,
            })

    def action_recall(self):
        self._gov_check_console_access()
        employee = self.env.user.employee_id
        for ticket in self:
            window = ticket.window_id or self._gov_my_window()
            ticket.sudo()._gov_call(window, employee)

    def action_serve(self):
        self._gov_check_console_access()
        self._gov_check_state("called")
        self.sudo().write({"state": "serving", "served_at": fields.Datetime.now()})

    def action_done(self):
        self._gov_check_console_access()
        self._gov_check_state("serving", "called")
        now = fields.Datetime.now()
        for ticket in self.sudo():
            ticket.write({"state": "done", "served_at": ticket.served_at or now, "done_at": now})

    def action_skip(self):
        self._gov_check_console_access()
        self._gov_check_state("called")
        self.sudo().write({"state": "skipped"})

    def action_transfer(self, zone, item=None):
        """Send the ticket to another zone or item; it keeps its waiting time."""
        self._gov_check_console_access()
        self._gov_check_state("waiting", "called", "serving", "skipped")
        zone = self.env["gov.hall.zone"].browse(getattr(zone, "id", zone)).exists()
        if not zone:
            raise UserError(self.env._("Choose the zone the ticket is sent to."))
        item_id = getattr(item, "id", item) or False
        for ticket in self.sudo():
            ticket.write({
                "state": "waiting",
                "zone_id": zone.id,
                "item_id": item_id,
                "window_id": False,
                "employee_id": False,
                "called_at": False,
                "served_at": False,
                "transfer_count": ticket.transfer_count + 1,
            })

    def action_open_transfer(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "gov.queue.transfer.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id, "default_zone_id": self.zone_id.id},
        }

    # ------------------------------------------------------------------
    # Demo data
    # ------------------------------------------------------------------
    @api.model
    def _gov_demo_history(self, days=5, visitors=3000, seed=2014):
        """Demo: the queue of the last ``days`` working days before the
        center's today, about ``visitors`` tickets a day (the hall's figure),
        taken during the opening hours (9:00-12:00, 13:30-17:30), called at a
        window of their zone and served by its staff.

        Tens of thousands of tickets would keep the ORM busy for minutes: the
        rows are inserted by one statement per day, then the ORM computes
        their stored computed fields; the SQL constraints apply as to any
        ticket and the zones' counters are brought to the last number given.
        """
        import random
        from datetime import datetime, time, timedelta

        rng = random.Random(seed)
        ref = self.env.ref
        zones = [ref(f"gov_service_center.attendance_demo_{xid}")
                 for xid in ("zone_approval", "zone_public", "zone_consult")]
        zone_weights = (50, 35, 15)
        windows = self.env["gov.service.window"].search([("zone_id", "in", [z.id for z in zones])])
        windows_by_zone = {
            zone.id: [(window, window.employee_ids.ids) for window in windows if window.zone_id == zone]
            for zone in zones
        }
        items_by_department = {}
        for item in self.env["gov.approval.item"].search(
            [("state", "=", "active"), ("department_id", "in", windows.department_id.ids)]
        ):
            items_by_department.setdefault(item.department_id.id, []).append(item.id)
        kiosk = ref("gov_service_center.hall_kiosk_demo_entrance", raise_if_not_found=False)
        # tickets taken per half hour of the opening hours (morning peak)
        slots = [(9, 0), (9, 30), (10, 0), (10, 30), (11, 0), (11, 30),
                 (13, 30), (14, 0), (14, 30), (15, 0), (15, 30), (16, 0), (16, 30), (17, 0)]
        slot_weights = (7, 9, 10, 10, 9, 6, 5, 7, 8, 8, 7, 6, 5, 3)

        Calendar = self.env["gov.calendar.day"]
        today = center_today(self.env)
        day_list = []
        day = today
        while len(day_list) < days:
            day -= timedelta(days=1)
            if Calendar.is_working_day(day):
                day_list.append(day)

        columns = SQL(
            "name, zone_id, item_id, window_id, employee_id, priority, is_priority, state, date, "
            "sequence_number, hour, taken_at, called_at, served_at, done_at, wait_minutes, "
            "service_minutes, transfer_count, call_count, kiosk_id, access_token, "
            "create_uid, create_date, write_uid, write_date"
        )
        uid = self.env.uid
        ids = []
        counters = []
        for day in sorted(day_list):
            count = rng.randint(int(visitors * 0.92), int(visitors * 1.08))
            per_zone = {zone.id: [] for zone in zones}
            for _index in range(count):
                zone = rng.choices(zones, zone_weights)[0]
                hour, minute = rng.choices(slots, slot_weights)[0]
                local = datetime.combine(day, time(hour, minute)) + timedelta(
                    seconds=rng.randint(0, 30 * 60 - 1)
                )
                per_zone[zone.id].append(local)
            rows = []
            for zone in zones:
                for number, local in enumerate(sorted(per_zone[zone.id]), start=1):
                    taken = to_utc(self.env, local)
                    priority = (
                        rng.choice(("elderly", "elderly", "disabled", "other"))
                        if rng.random() < 0.06 else "normal"
                    )
                    window, staff = rng.choice(windows_by_zone[zone.id]) if windows_by_zone[zone.id] else (None, [])
                    items = items_by_department.get(window.department_id.id, []) if window else []
                    wait = rng.randint(1, 8) if priority != "normal" else rng.randint(2, 35)
                    called = taken + timedelta(minutes=wait, seconds=rng.randint(0, 59))
                    skipped = rng.random() < 0.04
                    served = None if skipped else called + timedelta(seconds=rng.randint(20, 120))
                    done = None if skipped else served + timedelta(
                        minutes=rng.randint(3, 25), seconds=rng.randint(0, 59)
                    )
                    rows.append(SQL(
                        "(%s, %s, %s, %s, %s, %s, false, %s, %s, %s, %s, %s, %s, %s, %s, 0, 0, 0, %s,"
                        " %s, %s, %s, %s, %s, %s)",
                        f"{zone.ticket_prefix or ''}{number:03d}", zone.id,
                        rng.choice(items) if items and rng.random() < 0.7 else None,
                        window.id if window else None,
                        rng.choice(staff) if staff else None,
                        priority, "skipped" if skipped else "done", day, number, local.hour,
                        taken, called if window else None, served if window else None,
                        done if window else None, 2 if skipped else 1,
                        kiosk.id if kiosk and rng.random() < 0.9 else None,
                        uuid.uuid4().hex, uid, taken, uid, done or called,
                    ))
                if per_zone[zone.id]:
                    counters.append(SQL("(%s, %s, %s)", zone.id, day, len(per_zone[zone.id])))
            self.env.cr.execute(SQL(
                "INSERT INTO gov_queue_ticket (%s) VALUES %s RETURNING id",
                columns, SQL(", ").join(rows),
            ))
            ids.extend(row[0] for row in self.env.cr.fetchall())
        if counters:
            self.env.cr.execute(SQL(
                """INSERT INTO gov_queue_counter AS counter (zone_id, date, last) VALUES %s
                   ON CONFLICT (zone_id, date) DO UPDATE SET last = GREATEST(counter.last, EXCLUDED.last)""",
                SQL(", ").join(counters),
            ))
            self.env["gov.queue.counter"].invalidate_model()
        tickets = self.browse(ids)
        for fname in ("is_priority", "wait_minutes", "service_minutes"):
            self.env.add_to_compute(self._fields[fname], tickets)
        tickets.flush_recordset()
        return len(ids)

    # ------------------------------------------------------------------
    # Public pages (no personal data)
    # ------------------------------------------------------------------
    @api.model
    def _gov_display_data(self, limit=10):
        _now, local = self._gov_local_now()
        tickets = self.sudo().search_fetch(
            [("date", "=", local.date()), ("state", "in", ("called", "serving"))],
            ["name", "window_id", "state", "called_at"],
            order="called_at desc, id desc",
            limit=limit,
        )
        waiting = dict(self.sudo()._read_group(
            [("date", "=", local.date()), ("state", "=", "waiting")], ["zone_id"], ["__count"]
        ))
        return tickets, waiting

    @api.model
    def _gov_local_datetime(self, value):
        if not value:
            return ""
        return pytz.utc.localize(value).astimezone(self._gov_tz()).strftime("%H:%M")
