"""An offline basemap: land polygons as GeoJSON, built once from Natural Earth.

* ``land.geojson``: the world, Natural Earth 1:50m land, simplified to 0.02° (about
  2 km) and rounded to 0.001°.
* ``land_detail.geojson``: Natural Earth 1:10m land (plus minor islands) within 2.5° of
  each port of concern, simplified to 0.002° — shown when the map is zoomed in, so
  harbours such as Rajin or Dunay keep their shape.
* ``borders.geojson``: country outlines from Natural Earth 1:50m admin-0.

Without Natural Earth files, the fallback draws land from the ``global-land-mask``
package's 1/120° grid (NOAA GLOBE), sampled every 0.25°: coarser but complete.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LAND_FILES = ("ne_50m_land.geojson", "ne_10m_land.geojson", "ne_10m_minor_islands.geojson",
              "ne_50m_admin_0_countries.geojson")
ENV_LAND = "ARMSWATCH_LAND_DATA"


@dataclass(frozen=True, slots=True)
class Basemap:
    source: str  # "natural_earth" or "global_land_mask"
    files: tuple[Path, ...]
    notes: tuple[str, ...] = ()


def find_land_dir(explicit: Path | None = None) -> Path | None:
    """Where the Natural Earth files are: the argument, ``$ARMSWATCH_LAND_DATA``,
    ``$ARMSWATCH_SHARED_DATA/geo/land``, or ``shared/data/geo/land`` beside the current
    folder or one of its parents. None when no candidate has ``ne_50m_land.geojson``."""
    cands: list[Path] = []
    if explicit is not None:
        cands.append(explicit)
    if os.environ.get(ENV_LAND):
        cands.append(Path(os.environ[ENV_LAND]))
    if os.environ.get("ARMSWATCH_SHARED_DATA"):
        cands.append(Path(os.environ["ARMSWATCH_SHARED_DATA"]) / "geo" / "land")
    here = Path.cwd().resolve()
    for base in (here, *here.parents):
        cands.append(base.parent / "shared" / "data" / "geo" / "land")
    for c in cands:
        if (c / "ne_50m_land.geojson").is_file():
            return c
    return None


def _read_geoms(path: Path) -> list[Any]:
    from shapely.geometry import shape

    doc = json.loads(path.read_bytes())
    return [shape(f["geometry"]) for f in doc.get("features", []) if f.get("geometry")]


def _write(geom: Any, path: Path, decimals: int, props: dict[str, Any]) -> Path:
    import shapely

    snapped = shapely.set_precision(geom, 10.0 ** -decimals)
    feature = {"type": "Feature", "properties": props,
               "geometry": json.loads(shapely.to_geojson(snapped))}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]},
                               separators=(",", ":")), encoding="utf-8")
    return path


def _polygons(geoms: Iterable[Any]) -> list[Any]:
    out: list[Any] = []
    for g in geoms:
        out.extend(getattr(g, "geoms", [g]))
    return out


def natural_earth(land_dir: Path, dest: Path, ports: Sequence[tuple[float, float]]) -> Basemap:
    import shapely
    from shapely.geometry import box

    files = []
    attribution = {"source": "Natural Earth (public domain)"}
    world = shapely.unary_union(_read_geoms(land_dir / "ne_50m_land.geojson"))
    world = shapely.simplify(world, 0.02, preserve_topology=True)
    files.append(_write(world, dest / "land.geojson", 3, attribution))
    notes = []
    detail_src = land_dir / "ne_10m_land.geojson"
    if detail_src.is_file() and ports:
        areas = shapely.unary_union([box(lon - 2.5, lat - 2.5, lon + 2.5, lat + 2.5)
                                     for lat, lon in ports])
        geoms = _read_geoms(detail_src)
        islands = land_dir / "ne_10m_minor_islands.geojson"
        if islands.is_file():
            geoms += _read_geoms(islands)
        parts = [p.intersection(areas) for p in _polygons(geoms) if p.intersects(areas)]
        detail = shapely.simplify(shapely.GeometryCollection(parts), 0.002,
                                  preserve_topology=True)
        files.append(_write(detail, dest / "land_detail.geojson", 4, attribution))
    else:
        notes.append("no ne_10m_land.geojson: no detailed coast near ports")
    countries = land_dir / "ne_50m_admin_0_countries.geojson"
    if countries.is_file():
        lines = shapely.GeometryCollection([g.boundary for g in _read_geoms(countries)])
        files.append(_write(shapely.simplify(lines, 0.02), dest / "borders.geojson", 3,
                            attribution))
    return Basemap("natural_earth", tuple(files), tuple(notes))


def land_mask_fallback(dest: Path, step_deg: float = 0.25) -> Basemap:
    """Land from the global-land-mask grid, sampled every ``step_deg`` degrees."""
    import numpy as np
    import shapely
    from global_land_mask import globe

    lats = np.arange(90 - step_deg / 2, -90, -step_deg)
    lons = np.arange(-180 + step_deg / 2, 180, step_deg)
    lon_grid, lat_grid = np.meshgrid(lons, lats)
    land = globe.is_land(lat_grid, lon_grid)
    boxes = []
    for i, lat in enumerate(lats):
        row = land[i]
        if not row.any():
            continue
        edges = np.diff(np.concatenate([[0], row.astype(np.int8), [0]]))
        for s, e in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True):
            boxes.append(shapely.box(-180 + s * step_deg, lat - step_deg / 2,
                                     -180 + e * step_deg, lat + step_deg / 2))
    world = shapely.simplify(shapely.unary_union(boxes), step_deg / 2)
    path = _write(world, dest / "land.geojson", 3,
                  {"source": "global-land-mask (NOAA GLOBE), coarse fallback"})
    return Basemap("global_land_mask", (path,),
                   ("Natural Earth land files not found: coarse land from global-land-mask",))


def build_basemap(dest: Path, land_dir: Path | None,
                  ports: Sequence[tuple[float, float]]) -> Basemap:
    dest.mkdir(parents=True, exist_ok=True)
    for stale in ("land.geojson", "land_detail.geojson", "borders.geojson"):
        (dest / stale).unlink(missing_ok=True)
    if land_dir is not None:
        return natural_earth(land_dir, dest, ports)
    return land_mask_fallback(dest)
