"""Schiffman's probability categories of a key-account pipeline."""

FIRST_MEETING = "first_meeting"
MEETING_HELD = "meeting_held"
FIFTY = "fifty"
SEVENTY_FIVE = "seventy_five"
WON = "won"
PARKING_CATEGORY = "no_next_step"

#: Order of the categories along the pipeline (the parking category has none).
CATEGORY_RANK = {
    FIRST_MEETING: 1,
    MEETING_HELD: 2,
    FIFTY: 3,
    SEVENTY_FIVE: 4,
    WON: 5,
}

#: The probability each category stands for, in percent ("odds 1 in 4" is 25%).
CATEGORY_PROBABILITY = {
    FIRST_MEETING: 10.0,
    MEETING_HELD: 25.0,
    FIFTY: 50.0,
    SEVENTY_FIVE: 75.0,
    WON: 100.0,
    PARKING_CATEGORY: 0.0,
}

#: Past the first meeting, not yet won: a deal there needs a planned next step.
NEXT_STEP_CATEGORIES = frozenset({MEETING_HELD, FIFTY, SEVENTY_FIVE})


def default_probability(category):
    """Return the probability (percent) of ``category``, 0.0 for none or unknown."""
    return CATEGORY_PROBABILITY.get(category or "", 0.0)


def deal_probability(category, category_probability, *, active, won, earned=None):
    """The probability of a deal in a stage of ``category``, or ``None`` where CRM's
    own rules apply.

    An open deal of the KAM pipeline has the probability of its category: the
    stage's *Category Probability* (:data:`CATEGORY_PROBABILITY` by default), or
    ``earned``, the probability of the category its checklist earns where the
    checklist sets it. CRM keeps the others: a won deal has 100, a lost (archived)
    one 0, and a deal outside the KAM pipeline its predictive score
    (``docs/METHOD.md#pipeline``).
    """
    if not active or won or not category:
        return None
    return category_probability if earned is None else earned
