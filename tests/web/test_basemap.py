"""The offline basemap: Natural Earth land (shared data) or the land-mask fallback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from armswatch.web._basemap import build_basemap, find_land_dir
from tests.conftest import need


def _land(path: Path) -> object:
    import shapely
    from shapely.geometry import shape

    doc = json.loads(path.read_text())
    return shapely.unary_union([shape(f["geometry"]) for f in doc["features"]])


def _check_world(land: object) -> None:
    from shapely.geometry import Point

    assert land.contains(Point(37.6, 55.75))  # Moscow
    assert land.contains(Point(125.75, 39.03))  # Pyongyang
    assert not land.contains(Point(-150.0, 0.0))  # Pacific
    assert not land.contains(Point(134.0, 40.0))  # Sea of Japan


@pytest.mark.slow
def test_natural_earth_basemap(tmp_path: Path) -> None:
    land_dir = need("geo/land/ne_50m_land.geojson").parent
    assert find_land_dir(land_dir) == land_dir
    dunay = (42.88028, 132.3375)
    built = build_basemap(tmp_path, land_dir, [dunay])
    assert built.source == "natural_earth"
    assert {f.name for f in built.files} == {"land.geojson", "land_detail.geojson",
                                             "borders.geojson"}
    assert (tmp_path / "land.geojson").stat().st_size < 2_000_000
    _check_world(_land(tmp_path / "land.geojson"))
    detail = _land(tmp_path / "land_detail.geojson")
    minx, miny, maxx, maxy = detail.bounds
    assert minx >= 129.8
    assert maxx <= 134.9
    assert miny >= 40.3
    assert maxy <= 45.4


def test_land_mask_fallback(tmp_path: Path) -> None:
    built = build_basemap(tmp_path, None, [])
    assert built.source == "global_land_mask"
    assert built.notes
    _check_world(_land(tmp_path / "land.geojson"))


def test_no_land_dir_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARMSWATCH_LAND_DATA", raising=False)
    monkeypatch.delenv("ARMSWATCH_SHARED_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    assert find_land_dir(tmp_path / "nothing") is None
