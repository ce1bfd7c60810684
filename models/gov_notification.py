# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Notifications (通知): one message to one recipient through one channel.

The one entry point is :meth:`GovNotification._gov_notify`: it renders a
template for each record, creates every message in one ``create`` and sends
the e-mails and portal messages at once. Text messages go through the
gateway in the background job (:meth:`_cron_send`), which honours the daily
cap per phone number and the quiet hours, retries gateway errors with an
exponential backoff and marks a message failed after the last attempt.

The phone number is needed to send a text message: it is kept in a field only
system administrators read; every other field, log line and message shows it
masked.
"""
import logging
from datetime import datetime, time, timedelta

from odoo import api, fields, models, modules
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date
from odoo.tools.mail import plaintext2html

from .gov_center_lang import reader_lang
from .gov_center_time import center_day_utc_bounds, center_now, to_utc
from .gov_settings import get_setting
from .gov_sms_provider import GatewayError

_logger = logging.getLogger(__name__)

CHANNEL_SELECTION = [
    ("email", "E-mail"),
    ("portal", "Portal Message"),
    ("sms", "Text Message"),
]
STATE_SELECTION = [
    ("queued", "Queued"),
    ("deferred", "Deferred"),
    ("sent", "Sent"),
    ("failed", "Failed"),
    ("skipped", "Skipped"),
]
SKIP_REASON_SELECTION = [
    ("opt_out", "Recipient Opted Out"),
    ("cap", "Daily Limit Reached"),
    ("template", "Template Archived"),
]
# fields read on a record for the citizen's contact, in order
PHONE_FIELDS = ("contact_phone", "complainant_phone", "mobile", "phone")
EMAIL_FIELDS = ("contact_email", "complainant_email", "email")
BATCH_SIZE = 100


def mask_phone(phone):
    """``13800138000`` -> ``138****8000``; short numbers keep their last two digits."""
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())
    if not digits:
        return ""
    if len(digits) >= 8:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    return "*" * (len(digits) - 2) + digits[-2:]


def mask_email(email):
    """``zhang.san@example.com`` -> ``z***@example.com``."""
    email = (email or "").strip()
    if "@" not in email:
        return ""
    local, domain = email.rsplit("@", 1)
    return f"{local[:1]}***@{domain}"


class GovNotification(models.Model):
    _name = "gov.notification"
    _description = "Notification"
    _order = "id desc"
    _rec_name = "subject"

    template_id = fields.Many2one(
        "gov.notification.template", string="Template", required=True, index=True,
        ondelete="restrict", readonly=True,
    )
    template_key = fields.Char(related="template_id.key", store=True, index=True)
    channel = fields.Selection(CHANNEL_SELECTION, required=True, index=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Recipient", index="btree_not_null", readonly=True,
        ondelete="set null",
    )
    user_id = fields.Many2one(
        "res.users", string="Staff Recipient", index="btree_not_null", readonly=True,
        ondelete="set null",
    )
    phone = fields.Char(
        string="Phone Number", readonly=True, groups="base.group_system",
        help="Full number, kept only to send the text message.",
    )
    phone_masked = fields.Char(string="Phone", readonly=True)
    email_to = fields.Char(string="E-mail Address", readonly=True, groups="base.group_system")
    email_masked = fields.Char(string="E-mail", readonly=True)
    res_model = fields.Char(string="Document Model", index=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Document ID", model_field="res_model", index=True, readonly=True,
    )
    record_name = fields.Char(string="Document", readonly=True)
    department_id = fields.Many2one(
        "hr.department", index="btree_not_null", readonly=True, ondelete="set null",
        help="Department of the document: its officers read the notification.",
    )
    subject = fields.Char(readonly=True)
    body = fields.Text(string="Text", readonly=True)
    urgent = fields.Boolean(readonly=True)
    state = fields.Selection(
        STATE_SELECTION, required=True, default="queued", index=True, readonly=True,
    )
    skip_reason = fields.Selection(SKIP_REASON_SELECTION, readonly=True)
    attempts = fields.Integer(readonly=True)
    date_queued = fields.Datetime(
        string="Queued On", index=True, readonly=True, default=fields.Datetime.now,
    )
    date_next = fields.Datetime(
        string="Next Attempt", index=True, readonly=True, default=fields.Datetime.now,
    )
    last_error = fields.Char(readonly=True)
    date_sent = fields.Datetime(string="Sent On", index=True, readonly=True)
    provider_id = fields.Many2one(
        "gov.sms.provider", string="Gateway", readonly=True, ondelete="set null",
    )

    def init(self):
        # the background job reads the messages due, oldest first
        self.env.cr.execute(SQL(
            "CREATE INDEX IF NOT EXISTS gov_notification_due_idx ON gov_notification "
            "(date_next, id) WHERE state IN ('queued', 'deferred')"
        ))

    # ------------------------------------------------------------------
    # Service
    # ------------------------------------------------------------------
    @api.model
    def _gov_notify(self, key, records, partner=None, phone=None, user=None, values=None):
        """Notify about each of ``records`` with the template ``key``.

        Recipients are read on each record (portal partner, contact phone and
        e-mail for citizens; the user answering for the record for staff)
        unless ``partner``, ``phone`` or ``user`` are given. ``values`` (a
        dict, or a function of the record returning one) completes the
        placeholders the record gives. Returns the notifications created.
        """
        Notification = self.sudo()
        template = self.env["gov.notification.template"].sudo()._get_by_key(key)
        if not template or not records:
            if not template:
                _logger.warning("No notification template %s", key)
            return Notification.browse()
        now = fields.Datetime.now()
        quiet_end = False if template.urgent else self._gov_quiet_end()
        vals_list = []
        for record in records.sudo():
            contacts = self._gov_contacts(template, record, partner, phone, user)
            render_values = self._gov_values(key, record)
            if values:
                render_values.update(values(record) if callable(values) else values)
            recipient = contacts["partner"]
            lang = reader_lang(self.env, recipient)
            subject, body = template.with_context(lang=lang)._render(render_values)
            opted_out = bool(recipient) and recipient.gov_notify_opt_out
            common = {
                "template_id": template.id,
                "partner_id": recipient.id,
                "user_id": contacts["user"].id,
                "res_model": record._name,
                "res_id": record.id,
                "record_name": record.display_name,
                "department_id": self._gov_department(record).id,
                "subject": subject,
                "body": body,
                "urgent": template.urgent,
                "date_queued": now,
                "date_next": now,
            }
            channels = []
            if template.channel_portal and recipient and hasattr(record, "message_post"):
                channels.append(("portal", {}))
            email = contacts["email"]
            if template.channel_email and email and not (
                channels and (recipient.email or "").strip().lower() == email.lower()
            ):
                # a portal message already goes to this address
                channels.append(("email", {"email_to": email, "email_masked": mask_email(email)}))
            if template.channel_sms and contacts["phone"]:
                channels.append(("sms", {
                    "phone": contacts["phone"], "phone_masked": mask_phone(contacts["phone"]),
                }))
            for channel, extra in channels:
                vals = dict(common, channel=channel, **extra)
                if opted_out or (channel == "sms" and recipient.gov_notify_opt_out_sms):
                    vals.update(state="skipped", skip_reason="opt_out")
                elif channel == "sms" and quiet_end:
                    vals.update(state="deferred", date_next=quiet_end)
                vals_list.append(vals)
        notifications = Notification.create(vals_list)
        notifications.filtered(
            lambda n: n.channel != "sms" and n.state == "queued"
        )._gov_send()
        texts = notifications.filtered(lambda n: n.channel == "sms" and n.state in ("queued", "deferred"))
        if texts:
            cron = self.env.ref("gov_service_center.ir_cron_gov_notification_send", False)
            if cron:
                cron.sudo()._trigger(min(texts.mapped("date_next")))
        return notifications

    @api.model
    def _gov_contacts(self, template, record, partner=None, phone=None, user=None):
        """Recipient of a notification about ``record``: partner, user, phone
        and e-mail."""
        def first(names):
            for name in names:
                if name in record._fields and record[name]:
                    return str(record[name]).strip()
            return ""

        if hasattr(record, "_gov_notification_contacts"):
            given = record._gov_notification_contacts()
            phone = phone or given.get("phone")
            partner = partner or given.get("partner")
        if template.audience == "staff":
            user = user or (
                record["deadline_user_id"] if "deadline_user_id" in record._fields else None
            ) or (record["user_id"] if "user_id" in record._fields else None)
            user = (user or self.env["res.users"]).sudo()
            return {
                "partner": user.partner_id, "user": user,
                "phone": phone or user.partner_id.mobile or "", "email": user.email or "",
            }
        if partner is None and "partner_id" in record._fields:
            partner = record.partner_id
        partner = (partner or self.env["res.partner"]).sudo()
        return {
            "partner": partner,
            "user": user or self.env["res.users"],
            "phone": phone or first(PHONE_FIELDS) or partner.mobile or partner.phone or "",
            "email": first(EMAIL_FIELDS) or partner.email or "",
        }

    @api.model
    def _gov_department(self, record):
        for name in ("department_id", "deadline_department_id"):
            if name in record._fields and record._fields[name].comodel_name == "hr.department":
                if record[name]:
                    return record[name]
        return self.env["hr.department"]

    @api.model
    def _gov_values(self, key, record):
        """Placeholder values given by every record, completed by the record's
        own ``_gov_notification_values``."""
        values = {"record_name": record.display_name}
        if "date_deadline" in record._fields and record.date_deadline:
            values["deadline"] = format_date(self.env, record.date_deadline)
        model = self.env["ir.model"].sudo()._get(record._name)
        values["model_name"] = model.name
        if hasattr(record, "_gov_notification_values"):
            values.update(record._gov_notification_values(key))
        return values

    # ------------------------------------------------------------------
    # Quiet hours and cap
    # ------------------------------------------------------------------
    @api.model
    def _gov_quiet_end(self):
        """UTC moment the current quiet hours end; False outside of them."""
        start = get_setting(self.env, "notify_quiet_start")
        end = get_setting(self.env, "notify_quiet_end")
        if start == end:
            return False
        local = center_now(self.env)
        hour = local.hour + local.minute / 60 + local.second / 3600
        quiet = (hour >= start or hour < end) if start > end else (start <= hour < end)
        if not quiet:
            return False
        day = local.date()
        if start > end and hour >= start:
            day += timedelta(days=1)
        end_time = time(int(end) % 24, int(round((end % 1) * 60)) % 60)
        if end >= 24:
            day += timedelta(days=1)
        return to_utc(self.env, datetime.combine(day, end_time))

    def _gov_over_cap(self):
        """This text message would exceed the daily cap of its phone number."""
        self.ensure_one()
        cap = get_setting(self.env, "notify_sms_daily_cap")
        if not cap:
            return False
        start, end = center_day_utc_bounds(self.env)
        sent = self.sudo().search_count([
            ("channel", "=", "sms"), ("state", "=", "sent"), ("phone", "=", self.sudo().phone),
            ("date_sent", ">=", start), ("date_sent", "<", end),
        ])
        return sent >= cap

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------
    def _gov_send(self):
        """Send each queued notification; a failure is recorded on its
        notification and never stops the others."""
        for notification in self.sudo():
            # what the failed attempt wrote is rolled back with its savepoint
            attempts = notification.attempts + 1
            try:
                with self.env.cr.savepoint():
                    notification._gov_send_one()
            except GatewayError as error:
                notification._gov_attempt_failed(str(error), attempts, retry=error.retry)
            except Exception as error:  # noqa: BLE001 -- the job goes on
                _logger.exception(
                    "Notification %s (%s) could not be sent", notification.id,
                    notification.phone_masked or notification.email_masked,
                )
                notification._gov_attempt_failed(
                    self.env._("Unexpected error: %(error)s", error=type(error).__name__),
                    attempts,
                )
        return True

    def _gov_send_one(self):
        self.ensure_one()
        if self.state not in ("queued", "deferred"):
            return
        now = fields.Datetime.now()
        if not self.template_id.active:
            self.write({"state": "skipped", "skip_reason": "template"})
            return
        if self.channel == "sms":
            if not self.urgent:
                quiet_end = self._gov_quiet_end()
                if quiet_end:
                    self.write({"state": "deferred", "date_next": quiet_end})
                    return
            if self._gov_over_cap():
                self.write({"state": "skipped", "skip_reason": "cap"})
                return
            provider = self.env["gov.sms.provider"]._get_active()
            if not provider:
                raise GatewayError(self.env._("No text message gateway is active."), retry=False)
            self.write({"provider_id": provider.id, "attempts": self.attempts + 1})
            provider._send_sms(self.phone, self.body)
        elif self.channel == "email":
            self.write({"attempts": self.attempts + 1})
            self.env["mail.mail"].sudo().create({
                "subject": self.subject,
                "body_html": plaintext2html(self.body),
                "email_to": self.email_to,
                "model": self.res_model,
                "res_id": self.res_id,
                "auto_delete": True,
            })
        else:
            self.write({"attempts": self.attempts + 1})
            record = self.env[self.res_model].sudo().browse(self.res_id).exists()
            if not record:
                raise GatewayError(self.env._("The document no longer exists."), retry=False)
            staff = self.template_id.audience == "staff"
            record.message_post(
                body=plaintext2html(self.body),
                subject=self.subject,
                partner_ids=self.partner_id.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_note" if staff else "mail.mt_comment",
            )
        self.write({"state": "sent", "date_sent": now, "last_error": False})

    def _gov_attempt_failed(self, error, attempts, retry=True):
        """Record the failed attempt number ``attempts``: retried later (delay
        doubling at each attempt) until the last attempt, then failed."""
        self.ensure_one()
        max_attempts = get_setting(self.env, "notify_max_attempts")
        vals = {"attempts": attempts, "last_error": (error or "")[:250]}
        if retry and attempts < max_attempts:
            delay = get_setting(self.env, "notify_backoff_minutes") * 2 ** (attempts - 1)
            vals.update(state="queued", date_next=fields.Datetime.now() + timedelta(minutes=delay))
        else:
            vals.update(state="failed")
        self.write(vals)

    @api.model
    def _cron_send(self, batch_size=BATCH_SIZE, limit=None):
        """Send the notifications due, batch after batch, each batch locked
        (``FOR UPDATE SKIP LOCKED``: two workers never take the same message)
        and committed outside of tests."""
        in_test = bool(modules.module.current_test)
        done = 0
        while limit is None or done < limit:
            self.env.flush_all()
            self.env.cr.execute(SQL(
                """SELECT id FROM gov_notification
                    WHERE state IN ('queued', 'deferred') AND date_next <= %s
                    ORDER BY date_next, id
                    LIMIT %s FOR UPDATE SKIP LOCKED""",
                fields.Datetime.now(), batch_size,
            ))
            ids = [row[0] for row in self.env.cr.fetchall()]
            if not ids:
                break
            batch = self.sudo().browse(ids)
            batch._gov_send()
            done += len(ids)
            # a message that stays due (quiet hours moved it to now) must not loop
            self.env.flush_all()
            if not in_test:
                self.env.cr.commit()
            if len(ids) < batch_size:
                break
        return done

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_retry(self):
        """Send a failed notification again (administrators)."""
        if not self.env.user.has_group("gov_service_center.group_gov_admin"):
            raise UserError(self.env._("Only administrators can send a notification again."))
        failed = self.sudo().filtered(lambda n: n.state == "failed")
        failed.write({"state": "queued", "attempts": 0, "date_next": fields.Datetime.now()})
        failed.filtered(lambda n: n.channel != "sms")._gov_send()
        if failed.filtered(lambda n: n.channel == "sms"):
            self.env.ref("gov_service_center.ir_cron_gov_notification_send").sudo()._trigger()
        return True

    def action_open_document(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # Scheduled notifications
    # ------------------------------------------------------------------
    @api.model
    def _cron_rating_reminder(self, delay_days=3, horizon_days=30):
        """Remind once the applicants who did not rate their case
        ``delay_days`` working days after its delivery."""
        today = center_now(self.env).date()
        template = self.env["gov.notification.template"].sudo()._get_by_key("rating_reminder")
        if not template.active:
            return 0
        cases = self.env["gov.case"].sudo().search([
            ("state", "=", "delivered"),
            ("date_delivered", "<", today),
            ("date_delivered", ">=", today - timedelta(days=horizon_days)),
        ])
        if not cases:
            return 0
        rated = {case.id for [case] in self.env["gov.service.rating"].sudo()._read_group(
            [("case_id", "in", cases.ids)], ["case_id"],
        )}
        reminded = set(self.sudo().search([
            ("template_id", "=", template.id), ("res_model", "=", "gov.case"),
            ("res_id", "in", cases.ids),
        ]).mapped("res_id"))
        Calendar = self.env["gov.calendar.day"]
        due = cases.filtered(
            lambda case: case.id not in rated and case.id not in reminded
            and Calendar.working_days_between(case.date_delivered, today) >= delay_days
        )
        return len(self._gov_notify("rating_reminder", due)) if due else 0

    @api.model
    def _cron_deadline_tomorrow(self):
        """Tell the staff answering for records due on the next working day."""
        today = center_now(self.env).date()
        tomorrow = self.env["gov.calendar.day"].add_working_days(today, 1)
        start, end = center_day_utc_bounds(self.env, today)
        template = self.env["gov.notification.template"].sudo()._get_by_key("deadline_tomorrow")
        if not template.active:
            return 0
        already = {
            (n.res_model, n.res_id)
            for n in self.sudo().search([
                ("template_id", "=", template.id),
                ("date_queued", ">=", start), ("date_queued", "<", end),
            ])
        }
        count = 0
        mixin = self.env.registry["gov.deadline.mixin"]
        for model_name in sorted(mixin._inherit_children):
            Model = self.env[model_name].sudo()
            if Model._abstract or not Model._auto:
                continue
            records = Model.search(
                [("date_deadline", "=", tomorrow), ("deadline_user_id", "!=", False)]
                + Model._gov_deadline_open_domain()
            ).filtered(lambda r: (r._name, r.id) not in already)
            if records:
                count += len(self._gov_notify("deadline_tomorrow", records))
        return count
