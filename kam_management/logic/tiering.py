"""Tiering by revenue potential, temperature and look-alikes (docs/METHOD.md#tiers).

Tier A accounts bring the benchmark revenue, tier B about 60% of it, tier C about 30%;
tier D never bought and shows no prospects. These levels are what the temperature
measures an account against. The tier itself follows two cut-offs, the least share of
the benchmark for A and for B; by default they are the midpoints between the levels
(80% and 45% of the benchmark), so that an account goes to the tier whose level is
nearest to its revenue.
"""

TIERS = ("a", "b", "c", "d")
BENCHMARK_TOP = "top"
BENCHMARK_TOP_N_AVERAGE = "top_n_average"


def benchmark(revenues, method=BENCHMARK_TOP, top_n=1):
    """The yearly revenue that tier A stands for.

    ``revenues`` is an iterable of the trailing-12-month revenue of each account.
    ``top`` takes the best account; ``top_n_average`` the average of the ``top_n`` best
    (fewer if there are fewer accounts). Accounts without revenue do not count. Returns
    0.0 when nobody bought.
    """
    positive = sorted((r for r in revenues if r and r > 0), reverse=True)
    if not positive:
        return 0.0
    if method == BENCHMARK_TOP:
        return float(positive[0])
    if method == BENCHMARK_TOP_N_AVERAGE:
        if top_n < 1:
            raise ValueError("top_n must be at least 1")
        best = positive[:top_n]
        return float(sum(best)) / len(best)
    raise ValueError(f"unknown benchmark method {method!r}")


def tier_levels(b_ratio=60.0, c_ratio=30.0):
    """Reference level of each tier, as a fraction of the benchmark."""
    if not 0 < c_ratio < b_ratio < 100:
        raise ValueError("tier levels must satisfy 0 < C < B < 100 (percent of tier A)")
    return {"a": 1.0, "b": b_ratio / 100.0, "c": c_ratio / 100.0, "d": 0.0}


def default_cutoffs(b_ratio=60.0, c_ratio=30.0):
    """The cut-offs ``(a_from, b_from)``, in percent of the benchmark, that put an
    account in the tier whose level is nearest to its revenue: the midpoints between
    the levels (80 and 45 with the literature's levels)."""
    tier_levels(b_ratio, c_ratio)
    return (100.0 + b_ratio) / 2.0, (b_ratio + c_ratio) / 2.0


def cutoffs_in_order(a_from, b_from):
    """Whether ``a_from`` and ``b_from`` (percent of the benchmark) are usable cut-offs:
    0 < B cut-off < A cut-off <= 100. NaN and infinities fail the comparisons."""
    return 0 < b_from < a_from <= 100


def levels_within_cutoffs(b_ratio, c_ratio, a_from, b_from):
    """Whether each level lies in its own tier: C level < B cut-off <= B level < A
    cut-off. Otherwise a typical B account would be tiered A (or C) and its
    temperature measured against a level that is not its tier's."""
    return c_ratio < b_from <= b_ratio < a_from


def compute_tier(
    revenue, bench, b_ratio=60.0, c_ratio=30.0, has_prospects=False, cutoffs=None
):
    """The tier an account's trailing-12-month ``revenue`` earns against the benchmark.

    ``cutoffs`` is ``(a_from, b_from)``, the least share of the benchmark (percent)
    for tier A and for tier B; without it, the midpoints between the levels
    ``b_ratio`` and ``c_ratio`` (``default_cutoffs``). ``has_prospects`` says that the
    account bought before or has open opportunities: without revenue it is then a
    low-potential C, not a D.
    """
    a_from, b_from = default_cutoffs(b_ratio, c_ratio) if cutoffs is None else cutoffs
    if not cutoffs_in_order(a_from, b_from):
        raise ValueError("tier cut-offs must satisfy 0 < B < A <= 100 (percent)")
    revenue = revenue or 0.0
    if revenue <= 0:
        return "c" if has_prospects else "d"
    if bench <= 0:
        return "c"
    share = revenue / bench
    if share >= a_from / 100.0:
        return "a"
    if share >= b_from / 100.0:
        return "b"
    return "c"


TEMPERATURES = ("hot", "warm", "mild", "cool", "cold", "none")


def expected_revenue(tier, bench, b_ratio=60.0, c_ratio=30.0):
    """What an account of ``tier`` should bring in a year."""
    return bench * tier_levels(b_ratio, c_ratio)[tier]


def temperature(
    revenue, tier, bench, b_ratio=60.0, c_ratio=30.0, thresholds=(100, 75, 50, 25)
):
    """Heat of an account: its revenue against what its tier expects.

    Returns ``(ratio_percent, level)``. ``thresholds`` are the least percentages for hot
    (red), warm, mild and cool; below the last the account is cold (blue, "close to
    freezing"). A tier that expects nothing (D, or no benchmark yet) has no temperature:
    ``(0.0, "none")``.
    """
    hot, warm, mild, cool = thresholds
    if not hot >= warm >= mild >= cool >= 0:
        raise ValueError(
            "temperature thresholds must decrease: hot >= warm >= mild >= cool >= 0"
        )
    if not tier:
        return 0.0, "none"
    expected = expected_revenue(tier, bench, b_ratio, c_ratio)
    if expected <= 0:
        return 0.0, "none"
    ratio = max(revenue or 0.0, 0.0) / expected * 100.0
    for level, least in zip(("hot", "warm", "mild", "cool"), thresholds, strict=True):
        if ratio >= least:
            return ratio, level
    return ratio, "cold"


def profile(industry, territory, size):
    """The look-alike signature of an account: industry, territory and size
    (docs/METHOD.md#tiers, look-alikes)."""
    return (industry or None, territory or None, size or None)


def lookalike_matches(candidate, references):
    """Highest number of attributes ``candidate`` shares with any reference profile.

    Profiles are ``(industry, territory, size)`` tuples; an unknown attribute matches
    nothing.
    """
    best = 0
    for ref in references:
        shared = sum(
            1
            for mine, theirs in zip(candidate, ref, strict=True)
            if mine is not None and mine == theirs
        )
        best = max(best, shared)
        if best == len(candidate):
            break
    return best
