"""kam_management/logic/inputs.py: the sanity of values sent over RPC."""

import datetime
import math

from hypothesis import given
from hypothesis import strategies as st

from .conftest import load_logic

logic = load_logic("kam_management").inputs
plan_logic = load_logic("kam_account_plan")


def test_dates():
    assert logic.parse_date("2041-02-28") == datetime.date(2041, 2, 28)
    assert logic.parse_date(datetime.datetime(2030, 5, 1, 12)) == datetime.date(
        2030, 5, 1
    )
    for value in (False, None, ""):
        assert logic.is_valid_date(value)
    for value in (
        "2041-02-30",
        "2026-13-01",
        "20260101",
        "2026-W01-1",
        "someday",
        "0001-01-01",
        "9999-12-31",
        42,
        float("nan"),
        [2026, 1, 1],
    ):
        assert not logic.is_valid_date(value), value


@given(st.dates())
def test_a_date_is_valid_exactly_within_the_bounds(day):
    inside = logic.MIN_DATE <= day <= logic.MAX_DATE
    assert logic.is_valid_date(day) == inside
    assert logic.is_valid_date(day.isoformat()) == inside


@given(st.dates(min_value=logic.MIN_DATE, max_value=logic.MAX_DATE))
def test_the_next_period_of_a_valid_plan_never_overflows(day):
    """The longest valid plan still has a computable next period."""
    start, end = plan_logic.next_period(logic.MIN_DATE, day)
    assert start <= end


def test_numbers():
    for value in (False, None, 0, -3, 12.5, "12.5", 1e15, -1e15):
        assert logic.is_valid_number(value), value
    for value in (
        float("nan"),
        float("inf"),
        -float("inf"),
        "NaN",
        "Infinity",
        "abc",
        1e16,
        10**400,
        True,
        [1],
    ):
        assert not logic.is_valid_number(value), value


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_a_float_is_valid_when_finite_and_of_sane_magnitude(value):
    expected = math.isfinite(value) and abs(value) <= logic.MAX_MAGNITUDE
    assert logic.is_valid_number(value) == expected


def test_integers():
    for value in (False, None, 0, 10, 10.0, logic.MAX_INTEGER, logic.MIN_INTEGER):
        assert logic.is_valid_integer(value), value
    for value in (
        logic.MAX_INTEGER + 1,
        logic.MIN_INTEGER - 1,
        10**40,
        1.5,
        float("nan"),
        float("inf"),
        True,
        "ten",
    ):
        assert not logic.is_valid_integer(value), value
