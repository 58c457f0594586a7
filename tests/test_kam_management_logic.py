"""The KAM rules of kam_management, without Odoo (docs/METHOD.md)."""

import datetime
import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from .conftest import load_logic

logic = load_logic("kam_management")
tiering, cadence, scoring, revenue = (
    logic.tiering,
    logic.cadence,
    logic.scoring,
    logic.revenue,
)

money = st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False)
TIER_ORDER = {"d": 0, "c": 1, "b": 2, "a": 3}


# -- benchmark and tiers
def test_benchmark_top_and_average():
    revenues = [10.0, 100.0, 0.0, 60.0, -5.0]
    assert tiering.benchmark(revenues) == 100.0
    assert tiering.benchmark(revenues, tiering.BENCHMARK_TOP_N_AVERAGE, 2) == 80.0
    assert tiering.benchmark(
        revenues, tiering.BENCHMARK_TOP_N_AVERAGE, 10
    ) == pytest.approx(170 / 3)
    assert tiering.benchmark([]) == 0.0
    with pytest.raises(ValueError):
        tiering.benchmark(revenues, "median")
    with pytest.raises(ValueError):
        tiering.benchmark(revenues, tiering.BENCHMARK_TOP_N_AVERAGE, 0)


def test_literature_levels():
    # A at the benchmark, B about 60%, C about 30% (Russian source 001).
    assert tiering.compute_tier(100, 100) == "a"
    assert tiering.compute_tier(60, 100) == "b"
    assert tiering.compute_tier(30, 100) == "c"
    assert tiering.compute_tier(0, 100) == "d"
    assert tiering.compute_tier(0, 100, has_prospects=True) == "c"
    # The default cut-offs are the midpoints between the levels.
    assert tiering.default_cutoffs() == (80.0, 45.0)
    assert tiering.default_cutoffs(70, 40) == (85.0, 55.0)
    assert tiering.compute_tier(80, 100) == "a"
    assert tiering.compute_tier(79.99, 100) == "b"
    assert tiering.compute_tier(45, 100) == "b"
    assert tiering.compute_tier(44.99, 100) == "c"


def test_tier_levels_are_configurable_and_checked():
    assert tiering.compute_tier(50, 100, b_ratio=50, c_ratio=20) == "b"
    for bad in ((30, 60), (60, 0), (100, 30), (60, 60)):
        with pytest.raises(ValueError):
            tiering.tier_levels(*bad)


def test_tier_cutoffs_are_configurable_and_checked():
    # Beta (82%) and Delta (45%) of the worked example (docs/METHOD.md#tiers).
    assert tiering.compute_tier(82, 100, cutoffs=(85, 55)) == "b"
    assert tiering.compute_tier(45, 100, cutoffs=(85, 55)) == "c"
    assert tiering.compute_tier(45, 100, cutoffs=(85, 45)) == "b"
    # Given cut-offs win over the levels' midpoints.
    assert tiering.compute_tier(70, 100, 60, 30, cutoffs=(70, 45)) == "a"
    assert tiering.compute_tier(100, 100, cutoffs=(100, 1)) == "a"
    for bad in ((45, 80), (80, 80), (80, 0), (101, 45), (math.nan, 45), (math.inf, 45)):
        assert not tiering.cutoffs_in_order(*bad)
        with pytest.raises(ValueError):
            tiering.compute_tier(50, 100, cutoffs=bad)
    assert tiering.cutoffs_in_order(80, 45)
    assert tiering.levels_within_cutoffs(60, 30, 80, 45)
    assert tiering.levels_within_cutoffs(60, 30, 61, 60)
    for b_ratio, c_ratio, a_from, b_from in (
        (80, 30, 80, 45),  # B level is already A
        (60, 30, 80, 61),  # B level is still C
        (60, 45, 80, 45),  # C level is already B
    ):
        assert not tiering.levels_within_cutoffs(b_ratio, c_ratio, a_from, b_from)


def _midpoint_rule(revenue, bench, b_ratio, c_ratio):
    """The rule before the cut-offs were settings: the tier of the nearest level."""
    if revenue <= 0:
        return "d"
    if bench <= 0:
        return "c"
    share = revenue / bench
    if share >= (1.0 + b_ratio / 100.0) / 2.0:
        return "a"
    if share >= (b_ratio / 100.0 + c_ratio / 100.0) / 2.0:
        return "b"
    return "c"


levels = st.tuples(
    st.floats(min_value=1, max_value=99), st.floats(min_value=1, max_value=99)
).filter(lambda pair: pair[1] < pair[0])


@given(money, money, levels)
def test_default_cutoffs_are_the_midpoint_rule(revenue, bench, level_pair):
    b_ratio, c_ratio = level_pair
    # Levels a hundredth of a percent apart at least: closer, their midpoint rounds
    # onto one of them.
    assume(bench > 0 and b_ratio - c_ratio >= 0.01)
    # Exactly on a cut-off the two roundings of the midpoint may differ by one ulp;
    # the cut-offs themselves are pinned by test_literature_levels.
    share = revenue / bench * 100
    assume(
        all(
            abs(share - cut) > 1e-6 for cut in tiering.default_cutoffs(b_ratio, c_ratio)
        )
    )
    expected = _midpoint_rule(revenue, bench, b_ratio, c_ratio)
    assert tiering.compute_tier(revenue, bench, b_ratio, c_ratio) == expected
    assert (
        tiering.compute_tier(
            revenue, bench, cutoffs=tiering.default_cutoffs(b_ratio, c_ratio)
        )
        == expected
    )
    # Midpoints always keep each level in its own tier.
    assert tiering.levels_within_cutoffs(
        b_ratio, c_ratio, *tiering.default_cutoffs(b_ratio, c_ratio)
    )


@given(money, money, money)
def test_tier_monotone_in_revenue(bench, low, high):
    assume(low <= high)
    assert (
        TIER_ORDER[tiering.compute_tier(low, bench)]
        <= TIER_ORDER[tiering.compute_tier(high, bench)]
    )


@given(money)
def test_benchmark_account_is_tier_a(top):
    assume(top > 0)
    assert tiering.compute_tier(top, tiering.benchmark([top, top / 2])) == "a"


# -- temperature
def test_temperature_levels():
    assert tiering.temperature(100, "a", 100) == (100.0, "hot")
    assert tiering.temperature(10, "a", 100) == (10.0, "cold")
    assert tiering.temperature(60, "b", 100)[1] == "hot"
    assert tiering.temperature(30, "b", 100)[1] == "mild"
    assert tiering.temperature(0, "d", 100) == (0.0, "none")
    assert tiering.temperature(10, "a", 0) == (0.0, "none")
    assert tiering.temperature(10, False, 100) == (0.0, "none")
    with pytest.raises(ValueError):
        tiering.temperature(10, "a", 100, thresholds=(50, 75, 25, 10))


@given(money, money, money)
def test_temperature_monotone(bench, low, high):
    assume(low <= high and bench > 0)
    order = {"cold": 0, "cool": 1, "mild": 2, "warm": 3, "hot": 4}
    assert (
        order[tiering.temperature(low, "a", bench)[1]]
        <= order[tiering.temperature(high, "a", bench)[1]]
    )


# -- look-alikes
def test_lookalike_matches():
    ref = tiering.profile(1, ("ru", "msk"), "large")
    assert (
        tiering.lookalike_matches(tiering.profile(1, ("ru", "msk"), "large"), [ref])
        == 3
    )
    assert (
        tiering.lookalike_matches(tiering.profile(1, ("ru", "spb"), "large"), [ref])
        == 2
    )
    assert tiering.lookalike_matches(tiering.profile(None, None, None), [ref]) == 0
    assert tiering.lookalike_matches(tiering.profile(1, None, None), []) == 0
    # Unknown attributes never match each other.
    assert (
        tiering.lookalike_matches(
            tiering.profile(None, None, "x"), [tiering.profile(None, None, "x")]
        )
        == 1
    )


# -- cadence
def test_cadence_defaults():
    assert [cadence.cadence_days(t) for t in "abcd"] == [30, 90, 90, 180]
    assert cadence.cadence_days(None) == 180
    with pytest.raises(ValueError):
        cadence.cadence_days("a", {"a": 0, "b": 1, "c": 1, "d": 1})


@given(st.dates(), st.integers(min_value=1, max_value=3650))
def test_next_contact_never_before_last_contact(last, days):
    assume(last <= datetime.date(9000, 1, 1))
    nxt = cadence.next_contact_date(last, days)
    assert nxt > last
    assert (nxt - last).days == days


def test_never_contacted_is_due_from_fallback():
    today = datetime.date(2026, 11, 24)
    assert cadence.next_contact_date(None, 30, today) == today
    # Due today is today's work, overdue from the day after.
    assert not cadence.is_overdue(today, today)
    assert cadence.is_due(today, today)
    assert cadence.is_overdue(today - datetime.timedelta(days=1), today)
    assert not cadence.is_overdue(today + datetime.timedelta(days=1), today)
    assert not cadence.is_overdue(None, today)
    assert not cadence.is_due(None, today)
    with pytest.raises(ValueError):
        cadence.next_contact_date(today, 0)


# -- scoring
def test_weighted_score_and_quadrants():
    assert scoring.weighted_score([(10, 3), (2, 1)]) == pytest.approx(80.0)
    assert scoring.weighted_score([]) is None
    assert scoring.weighted_score([(None, 1)]) is None
    with pytest.raises(ValueError):
        scoring.weighted_score([(11, 1)])
    with pytest.raises(ValueError):
        scoring.weighted_score([(5, -1)])
    assert scoring.quadrant(80, 80) == "key"
    assert scoring.quadrant(80, 20) == "target"
    assert scoring.quadrant(20, 80) == "maintain"
    assert scoring.quadrant(20, 20) == "low_profile"
    assert scoring.quadrant(None, 20) is None
    assert scoring.quadrant(50, 50) == "key", "the threshold itself is high/strong"


@given(st.lists(st.tuples(st.integers(0, 10), st.floats(0.01, 100)), min_size=1))
def test_weighted_score_in_range(ratings):
    assert 0 <= scoring.weighted_score(ratings) <= 100 + 1e-9


# -- revenue
def test_trend_decline_and_lifetime_value():
    assert revenue.trend(80, 100) == pytest.approx(-20.0)
    assert revenue.trend(100, 0) is None
    assert revenue.is_declining(-20.0, 20)
    assert not revenue.is_declining(-19.9, 20)
    assert not revenue.is_declining(None, 20)
    # 10,000 a quarter for three years (source 003).
    assert revenue.lifetime_value(10_000, 4, 3) == 120_000
    assert revenue.lifetime_value(10_000, 4, 3, cross_sell=5_000) == 125_000
    with pytest.raises(ValueError):
        revenue.lifetime_value(1, 1, -1)
