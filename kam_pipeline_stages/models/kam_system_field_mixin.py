from odoo import models
from odoo.exceptions import AccessError
from odoo.tools import clean_context


class KamSystemFieldMixin(models.AbstractModel):
    """Fields that only the system writes: figures, audit trails, derived values.

    A user-facing path (``create``, ``write``, ``load``, ``copy``, the one2many
    commands of a parent, a ``default_*`` context key) cannot set them; the system
    writes them in a superuser environment (``env.su``, which no RPC call can
    ask for). A context key is never enough.
    """

    _name = "kam.system.field.mixin"
    _description = "KAM: fields only the system writes"

    def _kam_system_fields(self):
        """The names of the fields only the system writes (override to extend)."""
        return frozenset()

    def _kam_check_system_fields(self, vals_list):
        """Refuse values for system fields, unless the system itself writes them."""
        if self.env.su:
            return
        names = self._kam_system_fields() & {
            name for vals in vals_list for name in vals
        }
        if not names:
            return
        labels = ", ".join(
            sorted(self._fields[name]._description_string(self.env) for name in names)
        )
        raise AccessError(
            self.env._(
                "These fields of %(model)s are set by the system only: %(fields)s.",
                model=self._description,
                fields=labels,
            )
        )

    def _kam_without_system_defaults(self):
        """``self`` without the ``default_*`` context keys of the system fields."""
        keys = {f"default_{name}" for name in self._kam_system_fields()}
        if not keys & set(self.env.context):
            return self
        context = {
            key: value for key, value in self.env.context.items() if key not in keys
        }
        return self.with_env(self.env(context=context))

    def _kam_system_env(self):
        """The environment the system writes in: superuser, and without the
        ``default_*`` keys of the caller's context (they would fill the fields the
        system leaves empty, e.g. tick a new checklist line)."""
        return self.env(su=True, context=clean_context(self.env.context))
