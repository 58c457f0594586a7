"""Qualification after the first meeting (Schiffman): meetings and cycle length.

The key question is "how many sales reps do you have?". For a training sale the
book gives: about 10 reps: 2-3 meetings over 4-8 weeks; about 150 reps: 3-5
meetings over 6-9 weeks plus a pilot of 2-3 visits over 2-4 weeks; 1-2 reps: a
single meeting. The four questions (deal size vs typical, time to close,
resources needed, probability with existing contacts) adjust the estimate and
give a verdict on how much effort the deal deserves.
"""

from typing import NamedTuple

DEAL_SIZES = ("smaller", "typical", "larger", "much_larger")
TIMES_TO_CLOSE = ("short", "medium", "long")
RESOURCES = ("low", "medium", "high")
PROBABILITIES = ("low", "medium", "high")

#: Number of reps from which a customer is a "large sales force" (the book's ~150 case).
LARGE_SALES_FORCE = 50
#: Up to this number of reps the deal needs a single meeting.
SMALL_SALES_FORCE = 2

_SCORES = {
    "deal_size": {"smaller": -1, "typical": 0, "larger": 1, "much_larger": 2},
    "time_to_close": {"short": 1, "medium": 0, "long": -1},
    "resources": {"low": 1, "medium": 0, "high": -1},
    "contact_probability": {"low": -1, "medium": 0, "high": 1},
}


class QualificationEstimate(NamedTuple):
    meetings_min: int
    meetings_max: int
    weeks_min: int
    weeks_max: int
    pilot_visits_min: int
    pilot_visits_max: int
    pilot_weeks_min: int
    pilot_weeks_max: int
    score: int
    verdict: str  # "pursue", "qualify" (pursue with care) or "reconsider"

    @property
    def has_pilot(self):
        return self.pilot_visits_max > 0

    @property
    def cycle_weeks_min(self):
        return self.weeks_min + self.pilot_weeks_min

    @property
    def cycle_weeks_max(self):
        return self.weeks_max + self.pilot_weeks_max


def _check(name, value, allowed):
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")


def estimate_qualification(
    sales_reps, deal_size, time_to_close, resources, contact_probability
):
    """Return the :class:`QualificationEstimate`; ValueError on bad input."""
    if (
        isinstance(sales_reps, bool)
        or not isinstance(sales_reps, int)
        or sales_reps < 0
    ):
        raise ValueError(
            f"the number of sales reps must be a whole number >= 0, not {sales_reps!r}"
        )
    _check("deal_size", deal_size, DEAL_SIZES)
    _check("time_to_close", time_to_close, TIMES_TO_CLOSE)
    _check("resources", resources, RESOURCES)
    _check("contact_probability", contact_probability, PROBABILITIES)

    pilot = (0, 0, 0, 0)
    if sales_reps <= SMALL_SALES_FORCE:
        meetings, weeks = [1, 1], [1, 2]
    elif sales_reps < LARGE_SALES_FORCE:
        meetings, weeks = [2, 3], [4, 8]
    else:
        meetings, weeks = [3, 5], [6, 9]
        pilot = (2, 3, 2, 4)

    # Few useful contacts: one more meeting to reach the decision makers.
    if contact_probability == "low":
        meetings = [meetings[0] + 1, meetings[1] + 1]
        weeks[1] += 2
    # A much larger deal than usual draws more people into the decision.
    if deal_size == "much_larger":
        meetings[1] += 1
    if time_to_close == "long":
        weeks[1] += 4

    score = (
        _SCORES["deal_size"][deal_size]
        + _SCORES["time_to_close"][time_to_close]
        + _SCORES["resources"][resources]
        + _SCORES["contact_probability"][contact_probability]
    )
    if score >= 2:
        verdict = "pursue"
    elif score <= -2:
        verdict = "reconsider"
    else:
        verdict = "qualify"
    return QualificationEstimate(
        meetings[0],
        meetings[1],
        weeks[0],
        weeks[1],
        *pilot,
        score=score,
        verdict=verdict,
    )
