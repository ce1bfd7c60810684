# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re
import threading
from datetime import date, timedelta

from unittest.mock import patch

import requests
from stdnum.cn import uscc as stdnum_uscc

from odoo.tests import TransactionCase, new_test_user

from odoo.addons.base.models.ir_qweb import IrQWeb


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


# ----------------------------------------------------------------------
# Discipline: windows, staff, inspections
# ----------------------------------------------------------------------
MONTH = date(2026, 3, 1)


class DisciplineCase(GovServiceCenterCase):
    """Windows, staff (each with a user), a supervisor and a department leader."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Employee = cls.env["hr.employee"]
        cls.leader_user = new_test_user(cls.env, "gsc_leader", groups="base.group_user")
        cls.leader = Employee.create(
            {"name": "Leader B", "user_id": cls.leader_user.id, "department_id": cls.dept_b.id}
        )
        cls.dept_b.manager_id = cls.leader
        cls.supervisor_user = new_test_user(cls.env, "gsc_supervisor", groups="base.group_user")
        cls.supervisor = Employee.create(
            {"name": "Supervisor", "user_id": cls.supervisor_user.id, "department_id": cls.dept_b.id}
        )
        cls.staff_users = []
        cls.staff = Employee.browse()
        for index in range(4):
            user = new_test_user(cls.env, f"gsc_staff{index}", groups="base.group_user")
            cls.staff_users.append(user)
            cls.staff |= Employee.create(
                {
                    "name": f"Staff {index}",
                    "user_id": user.id,
                    "department_id": cls.dept_b.id,
                    "parent_id": cls.supervisor.id,
                }
            )
        cls.zone = cls.env["gov.hall.zone"].create({"name": "Approval Zone", "code": "TZ"})
        Window = cls.env["gov.service.window"]
        cls.window_a = Window.create(
            {"name": "Housing A", "code": "TW01", "zone_id": cls.zone.id,
             "department_id": cls.dept_b.id, "employee_ids": [(6, 0, cls.staff[:2].ids)]}
        )
        cls.window_b = Window.create(
            {"name": "Housing B", "code": "TW02", "zone_id": cls.zone.id,
             "department_id": cls.dept_b.id, "employee_ids": [(6, 0, cls.staff[2:].ids)]}
        )
        cls.rule_phone = cls.env.ref("gov_service_center.conduct_rule_phone")
        cls.rule_quarrel = cls.env.ref("gov_service_center.conduct_rule_quarrel")

    @classmethod
    def _inspection(cls, employee, day=None, rule=None, confirm=True, **vals):
        inspection = cls.env["gov.inspection"].create(
            {
                "employee_id": employee.id,
                "date": day or date(2026, 3, 10),
                "rule_id": (rule or cls.rule_phone).id,
                **vals,
            }
        )
        if confirm:
            inspection.action_confirm()
        return inspection


# ----------------------------------------------------------------------
# Attendance: window, staff with badges, a terminal
# ----------------------------------------------------------------------
NOW = "2026-03-10 12:00:00"


def hall_calendar(env):
    """The hall's working hours: 9:00–12:00 and 13:30–17:30, Monday to Friday."""
    return env["resource.calendar"].create({
        "name": "Hall hours",
        "tz": "Asia/Shanghai",
        "attendance_ids": [
            (5, 0, 0),
            *[(0, 0, {"name": f"{d} am", "dayofweek": str(d), "hour_from": 9, "hour_to": 12,
                      "day_period": "morning"}) for d in range(5)],
            *[(0, 0, {"name": f"{d} pm", "dayofweek": str(d), "hour_from": 13.5,
                      "hour_to": 17.5, "day_period": "afternoon"}) for d in range(5)],
        ],
    })


class GovAttendanceCase(GovServiceCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.zone = cls.env["gov.hall.zone"].create({"name": "Approval Zone", "code": "ZA", "ticket_prefix": "A"})
        cls.window = cls.env["gov.service.window"].create(
            {"name": "Window 1", "code": "W01", "zone_id": cls.zone.id, "department_id": cls.dept_a.id}
        )
        Employee = cls.env["hr.employee"]
        cls.emp1 = Employee.create(
            {"name": "Staff One", "barcode": "1001", "department_id": cls.dept_a.id,
             "gov_window_id": cls.window.id, "gov_staff_role": "staff"}
        )
        cls.emp2 = Employee.create(
            {"name": "Staff Two", "barcode": "1002", "department_id": cls.dept_b.id,
             "gov_face_consent": True, "gov_face_consent_date": "2026-01-05"}
        )
        cls.device = cls.env["gov.attendance.device"].create(
            {"code": "DEV1", "name": "Fingerprint 1F", "kind": "fingerprint"}
        )
        cls.token = cls.device._gov_new_token()

    def _ingest(self, punches, device=None):
        return self.env["gov.attendance.punch"]._gov_ingest(device or self.device, punches)

    @staticmethod
    def _p(ref, badge, when, method="fingerprint"):
        return {"id": ref, "badge": badge, "time": when, "method": method}


# ----------------------------------------------------------------------
# Intermediaries
# ----------------------------------------------------------------------
def make_uscc(serial):
    """A valid USCC (GB 32100) for a Meishan company, numbered ``serial``."""
    body = f"91511400MA{serial:07d}"
    return body + stdnum_uscc.calc_check_digit(body)


class IntermediaryCase(GovServiceCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Type = cls.env["gov.intermediary.service.type"]
        cls.Intermediary = cls.env["gov.intermediary"]
        cls.type_eia, cls.type_survey = cls.Type.create(
            [
                {"name": "EIA Test", "code": "T-EIA", "min_providers": 3},
                {"name": "Survey Test", "code": "T-SUR", "min_providers": 2},
            ]
        )
        cls._serial = 0

    @classmethod
    def _make(cls, count=1, service_type=None, state="filed", expiry=None, **vals):
        service_type = service_type or cls.type_eia
        vals_list = []
        for _index in range(count):
            cls._serial += 1
            vals_list.append(
                dict(
                    {
                        "name": f"Test Intermediary {cls._serial}",
                        "uscc": make_uscc(cls._serial),
                        "filing_state": state,
                        "service_type_ids": [(6, 0, service_type.ids)],
                        "qualification_ids": [
                            (0, 0, {
                                "name": f"Q-{cls._serial}",
                                "issuer": "Provincial Department",
                                "service_type_id": service_type.id,
                                "date_expiry": expiry,
                            })
                        ],
                    },
                    **vals,
                )
            )
        return cls.Intermediary.create(vals_list)

    @classmethod
    def _restrict(cls, intermediary, **vals):
        return cls.env["gov.credit.restriction"].create(
            dict(
                {
                    "intermediary_id": intermediary.id,
                    "reason": "False statements in a report",
                    "decision_ref": f"MS-XY-{intermediary.id}",
                    "date_start": date.today() - timedelta(days=10),
                    "date_end": date.today() + timedelta(days=300),
                },
                **vals,
            )
        )


# ----------------------------------------------------------------------
# Hall queue
# ----------------------------------------------------------------------
class GovQueueCase(GovServiceCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Zone = cls.env["gov.hall.zone"]
        cls.zone_a = Zone.create({"name": "Approval", "code": "QA", "ticket_prefix": "A"})
        cls.zone_b = Zone.create({"name": "Social Security", "code": "QB", "ticket_prefix": "B"})
        cls.window = cls.env["gov.service.window"].create(
            {"name": "Window 1", "code": "Q01", "zone_id": cls.zone_a.id}
        )
        cls.window_b = cls.env["gov.service.window"].create(
            {"name": "Window 2", "code": "Q02", "zone_id": cls.zone_b.id}
        )
        cls.user_clerk = new_test_user(cls.env, "gsc_clerk", groups="base.group_user")
        cls.clerk = cls.env["hr.employee"].create(
            {"name": "Clerk", "user_id": cls.user_clerk.id, "gov_window_id": cls.window.id}
        )

    def _take(self, zone=None, priority="normal"):
        return self.env["gov.queue.ticket"].sudo().create(
            {"zone_id": (zone or self.zone_a).id, "priority": priority}
        )


# ----------------------------------------------------------------------
# Policy documents (fixture mixin, also used by HttpCase classes)
# ----------------------------------------------------------------------
class PolicyFixtures:
    @classmethod
    def _policy_setup(cls):
        cls.category = cls.env["gov.policy.category"].create(
            {"name": "GscPol Administrative Approval", "code": "GSCPOL-AA"}
        )
        cls.category_other = cls.env["gov.policy.category"].create(
            {"name": "GscPol Investment", "code": "GSCPOL-INV"}
        )

    @classmethod
    def _doc(cls, name, number=None, **vals):
        values = {
            "name": name,
            "doc_number": number,
            "issuer": "GscPol City Government",
            "date_issued": "2014-03-01",
            "category_id": cls.category.id,
        }
        values.update(vals)
        return cls.env["gov.policy.document"].create(values)


# ----------------------------------------------------------------------
# Service ratings (fixture mixin, also used by HttpCase classes)
# ----------------------------------------------------------------------
class RatingFixtures:
    @classmethod
    def _rating_setup(cls, department_a, department_b):
        env = cls.env
        cls.zone = env["gov.hall.zone"].create({"name": "GscRat Zone", "code": "GSCRATZ"})
        cls.employee = env["hr.employee"].create({"name": "GscRat Clerk A", "department_id": department_a.id})
        cls.employee_b = env["hr.employee"].create({"name": "GscRat Clerk B", "department_id": department_b.id})
        cls.employee_c = env["hr.employee"].create({"name": "GscRat Clerk C", "department_id": department_b.id})
        cls.window = env["gov.service.window"].create(
            {"name": "GscRat Window A", "code": "GSCRAT-A1", "zone_id": cls.zone.id,
             "department_id": department_a.id, "employee_ids": [(6, 0, cls.employee.ids)]}
        )
        cls.window_b = env["gov.service.window"].create(
            {"name": "GscRat Window B", "code": "GSCRAT-B1", "zone_id": cls.zone.id,
             "department_id": department_b.id,
             "employee_ids": [(6, 0, (cls.employee_b | cls.employee_c).ids)]}
        )
        cls.ind_good = env.ref("gov_service_center.rating_indicator_efficient")
        cls.ind_bad = env.ref("gov_service_center.rating_indicator_bad_attitude")
        cls.ind_online = env.ref("gov_service_center.rating_indicator_clear_guide")


# ===========================================================================
# Public forms (HttpCase): fetch a form page, extract its hidden fields (CSRF
# token, signed timestamp, one-time submission key, captcha answer) and post
# it the way a browser does. Used by every public-form test.
# ===========================================================================
PUBLIC_FORM_HIDDEN_RE = re.compile(
    r'name="(csrf_token|gov_form_ts|gov_submission_key)" value="([^"]*)"'
)
# the question in any language of the site
PUBLIC_FORM_CAPTCHA_RE = re.compile(r"<span>(\d) \+ (\d)</span>")


def template_cache_bypassed():
    """While it is active, the pages render their cached parts (``t-cache``)
    instead of reading them from the template cache: a query count then
    measures what a page costs when its records change."""
    return patch.object(IrQWeb, "_get_cached_values", lambda self, key, get_value: get_value())


def website_in_english(env):
    """Serve the website in English, for the tests reading English texts of
    its pages (the module makes Chinese its only language at install)."""
    english = env["res.lang"]._activate_lang("en_US")
    for website in env["website"].search([]):
        website.write({"language_ids": [(6, 0, english.ids)], "default_lang_id": english.id})


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


# ----------------------------------------------------------------------
# Cases (办件)
# ----------------------------------------------------------------------
VALID_ID_NUMBER = "11010519491231002X"
VALID_USCC = "91350100M000100Y43"


class GovCaseCase(GovServiceCenterCase):
    """An item of department A with materials and steps (one not counted), a
    front-desk clerk, a portal applicant, and a factory of cases."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_front_desk = new_test_user(
            cls.env, "gsc_front_desk", groups="gov_service_center.group_gov_front_desk"
        )
        cls.item = cls._create_item(
            name="Construction Permit",
            state="active",
            online_available=True,
            material_ids=[
                (0, 0, {"name": "Application Form", "requirement": "required"}),
                (0, 0, {"name": "Site Plan", "requirement": "required"}),
                (0, 0, {"name": "Land Certificate", "requirement": "required",
                        "may_supply_later": True}),
                (0, 0, {"name": "Photos", "requirement": "optional"}),
            ],
            step_ids=[
                (0, 0, {"name": "Review", "sequence": 10, "duration_days": 3}),
                (0, 0, {"name": "Expert Review", "sequence": 20, "duration_days": 3,
                        "counts_toward_limit": False}),
                (0, 0, {"name": "Decision", "sequence": 30, "duration_days": 2}),
            ],
        )
        cls.item_b = cls._create_item(
            name="Housing Registration", department_id=cls.dept_b.id, state="active",
        )

    @classmethod
    def _case_vals(cls, **vals):
        defaults = {
            "item_id": cls.item.id,
            "applicant_type": "person",
            "applicant_name": "张三",
            "applicant_id_number": VALID_ID_NUMBER,
            "contact_phone": "13800138000",
        }
        defaults.update(vals)
        return defaults

    @classmethod
    def _new_case(cls, env=None, **vals):
        return (env or cls.env)["gov.case"].create(cls._case_vals(**vals))

    @staticmethod
    def _receive_all(case):
        case.material_line_ids.filtered(lambda line: line.state == "missing").action_mark_received()
        return case
