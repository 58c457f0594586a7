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
