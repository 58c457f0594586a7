"""Figures of the director's cockpit (docs/METHOD.md#cockpit) as plain Python.

The models aggregate in SQL and hand the sums to these functions, so that the rules
(what a compliance rate is, how the pyramid compares with the 10/30/60 guideline,
what counts as a change worth recording) are tested without a database.
"""

# The pyramid of strategic attention: key accounts are ~10% of the customers and
# take ~60% of the time, ordinary ones ~30% and ~30%, prospects ~60% and ~10%.
PYRAMID_CLASSES = ("key", "ordinary", "prospect")
GUIDELINE_ACCOUNTS = {"key": 10.0, "ordinary": 30.0, "prospect": 60.0}
GUIDELINE_TIME = {"key": 60.0, "ordinary": 30.0, "prospect": 10.0}
# The moves of an account the history records when the daily job or a manual change
# causes them.
HISTORY_KINDS = ("tier", "quadrant", "temperature")


def rate(part, total):
    """Share of ``part`` in ``total`` in percent, rounded to one decimal; None when
    there is nothing to measure (no account, no minute)."""
    if not total:
        return None
    if part < 0 or part > total:
        raise ValueError("a part lies between zero and the total")
    return round(100.0 * part / total, 1)


def trend(current, previous):
    """Change of a rate in percentage points; None when either is unknown."""
    if current is None or previous is None:
        return None
    return round(current - previous, 1)


def pyramid_class(is_key_account, bought):
    """Key accounts are the key ones, whatever they bought; the others are ordinary
    customers when they bought in the last 12 months, prospects otherwise."""
    if is_key_account:
        return "key"
    return "ordinary" if bought else "prospect"


def pyramid(accounts, minutes):
    """The pyramid against the guideline.

    ``accounts`` and ``minutes`` map a class (key, ordinary, prospect) to the number of
    accounts and to the minutes spent on them. Returns one dict per class, in pyramid
    order: shares of accounts and of time in percent (None when the base is empty),
    the guideline shares and the gaps (actual minus guideline, in points).
    """
    unknown = (set(accounts) | set(minutes)) - set(PYRAMID_CLASSES)
    if unknown:
        raise ValueError(f"unknown pyramid classes: {sorted(unknown)}")
    total_accounts = sum(accounts.values())
    total_minutes = sum(minutes.values())
    rows = []
    for klass in PYRAMID_CLASSES:
        account_share = rate(accounts.get(klass, 0), total_accounts)
        time_share = rate(minutes.get(klass, 0), total_minutes)
        rows.append(
            {
                "klass": klass,
                "accounts": accounts.get(klass, 0),
                "minutes": minutes.get(klass, 0),
                "account_share": account_share,
                "time_share": time_share,
                "guideline_accounts": GUIDELINE_ACCOUNTS[klass],
                "guideline_time": GUIDELINE_TIME[klass],
                "account_gap": trend(account_share, GUIDELINE_ACCOUNTS[klass]),
                "time_gap": trend(time_share, GUIDELINE_TIME[klass]),
            }
        )
    return rows


def history_changes(before, after):
    """The changes worth recording between two snapshots of accounts.

    ``before`` and ``after`` map an account id to a dict kind -> value (kinds of
    HISTORY_KINDS; a missing or empty value is "none yet"). Returns (account id,
    kind, old, new) tuples, sorted; an account absent from ``before`` (just created)
    records its first values.
    """
    changes = []
    for account_id in sorted(after):
        old_values = before.get(account_id, {})
        for kind in sorted(HISTORY_KINDS):
            old = old_values.get(kind) or False
            new = after[account_id].get(kind) or False
            if old != new:
                changes.append((account_id, kind, old, new))
    return changes


def breach_starts(overdue_since, overdue_now):
    """Whether an overdue spell starts: the account is overdue now and no spell is
    open (``overdue_since`` empty). One spell, one breach."""
    return bool(overdue_now) and not overdue_since


def weekly_rates(rows):
    """Compliance per week: ``rows`` are (week start, compliant, accounts) tuples,
    several per week allowed; returns [(week start, rate)] in week order."""
    sums = {}
    for week, compliant, accounts in rows:
        done, total = sums.get(week, (0, 0))
        sums[week] = (done + compliant, total + accounts)
    return [(week, rate(*sums[week])) for week in sorted(sums)]


# The rank of a tier and of a quadrant for the cockpit's movement panel: a lower rank
# is a better standing (docs/METHOD.md#cockpit). Target and maintain share a rank: a
# move between them is sideways, neither up nor down.
MOVEMENT_RANKS = {
    "tier": {"a": 1, "b": 2, "c": 3, "d": 4},
    "quadrant": {"key": 1, "target": 2, "maintain": 2, "low_profile": 3},
}


def movement_direction(kind, old, new):
    """ "up", "down" or None (sideways, unknown, or no standing before or after) for
    a move of an account's ``kind`` (tier, quadrant) from ``old`` to ``new``."""
    ranks = MOVEMENT_RANKS.get(kind)
    if not ranks or old not in ranks or new not in ranks:
        return None
    if ranks[new] < ranks[old]:
        return "up"
    if ranks[new] > ranks[old]:
        return "down"
    return None


def change_percent(current, previous):
    """Change of ``current`` against ``previous`` in percent, one decimal; None when
    there is no previous figure to compare with."""
    if not previous:
        return None
    return round(100.0 * (current - previous) / abs(previous), 1)
