"""Status of an action plan line, from the activity it was turned into."""


def action_status(*, done, cancelled=False, deadline=None, today):
    """The status of a line.

    ``done``, ``cancelled``, ``to_schedule`` (no activity yet), ``overdue``, ``today``
    or ``planned``.
    """
    if done:
        return "done"
    if cancelled:
        return "cancelled"
    if not deadline:
        return "to_schedule"
    if deadline < today:
        return "overdue"
    if deadline == today:
        return "today"
    return "planned"
