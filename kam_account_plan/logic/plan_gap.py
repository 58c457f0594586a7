"""Plan against pipeline and actuals: what is neither won nor in the pipeline."""

from .forecast import weighted_amount


def pipeline_weighted(opportunities):
    """Weighted pipeline of ``(expected revenue, probability %)`` pairs.

    Probabilities outside 0-100 raise ``ValueError`` (see ``weighted_amount``); an
    empty probability counts as 0: an opportunity nobody rated weighs nothing.
    """
    return sum(
        weighted_amount(amount, probability or 0.0)
        for amount, probability in opportunities
    )


def actual_period(date_start, date_end, today):
    """``(start, end)`` of the actual revenue to date: the plan start to the earlier of
    today and the plan end; ``None`` while the plan has not started."""
    if not date_start or not date_end or today < date_start:
        return None
    return date_start, min(today, date_end)


def gap_to_plan(forecast, actual, pipeline):
    """The part of the forecast that is neither won nor in the weighted pipeline.

    Negative when actuals and pipeline together exceed the plan.
    """
    return (forecast or 0.0) - (actual or 0.0) - (pipeline or 0.0)


def coverage_percent(forecast, actual, pipeline):
    """Actual plus weighted pipeline as a percentage of the forecast; ``None`` without
    a forecast (a plan without a number cannot be covered)."""
    if not forecast:
        return None
    return ((actual or 0.0) + (pipeline or 0.0)) * 100.0 / forecast
