# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Public files, stored HTML, personal data and the random draw: what staff
and visitors must not be able to do."""
import hashlib
import re
from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.gov_service_center.models.gov_consultation import mask_text
from odoo.addons.gov_service_center.models.gov_intermediary_draw import (
    ALGORITHM_V1,
    draw_winner_index,
)

from .common import GovServiceCenterCase
from .test_intermediary import IntermediaryCase, make_uscc
from .test_policy import PolicyFixtures


class PrivateFilesFixtures(PolicyFixtures):
    @classmethod
    def _private_files_setup(cls):
        cls._policy_setup()
        if not hasattr(cls, "dept_a"):
            cls.dept_a = cls.env["hr.department"].create({"name": "GscSec Department"})
        cls.doc = cls._doc(
            "GscSec Policy of department A", "GSCSEC〔2024〕1号",
            department_id=cls.dept_a.id, is_published=True,
        )
        cls.doc_other = cls._doc("GscSec Other policy", "GSCSEC〔2024〕2号", is_published=True)
        employee = cls.env["hr.employee"].create({"name": "GscSec Employee"})
        Attachment = cls.env["ir.attachment"]
        # an employee's ID-card scan: officers cannot read it
        cls.id_card = Attachment.create(
            {"name": "gscsec-id-card.jpg", "raw": b"GSCSEC ID CARD",
             "res_model": "hr.employee", "res_id": employee.id}
        )
        # complaint evidence: officers read it, but it belongs to the complaint
        complaint = cls.env["gov.complaint"].create(
            {"name": "GscSec complaint", "description": "x", "complainant_phone": "13800000000"}
        )
        cls.evidence = Attachment.create(
            {"name": "gscsec-evidence.pdf", "raw": b"GSCSEC EVIDENCE",
             "res_model": "gov.complaint", "res_id": complaint.id}
        )
        cls.other_doc_annex = Attachment.create(
            {"name": "gscsec-other-annex.pdf", "raw": b"GSCSEC OTHER",
             "res_model": "gov.policy.document", "res_id": cls.doc_other.id}
        )
        # uploaded by someone else, attached to nothing
        owner = getattr(cls, "user_admin", None) or new_test_user(
            cls.env, "gscsec_owner", groups="base.group_user"
        )
        cls.loose_file = Attachment.with_user(owner).create(
            {"name": "gscsec-loose.pdf", "raw": b"GSCSEC LOOSE"}
        )


@tagged("post_install", "-at_install")
class TestSecurityPolicyAttachments(PrivateFilesFixtures, GovServiceCenterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._private_files_setup()

    def test_officer_cannot_link_files_they_cannot_read(self):
        doc = self.doc.with_user(self.user_officer)
        for attachment in (self.id_card, self.loose_file):
            with self.subTest(attachment=attachment.name):
                with self.assertRaises(AccessError), self.env.cr.savepoint():
                    doc.write({"attachment_ids": [Command.link(attachment.id)]})
                with self.assertRaises(AccessError), self.env.cr.savepoint():
                    self.env["gov.policy.document"].with_user(self.user_officer).create(
                        {"name": "GscSec new", "issuer": "X", "date_issued": "2024-01-01",
                         "department_id": self.dept_a.id,
                         "attachment_ids": [Command.set(attachment.ids)]}
                    )
        self.env.invalidate_all()
        self.assertFalse(self.doc.attachment_ids)
        self.assertEqual(self.id_card.res_model, "hr.employee")

    def test_officer_cannot_link_files_of_other_records(self):
        doc = self.doc.with_user(self.user_officer)
        for attachment in (self.evidence, self.other_doc_annex):
            with self.subTest(attachment=attachment.name):
                attachment.with_user(self.user_officer).check("read")  # readable...
                with self.assertRaisesRegex(
                    ValidationError, "belongs to another record"
                ), self.env.cr.savepoint():
                    doc.write({"attachment_ids": [Command.link(attachment.id)]})
        self.env.invalidate_all()
        self.assertFalse(self.doc.attachment_ids)
        self.assertEqual(self.evidence.res_model, "gov.complaint")

    def test_own_upload_is_attached_to_the_document(self):
        Attachment = self.env["ir.attachment"].with_user(self.user_officer)
        # the form uploads on the document (or on a new one, with res_id 0)
        upload = Attachment.create(
            {"name": "gscsec-annex.pdf", "raw": b"GSCSEC ANNEX",
             "res_model": "gov.policy.document", "res_id": self.doc.id}
        )
        new_upload = Attachment.create(
            {"name": "gscsec-new.pdf", "raw": b"GSCSEC NEW", "res_model": "gov.policy.document",
             "res_id": 0}
        )
        self.doc.with_user(self.user_officer).attachment_ids = upload
        new_doc = self.env["gov.policy.document"].with_user(self.user_officer).create(
            {"name": "GscSec new", "issuer": "X", "date_issued": "2024-01-01",
             "department_id": self.dept_a.id, "attachment_ids": [Command.set(new_upload.ids)]}
        )
        self.assertEqual(new_upload.sudo().res_id, new_doc.id)
        self.assertEqual(self.doc._get_public_attachments(), upload)
        # a file of one document cannot then be linked to another one
        with self.assertRaisesRegex(ValidationError, "another record"):
            new_doc.with_user(self.user_officer).attachment_ids = [Command.link(upload.id)]


@tagged("post_install", "-at_install")
class TestSecurityPolicyWebsite(PrivateFilesFixtures, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls._private_files_setup()
        cls.annex = cls.env["ir.attachment"].create(
            {"name": "gscsec-public-annex.pdf", "raw": b"GSCSEC PUBLIC",
             "res_model": "gov.policy.document", "res_id": cls.doc.id}
        )
        cls.doc.attachment_ids = cls.annex
        # links stored before the write check existed (or forced in the
        # database) are never served
        cls.env.cr.execute(
            "INSERT INTO gov_policy_document_ir_attachment_rel (document_id, attachment_id) "
            "VALUES (%s, %s), (%s, %s)",
            [cls.doc.id, cls.id_card.id, cls.doc.id, cls.evidence.id],
        )
        cls.doc.invalidate_recordset(["attachment_ids"])

    @mute_logger("odoo.http", "werkzeug")
    def test_only_files_of_the_document_are_served(self):
        page = self.url_open(self.doc.website_url).text
        self.assertIn("gscsec-public-annex.pdf", page)
        self.assertNotIn("gscsec-id-card.jpg", page)
        self.assertNotIn("gscsec-evidence.pdf", page)
        response = self.url_open(f"{self.doc.website_url}/attachment/{self.annex.id}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"GSCSEC PUBLIC")
        for attachment in (self.id_card, self.evidence, self.other_doc_annex):
            with self.subTest(attachment=attachment.name):
                response = self.url_open(f"{self.doc.website_url}/attachment/{attachment.id}")
                self.assertEqual(response.status_code, 404)
                self.assertNotIn(b"GSCSEC", response.content)

    def test_one_visit_per_address_whatever_the_browser(self):
        for user_agent in ("Mozilla/5.0 A", "Mozilla/5.0 B", "curl/8.0", ""):
            response = self.url_open(self.doc.website_url, headers={"User-Agent": user_agent})
            self.assertEqual(response.status_code, 200)
        self.doc.invalidate_recordset(["visit_count"])
        self.assertEqual(self.doc.visit_count, 1)
        visits = self.env["gov.policy.visit"].search([("document_id", "=", self.doc.id)])
        self.assertEqual(len(visits), 1)
        self.assertNotIn("127.0.0.1", visits.visitor_hash)


@tagged("post_install", "-at_install")
class TestSecurityDepartmentNews(GovServiceCenterCase):
    PAYLOAD = (
        '<p>GscNews ok</p><script>alert("gscsec")</script>'
        '<img src="x" onerror="alert(1)"><a href="javascript:alert(2)">link</a>'
    )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.news = cls.env.ref("gov_service_center.blog_department_news")
        cls.user_designer = new_test_user(
            cls.env, "gsc_designer", groups="base.group_user,website.group_website_designer"
        )

    def assertHarmless(self, html):
        html = str(html or "")
        self.assertIn("GscNews ok", html)
        self.assertNotRegex(html.lower(), r"<script|onerror|javascript:")

    def test_officer_content_sanitized(self):
        Post = self.env["blog.post"].with_user(self.user_officer)
        post = Post.create(
            {"name": "GscNews post", "blog_id": self.news.id, "content": self.PAYLOAD}
        )
        self.assertHarmless(post.content)
        post.write({"content": "<p>GscNews ok</p>" + self.PAYLOAD})
        self.assertHarmless(post.content)
        post.sudo().is_published = True
        post.content = self.PAYLOAD + '<svg onload="alert(3)"></svg>'
        self.assertHarmless(post.content)
        self.assertNotIn("onload", post.content)

    def test_officer_translation_sanitized(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        post = self.env["blog.post"].with_user(self.user_officer).create(
            {"name": "GscNews post", "blog_id": self.news.id, "content": "<p>GscNews ok</p>"}
        )
        post.update_field_translations(
            "content", {"zh_CN": {"GscNews ok": 'GscNews ok<img src="x" onerror="alert(1)">'}}
        )
        self.assertHarmless(post.with_context(lang="zh_CN").content)

    def test_designer_keeps_html(self):
        post = self.env["blog.post"].with_user(self.user_designer).create(
            {"name": "GscNews designed", "blog_id": self.news.id, "content": self.PAYLOAD}
        )
        self.assertIn("<script>", post.content)


@tagged("post_install", "-at_install")
class TestSecurityPersonalData(IntermediaryCase):
    def test_viewers_do_not_read_complainants(self):
        complaint = self.env["gov.complaint"].create(
            {"name": "GscSec complaint", "description": "x", "complainant_name": "王小明",
             "complainant_phone": "13800138000", "complainant_email": "wang@example.com",
             "keep_anonymous": True}
        )
        for user in (self.user_viewer, self.user_inspector):
            for fname in ("complainant_name", "complainant_phone", "complainant_email"):
                with self.subTest(user=user.login, field=fname), self.assertRaises(AccessError):
                    complaint.with_user(user).read([fname])
            values = complaint.with_user(user).search_read([("id", "=", complaint.id)])[0]
            self.assertNotIn("complainant_phone", values)
            arch = self.env["gov.complaint"].with_user(user).get_views([(False, "form")])[
                "views"]["form"]["arch"]
            self.assertNotIn("complainant_phone", arch)
        self.assertEqual(
            complaint.with_user(self.user_officer).read(["complainant_phone"])[0][
                "complainant_phone"],
            "13800138000",
        )

    def test_portal_does_not_read_evaluator_and_comment(self):
        intermediary = self._make()
        portal_user = new_test_user(self.env, "gsc_sec_portal", groups="base.group_portal")
        portal_user.partner_id.parent_id = intermediary.partner_id
        evaluation = self.env["gov.intermediary.evaluation"].create(
            {"intermediary_id": intermediary.id, "year": 2024, "source": "center", "score": 80,
             "evaluator": "GscSec inspector Li", "comment": "GscSec internal remark"}
        )
        self.env["gov.intermediary.year.score"].publish_year(2024)
        mine = evaluation.with_user(portal_user)
        self.assertEqual(mine.read(["score"])[0]["score"], 80)
        for fname in ("evaluator", "comment"):
            with self.subTest(field=fname), self.assertRaises(AccessError):
                mine.read([fname])
        values = self.env["gov.intermediary.evaluation"].with_user(portal_user).search_read([])
        self.assertNotIn("evaluator", values[0])
        self.assertNotIn("comment", values[0])
        self.assertEqual(evaluation.with_user(self.user_viewer).evaluator, "GscSec inspector Li")

    def test_publication_consent_comes_from_the_citizen(self):
        Consultation = self.env["gov.consultation"]
        vals = {"name": "GscSec question", "question": "?", "contact_phone": "13812345678",
                "department_id": self.dept_a.id}
        refused = Consultation.create(dict(vals, is_public=False))
        consented = Consultation.create(dict(vals, is_public=True))  # the public form
        for user in (self.user_officer, self.user_admin):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(UserError, "Only the citizen"):
                    refused.with_user(user).write({"is_public": True})
                with self.assertRaisesRegex(UserError, "Only the citizen"):
                    consented.with_user(user).write({"is_public": False})
                with self.assertRaisesRegex(UserError, "Only the citizen"):
                    Consultation.with_user(user).create(dict(vals, is_public=True))
                # a context key does not open it
                with self.assertRaisesRegex(UserError, "Only the citizen"):
                    refused.with_user(user).with_context(gov_citizen_consent=True).write(
                        {"is_public": True}
                    )
        self.assertFalse(refused.is_public)
        self.assertTrue(consented.is_public)
        self.assertFalse(consented.copy().is_public)
        with Form(refused.with_user(self.user_officer)) as form:
            with self.assertRaises(AssertionError):
                form.is_public = True
        # other fields stay editable
        refused.with_user(self.user_officer).answer = "GscSec answer"

    def test_masking_table(self):
        email_re = re.compile(r"[A-Za-z0-9._%+-]+[@＠][A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
        cases = [
            # (text, personal numbers that must not survive)
            ("电话 138 0013 8000", ["13800138000"]),
            ("tel +8613800138000", ["13800138000"]),
            ("tel +86 138-0013-8000!", ["13800138000"]),
            ("0086 138 0013 8000", ["13800138000"]),
            ("手机：138-0013-8000。", ["13800138000"]),
            ("手机13800138000", ["13800138000"]),
            ("身份证 511402199001011234", ["511402199001011234"]),
            ("身份证 511402 19900101 123X", ["51140219900101123X"]),
            ("id 51140219900101123x", ["51140219900101123x"]),
            ("旧身份证 511402900101123", ["511402900101123"]),
            ("旧身份证 511402-900101-123", ["511402900101123"]),
            ("mail zhang.san@example.com", []),
            ("mail 13800138000@qq.com", ["13800138000"]),
            ("邮箱 li_si＠example.com.cn", []),
            ("电话13800138000 2024年", ["13800138000"]),
        ]
        for text, numbers in cases:
            with self.subTest(text=text):
                masked = mask_text(text)
                digits = re.sub(r"[\s\-]", "", masked)
                for number in numbers:
                    # no run of 8 digits of the number is left
                    for start in range(len(number) - 7):
                        self.assertNotIn(number[start:start + 8].upper(), digits.upper())
                self.assertIsNone(email_re.search(masked))
                self.assertIn("*", masked)
        for harmless in ("no personal data", "2024-01-01 12:30", "第3号 共12页"):
            self.assertEqual(mask_text(harmless), harmless)


@tagged("post_install", "-at_install")
class TestSecurityDrawCommitment(IntermediaryCase):
    def _new_draw(self, **vals):
        return self.env["gov.intermediary.draw"].create(
            dict({"name": "GscSec project", "service_type_id": self.type_eia.id,
                  "witness_names": "Wang, Li"}, **vals)
        )

    def test_commitment_before_witness_number(self):
        candidates = self._make(4)
        draw = self._new_draw()
        with self.assertRaisesRegex(UserError, "Prepare the draw first"):
            draw.witness_number = 4711
        with self.assertRaisesRegex(UserError, "Prepare the draw first"):
            self._new_draw(witness_number=4711)
        with self.assertRaisesRegex(UserError, "Prepare the draw first"):
            draw.action_draw()
        with freeze_time("2025-06-03 09:00:00"):
            draw.with_user(self.user_admin).action_prepare()
        self.assertEqual(draw.state, "prepared")
        self.assertEqual(draw.candidate_snapshot, ",".join(map(str, sorted(candidates.ids))))
        self.assertEqual(draw.date_prepared, datetime(2025, 6, 3, 9, 0, 0))
        self.assertRegex(draw.secret_hash, r"^[0-9a-f]{64}$")
        self.assertFalse(draw.secret, "the secret is revealed only at the draw")
        self.assertFalse(draw.witness_number)
        for user in (self.user_admin, self.user_officer, self.user_viewer):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                draw.with_user(user).read(["sealed_secret"])
        commitment = draw.secret_hash
        draw.with_user(self.user_admin).witness_number = 4711
        with self.assertRaisesRegex(UserError, "cannot be prepared again"):
            draw.with_user(self.user_admin).action_prepare()
        with freeze_time("2025-06-03 09:30:15"):
            draw.with_user(self.user_admin).action_draw()
        self.assertEqual(draw.state, "drawn")
        self.assertEqual(draw.secret_hash, commitment)
        self.assertEqual(hashlib.sha256(draw.secret.encode()).hexdigest(), commitment)
        self.assertEqual(draw.algorithm_version, "sha256-mod-v2")
        self.assertTrue(draw.seed.startswith(draw.secret + "|2025-06-03 09:30:15|4711|"))
        self.assertFalse(draw.sudo().sealed_secret)
        self.assertTrue(draw.action_verify())

    def test_tampering_detected(self):
        self._make(4)
        draw = self._new_draw()
        draw.action_prepare()
        draw.witness_number = 4711
        draw.action_draw()
        secret, commitment = draw.secret, draw.secret_hash
        self.env.flush_all()
        for column, value in (("secret", "0" * 64), ("secret_hash", "0" * 64),
                              ("secret", False), ("secret_hash", False)):
            with self.subTest(column=column):
                self.env.cr.execute(
                    f"UPDATE gov_intermediary_draw SET {column} = %s WHERE id = %s",  # noqa: S608
                    [value or None, draw.id],
                )
                draw.invalidate_recordset()
                with self.assertRaisesRegex(UserError, "Verification failed"):
                    draw.action_verify()
                self.env.cr.execute(
                    "UPDATE gov_intermediary_draw SET secret = %s, secret_hash = %s WHERE id = %s",
                    [secret, commitment, draw.id],
                )
                draw.invalidate_recordset()
        self.assertTrue(draw.action_verify())
        # the stored values cannot be rewritten through the ORM, even with
        # the context key of the draw
        admin_draw = draw.with_user(self.user_admin).with_context(gov_drawing=True)
        for vals in ({"secret_hash": "0" * 64}, {"secret": "x"}, {"winner_id": False},
                     {"witness_number": 5}):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                admin_draw.write(vals)
        prepared = self._new_draw()
        prepared.action_prepare()
        with self.assertRaises(UserError):
            prepared.with_user(self.user_admin).with_context(gov_drawing=True).write(
                {"secret_hash": "0" * 64}
            )

    def test_v1_draws_remain_verifiable(self):
        ids = self._make(3).ids
        draw = self._new_draw()
        moment = datetime(2024, 5, 6, 7, 8, 9)
        _seed, index = draw_winner_index(moment, 321, ids, ALGORITHM_V1)
        self.env.cr.execute(
            """UPDATE gov_intermediary_draw
                  SET state = 'drawn', algorithm_version = %s, date_draw = %s,
                      witness_number = 321, candidate_snapshot = %s, winner_id = %s
                WHERE id = %s""",
            [ALGORITHM_V1, moment, ",".join(map(str, ids)), ids[index], draw.id],
        )
        draw.invalidate_recordset()
        self.assertTrue(draw.action_verify())
        other = ids[(index + 1) % len(ids)]
        self.env.cr.execute(
            "UPDATE gov_intermediary_draw SET winner_id = %s WHERE id = %s", [other, draw.id]
        )
        draw.invalidate_recordset()
        with self.assertRaisesRegex(UserError, "Verification failed"):
            draw.action_verify()

    def test_changed_candidates_need_a_new_preparation(self):
        candidates = self._make(4)
        draw = self._new_draw()
        draw.action_prepare()
        first_commitment = draw.secret_hash
        draw.action_prepare()
        self.assertNotEqual(draw.secret_hash, first_commitment)
        draw.witness_number = 17
        self._restrict(candidates[0])
        with self.assertRaisesRegex(UserError, "changed since the preparation"):
            draw.action_draw()


@tagged("post_install", "-at_install")
class TestSecurityDrawWebsite(HttpCase):
    def test_commitment_published_before_the_draw(self):
        env = self.env(context=dict(self.env.context, tracking_disable=True))
        service_type = env["gov.intermediary.service.type"].create(
            {"name": "GscSecDraw Type", "code": "GSCSECDRAW", "min_providers": 1}
        )
        provider = env["gov.intermediary"].create(
            {"name": "GscSecDraw Co", "uscc": make_uscc(9311), "filing_state": "filed",
             "qualification_ids": [(0, 0, {"name": "GSCSD-1", "issuer": "X",
                                           "service_type_id": service_type.id})]}
        )
        draw = env["gov.intermediary.draw"].create(
            {"name": "GscSecDraw Project", "service_type_id": service_type.id,
             "witness_names": "A"}
        )
        draw.action_prepare()
        html = self.url_open("/intermediaries/draws").text
        self.assertIn("GscSecDraw Project", html)
        self.assertIn(draw.secret_hash, html)
        self.assertIn(str(provider.id), html)
        self.assertNotIn(draw.sudo().sealed_secret, html)
        draw.witness_number = 99
        draw.action_draw()
        html = self.url_open("/intermediaries/draws").text
        self.assertIn(draw.secret_hash, html)
        self.assertIn(draw.seed, html)
