"""Sanity of the values a caller sends to a KAM field: real days, finite numbers.

JSON-RPC hands over whatever the client sends: ``"2041-02-30"``, ``NaN``,
``Infinity`` or a 20-digit integer reach the models as they are. Checked here once,
before the ORM or PostgreSQL turn them into a traceback, and before a NaN poisons
every total it is summed into.
"""

import datetime
import math

# Key account work happens in the business years around us. The bounds keep every
# period arithmetic (the next period of the next period...) far from Python's year 9999.
MIN_DATE = datetime.date(1900, 1, 1)
MAX_DATE = datetime.date(2999, 12, 31)
# No amount, quantity, hour count or weight of key account work comes near this; a
# bigger one is a typing (or forging) error, and sums of such values overflow.
MAX_MAGNITUDE = 1e15
# PostgreSQL ``integer`` columns.
MIN_INTEGER = -(2**31)
MAX_INTEGER = 2**31 - 1


def parse_date(value, bounded=True):
    """``value`` (a date, a datetime or an ISO ``YYYY-MM-DD`` string) as a date.

    Raises ``ValueError`` for anything else, for days that do not exist
    (``2041-02-30``) and for dates outside [MIN_DATE, MAX_DATE].
    """
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    elif isinstance(value, str):
        # fromisoformat() also takes "20410230" or week dates: only the forms Odoo
        # reads are dates here, a day with or without a time (Odoo drops the time).
        day_part = value[:10]
        if (
            len(value) < 10
            or day_part[4] != "-"
            or day_part[7] != "-"
            or (len(value) > 10 and value[10] not in " T")
        ):
            raise ValueError(f"not a YYYY-MM-DD date: {value!r}")
        day = datetime.date.fromisoformat(day_part)
    else:
        raise ValueError(f"not a date: {value!r}")
    if bounded and not MIN_DATE <= day <= MAX_DATE:
        raise ValueError(f"date out of range: {day}")
    return day


def is_valid_date(value, bounded=True):
    """Whether ``value`` is empty or a date :func:`parse_date` accepts (``bounded``:
    within [MIN_DATE, MAX_DATE]; unbounded, any real day)."""
    if value is False or value is None or value == "":
        return True
    try:
        parse_date(value, bounded)
    except ValueError:
        return False
    return True


def _as_float(value):
    """``value`` as a float, ``None`` when it is no number (booleans are none)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if abs(value) < 1e300 else math.inf
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def is_valid_number(value, bounded=True):
    """Whether ``value`` is empty or a finite number (``bounded``: of sane magnitude,
    at most MAX_MAGNITUDE)."""
    if value is False or value is None:
        return True
    number = _as_float(value)
    return (
        number is not None
        and math.isfinite(number)
        and (not bounded or abs(number) <= MAX_MAGNITUDE)
    )


def is_valid_integer(value):
    """Whether ``value`` is empty or a whole number that fits an ``integer``
    column."""
    if value is False or value is None:
        return True
    number = _as_float(value)
    return (
        number is not None
        and is_valid_number(number, bounded=False)
        and number.is_integer()
        and MIN_INTEGER <= number <= MAX_INTEGER
    )
