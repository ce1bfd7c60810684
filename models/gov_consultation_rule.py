# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class GovConsultationRule(models.Model):
    """Automatic assignment of new consultations and letters.

    The first active rule (by sequence) whose criteria all match a new request
    sets its department and its officer; empty criteria match everything.
    """

    _name = "gov.consultation.rule"
    _description = "Consultation Assignment Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(
        [("consultation", "Online Consultation"), ("mailbox", "Leader Mailbox")],
        help="Leave empty for both.",
    )
    category = fields.Selection(
        [
            ("consultation", "Consultation"),
            ("complaint", "Complaint"),
            ("suggestion", "Suggestion"),
            ("help", "Request for Help"),
        ],
        help="Leave empty for every category.",
    )
    department_id = fields.Many2one(
        "hr.department", string="When Department", index=True,
        help="Requests about this department (or its sub-departments).",
    )
    item_id = fields.Many2one("gov.approval.item", string="When Approval Item", index=True)
    department_target_id = fields.Many2one(
        "hr.department", string="Assign to Department",
        help="Department set on requests that have none.",
    )
    user_id = fields.Many2one(
        "res.users", string="Assign to Officer",
        domain=[("share", "=", False)],
    )

    def _matches(self, request):
        self.ensure_one()
        if self.kind and self.kind != request.kind:
            return False
        if self.category and request.kind == "mailbox" and self.category != request.category:
            return False
        if self.item_id and self.item_id != request.item_id:
            return False
        if self.department_id:
            department = request.department_id or request.item_id.department_id
            ancestors = [int(i) for i in (department.sudo().parent_path or "").split("/") if i]
            if not department or self.department_id.id not in ancestors:
                return False
        return True

    @api.model
    def _match(self, request):
        for rule in self:
            if rule._matches(request):
                return rule
        return self.browse()
