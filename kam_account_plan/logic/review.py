"""Review cadence of account plans."""

from .period import add_months

REVIEW_INTERVAL_MONTHS = {
    "monthly": 1,
    "quarterly": 3,
    "semiannual": 6,
    "annual": 12,
}


def next_review_date(cadence, date_start, last_review_date=None):
    """The date the next review is due.

    Counted from the last review, or from the start of the plan when never reviewed.
    Returns ``None`` without a cadence or a start date.
    """
    months = REVIEW_INTERVAL_MONTHS.get(cadence)
    base = last_review_date or date_start
    if not months or not base:
        return None
    return add_months(base, months)
