"""Gate of kam_pipeline_stages judged on positions, not on moves (issue 9).

Whatever the sequence of changes (stage, team, both at once), a deal ends past no
stage whose gate none of the changes checked.
"""

from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import load_logic

logic = load_logic("kam_pipeline_stages")
StageKey = logic.StageKey
DealPosition = logic.DealPosition

TEAM = 7
FM = StageKey(id=11, sequence=101, pipeline=TEAM, gated=True)
HELD = StageKey(id=12, sequence=102, pipeline=TEAM, gated=True)
FIFTY = StageKey(id=13, sequence=103, pipeline=TEAM, gated=True)
WON = StageKey(id=15, sequence=105, pipeline=TEAM, gated=True, won=True)
PARK = StageKey(id=16, sequence=106, pipeline=TEAM, gated=False, parking=True)
GENERIC = StageKey(id=1, sequence=1, pipeline=None, gated=False)
GENERIC_WON = StageKey(id=2, sequence=70, pipeline=None, gated=False, won=True)
OTHER = StageKey(id=21, sequence=102, pipeline=99, gated=True)
OTHER_NEXT = StageKey(id=22, sequence=103, pipeline=99, gated=True)
STAGES = [FM, HELD, FIFTY, WON, PARK, GENERIC, GENERIC_WON, OTHER, OTHER_NEXT]
PIPELINE = [stage for stage in STAGES if stage.gated or stage.parking]


def test_the_reported_sequence_is_gated():
    """Generic stage, then no team and a generic won stage, then the team back."""
    start = DealPosition(GENERIC, TEAM)
    outside = DealPosition(GENERIC_WON, None)
    back = DealPosition(GENERIC_WON, TEAM)
    assert logic.gated_transition(start, outside, PIPELINE) == []
    assert logic.gated_transition(outside, back, PIPELINE) == [
        FM.id,
        HELD.id,
        FIFTY.id,
        WON.id,
    ]


def test_a_new_deal_passes_the_stages_before_its_stage():
    assert logic.gated_transition(None, DealPosition(FM, TEAM), PIPELINE) == []
    assert logic.gated_transition(None, DealPosition(FIFTY, TEAM), PIPELINE) == [
        FM.id,
        HELD.id,
    ]
    assert logic.gated_transition(None, DealPosition(GENERIC_WON, TEAM), PIPELINE) == [
        FM.id,
        HELD.id,
        FIFTY.id,
        WON.id,
    ]
    assert logic.gated_transition(None, DealPosition(GENERIC_WON, None), PIPELINE) == []


def test_a_team_change_alone_inside_a_pipeline_passes_nothing():
    assert (
        logic.gated_transition(
            DealPosition(FIFTY, TEAM), DealPosition(FIFTY, None), PIPELINE
        )
        == []
    )
    assert (
        logic.gated_transition(
            DealPosition(FIFTY, None), DealPosition(FIFTY, TEAM), PIPELINE
        )
        == []
    )


def test_moves_are_gated_as_before():
    for source in STAGES:
        for target in STAGES:
            passed = logic.gated_transition(
                DealPosition(source, TEAM), DealPosition(target, TEAM), PIPELINE
            )
            assert set(logic.passed_stages(source, target, PIPELINE)) <= set(passed)


positions = st.builds(
    DealPosition,
    stage=st.sampled_from([None, *STAGES]),
    team_pipeline=st.sampled_from([None, TEAM, 99]),
)


@given(positions, st.lists(positions, min_size=1, max_size=6))
def test_property_no_sequence_ends_past_an_unchecked_gate(start, path):
    checked = set(logic.reached_stages(start, PIPELINE))
    before = start
    for after in path:
        checked |= set(logic.gated_transition(before, after, PIPELINE))
        before = after
    assert set(logic.reached_stages(before, PIPELINE)) <= checked


@given(st.lists(positions, min_size=1, max_size=6))
def test_property_a_new_deal_ends_past_checked_gates_only(path):
    checked = set(logic.gated_transition(None, path[0], PIPELINE))
    for before, after in zip(path, path[1:], strict=False):
        checked |= set(logic.gated_transition(before, after, PIPELINE))
    assert set(logic.reached_stages(path[-1], PIPELINE)) <= checked
