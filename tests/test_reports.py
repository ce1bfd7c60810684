# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval, time

CATALOG_REPORT = "gov_service_center.action_report_gov_approval_item_catalog"
REVIEW_REPORT = "gov_service_center.action_report_gov_precondition_review"


class ReportDataMixin:
    @classmethod
    def _setup_report_data(cls):
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        Department = cls.env["hr.department"]
        cls.dept_water = Department.create({"name": "GscRep Water Bureau", "gov_code": "RW"})
        cls.dept_housing = Department.create({"name": "GscRep Housing Bureau", "gov_code": "RH"})
        Item = cls.env["gov.approval.item"]
        cls.item_well = Item.create(
            {
                "name": "GscRep Well Drilling Permit",
                "department_id": cls.dept_water.id,
                "item_type": "licensing",
                "statutory_days": 20,
                "promised_days": 7,
                "fee_required": True,
                "fee_standard": "GscRep 30 yuan",
                "visits_required": 2,
                "state": "active",
            }
        )
        cls.item_dam = Item.create(
            {
                "name": "GscRep Dam Safety Confirmation",
                "department_id": cls.dept_water.id,
                "item_type": "confirmation",
                "statutory_days": 15,
                "promised_days": 0,
                "state": "active",
            }
        )
        cls.item_rent = Item.create(
            {
                "name": "GscRep Rental Subsidy",
                "department_id": cls.dept_housing.id,
                "item_type": "payment",
                "statutory_days": 10,
                "promised_days": 5,
            }
        )
        cls.items = cls.item_well | cls.item_dam | cls.item_rent

        Precondition = cls.env["gov.approval.precondition"]

        def precondition(item, name, **vals):
            return Precondition.create({"item_id": item.id, "name": name, "kind": "other", **vals})

        cls.review = cls.env["gov.precondition.review"].create(
            {
                "name": "GscRep Clean-up 2026",
                "date": "2026-03-01",
                "date_end": "2026-06-30",
                "decision_ref": "GscRep Decision No. 7",
            }
        )
        removed = (
            precondition(
                cls.item_well, "GscRep Hydrology Report", legal_basis="GscRep Water Law 12"
            )
            | precondition(cls.item_well, "GscRep Village Consent")
            | precondition(cls.item_rent, "GscRep Residence Proof")
        )
        removed[0].remove("GscRep Obtained through data sharing", review=cls.review)
        removed[1].remove("GscRep No legal basis", review=cls.review)
        removed[2].remove("GscRep Duplicated by the application form", review=cls.review)
        cls.precondition_kept = precondition(cls.item_dam, "GscRep Structural Inspection Kept")


class TestReports(ReportDataMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_report_data()

    def _render_html(self, report, records):
        html, report_format = self.env["ir.actions.report"]._render_qweb_html(report, records.ids)
        self.assertEqual(report_format, "html")
        return html.decode()

    def test_catalog_report_binding(self):
        report = self.env.ref(CATALOG_REPORT)
        self.assertEqual(report.binding_model_id.model, "gov.approval.item")
        self.assertEqual(report.binding_type, "report")
        filename = safe_eval(report.print_report_name, {"object": self.item_well, "time": time})
        self.assertIn(self.item_well.code, filename)
        self.assertNotIn("/", filename)
        review_report = self.env.ref(REVIEW_REPORT)
        self.assertEqual(review_report.binding_model_id.model, "gov.precondition.review")
        self.assertIn(
            "GscRep Clean-up 2026",
            safe_eval(review_report.print_report_name, {"object": self.review, "time": time}),
        )

    def test_catalog_grouped_by_department(self):
        html = self._render_html(CATALOG_REPORT, self.items)
        for text in (
            "Approval Item Catalog",
            self.dept_water.name,
            self.dept_housing.name,
            self.item_well.name,
            self.item_well.code,
            self.item_dam.name,
            self.item_rent.name,
            "Administrative Licensing",
            "Administrative Payment",
            "GscRep 30 yuan",
            "On the spot",
            "Free",
        ):
            self.assertIn(text, html)
        # each department is one group, alphabetical, its items inside it
        self.assertEqual(html.count("o_gov_report_department_name"), 2)
        housing = html.index(self.dept_housing.name)
        water = html.index(self.dept_water.name)
        self.assertLess(housing, html.index(self.item_rent.name))
        self.assertLess(html.index(self.item_rent.name), water)
        self.assertLess(water, html.index(self.item_well.name))
        self.assertLess(water, html.index(self.item_dam.name))

    def test_catalog_selected_items_only(self):
        html = self._render_html(CATALOG_REPORT, self.item_rent)
        self.assertIn(self.item_rent.name, html)
        self.assertNotIn(self.item_well.name, html)
        self.assertNotIn(self.dept_water.name, html)

    def test_review_summary(self):
        self.assertRecordValues(
            self.review, [{"department_count": 2, "item_count": 2, "removed_count": 3}]
        )
        html = self._render_html(REVIEW_REPORT, self.review)
        for text in (
            "GscRep Clean-up 2026",
            "GscRep Decision No. 7",
            self.dept_water.name,
            self.dept_housing.name,
            self.item_well.name,
            self.item_rent.name,
            "GscRep Hydrology Report",
            "GscRep Water Law 12",
            "GscRep Obtained through data sharing",
            "GscRep No legal basis",
            "GscRep Duplicated by the application form",
        ):
            self.assertIn(text, html)
        self.assertIn('<td class="o_gov_department_count">2</td>', html)
        self.assertIn('<td class="o_gov_item_count">2</td>', html)
        self.assertIn('<td class="o_gov_removed_count">3</td>', html)
        # preconditions still in force are not part of the summary
        self.assertNotIn("GscRep Structural Inspection Kept", html)
        self.assertNotIn(self.item_dam.name, html)
        # grouped by department, then item
        housing = html.index(self.dept_housing.name)
        water = html.index(self.dept_water.name)
        self.assertLess(housing, html.index("GscRep Residence Proof"))
        self.assertLess(html.index("GscRep Residence Proof"), water)
        self.assertLess(water, html.index("GscRep Hydrology Report"))

    def test_review_summary_empty(self):
        review = self.env["gov.precondition.review"].create({"name": "GscRep Empty Campaign"})
        html = self._render_html(REVIEW_REPORT, review)
        self.assertIn("GscRep Empty Campaign", html)
        self.assertIn("No precondition has been removed by this campaign.", html)


@tagged("post_install", "-at_install")
class TestReportsPdf(ReportDataMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_report_data()

    def test_catalog_pdf(self):
        from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin

        try:
            _get_wkhtmltopdf_bin()
        except OSError:
            self.skipTest("wkhtmltopdf is not installed")
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() not in ("ok", "upgrade"):
            self.skipTest("wkhtmltopdf cannot be used")
        pdf, report_format = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(CATALOG_REPORT, self.items.ids)
        )
        self.assertEqual(report_format, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))


@tagged("post_install", "-at_install")
class TestBarcodeImages(HttpCase):
    """The QR code of the rating slip is a PNG served by /report/barcode."""

    def test_rating_slip_qr_code_renders(self):
        response = self.url_open(
            "/report/barcode/?barcode_type=QR&value=https%3A%2F%2Fexample.org%2Fservice-rating"
            "%3Fticket%3Dabc&width=200&height=200"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers.get("Content-Type"), "image/png")
        self.assertTrue(response.content.startswith(b"\x89PNG\r\n\x1a\n"))
