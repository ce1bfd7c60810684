# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import ValidationError as StdnumValidationError

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .gov_center_time import center_today

FILING_STATE_SELECTION = [
    ("draft", "Draft"),
    ("submitted", "Submitted for Filing"),
    ("filed", "Filed"),
    ("rejected", "Rejected"),
    ("suspended", "Suspended"),
    ("revoked", "Revoked"),
]

CREDIT_GRADE_SELECTION = [
    ("A", "A"),
    ("B", "B"),
    ("C", "C"),
    ("D", "D"),
    ("E", "E"),
]


def normalize_uscc(value):
    """Return the compact upper-case form of a USCC (blanks removed)."""
    return stdnum_uscc.compact(value or "").upper()


def is_valid_uscc(value):
    try:
        stdnum_uscc.validate(normalize_uscc(value))
    except StdnumValidationError:
        return False
    return True


class GovIntermediary(models.Model):
    _name = "gov.intermediary"
    _description = "Intermediary"
    _inherit = [
        "mail.thread", "mail.activity.mixin", "website.published.mixin", "gov.register.mixin"
    ]
    _order = "name, id"
    _rec_names_search = ["name", "uscc"]

    name = fields.Char(required=True, tracking=True, index="trigram")
    active = fields.Boolean(default=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Company",
        ondelete="restrict",
        index=True,
        tracking=True,
        domain=[("is_company", "=", True)],
        help="Company contact of the intermediary; created from its name when left empty.",
    )
    uscc = fields.Char(
        string="Unified Social Credit Code (USCC)",
        required=True,
        copy=False,
        index="trigram",  # the directory searches it with ilike; uscc_unique indexes equality
        tracking=True,
        help="18-character code of GB 32100, with its check character.",
    )
    legal_representative = fields.Char(tracking=True)
    contact_name = fields.Char(string="Contact Person")
    phone = fields.Char()
    email = fields.Char()
    address = fields.Char()
    fee_basis = fields.Text(string="Fee Basis")
    service_type_ids = fields.Many2many(
        "gov.intermediary.service.type",
        "gov_intermediary_service_type_rel",
        "intermediary_id",
        "service_type_id",
        string="Service Types",
        tracking=True,
    )
    department_ids = fields.Many2many(
        "hr.department",
        "gov_intermediary_department_rel",
        "intermediary_id",
        "department_id",
        string="Departments Served",
    )
    qualification_ids = fields.One2many(
        "gov.intermediary.qualification", "intermediary_id", string="Qualifications"
    )
    qualification_count = fields.Integer(compute="_compute_qualification_count")
    filing_state = fields.Selection(
        FILING_STATE_SELECTION,
        string="Filing Status",
        required=True,
        default="draft",
        tracking=True,
        index=True,
        copy=False,
    )
    date_submitted = fields.Date(string="Submitted On", readonly=True, copy=False)
    date_filed = fields.Date(string="Filed On", readonly=True, copy=False, tracking=True)
    reject_reason = fields.Text(string="Rejection Reason", tracking=True, copy=False)
    restriction_ids = fields.One2many(
        "gov.credit.restriction", "intermediary_id", string="Credit Restrictions"
    )
    is_restricted = fields.Boolean(
        string="Credit Restricted",
        compute="_compute_is_restricted",
        store=True,
        index=True,
        help="An active credit restriction (失信受限) exists: the intermediary is "
        "hidden from the directory and cannot be selected or commended.",
    )
    restriction_count = fields.Integer(compute="_compute_restriction_count")
    credit_grade = fields.Selection(
        CREDIT_GRADE_SELECTION, tracking=True, index=True, copy=False
    )
    color = fields.Integer()

    _sql_constraints = [
        ("uscc_unique", "unique(uscc)", "An intermediary with this USCC already exists."),
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("restriction_ids.state")
    def _compute_is_restricted(self):
        for intermediary in self:
            intermediary.is_restricted = any(
                restriction.state == "active" for restriction in intermediary.restriction_ids
            )

    @api.depends("qualification_ids")
    def _compute_qualification_count(self):
        counts = dict(
            self.env["gov.intermediary.qualification"]._read_group(
                [("intermediary_id", "in", self.ids)],
                groupby=["intermediary_id"],
                aggregates=["__count"],
            )
        )
        for intermediary in self:
            intermediary.qualification_count = counts.get(intermediary, 0)

    @api.depends("restriction_ids")
    def _compute_restriction_count(self):
        counts = dict(
            self.env["gov.credit.restriction"]._read_group(
                [("intermediary_id", "in", self.ids)],
                groupby=["intermediary_id"],
                aggregates=["__count"],
            )
        )
        for intermediary in self:
            intermediary.restriction_count = counts.get(intermediary, 0)

    def _compute_website_url(self):
        super()._compute_website_url()
        for intermediary in self:
            if intermediary.id:
                intermediary.website_url = f"/intermediaries#intermediary-{intermediary.id}"

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("uscc")
    def _check_uscc(self):
        for intermediary in self:
            if not is_valid_uscc(intermediary.uscc):
                raise ValidationError(
                    self.env._(
                        "%(uscc)s is not a valid Unified Social Credit Code: it must have "
                        "18 characters (digits and capital letters except I, O, Z, S, V) "
                        "and end with the check character of GB 32100.",
                        uscc=intermediary.uscc,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model
    def _normalize_vals(self, vals):
        if vals.get("uscc"):
            vals["uscc"] = normalize_uscc(vals["uscc"])
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        Partner = self.env["res.partner"]
        missing = [vals for vals in vals_list if not vals.get("partner_id") and vals.get("name")]
        if missing:
            partners = Partner.create(
                [
                    {
                        "name": vals["name"],
                        "is_company": True,
                        "vat": normalize_uscc(vals.get("uscc")) or False,
                        "phone": vals.get("phone") or False,
                        "email": vals.get("email") or False,
                    }
                    for vals in missing
                ]
            )
            for vals, partner in zip(missing, partners):
                vals["partner_id"] = partner.id
        for vals in vals_list:
            self._normalize_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._normalize_vals(vals)
        return super().write(vals)

    def _gov_register_deletable(self):
        """Only an intermediary that was never filed nor restricted."""
        return self.filtered(
            lambda i: i.filing_state in ("draft", "rejected")
            and not i.date_filed
            and not i.restriction_ids
        )

    def _gov_unlink_message(self):
        kept = (self - self._gov_register_deletable())[:1]
        if kept.filing_state not in ("draft", "rejected") or kept.date_filed:
            return self.env._(
                "%(name)s has been filed: archive it instead of deleting it.",
                name=kept.display_name,
            )
        return self.env._(
            "%(name)s has credit restriction records: archive it instead of deleting it.",
            name=kept.display_name,
        )

    # ------------------------------------------------------------------
    # Filing workflow
    # ------------------------------------------------------------------
    def _check_filing_state(self, allowed, action_label):
        for intermediary in self:
            if intermediary.filing_state not in allowed:
                raise UserError(
                    self.env._(
                        "%(name)s cannot be %(action)s from the status %(state)s.",
                        name=intermediary.display_name,
                        action=action_label,
                        state=dict(
                            self._fields["filing_state"]._description_selection(self.env)
                        )[intermediary.filing_state],
                    )
                )

    def action_submit(self):
        self._check_filing_state(("draft", "rejected"), self.env._("submitted"))
        self.write(
            {
                "filing_state": "submitted",
                "date_submitted": center_today(self.env),
                "reject_reason": False,
            }
        )
        return True

    def action_file(self):
        self._check_filing_state(("submitted",), self.env._("filed"))
        for intermediary in self:
            if not intermediary.service_type_ids:
                raise UserError(
                    self.env._(
                        "%(name)s offers no service type: add at least one before filing.",
                        name=intermediary.display_name,
                    )
                )
        self.write({"filing_state": "filed", "date_filed": center_today(self.env)})
        return True

    def action_reject(self):
        self._check_filing_state(("submitted",), self.env._("rejected"))
        for intermediary in self:
            if not (intermediary.reject_reason or "").strip():
                raise UserError(
                    self.env._(
                        "Give the reason for rejecting the filing of %(name)s first.",
                        name=intermediary.display_name,
                    )
                )
        self.write({"filing_state": "rejected"})
        return True

    def action_suspend(self):
        self._check_filing_state(("filed",), self.env._("suspended"))
        self.write({"filing_state": "suspended"})
        return True

    def action_resume(self):
        self._check_filing_state(("suspended",), self.env._("resumed"))
        self.write({"filing_state": "filed"})
        return True

    def action_revoke(self):
        self._check_filing_state(("filed", "suspended"), self.env._("revoked"))
        self.write({"filing_state": "revoked", "website_published": False})
        return True

    def action_reset_draft(self):
        self._check_filing_state(("rejected",), self.env._("reset to draft"))
        self.write({"filing_state": "draft"})
        return True

    def action_view_restrictions(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Credit Restrictions"),
            "res_model": "gov.credit.restriction",
            "view_mode": "list,form",
            "domain": [("intermediary_id", "=", self.id)],
            "context": {"default_intermediary_id": self.id},
        }

    # ------------------------------------------------------------------
    # Helpers for other features
    # ------------------------------------------------------------------
    @api.model
    def _eligible_domain(self, service_type=None):
        """Filed, unrestricted intermediaries (holding a valid qualification
        for ``service_type`` when one is given)."""
        domain = [("filing_state", "=", "filed"), ("is_restricted", "=", False)]
        if service_type:
            today = center_today(self.env)
            domain += [
                ("qualification_ids", "any", [
                    ("service_type_id", "=", service_type.id),
                    "|", ("date_expiry", "=", False), ("date_expiry", ">=", today),
                ]),
            ]
        return domain

    @api.model
    def _gov_public_domain(self):
        """The only intermediaries shown on the public directory."""
        return self._eligible_domain() + [("website_published", "=", True)]
