"""Grid cells of port circles: every position within reach falls in one of them."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from armswatch.detect._base import circle_cells
from armswatch.geo import haversine_m


def _cell(lat: float, lon: float) -> tuple[int, int]:
    # what the SQL side computes: FLOOR(lat * 10), LEAST(FLOOR(lon * 10), 1799)
    return math.floor(lat * 10), min(math.floor(lon * 10), 1799)


@settings(max_examples=200, deadline=None)
@given(
    st.floats(-85, 85), st.floats(-180, 180), st.floats(100, 60_000),
    st.floats(0, 1), st.floats(0, 2 * math.pi),
)
def test_positions_within_reach_are_in_a_cell(lat: float, lon: float, reach: float,
                                              frac: float, bearing: float) -> None:
    d = reach * frac * 0.999
    plat = lat + d * math.cos(bearing) / 111_195.0
    plon = lon + d * math.sin(bearing) / (111_195.0 * math.cos(math.radians(plat)))
    plon = (plon + 180) % 360 - 180
    if not -90 < plat < 90 or haversine_m(lat, lon, plat, plon) > reach:
        return
    cy, cx, k = circle_cells(np.array([lat]), np.array([lon]), np.array([reach]))
    assert set(k.tolist()) == {0}
    assert _cell(plat, plon) in set(zip(cy.tolist(), cx.tolist(), strict=True))


def test_cells_wrap_the_antimeridian() -> None:
    _, cx, _ = circle_cells(np.array([0.0]), np.array([179.99]), np.array([5_000.0]))
    assert -1800 in set(cx.tolist())
    assert 1799 in set(cx.tolist())
