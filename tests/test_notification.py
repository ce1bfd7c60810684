# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, datetime
from unittest.mock import Mock, patch

import requests
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from ..models.gov_notification import mask_phone
from .common import GovCaseCase, GovQueueCase

# the center runs on Asia/Shanghai (UTC+8): 10:00 local is 02:00 UTC
DAY = "2026-03-10 02:00:00"  # Tuesday 10:00 local
PHONE = "13800138000"
REQUEST = "odoo.addons.gov_service_center.models.gov_sms_provider.requests.request"


class NotificationCase(GovCaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Notification = cls.env["gov.notification"]
        cls.Template = cls.env["gov.notification.template"]

    def _notes(self, key, record, channel=None):
        domain = [("template_key", "=", key), ("res_model", "=", record._name),
                  ("res_id", "in", record.ids)]
        if channel:
            domain.append(("channel", "=", channel))
        return self.Notification.sudo().search(domain)

    def _set(self, name, value):
        self.env["ir.config_parameter"].sudo().set_param(f"gov_service_center.{name}", value)

    def _http_provider(self, **vals):
        return self.env["gov.sms.provider"].create(dict({
            "name": "Gateway", "provider_type": "http", "sequence": 1,
            "url": "https://sms.example.com/send",
            "body_template": '{"mobile": "{phone}", "text": "{message}"}',
            "success_json_key": "code", "success_json_value": "0", "timeout": 5,
        }, **vals))

    def _submitted(self, **vals):
        case = self._new_case(**vals)
        case.action_submit()
        return case


@tagged("post_install", "-at_install")
class TestNotification(NotificationCase):
    # ------------------------------------------------------------------
    # Templates
    # ------------------------------------------------------------------
    def test_rendering(self):
        template = self.Template.create({
            "key": "test_render", "name": "Test", "subject": "Case {case_number}",
            "body": "Dear applicant, {case_number} for {item}: {case_number}.",
            "placeholders": "case_number,item",
        })
        self.assertEqual(
            template._render({"case_number": "N1", "item": "Permit"}),
            ("Case N1", "Dear applicant, N1 for Permit: N1."),
        )
        # a missing value renders empty, never an error
        self.assertEqual(template._render({})[0], "Case ")
        with freeze_time(DAY):
            case = self._submitted()
        note = self._notes("case_received", case, "sms")
        self.assertEqual(len(note), 1)
        self.assertIn(case.name, note.body)
        self.assertIn("Construction Permit", note.body)
        self.assertEqual(note.phone_masked, "138****8000")
        self.assertEqual(note.department_id, self.dept_a)

    def test_unknown_placeholder_fails_on_save(self):
        vals = {"name": "Test", "subject": "Hello", "placeholders": "case_number"}
        with self.assertRaises(ValidationError) as error:
            self.Template.create(dict(vals, key="test_unknown1", body="Case {case_number} {unknown_field}"))
        self.assertIn("{unknown_field}", str(error.exception))
        with self.assertRaises(ValidationError):
            self.Template.create(dict(vals, key="test_unknown2", body="{case_number.__class__}"))
        template = self.Template.create(dict(vals, key="test_unknown3", body="Case {case_number}"))
        with self.assertRaises(ValidationError):
            template.subject = "Case {deadline}"
        accepted = self.env.ref("gov_service_center.gov_notification_template_case_accepted")
        with self.assertRaises(ValidationError):
            accepted.body = "{rating_url}"
        # every template shipped is valid
        self.Template.search([])._check_placeholders()

    def test_send_test_sms_with_log_provider(self):
        provider = self.env.ref("gov_service_center.gov_sms_provider_log")
        with self.assertRaises(UserError):
            provider.action_send_test()
        provider.test_phone = PHONE
        with patch(REQUEST, side_effect=AssertionError("no network")):
            action = provider.action_send_test()
        self.assertNotIn(PHONE, str(action))

    # ------------------------------------------------------------------
    # Recipient rules
    # ------------------------------------------------------------------
    def test_opt_out(self):
        partner = self.user_portal.partner_id
        partner.gov_notify_opt_out_sms = True
        with freeze_time(DAY):
            case = self._submitted(partner_id=partner.id)
        self.assertEqual(self._notes("case_received", case).mapped("state"), ["skipped"])
        self.assertEqual(self._notes("case_received", case).skip_reason, "opt_out")
        partner.write({"gov_notify_opt_out_sms": False, "gov_notify_opt_out": True})
        with freeze_time(DAY):
            self.env["gov.notification"]._gov_notify("rating_invitation", case,
                                                     values={"rating_url": "x"})
        notes = self._notes("rating_invitation", case)
        self.assertEqual(set(notes.mapped("channel")), {"portal", "sms"})
        self.assertEqual(set(notes.mapped("state")), {"skipped"})
        partner.gov_notify_opt_out = False
        with freeze_time(DAY):
            self.env["gov.notification"]._gov_notify("rating_invitation", case,
                                                     values={"rating_url": "x"})
            self.Notification._cron_send()
        self.assertEqual(
            sorted(self._notes("rating_invitation", case).mapped("state")),
            ["sent", "sent", "skipped", "skipped"],
        )

    def test_daily_cap(self):
        self._set("notify_sms_daily_cap", 2)
        Model = type(self.Notification)
        with freeze_time(DAY):
            cases = self._new_case() | self._new_case() | self._new_case()
            # one create for the whole batch
            with patch.object(Model, "create", autospec=True, side_effect=Model.create) as create:
                cases.action_submit()
            self.assertEqual(create.call_count, 1)
            self.assertEqual(len(create.call_args.args[1]), 3)
            self.assertEqual(self.Notification._cron_send(), 3)
        notes = self._notes("case_received", cases)
        self.assertEqual(sorted(notes.mapped("state")), ["sent", "sent", "skipped"])
        self.assertEqual(notes.filtered(lambda n: n.state == "skipped").skip_reason, "cap")
        # another phone is not concerned; the next day the count restarts
        with freeze_time(DAY):
            other = self._submitted(contact_phone="13900139000")
            self.Notification._cron_send()
        self.assertEqual(self._notes("case_received", other).state, "sent")
        with freeze_time("2026-03-11 02:00:00"):
            again = self._submitted()
            self.Notification._cron_send()
        self.assertEqual(self._notes("case_received", again).state, "sent")

    def test_quiet_hours(self):
        # 21:30 local: deferred to 08:00 local the next day (00:00 UTC)
        with freeze_time("2026-03-10 13:30:00"):
            evening = self._submitted()
        note = self._notes("case_received", evening)
        self.assertEqual(note.state, "deferred")
        self.assertEqual(note.date_next, datetime(2026, 3, 11, 0, 0))
        # 20:59 local: sent at once
        with freeze_time("2026-03-10 12:59:00"):
            before = self._submitted()
            self.Notification._cron_send()
        self.assertEqual(self._notes("case_received", before).state, "sent")
        # 00:30 local: deferred to 08:00 the same day
        with freeze_time("2026-03-10 16:30:00"):
            night = self._submitted()
        self.assertEqual(self._notes("case_received", night).date_next, datetime(2026, 3, 11, 0, 0))
        # 07:59 local: still waiting; 08:00: sent
        with freeze_time("2026-03-10 23:59:00"):
            self.Notification._cron_send()
        self.assertEqual(note.state, "deferred")
        with freeze_time("2026-03-11 00:00:00"):
            self.Notification._cron_send()
        self.assertEqual(note.state, "sent")
        self.assertEqual(self._notes("case_received", night).state, "sent")
        # e-mails and portal messages are not held back; urgent text messages neither
        with freeze_time("2026-03-10 14:00:00"):
            self.Notification._gov_notify("rating_invitation", evening, partner=self.user_portal.partner_id,
                                          values={"rating_url": "x"})
        notes = self._notes("rating_invitation", evening)
        self.assertEqual(notes.filtered(lambda n: n.channel == "portal").state, "sent")
        self.assertEqual(notes.filtered(lambda n: n.channel == "sms").state, "deferred")
        self.env.ref("gov_service_center.gov_notification_template_case_received").urgent = True
        with freeze_time("2026-03-10 14:00:00"):
            urgent = self._submitted()
        self.assertEqual(self._notes("case_received", urgent).state, "queued")
        # quiet hours disabled when start equals end
        self._set("notify_quiet_start", 8.0)
        self.env.ref("gov_service_center.gov_notification_template_case_received").urgent = False
        with freeze_time("2026-03-10 14:00:00"):
            self.assertFalse(self.Notification._gov_quiet_end())

    # ------------------------------------------------------------------
    # Gateway
    # ------------------------------------------------------------------
    def test_retries_then_success_with_http_provider(self):
        self._http_provider()
        self._set("notify_backoff_minutes", 10)
        with freeze_time(DAY):
            case = self._submitted()
        note = self._notes("case_received", case)
        answers = [
            requests.exceptions.Timeout(),
            Mock(status_code=500, text="Internal error"),
            Mock(status_code=200, text="<html>garbage</html>"),
            Mock(status_code=200, text='{"code": 0, "id": "abc"}'),
        ]
        moments = ["2026-03-10 02:00:00", "2026-03-10 02:10:00", "2026-03-10 02:30:00",
                   "2026-03-10 03:10:00"]
        with patch(REQUEST, side_effect=answers) as request:
            for moment in moments[:3]:
                with freeze_time(moment):
                    self.Notification._cron_send()
                self.assertEqual(note.state, "queued")
                self.assertTrue(note.last_error)
            self.assertEqual(note.attempts, 3)
            # backoff doubles: 10, 20, 40 minutes
            self.assertEqual(note.date_next, datetime(2026, 3, 10, 3, 10))
            with freeze_time("2026-03-10 03:09:00"):
                self.assertEqual(self.Notification._cron_send(), 0)
            with freeze_time(moments[3]):
                self.Notification._cron_send()
        self.assertEqual(note.state, "sent")
        self.assertEqual(note.attempts, 4)
        self.assertEqual(request.call_count, 4)
        sent = request.call_args
        self.assertIn(PHONE, sent.kwargs["data"].decode())
        self.assertEqual(sent.kwargs["timeout"], 5)

    def test_failed_after_max_attempts_and_job_continues(self):
        self._http_provider()
        self._set("notify_max_attempts", 3)
        with freeze_time(DAY):
            bad = self._submitted(contact_phone="13900000001")
            good = self._submitted(contact_phone="13900000002")
        bad_note, good_note = self._notes("case_received", bad), self._notes("case_received", good)

        def answer(method, url, data=None, **kwargs):
            if b"13900000001" in data:
                return Mock(status_code=503, text="busy")
            return Mock(status_code=200, text='{"code": "0"}')

        with patch(REQUEST, side_effect=answer):
            for moment in ("2026-03-10 02:00:00", "2026-03-10 03:00:00", "2026-03-10 05:00:00"):
                with freeze_time(moment):
                    self.Notification._cron_send()
        self.assertEqual(good_note.state, "sent")
        self.assertEqual(bad_note.state, "failed")
        self.assertEqual(bad_note.attempts, 3)
        self.assertIn("503", bad_note.last_error)
        # an unexpected error on one message does not stop the others
        with freeze_time(DAY):
            first = self._submitted(contact_phone="13900000003")
            second = self._submitted(contact_phone="13900000004")

        def crash(method, url, data=None, **kwargs):
            if b"13900000003" in data:
                raise RuntimeError("boom")
            return Mock(status_code=200, text='{"code": 0}')

        with patch(REQUEST, side_effect=crash), freeze_time(DAY), \
                mute_logger("odoo.addons.gov_service_center.models.gov_notification"):
            self.Notification._cron_send()
        self.assertEqual(self._notes("case_received", first).state, "queued")
        self.assertEqual(self._notes("case_received", second).state, "sent")
        # a failed message is sent again on request
        bad_note.with_user(self.user_admin).action_retry()
        self.assertEqual(bad_note.state, "queued")
        with self.assertRaises(UserError):
            good_note.with_user(self.user_officer).action_retry()

    def test_log_provider_sends_nothing(self):
        with freeze_time(DAY):
            case = self._submitted()
        logger = "odoo.addons.gov_service_center.models.gov_sms_provider._logger"
        with patch(REQUEST, side_effect=AssertionError("no network")), freeze_time(DAY), \
                patch(logger) as log:
            self.Notification._cron_send()
        note = self._notes("case_received", case)
        self.assertEqual(note.state, "sent", note.last_error)
        self.assertEqual(note.provider_id, self.env.ref("gov_service_center.gov_sms_provider_log"))
        logged = " ".join(str(arg) for arg in log.info.call_args.args)
        self.assertIn("138****8000", logged)
        self.assertNotIn(PHONE, logged)

    def test_provider_checks(self):
        with self.assertRaises(ValidationError):
            self._http_provider(url="ftp://example.com")
        with self.assertRaises(ValidationError):
            self._http_provider(body_template='{"to": "{mobile}"}')
        provider = self._http_provider(http_method="GET", url="https://sms.example.com/?to={phone}&m={message}",
                                       success_json_key=False, success_substring="OK")
        with patch(REQUEST, return_value=Mock(status_code=200, text="OK 1")) as request:
            provider._send_sms(PHONE, "你好 & bye")
        self.assertIn("m=%E4%BD%A0%E5%A5%BD%20%26%20bye", request.call_args.args[1])
        with patch(REQUEST, return_value=Mock(status_code=404, text="no")):
            with self.assertRaises(Exception) as error:
                provider._send_sms(PHONE, "x")
        self.assertFalse(error.exception.retry)

    # ------------------------------------------------------------------
    # Personal data
    # ------------------------------------------------------------------
    def test_phone_masked_for_officers(self):
        self.assertEqual(mask_phone("138 0013 8000"), "138****8000")
        with freeze_time(DAY):
            case = self._submitted(user_id=self.user_officer.id)
            self.Notification._cron_send()
        note = self._notes("case_received", case).with_user(self.user_officer)
        self.assertEqual(note.phone_masked, "138****8000")
        self.assertNotIn("phone", note.fields_get())
        with self.assertRaises(AccessError):
            note.read(["phone"])
        values = note.read()[0]
        self.assertNotIn(PHONE, str(values))
        self.assertFalse(any(PHONE in (m.body or "") for m in case.message_ids))
        self.assertEqual(note.sudo().phone, PHONE)

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------
    def test_access_per_group(self):
        with freeze_time(DAY):
            case_a = self._submitted()
            case_b = self._submitted(item_id=self.item_b.id)
        notes = self._notes("case_received", case_a | case_b)
        self.assertEqual(len(notes), 2)
        officer = self.Notification.with_user(self.user_officer)
        self.assertEqual(officer.search([("id", "in", notes.ids)]), self._notes("case_received", case_a))
        self.assertEqual(self.Notification.with_user(self.user_officer_b).search([("id", "in", notes.ids)]),
                         self._notes("case_received", case_b))
        self.assertEqual(self.Notification.with_user(self.user_admin).search([("id", "in", notes.ids)]), notes)
        with self.assertRaises(AccessError):
            notes.with_user(self.user_officer).write({"state": "sent"})
        for user in (self.user_viewer, self.user_inspector, self.user_front_desk, self.user_internal,
                     self.user_portal, self.user_public):
            with self.assertRaises(AccessError):
                self.Notification.with_user(user).search([])
            with self.assertRaises(AccessError):
                self.env["gov.sms.provider"].with_user(user).search([])
        # templates and gateways: administrators manage, officers read templates only
        Template = self.Template.with_user(self.user_admin)
        template = Template.create({"key": "test_admin", "name": "T", "subject": "S", "body": "B"})
        template.body = "C"
        self.env["gov.sms.provider"].with_user(self.user_admin).create({"name": "Log 2"})
        self.assertTrue(self.Template.with_user(self.user_officer).search([]))
        with self.assertRaises(AccessError):
            template.with_user(self.user_officer).write({"body": "D"})
        with self.assertRaises(AccessError):
            self.env["gov.sms.provider"].with_user(self.user_officer).search([])
        with self.assertRaises(AccessError):
            self.Template.with_user(self.user_portal).search([])


@tagged("post_install", "-at_install")
class TestNotificationHooks(NotificationCase):
    def test_case_flow(self):
        partner = self.user_portal.partner_id
        with freeze_time(DAY):
            case = self._new_case(partner_id=partner.id, channel="online",
                                  contact_email="zhang@example.com", user_id=self.user_officer.id)
            case.action_submit()
            self.assertEqual(len(self._notes("case_received", case)), 1)
            case.material_line_ids[:1].action_mark_received()
            case.action_request_supplement()
            supplement = self._notes("case_supplement", case)
            self.assertIn("Site Plan", supplement.body)
            self.assertIn("Land Certificate", supplement.body)
            self._receive_all(case)
            case.action_supplement_received()
            case.action_accept()
            self.assertEqual(len(self._notes("case_accepted", case)), 1)
            case.action_next_step()
            case.action_next_step()
            case.action_approve()
            self.assertEqual(len(self._notes("case_ready_pickup", case)), 1)
            self.assertFalse(self._notes("case_decided", case))
            case.action_deliver()
            self.assertEqual(len(self._notes("case_delivered", case)), 1)
        invitation = self._notes("rating_invitation", case)
        self.assertEqual(set(invitation.mapped("channel")), {"portal", "email", "sms"})
        portal = invitation.filtered(lambda n: n.channel == "portal")
        self.assertEqual(portal.state, "sent")
        self.assertEqual(portal.partner_id, partner)
        self.assertIn(case._gov_rating_url(), portal.body)

    def test_case_denied(self):
        with freeze_time(DAY):
            case = self._new_case()
            self._receive_all(case)
            case.action_submit()
            case.action_accept()
            case.decision_note = "Out of the plan."
            case.action_deny()
        note = self._notes("case_decided", case)
        self.assertEqual(len(note), 1)
        self.assertIn("Licence Refused", note.body)

    def test_consultation_and_letter(self):
        Consultation = self.env["gov.consultation"]
        vals = {"name": "Permit documents", "question": "Which?", "contact_name": "张三",
                "contact_phone": PHONE, "contact_email": "li@example.com",
                "department_id": self.dept_a.id}
        with freeze_time(DAY):
            consultation = Consultation.create(dict(vals, answer="These."))
            letter = Consultation.create(dict(vals, kind="mailbox", answer="Done."))
            (consultation | letter).action_answer()
        note = self._notes("consultation_answered", consultation)
        self.assertEqual(set(note.mapped("channel")), {"email", "sms"})
        self.assertIn(consultation.query_code, note[0].body)
        self.assertEqual(len(self._notes("letter_answered", letter)), 2)
        self.assertFalse(self._notes("consultation_answered", letter))

    def test_complaint_replied(self):
        with freeze_time(DAY):
            complaint = self.env["gov.complaint"].create({
                "name": "Slow survey", "description": "Late.", "complainant_phone": PHONE,
                "department_id": self.dept_a.id,
            })
            complaint.action_investigate()
            complaint.outcome = "Warned."
            complaint.action_dispose()
            complaint.reply = "We warned the agency."
            complaint.action_reply()
        note = self._notes("complaint_replied", complaint)
        self.assertEqual(note.channel, "sms")
        self.assertIn(complaint.query_code, note.body)

    def test_rating_reminder_once(self):
        with freeze_time("2026-03-09 02:00:00"):  # Monday
            case = self._new_case()
            self._receive_all(case)
            case.action_submit()
            case.action_accept()
            case.action_next_step()
            case.action_next_step()
            case.action_approve()
            case.action_deliver()
            rated = self._new_case()
            self._receive_all(rated)
            rated.action_submit()
            rated.action_accept()
            rated.action_next_step()
            rated.action_next_step()
            rated.action_approve()
            rated.action_deliver()
            self.env["gov.service.rating"].create({"level": 5, "case_id": rated.id, "channel": "website"})
        Notification = self.Notification
        with freeze_time("2026-03-11 02:00:00"):  # two working days later
            self.assertEqual(Notification._cron_rating_reminder(), 0)
        with freeze_time("2026-03-12 02:00:00"):  # three working days later
            self.assertEqual(Notification._cron_rating_reminder(), 1)
        with freeze_time("2026-03-13 02:00:00"):
            self.assertEqual(Notification._cron_rating_reminder(), 0)
        note = self._notes("rating_reminder", case)
        self.assertEqual(len(note), 1)
        self.assertIn(case.access_token, note.body)
        self.assertFalse(self._notes("rating_reminder", rated))

    def test_deadline_tomorrow(self):
        with freeze_time(DAY):
            complaint = self.env["gov.complaint"].create({
                "name": "Slow survey", "description": "Late.", "complainant_phone": PHONE,
                "department_id": self.dept_a.id, "user_id": self.user_officer.id,
            })
            complaint.date_deadline = date(2026, 3, 11)
            later = self.env["gov.complaint"].create({
                "name": "Other", "description": "Late.", "complainant_phone": PHONE,
                "department_id": self.dept_a.id, "user_id": self.user_officer.id,
            })
            later.date_deadline = date(2026, 3, 12)
            self.Notification._cron_deadline_tomorrow()
            self.Notification._cron_deadline_tomorrow()  # once a day
        note = self._notes("deadline_tomorrow", complaint)
        self.assertEqual(len(note), 1)
        self.assertEqual(note.user_id, self.user_officer)
        self.assertEqual(note.channel, "portal")
        self.assertEqual(note.state, "sent")
        self.assertFalse(self._notes("deadline_tomorrow", later))
        message = complaint.message_ids.filtered(lambda m: m.subject == note.subject)
        self.assertEqual(message.partner_ids, self.user_officer.partner_id)
        self.assertTrue(message.subtype_id.internal)


@tagged("post_install", "-at_install")
class TestNotificationQueue(GovQueueCase):
    def test_queue_next_for_tickets_with_phone(self):
        Notification = self.env["gov.notification"].sudo()
        with freeze_time("2026-03-10 01:00:00"):
            first = self._take()
        with freeze_time("2026-03-10 01:01:00"):
            second = self._take()
            second.notify_phone = PHONE
        with freeze_time("2026-03-10 01:02:00"):
            third = self._take()
        with freeze_time("2026-03-10 01:10:00"):
            Ticket = self.env["gov.queue.ticket"].with_user(self.user_clerk)
            Ticket.action_call_next()
            self.assertEqual(first.state, "called")
            notes = Notification.search([("template_key", "=", "queue_next")])
            self.assertEqual(notes.res_id, second.id)
            self.assertEqual(notes.channel, "sms")
            self.assertEqual(notes.phone_masked, "138****8000")
            self.assertIn(second.name, notes.body)
            self.assertEqual(second.notify_phone_masked, "138****8000")
            Ticket.action_call_next()  # second called; third left no phone
            self.assertEqual(third.state, "waiting")
            self.assertEqual(Notification.search_count([("template_key", "=", "queue_next")]), 1)
            Notification._cron_send()
            self.assertEqual(notes.state, "sent")


@tagged("post_install", "-at_install")
class TestNotificationHallPage(HttpCase):
    def test_ticket_page_takes_an_optional_mobile(self):
        zone = self.env["gov.hall.zone"].create({"name": "Notice Zone", "code": "NZ", "ticket_prefix": "N"})
        page = self.url_open("/hall/ticket")
        marker = 'name="csrf_token" value="'
        start = page.text.index(marker) + len(marker)
        token = page.text[start:page.text.index('"', start)]
        self.assertIn('name="phone"', page.text)
        for phone in (PHONE, "1380013800x", ""):  # 3 tickets: the limit of a plain device
            response = self.url_open("/hall/ticket", data={
                "csrf_token": token, "zone": str(zone.id), "priority": "normal", "phone": phone,
            })
            self.assertEqual(response.status_code, 200)
        tickets = self.env["gov.queue.ticket"].sudo().search([("zone_id", "=", zone.id)], order="id")
        self.assertEqual(tickets.mapped("notify_phone"), [PHONE, False, False])
        self.assertNotIn(PHONE, response.text)
