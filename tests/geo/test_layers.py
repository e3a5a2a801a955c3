from __future__ import annotations

import json
from pathlib import Path

import pytest

from armswatch.errors import BadInputError, UnknownFormatError
from armswatch.geo import (
    haversine_m,
    load_ports,
    merge_layers,
    read_areas_geojson,
    read_layer,
    read_searoute_ports,
    write_ports_csv,
)
from tests.conftest import need


def test_world_port_index(tmp_path: Path) -> None:
    ports = read_layer(need("geo/ports/wpi_UpdatedPub150_2024-01.csv"))
    assert len(ports) == 3831
    rajin = next(p for p in ports if p.port_id == "WPI-60510")
    assert rajin.locode == "KPRJN"
    assert rajin.country == "KP"
    assert abs(rajin.lat - 42.233333) < 1e-5
    assert {p.radius_m for p in ports} <= {2000.0, 3000.0, 5000.0, 8000.0}


def test_gfw_anchorages() -> None:
    skipped: list[str] = []
    cells = read_layer(need("geo/ports/gfw_anchorage_overrides.csv"), skipped)
    # one published row has longitude 1001 (POINTE NOIRE): skipped and named, not fatal
    assert len(cells) == 60409
    assert len(skipped) == 1
    assert "gfw_anchorage_overrides.csv:11462" in skipped[0]
    assert all(c.roles == ("anchorage",) for c in cells[:100])


def test_searoute_ports_shipped_with_the_package() -> None:
    ports = read_searoute_ports()
    assert len(ports) > 3000
    assert any(p.locode == "KPNJN" for p in ports)


def test_areas_geojson_circle_and_polygon(tmp_path: Path) -> None:
    path = tmp_path / "areas.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "STS-1", "role": "sts_zone", "radius_m": 5000},
         "geometry": {"type": "Point", "coordinates": [22.1, 36.8]}},
        {"type": "Feature", "properties": {"id": "BOX", "roles": ["dprk_port", "watch"]},
         "geometry": {"type": "Polygon", "coordinates": [[[130, 42], [130.5, 42], [130.5, 42.5],
                                                          [130, 42.5], [130, 42]]]}},
    ]}))
    circle, box = read_areas_geojson(path)
    assert circle.port_id == "STS-1"
    assert circle.radius_m == 5000
    assert circle.roles == ("sts_zone",)
    assert box.polygon_wkt
    assert box.polygon_wkt.startswith("POLYGON")
    assert box.roles == ("dprk_port", "watch")
    # the enclosing circle reaches every corner
    assert box.radius_m >= haversine_m(box.lat, box.lon, 42.0, 130.0)
    # round trip through armswatch's CSV
    out = tmp_path / "areas.csv"
    write_ports_csv([circle, box], out)
    assert read_layer(out) == [circle.__class__(**{**_fields(circle), "lat": round(circle.lat, 6),
                                                   "lon": round(circle.lon, 6)}),
                               read_layer(out)[1]]
    assert read_layer(out)[1].polygon_wkt == box.polygon_wkt


def _fields(p: object) -> dict[str, object]:
    return {f: getattr(p, f) for f in p.__slots__}  # type: ignore[attr-defined]


def test_area_errors_name_the_feature(tmp_path: Path) -> None:
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "X"},
         "geometry": {"type": "Point", "coordinates": [22.1, 36.8]}}]}))
    with pytest.raises(BadInputError, match=r"feature 0 \(X\).*radius_m"):
        read_areas_geojson(path)
    other = tmp_path / "x.csv"
    other.write_text("a,b\n1,2\n")
    with pytest.raises(UnknownFormatError, match="World Port Index"):
        read_layer(other)


def test_merge_keeps_repeated_ports_as_alias_circles() -> None:
    concern = load_ports()
    general = read_searoute_ports()
    merged = merge_layers(concern, general)
    assert merged[: len(concern)] == concern
    # searoute's Zarubino lies 4.5 km from the WPI position: an alias circle of RU-ZAR
    zar = [p for p in merged if p.port_id == "RU-ZAR"]
    assert len(zar) == 2
    assert {p.roles for p in zar} == {("russian_port",)}
    assert haversine_m(zar[0].lat, zar[0].lon, zar[1].lat, zar[1].lon) > 4000
    assert not any(p.locode == "RUZAR" and p.port_id != "RU-ZAR" for p in merged)
    # ordinary ports stay as they are
    assert any(p.port_id == "SR-JPTOY" for p in merged)
