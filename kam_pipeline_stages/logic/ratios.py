"""Pipeline ratios of a rep or team: contacts per meeting, category conversions."""

from typing import NamedTuple

from .categories import (
    CATEGORY_RANK,
    FIFTY,
    FIRST_MEETING,
    MEETING_HELD,
    SEVENTY_FIVE,
    WON,
)


class PipelineCounts(NamedTuple):
    contacts: int = 0  # leads and opportunities handled (the contacts made)
    first_meetings: int = 0  # deals that reached "first meeting scheduled" or beyond
    meetings_held: int = 0  # ... "first meeting held" (25%) or beyond
    fifty: int = 0
    seventy_five: int = 0
    won: int = 0
    meetings_held_recent: int = 0  # first meetings held in the last two weeks


class PipelineRatios(NamedTuple):
    contacts_per_meeting: float
    first_meeting_to_held: float  # percent
    held_to_fifty: float
    fifty_to_seventy_five: float
    seventy_five_to_won: float
    win_rate: float  # won per first meeting, percent


def safe_ratio(numerator, denominator, scale=1.0):
    """``numerator / denominator * scale``, 0.0 when the denominator is 0."""
    if not denominator:
        return 0.0
    return numerator / denominator * scale


def reached_counts(max_ranks, contacts=0, meetings_held_recent=0):
    """Build :class:`PipelineCounts` from the highest category rank each deal reached.

    ``max_ranks`` holds one rank per deal (see ``CATEGORY_RANK``; 0 or None:
    never in a KAM category). A deal that reached 50% also counts as having
    reached 25% and the first meeting.
    """
    ranks = [rank or 0 for rank in max_ranks]

    def reached(category):
        return sum(1 for rank in ranks if rank >= CATEGORY_RANK[category])

    return PipelineCounts(
        contacts=contacts,
        first_meetings=reached(FIRST_MEETING),
        meetings_held=reached(MEETING_HELD),
        fifty=reached(FIFTY),
        seventy_five=reached(SEVENTY_FIVE),
        won=reached(WON),
        meetings_held_recent=meetings_held_recent,
    )


def pipeline_ratios(counts):
    """Return the :class:`PipelineRatios` of :class:`PipelineCounts`."""
    return PipelineRatios(
        contacts_per_meeting=safe_ratio(counts.contacts, counts.first_meetings),
        first_meeting_to_held=safe_ratio(
            counts.meetings_held, counts.first_meetings, 100.0
        ),
        held_to_fifty=safe_ratio(counts.fifty, counts.meetings_held, 100.0),
        fifty_to_seventy_five=safe_ratio(counts.seventy_five, counts.fifty, 100.0),
        seventy_five_to_won=safe_ratio(counts.won, counts.seventy_five, 100.0),
        win_rate=safe_ratio(counts.won, counts.first_meetings, 100.0),
    )
