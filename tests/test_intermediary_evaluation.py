# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import IntermediaryCase, make_uscc


@tagged("post_install", "-at_install")
class TestIntermediaryEvaluation(IntermediaryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Evaluation = cls.env["gov.intermediary.evaluation"]
        cls.Score = cls.env["gov.intermediary.year.score"]
        cls.year = 2024

    def _evaluate(self, intermediary, **sources):
        vals_list = []
        for source, values in sources.items():
            for value in values:
                vals = {"intermediary_id": intermediary.id, "year": self.year, "source": source}
                if source == "owner":
                    vals["rating"] = value
                else:
                    vals["score"] = value
                vals_list.append(vals)
        return self.Evaluation.create(vals_list)

    def test_owner_rating_converted(self):
        intermediary = self._make()
        evaluation = self._evaluate(intermediary, owner=[4])
        self.assertEqual(evaluation.score, 80)
        evaluation.rating = 5
        self.assertEqual(evaluation.score, 100)
        with self.assertRaisesRegex(ValidationError, "1 to 5"):
            self._evaluate(intermediary, owner=[6])
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            self._evaluate(intermediary, department=[101])
        with self.assertRaisesRegex(UserError, "never deleted"):
            evaluation.unlink()

    def test_weighted_score_and_grades(self):
        good, average, poor, partial = self._make(4)
        self._evaluate(good, owner=[5, 4], department=[95], center=[90], third_party=[70])
        self._evaluate(average, owner=[4], department=[80], center=[70])
        self._evaluate(poor, owner=[2], department=[50], center=[60])
        self._evaluate(partial, department=[85])
        scores = {score.intermediary_id: score for score in self.Score.compute_year(self.year)}
        # (90 * 50 + 95 * 30 + 90 * 20) / 100
        self.assertAlmostEqual(scores[good].weighted_score, 91.5)
        self.assertEqual(scores[good].grade, "A")
        self.assertEqual(scores[good].third_party_score, 70)
        self.assertAlmostEqual(scores[average].weighted_score, 78.0)
        self.assertEqual(scores[average].grade, "C")
        self.assertEqual(scores[poor].grade, "E")
        # missing sources are left out of the weighting
        self.assertAlmostEqual(scores[partial].weighted_score, 85.0)
        self.assertEqual(scores[partial].grade, "B")
        # configurable thresholds and weights
        self.env["ir.config_parameter"].sudo().set_param("gov_service_center.grade_threshold_b", 75)
        self.env["ir.config_parameter"].sudo().set_param(
            "gov_service_center.evaluation_weight_center", 0
        )
        scores = {score.intermediary_id: score for score in self.Score.compute_year(self.year)}
        self.assertAlmostEqual(scores[average].weighted_score, 80.0)
        self.assertEqual(scores[average].grade, "B")
        self.assertEqual(len(self.Score.search([("year", "=", self.year)])), 4)

    def test_veto(self):
        restricted, revoked, lifted_before = self._make(3)
        for intermediary in (restricted, revoked, lifted_before):
            self._evaluate(intermediary, owner=[5], department=[100], center=[100])
        restriction = self._restrict(
            restricted, date_start=date(2024, 3, 1), date_end=date(2024, 6, 30)
        )
        restriction.action_lift(reason="Period ended")  # lifted, but it ran during 2024
        old = self._restrict(
            lifted_before, date_start=date(2022, 1, 1), date_end=date(2023, 6, 30)
        )
        old.action_lift(reason="Period ended")
        revoked.action_revoke()
        scores = {score.intermediary_id: score for score in self.Score.compute_year(self.year)}
        self.assertEqual(scores[restricted].grade, "E")
        self.assertTrue(scores[restricted].is_vetoed)
        self.assertIn(restriction.decision_ref, scores[restricted].veto_reason)
        self.assertEqual(scores[revoked].grade, "E")
        self.assertEqual(scores[lifted_before].grade, "A")

    def test_publish(self):
        best, complained, restricted_now, middle = self._make(4)
        for intermediary in (best, complained, restricted_now):
            self._evaluate(intermediary, owner=[5], department=[95], center=[95])
        evaluations = self._evaluate(middle, owner=[4], department=[80], center=[80])
        self.env["gov.complaint"].create(
            {
                "name": "Late",
                "description": "Late report",
                "intermediary_id": complained.id,
                "date_received": date(2024, 5, 6),
                "is_upheld": True,
            }
        )
        self._restrict(restricted_now, date_start=date(2025, 2, 1))
        with self.assertRaisesRegex(UserError, "administrators"):
            self.Score.with_user(self.user_officer).publish_year(self.year)
        scores = {
            score.intermediary_id: score
            for score in self.Score.with_user(self.user_admin).publish_year(self.year)
        }
        self.assertEqual(set(scores), {best, complained, restricted_now, middle})
        self.assertTrue(all(score.state == "published" for score in scores.values()))
        self.assertEqual(best.credit_grade, "A")
        self.assertEqual(middle.credit_grade, "B")
        self.assertEqual(scores[best].commendation_state, "proposed")
        self.assertEqual(scores[complained].commendation_state, "none")
        self.assertEqual(scores[restricted_now].commendation_state, "none")
        # frozen
        self.assertTrue(all(evaluations.mapped("is_frozen")))
        with self.assertRaisesRegex(UserError, "frozen"):
            evaluations[0].score = 10
        with self.assertRaisesRegex(UserError, "published"):
            self._evaluate(middle, center=[10])
        with self.assertRaisesRegex(UserError, "frozen"):
            self.Score.compute_year(self.year)
        with self.assertRaisesRegex(UserError, "frozen"):
            scores[best].grade = "E"
        with self.assertRaisesRegex(UserError, "never deleted"):
            scores[best].unlink()
        # only administrators confirm the commendation
        with self.assertRaisesRegex(UserError, "administrators"):
            scores[best].with_user(self.user_officer).action_confirm_commendation()
        scores[best].with_user(self.user_admin).action_confirm_commendation()
        self.assertEqual(scores[best].commendation_state, "confirmed")
        with self.assertRaisesRegex(UserError, "not proposed"):
            scores[middle].with_user(self.user_admin).action_confirm_commendation()

    def test_bad_year(self):
        with self.assertRaisesRegex(UserError, "valid year"):
            self.Score.compute_year(1800)
        with self.assertRaisesRegex(UserError, "no evaluation"):
            self.Score.with_user(self.user_admin).publish_year(2031)

    def test_compute_query_count(self):
        """Computing a year runs the same number of queries for 3 and 30
        intermediaries."""

        def count(intermediaries):
            for intermediary in intermediaries:
                self._evaluate(intermediary, owner=[4], department=[80], center=[90])
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            self.Score.compute_year(self.year)
            self.env.flush_all()
            return self.cr.sql_log_count - before

        self.year = 2021
        count(self._make(1))  # warm the caches
        self.year = 2022
        small = count(self._make(3))
        self.year = 2023
        large = count(self._make(30))
        self.assertEqual(small, large)

    def test_access(self):
        intermediary = self._make()
        evaluation = self._evaluate(intermediary, department=[90])
        for user in (self.user_viewer, self.user_inspector):
            evaluation.with_user(user).read(["score"])
            with self.assertRaises(AccessError):
                evaluation.with_user(user).write({"score": 10})
        evaluation.with_user(self.user_officer).write({"score": 85})
        for user in (self.user_internal, self.user_portal, self.user_public):
            with self.assertRaises(AccessError):
                self.Score.with_user(user).search([])
            if user == self.user_portal:
                # only the published evaluations of their own company
                self.assertFalse(self.Evaluation.with_user(user).search([]))
                with self.assertRaises(AccessError):
                    evaluation.with_user(user).read(["score"])
                continue
            with self.assertRaises(AccessError):
                self.Evaluation.with_user(user).search([])
        with self.assertRaises(AccessError):
            self.Score.with_user(self.user_officer).create(
                {"intermediary_id": intermediary.id, "year": 2024}
            )


@tagged("post_install", "-at_install")
class TestEvaluationImport(IntermediaryCase):
    def _wizard(self, content, filename="results.csv", year=2024):
        import base64

        if isinstance(content, str):
            content = content.encode("utf-8")
        return self.env["gov.intermediary.evaluation.import"].create(
            {
                "year": year,
                "evaluator": "Survey Institute",
                "file": base64.b64encode(content),
                "filename": filename,
            }
        )

    def test_import_csv(self):
        first, second = self._make(2)
        csv_text = f"uscc,score,comment\n{first.uscc},88.5,Good\n{second.uscc.lower()},72,\n"
        action = self._wizard(csv_text).action_import()
        evaluations = self.env["gov.intermediary.evaluation"].search(action["domain"])
        self.assertEqual(len(evaluations), 2)
        self.assertEqual(set(evaluations.mapped("source")), {"third_party"})
        by_provider = {evaluation.intermediary_id: evaluation for evaluation in evaluations}
        self.assertEqual(by_provider[first].score, 88.5)
        self.assertEqual(by_provider[first].comment, "Good")
        self.assertEqual(by_provider[second].year, 2024)

    def test_import_xlsx(self):
        import io

        import openpyxl

        first = self._make()
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(["统一社会信用代码", "得分"])
        sheet.append([first.uscc, 91])
        buffer = io.BytesIO()
        workbook.save(buffer)
        self._wizard(buffer.getvalue(), filename="results.xlsx").action_import()
        evaluation = self.env["gov.intermediary.evaluation"].search(
            [("intermediary_id", "=", first.id)]
        )
        self.assertEqual(evaluation.score, 91)

    def test_bad_rows_import_nothing(self):
        first = self._make()
        Evaluation = self.env["gov.intermediary.evaluation"]
        before = Evaluation.search_count([])
        csv_text = (
            f"uscc,score\n{first.uscc},80\n91511400MA0000001X,70\n{first.uscc},abc\n"
            f"{first.uscc},101\n"
        )
        wizard = self._wizard(csv_text)
        action = wizard.action_import()
        self.assertEqual(action["res_model"], "gov.intermediary.evaluation.import")
        self.assertIn("Row 3", wizard.report)
        self.assertIn("Row 4", wizard.report)
        self.assertIn("Row 5", wizard.report)
        self.assertNotIn("Row 2:", wizard.report)
        self.assertEqual(Evaluation.search_count([]), before)

    def test_bad_files(self):
        for content, filename in (
            (b"", "empty.csv"),
            (b"name,value\nx,1\n", "wrong.csv"),
            (b"\x00\x01\x02", "binary.csv"),
            (b"PK\x03\x04garbage", "broken.xlsx"),
            (b"uscc,score\n", "results.txt"),
        ):
            with self.subTest(filename=filename), self.assertRaises(UserError):
                self._wizard(content, filename=filename).action_import()


@tagged("post_install", "-at_install")
class TestResultsBulletin(IntermediaryCase):
    def test_bulletin_html(self):
        first, second = self._make(2)
        self.env["gov.intermediary.evaluation"].create(
            [
                {"intermediary_id": first.id, "year": 2024, "source": "owner", "rating": 5},
                {"intermediary_id": second.id, "year": 2024, "source": "department", "score": 55},
            ]
        )
        scores = self.env["gov.intermediary.year.score"].publish_year(2024)
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            "gov_service_center.action_report_gov_intermediary_results", scores.ids
        )
        html = html.decode()
        self.assertIn(first.name, html)
        self.assertIn(second.uscc, html)
        self.assertIn("o_gov_report_results_table", html)


@tagged("post_install", "-at_install")
class TestResultsBulletinPdf(HttpCase):
    def test_bulletin_pdf(self):
        env = self.env(context=dict(self.env.context, tracking_disable=True))
        intermediary = env["gov.intermediary"].create(
            {"name": "GscPdf Co", "uscc": make_uscc(9501), "filing_state": "filed"}
        )
        env["gov.intermediary.evaluation"].create(
            {"intermediary_id": intermediary.id, "year": 2024, "source": "center", "score": 88}
        )
        scores = env["gov.intermediary.year.score"].publish_year(2024)
        pdf, report_format = (
            env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("gov_service_center.action_report_gov_intermediary_results", scores.ids)
        )
        self.assertEqual(report_format, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
