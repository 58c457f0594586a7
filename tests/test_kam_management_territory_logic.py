"""The territorial rules of kam_management without Odoo (docs/METHOD.md#territory):
distance, bounding box, the levels of "near", the order of the suggestions, trips."""

import datetime
import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from .conftest import load_logic

territory = load_logic("kam_management").territory

latitudes = st.floats(min_value=-89.9, max_value=89.9, allow_nan=False)
longitudes = st.floats(min_value=-179.9, max_value=179.9, allow_nan=False)
radii = st.floats(min_value=0.1, max_value=territory.MAX_RADIUS_KM, allow_nan=False)
TODAY = datetime.date(2026, 6, 15)


def place(lat=0.0, lon=0.0, city="", country=1, state=False):
    return {
        "latitude": lat,
        "longitude": lon,
        "city": city,
        "country_id": country,
        "state_id": state,
    }


# -- distance
def test_known_distances():
    # Paris - London, about 344 km; one degree of latitude, about 111.2 km.
    assert territory.haversine_km(48.8566, 2.3522, 51.5074, -0.1278) == pytest.approx(
        343.9, abs=1.0
    )
    assert territory.haversine_km(10, 20, 11, 20) == pytest.approx(111.2, abs=0.1)
    assert territory.haversine_km(10, 20, 10, 20) == 0.0


@given(latitudes, longitudes, latitudes, longitudes)
def test_distance_is_symmetric_and_bounded(lat1, lon1, lat2, lon2):
    there = territory.haversine_km(lat1, lon1, lat2, lon2)
    back = territory.haversine_km(lat2, lon2, lat1, lon1)
    assert there == pytest.approx(back, abs=1e-6)
    assert 0.0 <= there <= math.pi * territory.EARTH_RADIUS_KM + 1e-6


@given(latitudes, longitudes, radii, st.floats(0, 1), st.floats(0, 2 * math.pi))
def test_the_box_holds_the_circle(lat, lon, radius, fraction, bearing):
    """Every point within the radius lies in the bounding box: the box never drops
    an account the exact distance would keep."""
    lat_min, lat_max, lon_min, lon_max = territory.bounding_box(lat, lon, radius)
    # A point at ``fraction`` of the radius in direction ``bearing``.
    delta = radius * fraction / territory.EARTH_RADIUS_KM
    phi1, lmb1 = math.radians(lat), math.radians(lon)
    phi2 = math.asin(
        math.sin(phi1) * math.cos(delta)
        + math.cos(phi1) * math.sin(delta) * math.cos(bearing)
    )
    lmb2 = lmb1 + math.atan2(
        math.sin(bearing) * math.sin(delta) * math.cos(phi1),
        math.cos(delta) - math.sin(phi1) * math.sin(phi2),
    )
    lat2 = math.degrees(phi2)
    lon2 = (math.degrees(lmb2) + 540) % 360 - 180
    assume(territory.haversine_km(lat, lon, lat2, lon2) <= radius * 0.999)
    assert lat_min - 1e-9 <= lat2 <= lat_max + 1e-9
    assert lon_min - 1e-9 <= lon2 <= lon_max + 1e-9


def test_box_near_a_pole_or_the_date_line_takes_every_longitude():
    assert territory.bounding_box(89.9, 10, 50)[2:] == (-180.0, 180.0)
    assert territory.bounding_box(0, 179.9, 50)[2:] == (-180.0, 180.0)
    with pytest.raises(ValueError):
        territory.bounding_box(0, 0, -1)


def test_coordinates():
    assert not territory.has_coordinates(0.0, 0.0), "Odoo's empty position"
    assert not territory.has_coordinates(None, 2.0)
    assert not territory.has_coordinates(91.0, 2.0)
    assert not territory.has_coordinates(math.nan, 2.0)
    assert territory.has_coordinates(0.0, 2.0)
    assert territory.has_coordinates(-33.9, 151.2)


# -- near
def test_levels_cascade():
    paris = place(48.8566, 2.3522, "Paris", 75, 1)
    near = place(48.86, 2.36, "Elsewhere", 75, 2)
    far = place(45.76, 4.83, "Paris", 75, 1)
    assert territory.near_level(paris, near, 30) == territory.LEVEL_DISTANCE
    # Both positioned: the distance decides, the same city name does not.
    assert territory.near_level(paris, far, 30) is None
    unmapped = place(city=" PARIS ", country=75)
    assert territory.near_level(paris, unmapped, 30) == territory.LEVEL_CITY
    assert territory.near_level(unmapped, paris, 30) == territory.LEVEL_CITY
    other_country = place(city="Paris", country=233)
    assert territory.near_level(unmapped, other_country, 30) is None
    same_state = place(city="Versailles", country=75, state=1)
    assert territory.near_level(paris, same_state, 30) == territory.LEVEL_STATE
    assert territory.near_level(place(), place(), 30) is None, "nothing known"


@given(
    st.tuples(latitudes, longitudes),
    st.tuples(latitudes, longitudes),
    st.sampled_from(["", "Paris", "paris", "Lyon"]),
    st.sampled_from(["", "Paris", "Lyon "]),
    st.sampled_from([False, 1, 2]),
    st.sampled_from([False, 1, 2]),
    st.booleans(),
    st.booleans(),
    radii,
)
def test_near_is_symmetric(a, b, city_a, city_b, state_a, state_b, pos_a, pos_b, r):
    left = place(*(a if pos_a else (0.0, 0.0)), city_a, 75, state_a)
    right = place(*(b if pos_b else (0.0, 0.0)), city_b, 75, state_b)
    assert territory.near_level(left, right, r) == territory.near_level(right, left, r)


# -- order
def row(name, **values):
    base = {
        "id": hash(name) % 10000,
        "name": name,
        "next_contact_date": None,
        "tier": None,
        "quadrant": None,
        "open_opportunities": 0,
        "is_lookalike": False,
        "manager_id": None,
        "level": territory.LEVEL_DISTANCE,
        "distance_km": 1.0,
    }
    base.update(values)
    return base


def test_what_is_due_comes_first():
    rows = [
        row("lookalike", is_lookalike=True),
        row("managed lookalike", is_lookalike=True, manager_id=7),
        row("deals", open_opportunities=3),
        row("one deal", open_opportunities=1),
        row("target", tier="b", quadrant="target"),
        row("key", tier="b", quadrant="key"),
        row("tier a", tier="a"),
        row("overdue", tier="d", next_contact_date=TODAY - datetime.timedelta(3)),
        row("long overdue", next_contact_date=TODAY - datetime.timedelta(30)),
        row("due today", next_contact_date=TODAY),
    ]
    ranked = [r["name"] for r in territory.rank_visits(rows, TODAY)]
    assert ranked == [
        "long overdue",
        "overdue",
        "tier a",
        "key",
        "target",
        "deals",
        "one deal",
        "lookalike",
    ]


@given(
    st.lists(
        st.builds(
            lambda tier, quadrant, deals, days, look, level: row(
                f"r{tier}{quadrant}{deals}{days}{look}{level}",
                tier=tier,
                quadrant=quadrant,
                open_opportunities=deals,
                next_contact_date=(
                    TODAY + datetime.timedelta(days) if days is not None else None
                ),
                is_lookalike=look,
                level=level,
                distance_km=1.0 if level == territory.LEVEL_DISTANCE else None,
            ),
            st.sampled_from([None, "a", "b", "c", "d"]),
            st.sampled_from([None, "key", "target", "maintain", "low_profile"]),
            st.integers(0, 3),
            st.one_of(st.none(), st.integers(-60, 60)),
            st.booleans(),
            st.sampled_from(territory.LEVELS),
        ),
        max_size=30,
    )
)
def test_overdue_always_before_the_rest(rows):
    ranked = territory.rank_visits(rows, TODAY)
    overdue = [territory.is_overdue(r["next_contact_date"], TODAY) for r in ranked]
    assert overdue == sorted(overdue, reverse=True)
    assert all(territory.is_worth_visiting(r, TODAY) for r in ranked)
    assert len(territory.rank_visits(rows, TODAY, limit=5)) <= 5


# -- trips
def test_trip_share_hand_counted():
    paris = dict(place(48.8566, 2.3522), account_id=1)
    near = dict(place(48.86, 2.36), account_id=2)
    lyon = dict(place(45.76, 4.83), account_id=3)
    day1, day2 = datetime.date(2026, 1, 5), datetime.date(2026, 1, 6)
    visits = [
        ("rep", day1, paris),
        ("rep", day1, near),
        ("rep", day1, lyon),
        ("rep", day2, paris),
        ("rep", day2, paris),  # the same account twice: one visit
        ("other", day1, paris),
    ]
    assert territory.trip_share(visits, 30) == {"rep": (4, 2), "other": (1, 0)}
