"""Strategic attention: weighted criteria and the quadrant matrix
(docs/METHOD.md#strategic-attention).

Each criterion is rated 0 to 10 by the account manager and weighs on its axis
(attractiveness, potential, relationship). An axis score is the weighted average, on
0-100.
"""

SCORE_MAX = 10
AXES = ("attractiveness", "potential", "relationship")
QUADRANTS = ("key", "target", "maintain", "low_profile")


def weighted_score(ratings):
    """``ratings`` is an iterable of ``(score, weight)``; returns 0-100, or None if
    none rated."""
    total_weight = 0.0
    total = 0.0
    for score, weight in ratings:
        if score is None:
            continue
        if not 0 <= score <= SCORE_MAX:
            raise ValueError(f"a score is between 0 and {SCORE_MAX}")
        if weight < 0:
            raise ValueError("a weight is not negative")
        total += score * weight
        total_weight += weight
    if total_weight <= 0:
        return None
    return total / total_weight * (100.0 / SCORE_MAX)


def quadrant(
    attractiveness,
    relationship,
    attractiveness_threshold=50.0,
    relationship_threshold=50.0,
):
    """High attractiveness and strong relationship make a Key account; high and weak a
    Target; low and strong Maintain; low and weak Low profile. None until both axes are
    scored."""
    if attractiveness is None or relationship is None:
        return None
    high = attractiveness >= attractiveness_threshold
    strong = relationship >= relationship_threshold
    if high:
        return "key" if strong else "target"
    return "maintain" if strong else "low_profile"
