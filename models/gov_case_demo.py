# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Demo cases: three months of applications over the active items, generated
in batches (called once by demo/gov_case_demo.xml; not used otherwise)."""
import random
from collections import defaultdict
from datetime import datetime, time, timedelta

from stdnum.cn import uscc as stdnum_uscc

from odoo import api, models

from .gov_center_time import center_today, to_utc
from .gov_identity import id_number_check_char

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌辉鹏飞婷雪梅琳浩宇欣怡晨阳俊"
COMPANY_WORDS = ["东坡", "岷江", "三苏", "彭山", "青神", "洪雅", "丹棱", "仁寿", "峨眉", "蜀南", "天府", "锦程"]
COMPANY_TRADES = ["建设工程", "食品", "农业科技", "商贸", "医药", "物流", "环保科技", "文化传媒", "餐饮管理", "房地产开发"]
COUNTIES = ["511402", "511403", "511421", "511423", "511424", "511425"]
MOBILE_PREFIXES = ["135", "136", "138", "139", "150", "151", "158", "177", "180", "187", "189", "199"]
REJECTION_REASONS = [
    "申请事项依法不需要取得行政许可。",
    "申请事项不属于本机关职权范围，请向县级住房城乡建设主管部门申请。",
    "申请人不具备申请该事项的主体资格。",
]
DENIAL_REASONS = [
    "经现场核查，申请场所不符合相关技术规范要求。",
    "申请人未能提供符合规定的安全生产条件证明。",
]
WITHDRAWAL_REASONS = ["申请人主动撤回申请。", "项目计划调整，申请人申请撤回。"]
PAUSE_REASONS = ["专家评审", "现场勘验", "听证", "检验检测"]


class GovCase(models.Model):
    _inherit = "gov.case"

    @api.model
    def _gov_demo_generate(self, days=90, per_day=12, seed=2014):
        """Demo: cases received over the last ``days`` days (about ``per_day``
        per working day) over every active item, in every channel and state,
        with Chinese applicants; some paused, one extended, some overdue.
        Built as value lists and created through :meth:`_gov_import_cases`."""
        rng = random.Random(seed)
        env = self.env
        Calendar = env["gov.calendar.day"]
        today = center_today(env)
        items = env["gov.approval.item"].search([("state", "=", "active")], order="id")
        if not items:
            return self.browse()
        officer = env.ref("base.user_admin")
        workdays = [
            today - timedelta(days=offset) for offset in range(days, -1, -1)
            if Calendar.is_working_day(today - timedelta(days=offset))
        ]

        def add(day, n):
            return Calendar.add_working_days(day, n)

        def person():
            birth = datetime(1950, 1, 1) + timedelta(days=rng.randint(0, 18000))
            body = f"{rng.choice(COUNTIES)}{birth:%Y%m%d}{rng.randint(1, 999):03d}"
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _i in range(rng.randint(1, 2)))
            return {"applicant_type": "person", "applicant_name": name,
                    "applicant_id_number": body + id_number_check_char(body)}

        def organization(serial):
            body = f"91511400MA{serial:07d}"
            name = f"眉山市{rng.choice(COMPANY_WORDS)}{rng.choice(COMPANY_TRADES)}有限公司"
            return {"applicant_type": "organization", "applicant_name": name,
                    "applicant_uscc": body + stdnum_uscc.calc_check_digit(body)}

        rows, plans = [], []
        serial = 0
        recent = workdays[-3] if len(workdays) >= 3 else workdays[0]
        for day in workdays:
            for _i in range(max(1, int(rng.gauss(per_day, 4)))):
                serial += 1
                item = items[rng.randrange(len(items))]
                vals = person() if rng.random() < 0.6 else organization(serial)
                received = to_utc(env, datetime.combine(day, time(9)) + timedelta(
                    minutes=rng.randint(0, 480)))
                vals.update({
                    "item_id": item.id,
                    "channel": rng.choices(["window", "online", "other"], [60, 35, 5])[0],
                    "contact_phone": rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 99999999):08d}",
                    "date_received": received,
                    "user_id": officer.id,
                    "state": "submitted",
                })
                plan = self._gov_demo_plan(rng, vals, item, day, today, add, day >= recent)
                if plan is None:
                    continue
                rows.append(vals)
                plans.append(plan)
        cases = self._gov_import_cases(rows)
        self._gov_demo_materials(cases, plans)
        self._gov_demo_pauses_and_extension(rng, cases, today)
        return cases

    @api.model
    def _gov_demo_plan(self, rng, vals, item, day, today, add, recent=False):
        """Fill ``vals`` with the workflow fields of a case received on
        ``day`` (``recent``: in the last three working days); return what its
        material lines look like."""
        roll = rng.random()
        if roll < 0.02:
            vals.update(state="draft", date_received=False, channel="online", user_id=False)
            return "missing"
        if roll < 0.06:
            withdrawn = min(add(day, rng.randint(0, 3)), today)
            vals.update(state="withdrawn", date_withdrawn=withdrawn,
                        withdrawal_reason=rng.choice(WITHDRAWAL_REASONS))
            return "received"
        if roll < 0.11:
            decided = min(add(day, rng.randint(0, 2)), today)
            vals.update(state="rejected", date_decided=decided,
                        rejection_reason=rng.choice(REJECTION_REASONS),
                        notice_rejection_no=self._gov_notice_number("rejection"))
            return "missing"
        accepted = day
        lines = "received"
        if item.material_ids and rng.random() < (0.4 if recent else 0.15):  # one-time notice
            notice = min(add(day, rng.randint(1, 3)), today)
            vals.update(date_supplement_notice=notice,
                        notice_supplement_no=self._gov_notice_number("supplement"))
            accepted = add(notice, rng.randint(2, 6))
            if accepted > today:
                vals.update(state="supplement")
                return "missing"
            lines = "supplemented"
        elif recent and rng.random() < 0.5:
            return lines  # still awaiting review
        vals.update(
            state="accepted", date_accepted=accepted, promised_days=item.promised_days,
            statutory_days=item.statutory_days,
            notice_acceptance_no=self._gov_notice_number("acceptance"),
        )
        late = rng.random() < 0.08
        span = (item.promised_days + rng.randint(1, 5)) if late else rng.randint(
            0, max(0, item.promised_days - 1))
        decided = add(accepted, span)
        if decided > today:
            return lines
        result = "denied" if rng.random() < 0.1 else "approved"
        vals.update(state=result, decision_result=result, date_decided=decided,
                    notice_decision_no=self._gov_notice_number("decision"))
        if result == "denied":
            vals["decision_note"] = rng.choice(DENIAL_REASONS)
        delivered = add(decided, rng.randint(11, 13) if rng.random() < 0.03 else rng.randint(0, 4))
        if delivered <= today:
            vals.update(state="delivered", date_delivered=delivered,
                        notice_delivery_no=self._gov_notice_number("delivery"))
        return lines

    @api.model
    def _gov_demo_materials(self, cases, plans):
        """Material lines as the plans say, in one write per state and day."""
        Line = self.env["gov.case.material"]._gov_register_bypass()
        groups = defaultdict(list)
        cases.material_line_ids.fetch(["case_id", "requirement", "state"])
        for case, plan in zip(cases, plans):
            lines = case.material_line_ids
            if plan == "missing":
                lines = lines[1:]
                plan = "received"
            day = case.date_received_day
            for index, line in enumerate(lines):
                state = "supplemented" if plan == "supplemented" and index == 0 else "received"
                groups[(state, day)].append(line.id)
        for (state, day), ids in groups.items():
            Line.browse(ids).write({"state": state, "date_received": day})

    @api.model
    def _gov_demo_pauses_and_extension(self, rng, cases, today):
        """A few running cases paused, one extended by an administrator."""
        running = cases.filtered(lambda case: case.state == "accepted" and not case.is_overdue)
        paused = running[:6]
        self.env["gov.case.pause"].with_context(tracking_disable=True).create([
            {"case_id": case.id, "reason": rng.choice(PAUSE_REASONS),
             "date_start": max(case.date_accepted, today - timedelta(days=2)),
             "applicant_informed": True}
            for case in paused
        ])
        extended = running[6:7]
        if extended:
            extended._set_workflow({
                "extension_state": "approved", "extension_requested_days": 10,
                "extension_days": min(10, extended._extension_limit()),
                "extension_reason": "涉及多部门现场联合勘验，需延长审查期限。",
                "extension_approver_id": self.env.ref("base.user_admin").id,
            })
        return paused | extended
