# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Query plans of the module's listings: no sequential scan of the tables
that grow without bound, and the index each listing is designed around."""
import json
from contextlib import contextmanager
from datetime import datetime
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import SQL
from odoo.tools.sql import escape_psql

from ..controllers.consultation import ANSWERS_PER_PAGE, SEARCH_COUNT_LIMIT
from ..controllers.main import ITEMS_PER_PAGE
from ..controllers.policy import POLICIES_PER_PAGE
from .common import GovServiceCenterCase
from .inflate import inflate

# tables that reach hundreds of thousands of rows in a center's lifetime
LARGE_TABLES = frozenset({
    "gov_consultation", "gov_service_rating", "hr_attendance",
    "gov_policy_document", "gov_approval_item",
})
LIST_LIMIT = 80  # rows of a backend list page


def plan_nodes(plan):
    """Every node of a JSON plan (EXPLAIN (FORMAT JSON)), depth first."""
    yield plan
    for child in plan.get("Plans", ()):
        yield from plan_nodes(child)


class QueryPlanCase(GovServiceCenterCase):
    """Checks the plans of the SQL the ORM emits for a listing.

    Method, and why: the tests cannot hold a million rows, and at the few
    thousand rows a test can afford a sequential scan is often genuinely the
    cheapest plan, so the planner's own choice at test volume says nothing
    about its choice at production volume (and would flip with statistics
    noise). Instead:

    1. the tables are inflated in SQL (``generate_series``, see
       ``tests/inflate.py``) to a few thousand rows and ANALYZEd, so that
       their statistics have the shape of real data (share of published
       rows, spread of dates, text) rather than the planner's defaults, and
       the pending lists of the trigram (GIN) indexes are merged, as
       autovacuum does (VACUUM itself cannot run in a transaction);
    2. each query is explained with ``SET LOCAL enable_seqscan = off``:
       PostgreSQL then takes an index path whenever one exists, and keeps a
       ``Seq Scan`` only when no index can answer the query;
    3. the plan must not hold a ``Seq Scan`` of a large table and, where a
       listing is designed around an index, must use that index by name
       (with sequential scans disabled, a full scan of some unrelated index
       could otherwise pass for an index path).

    The SQL is the ORM's own: captured from the cursor while running the
    same ``search_count``/``search`` calls (domain, order, limit) as the
    controllers. ``test_dropped_index_is_caught`` drops indexes inside the
    test transaction and expects the assertions to fail.
    """

    VOLUME = 4000
    # the published answers' search: enough rows for the trigram indexes to
    # be cheaper than reading every published answer
    CONSULTATION_VOLUME = 20000

    @contextmanager
    def captured_selects(self, table):
        """Collect the SELECT statements on ``table`` executed in the block
        (mogrified: parameters inlined)."""
        cr = self.env.cr
        execute = cr.execute
        statements = []

        def capture(query, params=None, log_exceptions=True):
            if isinstance(query, SQL):
                query, params = query.code, query.params
            text = cr.mogrify(query, params).decode()
            if text.lstrip().upper().startswith("SELECT") and f'"{table}"' in text:
                statements.append(text)
            return execute(query, params, log_exceptions)

        self.env.flush_all()
        with patch.object(cr, "execute", capture):
            yield statements
        self.assertTrue(statements, f"no SELECT on {table} was captured")

    def explain(self, statement):
        cr = self.env.cr
        cr.execute("SAVEPOINT gsc_explain")
        try:
            cr.execute("SET LOCAL enable_seqscan = off")
            # the statement is complete (parameters inlined): no interpolation
            cr.execute("EXPLAIN (FORMAT JSON) " + statement)
            return cr.fetchone()[0][0]["Plan"]
        finally:
            # also restores enable_seqscan
            cr.execute("ROLLBACK TO SAVEPOINT gsc_explain")

    def assertIndexPlan(self, statement, indexes=()):
        """``statement`` scans no large table sequentially and uses every
        index of ``indexes``."""
        plan = self.explain(statement)
        nodes = list(plan_nodes(plan))
        shown = json.dumps(plan, indent=1)[:4000]
        sequential = sorted({
            node["Relation Name"] for node in nodes
            if node["Node Type"] == "Seq Scan" and node.get("Relation Name") in LARGE_TABLES
        })
        self.assertFalse(
            sequential, f"sequential scan of {sequential} in\n{statement}\n{shown}"
        )
        used = {node.get("Index Name") for node in nodes}
        for index in indexes:
            self.assertIn(index, used, f"index {index} not used by\n{statement}\n{shown}")

    def assertListingPlans(self, model, domain, order, limit, indexes=(), count=True,
                           count_indexes=(), count_limit=None):
        """The count and first-page queries of a listing (what its controller
        runs), checked with :meth:`assertIndexPlan`: the page query must use
        ``indexes``, the count ``count_indexes``."""
        Model = self.env[model].sudo()
        if count:
            with self.captured_selects(Model._table) as statements:
                Model.search_count(domain, limit=count_limit)
            for statement in statements:
                self.assertIndexPlan(statement, count_indexes)
        with self.captured_selects(Model._table) as statements:
            Model.search(domain, order=order, limit=limit)
        for statement in statements:
            self.assertIndexPlan(statement, indexes)


@tagged("post_install", "-at_install")
class TestQueryPlans(QueryPlanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cr = env.cr
        volume = cls.VOLUME
        # one source row per table, created by the ORM, copied in SQL
        consultation = env["gov.consultation"].create({
            "name": "GscPlan how to apply", "question": "GscPlan which documents?",
            "contact_phone": "13812345678", "department_id": cls.dept_a.id,
        })
        employee = env["hr.employee"].create({"name": "GscPlan Clerk", "department_id": cls.dept_a.id})
        env["hr.attendance"].create({
            "employee_id": employee.id,
            "check_in": datetime(2020, 1, 1, 1), "check_out": datetime(2020, 1, 1, 9),
        })
        zone = env["gov.hall.zone"].create({"name": "GscPlan Zone", "code": "GSCPLANZ"})
        window = env["gov.service.window"].create({
            "name": "GscPlan Window", "code": "GSCPLAN-1", "zone_id": zone.id,
            "department_id": cls.dept_a.id, "employee_ids": [(6, 0, employee.ids)],
        })
        env["gov.service.rating"].create(
            {"level": 5, "window_id": window.id, "employee_id": employee.id, "channel": "terminal"}
        )
        env["gov.policy.document"].create({
            "name": "GscPlan policy", "doc_number": "GSCPLAN-0", "issuer": "GscPlan Government",
            "date_issued": "2020-01-01",
        })
        cls._create_item(name="GscPlan item")
        env.flush_all()
        minutes = "g * interval '1 minute'"
        inflate(cr, "gov_consultation", cls.CONSULTATION_VOLUME, {
            "query_code": "'QP' || lpad(g::text, 8, '0')",
            "name": "'GscPlan subject ' || md5(g::text)",
            "question": "md5(g::text) || ' ' || md5((g + 1)::text)",
            "state": "'answered'",
            "answer": "'GscPlan answer'",
            "is_public": "g % 2 = 0",
            "publication_approved": "g % 2 = 0",
            "is_published": "g % 2 = 0",
            "date_submitted": f"s.date_submitted - {minutes}",
            "date_answered": f"s.date_submitted - {minutes} + interval '1 day'",
        }, source_where=f"t.id = {consultation.id}")
        inflate(cr, "hr_attendance", volume, {
            "check_in": "s.check_in - g * interval '1 day'",
            "check_out": "s.check_out - g * interval '1 day'",
        })
        inflate(cr, "gov_service_rating", volume, {
            "name": "'QPR' || g", "ticket_id": "NULL", "date": f"s.date - {minutes}",
        })
        inflate(cr, "gov_policy_document", volume, {
            "name": "'GscPlan policy ' || md5(g::text)", "doc_number": "'QP-' || g",
            "is_published": "g % 2 = 0", "date_issued": "s.date_issued - g",
            "year": "extract(year FROM s.date_issued - g)",
        })
        inflate(cr, "gov_approval_item", volume, {
            "name": """jsonb_build_object('en_US', 'GscPlan item ' || md5(g::text))""",
            "code": "'QP' || g", "national_code": "md5(g::text)",
            "state": "CASE WHEN g % 2 = 0 THEN 'active' ELSE 'draft' END",
            "is_published": "g % 2 = 0",
        })
        # what (auto)vacuum does on a live database, possible in a transaction:
        # merge the pending lists of the GIN (trigram) indexes, which the
        # planner otherwise costs as unsorted heaps
        cr.execute(
            """SELECT gin_clean_pending_list(i.indexrelid)
                 FROM pg_index i
                 JOIN pg_class c ON c.oid = i.indexrelid
                 JOIN pg_am am ON am.oid = c.relam
                WHERE am.amname = 'gin' AND i.indrelid::regclass::text = ANY(%s)""",
            [sorted(LARGE_TABLES)],
        )
        for table in sorted(LARGE_TABLES):
            cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
        env.invalidate_all()

    # ------------------------------------------------------------------
    # Public listings
    # ------------------------------------------------------------------
    def _answers_domain(self, search=""):
        domain = self.env["gov.consultation"]._gov_public_domain()
        if search:
            domain += ["|", ("name", "ilike", search), ("question", "ilike", search)]
        return domain

    def assertAnswersPlans(self):
        self.assertListingPlans(
            "gov.consultation", self._answers_domain(), "date_answered desc, id desc",
            ANSWERS_PER_PAGE, indexes=["gov_consultation_published_answered_idx"],
        )

    def test_consultation_answers(self):
        self.assertAnswersPlans()

    def test_consultation_answers_search(self):
        # the search terms of /consultation/answers are matched through the
        # trigram indexes of the subject and the question
        self.assertListingPlans(
            "gov.consultation", self._answers_domain("c4ca4238a0b9"),
            "date_answered desc, id desc", ANSWERS_PER_PAGE,
            count_indexes=["gov_consultation__name_index", "gov_consultation__question_index"],
            count_limit=SEARCH_COUNT_LIMIT,
        )

    def test_policies(self):
        Document = self.env["gov.policy.document"]
        self.assertListingPlans(
            "gov.policy.document", Document._gov_public_domain(), "date_issued desc, id desc",
            POLICIES_PER_PAGE, indexes=["gov_policy_document_published_date_idx"],
        )
        pattern = f"%{escape_psql('QP-12')}%"
        self.assertListingPlans(
            "gov.policy.document",
            Document._gov_public_domain()
            + ["|", ("name", "=ilike", pattern), ("doc_number", "=ilike", pattern)],
            "date_issued desc, id desc", POLICIES_PER_PAGE,
        )

    def test_service_items(self):
        Item = self.env["gov.approval.item"]
        pattern = f"%{escape_psql('QP12')}%"
        for extra in ([], ["|", "|", ("name", "=ilike", pattern), ("code", "=ilike", pattern),
                           ("national_code", "=ilike", pattern)]):
            with self.subTest(search=bool(extra)):
                self.assertListingPlans(
                    "gov.approval.item", Item._gov_public_domain() + extra,
                    "department_id.id, code, id", ITEMS_PER_PAGE,
                    indexes=[] if extra else ["gov_approval_item_public_idx"],
                )

    def test_service_items_short_keyword(self):
        """A keyword of two characters (no trigram) reads the index of short
        substrings; the catalog's filter counts read their own index."""
        Item = self.env["gov.approval.item"].sudo()
        for keyword in ("QP", "许可"):
            with self.subTest(keyword=keyword):
                for query in (
                    Item._gov_public_query(keyword),
                    Item._gov_public_query(keyword, order="department_id.id, code, id",
                                           limit=ITEMS_PER_PAGE),
                ):
                    select = query.select()
                    statement = self.env.cr.mogrify(select.code, select.params).decode()
                    self.assertIndexPlan(statement, ["gov_approval_item_short_grams_idx"])
        with self.captured_selects("gov_approval_item") as statements:
            Item._read_group(Item._gov_public_domain(), ["department_id", "item_type"], ["__count"])
        for statement in statements:
            self.assertIndexPlan(statement, ["gov_approval_item_public_facets_idx"])

    def test_overview_figures(self):
        """The center overview's figures over the large tables read indexes:
        the overdue questions and bad ratings their partial indexes of the
        open ones."""
        cr = self.env.cr
        for select in self.env["gov.center.overview"]._overview_queries():
            statement = cr.mogrify(select.code, select.params).decode()
            if "'policy_visits'" in statement:
                # the visits of every document: a sum over the policy documents,
                # a table of thousands of rows (not 100,000) in any center
                continue
            with self.subTest(statement=statement[:80]):
                indexes = []
                if "'consultations_overdue'" in statement:
                    indexes = ["gov_consultation_open_deadline_idx"]
                elif "'bad_ratings_overdue'" in statement:
                    indexes = ["gov_service_rating_open_deadline_idx"]
                self.assertIndexPlan(statement, indexes)

    # ------------------------------------------------------------------
    # Backend lists (first page of 80 rows, default order)
    # ------------------------------------------------------------------
    def assertAttendancePlans(self):
        self.assertListingPlans(
            "hr.attendance", [], self.env["hr.attendance"]._order, LIST_LIMIT,
            indexes=["hr_attendance_check_in_desc_idx"], count=False,
        )

    def test_attendance_list(self):
        self.assertAttendancePlans()

    def test_backend_lists(self):
        for model in ("gov.consultation", "gov.service.rating", "gov.policy.document"):
            with self.subTest(model=model):
                self.assertListingPlans(model, [], self.env[model]._order, LIST_LIMIT, count=False)

    # ------------------------------------------------------------------
    # The check itself
    # ------------------------------------------------------------------
    def test_dropped_index_is_caught(self):
        """Without its index, a listing's plan fails the check (the DROP is
        rolled back with the test)."""
        self.env.cr.execute("DROP INDEX hr_attendance_check_in_desc_idx")
        # (a sequential scan, or a full scan of another index and a sort)
        with self.assertRaisesRegex(AssertionError, "hr_attendance"):
            self.assertAttendancePlans()
        self.env.cr.execute("DROP INDEX gov_consultation_published_answered_idx")
        with self.assertRaisesRegex(AssertionError, "gov_consultation_published_answered_idx"):
            self.assertAnswersPlans()


@tagged("post_install", "-at_install")
class TestRatingGroupOrder(GovServiceCenterCase):
    """Whole groupings of ratings by a many2one are ordered after grouping,
    as SQL would order them (by the related records' order)."""

    def test_groups_in_related_order(self):
        env = self.env
        # created last, first by name: id order and name order differ
        first_by_name = env["hr.department"].create({"name": "AAA GscPlan Office", "gov_code": "AAQ"})
        zone = env["gov.hall.zone"].create({"name": "GscPlan Zone", "code": "GSCPLANZ"})
        windows = env["gov.service.window"].create([
            {"name": f"GscPlan Window {department.name}", "code": f"GSCPLAN-{index}",
             "zone_id": zone.id, "department_id": department.id}
            for index, department in enumerate((self.dept_b, first_by_name, self.dept_a))
        ])
        env["gov.service.rating"].create([
            {"level": 1 + index % 5, "window_id": windows[index % 3].id, "channel": "terminal",
             "date": datetime(2026, 1 + index % 4, 10, 3)}
            for index in range(24)
        ])
        Rating = env["gov.service.rating"]
        domain = [("window_id", "in", windows.ids)]
        for groupby, order in (
            (["department_id", "date:month"], "department_id,date:month"),
            (["date:month", "department_id"], "date:month DESC,department_id"),
            (["department_id"], "department_id DESC"),
            (["window_id", "level"], "window_id ASC,level DESC"),
        ):
            with self.subTest(groupby=groupby, order=order):
                whole = Rating._read_group(domain, groupby, ["__count"], order=order)
                # a limit keeps the ordering in SQL: the reference
                in_sql = Rating._read_group(domain, groupby, ["__count"], order=order, limit=1000)
                self.assertEqual(whole, in_sql)
        groups = Rating.read_group(domain, ["level:avg"], ["department_id"], lazy=False)
        self.assertEqual(
            [group["department_id"][0] for group in groups],
            (first_by_name | self.dept_a | self.dept_b).sorted("name").ids,
        )
