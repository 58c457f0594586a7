"""Risk signals of a key account plan (Bacon: why key accounts fail)."""

import datetime

from .stakeholder import STAKEHOLDER_ACTIVE

RISK_STAKEHOLDER_CHANGE = "stakeholder_change"
RISK_REVENUE_DECLINE = "revenue_decline"
RISK_CONTACT_OVERDUE = "contact_overdue"
RISK_NO_FEEDBACK = "no_feedback"
RISK_SIGNALS = (
    RISK_STAKEHOLDER_CHANGE,
    RISK_REVENUE_DECLINE,
    RISK_CONTACT_OVERDUE,
    RISK_NO_FEEDBACK,
)


def risk_signals(
    *,
    key_stakeholder_statuses=(),
    revenue_declining=False,
    contact_overdue=False,
    last_feedback_date=None,
    feedback_silence_days=0,
    plan_start=None,
    today,
):
    """The risk signals raised for a plan, in the order of ``RISK_SIGNALS``.

    - a key stakeholder left or changed role (the most common cause of losing a key
      account);
    - revenue decline and no contact within the cadence: the account's own flags, as
      kam_management computes them (its cadence rule is the one rule of overdue);
    - no complaint nor feedback for ``feedback_silence_days`` ("no complaints means
      the relationship is going downhill"), counted from the last feedback or, when
      none was ever recorded, from the start of the plan.
    """
    signals = []
    if any(status != STAKEHOLDER_ACTIVE for status in key_stakeholder_statuses):
        signals.append(RISK_STAKEHOLDER_CHANGE)
    if revenue_declining:
        signals.append(RISK_REVENUE_DECLINE)
    if contact_overdue:
        signals.append(RISK_CONTACT_OVERDUE)
    if feedback_silence_days and feedback_silence_days > 0:
        since = last_feedback_date or plan_start
        if since and since + datetime.timedelta(days=feedback_silence_days) < today:
            signals.append(RISK_NO_FEEDBACK)
    return signals
