from odoo import api, models
from odoo.exceptions import AccessError, ValidationError

from .. import logic

MAX_MAGNITUDE_TEXT = f"{logic.MAX_MAGNITUDE:,.0f}"


class KamAccountPlanGuardMixin(models.AbstractModel):
    """What a caller may write on account plans and their lines, checked in every
    ``create`` and ``write``: the form, ``web_save``, an import (``load``), ``copy``,
    the one2many commands of the plan form all end there.

    - The system fields are written by the system only. They are the model's
      ``_system_fields`` (audit trail, references) and every computed field that takes
      no input (totals, actuals, gaps, risk flags, related fields). Nobody writes them
      through the ORM's public methods, not even a director: only the superuser
      (``sudo()``, the crons, the module loading). ``env.su`` cannot be set over RPC; a
      context key can, so none is trusted. The system's own writes go through
      ``sudo()`` after checking the caller's right on the record.
    - Dates are real days in a sane range, numbers finite and of sane magnitude,
      integers fit their column: a ValidationError instead of a traceback, and no NaN
      summed into a total.
    """

    _name = "kam.account.plan.guard.mixin"
    _description = "Account Plan Write Guard"

    # Stored fields that are not computed but written by the system only.
    _system_fields = ()

    @api.model
    def _system_field_names(self):
        return set(self._system_fields) | {
            name
            for name, field in self._fields.items()
            if field.compute and field.readonly
        }

    @api.model
    def default_get(self, fields_list):
        # ``default_<field>`` context keys and user defaults (ir.default) are the
        # caller's: a system field only gets the default its definition gives.
        defaults = super().default_get(fields_list)
        if self.env.su:
            return defaults
        for name in self._system_field_names().intersection(defaults):
            field = self._fields[name]
            if field.default:
                value = field.convert_to_cache(
                    field.default(self), self, validate=False
                )
                defaults[name] = field.convert_to_write(value, self)
            else:
                del defaults[name]
        return defaults

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_caller_values(vals)
        return super().create(self._add_system_values(vals_list))

    def write(self, vals):
        self._check_caller_values(vals)
        return super().write(vals)

    @api.model
    def _add_system_values(self, vals_list):
        """``vals_list`` (already checked) with the values of the system fields that
        the system sets on creation. Returns new dicts: the caller's stay as they
        were sent, so that a retry is not refused for the system's values."""
        return vals_list

    @api.model
    def _check_caller_values(self, vals):
        self._check_system_fields(vals)
        self._check_input_values(vals)

    @api.model
    def _check_system_fields(self, field_names):
        if self.env.su:
            return
        forbidden = self._system_field_names().intersection(field_names)
        if forbidden:
            raise AccessError(
                self.env._(
                    "%(fields)s (%(model)s) are set by the system only: they cannot be "
                    "written by hand.",
                    fields=", ".join(sorted(self._field_label(n) for n in forbidden)),
                    model=self._description,
                )
            )

    @api.model
    def _check_input_values(self, vals):
        for name, value in vals.items():
            field = self._fields.get(name)
            if field is None:
                continue
            if field.type == "date" and not logic.is_valid_date(value):
                message = self.env._(
                    "%(field)s: “%(value)s” is not a valid date (a day between "
                    "%(min)s and %(max)s).",
                    min=logic.MIN_DATE,
                    max=logic.MAX_DATE,
                    field=self._field_label(name),
                    value=value,
                )
            elif field.type in ("float", "monetary") and not logic.is_valid_number(
                value
            ):
                message = self.env._(
                    "%(field)s: “%(value)s” is not a valid number (a finite number "
                    "below %(max)s in absolute value).",
                    max=MAX_MAGNITUDE_TEXT,
                    field=self._field_label(name),
                    value=value,
                )
            elif field.type == "integer" and not logic.is_valid_integer(value):
                message = self.env._(
                    "%(field)s: “%(value)s” is not a valid whole number (between "
                    "%(min)s and %(max)s).",
                    min=logic.MIN_INTEGER,
                    max=logic.MAX_INTEGER,
                    field=self._field_label(name),
                    value=value,
                )
            else:
                continue
            raise ValidationError(message)

    @api.model
    def _field_label(self, name):
        return self._fields[name].get_description(self.env)["string"]
