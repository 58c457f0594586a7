"""Revenue trend, decline alert and lifetime value (docs/METHOD.md#revenue)."""


def trend(current, previous):
    """Change of the trailing-12-month revenue against the 12 months before, in percent.

    None when there is nothing to compare with (no revenue before).
    """
    current = current or 0.0
    previous = previous or 0.0
    if previous <= 0:
        return None
    return (current - previous) / previous * 100.0


def is_declining(trend_percent, threshold=20.0):
    """A drop of at least ``threshold`` percent raises the decline alert."""
    return trend_percent is not None and trend_percent <= -abs(threshold)


def lifetime_value(
    average_purchase, purchases_per_year, expected_years, cross_sell=0.0
):
    """Average purchase x purchases a year x expected years, plus the cross-sell
    expected.

    10,000 a quarter for three years: ``lifetime_value(10000, 4, 3) == 120000``.
    """
    if expected_years < 0 or purchases_per_year < 0:
        raise ValueError("years and purchase frequency are not negative")
    return max(average_purchase or 0.0, 0.0) * purchases_per_year * expected_years + (
        cross_sell or 0.0
    )
