# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.tools.sql import create_index
from odoo.exceptions import AccessError, UserError, ValidationError

POLICY_STATE_SELECTION = [
    ("in_force", "In Force"),
    ("amended", "Amended"),
    ("repealed", "Repealed"),
]

POLICY_KIND_SELECTION = [
    ("document", "Policy Document"),
    ("interpretation", "Interpretation"),
]


class GovPolicyDocument(models.Model):
    """A policy document published on the portal (政策文件), with its
    validity: in force, amended by a later document or repealed by one.

    Interpretations (政策解读) are documents of kind ``interpretation``
    linked to the document they explain and published together with it.
    """

    _name = "gov.policy.document"
    _description = "Policy Document"
    _inherit = ["mail.thread", "mail.activity.mixin", "website.published.mixin", "gov.register.mixin"]
    _order = "date_issued desc, id desc"
    _rec_names_search = ["name", "doc_number"]

    name = fields.Char(string="Title", required=True, tracking=True, index="trigram")
    doc_number = fields.Char(
        string="Document Number",
        index="trigram",
        tracking=True,
        copy=False,
        help="文号, e.g. 眉府发〔2014〕12号.",
    )
    kind = fields.Selection(
        POLICY_KIND_SELECTION, required=True, default="document", index=True, tracking=True
    )
    issuer = fields.Char(required=True, tracking=True, index=True, help="Issuing authority.")
    department_id = fields.Many2one(
        "hr.department",
        string="Responsible Department",
        index=True,
        tracking=True,
        ondelete="restrict",
        help="Department maintaining this document; its officers may edit it.",
    )
    category_id = fields.Many2one(
        "gov.policy.category", index=True, tracking=True, ondelete="restrict"
    )
    date_issued = fields.Date(string="Date Issued", required=True, index=True, tracking=True)
    date_effective = fields.Date(string="Effective Date", tracking=True)
    year = fields.Integer(compute="_compute_year", store=True, index=True)
    state = fields.Selection(
        POLICY_STATE_SELECTION,
        string="Validity",
        compute="_compute_state",
        store=True,
        index=True,
        tracking=True,
        help="Follows the links below: a document repealed by another one is repealed, "
        "one amended by another is amended, otherwise it is in force.",
    )
    amended_by_id = fields.Many2one(
        "gov.policy.document",
        string="Amended By",
        index="btree_not_null",
        tracking=True,
        copy=False,
        ondelete="restrict",
    )
    repealed_by_id = fields.Many2one(
        "gov.policy.document",
        string="Repealed By",
        index="btree_not_null",
        tracking=True,
        copy=False,
        ondelete="restrict",
    )
    date_repealed = fields.Date(string="Repeal Date", tracking=True, copy=False)
    amends_ids = fields.One2many("gov.policy.document", "amended_by_id", string="Amends")
    repeals_ids = fields.One2many("gov.policy.document", "repealed_by_id", string="Repeals")
    body = fields.Html(string="Text", sanitize=True, translate=False)
    summary = fields.Text()
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "gov_policy_document_ir_attachment_rel",
        "document_id",
        "attachment_id",
        string="Attachments",
    )
    interpreted_document_id = fields.Many2one(
        "gov.policy.document",
        string="Interprets",
        index="btree_not_null",
        ondelete="restrict",
        domain="[('kind', '=', 'document')]",
    )
    interpretation_ids = fields.One2many(
        "gov.policy.document", "interpreted_document_id", string="Interpretations"
    )
    visit_count = fields.Integer(
        string="Visits", readonly=True, copy=False, default=0,
        help="Visitors counted once per day.",
    )
    active = fields.Boolean(default=True, tracking=True)

    def init(self):
        super().init()
        # the public list: published active documents, latest first
        create_index(
            self.env.cr, "gov_policy_document_published_date_idx", self._table,
            ["date_issued DESC", "id DESC"], where="is_published AND active",
        )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("date_issued")
    def _compute_year(self):
        for document in self:
            document.year = document.date_issued.year if document.date_issued else 0

    @api.depends("amended_by_id", "repealed_by_id")
    def _compute_state(self):
        for document in self:
            if document.repealed_by_id:
                document.state = "repealed"
            elif document.amended_by_id:
                document.state = "amended"
            else:
                document.state = "in_force"

    def _compute_website_url(self):
        super()._compute_website_url()
        for document in self:
            if document.id:
                document.website_url = f"/policies/{self.env['ir.http']._slug(document)}"

    def _compute_display_name(self):
        for document in self:
            document.display_name = (
                f"{document.name} ({document.doc_number})" if document.doc_number else document.name
            )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("amended_by_id", "repealed_by_id", "interpreted_document_id")
    def _check_links(self):
        for document in self:
            linked = document.amended_by_id | document.repealed_by_id | document.interpreted_document_id
            if document in linked:
                raise ValidationError(
                    self.env._("A policy document cannot amend, repeal or interpret itself.")
                )
            for later in document.amended_by_id | document.repealed_by_id:
                if later.date_issued and document.date_issued and later.date_issued < document.date_issued:
                    raise ValidationError(
                        self.env._(
                            "%(later)s was issued before %(document)s: it cannot amend or "
                            "repeal it.",
                            later=later.display_name,
                            document=document.display_name,
                        )
                    )
            if document.interpreted_document_id and document.kind != "interpretation":
                raise ValidationError(
                    self.env._("Only an interpretation can be linked to the document it interprets.")
                )

    @api.constrains("date_issued", "date_effective", "date_repealed")
    def _check_dates(self):
        for document in self:
            if document.date_effective and document.date_effective < document.date_issued:
                raise ValidationError(
                    self.env._(
                        "The effective date of %(document)s cannot be before its issue date.",
                        document=document.display_name,
                    )
                )
            if document.date_repealed and document.date_repealed < document.date_issued:
                raise ValidationError(
                    self.env._(
                        "The repeal date of %(document)s cannot be before its issue date.",
                        document=document.display_name,
                    )
                )

    @api.constrains("doc_number")
    def _check_doc_number_unique(self):
        numbers = [number for number in self.mapped("doc_number") if number]
        if not numbers:
            return
        groups = self.with_context(active_test=False)._read_group(
            [("doc_number", "in", numbers)], groupby=["doc_number"], aggregates=["__count"]
        )
        duplicates = [number for number, count in groups if count > 1]
        if duplicates:
            raise ValidationError(
                self.env._(
                    "The document number %(number)s is already used by another policy document.",
                    number=", ".join(duplicates),
                )
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            for key in ("name", "doc_number", "issuer"):
                if isinstance(vals.get(key), str):
                    vals[key] = vals[key].strip()
        documents = super().create(vals_list)
        for document, vals in zip(documents, vals_list):
            if vals.get("attachment_ids"):
                document._claim_attachments(document.attachment_ids)
        return documents

    def write(self, vals):
        if "visit_count" in vals and not self.env.su:
            raise UserError(self.env._("The visit counter is maintained by the website."))
        if vals.get("repealed_by_id") and "date_repealed" not in vals:
            repealing = self.browse(vals["repealed_by_id"])
            vals = dict(vals, date_repealed=repealing.date_effective or repealing.date_issued)
        if "attachment_ids" not in vals:
            return super().write(vals)
        linked_before = {document.id: document.attachment_ids for document in self.sudo()}
        result = super().write(vals)
        for document in self:
            document._claim_attachments(
                document.sudo().attachment_ids - linked_before[document.id]
            )
        return result

    def _claim_attachments(self, attachments):
        """Attach newly linked files to this document, which publishes them.

        Only a file the writer may read, not attached to another record nor
        stored in a binary field, can be linked: anything else would be
        served to anonymous visitors by the policy page.
        """
        self.ensure_one()
        if not attachments:
            return
        try:
            # ir.attachment checks the record a file is attached to in check()
            attachments.with_env(self.env).check("read")
        except AccessError as error:
            raise AccessError(
                self.env._("You cannot attach a file you are not allowed to read.")
            ) from error
        for attachment in attachments.sudo():
            foreign = attachment.res_model not in (False, self._name) or (
                attachment.res_model == self._name and attachment.res_id not in (0, self.id)
            )
            if foreign or attachment.res_field:
                raise ValidationError(
                    self.env._(
                        "The file %(file)s belongs to another record: upload it again on "
                        "this policy document.",
                        file=attachment.name,
                    )
                )
        attachments.sudo().write({"res_model": self._name, "res_id": self.id})

    def _get_public_attachments(self):
        """Files the website may serve: those linked to this document and
        attached to it."""
        self.ensure_one()
        return self.sudo().attachment_ids.filtered(
            lambda att: att.res_model == self._name and att.res_id == self.id and not att.res_field
        )

    # ------------------------------------------------------------------
    # Website
    # ------------------------------------------------------------------
    @api.model
    def _gov_public_domain(self):
        """The only policy documents anyone may see on the website."""
        return [("is_published", "=", True)]
