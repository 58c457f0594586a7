"""Plan periods: overlap and the next period for "copy to next period"."""

import calendar
import datetime


def add_months(day, months):
    """``day`` moved by ``months`` months, clamped to the end of the target month."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last))


def _is_month_end(day):
    return day.day == calendar.monthrange(day.year, day.month)[1]


def periods_overlap(start_a, end_a, start_b, end_b):
    """Whether two closed date intervals share at least one day."""
    return start_a <= end_b and start_b <= end_a


def _whole_months(start, end):
    """Whole calendar months in [start, end], or ``None`` if not month-aligned."""
    if start.day != 1 or not _is_month_end(end):
        return None
    return (end.year - start.year) * 12 + end.month - start.month + 1


def whole_months(start, end):
    """Whole calendar months in [start, end], or ``None`` if not month-aligned."""
    return _whole_months(start, end)


def shift_date(day, months, days):
    """``day`` moved by ``months`` months when ``months`` (clamped to the end of the
    target month), else by ``days`` days."""
    if months:
        return add_months(day, months)
    return day + datetime.timedelta(days=days)


def next_period(start, end):
    """The period that follows [start, end] and has the same length.

    Month-aligned periods (a month, a quarter, a year) stay month-aligned; other
    periods keep their length in days. The next period starts the day after ``end``.
    """
    if end < start:
        raise ValueError("the period ends before it starts")
    new_start = end + datetime.timedelta(days=1)
    months = _whole_months(start, end)
    if months:
        new_end = add_months(new_start, months) - datetime.timedelta(days=1)
    else:
        new_end = new_start + (end - start)
    return new_start, new_end
