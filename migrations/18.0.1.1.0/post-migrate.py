# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The staff of a window is now the employees whose window it is: carry the
former staff lists (many2many table) into the employees' window."""
from odoo.addons.gov_service_center.models.gov_service_window import migrate_legacy_staff_links


def migrate(cr, version):
    if version:
        migrate_legacy_staff_links(cr)
