# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Rendering of the notices of a case (办件文书): each report prints only the
cases that have the notice, for a user who may read them."""
from odoo import api, models


class GovCaseNoticeReport(models.AbstractModel):
    _name = "gov.case.notice.report"
    _description = "Case Notice Report"

    _gov_notice_kind = None

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["gov.case"].browse(docids)._gov_check_notice(self._gov_notice_kind)
        return {"doc_ids": docs.ids, "doc_model": "gov.case", "docs": docs}


class GovCaseAcceptanceReport(models.AbstractModel):
    _name = "report.gov_service_center.report_gov_case_acceptance"
    _inherit = "gov.case.notice.report"
    _description = "Case Acceptance Notice"
    _gov_notice_kind = "acceptance"


class GovCaseSupplementReport(models.AbstractModel):
    _name = "report.gov_service_center.report_gov_case_supplement"
    _inherit = "gov.case.notice.report"
    _description = "Case Supplement Notice"
    _gov_notice_kind = "supplement"


class GovCaseRejectionReport(models.AbstractModel):
    _name = "report.gov_service_center.report_gov_case_rejection"
    _inherit = "gov.case.notice.report"
    _description = "Case Rejection Notice"
    _gov_notice_kind = "rejection"


class GovCaseDecisionReport(models.AbstractModel):
    _name = "report.gov_service_center.report_gov_case_decision"
    _inherit = "gov.case.notice.report"
    _description = "Case Licensing Decision"
    _gov_notice_kind = "decision"


class GovCaseDeliveryReport(models.AbstractModel):
    _name = "report.gov_service_center.report_gov_case_delivery"
    _inherit = "gov.case.notice.report"
    _description = "Case Delivery Receipt"
    _gov_notice_kind = "delivery"
