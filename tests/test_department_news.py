# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import GovServiceCenterCase


@tagged("post_install", "-at_install")
class TestDepartmentNewsAccess(GovServiceCenterCase):
    def test_officers_write_department_news_only(self):
        news = self.env.ref("gov_service_center.blog_department_news")
        other_blog = self.env["blog.blog"].create({"name": "GscNews Other Blog"})
        Post = self.env["blog.post"]
        post = Post.with_user(self.user_officer).create({"name": "GscNews post", "blog_id": news.id})
        post.with_user(self.user_officer).name = "GscNews post edited"
        other_post = Post.create({"name": "GscNews other", "blog_id": other_blog.id})
        with self.assertRaises(AccessError):
            other_post.with_user(self.user_officer).name = "not news"
        with self.assertRaises(AccessError):
            Post.with_user(self.user_officer).create({"name": "x", "blog_id": other_blog.id})
        for user in (self.user_viewer, self.user_inspector, self.user_internal):
            with self.assertRaises(AccessError):
                post.with_user(user).name = "x"


@tagged("post_install", "-at_install")
class TestDepartmentNewsWebsite(HttpCase):
    def test_published_posts_only(self):
        news = self.env.ref("gov_service_center.blog_department_news")
        Post = self.env["blog.post"]
        Post.create({"name": "GscNews Published", "blog_id": news.id, "is_published": True,
                     "post_date": "2020-01-01 00:00:00"})
        Post.create({"name": "GscNews Draft", "blog_id": news.id, "is_published": False})
        slug = self.env["ir.http"]._slug(news)
        response = self.url_open(f"/blog/{slug}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("GscNews Published", response.text)
        self.assertNotIn("GscNews Draft", response.text)
        # the menu's address carries no record id, so the header menu stays cached
        menu = self.env.ref("gov_service_center.website_menu_department_news")
        self.assertEqual(menu.url, "/news")
        self.assertFalse(self.env["website"].get_current_website().is_menu_cache_disabled())
        response = self.url_open("/news")
        self.assertEqual(response.status_code, 200)
        self.assertIn("GscNews Published", response.text)
        self.assertNotIn("GscNews Draft", response.text)
