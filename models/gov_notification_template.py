# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Texts of the notifications sent to citizens and staff (通知模板)."""
import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# a placeholder is a name between braces: {case_number}
PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")
NAME_RE = re.compile(r"^[a-z_][a-z0-9_]*$")


def placeholder_names(text):
    """Names of the placeholders written in ``text``, in order."""
    return PLACEHOLDER_RE.findall(text or "")


def render_text(text, values):
    """``text`` with each ``{name}`` replaced by ``values[name]`` (empty when
    missing). Only plain names are replaced: no attribute nor index lookup."""

    def replace(match):
        value = values.get(match.group(1))
        return "" if value is None or value is False else str(value)

    return PLACEHOLDER_RE.sub(replace, text or "")


class GovNotificationTemplate(models.Model):
    _name = "gov.notification.template"
    _description = "Notification Template"
    _order = "audience, sequence, key"

    key = fields.Char(
        required=True, index=True, copy=False,
        help="Technical key with which the product sends this notification, e.g. case_accepted.",
    )
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    audience = fields.Selection(
        [("citizen", "Citizens"), ("staff", "Staff")], required=True, default="citizen",
        help="Citizens get public messages on their portal; staff get internal notes.",
    )
    channel_email = fields.Boolean(string="E-mail", default=True)
    channel_portal = fields.Boolean(
        string="Portal Message", default=True,
        help="A message posted on the record and notified to the recipient: the portal "
        "applicant, or the staff member's inbox.",
    )
    channel_sms = fields.Boolean(string="Text Message")
    subject = fields.Char(required=True, translate=True)
    body = fields.Text(required=True, translate=True)
    placeholders = fields.Char(
        string="Allowed Placeholders", readonly=True,
        help="Names the subject and the text may use between braces, e.g. {case_number}.",
    )
    urgent = fields.Boolean(
        help="Urgent text messages are sent during the quiet hours as well.",
    )
    active = fields.Boolean(default=True)
    notification_count = fields.Integer(compute="_compute_notification_count")

    _sql_constraints = [
        ("key_unique", "unique(key)", "The key of a notification template must be unique."),
    ]

    def _compute_notification_count(self):
        counts = dict(self.env["gov.notification"]._read_group(
            [("template_id", "in", self.ids)], ["template_id"], ["__count"],
        ))
        for template in self:
            template.notification_count = counts.get(template, 0)

    def _allowed_placeholders(self):
        self.ensure_one()
        return {name.strip() for name in (self.placeholders or "").split(",") if name.strip()}

    @api.constrains("subject", "body", "placeholders")
    def _check_placeholders(self):
        """Each placeholder of the subject and the text, in every installed
        language, is one the template declares: errors show on save, never
        when a message is sent."""
        languages = [code for code, _name in self.env["res.lang"].get_installed()]
        for template in self:
            allowed = template._allowed_placeholders()
            for lang in languages:
                translated = template.with_context(lang=lang)
                for text in (translated.subject, translated.body):
                    for name in placeholder_names(text):
                        if name not in allowed or not NAME_RE.match(name):
                            raise ValidationError(self.env._(
                                "Template %(template)s uses the unknown placeholder {%(name)s}. "
                                "Allowed placeholders: %(allowed)s.",
                                template=template.key, name=name,
                                allowed=", ".join("{%s}" % n for n in sorted(allowed))
                                or self.env._("none"),
                            ))

    def _render(self, values):
        """Subject and text of the template for ``values``, in the current language."""
        self.ensure_one()
        return render_text(self.subject, values), render_text(self.body, values)

    @api.model
    def _get_by_key(self, key):
        return self.with_context(active_test=False).search([("key", "=", key)], limit=1)

    def action_view_notifications(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "gov_service_center.gov_notification_action"
        )
        action["domain"] = [("template_id", "=", self.id)]
        action["context"] = {}
        return action
