"""Stage gating: which stages a move passes, and which mandatory criteria are missing.

A stage is described by a :class:`StageKey`. Only *gated* stages (KAM stages
of a pipeline, not the parking "no next step" column) take part. A move is
*forward* when the target is a gated stage placed after the source in the
pipeline order ``(sequence, id)``; a source that is not a gated stage of the
target's pipeline (another team's stage, a generic stage, the parking column, no
stage) counts as the start of the pipeline, so parking a deal never lets it skip
stages. Moving backward or sideways is never gated.

Leaving the pipeline for a stage outside it is free, except for a *won* stage: a
deal of a KAM pipeline (or of its parking column) moved to a generic won stage
passes every remaining gated stage of its pipeline, as if it went to the end.

A move is one way to change where a deal stands; a change of team is another (a deal
won on a generic stage counts as past its team's whole pipeline). A
:class:`DealPosition` is where a deal stands, and :func:`gated_transition` the
stages a change of position passes, whatever changed, so that no sequence of changes
ends further than the gates let it go.
"""

from typing import NamedTuple


class StageKey(NamedTuple):
    id: int
    sequence: int
    pipeline: object  # the sales team id, or None for a shared stage
    gated: bool  # a KAM stage that is not the parking column
    parking: bool = False  # the "no next step" column of a KAM pipeline
    won: bool = False

    @property
    def order(self):
        return (self.sequence, self.id)


def _same_pipeline(source, target):
    return source is not None and source.gated and source.pipeline == target.pipeline


def _leaves_to_won(source, target):
    """A deal of a KAM pipeline moved to a won stage outside the pipeline."""
    return (
        target is not None
        and not target.gated
        and target.won
        and source is not None
        and (source.gated or source.parking)
    )


class DealPosition(NamedTuple):
    """Where a deal stands for the gate."""

    stage: object  # its StageKey, or None without a stage
    team_pipeline: object = None  # its team id when the team has KAM stages, else None


def _in_order(stage_ids, pipeline_stages):
    order = {stage.id: stage.order for stage in pipeline_stages}
    return sorted(stage_ids, key=lambda stage_id: order.get(stage_id, (0, stage_id)))


def reached_stages(position, pipeline_stages):
    """Return the ids of the gated stages a deal at ``position`` stands past.

    In a gated stage: the gated stages before it in its pipeline. In a won stage
    outside any KAM pipeline while its team has one: that whole pipeline. Anywhere
    else (no stage, a generic stage, a parking column): none.
    """
    stage = position.stage
    if stage is None:
        return []
    if stage.gated:
        return _in_order(
            [
                other.id
                for other in pipeline_stages
                if other.gated
                and other.pipeline == stage.pipeline
                and other.order < stage.order
            ],
            pipeline_stages,
        )
    if stage.won and position.team_pipeline is not None:
        return pipeline_gated_stages(position.team_pipeline, pipeline_stages)
    return []


def gated_transition(before, after, pipeline_stages):
    """Return the ids of the gated stages a change of position passes, in order.

    :param before: the :class:`DealPosition` before the change, ``None`` for a new
        deal (it starts before the first stage of every pipeline)
    :param after: the :class:`DealPosition` after the change

    The stages the stage move passes (:func:`passed_stages`), and every stage the
    deal stands past after the change but did not before (a change of team, or of
    stage and team at once, cannot skip a gate).
    """
    source = before.stage if before is not None else None
    passed = set(passed_stages(source, after.stage, pipeline_stages))
    already = set(reached_stages(before, pipeline_stages)) if before else set()
    passed |= set(reached_stages(after, pipeline_stages)) - already
    return _in_order(passed, pipeline_stages)


def is_forward(source, target):
    """True when moving from ``source`` to ``target`` is a forward (gated) move."""
    if _leaves_to_won(source, target):
        return True
    if target is None or not target.gated:
        return False
    if source is not None and source.id == target.id:
        return False
    if not _same_pipeline(source, target):
        return True
    return target.order > source.order


def passed_stages(source, target, pipeline_stages):
    """Return the ids of the gated stages a move passes, in pipeline order.

    They are the gated stages of the target's pipeline from the source (included)
    up to the target (excluded). Empty when the move is not forward.
    """
    if not is_forward(source, target):
        return []
    if _leaves_to_won(source, target):
        start = source.order if source.gated else None
        passed = [
            stage
            for stage in pipeline_stages
            if stage.gated
            and stage.pipeline == source.pipeline
            and (start is None or stage.order >= start)
        ]
        return [stage.id for stage in sorted(passed, key=lambda s: s.order)]
    start = source.order if _same_pipeline(source, target) else None
    passed = [
        stage
        for stage in pipeline_stages
        if stage.gated
        and stage.pipeline == target.pipeline
        and stage.order < target.order
        and (start is None or stage.order >= start)
    ]
    return [stage.id for stage in sorted(passed, key=lambda s: s.order)]


def pipeline_gated_stages(pipeline, pipeline_stages):
    """Return the ids of every gated stage of ``pipeline``, in pipeline order.

    What a deal passes when it goes to a won stage outside any KAM pipeline from a
    stage that is not a KAM stage (a generic stage, no stage) while its team has a
    KAM pipeline: it may not skip the whole pipeline in two moves.
    """
    passed = [
        stage for stage in pipeline_stages if stage.gated and stage.pipeline == pipeline
    ]
    return [stage.id for stage in sorted(passed, key=lambda s: s.order)]


def gate_missing(passed_stage_ids, mandatory_by_stage, done_ids):
    """Return the mandatory criteria left undone: ``[(stage_id, criterion_id)]``.

    :param passed_stage_ids: stage ids passed by the move (see :func:`passed_stages`)
    :param mandatory_by_stage: ``{stage_id: [criterion_id, ...]}``, in order
    :param done_ids: the criterion ids the opportunity has ticked
    """
    done = set(done_ids)
    return [
        (stage_id, criterion_id)
        for stage_id in passed_stage_ids
        for criterion_id in mandatory_by_stage.get(stage_id, ())
        if criterion_id not in done
    ]
