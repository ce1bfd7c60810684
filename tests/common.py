# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import TransactionCase, new_test_user


class GovServiceCenterCase(TransactionCase):
    """Shared fixtures: departments, one user per role and item factories."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        Department = cls.env["hr.department"]
        cls.dept_a = Department.create({"name": "Development Commission", "gov_code": "FG"})
        cls.dept_a_sub = Department.create(
            {"name": "Project Office", "parent_id": cls.dept_a.id, "gov_code": "XM"}
        )
        cls.dept_b = Department.create({"name": "Housing Bureau", "gov_code": "ZJ"})
        cls.dept_c = Department.create({"name": "Water Bureau", "gov_code": "SW"})

        cls.user_viewer = new_test_user(
            cls.env, "gsc_viewer", groups="gov_service_center.group_gov_viewer"
        )
        cls.user_inspector = new_test_user(
            cls.env, "gsc_inspector", groups="gov_service_center.group_gov_inspector"
        )
        # officer of department A through the employee record
        cls.user_officer = new_test_user(
            cls.env, "gsc_officer", groups="gov_service_center.group_gov_officer"
        )
        cls.env["hr.employee"].create(
            {
                "name": "Officer A",
                "user_id": cls.user_officer.id,
                "department_id": cls.dept_a.id,
            }
        )
        # officer of department B through the explicit list on the user
        cls.user_officer_b = new_test_user(
            cls.env, "gsc_officer_b", groups="gov_service_center.group_gov_officer"
        )
        cls.user_officer_b.gov_department_ids = cls.dept_b
        cls.user_admin = new_test_user(
            cls.env, "gsc_admin", groups="gov_service_center.group_gov_admin"
        )
        cls.user_internal = new_test_user(cls.env, "gsc_internal", groups="base.group_user")
        cls.user_portal = new_test_user(cls.env, "gsc_portal", groups="base.group_portal")
        cls.user_public = cls.env.ref("base.public_user")

    @classmethod
    def _item_vals(cls, **vals):
        defaults = {
            "name": "Water Abstraction Permit",
            "department_id": cls.dept_a.id,
            "item_type": "licensing",
            "statutory_days": 20,
            "promised_days": 10,
        }
        defaults.update(vals)
        return defaults

    @classmethod
    def _create_item(cls, **vals):
        return cls.env["gov.approval.item"].create(cls._item_vals(**vals))


# ===========================================================================
# Public forms (HttpCase): fetch a form page, extract its hidden fields (CSRF
# token, signed timestamp, one-time submission key, captcha answer) and post
# it the way a browser does. Used by every public-form test.
# ===========================================================================
import re  # noqa: E402
import threading  # noqa: E402

import requests  # noqa: E402

PUBLIC_FORM_HIDDEN_RE = re.compile(
    r'name="(csrf_token|gov_form_ts|gov_submission_key)" value="([^"]*)"'
)
PUBLIC_FORM_CAPTCHA_RE = re.compile(r"how much is <span>(\d) \+ (\d)</span>")


class PublicFormMixin:
    """Mix into an ``HttpCase`` testing the public forms."""

    def public_form(self, url):
        """GET the form at ``url``; return ``(tokens, html)``: ``tokens`` holds
        the hidden values of the form (``csrf_token``, ``gov_form_ts``,
        ``gov_submission_key`` when present) and, when the form asks the
        verification question, its answer as ``gov_captcha``."""
        response = self.url_open(url, timeout=60)
        self.assertEqual(response.status_code, 200, f"GET {url}")
        html = response.text
        tokens = dict(PUBLIC_FORM_HIDDEN_RE.findall(html))
        captcha = PUBLIC_FORM_CAPTCHA_RE.search(html)
        if captcha:
            tokens["gov_captcha"] = str(int(captcha.group(1)) + int(captcha.group(2)))
        return tokens, html

    def public_form_payload(self, data, tokens, captcha=True, drop=()):
        """The body of a post: the hidden values of ``tokens`` overridden by
        ``data``; without the captcha answer if ``captcha`` is false; without
        the names in ``drop``; ``None`` values left out."""
        payload = dict(tokens)
        if not captcha:
            payload.pop("gov_captcha", None)
        payload.update(data)
        for name in drop:
            payload.pop(name, None)
        return {key: value for key, value in payload.items() if value is not None}

    def post_public_form(
        self, url, data, form_url=None, tokens=None, files=None, captcha=True, drop=(),
        timeout=60,
    ):
        """POST ``data`` to ``url`` with the hidden values of ``tokens``, or
        of the form at ``form_url`` (default ``url``) fetched first."""
        if tokens is None:
            tokens, _html = self.public_form(form_url or url)
        payload = self.public_form_payload(data, tokens, captcha=captcha, drop=drop)
        return self.url_open(
            url, data=payload, files=files, allow_redirects=False, timeout=timeout
        )

    def post_public_forms_at_once(self, url, payloads, timeout=120):
        """POST every payload of ``payloads`` to ``url`` at the same moment,
        one thread each, all in the session of the test; return the
        responses (or the exceptions raised) in the same order."""
        self.env.flush_all()
        self.env.invalidate_all()
        cookies = self.opener.cookies.get_dict()
        barrier = threading.Barrier(len(payloads))
        results = [None] * len(payloads)

        def send(index, payload):
            with requests.Session() as session:
                session.cookies.update(cookies)
                barrier.wait(timeout)
                try:
                    results[index] = session.post(
                        self.base_url() + url, data=payload, allow_redirects=False,
                        timeout=timeout,
                    )
                except requests.RequestException as error:
                    results[index] = error

        threads = [
            threading.Thread(target=send, args=(index, payload))
            for index, payload in enumerate(payloads)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout + 10)
        self.env.invalidate_all()
        return results
