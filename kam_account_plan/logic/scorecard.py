"""Partnership evaluation scorecard."""

SCORE_MIN = 0
SCORE_MAX = 5


def scorecard_score(lines):
    """Weighted score of the criteria, from 0 to 100.

    ``lines`` is an iterable of ``(weight, score)`` with ``score`` within 0-5 and
    ``weight`` >= 0. Unscored criteria (``score`` None) are left out. ``None`` when
    nothing is scored or the weights sum to zero.
    """
    total_weight = weighted = 0.0
    for weight, score in lines:
        if score is None:
            continue
        if weight < 0:
            raise ValueError("weights cannot be negative")
        if not SCORE_MIN <= score <= SCORE_MAX:
            raise ValueError(f"scores are within {SCORE_MIN}-{SCORE_MAX}")
        total_weight += weight
        weighted += weight * score
    if not total_weight:
        return None
    return weighted * 100.0 / (total_weight * SCORE_MAX)
