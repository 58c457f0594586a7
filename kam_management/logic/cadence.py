"""Contact cadence (docs/METHOD.md#contact-cadence): A every 30 days, B and C every
90, D every 180."""

import datetime

DEFAULT_CADENCE = {"a": 30, "b": 90, "c": 90, "d": 180}


def cadence_days(tier, cadence=None):
    cadence = cadence or DEFAULT_CADENCE
    days = cadence.get(tier or "d", cadence["d"])
    if days is None or days < 1:
        raise ValueError("a contact cadence is a positive number of days")
    return days


def next_contact_date(last_contact, days, fallback=None):
    """When the account is next due: the last meaningful contact plus the cadence.

    An account never contacted is due from ``fallback`` (its creation date, say): at
    once. The result is never before the last contact.
    """
    if days < 1:
        raise ValueError("a contact cadence is a positive number of days")
    if not last_contact:
        return fallback
    return last_contact + datetime.timedelta(days=days)


def overdue_before(today):
    """Contacts due before this day are overdue on ``today``. A contact due today is
    today's work, as Odoo's activities say "Today": it is overdue from the day after.
    The domains and SQL of the models compare due dates with this day, so that they
    and :func:`is_overdue` are one rule."""
    return today


def is_overdue(next_date, today):
    """Whether a contact due on ``next_date`` is overdue on ``today``."""
    return bool(next_date) and next_date < overdue_before(today)


def is_due(next_date, today):
    """Whether a contact due on ``next_date`` is to be made by ``today`` (due today or
    overdue): the day its reminder is scheduled."""
    return bool(next_date) and next_date <= today
