"""Pure domain logic of the account plan: no ``odoo`` import, tested without Odoo."""

from .forecast import achievement_percent, forecast_totals, weighted_amount
from .period import (
    add_months,
    next_period,
    periods_overlap,
    shift_date,
    whole_months,
)
from .review import REVIEW_INTERVAL_MONTHS, next_review_date
from .risk import (
    RISK_CONTACT_OVERDUE,
    RISK_NO_FEEDBACK,
    RISK_REVENUE_DECLINE,
    RISK_STAKEHOLDER_CHANGE,
    RISK_SIGNALS,
    risk_signals,
)
from .scorecard import scorecard_score
from .stakeholder import (
    STAKEHOLDER_ACTIVE,
    STAKEHOLDER_LEFT,
    STAKEHOLDER_ROLE_CHANGED,
    stakeholder_status,
)
from .whitespace import (
    WHITESPACE_COMPETITOR,
    WHITESPACE_NONE,
    WHITESPACE_OURS,
    whitespace_matrix,
    whitespace_potential,
)
from .action import action_status
from .competition import reason_summary
from .plan_gap import actual_period, coverage_percent, gap_to_plan, pipeline_weighted
