# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models
from odoo.exceptions import UserError

# The one context key through which the module's own workflow code writes
# protected fields of a register record (or replaces derived records). Its
# value must be REGISTER_BYPASS itself: a Python object that cannot travel in
# a JSON-RPC context, so a client can never set it.
REGISTER_BYPASS_KEY = "gov_register_bypass"
REGISTER_BYPASS = object()


def register_bypassed(env):
    """True when ``env`` carries the workflow bypass set by server code."""
    return env.context.get(REGISTER_BYPASS_KEY) is REGISTER_BYPASS


class GovRegisterMixin(models.AbstractModel):
    """Records of legal weight (登记簿): never deleted, with optional frozen
    fields. Models keep their own ``mail.thread`` for the tracking.

    * ``_gov_frozen_fields``: fields that can no longer be written once
      :meth:`_gov_frozen_records` holds for a record (default: always);
    * ``_gov_workflow_fields``: fields written only by the model's own
      actions (e.g. ``state``), never by a plain write;
    * :meth:`_gov_register_deletable`: the records that may still be deleted
      (default: none), e.g. drafts that never had legal effect.

    Server code writes protected fields through :meth:`_gov_register_bypass`.
    """

    _name = "gov.register.mixin"
    _description = "Register Record"

    _gov_frozen_fields = ()
    _gov_workflow_fields = ()

    # ------------------------------------------------------------------
    # Hooks
    # ------------------------------------------------------------------
    def _gov_frozen_records(self):
        """The records of ``self`` whose frozen fields can no longer change."""
        return self

    def _gov_frozen_message(self):
        return self.env._(
            "%(model)s: this record is part of the register and its content can no "
            "longer change.",
            model=self._description,
        )

    def _gov_workflow_message(self):
        return self.env._(
            "%(model)s: use the action buttons to change the state of this record.",
            model=self._description,
        )

    def _gov_register_deletable(self):
        """The records of ``self`` that may still be deleted (default: none).
        The bypass does not open deletion by itself: a model that replaces
        derived records says here which ones, e.g. only under the bypass."""
        return self.browse()

    def _gov_unlink_message(self):
        return self.env._(
            "%(model)s: records of legal weight are never deleted. Archive, close or "
            "cancel them instead; the record stays on file.",
            model=self._description,
        )

    # ------------------------------------------------------------------
    # Bypass for the module's own workflow code
    # ------------------------------------------------------------------
    def _gov_register_bypass(self):
        """``self`` in the environment where the module's own actions write
        protected fields. Never reachable from a client request."""
        return self.with_context(**{REGISTER_BYPASS_KEY: REGISTER_BYPASS})

    def _gov_register_bypassed(self):
        return register_bypassed(self.env)

    # ------------------------------------------------------------------
    # Guards
    # ------------------------------------------------------------------
    def _gov_check_register_write(self, vals):
        if not self or self._gov_register_bypassed():
            return
        if set(self._gov_workflow_fields) & set(vals):
            raise UserError(self._gov_workflow_message())
        if set(self._gov_frozen_fields) & set(vals) and self._gov_frozen_records():
            raise UserError(self._gov_frozen_message())

    def write(self, vals):
        self._gov_check_register_write(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_gov_register(self):
        if self - self._gov_register_deletable():
            raise UserError(self._gov_unlink_message())
