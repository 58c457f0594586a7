"""Whitespace: the customer's departments or sites against our product categories."""

WHITESPACE_OURS = "ours"
WHITESPACE_COMPETITOR = "competitor"
WHITESPACE_NONE = "none"
# When one cell is given twice, the strongest position wins: ours, then competitor,
# then none.
_RANK = {WHITESPACE_OURS: 0, WHITESPACE_COMPETITOR: 1, WHITESPACE_NONE: 2}


def whitespace_matrix(cells):
    """Build the matrix from ``(unit, category, status)`` cells.

    Returns ``(units, categories, grid)``: units and categories in order of first
    appearance, and ``grid[unit][category]`` the status, or ``None`` where nothing is
    known.
    """
    units, categories, grid = [], [], {}
    for unit, category, status in cells:
        if status not in _RANK:
            raise ValueError(f"unknown whitespace status {status!r}")
        if unit not in grid:
            units.append(unit)
            grid[unit] = {}
        if category not in categories:
            categories.append(category)
        current = grid[unit].get(category)
        if current is None or _RANK[status] < _RANK[current]:
            grid[unit][category] = status
    for unit in units:
        for category in categories:
            grid[unit].setdefault(category, None)
    return units, categories, grid


def whitespace_potential(cells):
    """The potential still open: the sum over cells not bought from us.

    ``cells`` is an iterable of ``(status, potential)``.
    """
    return sum(
        (potential or 0.0) for status, potential in cells if status != WHITESPACE_OURS
    )
