from odoo import api, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import clean_context

from ..logic import inputs

# The context key that makes a write *drop* the system-owned fields it carries instead
# of refusing them. It can be forged over RPC, which is harmless: it only ever removes
# values. Odoo's partner merge uses it (it copies every plain field of the merged
# partners).
DROP_SYSTEM_FIELDS = "kam_drop_system_fields"


class KamSystemFieldsMixin(models.AbstractModel):
    """What a caller may write in the fields of the KAM addons, checked in every
    ``create`` and ``write``: the form, ``web_save``, an import (``load``), ``copy``
    and the one2many commands of a parent form all end there.

    - Fields the system owns are written by the system only. A field declared by a
      KAM addon is owned by the system when it is computed (and takes no input) or
      declared ``readonly``: revenue, tier, scores, last contact, totals, risk flags,
      audit fields (done by/on, reviewed by/on)... A view's ``readonly`` protects
      nothing, so outside superuser mode, which no RPC call can enter, their values
      are refused, for a director too (directors change outcomes through the input
      fields made for it, such as the tier override). The jobs and computes write
      them through ``sudo()`` or the ORM's recompute, which do not pass here. A
      context key can be forged over RPC, so none opens this door.
    - Dates, numbers and whole numbers are checked (``logic.inputs``): a clear error
      instead of a traceback, and no NaN summed into a total. The KAM fields within
      sane bounds; the host's fields only for what would crash.
    """

    _name = "kam.system.fields.mixin"
    _description = "KAM fields only the system writes"

    @api.model
    def _kam_field_is_ours(self, field):
        return bool(field._module and field._module.startswith("kam_"))

    @api.model
    def _kam_system_fields(self):
        """Names of the fields of this model that only the system writes: the KAM
        fields that take no input (computed without inverse, related, or declared
        ``readonly``). Models add others by extending this method."""
        return {
            name
            for name, field in self._fields.items()
            if self._kam_field_is_ours(field) and field.readonly
        }

    def _kam_system_env(self):
        """The environment the system writes in: superuser, without the caller's
        ``default_*`` context keys (they would fill what the system leaves empty,
        e.g. tick the checklist lines it creates)."""
        return self.env(su=True, context=clean_context(self.env.context))

    @api.model
    def default_get(self, fields_list):
        # ``default_<field>`` context keys and user defaults (ir.default) are the
        # caller's: a system field only gets the default its definition gives. This
        # also covers create(), which fills the missing fields from default_get().
        defaults = super().default_get(fields_list)
        if self.env.su:
            return defaults
        for name in self._kam_system_fields().intersection(defaults):
            field = self._fields[name]
            if field.default:
                value = field.convert_to_cache(
                    field.default(self), self, validate=False
                )
                defaults[name] = field.convert_to_write(value, self)
            else:
                del defaults[name]
        return defaults

    # A host model that takes the mixin (res.partner, crm.lead, crm.stage) checks the
    # caller's values at the top of its own create/write instead: the host's overrides
    # below add values of their own (crm stamps the stage date) that are not the
    # caller's.
    _kam_check_in_crud = True

    @api.model_create_multi
    def create(self, vals_list):
        if self._kam_check_in_crud:
            vals_list = [self._kam_check_values(vals) for vals in vals_list]
        return super().create(vals_list)

    def write(self, vals):
        if self._kam_check_in_crud:
            vals = self._kam_check_values(vals)
        return super().write(vals)

    @api.model
    def _kam_check_values(self, vals):
        """The values of ``vals`` a caller may write: system fields refused (or, with
        the drop key in context, removed), inputs checked. Returns the values."""
        vals = self._kam_check_system_fields(vals)
        self._kam_check_inputs(vals)
        return vals

    @api.model
    def _kam_check_system_fields(self, vals):
        if self.env.su:
            return vals
        forged = self._kam_system_fields().intersection(vals)
        if not forged:
            return vals
        if self.env.context.get(DROP_SYSTEM_FIELDS):
            return {k: v for k, v in vals.items() if k not in forged}
        raise AccessError(
            self.env._(
                "%(fields)s (%(model)s): set by the system only, they cannot be "
                "written by hand.",
                fields=", ".join(sorted(self._kam_field_label(n) for n in forged)),
                model=self._description,
            )
        )

    @api.model
    def _kam_check_inputs(self, vals):
        # The bounds go to the messages as plain names: the translation extractor reads
        # the arguments of self.env._() as plain expressions.
        min_date, max_date = inputs.MIN_DATE, inputs.MAX_DATE
        min_integer, max_integer = inputs.MIN_INTEGER, inputs.MAX_INTEGER
        max_number = f"{inputs.MAX_MAGNITUDE:,.0f}"
        for name, value in vals.items():
            field = self._fields.get(name)
            if field is None:
                continue
            # The host's fields keep the host's ranges: only what would crash (a day
            # that does not exist, NaN, an integer the column cannot hold) is refused.
            ours = self._kam_field_is_ours(field)
            label = self._kam_field_label(name)
            if field.type == "date" and not inputs.is_valid_date(value, ours):
                message = self.env._(
                    "%(field)s: “%(value)s” is not a valid date (a day between "
                    "%(min)s and %(max)s).",
                    min=min_date,
                    max=max_date,
                    field=label,
                    value=value,
                )
            elif field.type in ("float", "monetary") and not inputs.is_valid_number(
                value, ours
            ):
                message = self.env._(
                    "%(field)s: “%(value)s” is not a valid number (a finite number "
                    "below %(max)s in absolute value).",
                    max=max_number,
                    field=label,
                    value=value,
                )
            elif field.type == "integer" and not inputs.is_valid_integer(value):
                message = self.env._(
                    "%(field)s: “%(value)s” is not a valid whole number (between "
                    "%(min)s and %(max)s).",
                    min=min_integer,
                    max=max_integer,
                    field=label,
                    value=value,
                )
            else:
                continue
            raise ValidationError(message)

    @api.model
    def _kam_field_label(self, name):
        return self._fields[name]._description_string(self.env)
