# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    gov_department_ids = fields.Many2many(
        "hr.department",
        "gov_department_res_users_rel",
        "user_id",
        "department_id",
        string="Service Center Departments",
        help="Departments whose approval items this user may edit as a Department "
        "Officer, in addition to the department of the user's employee.",
    )
    gov_member_department_ids = fields.Many2many(
        "hr.department",
        string="Member of Departments",
        compute="_compute_gov_member_department_ids",
        help="The departments of the user's employees and the service center "
        "departments listed on the user; record rules use them.",
    )

    @api.depends("gov_department_ids", "employee_ids.department_id")
    def _compute_gov_member_department_ids(self):
        for user in self:
            user_sudo = user.sudo()
            user.gov_member_department_ids = (
                user_sudo.employee_ids.department_id | user_sudo.gov_department_ids
            )

    def write(self, vals):
        res = super().write(vals)
        if "gov_department_ids" in vals:
            # record rules depend on these departments
            self.env.registry.clear_cache()
        return res
