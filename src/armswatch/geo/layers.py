"""General port and anchorage layers, and user areas, read at run time.

The bundled table holds only the ports of concern. Detectors also need to know where
*any* port or anchorage is ("at least 10 km from an anchorage", "away from ports"); that
layer is read from files the user names (never copied into armswatch):

* NGA World Port Index, Pub. 150 CSV (public domain) — :func:`read_wpi_csv`;
* Global Fishing Watch named-anchorage cells (``anchorage_overrides.csv``, Apache-2.0) —
  :func:`read_gfw_anchorages`;
* the ports shipped inside the ``searoute`` package (Apache-2.0), used by default because
  it is installed with armswatch — :func:`read_searoute_ports`;
* user areas as GeoJSON: Points with a ``radius_m`` property (circles) or Polygons —
  :func:`read_areas_geojson`;
* armswatch's own ports CSV (:data:`armswatch.geo.ports.PORT_COLUMNS`).

:func:`read_layer` recognises each format from its header.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import logging
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from shapely.geometry import shape

from armswatch.errors import BadInputError, UnknownFormatError
from armswatch.geo.distance import haversine_m
from armswatch.geo.ports import PORT_COLUMNS, Port, read_ports_csv

log = logging.getLogger(__name__)

# Port radius by WPI "Harbor Size": armswatch's choice (WPI gives no extent), wide enough to
# hold the inner anchorage of a port of that class.
WPI_RADIUS_M: dict[str, float] = {
    "Large": 8_000.0,
    "Medium": 5_000.0,
    "Small": 3_000.0,
    "Very Small": 2_000.0,
}
WPI_DEFAULT_RADIUS_M = 3_000.0
# GFW anchorages are S2 level-14 cells (edge about 0.5 km); a point of 1 km radius covers one.
GFW_CELL_RADIUS_M = 1_000.0
SEAROUTE_RADIUS_M = 5_000.0


def _float(row: dict[str, str], key: str, path: Path, line: int) -> float:
    try:
        return float(row[key])
    except (KeyError, TypeError, ValueError):
        raise BadInputError(f"bad or missing number in column {key!r}", path, line) from None


def _check_position(lat: float, lon: float, path: Path, line: int) -> None:
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise BadInputError(f"position out of range ({lat}, {lon})", path, line)


def _lenient(skipped: list[str] | None, exc: BadInputError) -> None:
    """Published layers have the odd bad row: skip it, say so (``skipped``, log)."""
    log.warning("skipped: %s", exc)
    if skipped is not None:
        skipped.append(str(exc))


def _csv_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(ln for ln in fh if not ln.startswith("#"))
            rows = list(reader)
            return list(reader.fieldnames or ()), rows
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise BadInputError(f"cannot read CSV: {exc}", path) from None


def read_wpi_csv(path: Path, skipped: list[str] | None = None) -> list[Port]:
    """World Port Index (Pub. 150) CSV: one port per row, radius by harbour size.
    Rows without a valid position are skipped and reported in ``skipped``."""
    _, rows = _csv_rows(path)
    ports: list[Port] = []
    for line, row in enumerate(rows, start=2):
        try:
            lat, lon = _float(row, "Latitude", path, line), _float(row, "Longitude", path, line)
            _check_position(lat, lon, path, line)
        except BadInputError as exc:
            _lenient(skipped, exc)
            continue
        number = (row.get("World Port Index Number") or "").strip().removesuffix(".0")
        locode = (row.get("UN/LOCODE") or "").replace(" ", "").strip() or None
        size = (row.get("Harbor Size") or "").strip()
        ports.append(
            Port(
                port_id=f"WPI-{number}",
                name=(row.get("Main Port Name") or "").strip(),
                country=locode[:2] if locode else "",
                locode=locode,
                lat=lat,
                lon=lon,
                radius_m=WPI_RADIUS_M.get(size, WPI_DEFAULT_RADIUS_M),
                roles=("port",),
                source=f"NGA World Port Index no. {number} ({path.name})",
            )
        )
    return ports


def read_gfw_anchorages(path: Path, skipped: list[str] | None = None) -> list[Port]:
    """GFW named anchorages (s2id, latitude, longitude, label, sublabel, iso3): one per
    cell. Rows without a valid position are skipped and reported in ``skipped``."""
    _, rows = _csv_rows(path)
    ports: list[Port] = []
    for line, row in enumerate(rows, start=2):
        try:
            lat, lon = _float(row, "latitude", path, line), _float(row, "longitude", path, line)
            _check_position(lat, lon, path, line)
        except BadInputError as exc:
            _lenient(skipped, exc)
            continue
        label = (row.get("label") or "").strip()
        sub = (row.get("sublabel") or "").strip()
        iso3 = (row.get("iso3") or "").strip()
        ports.append(
            Port(
                port_id=f"GFW-{row.get('s2id', '').strip()}",
                name=f"{label} ({sub})" if sub else label,
                country="",
                locode=None,
                lat=lat,
                lon=lon,
                radius_m=GFW_CELL_RADIUS_M,
                roles=("anchorage",),
                source=f"Global Fishing Watch anchorage {iso3} ({path.name})",
            )
        )
    return ports


def searoute_ports_path() -> Path:
    spec = importlib.util.find_spec("searoute")
    if spec is None or not spec.submodule_search_locations:
        raise BadInputError("the searoute package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "ports.geojson"


def _features(path: Path) -> list[dict[str, Any]]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadInputError(f"cannot read GeoJSON: {exc}", path) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("features"), list):
        raise BadInputError("not a GeoJSON FeatureCollection", path)
    return list(doc["features"])


def read_searoute_ports(path: Path | None = None, skipped: list[str] | None = None
                        ) -> list[Port]:
    """Ports of the ``searoute`` package (UN/LOCODE points; no extent, 5 km radius)."""
    path = path or searoute_ports_path()
    ports: list[Port] = []
    for i, feat in enumerate(_features(path)):
        props = feat.get("properties") or {}
        try:
            lon, lat = (float(v) for v in feat["geometry"]["coordinates"][:2])
            _check_position(lat, lon, path, i)
        except (KeyError, TypeError, ValueError):
            _lenient(skipped, BadInputError(f"feature {i}: bad point geometry", path))
            continue
        except BadInputError as exc:
            _lenient(skipped, exc)
            continue
        locode = str(props.get("port") or "").strip() or None
        ports.append(
            Port(
                port_id=f"SR-{locode or i}",
                name=str(props.get("name") or ""),
                country=locode[:2] if locode else "",
                locode=locode,
                lat=lat,
                lon=lon,
                radius_m=SEAROUTE_RADIUS_M,
                roles=("port",),
                source=f"searoute ports.geojson ({locode or i})",
            )
        )
    return ports


def _roles(props: dict[str, Any], default: str) -> tuple[str, ...]:
    raw = props.get("roles", props.get("role", default))
    items = raw if isinstance(raw, list) else str(raw).split(";")
    return tuple(str(r).strip() for r in items if str(r).strip()) or (default,)


def read_areas_geojson(path: Path, default_role: str = "area") -> list[Port]:
    """User areas: Point features with ``radius_m`` (circles) or (Multi)Polygons.

    Properties used: ``id`` (or ``area_id``/``port_id``), ``name``, ``role`` or ``roles``
    (list or ';'-separated), ``country``, ``locode``, ``source``, ``radius_m``.
    """
    areas: list[Port] = []
    for i, feat in enumerate(_features(path)):
        props = feat.get("properties") or {}
        ident = str(props.get("id") or props.get("area_id") or props.get("port_id") or "")
        ident = ident or f"{path.stem}-{i + 1}"
        try:
            geom = shape(feat["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BadInputError(f"feature {i} ({ident}): bad geometry ({exc})", path) from None
        common: dict[str, Any] = {
            "port_id": ident,
            "name": str(props.get("name") or ident),
            "country": str(props.get("country") or ""),
            "locode": str(props.get("locode") or "") or None,
            "roles": _roles(props, default_role),
            "source": str(props.get("source") or path.name),
        }
        if geom.geom_type == "Point":
            try:
                radius_m = float(str(props.get("radius_m")))
            except (TypeError, ValueError):
                raise BadInputError(
                    f"feature {i} ({ident}): a Point area needs a numeric radius_m property", path
                ) from None
            if radius_m <= 0:
                raise BadInputError(f"feature {i} ({ident}): radius_m must be > 0", path)
            _check_position(geom.y, geom.x, path, i)
            areas.append(Port(lat=geom.y, lon=geom.x, radius_m=radius_m, **common))
        elif geom.geom_type in ("Polygon", "MultiPolygon"):
            if geom.is_empty or not geom.is_valid:
                raise BadInputError(f"feature {i} ({ident}): empty or invalid polygon", path)
            c = geom.centroid
            coords: Iterable[tuple[float, float]] = (
                xy for poly in getattr(geom, "geoms", [geom]) for xy in poly.exterior.coords
            )
            radius_m = max(haversine_m(c.y, c.x, y, x) for x, y in coords) + 1.0
            areas.append(
                Port(lat=c.y, lon=c.x, radius_m=radius_m, polygon_wkt=geom.wkt, **common)
            )
        else:
            raise BadInputError(
                f"feature {i} ({ident}): {geom.geom_type} is not an area "
                "(Point with radius_m, or Polygon)",
                path,
            )
    return areas


def read_layer(path: Path, skipped: list[str] | None = None) -> list[Port]:
    """Read any supported port/area layer, recognised from its content. Bad rows of
    published layers (WPI, GFW, searoute) are skipped into ``skipped``; user files
    (areas, armswatch CSV) must be right."""
    if not path.exists():
        raise BadInputError("file not found", path)
    if path.suffix.lower() in (".geojson", ".json"):
        feats = _features(path)
        is_searoute = bool(feats) and all(
            "port" in (f.get("properties") or {}) and "radius_m" not in (f.get("properties") or {})
            for f in feats[:50]
        )
        return read_searoute_ports(path, skipped) if is_searoute else read_areas_geojson(path)
    fields, _ = _csv_rows(path)
    if "World Port Index Number" in fields:
        return read_wpi_csv(path, skipped)
    if {"s2id", "latitude", "longitude", "label"} <= set(fields):
        return read_gfw_anchorages(path, skipped)
    if set(PORT_COLUMNS) <= set(fields):
        return read_ports_csv(path)
    raise UnknownFormatError(
        "unknown port layer: expected World Port Index CSV, GFW anchorage CSV, armswatch "
        "ports CSV (" + ",".join(PORT_COLUMNS) + ") or GeoJSON",
        path,
    )


def write_ports_csv(ports: Sequence[Port], path: Path) -> None:
    """Write ports in armswatch's CSV layout (plus ``polygon_wkt`` for polygon areas)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([*PORT_COLUMNS, "polygon_wkt"])
        for p in ports:
            w.writerow([
                p.port_id, p.name, p.country, p.locode or "", f"{p.lat:.6f}", f"{p.lon:.6f}",
                f"{p.radius_m:.0f}", ";".join(p.roles), p.source, p.polygon_wkt or "",
            ])


def merge_layers(primary: Sequence[Port], general: Iterable[Port], dedupe_m: float = 5_000.0,
                 same_locode_m: float = 25_000.0) -> list[Port]:
    """``primary`` (ports of concern, user areas) plus the ``general`` layer.

    A general port that is one of the primary ports — within ``dedupe_m`` of it, or with
    its UN/LOCODE within ``same_locode_m`` — is kept as an *alias circle* of that port
    (same id, name and roles): sources place a harbour several km apart (WPI, UN/LOCODE,
    searoute), so the port's area is the union of their circles. Other general ports and
    anchorage cells are added as they are; a general id already taken is skipped.
    """
    by_locode = {p.locode: p for p in primary if p.locode}
    cells: dict[tuple[int, int], list[Port]] = {}
    for p in primary:
        cells.setdefault((math.floor(p.lat), math.floor(p.lon)), []).append(p)
    out = list(primary)
    seen_ids = {p.port_id for p in primary}
    for g in general:
        if g.port_id in seen_ids:
            continue
        seen_ids.add(g.port_id)
        if not g.has_role("port"):
            out.append(g)
            continue
        same = by_locode.get(g.locode) if g.locode else None
        if same is not None and haversine_m(same.lat, same.lon, g.lat, g.lon) > same_locode_m:
            same = None
        if same is None:
            near = [(haversine_m(p.lat, p.lon, g.lat, g.lon), i, p)
                    for dy in (-1, 0, 1) for dx in (-1, 0, 1)
                    for i, p in enumerate(cells.get((math.floor(g.lat) + dy,
                                                     math.floor(g.lon) + dx), ()))]
            near = [x for x in near if x[0] < dedupe_m]
            same = min(near)[2] if near else None
        if same is None:
            out.append(g)
        else:
            out.append(Port(same.port_id, same.name, same.country, same.locode, g.lat, g.lon,
                            g.radius_m, same.roles, f"{g.source}; alias of {same.port_id}"))
    return out
