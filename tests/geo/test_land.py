from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from armswatch.errors import BadInputError
from armswatch.geo import LandMask, default_land_mask
from armswatch.geo.land import read_water_geojson

PLACES = {
    # name: (lat, lon, raw grid says land, inland after margin and water overrides)
    "mid_atlantic": (0.0, -30.0, False, False),
    "paris": (48.85, 2.35, True, True),
    "madrid": (40.4, -3.7, True, True),
    "caspian_sea": (42.0, 50.5, True, False),  # a lake on the GLOBE grid: override says water
    "suez_canal_ismailia": (30.58, 32.30, True, False),
    "astrakhan": (46.35, 48.03, True, False),  # Volga delta override
    "vostochny_quay": (42.75, 133.083, True, False),  # coast within the margin
    "rajin_roads": (42.2, 130.35, False, False),
}


def test_known_places() -> None:
    mask = default_land_mask()
    lat = np.array([v[0] for v in PLACES.values()])
    lon = np.array([v[1] for v in PLACES.values()])
    raw = dict(zip(PLACES, mask.is_land(lat, lon), strict=True))
    inland = dict(zip(PLACES, mask.is_inland(lat, lon), strict=True))
    for name, (_, _, want_raw, want_inland) in PLACES.items():
        assert raw[name] == want_raw, name
        assert inland[name] == want_inland, name


def test_nan_positions_are_not_inland() -> None:
    out = default_land_mask().is_inland(np.array([np.nan, 48.85]), np.array([2.35, np.nan]))
    assert out.tolist() == [False, False]


def test_user_water_override(tmp_path: Path) -> None:
    lake = tmp_path / "lake.geojson"
    lake.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "around Paris"},
         "geometry": {"type": "Polygon", "coordinates": [[[2, 48.5], [2.7, 48.5], [2.7, 49.1],
                                                          [2, 49.1], [2, 48.5]]]}},
        {"type": "Feature", "properties": {"name": "a river", "buffer_m": 3000},
         "geometry": {"type": "LineString", "coordinates": [[-3.8, 40.4], [-3.6, 40.4]]}},
    ]}))
    mask = LandMask.load(extra_water=[lake])
    assert mask.is_inland(np.array([48.85, 40.4]), np.array([2.35, -3.7])).tolist() == [
        False, False]


def test_bad_water_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.geojson"
    bad.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {},
         "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}}]}))
    with pytest.raises(BadInputError, match="buffer_m"):
        read_water_geojson(bad)
