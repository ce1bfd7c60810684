# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.sql import create_index, escape_psql, index_exists

from .gov_center_lang import in_reader_lang
from .gov_center_time import center_today
from .gov_settings import get_setting

ITEM_TYPE_SELECTION = [
    ("licensing", "Administrative Licensing"),
    ("public_service", "Public Service"),
    ("confirmation", "Administrative Confirmation"),
    ("payment", "Administrative Payment"),
    ("other", "Other"),
]

# Two-letter type codes used in generated item codes (GB/T 39554.1 style).
ITEM_TYPE_CODES = {
    "licensing": "XK",
    "public_service": "GG",
    "confirmation": "QR",
    "payment": "JF",
    "other": "QT",
}

# The catalog's keyword search matches the item's name (every language), code
# and national code. Keywords of three characters and more are served by the
# trigram indexes of those columns; a keyword of one or two characters (许可,
# 证) holds no trigram, so the public items also carry, in an index, the set of
# their one- and two-character substrings (lower case), which such a keyword
# must belong to.
SHORT_KEYWORD_LENGTH = 2
SHORT_GRAMS_FUNCTION = SQL("""
    CREATE OR REPLACE FUNCTION gov_short_grams(text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT ARRAY(
            SELECT DISTINCT substr(lower($1), i, n)
              FROM generate_series(1, char_length($1)) AS i, (VALUES (1), (2)) AS size(n)
             WHERE i + n - 1 <= char_length($1)
        )
    $$
""")


def short_grams_expression(alias=None):
    """The indexed set of an item's short substrings, of the table's own
    columns or of those of ``alias``."""
    column = (lambda name: SQL.identifier(alias, name)) if alias else SQL.identifier
    return SQL(
        "gov_short_grams(jsonb_path_query_array(%s, '$.*')::text"
        " || ' ' || coalesce(%s, '') || ' ' || coalesce(%s, ''))",
        column("name"), column("code"), column("national_code"),
    )


PUBLIC_WHERE = "state = 'active' AND is_published"

STATE_SELECTION = [
    ("draft", "Draft"),
    ("active", "Active"),
    ("suspended", "Suspended"),
    ("cancelled", "Cancelled"),
    ("delegated", "Delegated"),
]

DELEGATED_LEVEL_SELECTION = [
    ("county", "County / District"),
    ("township", "Township / Street"),
    ("development_zone", "Development Zone"),
    ("other", "Other"),
]

CODE_PATTERN_FIELDS = {"division", "dept", "type", "seq", "year"}



class GovApprovalItem(models.Model):
    _name = "gov.approval.item"
    _description = "Approval Item"
    _inherit = [
        "mail.thread", "mail.activity.mixin", "website.published.mixin", "gov.register.mixin"
    ]
    _order = "department_id, code, id"
    _rec_names_search = ["name", "code", "national_code"]

    name = fields.Char(required=True, translate=True, tracking=True, index="trigram")
    code = fields.Char(
        string="Item Code",
        required=True,
        copy=False,
        readonly=True,
        index="trigram",  # searched with ilike; code_unique indexes equality
        default="/",
        tracking=True,
        help="Local item code, generated from the configured pattern when the item "
        "is created.",
    )
    national_code = fields.Char(
        string="National Code",
        index="trigram",  # the catalog searches it with ilike
        copy=False,
        tracking=True,
        help="Basic or implementation code of the national catalog (GB/T 39554.1).",
    )
    item_type = fields.Selection(
        ITEM_TYPE_SELECTION, required=True, default="licensing", tracking=True, index=True
    )
    department_id = fields.Many2one(
        "hr.department",
        string="Implementing Department",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
    )
    legal_basis = fields.Text(tracking=True)
    acceptance_conditions = fields.Text()
    material_ids = fields.One2many(
        "gov.approval.material", "item_id", string="Required Materials", copy=True
    )
    material_count = fields.Integer(compute="_compute_material_count")
    statutory_days = fields.Integer(
        string="Statutory Time Limit (working days)", tracking=True, default=20
    )
    promised_days = fields.Integer(
        string="Promised Time Limit (working days)",
        tracking=True,
        default=10,
        help="0 means the item is handled on the spot.",
    )
    is_on_the_spot = fields.Boolean(
        string="On-the-spot Item", compute="_compute_is_on_the_spot", store=True, index=True
    )
    fee_required = fields.Boolean(string="Fee Charged", tracking=True)
    fee_basis = fields.Text(string="Fee Basis")
    fee_standard = fields.Text(string="Fee Standard")
    visits_required = fields.Integer(string="Visits Required", default=1)
    service_location = fields.Char(string="Where to Apply")
    service_hours = fields.Char(string="Office Hours")
    consultation_phone = fields.Char()
    complaint_phone = fields.Char(string="Supervision Phone")
    online_available = fields.Boolean(string="Online Application")
    online_url = fields.Char(string="Online Application Link")
    is_joint_handling = fields.Boolean(
        string="Joint Handling",
        help="Handled jointly by several departments (统一/联合办理): the statutory limit may "
        "reach 45 working days and the extension 15 (Administrative Licensing Law, Art. 42).",
        tracking=True,
    )
    step_ids = fields.One2many(
        "gov.approval.step", "item_id", string="Process Steps", copy=True
    )
    counted_step_days = fields.Integer(
        string="Counted Step Days", compute="_compute_step_days", store=True
    )
    excluded_step_days = fields.Integer(
        string="Excluded Step Days",
        compute="_compute_step_days",
        store=True,
        help="Steps such as hearings, expert reviews or inspections do not count "
        "toward the time limit (Administrative Licensing Law, Art. 45).",
    )
    state = fields.Selection(
        STATE_SELECTION,
        required=True,
        default="draft",
        tracking=True,
        index=True,
        copy=False,
    )
    delegated_level = fields.Selection(
        DELEGATED_LEVEL_SELECTION, string="Delegated To Level", tracking=True, copy=False
    )
    delegated_to = fields.Char(string="Delegated To", tracking=True, copy=False)
    merged_into_id = fields.Many2one(
        "gov.approval.item", string="Merged Into", copy=False, tracking=True, index="btree_not_null"
    )
    precondition_ids = fields.One2many(
        "gov.approval.precondition", "item_id", string="Preconditions"
    )
    active_precondition_count = fields.Integer(
        string="Preconditions in Force", compute="_compute_precondition_counts"
    )
    removed_precondition_count = fields.Integer(
        string="Removed Preconditions", compute="_compute_precondition_counts"
    )
    change_ids = fields.One2many(
        "gov.approval.item.change", "item_id", string="Decisions", readonly=True
    )
    change_count = fields.Integer(compute="_compute_change_count")
    color = fields.Integer()
    is_my_department = fields.Boolean(
        string="In My Departments",
        compute="_compute_is_my_department",
        search="_search_is_my_department",
    )

    _sql_constraints = [
        ("code_unique", "unique(code)", "The item code must be unique."),
    ]

    def init(self):
        super().init()
        # the public catalog (_gov_public_domain) in its order: its pages, its
        # count and its counts per department read this index only
        create_index(
            self.env.cr, "gov_approval_item_public_idx", self._table,
            ["department_id", "code", "id"], where=PUBLIC_WHERE,
        )
        # the catalog's filters: its public items counted by department and
        # type on every page, from this index only
        create_index(
            self.env.cr, "gov_approval_item_public_facets_idx", self._table,
            ["department_id", "item_type"], where=PUBLIC_WHERE,
        )
        # the catalog's one- and two-character keywords (_gov_public_query)
        self.env.cr.execute(SHORT_GRAMS_FUNCTION)
        if not index_exists(self.env.cr, "gov_approval_item_short_grams_idx"):
            self.env.cr.execute(SQL(
                "CREATE INDEX gov_approval_item_short_grams_idx ON %s USING gin (%s) WHERE %s",
                SQL.identifier(self._table), short_grams_expression(), SQL(PUBLIC_WHERE),
            ))

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("promised_days")
    def _compute_is_on_the_spot(self):
        for item in self:
            item.is_on_the_spot = item.promised_days == 0

    @api.depends("step_ids.duration_days", "step_ids.counts_toward_limit")
    def _compute_step_days(self):
        for item in self:
            counted = excluded = 0
            for step in item.step_ids:
                if step.counts_toward_limit:
                    counted += step.duration_days
                else:
                    excluded += step.duration_days
            item.counted_step_days = counted
            item.excluded_step_days = excluded

    @api.depends("material_ids")
    def _compute_material_count(self):
        for item in self:
            item.material_count = len(item.material_ids)

    @api.depends("precondition_ids.state")
    def _compute_precondition_counts(self):
        groups = self.env["gov.approval.precondition"]._read_group(
            [("item_id", "in", self.ids)],
            groupby=["item_id", "state"],
            aggregates=["__count"],
        )
        counts = {(item.id, state): count for item, state, count in groups}
        for item in self:
            item.active_precondition_count = counts.get((item.id, "active"), 0)
            item.removed_precondition_count = counts.get((item.id, "removed"), 0)

    @api.depends("change_ids")
    def _compute_change_count(self):
        counts = dict(
            self.env["gov.approval.item.change"]._read_group(
                [("item_id", "in", self.ids)], groupby=["item_id"], aggregates=["__count"]
            )
        )
        for item in self:
            item.change_count = counts.get(item, 0)

    def _compute_is_my_department(self):
        departments = self.env.user.gov_member_department_ids
        for item in self:
            item.is_my_department = bool(
                departments and item.department_id.parent_path
                and any(
                    str(dep.id) in item.department_id.parent_path.split("/") for dep in departments
                )
            )

    def _search_is_my_department(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on 'In My Departments'."))
        domain = [("department_id", "child_of", self.env.user.gov_member_department_ids.ids)]
        positive = (operator == "=") == value
        return domain if positive else ["!"] + domain

    def _compute_website_url(self):
        super()._compute_website_url()
        for item in self:
            if item.id:
                item.website_url = f"/service-items/{self.env['ir.http']._slug(item)}"

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("statutory_days", "promised_days", "visits_required")
    def _check_time_limits(self):
        for item in self:
            if item.statutory_days < 0 or item.promised_days < 0:
                raise ValidationError(self.env._("Time limits cannot be negative."))
            if item.visits_required < 0:
                raise ValidationError(self.env._("The number of visits cannot be negative."))
            if item.promised_days > item.statutory_days:
                raise ValidationError(
                    self.env._(
                        "The promised time limit (%(promised)s working days) of %(item)s "
                        "cannot exceed its statutory time limit (%(statutory)s working days).",
                        promised=item.promised_days,
                        statutory=item.statutory_days,
                        item=item.display_name,
                    )
                )

    @api.constrains("counted_step_days", "statutory_days")
    def _check_step_days(self):
        for item in self:
            if item.step_ids and item.counted_step_days > item.statutory_days:
                raise ValidationError(
                    self.env._(
                        "The steps of %(item)s that count toward the time limit take "
                        "%(days)s working days, more than the statutory time limit of "
                        "%(statutory)s working days.",
                        item=item.display_name,
                        days=item.counted_step_days,
                        statutory=item.statutory_days,
                    )
                )

    @api.constrains("is_published", "state")
    def _check_published_active(self):
        for item in self:
            if item.is_published and item.state != "active":
                raise ValidationError(
                    self.env._(
                        "Only active items can be published on the website (%(item)s).",
                        item=item.display_name,
                    )
                )

    @api.constrains("merged_into_id")
    def _check_merged_into(self):
        for item in self:
            if item.merged_into_id == item:
                raise ValidationError(self.env._("An item cannot be merged into itself."))

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model
    def _get_code_pattern(self):
        return get_setting(self.env, "item_code_pattern")

    @api.model
    def _check_code_pattern(self, pattern):
        """Raise a ValidationError when ``pattern`` is not a usable code pattern."""
        names = set(re.findall(r"{(\w*)}", pattern or ""))
        unknown = names - CODE_PATTERN_FIELDS
        if not pattern or "seq" not in names or unknown:
            raise ValidationError(
                self.env._(
                    "The item code pattern %(pattern)s is invalid: it must contain {seq} "
                    "and may only use {division}, {dept}, {type}, {year} and {seq}.",
                    pattern=pattern,
                )
            )

    @api.model
    def _generate_code(self, vals):
        pattern = self._get_code_pattern()
        self._check_code_pattern(pattern)
        department = self.env["hr.department"].browse(vals.get("department_id")).sudo()
        division = get_setting(self.env, "division_code")
        seq = self.env["ir.sequence"].sudo().next_by_code("gov.approval.item")
        return pattern.format(
            division=division,
            dept=department.gov_code or "",
            type=ITEM_TYPE_CODES.get(vals.get("item_type") or "licensing", "QT"),
            year=center_today(self.env).year,
            seq=seq,
        )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("code") or vals["code"] == "/":
                vals["code"] = self._generate_code(vals)
            if vals.get("state", "draft") not in ("draft", "active") and not self._gov_register_bypassed():
                raise UserError(
                    self.env._(
                        "A new approval item starts as a draft or as an active item of an "
                        "existing catalog; other states need a decision."
                    )
                )
        return super().create(vals_list)

    def write(self, vals):
        # the state changes only through a decision (register bypass)
        if "state" in vals and not self._gov_register_bypassed():
            if any(item.state != vals["state"] for item in self):
                raise UserError(
                    self.env._(
                        "The state of an approval item changes only through a decision: "
                        "use the decision buttons and give the decision number and date."
                    )
                )
        if "code" in vals and any(item.code != vals["code"] for item in self):
            if not vals["code"] or vals["code"] == "/":
                raise ValidationError(self.env._("The item code cannot be empty."))
        return super().write(vals)

    def _gov_register_deletable(self):
        return self.filtered(lambda item: item.state == "draft" and not item.change_ids)

    def _gov_unlink_message(self):
        kept = (self - self._gov_register_deletable())[:1]
        return self.env._(
            "%(item)s has been in the catalog: approval items are never "
            "deleted once active. Cancel it through a decision instead.",
            item=kept.display_name,
        )

    def _compute_display_name(self):
        for item in self:
            item.display_name = f"[{item.code}] {item.name}" if item.code and item.code != "/" else item.name

    # ------------------------------------------------------------------
    # Decisions
    # ------------------------------------------------------------------
    def _open_decision_wizard(self, change_type):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "gov_service_center.gov_approval_item_change_wizard_action"
        )
        action["context"] = {
            "default_item_ids": self.ids,
            "default_change_type": change_type,
        }
        return action

    def action_activate(self):
        return self._open_decision_wizard("added")

    def action_suspend(self):
        return self._open_decision_wizard("suspended")

    def action_resume(self):
        return self._open_decision_wizard("resumed")

    def action_cancel(self):
        return self._open_decision_wizard("cancelled")

    def action_delegate(self):
        return self._open_decision_wizard("delegated")

    def action_merge(self):
        return self._open_decision_wizard("merged")

    def action_modify(self):
        return self._open_decision_wizard("modified")

    def action_view_changes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "gov_service_center.gov_approval_item_change_action"
        )
        action["domain"] = [("item_id", "=", self.id)]
        action["context"] = {"default_item_id": self.id}
        return action

    def action_view_materials(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Required Materials"),
            "res_model": "gov.approval.material",
            "view_mode": "list,form",
            "domain": [("item_id", "=", self.id)],
            "context": {"default_item_id": self.id},
        }

    def apply_decision(
        self,
        change_type,
        decision_ref,
        decision_date,
        delegated_level=None,
        delegated_to=None,
        merged_into_id=None,
        note=None,
    ):
        """Apply a decision to the items of ``self`` and record it.

        ``change_type`` is a key of ``CHANGE_RULES`` (gov_approval_item_change).
        Raises UserError when the decision does not apply to an item's current
        state; then nothing is written.
        """
        options = {
            "delegated_level": delegated_level,
            "delegated_to": delegated_to,
            "merged_into_id": merged_into_id,
            "note": note,
        }
        Change = self.env["gov.approval.item.change"]
        rule = Change._get_change_rules().get(change_type)
        if not rule:
            raise UserError(self.env._("Unknown kind of decision: %s", change_type))
        if not (decision_ref or "").strip() or not decision_date:
            raise UserError(
                self.env._("A decision needs its decision number and its date.")
            )
        from_states, to_state = rule
        wrong = self.filtered(lambda item: item.state not in from_states)
        if wrong:
            raise UserError(
                self.env._(
                    "This decision cannot be applied to %(items)s in their current state.",
                    items=", ".join(wrong.mapped("display_name")),
                )
            )
        merged_into = self.browse(options.get("merged_into_id") or [])
        if change_type == "merged":
            if not merged_into:
                raise UserError(self.env._("Choose the item the merged items are merged into."))
            if merged_into in self or merged_into.state != "active":
                raise UserError(
                    self.env._("Items can only be merged into another active item.")
                )
        if change_type == "delegated" and not options.get("delegated_level"):
            raise UserError(self.env._("Choose the level the items are delegated to."))
        change_vals = []
        for item in self:
            change_vals.append(
                {
                    "item_id": item.id,
                    "change_type": change_type,
                    "decision_ref": decision_ref.strip(),
                    "decision_date": decision_date,
                    "state_before": item.state,
                    "state_after": to_state or item.state,
                    "delegated_level": options.get("delegated_level"),
                    "delegated_to": options.get("delegated_to"),
                    "merged_into_id": merged_into.id or False,
                    "note": options.get("note"),
                }
            )
        changes = Change.create(change_vals)
        if to_state:
            vals = {"state": to_state}
            if to_state != "active":
                vals["is_published"] = False
            if change_type == "delegated":
                vals.update(
                    delegated_level=options.get("delegated_level"),
                    delegated_to=options.get("delegated_to"),
                )
            if change_type == "merged":
                vals["merged_into_id"] = merged_into.id
            self._gov_register_bypass().write(vals)
        for item, change in zip(self, changes):
            lang_env = in_reader_lang(item).env
            item.message_post(
                body=lang_env._(
                    "Decision %(ref)s of %(date)s: %(kind)s",
                    ref=change.decision_ref,
                    date=change.decision_date,
                    kind=dict(change._fields["change_type"]._description_selection(lang_env))[
                        change_type
                    ],
                ),
                subtype_xmlid="mail.mt_note",
            )
        return changes

    # ------------------------------------------------------------------
    # Time limits
    # ------------------------------------------------------------------
    def get_deadlines(self, date_accepted, pauses=None):
        """Return ``{'promised': date, 'statutory': date}`` for a case accepted
        on ``date_accepted``; ``pauses`` are periods that do not count."""
        self.ensure_one()
        calendar = self.env["gov.calendar.day"]
        return {
            "promised": calendar.add_working_days(date_accepted, self.promised_days, pauses),
            "statutory": calendar.add_working_days(date_accepted, self.statutory_days, pauses),
        }

    # ------------------------------------------------------------------
    # Website
    # ------------------------------------------------------------------
    @api.model
    def _gov_public_domain(self):
        """The only items anyone may see on the website: active and published."""
        return [("state", "=", "active"), ("is_published", "=", True)]

    @api.model
    def _gov_public_query(self, keyword="", domain=(), offset=0, limit=None, order=None):
        """The query (``_search``) of the public items matching ``domain``
        whose name (in the reader's language), code or national code contains
        ``keyword``; ``len()`` counts them, ``browse()`` reads them.

        A keyword without upper and lower case (Chinese, digits) is matched
        with LIKE, which needs no case folding. One of one or two characters
        is also looked up in the index of short substrings (the trigram
        indexes need three characters): a necessary condition only (that
        index holds every language and the JSON quotes), the conditions of
        the domain still decide."""
        domain = self._gov_public_domain() + list(domain)
        short = False
        if keyword:
            pattern = f"%{escape_psql(keyword)}%"
            operator = "=like" if keyword.lower() == keyword.upper() else "=ilike"
            domain += [
                "|", "|",
                ("name", operator, pattern),
                ("code", operator, pattern),
                ("national_code", operator, pattern),
            ]
            short = (
                len(keyword) <= SHORT_KEYWORD_LENGTH
                and (keyword.isascii() or operator == "=like")
                and not self.env.registry.has_unaccent
            )
        query = self._search(domain, offset=offset, limit=limit, order=order)
        if short:
            # in the statement itself (not a sub-select), so that PostgreSQL
            # reads the matching rows from the index and checks them once
            query.add_where(SQL(
                "%s @> ARRAY[%s]", short_grams_expression(query.table), keyword.lower(),
            ))
        return query
