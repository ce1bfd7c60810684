# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re
from ast import literal_eval
from collections import Counter

from lxml import etree

from odoo import fields
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import DisciplineCase, GovServiceCenterCase

MODULE = "gov_service_center"
RECORD_FIELD = re.compile(r"\brecord\.(\w+)")
# A list gives a date column 80 px by default: too narrow for the zh_CN
# format (2026年01月15日). Date columns are given room for it, datetime
# columns too, with the time shown to the minute.
DATE_WIDTH = 125
DATETIME_WIDTH = 175
# the window console's list keeps the layout of the console
LISTS_LAID_OUT_ELSEWHERE = {f"{MODULE}.gov_queue_ticket_view_list"}


def _module_views(env, view_type):
    """Primary views of ``view_type`` declared by the module (with the
    extensions of every module applied)."""
    view_ids = env["ir.model.data"].search(
        [("module", "=", MODULE), ("model", "=", "ir.ui.view")]
    ).mapped("res_id")
    views = env["ir.ui.view"].browse(view_ids).exists()
    views = views.filtered(lambda view: view.type == view_type)
    # an extension is checked through the view it extends
    return (views.filtered(lambda view: view.mode == "primary") | views.inherit_id.filtered(
        lambda view: view.type == view_type and view.mode == "primary"
    ))


@tagged("post_install", "-at_install")
class TestBackofficeViews(GovServiceCenterCase):
    def test_kanban_templates_read_declared_fields(self):
        """A kanban template reads ``record.<field>`` only for fields declared
        in the view: any other one is undefined in the web client and the
        view crashes on open."""
        views = _module_views(self.env, "kanban")
        self.assertIn(self.env.ref(f"{MODULE}.gov_approval_item_view_kanban"), views)
        problems = []
        for view in views:
            arch = view._get_combined_arch()
            Model = self.env[view.model]
            for kanban in arch.iter("kanban"):
                declared = {node.get("name") for node in kanban.iter("field")}
                used = set()
                for templates in kanban.iter("templates"):
                    for node in templates.iter():
                        texts = [*node.attrib.values(), node.text or ""]
                        for text in texts:
                            used.update(RECORD_FIELD.findall(text))
                used.discard("id")  # always given by the web client
                for name in sorted(used - declared):
                    problems.append(f"{view.xml_id or view.name}: record.{name} is not declared")
                for name in sorted(declared):
                    if name not in Model._fields:
                        problems.append(f"{view.xml_id or view.name}: {name} is not a field")
        self.assertFalse(problems, "\n".join(problems))


    def _date_columns(self, node, model, in_list=False):
        """Yield the ``(field, node)`` of the date and datetime columns of
        the lists in ``node``, embedded lists included."""
        for child in node:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "field":
                field = model._fields.get(child.get("name")) if model is not None else None
                if in_list and field is not None and field.type in ("date", "datetime"):
                    yield field, child
                comodel = field.comodel_name if field is not None and field.relational else None
                yield from self._date_columns(child, comodel and self.env[comodel], False)
            else:
                yield from self._date_columns(
                    child, model, child.tag == "list" or (in_list and child.tag != "form")
                )

    def test_list_date_columns_fit_the_chinese_format(self):
        """The date columns of the lists of the module's views (its own views
        and what its extensions add to other views)."""
        view_ids = self.env["ir.model.data"].search(
            [("module", "=", MODULE), ("model", "=", "ir.ui.view")]
        ).mapped("res_id")
        views = self.env["ir.ui.view"].browse(view_ids).exists().filtered(
            lambda view: view.type in ("list", "form")
        )
        problems = []
        checked = 0
        for view in views:
            if view.xml_id in LISTS_LAID_OUT_ELSEWHERE:
                continue
            arch = etree.fromstring(view.arch)
            for field, node in self._date_columns([arch], self.env[view.model], view.type == "list"):
                if node.get("column_invisible") in ("1", "True"):
                    continue
                checked += 1
                label = f"{view.xml_id}: {field.name}"
                width = int(node.get("width", "0px").removesuffix("px") or 0)
                if field.type == "date" and width < DATE_WIDTH:
                    problems.append(f"{label}: width {width} px < {DATE_WIDTH} px")
                if field.type == "datetime":
                    if width < DATETIME_WIDTH:
                        problems.append(f"{label}: width {width} px < {DATETIME_WIDTH} px")
                    options = safe_eval(node.get("options") or "{}")
                    if options.get("show_seconds", True):
                        problems.append(f"{label}: shows the seconds")
        self.assertGreater(checked, 40)
        self.assertFalse(problems, "\n".join(problems))


@tagged("post_install", "-at_install")
class TestBackofficeMenus(GovServiceCenterCase):
    """One app whose top menus follow the center's lines of work."""

    TOP_MENUS = [
        "Overview",
        "Approval Items",
        "Cases",
        "Intermediary Services",
        "Window Management",
        "Citizen Services",
        "Supervision",
        "Reporting",
        "Configuration",
    ]

    def _visible_tree(self, user, lang="en_US"):
        """``{path: menu}`` of the app's menus ``user`` sees, each path a tuple
        of names from the app's top menu down."""
        Menu = self.env["ir.ui.menu"].with_user(user).with_context(lang=lang)
        self.env.registry.clear_cache()
        visible = Menu._visible_menu_ids()
        root = self.env.ref(f"{MODULE}.menu_gov_root")
        tree = {}

        def walk(menu, path):
            children = menu.with_context(**{"ir.ui.menu.full_list": True}).child_id
            for child in children.sorted("sequence"):
                if child.id in visible:
                    child_path = (*path, child.with_context(lang=lang).name)
                    tree[child_path] = child
                    walk(child, child_path)

        if root.id in visible:
            walk(root.with_context(lang=lang), ())
        return tree

    def test_top_menus(self):
        tree = self._visible_tree(self.user_admin)
        top = [path[0] for path in tree if len(path) == 1]
        self.assertEqual(top, self.TOP_MENUS)
        # menus of the module outside the app: none
        menu_ids = self.env["ir.model.data"].search(
            [("module", "=", MODULE), ("model", "=", "ir.ui.menu")]
        ).mapped("res_id")
        menus = self.env["ir.ui.menu"].with_context(**{"ir.ui.menu.full_list": True}).browse(menu_ids)
        root = self.env.ref(f"{MODULE}.menu_gov_root")
        self.assertEqual(menus.filtered(lambda menu: not menu.parent_id), root)

    def test_no_duplicate_names_no_single_entry_section(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms([MODULE], ["zh_CN"], overwrite=True)
        for lang in ("en_US", "zh_CN"):
            tree = self._visible_tree(self.user_admin, lang)
            names = Counter(path[-1] for path in tree)
            self.assertFalse(
                [name for name, count in names.items() if count > 1],
                f"menus with the same name in {lang}",
            )
        tree = self._visible_tree(self.user_admin)
        for path, menu in tree.items():
            if not menu.action:
                entries = [other for other in tree if other[:-1] == path]
                self.assertGreater(len(entries), 1, f"{path} holds {len(entries)} entry")

    def test_menus_by_group(self):
        staff_entries = {
            ("Window Management", "Windows and Queue", "Window Console"),
            ("Window Management", "Attendance", "Daily Results"),
            ("Window Management", "Attendance", "Punches"),
            ("Window Management", "Discipline and Points", "Discipline Inspections"),
            ("Window Management", "Discipline and Points", "Monthly Points"),
            ("Window Management", "Discipline and Points", "Service Stars"),
            # the supervision alerts they answer for
            ("Supervision", "Alerts"),
        }

        def entries(user):
            return {path for path, menu in self._visible_tree(user).items() if menu.action}

        # window staff: plain internal users see the menus of their own work
        self.assertEqual(entries(self.user_internal), staff_entries)
        viewer = entries(self.user_viewer)
        self.assertLess(staff_entries, viewer)
        self.assertEqual(
            {path[0] for path in viewer},
            set(self.TOP_MENUS) - {"Configuration", "Cases"},
        )
        self.assertFalse({path for path in viewer if "Window Staff" in path})
        officer = entries(self.user_officer)
        self.assertIn(("Window Management", "Windows and Queue", "Window Staff"), officer)
        self.assertFalse({path for path in officer if path[0] == "Configuration"})
        admin = entries(self.user_admin)
        self.assertLess(officer, admin)
        self.assertIn(("Configuration", "Stationed Departments"), admin)
        self.assertIn(
            ("Citizen Services", "Consultations and Complaints", "Complaints"), admin
        )
        self.assertIn(("Citizen Services", "Service Ratings"), admin)

    def test_cases_section(self):
        """The cases section sits right after the catalog and shows once it
        holds an entry."""
        cases = self.env.ref(f"{MODULE}.menu_gov_cases_root")
        approval = self.env.ref(f"{MODULE}.menu_gov_approval")
        root = self.env.ref(f"{MODULE}.menu_gov_root")
        self.assertEqual(cases.parent_id, root)
        following = root.with_context(**{"ir.ui.menu.full_list": True}).child_id.filtered(
            lambda menu: menu.sequence > approval.sequence
        ).sorted("sequence")
        self.assertEqual(following[:1], cases)
        admin = self._visible_tree(self.user_admin)
        self.assertIn(("Cases", "All Cases"), admin)
        self.assertIn(("Reporting", "Case Statistics"), admin)
        # cases hold personal data: viewers and window staff do not see them
        for user in (self.user_viewer, self.user_internal):
            self.assertFalse([path for path in self._visible_tree(user) if "Cases" in path[:1]])


@tagged("post_install", "-at_install")
class TestOverviewTargets(DisciplineCase):
    """Each tile of the overview opens the records its figure counts."""

    def test_every_figure_opens_its_records(self):
        today = fields.Date.today()
        for index, promised_days in enumerate((10, 0)):
            item = self._create_item(name=f"Item {index}", promised_days=promised_days)
            item.apply_decision("added", f"DEC-{index}", today)
        self._create_item(name="Draft item")
        self._inspection(self.staff[0], day=today)
        self.env.flush_all()
        Overview = self.env["gov.center.overview"]
        targets = Overview._overview_targets()
        metrics = dict(Overview._fields["metric"].selection)
        self.assertEqual(set(targets), set(metrics))
        rows = Overview.search([])
        self.assertTrue(rows)
        for row in rows:
            action = row.action_open_records()
            xmlid, domain, kind = targets[row.metric]
            self.assertEqual(action["domain"], domain)
            self.assertEqual(action["name"], metrics[row.metric])
            Model = self.env[action["res_model"]]
            count = Model.search_count(domain)  # the domain is valid
            if kind == "count":
                self.assertEqual(count, row.value, f"{row.metric}: records vs figure")
        self.assertTrue(any(row.value for row in rows if targets[row.metric][2] == "count"))
        # the tiles call the action
        kanban = self.env.ref(f"{MODULE}.gov_center_overview_view_kanban")._get_combined_arch()
        self.assertEqual(kanban.get("action"), "action_open_records")
        self.assertEqual(kanban.get("type"), "object")

    def test_graphs_compare_one_kind(self):
        targets = self.env["gov.center.overview"]._overview_targets()
        not_counts = {metric for metric, (_x, _d, kind) in targets.items() if kind != "count"}
        compare = self.env.ref(f"{MODULE}.gov_center_overview_action_compare")
        self.assertEqual(
            set(self.env["gov.center.overview"].search(literal_eval(compare.domain)).mapped("metric")),
            set(targets) - not_counts,
        )
        overview = self.env.ref(f"{MODULE}.gov_center_overview_action")
        self.assertNotIn("graph", overview.view_mode)
        self.assertNotIn("pivot", overview.view_mode)
