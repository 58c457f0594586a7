"""Relationship coverage rules of kam_management (docs/METHOD.md#coverage)."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .conftest import load_logic

coverage = load_logic("kam_management").coverage

people = st.integers(min_value=1, max_value=6)
pairs_st = st.dictionaries(
    st.tuples(people, people), st.integers(min_value=0, max_value=20), max_size=12
)
levels_st = st.dictionaries(people, st.sampled_from(coverage.LEVELS))
TODAY = datetime.date(2026, 6, 30)


# -- levels
@pytest.mark.parametrize(
    "function, level",
    [
        ("CEO", "executive"),
        ("Chief Financial Officer", "executive"),
        ("Managing Director", "executive"),
        ("General Manager", "executive"),
        ("VP Sales", "executive"),
        ("Purchasing Manager", "management"),
        ("Head of Procurement", "management"),
        ("Buyer", "operational"),
        ("Engineer", "operational"),
        ("Генеральный директор", "executive"),
        ("Коммерческий директор", "executive"),
        ("Руководитель отдела закупок", "management"),
        ("Начальник склада", "management"),
        ("Инженер", "operational"),
        ("总经理", "executive"),
        ("采购总监", "executive"),
        ("采购经理", "management"),
        ("工程师", "operational"),
    ],
)
def test_function_levels(function, level):
    assert coverage.function_level(function) == level


def test_cto_is_not_in_director_and_words_start():
    # "cto" inside "director" does not make an executive of a "Sales Director"'s
    # deputy, but "director" does; a word's start matches, not its middle.
    assert coverage.function_level("Conductor") == "operational"
    assert coverage.function_level("Lead engineer") == "management"
    assert coverage.function_level("Misleading title") == "operational"


def test_contact_level_function_first_then_role():
    assert coverage.contact_level("user", "CEO") == "executive"
    assert coverage.contact_level("decision_maker", "") == "executive"
    assert coverage.contact_level("gatekeeper", None) == "operational"
    assert coverage.contact_level(None, None) == "unknown"
    assert coverage.contact_level("influencer", "  ") == "management"


@given(st.text(max_size=40), st.sampled_from([None, *coverage.ROLE_LEVELS]))
def test_contact_level_is_a_level(function, role):
    assert coverage.contact_level(role, function) in coverage.LEVELS


# -- classification
def test_bow_tie_and_diamond():
    levels = {10: "executive", 11: "operational", 12: "management"}
    assert coverage.classify({}) == "none"
    assert coverage.classify({(1, 10): 0}) == "none"
    # One of ours for three of theirs: a bow-tie.
    assert coverage.classify({(1, 10): 2, (1, 11): 2, (1, 12): 1}, levels) == "single"
    # Two of ours, one of theirs: a bow-tie too.
    assert coverage.classify({(1, 10): 2, (2, 10): 2}, levels) == "single"
    # Several on both sides at two levels: a diamond.
    assert coverage.classify({(1, 10): 2, (2, 11): 2}, levels) == "multi"
    # Several on both sides, one level: developing.
    assert coverage.classify({(1, 11): 2, (2, 12): 0, (2, 11): 2}, levels) == "single"
    assert coverage.classify({(1, 10): 1, (2, 13): 1}, {10: "executive"}) == (
        "developing"
    )
    # One person carries 80% of the interactions: single-threaded.
    assert coverage.classify({(1, 10): 8, (2, 11): 1, (3, 12): 1}, levels) == "single"


@given(pairs_st, levels_st)
def test_classify_properties(pairs, levels):
    klass = coverage.classify(pairs, levels)
    assert klass in coverage.COVERAGE_CLASSES
    active = {pair for pair, count in pairs.items() if count > 0}
    ours = {our for our, _their in active}
    theirs = {their for _our, their in active}
    if not active:
        assert klass == "none"
    elif len(ours) == 1 or len(theirs) == 1:
        assert klass == "single"
    if klass == "multi":
        assert len(ours) >= 2 and len(theirs) >= 2
        assert len({levels.get(t, "unknown") for t in theirs} - {"unknown"}) >= 2


@given(pairs_st, levels_st, st.integers(min_value=2, max_value=5))
def test_classification_depends_on_shares_not_volume(pairs, levels, factor):
    # Twice as many interactions of everybody is the same relationship.
    more = {pair: count * factor for pair, count in pairs.items()}
    assert coverage.classify(more, levels) == coverage.classify(pairs, levels)


# -- level shares
@given(st.lists(st.sampled_from(coverage.LEVELS), max_size=30))
def test_level_shares_add_up(levels):
    shares = coverage.level_shares(levels)
    assert set(shares) == set(coverage.LEVELS)
    if levels:
        assert sum(shares.values()) == pytest.approx(100.0)
    else:
        assert sum(shares.values()) == 0


# -- recency
def test_recency_colours():
    day = datetime.timedelta(days=1)
    assert coverage.recency(None, TODAY, 30) == "none"
    assert coverage.recency(TODAY - 30 * day, TODAY, 30) == "fresh"
    assert coverage.recency(TODAY - 31 * day, TODAY, 30) == "fading"
    assert coverage.recency(TODAY - 60 * day, TODAY, 30) == "fading"
    assert coverage.recency(TODAY - 61 * day, TODAY, 30) == "stale"
    with pytest.raises(ValueError):
        coverage.recency(TODAY, TODAY, 0)


@given(st.integers(min_value=0, max_value=1000), st.integers(1, 400))
def test_recency_is_monotonic(age, cadence):
    order = {"fresh": 0, "fading": 1, "stale": 2}
    day = datetime.timedelta(days=1)
    now = coverage.recency(TODAY - age * day, TODAY, cadence)
    later = coverage.recency(TODAY - (age + 1) * day, TODAY, cadence)
    assert order[later] >= order[now]
    assert coverage.is_silent(TODAY - age * day, TODAY, cadence) == (age > cadence)


def test_silent_stakeholders():
    day = datetime.timedelta(days=1)
    roles = {1: "decision_maker", 2: "influencer", 3: "user", 4: "decision_maker"}
    last = {1: TODAY - 10 * day, 2: TODAY - 40 * day, 3: None}
    assert coverage.silent_stakeholders(roles, last, TODAY, 30) == [4, 2]
    assert coverage.silent_stakeholders(
        roles, last, TODAY, 30, ("decision_maker",)
    ) == [4]


# -- suggestions and ratings
def test_suggestions_senior_for_decision_makers():
    their = [
        (10, "operational", "user"),
        (11, "executive", None),
        (12, "x", "decision_maker"),
    ]
    assert coverage.suggest_contacts(their, {10}, "director", "rep") == [
        (12 and "director", 12),
        ("director", 11),
    ]
    assert coverage.suggest_contacts(their, set(), None, "rep")[-1] == ("rep", 10)
    assert coverage.suggest_contacts(their, set(), None, None) == []


@given(
    st.sampled_from(coverage.COVERAGE_CLASSES),
    st.lists(st.sampled_from(coverage.LEVELS), max_size=10),
    st.integers(0, 50),
)
def test_suggested_ratings_are_ratings(klass, levels, reached):
    rating = coverage.suggested_rating(klass, coverage.level_shares(levels), reached)
    assert set(rating) == {"access", "contacts"}
    assert all(0 <= value <= 10 for value in rating.values())
    if klass == "none":
        assert rating["contacts"] == 0


def test_period_start():
    assert coverage.period_start(TODAY, 1) == TODAY
    assert coverage.period_start(TODAY, 30) == TODAY - datetime.timedelta(days=29)
    with pytest.raises(ValueError):
        coverage.period_start(TODAY, 0)
