import math

from odoo import models
from odoo.exceptions import ValidationError

#: The range of a PostgreSQL ``integer`` column, where Odoo stores Integer fields.
INTEGER_MIN = -(2**31)
INTEGER_MAX = 2**31 - 1
NUMBER_TYPES = ("integer", "float", "monetary")


class KamNumberGuardMixin(models.AbstractModel):
    """Numbers sent over RPC are checked before they reach the ORM or the database.

    Without it, ``NaN``, ``"12abc"`` or ``2**40`` end in a Python or PostgreSQL
    traceback (or, for NaN, in a value no comparison catches).
    """

    _name = "kam.number.guard.mixin"
    _description = "KAM: numbers checked before they are stored"

    def _kam_check_numbers(self, vals_list):
        for vals in vals_list:
            for name, value in vals.items():
                field = self._fields.get(name)
                if field is None or field.type not in NUMBER_TYPES:
                    continue
                if value is None or isinstance(value, bool):
                    continue
                self._kam_check_number(field, value)

    def _kam_check_number(self, field, value):
        number = value
        if isinstance(value, str):
            try:
                number = float(value)
            except ValueError:
                number = None
        elif not isinstance(value, int | float):
            number = None
        if number is None or not math.isfinite(number):
            self._kam_raise_number(field, value)
        if field.type == "integer" and (
            number != int(number) or not INTEGER_MIN <= number <= INTEGER_MAX
        ):
            self._kam_raise_number(field, value)

    def _kam_raise_number(self, field, value):
        label = field._description_string(self.env)
        if field.type == "integer":
            message = self.env._(
                "“%(field)s” must be a whole number between %(min)s and %(max)s, "
                "not %(value)s.",
                field=label,
                min=INTEGER_MIN,
                max=INTEGER_MAX,
                value=repr(value)[:40],
            )
        else:
            message = self.env._(
                "“%(field)s” must be a finite number, not %(value)s.",
                field=label,
                value=repr(value)[:40],
            )
        raise ValidationError(message)
