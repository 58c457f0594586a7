from odoo import api, models
from odoo.exceptions import AccessError

# The context key that makes a write *drop* the system-owned fields it carries instead
# of refusing them. It can be forged over RPC, which is harmless: it only ever removes
# values. Odoo's partner merge uses it (it copies every plain field of the merged
# partners).
DROP_SYSTEM_FIELDS = "kam_drop_system_fields"


class KamSystemFieldsMixin(models.AbstractModel):
    """Fields the system owns: written by the KAM jobs and computes only.

    A field declared by a KAM addon is owned by the system when it is computed or
    declared ``readonly`` (revenue, tier, scores, last contact, audit fields...). A
    view's ``readonly`` protects nothing: ``write``, ``create``, ``load`` (import),
    ``web_save`` and one2many commands all reach the model over RPC. So every model
    holding such fields calls :meth:`_kam_check_system_fields` from its ``create``
    and ``write``: outside superuser mode (which no RPC call can enter) the values are
    refused. The jobs and computes write through ``sudo()`` or the ORM's recompute,
    which do not pass here.
    """

    _name = "kam.system.fields.mixin"
    _description = "KAM fields only the system writes"

    @api.model
    def _kam_system_fields(self):
        """Names of the fields of this model that only the system writes."""
        return {
            name
            for name, field in self._fields.items()
            if field._module
            and field._module.startswith("kam_")
            and (field.compute or field.readonly)
            and not field.inverse
        }

    @api.model
    def _kam_check_system_fields(self, vals):
        """Refuse (or, with the drop key in context, remove) the system-owned fields
        of ``vals``; return the values to write."""
        if self.env.su:
            return vals
        forged = self._kam_system_fields().intersection(vals)
        if not forged:
            return vals
        if self.env.context.get(DROP_SYSTEM_FIELDS):
            return {k: v for k, v in vals.items() if k not in forged}
        labels = sorted(self._fields[name].string for name in forged)
        raise AccessError(
            self.env._(
                "%(fields)s of %(model)s are computed by Key Account Management and "
                "cannot be set by hand.",
                fields=", ".join(labels),
                model=self._description,
            )
        )
