"""Pure computations of kam_account_plan, without Odoo (pytest + hypothesis)."""

import datetime

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from .conftest import load_logic

logic = load_logic("kam_account_plan")

TODAY = datetime.date(2026, 6, 15)
dates = st.dates(
    min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 12, 31)
)
amounts = st.floats(min_value=0, max_value=1e9, allow_nan=False)
probabilities = st.floats(min_value=0, max_value=100, allow_nan=False)


# -- forecast


def test_weighted_amount_examples():
    assert logic.weighted_amount(10000, 50) == 5000
    assert logic.weighted_amount(10000, 0) == 0
    assert logic.weighted_amount(10000, 100) == 10000


@pytest.mark.parametrize("probability", [-0.01, 100.01, None])
def test_weighted_amount_rejects_probability_outside_0_100(probability):
    with pytest.raises(ValueError):
        logic.weighted_amount(100, probability)


@given(
    st.lists(
        st.tuples(
            amounts, probabilities, st.sampled_from(["Q1", "Q2"]), st.sampled_from("ab")
        )
    )
)
def test_forecast_totals_properties(rows):
    lines = [
        {"amount": a, "probability": p, "period": per, "category": c}
        for a, p, per, c in rows
    ]
    totals = logic.forecast_totals(lines)
    assert totals["total"] == pytest.approx(sum(a for a, *_ in rows))
    # the weighted total never exceeds the total, and both are sums of their breakdowns
    assert 0 <= totals["weighted"] <= totals["total"] * (1 + 1e-9) + 1e-6
    for key in ("by_period", "by_category"):
        assert sum(t for t, _w in totals[key].values()) == pytest.approx(
            totals["total"]
        )
        assert sum(w for _t, w in totals[key].values()) == pytest.approx(
            totals["weighted"]
        )


def test_forecast_totals_empty():
    assert logic.forecast_totals([]) == {
        "total": 0.0,
        "weighted": 0.0,
        "by_period": {},
        "by_category": {},
    }


def test_achievement_percent():
    assert logic.achievement_percent(50, 200) == 25
    assert logic.achievement_percent(50, 0) is None
    assert logic.achievement_percent(None, 100) == 0


# -- periods and review cadence


def test_add_months_clamps_to_month_end():
    assert logic.add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert logic.add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
    assert logic.add_months(datetime.date(2026, 11, 15), 3) == datetime.date(
        2027, 2, 15
    )


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ((2026, 1, 1), (2026, 12, 31), ((2027, 1, 1), (2027, 12, 31))),
        ((2026, 1, 1), (2026, 3, 31), ((2026, 4, 1), (2026, 6, 30))),
        ((2026, 2, 1), (2026, 2, 28), ((2026, 3, 1), (2026, 3, 31))),
        ((2026, 1, 10), (2026, 1, 19), ((2026, 1, 20), (2026, 1, 29))),
    ],
)
def test_next_period_examples(start, end, expected):
    start, end = datetime.date(*start), datetime.date(*end)
    assert logic.next_period(start, end) == tuple(datetime.date(*d) for d in expected)


@given(dates, st.integers(min_value=0, max_value=800))
def test_next_period_follows_without_overlap(start, length):
    end = start + datetime.timedelta(days=length)
    assume(end.year < 2099)
    new_start, new_end = logic.next_period(start, end)
    assert new_start == end + datetime.timedelta(days=1)
    assert new_end >= new_start
    assert not logic.periods_overlap(start, end, new_start, new_end)


def test_next_period_rejects_reversed_dates():
    with pytest.raises(ValueError):
        logic.next_period(datetime.date(2026, 2, 1), datetime.date(2026, 1, 1))


@given(dates, dates, dates, dates)
def test_periods_overlap_is_symmetric(a, b, c, d):
    a, b = sorted((a, b))
    c, d = sorted((c, d))
    assert logic.periods_overlap(a, b, c, d) == logic.periods_overlap(c, d, a, b)
    assert logic.periods_overlap(a, b, a, b)


def test_next_review_date():
    start = datetime.date(2026, 1, 1)
    assert logic.next_review_date("quarterly", start) == datetime.date(2026, 4, 1)
    assert logic.next_review_date(
        "quarterly", start, datetime.date(2026, 5, 10)
    ) == datetime.date(2026, 8, 10)
    assert logic.next_review_date("monthly", start) == datetime.date(2026, 2, 1)
    assert logic.next_review_date(False, start) is None
    assert logic.next_review_date("annual", None) is None


@given(
    st.sampled_from(sorted(logic.REVIEW_INTERVAL_MONTHS)),
    dates,
    st.one_of(st.none(), dates),
)
def test_next_review_date_is_after_its_base(cadence, start, last_review):
    assume(max(start, last_review or start).year < 2100)
    due = logic.next_review_date(cadence, start, last_review)
    assert due > (last_review or start)


# -- stakeholders and risk signals


def _status(**kwargs):
    values = {
        "contact_active": True,
        "same_company": True,
        "marked_left": False,
        "function_at_plan": "CFO",
        "current_function": "CFO",
    }
    values.update(kwargs)
    return logic.stakeholder_status(**values)


def test_stakeholder_status():
    assert _status() == logic.STAKEHOLDER_ACTIVE
    assert _status(current_function="  cfo ") == logic.STAKEHOLDER_ACTIVE
    assert _status(current_function="CEO") == logic.STAKEHOLDER_ROLE_CHANGED
    assert (
        _status(function_at_plan="", current_function="CEO") == logic.STAKEHOLDER_ACTIVE
    )
    assert _status(contact_active=False) == logic.STAKEHOLDER_LEFT
    assert _status(same_company=False, current_function="CEO") == logic.STAKEHOLDER_LEFT
    assert _status(marked_left=True) == logic.STAKEHOLDER_LEFT


def test_risk_signals_none_when_healthy():
    assert (
        logic.risk_signals(
            key_stakeholder_statuses=["active"],
            last_feedback_date=TODAY,
            feedback_silence_days=180,
            today=TODAY,
        )
        == []
    )


def test_risk_signals_all():
    signals = logic.risk_signals(
        key_stakeholder_statuses=["active", "left"],
        revenue_declining=True,
        contact_overdue=True,
        last_feedback_date=TODAY - datetime.timedelta(days=181),
        feedback_silence_days=180,
        today=TODAY,
    )
    assert signals == list(logic.RISK_SIGNALS)


def test_risk_contact_overdue_is_the_accounts_flag():
    assert logic.risk_signals(contact_overdue=True, today=TODAY) == [
        logic.RISK_CONTACT_OVERDUE
    ]
    assert logic.risk_signals(contact_overdue=False, today=TODAY) == []


def test_risk_no_feedback_counts_from_plan_start():
    kwargs = {"feedback_silence_days": 90, "today": TODAY}
    assert logic.risk_signals(
        plan_start=TODAY - datetime.timedelta(days=91), **kwargs
    ) == [logic.RISK_NO_FEEDBACK]
    assert (
        logic.risk_signals(plan_start=TODAY - datetime.timedelta(days=90), **kwargs)
        == []
    )
    assert logic.risk_signals(**kwargs) == []


@given(
    st.lists(st.sampled_from(["active", "role_changed", "left"])),
    st.booleans(),
    st.booleans(),
    dates,
)
def test_risk_signals_properties(statuses, declining, overdue, today):
    signals = logic.risk_signals(
        key_stakeholder_statuses=statuses,
        revenue_declining=declining,
        contact_overdue=overdue,
        today=today,
    )
    assert len(signals) == len(set(signals))
    assert [s for s in logic.RISK_SIGNALS if s in signals] == signals
    assert (logic.RISK_STAKEHOLDER_CHANGE in signals) == any(
        s != "active" for s in statuses
    )
    assert (logic.RISK_REVENUE_DECLINE in signals) == declining
    assert (logic.RISK_CONTACT_OVERDUE in signals) == overdue


# -- scorecard


def test_scorecard_examples():
    assert logic.scorecard_score([(1, 5), (1, 5)]) == 100
    assert logic.scorecard_score([(1, 0), (3, 5)]) == 75
    assert logic.scorecard_score([(1, None)]) is None
    assert logic.scorecard_score([]) is None
    assert logic.scorecard_score([(0, 3)]) is None
    with pytest.raises(ValueError):
        logic.scorecard_score([(1, 6)])
    with pytest.raises(ValueError):
        logic.scorecard_score([(-1, 3)])


@given(
    st.lists(
        st.tuples(
            st.floats(min_value=0.01, max_value=100, allow_nan=False),
            st.integers(min_value=0, max_value=5),
        ),
        min_size=1,
    )
)
def test_scorecard_bounds_and_scale_invariance(lines):
    score = logic.scorecard_score(lines)
    assert 0 <= score <= 100 + 1e-9
    assert logic.scorecard_score([(w * 3, s) for w, s in lines]) == pytest.approx(score)
    scores = {s for _w, s in lines}
    if len(scores) == 1:
        assert score == pytest.approx(scores.pop() * 20)


# -- whitespace


def test_whitespace_matrix():
    units, categories, grid = logic.whitespace_matrix(
        [
            ("Plant A", "Pumps", "ours"),
            ("Plant A", "Valves", "competitor"),
            ("Plant B", "Pumps", "none"),
            ("Plant B", "Pumps", "competitor"),
        ]
    )
    assert units == ["Plant A", "Plant B"]
    assert categories == ["Pumps", "Valves"]
    assert grid == {
        "Plant A": {"Pumps": "ours", "Valves": "competitor"},
        "Plant B": {"Pumps": "competitor", "Valves": None},
    }
    with pytest.raises(ValueError):
        logic.whitespace_matrix([("A", "B", "maybe")])


statuses = st.sampled_from(
    [logic.WHITESPACE_OURS, logic.WHITESPACE_COMPETITOR, logic.WHITESPACE_NONE]
)


@given(st.lists(st.tuples(st.sampled_from("ABC"), st.sampled_from("xyz"), statuses)))
def test_whitespace_matrix_is_complete_and_keeps_best_position(cells):
    units, categories, grid = logic.whitespace_matrix(cells)
    assert set(units) == {u for u, _c, _s in cells}
    assert set(categories) == {c for _u, c, _s in cells}
    for unit in units:
        assert set(grid[unit]) == set(categories)
    for unit, category, status in cells:
        if status == logic.WHITESPACE_OURS:
            assert grid[unit][category] == logic.WHITESPACE_OURS
        assert grid[unit][category] is not None
    # order does not matter
    assert logic.whitespace_matrix(list(reversed(cells)))[2] == grid


@given(st.lists(st.tuples(statuses, amounts)))
def test_whitespace_potential(cells):
    open_potential = logic.whitespace_potential(cells)
    assert open_potential == pytest.approx(
        sum(p for s, p in cells if s != logic.WHITESPACE_OURS)
    )
    assert 0 <= open_potential <= sum(p for _s, p in cells) + 1e-6


# -- action lines


def test_action_status():
    day = datetime.timedelta(days=1)
    assert logic.action_status(done=True, deadline=TODAY - day, today=TODAY) == "done"
    assert logic.action_status(done=False, cancelled=True, today=TODAY) == "cancelled"
    assert logic.action_status(done=False, today=TODAY) == "to_schedule"
    assert (
        logic.action_status(done=False, deadline=TODAY - day, today=TODAY) == "overdue"
    )
    assert logic.action_status(done=False, deadline=TODAY, today=TODAY) == "today"
    assert (
        logic.action_status(done=False, deadline=TODAY + day, today=TODAY) == "planned"
    )


# -- plan against pipeline and actuals


def test_pipeline_weighted_examples():
    assert logic.pipeline_weighted([]) == 0
    assert logic.pipeline_weighted([(20000, 50), (10000, 30), (8000, 0)]) == 13000
    # an opportunity nobody rated weighs nothing
    assert logic.pipeline_weighted([(5000, None), (None, 50)]) == 0
    with pytest.raises(ValueError):
        logic.pipeline_weighted([(100, 120)])


@given(st.lists(st.tuples(amounts, probabilities), max_size=20))
def test_pipeline_weighted_bounds(opportunities):
    weighted = logic.pipeline_weighted(opportunities)
    total = sum(amount for amount, _p in opportunities)
    assert 0 <= weighted <= total * (1 + 1e-9) + 1e-6


def test_actual_period():
    start, end = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
    assert logic.actual_period(start, end, TODAY) == (start, TODAY)
    assert logic.actual_period(start, end, datetime.date(2027, 3, 1)) == (start, end)
    assert logic.actual_period(start, end, datetime.date(2025, 12, 31)) is None
    assert logic.actual_period(start, end, start) == (start, start)
    assert logic.actual_period(None, end, TODAY) is None


@given(dates, dates, dates)
def test_actual_period_within_plan_and_not_after_today(start, end, today):
    assume(start <= end)
    period = logic.actual_period(start, end, today)
    if today < start:
        assert period is None
    else:
        assert start == period[0] <= period[1] <= end
        assert period[1] <= today


def test_gap_to_plan_and_coverage_examples():
    assert logic.gap_to_plan(140000, 35000, 13000) == 92000
    assert logic.gap_to_plan(10000, 0, 48000) == -38000
    assert logic.gap_to_plan(None, None, None) == 0
    assert logic.coverage_percent(140000, 35000, 13000) == pytest.approx(34.2857, 1e-4)
    assert logic.coverage_percent(40000, 35000, 13000) == 120
    assert logic.coverage_percent(0, 35000, 13000) is None
    assert logic.coverage_percent(None, 0, 0) is None


@given(amounts, amounts, amounts)
def test_gap_and_coverage_agree(forecast, actual, pipeline):
    assume(forecast > 1e-3)
    gap = logic.gap_to_plan(forecast, actual, pipeline)
    coverage = logic.coverage_percent(forecast, actual, pipeline)
    # forecast = actual + pipeline + gap; covered at 100 % exactly when the gap is 0
    assert actual + pipeline + gap == pytest.approx(forecast, rel=1e-9, abs=1e-3)
    assert coverage == pytest.approx(
        (forecast - gap) * 100 / forecast, rel=1e-6, abs=1e-6
    )


# -- competition


def test_reason_summary():
    assert logic.reason_summary({}, "No reason") == ""
    assert (
        logic.reason_summary(
            {"Too expensive": 2, "Delivery time": 1, None: 1, "Quality": 0},
            "No reason",
        )
        == "Too expensive (2), Delivery time (1), No reason (1)"
    )
    # a reason named like the placeholder is merged with the losses without reason
    assert logic.reason_summary({None: 1, "No reason": 2}, "No reason") == (
        "No reason (3)"
    )


@given(
    st.dictionaries(
        st.one_of(st.none(), st.text(alphabet="abc xyz", min_size=1, max_size=8)),
        st.integers(min_value=0, max_value=50),
        max_size=6,
    )
)
def test_reason_summary_counts_every_loss(counts):
    summary = logic.reason_summary(counts, "-")
    numbers = [
        int(part.rsplit("(", 1)[1].rstrip(")")) for part in summary.split(", ") if part
    ]
    assert sum(numbers) == sum(counts.values())
    assert numbers == sorted(numbers, reverse=True)


def test_stakeholder_role_change_on_the_plan():
    base = {
        "contact_active": True,
        "same_company": True,
        "marked_left": False,
        "function_at_plan": "CFO",
        "current_function": "CFO",
    }
    assert logic.stakeholder_status(**base) == logic.STAKEHOLDER_ACTIVE
    assert (
        logic.stakeholder_status(
            **base, role_at_plan="influencer", current_role="gatekeeper"
        )
        == logic.STAKEHOLDER_ROLE_CHANGED
    )
    assert (
        logic.stakeholder_status(
            **base, role_at_plan="influencer", current_role="influencer"
        )
        == logic.STAKEHOLDER_ACTIVE
    )
    # Unknown role on the plan: no change to report; leaving wins.
    assert (
        logic.stakeholder_status(**base, role_at_plan=None, current_role="user")
        == logic.STAKEHOLDER_ACTIVE
    )
    assert (
        logic.stakeholder_status(
            **dict(base, marked_left=True),
            role_at_plan="influencer",
            current_role="gatekeeper",
        )
        == logic.STAKEHOLDER_LEFT
    )
