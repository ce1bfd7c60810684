# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The 部门动态 menu entry points to /news instead of /blog/<id> (an id in a
menu address turns off the header menu cache of every page)."""
from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    cr.execute(SQL(
        """
        UPDATE website_menu m
           SET url = '/news'
          FROM ir_model_data d
         WHERE d.module = 'gov_service_center' AND d.name = 'blog_department_news'
           AND m.url IN ('/blog/' || d.res_id, '/blog/department-news-' || d.res_id)
        """
    ))
