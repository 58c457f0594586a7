"""Pure-python domain logic of the KAM pipeline (no ``odoo`` import).

The models gather the data in batches and ask these functions for decisions.
"""

from .aging import days_in_stage, is_too_old
from .categories import (
    CATEGORY_PROBABILITY,
    CATEGORY_RANK,
    FIFTY,
    FIRST_MEETING,
    MEETING_HELD,
    NEXT_STEP_CATEGORIES,
    PARKING_CATEGORY,
    SEVENTY_FIVE,
    WON,
    deal_probability,
    default_probability,
)
from .checklist_category import (
    CHECKLIST_CATEGORIES,
    category_rank,
    category_to_move,
    earned_category,
    stage_ahead,
)
from .gating import (
    DealPosition,
    StageKey,
    gate_missing,
    gated_transition,
    is_forward,
    passed_stages,
    pipeline_gated_stages,
    reached_stages,
)
from .qualification import QualificationEstimate, estimate_qualification
from .ratios import (
    PipelineCounts,
    PipelineRatios,
    pipeline_ratios,
    reached_counts,
    safe_ratio,
)

__all__ = [
    "CATEGORY_PROBABILITY",
    "CATEGORY_RANK",
    "DealPosition",
    "CHECKLIST_CATEGORIES",
    "FIFTY",
    "FIRST_MEETING",
    "MEETING_HELD",
    "SEVENTY_FIVE",
    "WON",
    "NEXT_STEP_CATEGORIES",
    "PARKING_CATEGORY",
    "PipelineCounts",
    "PipelineRatios",
    "QualificationEstimate",
    "StageKey",
    "category_rank",
    "category_to_move",
    "days_in_stage",
    "deal_probability",
    "default_probability",
    "earned_category",
    "estimate_qualification",
    "gate_missing",
    "gated_transition",
    "is_forward",
    "is_too_old",
    "passed_stages",
    "pipeline_gated_stages",
    "pipeline_ratios",
    "reached_counts",
    "reached_stages",
    "safe_ratio",
    "stage_ahead",
]
