"""The probability category a deal's checklist earns (Schiffman's group criteria).

Group criteria are the conditions *to be in* a category. A deal earns the highest
category of the pipeline order whose mandatory criteria, and those of every category
before it, are all ticked. A category without mandatory criteria proves nothing: it
is never earned by itself, and it never blocks the categories after it. Won and "no
next step" are not earned by ticking: a deal is won by winning it, and parked by
choice.
"""

from .categories import CATEGORY_RANK, FIFTY, FIRST_MEETING, MEETING_HELD, SEVENTY_FIVE

#: The categories a checklist can earn, in pipeline order.
CHECKLIST_CATEGORIES = (FIRST_MEETING, MEETING_HELD, FIFTY, SEVENTY_FIVE)


def earned_category(categories, mandatory_by_category, done_ids):
    """Return the highest category the ticked criteria earn, or ``None``.

    :param categories: the categories in pipeline order (e.g.
        :data:`CHECKLIST_CATEGORIES`)
    :param mandatory_by_category: ``{category: [criterion_id, ...]}``, the mandatory
        group criteria of each category
    :param done_ids: the criterion ids the deal has ticked
    """
    done = set(done_ids)
    earned = None
    for category in categories:
        mandatory = mandatory_by_category.get(category, ())
        if any(criterion_id not in done for criterion_id in mandatory):
            break
        if mandatory:
            earned = category
    return earned


def category_rank(category):
    """Rank of ``category`` along the pipeline, 0 for none (or the parking column)."""
    return CATEGORY_RANK.get(category or "", 0)


def stage_ahead(stage_category, earned):
    """True when the deal's stage is further than what its checklist earned."""
    return category_rank(stage_category) > category_rank(earned)


def category_to_move(stage_category, earned):
    """The category the deal moves forward to, or ``None`` if it stays.

    Only a stage among :data:`CHECKLIST_CATEGORIES` moves, and only forward: a
    checklist behind its stage never moves the deal back.
    """
    if stage_category not in CHECKLIST_CATEGORIES or earned is None:
        return None
    if category_rank(earned) > category_rank(stage_category):
        return earned
    return None
