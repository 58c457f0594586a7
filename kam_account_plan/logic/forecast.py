"""Revenue forecast: weighted amounts, totals and achievement against actuals."""

from collections import defaultdict


def _check_probability(probability):
    if probability is None or probability < 0 or probability > 100:
        raise ValueError(f"probability must be within 0-100, got {probability!r}")


def weighted_amount(amount, probability):
    """The expected value of a forecast line: ``amount`` x ``probability`` %."""
    _check_probability(probability)
    return (amount or 0.0) * probability / 100.0


def forecast_totals(lines):
    """Totals of forecast lines.

    ``lines`` is an iterable of mappings with ``amount``, ``probability`` and optionally
    ``period`` and ``category`` keys. Returns a dict with ``total``, ``weighted``,
    ``by_period`` and ``by_category`` (the two last map a key to ``(total, weighted)``).
    """
    total = weighted = 0.0
    by_period = defaultdict(lambda: [0.0, 0.0])
    by_category = defaultdict(lambda: [0.0, 0.0])
    for line in lines:
        amount = line.get("amount") or 0.0
        weighted_line = weighted_amount(amount, line.get("probability", 100.0))
        total += amount
        weighted += weighted_line
        for key, bucket in (("period", by_period), ("category", by_category)):
            entry = bucket[line.get(key)]
            entry[0] += amount
            entry[1] += weighted_line
    return {
        "total": total,
        "weighted": weighted,
        "by_period": {key: tuple(value) for key, value in by_period.items()},
        "by_category": {key: tuple(value) for key, value in by_category.items()},
    }


def achievement_percent(actual, target):
    """Actual revenue as a percentage of the target; ``None`` without a target."""
    if not target:
        return None
    return (actual or 0.0) * 100.0 / target
