"""The cockpit's figures of kam_management without Odoo: compliance rates and their
trend, the pyramid against the 10/30/60 guideline (docs/METHOD.md#cockpit), the
changes the account history records and the cadence breaches."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .conftest import load_logic

cockpit = load_logic("kam_management").cockpit

counts = st.integers(min_value=0, max_value=10**6)


# -- rates and trends
def test_rate():
    assert cockpit.rate(1, 2) == 50.0
    assert cockpit.rate(2, 3) == 66.7
    assert cockpit.rate(0, 5) == 0.0
    assert cockpit.rate(0, 0) is None
    with pytest.raises(ValueError):
        cockpit.rate(3, 2)
    with pytest.raises(ValueError):
        cockpit.rate(-1, 2)


@given(counts, counts)
def test_rate_is_a_percentage(part, extra):
    total = part + extra
    value = cockpit.rate(part, total)
    if total == 0:
        assert value is None
    else:
        assert 0.0 <= value <= 100.0
        assert value == 100.0 or part < total


def test_trend():
    assert cockpit.trend(100.0, 50.0) == 50.0
    assert cockpit.trend(66.7, 33.3) == 33.4
    assert cockpit.trend(None, 50.0) is None
    assert cockpit.trend(50.0, None) is None


def test_weekly_rates_weigh_by_accounts():
    monday = datetime.date(2026, 11, 2)
    next_monday = monday + datetime.timedelta(days=7)
    rows = [(monday, 1, 2), (monday, 9, 10), (next_monday, 0, 0)]
    assert cockpit.weekly_rates(rows) == [(monday, 83.3), (next_monday, None)]
    assert cockpit.weekly_rates([]) == []


@given(st.lists(st.tuples(st.integers(0, 3), counts, counts), max_size=20))
def test_weekly_rates_cover_every_week_once(rows):
    rows = [(week, done, done + extra) for week, done, extra in rows]
    weeks = [week for week, _rate in cockpit.weekly_rates(rows)]
    assert weeks == sorted({week for week, _done, _total in rows})


# -- pyramid
def test_pyramid_against_the_guideline():
    rows = cockpit.pyramid(
        {"key": 2, "ordinary": 1, "prospect": 2},
        {"key": 120.0, "ordinary": 30.0, "prospect": 30.0},
    )
    by_class = {row["klass"]: row for row in rows}
    assert [row["klass"] for row in rows] == ["key", "ordinary", "prospect"]
    assert by_class["key"]["account_share"] == 40.0
    assert by_class["key"]["time_share"] == 66.7
    assert by_class["key"]["guideline_accounts"] == 10.0
    assert by_class["key"]["guideline_time"] == 60.0
    assert by_class["key"]["account_gap"] == 30.0
    assert by_class["key"]["time_gap"] == 6.7
    assert by_class["prospect"]["guideline_accounts"] == 60.0
    assert by_class["prospect"]["guideline_time"] == 10.0


def test_pyramid_of_an_empty_base():
    rows = cockpit.pyramid({}, {})
    assert all(r["account_share"] is None and r["time_share"] is None for r in rows)
    assert all(r["account_gap"] is None for r in rows)
    with pytest.raises(ValueError):
        cockpit.pyramid({"vip": 1}, {})


def test_guideline_adds_up():
    assert sum(cockpit.GUIDELINE_ACCOUNTS.values()) == 100.0
    assert sum(cockpit.GUIDELINE_TIME.values()) == 100.0


@given(
    st.fixed_dictionaries({k: counts for k in cockpit.PYRAMID_CLASSES}),
    st.fixed_dictionaries({k: counts for k in cockpit.PYRAMID_CLASSES}),
)
def test_pyramid_shares_add_up_to_a_hundred(accounts, minutes):
    rows = cockpit.pyramid(accounts, minutes)
    for key, source in (("account_share", accounts), ("time_share", minutes)):
        shares = [row[key] for row in rows]
        if sum(source.values()):
            # Three shares rounded to one decimal: a hundred within 0.15.
            assert sum(shares) == pytest.approx(100.0, abs=0.15)
        else:
            assert shares == [None, None, None]


def test_pyramid_class():
    assert cockpit.pyramid_class(True, False) == "key"
    assert cockpit.pyramid_class(True, True) == "key"
    assert cockpit.pyramid_class(False, True) == "ordinary"
    assert cockpit.pyramid_class(False, False) == "prospect"


# -- history
def test_history_changes():
    before = {
        1: {"tier": "b", "quadrant": "key", "temperature": "warm"},
        2: {"tier": "a", "quadrant": False, "temperature": "hot"},
    }
    after = {
        1: {"tier": "a", "quadrant": "key", "temperature": "hot"},
        2: {"tier": "a", "quadrant": None, "temperature": "hot"},
        3: {"tier": "d", "quadrant": False, "temperature": "none"},
    }
    assert cockpit.history_changes(before, after) == [
        (1, "temperature", "warm", "hot"),
        (1, "tier", "b", "a"),
        (3, "temperature", False, "none"),
        (3, "tier", False, "d"),
    ]


values = st.sampled_from([False, "a", "b", "key", "hot"])
snapshots = st.dictionaries(
    st.integers(1, 20),
    st.fixed_dictionaries({kind: values for kind in cockpit.HISTORY_KINDS}),
    max_size=10,
)


@given(snapshots)
def test_no_change_no_history(snapshot):
    assert cockpit.history_changes(snapshot, snapshot) == []


@given(snapshots, snapshots)
def test_history_replays_to_the_new_state(before, after):
    state = {key: dict(before.get(key, {})) for key in after}
    for account_id, kind, old, new in cockpit.history_changes(before, after):
        assert old != new
        assert (state[account_id].get(kind) or False) == old
        state[account_id][kind] = new
    for account_id, values_ in after.items():
        for kind in cockpit.HISTORY_KINDS:
            assert (state[account_id].get(kind) or False) == (values_[kind] or False)


def test_one_breach_per_spell():
    day = datetime.date(2026, 11, 1)
    assert cockpit.breach_starts(None, True)
    assert not cockpit.breach_starts(day, True)
    assert not cockpit.breach_starts(None, False)
    assert not cockpit.breach_starts(day, False)


def test_movement_direction():
    assert cockpit.movement_direction("tier", "b", "a") == "up"
    assert cockpit.movement_direction("tier", "a", "d") == "down"
    assert cockpit.movement_direction("tier", "c", "c") is None
    assert cockpit.movement_direction("quadrant", "target", "key") == "up"
    assert cockpit.movement_direction("quadrant", "key", "low_profile") == "down"
    # Target and maintain share a rank: sideways.
    assert cockpit.movement_direction("quadrant", "target", "maintain") is None
    # No standing before (a new account) or an unknown kind: no direction.
    assert cockpit.movement_direction("tier", None, "a") is None
    assert cockpit.movement_direction("temperature", "hot", "cold") is None


@given(
    st.sampled_from(sorted(cockpit.MOVEMENT_RANKS)),
    st.data(),
)
def test_movement_direction_is_antisymmetric(kind, data):
    values = sorted(cockpit.MOVEMENT_RANKS[kind])
    old = data.draw(st.sampled_from(values))
    new = data.draw(st.sampled_from(values))
    there = cockpit.movement_direction(kind, old, new)
    back = cockpit.movement_direction(kind, new, old)
    assert {there, back} in ({None}, {"up", "down"})


def test_change_percent():
    assert cockpit.change_percent(150.0, 100.0) == 50.0
    assert cockpit.change_percent(50.0, 100.0) == -50.0
    assert cockpit.change_percent(10.0, -20.0) == 150.0
    assert cockpit.change_percent(10.0, 0.0) is None
