# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class GovQueueTransferWizard(models.TransientModel):
    _name = "gov.queue.transfer.wizard"
    _description = "Transfer a Queue Ticket"

    ticket_id = fields.Many2one("gov.queue.ticket", required=True, ondelete="cascade")
    zone_id = fields.Many2one("gov.hall.zone", string="To Zone", required=True, ondelete="cascade")
    item_id = fields.Many2one("gov.approval.item", string="Approval Item", ondelete="cascade")

    def action_transfer(self):
        self.ensure_one()
        self.ticket_id.action_transfer(self.zone_id, self.item_id or None)
        return {"type": "ir.actions.act_window_close"}
