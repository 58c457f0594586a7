"""Days in stage and the "too old for its category" flag."""


def days_in_stage(entered, now):
    """Whole days from ``entered`` to ``now``; 0 when unknown or in the future."""
    if not entered or not now or now <= entered:
        return 0
    return (now - entered).days


def is_too_old(entered, now, max_age_days):
    """True when a deal stayed over ``max_age_days`` in its stage (0: no limit)."""
    if not max_age_days or max_age_days <= 0:
        return False
    return days_in_stage(entered, now) > max_age_days
