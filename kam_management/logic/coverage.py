"""Relationship coverage (docs/METHOD.md#coverage): who on our side talks to whom on
the customer's, how recently, and whether the relationship hangs on one thread.

- single-threaded ("bow-tie"): one person on either side carries the relationship:
  only one of ours or only one of theirs in contact over the period, or one person
  carrying at least ``DOMINANT_PERCENT`` of the interactions;
- multi-threaded ("diamond"): several people on both sides, reaching at least two
  levels of the customer (executive, management, operational);
- developing: several people on both sides, at one level of the customer;
- none: no interaction over the period.
"""

import datetime
import functools
import re

COVERAGE_NONE = "none"
COVERAGE_SINGLE = "single"
COVERAGE_DEVELOPING = "developing"
COVERAGE_MULTI = "multi"
COVERAGE_CLASSES = (COVERAGE_NONE, COVERAGE_SINGLE, COVERAGE_DEVELOPING, COVERAGE_MULTI)
# The classes the cockpit lists as a risk on a key account.
AT_RISK_CLASSES = (COVERAGE_NONE, COVERAGE_SINGLE)

# One person carrying this share (%) of the interactions carries the relationship.
DOMINANT_PERCENT = 80
# The period the account's badges and the cockpit measure coverage over.
DEFAULT_PERIOD_DAYS = 180

LEVEL_EXECUTIVE = "executive"
LEVEL_MANAGEMENT = "management"
LEVEL_OPERATIONAL = "operational"
LEVEL_UNKNOWN = "unknown"
LEVELS = (LEVEL_EXECUTIVE, LEVEL_MANAGEMENT, LEVEL_OPERATIONAL, LEVEL_UNKNOWN)

# Stakeholder roles of an account plan (kam_account_plan) and the level they imply
# when the contact's job position says nothing.
ROLE_DECISION_MAKER = "decision_maker"
ROLE_INFLUENCER = "influencer"
ROLE_LEVELS = {
    "decision_maker": LEVEL_EXECUTIVE,
    "sponsor": LEVEL_EXECUTIVE,
    "influencer": LEVEL_MANAGEMENT,
    "gatekeeper": LEVEL_OPERATIONAL,
    "user": LEVEL_OPERATIONAL,
}
# The roles whose silence the method watches, and the one the cockpit flags.
WATCHED_ROLES = (ROLE_DECISION_MAKER, ROLE_INFLUENCER)
SENIORITY = {LEVEL_EXECUTIVE: 0, LEVEL_MANAGEMENT: 1, LEVEL_OPERATIONAL: 2}

# Job position keywords, English, Russian and Chinese. Executive is looked for first
# ("general manager" is an executive, "manager" is management).
LEVEL_KEYWORDS = (
    (
        LEVEL_EXECUTIVE,
        (
            "ceo",
            "cfo",
            "coo",
            "cto",
            "cio",
            "cmo",
            "cpo",
            "chief",
            "president",
            "vp",
            "owner",
            "founder",
            "chairman",
            "chairwoman",
            "board",
            "director",
            "general manager",
            "managing partner",
            "генеральный",
            "директор",
            "президент",
            "владелец",
            "учредитель",
            "председатель",
            "правлени",
            "совет директоров",
            "总裁",
            "总经理",
            "董事",
            "首席",
            "总监",
            "副总",
            "老板",
            "创始人",
            "行长",
        ),
    ),
    (
        LEVEL_MANAGEMENT,
        (
            "manager",
            "head",
            "lead",
            "supervisor",
            "controller",
            "руководител",
            "начальник",
            "менеджер",
            "заведующ",
            "управляющ",
            "главный",
            "经理",
            "主管",
            "主任",
            "部长",
            "科长",
            "负责人",
        ),
    ),
)


def _keyword_pattern(keyword):
    # Latin and Cyrillic keywords match whole words or word starts ("cto" is not in
    # "director", "руководител" is in "руководитель"); Chinese has no spaces.
    if re.search(r"[\u4e00-\u9fff]", keyword):
        return re.escape(keyword)
    return r"(?<!\w)" + re.escape(keyword)


_PATTERNS = tuple(
    (level, re.compile("|".join(_keyword_pattern(k) for k in keywords)))
    for level, keywords in LEVEL_KEYWORDS
)


@functools.lru_cache(maxsize=4096)
def function_level(function):
    """The level a job position names, or ``None`` when it names none (empty)."""
    text = " ".join((function or "").split()).casefold()
    if not text:
        return None
    for level, pattern in _PATTERNS:
        if pattern.search(text):
            return level
    return LEVEL_OPERATIONAL


def contact_level(role=None, function=None):
    """A contact's level: the job position's when it names one, else the
    stakeholder role's, else unknown."""
    level = function_level(function)
    if level:
        return level
    return ROLE_LEVELS.get(role or "", LEVEL_UNKNOWN)


def classify(pairs, levels=None):
    """The coverage class of one account.

    ``pairs``: ``{(our person, their person): number of interactions}`` over the
    period; ``levels``: ``{their person: level}``.
    """
    counts = {pair: count for pair, count in pairs.items() if count and count > 0}
    if not counts:
        return COVERAGE_NONE
    ours, theirs = {}, {}
    for (our, their), count in counts.items():
        ours[our] = ours.get(our, 0) + count
        theirs[their] = theirs.get(their, 0) + count
    if len(ours) < 2 or len(theirs) < 2:
        return COVERAGE_SINGLE
    total = sum(counts.values())
    if 100 * max(max(ours.values()), max(theirs.values())) >= DOMINANT_PERCENT * total:
        return COVERAGE_SINGLE
    reached = {(levels or {}).get(their, LEVEL_UNKNOWN) for their in theirs} - {
        LEVEL_UNKNOWN
    }
    if len(reached) >= 2:
        return COVERAGE_MULTI
    return COVERAGE_DEVELOPING


def level_shares(levels):
    """``{level: share in percent}`` of the contacts ``levels`` (one level per
    contact); every level of ``LEVELS`` is present, the shares add up to 100 (or all
    are 0 without contacts)."""
    levels = list(levels)
    counts = {level: 0 for level in LEVELS}
    for level in levels:
        counts[level if level in counts else LEVEL_UNKNOWN] += 1
    if not levels:
        return {level: 0.0 for level in LEVELS}
    return {level: 100.0 * count / len(levels) for level, count in counts.items()}


RECENCY_FRESH = "fresh"
RECENCY_FADING = "fading"
RECENCY_STALE = "stale"
RECENCY_NONE = "none"
RECENCIES = (RECENCY_FRESH, RECENCY_FADING, RECENCY_STALE, RECENCY_NONE)


def recency(last_date, today, cadence_days):
    """The colour of a pair: fresh within the cadence, fading within twice the
    cadence, stale beyond, none without any interaction."""
    if not last_date:
        return RECENCY_NONE
    if cadence_days < 1:
        raise ValueError("a contact cadence is a positive number of days")
    age = (today - last_date).days
    if age <= cadence_days:
        return RECENCY_FRESH
    if age <= 2 * cadence_days:
        return RECENCY_FADING
    return RECENCY_STALE


def is_silent(last_date, today, cadence_days):
    """Whether a contact last reached on ``last_date`` (or never) has had no contact
    within the cadence."""
    return recency(last_date, today, cadence_days) != RECENCY_FRESH


def silent_stakeholders(roles, last_dates, today, cadence_days, watched=WATCHED_ROLES):
    """The contacts of ``roles`` (``{contact: role}``) in a watched role without
    contact within the cadence, ordered by role then contact."""
    order = {role: index for index, role in enumerate(watched)}
    silent = [
        contact
        for contact, role in roles.items()
        if role in order and is_silent(last_dates.get(contact), today, cadence_days)
    ]
    return sorted(silent, key=lambda c: (order[roles[c]], str(c)))


def suggest_contacts(their_people, reached, our_senior, our_default):
    """The meetings to propose on a thin relationship: ``[(our person, their
    person)]`` for every one of ``their_people`` (``[(person, level, role)]``) not
    reached yet, most senior first: our senior person for their executives and
    decision makers, our default person for the others.
    """
    suggestions = []
    ranked = sorted(
        their_people,
        key=lambda p: (
            0 if p[2] == ROLE_DECISION_MAKER else 1,
            SENIORITY.get(p[1], 3),
            str(p[0]),
        ),
    )
    for person, level, role in ranked:
        if person in reached:
            continue
        senior = role == ROLE_DECISION_MAKER or level == LEVEL_EXECUTIVE
        ours = (our_senior or our_default) if senior else (our_default or our_senior)
        if ours:
            suggestions.append((ours, person))
    return suggestions


def suggested_rating(coverage_class, level_share, contacts_reached):
    """A rating from 0 to 10 for the relationship criteria: ``access`` (access to
    key people: executives reached) and ``contacts`` (contacts in the customer's
    company: how many people and how broadly), as ``{criterion: rating}``."""
    executive = level_share.get(LEVEL_EXECUTIVE, 0.0)
    access = round(min(10.0, executive / 10.0 + (3 if executive else 0)))
    base = {
        COVERAGE_NONE: 0,
        COVERAGE_SINGLE: 3,
        COVERAGE_DEVELOPING: 6,
        COVERAGE_MULTI: 8,
    }[coverage_class]
    contacts = min(
        10, base + (2 if contacts_reached >= 5 else 1 if contacts_reached >= 3 else 0)
    )
    if coverage_class == COVERAGE_NONE:
        contacts = 0
    return {"access": int(min(10, access)), "contacts": int(contacts)}


def period_start(today, days):
    """The first day of a period of ``days`` days ending on ``today``."""
    if days < 1:
        raise ValueError("a period is a positive number of days")
    return today - datetime.timedelta(days=days - 1)
