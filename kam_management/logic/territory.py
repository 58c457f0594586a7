"""The territory (docs/METHOD.md#territory): which accounts are near a meeting and
which of them are worth visiting first on the same trip.

Near, for two accounts: within the company's radius when both have coordinates
(great-circle distance), else in the same city (case-insensitive, same country),
else in the same state or region. The models build their SQL from the constants
and functions below (``EARTH_RADIUS_KM``, ``bounding_box``, ``TIER_RANK``,
``QUADRANT_RANK``), and a test checks that SQL and Python agree on a sample.
"""

import math

from .cadence import is_overdue

EARTH_RADIUS_KM = 6371.0088
# Kilometres per degree of latitude (and of longitude at the equator).
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180.0
DEFAULT_RADIUS_KM = 30.0
MAX_RADIUS_KM = 1000.0

# Levels of "near", the surest first.
LEVEL_DISTANCE = "distance"
LEVEL_CITY = "city"
LEVEL_STATE = "state"
LEVELS = (LEVEL_DISTANCE, LEVEL_CITY, LEVEL_STATE)
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}

# What is due first: tier A before B..., key before target...; none last.
TIER_RANK = {"a": 0, "b": 1, "c": 2, "d": 3}
QUADRANT_RANK = {"key": 0, "target": 1, "maintain": 2, "low_profile": 3}
NO_RANK = 9


def has_coordinates(latitude, longitude):
    """Whether a partner has a position: Odoo stores 0.0 for none, and nobody does
    business at 0 N 0 E (the Gulf of Guinea)."""
    if latitude is None or longitude is None:
        return False
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        return False
    if not (-90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0):
        return False
    return not (latitude == 0.0 and longitude == 0.0)


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km between two points in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    h = (
        math.sin(dphi / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, max(0.0, h))))


def bounding_box(latitude, longitude, radius_km):
    """(lat_min, lat_max, lon_min, lon_max) holding every point within ``radius_km``
    of the point: the cheap first filter an index on the coordinates answers. Near a
    pole or the date line the box takes every longitude (never too small)."""
    if radius_km < 0:
        raise ValueError("a radius is not negative")
    dlat = radius_km / KM_PER_DEGREE
    lat_min, lat_max = latitude - dlat, latitude + dlat
    if lat_min <= -90.0 or lat_max >= 90.0:
        return max(lat_min, -90.0), min(lat_max, 90.0), -180.0, 180.0
    # The widest longitude span is at the latitude farthest from the equator.
    widest = max(abs(lat_min), abs(lat_max))
    dlon = radius_km / (KM_PER_DEGREE * math.cos(math.radians(widest)))
    lon_min, lon_max = longitude - dlon, longitude + dlon
    if dlon >= 180.0 or lon_min < -180.0 or lon_max > 180.0:
        return lat_min, lat_max, -180.0, 180.0
    return lat_min, lat_max, lon_min, lon_max


def same_text(left, right):
    """Same city name: case and surrounding spaces aside, never two empty names."""
    left, right = (left or "").strip().lower(), (right or "").strip().lower()
    return bool(left) and left == right


def near_level(origin, other, radius_km):
    """How ``other`` is near ``origin``: ``LEVEL_DISTANCE``, ``LEVEL_CITY``,
    ``LEVEL_STATE`` or None (not near). Both are dicts with ``latitude``,
    ``longitude``, ``city``, ``country_id`` and ``state_id``; the distance decides
    when both have coordinates, else the city, else the state."""
    if has_coordinates(origin["latitude"], origin["longitude"]) and has_coordinates(
        other["latitude"], other["longitude"]
    ):
        distance = haversine_km(
            origin["latitude"],
            origin["longitude"],
            other["latitude"],
            other["longitude"],
        )
        return LEVEL_DISTANCE if distance <= radius_km else None
    if same_text(origin["city"], other["city"]) and (
        (origin["country_id"] or False) == (other["country_id"] or False)
    ):
        return LEVEL_CITY
    if origin["state_id"] and origin["state_id"] == other["state_id"]:
        return LEVEL_STATE
    return None


def is_worth_visiting(row, today):
    """Whether a nearby account is worth a stop at all: contact overdue, a tier or
    quadrant, an open opportunity, or a look-alike nobody manages yet."""
    return bool(
        is_overdue(row["next_contact_date"], today)
        or row["tier"]
        or row["quadrant"]
        or row["open_opportunities"]
        or (row["is_lookalike"] and not row["manager_id"])
    )


def visit_sort_key(row, today):
    """The order of the suggestions, what is due first: overdue contacts (the
    longest overdue first), then tier A before B, C, D, then quadrant Key, Target,
    Maintain, Low profile, then the most open opportunities, then the look-alikes
    nobody manages; ties by how near (distance, city, state) and name."""
    overdue = is_overdue(row["next_contact_date"], today)
    return (
        0 if overdue else 1,
        row["next_contact_date"].toordinal() if overdue else 0,
        TIER_RANK.get(row["tier"] or "", NO_RANK),
        QUADRANT_RANK.get(row["quadrant"] or "", NO_RANK),
        -(row["open_opportunities"] or 0),
        0 if row["is_lookalike"] and not row["manager_id"] else 1,
        LEVEL_RANK.get(row["level"], NO_RANK),
        row["distance_km"] if row["distance_km"] is not None else math.inf,
        (row["name"] or "").lower(),
        row["id"],
    )


def rank_visits(rows, today, limit=None):
    """The rows worth visiting, in :func:`visit_sort_key` order, at most ``limit``."""
    ranked = sorted(
        (row for row in rows if is_worth_visiting(row, today)),
        key=lambda row: visit_sort_key(row, today),
    )
    return ranked[:limit] if limit else ranked


def trip_share(visits, radius_km):
    """Share of the visits combined into trips: a visit is (rep, day, account
    position dict with ``account_id``); it is part of a trip when the same rep visits
    another account near it (:func:`near_level`) the same day. Returns {rep:
    (visits, in_trips)}."""
    by_day = {}
    for rep, day, place in visits:
        by_day.setdefault((rep, day), {})[place["account_id"]] = place
    result = {}
    for (rep, _day), places in by_day.items():
        total, combined = result.get(rep, (0, 0))
        for account_id, place in places.items():
            total += 1
            if any(
                other_id != account_id
                and near_level(place, other, radius_km) is not None
                for other_id, other in places.items()
            ):
                combined += 1
        result[rep] = (total, combined)
    return result
