"""Pure logic of kam_pipeline_stages: gating, aging, qualification, ratios."""

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import load_logic

logic = load_logic("kam_pipeline_stages")
StageKey = logic.StageKey

TEAM = 7
FM = StageKey(id=11, sequence=101, pipeline=TEAM, gated=True)
HELD = StageKey(id=12, sequence=102, pipeline=TEAM, gated=True)
FIFTY = StageKey(id=13, sequence=103, pipeline=TEAM, gated=True)
S75 = StageKey(id=14, sequence=104, pipeline=TEAM, gated=True)
WON = StageKey(id=15, sequence=105, pipeline=TEAM, gated=True)
PARK = StageKey(id=16, sequence=106, pipeline=TEAM, gated=False, parking=True)
GENERIC = StageKey(id=1, sequence=1, pipeline=None, gated=False)
GENERIC_WON = StageKey(id=2, sequence=70, pipeline=None, gated=False, won=True)
OTHER_TEAM = StageKey(id=21, sequence=102, pipeline=99, gated=True)
PIPELINE = [FM, HELD, FIFTY, S75, WON, PARK, OTHER_TEAM]
MANDATORY = {FM.id: [101], HELD.id: [201, 202], FIFTY.id: [301], S75.id: [401]}


# -- gating


def test_forward_one_stage_passes_the_source():
    assert logic.is_forward(FM, HELD)
    assert logic.passed_stages(FM, HELD, PIPELINE) == [FM.id]


def test_skipping_stages_passes_every_stage_between():
    assert logic.passed_stages(FM, S75, PIPELINE) == [FM.id, HELD.id, FIFTY.id]


def test_backward_and_same_stage_are_never_gated():
    assert not logic.is_forward(S75, HELD)
    assert logic.passed_stages(S75, HELD, PIPELINE) == []
    assert logic.passed_stages(HELD, HELD, PIPELINE) == []


def test_parking_is_never_gated_but_leaving_it_restarts_from_the_pipeline_start():
    assert not logic.is_forward(FIFTY, PARK)
    assert logic.passed_stages(PARK, FIFTY, PIPELINE) == [FM.id, HELD.id]


def test_generic_or_other_team_source_counts_from_the_start():
    assert logic.passed_stages(GENERIC, HELD, PIPELINE) == [FM.id]
    assert logic.passed_stages(None, FM, PIPELINE) == []
    assert logic.passed_stages(OTHER_TEAM, FIFTY, PIPELINE) == [FM.id, HELD.id]


def test_non_kam_target_is_never_gated():
    assert logic.passed_stages(FM, GENERIC, PIPELINE) == []
    assert logic.passed_stages(HELD, OTHER_TEAM, PIPELINE) == []


def test_a_generic_won_stage_cannot_shortcut_the_pipeline():
    assert logic.is_forward(HELD, GENERIC_WON)
    assert logic.passed_stages(HELD, GENERIC_WON, PIPELINE) == [
        HELD.id,
        FIFTY.id,
        S75.id,
        WON.id,
    ]
    assert logic.passed_stages(PARK, GENERIC_WON, PIPELINE) == [
        FM.id,
        HELD.id,
        FIFTY.id,
        S75.id,
        WON.id,
    ]
    # Deals outside any KAM pipeline win freely.
    assert logic.passed_stages(GENERIC, GENERIC_WON, PIPELINE) == []
    assert logic.passed_stages(None, GENERIC_WON, PIPELINE) == []


def test_other_pipeline_stages_are_ignored():
    passed = logic.passed_stages(FM, WON, PIPELINE)
    assert OTHER_TEAM.id not in passed
    assert passed == [FM.id, HELD.id, FIFTY.id, S75.id]


def test_gate_missing_lists_undone_mandatory_criteria_in_order():
    passed = logic.passed_stages(FM, FIFTY, PIPELINE)
    assert logic.gate_missing(passed, MANDATORY, {201}) == [
        (FM.id, 101),
        (HELD.id, 202),
    ]
    assert logic.gate_missing(passed, MANDATORY, {101, 201, 202}) == []


def test_gate_missing_without_mandatory_criteria_passes():
    assert logic.gate_missing([WON.id], MANDATORY, set()) == []


stage_lists = st.lists(
    st.builds(
        StageKey,
        id=st.integers(1, 60),
        sequence=st.integers(0, 20),
        pipeline=st.sampled_from([None, 1, 2]),
        gated=st.booleans(),
    ),
    min_size=1,
    max_size=12,
    unique_by=lambda s: s.id,
)


@given(stage_lists, st.data())
def test_property_backward_moves_never_pass_anything(stages, data):
    source = data.draw(st.sampled_from(stages))
    target = data.draw(st.sampled_from(stages))
    passed = logic.passed_stages(source, target, stages)
    by_id = {s.id: s for s in stages}
    assert passed == sorted(passed, key=lambda i: by_id[i].order)
    if not target.gated:
        # Leaving the pipeline is free, except to a won stage: then the rest of the
        # source's pipeline is passed.
        if not (target.won and (source.gated or source.parking)):
            assert passed == []
        for stage_id in passed:
            stage = by_id[stage_id]
            assert stage.gated and stage.pipeline == source.pipeline
        return
    if source.gated and source.pipeline == target.pipeline:
        if source.order >= target.order:
            assert passed == []
    # Whatever is passed is a gated stage of the target's pipeline, before the target.
    for stage_id in passed:
        stage = by_id[stage_id]
        assert stage.gated and stage.pipeline == target.pipeline
        assert stage.order < target.order


@given(stage_lists, st.data())
def test_property_moving_further_passes_a_superset(stages, data):
    gated = [s for s in stages if s.gated and s.pipeline == 1]
    if len(gated) < 3:
        return
    a, b, c = sorted(data.draw(st.permutations(gated))[:3], key=lambda s: s.order)
    assert set(logic.passed_stages(a, b, stages)) <= set(
        logic.passed_stages(a, c, stages)
    )


@given(
    st.dictionaries(st.integers(1, 9), st.lists(st.integers(1, 50), max_size=4)),
    st.sets(st.integers(1, 50)),
)
def test_property_ticking_everything_always_opens_the_gate(mandatory, done):
    passed = list(mandatory)
    all_ids = {i for ids in mandatory.values() for i in ids}
    assert logic.gate_missing(passed, mandatory, all_ids | done) == []
    missing = logic.gate_missing(passed, mandatory, done)
    assert all(cid not in done for _sid, cid in missing)


# -- aging


def test_days_in_stage_and_too_old():
    entered = datetime(2026, 1, 1, 12, 0)
    assert logic.days_in_stage(entered, entered + timedelta(days=3, hours=1)) == 3
    assert logic.days_in_stage(None, entered) == 0
    assert logic.days_in_stage(entered, entered - timedelta(days=1)) == 0
    assert not logic.is_too_old(entered, entered + timedelta(days=14), 14)
    assert logic.is_too_old(entered, entered + timedelta(days=15), 14)
    assert not logic.is_too_old(entered, entered + timedelta(days=999), 0)


@given(st.integers(0, 400), st.integers(0, 100), st.integers(0, 86399))
def test_property_too_old_iff_more_days_than_the_max(days, max_age, seconds):
    entered = datetime(2026, 3, 1)
    now = entered + timedelta(days=days, seconds=seconds)
    assert logic.is_too_old(entered, now, max_age) == (max_age > 0 and days > max_age)


# -- categories


def test_category_probabilities_follow_the_literature():
    assert logic.default_probability("meeting_held") == 25.0
    assert logic.default_probability("fifty") == 50.0
    assert logic.default_probability("seventy_five") == 75.0
    assert logic.default_probability("won") == 100.0
    assert logic.default_probability(False) == 0.0
    ranks = [logic.CATEGORY_RANK[c] for c in logic.CATEGORY_RANK]
    probabilities = [logic.CATEGORY_PROBABILITY[c] for c in logic.CATEGORY_RANK]
    assert ranks == sorted(ranks) and probabilities == sorted(probabilities)


def test_an_open_kam_deal_has_its_category_probability():
    def probability(category, **kwargs):
        values = {"active": True, "won": False, **kwargs}
        return logic.deal_probability(category, 25.0, **values)

    assert probability("meeting_held") == 25.0
    # the checklist's earned category wins where it sets the probability (0: none)
    assert probability("meeting_held", earned=10.0) == 10.0
    assert probability("meeting_held", earned=0.0) == 0.0
    # CRM's rules: won, lost (archived), outside the KAM pipeline
    assert probability("won", won=True) is None
    assert probability("meeting_held", active=False) is None
    assert probability(False) is None


# -- qualification

ANSWERS = {
    "deal_size": "typical",
    "time_to_close": "medium",
    "resources": "medium",
    "contact_probability": "medium",
}


@pytest.mark.parametrize(
    "reps, meetings, weeks, pilot",
    [
        (1, (1, 1), (1, 2), False),
        (2, (1, 1), (1, 2), False),
        (10, (2, 3), (4, 8), False),
        (150, (3, 5), (8, 13), True),
    ],
)
def test_schiffman_examples(reps, meetings, weeks, pilot):
    estimate = logic.estimate_qualification(reps, **ANSWERS)
    assert (estimate.meetings_min, estimate.meetings_max) == meetings
    assert (estimate.cycle_weeks_min, estimate.cycle_weeks_max) == weeks
    assert estimate.has_pilot is pilot
    if pilot:
        assert (estimate.pilot_visits_min, estimate.pilot_visits_max) == (2, 3)
        assert (estimate.pilot_weeks_min, estimate.pilot_weeks_max) == (2, 4)
    assert estimate.verdict == "qualify"


def test_answers_adjust_the_estimate_and_verdict():
    good = logic.estimate_qualification(
        10,
        deal_size="much_larger",
        time_to_close="short",
        resources="low",
        contact_probability="high",
    )
    assert good.verdict == "pursue" and good.meetings_max == 4
    poor = logic.estimate_qualification(
        10,
        deal_size="smaller",
        time_to_close="long",
        resources="high",
        contact_probability="low",
    )
    assert poor.verdict == "reconsider"
    assert (poor.meetings_min, poor.meetings_max) == (3, 4)
    assert poor.weeks_max == 8 + 2 + 4


@pytest.mark.parametrize(
    "reps, answers",
    [
        (-1, ANSWERS),
        (True, ANSWERS),
        (2.5, ANSWERS),
        (3, {**ANSWERS, "deal_size": "huge"}),
        (3, {**ANSWERS, "resources": None}),
    ],
)
def test_bad_input_is_refused(reps, answers):
    with pytest.raises(ValueError):
        logic.estimate_qualification(reps, **answers)


@given(
    st.integers(0, 10_000),
    st.sampled_from(["smaller", "typical", "larger", "much_larger"]),
    st.sampled_from(["short", "medium", "long"]),
    st.sampled_from(["low", "medium", "high"]),
    st.sampled_from(["low", "medium", "high"]),
)
def test_property_estimates_are_consistent(reps, size, time, resources, probability):
    estimate = logic.estimate_qualification(reps, size, time, resources, probability)
    assert 1 <= estimate.meetings_min <= estimate.meetings_max
    assert 1 <= estimate.cycle_weeks_min <= estimate.cycle_weeks_max
    assert estimate.verdict in ("pursue", "qualify", "reconsider")
    bigger = logic.estimate_qualification(
        reps * 10 + 50, size, time, resources, probability
    )
    assert bigger.meetings_min >= estimate.meetings_min
    assert bigger.cycle_weeks_max >= estimate.cycle_weeks_max


# -- ratios


def test_ratios_from_counts():
    counts = logic.reached_counts([1, 1, 2, 2, 3, 5, 0, None], contacts=24)
    assert counts.first_meetings == 6
    assert counts.meetings_held == 4
    assert counts.fifty == 2
    assert counts.seventy_five == 1
    assert counts.won == 1
    ratios = logic.pipeline_ratios(counts)
    assert ratios.contacts_per_meeting == 4.0
    assert ratios.first_meeting_to_held == pytest.approx(66.666, rel=1e-3)
    assert ratios.held_to_fifty == 50.0
    assert ratios.seventy_five_to_won == 100.0
    assert ratios.win_rate == pytest.approx(100 / 6)


def test_ratios_without_meetings_are_zero_not_an_error():
    ratios = logic.pipeline_ratios(logic.PipelineCounts(contacts=5))
    assert ratios == logic.PipelineRatios(0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    assert logic.safe_ratio(3, 0) == 0.0


@given(st.lists(st.integers(0, 5), max_size=60), st.integers(0, 200))
def test_property_counts_shrink_and_conversions_are_percentages(ranks, extra_contacts):
    counts = logic.reached_counts(ranks, contacts=len(ranks) + extra_contacts)
    assert (
        counts.first_meetings
        >= counts.meetings_held
        >= counts.fifty
        >= counts.seventy_five
        >= counts.won
    )
    ratios = logic.pipeline_ratios(counts)
    for value in ratios[1:]:
        assert 0.0 <= value <= 100.0
    if counts.first_meetings:
        assert ratios.contacts_per_meeting >= 1.0


def test_logic_imports_nothing_from_odoo(repo):
    for path in (repo / "kam_pipeline_stages" / "logic").glob("*.py"):
        text = path.read_text()
        assert "import odoo" not in text and "from odoo" not in text, path


# -- checklist category

CATS = logic.CHECKLIST_CATEGORIES
CHECKLIST_MANDATORY = {
    "first_meeting": [101],
    "meeting_held": [201, 202],
    "fifty": [301],
    "seventy_five": [401],
}


def test_checklist_categories_exclude_won_and_parking():
    assert CATS == ("first_meeting", "meeting_held", "fifty", "seventy_five")


def test_nothing_ticked_earns_nothing():
    assert logic.earned_category(CATS, CHECKLIST_MANDATORY, []) is None


def test_earned_category_is_the_highest_complete_prefix():
    earn = logic.earned_category
    assert earn(CATS, CHECKLIST_MANDATORY, [101]) == "first_meeting"
    assert earn(CATS, CHECKLIST_MANDATORY, [101, 201]) == "first_meeting"
    assert earn(CATS, CHECKLIST_MANDATORY, [101, 201, 202]) == "meeting_held"
    assert earn(CATS, CHECKLIST_MANDATORY, [101, 201, 202, 301, 401]) == (
        "seventy_five"
    )
    # A later category's criteria do not count while an earlier one is incomplete.
    assert earn(CATS, CHECKLIST_MANDATORY, [201, 202, 301, 401]) is None
    assert earn(CATS, CHECKLIST_MANDATORY, [101, 201, 301, 401]) == "first_meeting"


def test_a_category_without_criteria_is_not_earned_and_does_not_block():
    mandatory = {"first_meeting": [1], "fifty": [3]}
    assert logic.earned_category(CATS, mandatory, [1]) == "first_meeting"
    assert logic.earned_category(CATS, mandatory, [1, 3]) == "fifty"
    assert logic.earned_category(CATS, {}, [1, 2, 3]) is None


def test_stage_ahead_and_move():
    assert logic.stage_ahead("meeting_held", "first_meeting")
    assert logic.stage_ahead("first_meeting", None)
    assert not logic.stage_ahead("fifty", "fifty")
    assert not logic.stage_ahead("first_meeting", "fifty")
    assert logic.category_to_move("first_meeting", "fifty") == "fifty"
    assert logic.category_to_move("fifty", "first_meeting") is None
    assert logic.category_to_move("fifty", "fifty") is None
    assert logic.category_to_move("fifty", None) is None
    # Won, parking or a generic stage are never moved by the checklist.
    assert logic.category_to_move("won", "seventy_five") is None
    assert logic.category_to_move("no_next_step", "fifty") is None
    assert logic.category_to_move(False, "fifty") is None


checklist_mandatory = st.dictionaries(
    st.sampled_from(CATS),
    st.lists(st.integers(1, 30), max_size=4, unique=True),
)


@given(checklist_mandatory, st.sets(st.integers(1, 30)), st.integers(1, 30))
def test_property_ticking_one_more_never_lowers_the_category(mandatory, done, extra):
    before = logic.earned_category(CATS, mandatory, done)
    after = logic.earned_category(CATS, mandatory, done | {extra})
    assert logic.category_rank(after) >= logic.category_rank(before)


@given(checklist_mandatory, st.sets(st.integers(1, 30)))
def test_property_earned_category_has_every_criterion_before_it(mandatory, done):
    earned = logic.earned_category(CATS, mandatory, done)
    if earned is None:
        return
    assert mandatory.get(earned)
    for category in CATS[: CATS.index(earned) + 1]:
        assert set(mandatory.get(category, ())) <= done


@given(checklist_mandatory)
def test_property_ticking_everything_earns_the_last_category_with_criteria(mandatory):
    done = {cid for ids in mandatory.values() for cid in ids}
    with_criteria = [category for category in CATS if mandatory.get(category)]
    expected = with_criteria[-1] if with_criteria else None
    assert logic.earned_category(CATS, mandatory, done) == expected
