"""On-land test for AIS positions without a spatial database.

The grid is the GLOBE 1-km land/water mask shipped by the ``global-land-mask`` package
(MIT; NOAA GLOBE DEM, public domain): 21,600 x 43,200 cells of 1/120 degree, True over
water. That mask counts lakes, canals and rivers as land (the Caspian Sea, the Suez Canal
and the Volga delta included), so :class:`LandMask` adds *water overrides*: coarse
polygons of inland waters where ships do sail (``armswatch/data/geo_inland_water.geojson``,
each feature citing its source) plus any the user supplies.

A position is *inland* when its cell is land, no water cell lies within ``margin_m`` and
no override covers it: coastline resolution (1 km) and port basins are thereby not
reported as "on land". Loading the package's compressed grid takes seconds; the bit-packed
grid (117 MB) is cached under ``$ARMSWATCH_HOME/cache`` and memory-mapped afterwards.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import math
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry import shape

from armswatch.errors import BadInputError
from armswatch.paths import home, package_data

log = logging.getLogger(__name__)

ROWS, COLS = 21_600, 43_200
CELLS_PER_DEG = 120
CELL_M = 111_195.0 / CELLS_PER_DEG  # north-south size of one cell, metres
_CACHE_NAME = "land_mask_globe_v1.npy"

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


def _npz_path() -> Path:
    spec = importlib.util.find_spec("global_land_mask")
    if spec is None or not spec.submodule_search_locations:
        raise BadInputError("the global-land-mask package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "globe_combined_mask_compressed.npz"


def _build_packed() -> npt.NDArray[np.uint8]:
    with np.load(_npz_path()) as npz:
        water = npz["mask"]
    if water.shape != (ROWS, COLS):
        raise BadInputError(f"unexpected land mask shape {water.shape}", _npz_path())
    packed: npt.NDArray[np.uint8] = np.packbits(water, axis=1)
    return packed


def _load_packed(cache_dir: Path | None) -> npt.NDArray[np.uint8]:
    folder = cache_dir if cache_dir is not None else home() / "cache"
    path = folder / _CACHE_NAME
    if path.exists():
        arr: npt.NDArray[np.uint8] = np.load(path, mmap_mode="r")
        if arr.shape == (ROWS, COLS // 8):
            return arr
    log.info("building the bit-packed land mask (one-off, a few seconds)")
    packed = _build_packed()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npy")
        np.save(tmp, packed)
        tmp.replace(path)
    except OSError as exc:  # read-only home: keep it in memory only
        log.warning("cannot cache the land mask in %s: %s", folder, exc)
    return packed


def read_water_geojson(path: Path) -> list[Any]:
    """Polygons (and LineStrings with a ``buffer_m`` property) of water from GeoJSON."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadInputError(f"cannot read GeoJSON: {exc}", path) from None
    geoms: list[Any] = []
    for i, feat in enumerate(doc.get("features", [])):
        props = feat.get("properties") or {}
        try:
            geom = shape(feat["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BadInputError(f"feature {i}: bad geometry ({exc})", path) from None
        if geom.geom_type in ("LineString", "MultiLineString", "Point"):
            buf_m = float(props.get("buffer_m", props.get("radius_m", 0)) or 0)
            if buf_m <= 0:
                raise BadInputError(f"feature {i}: a line or point needs buffer_m > 0", path)
            lat = geom.centroid.y
            # buffer in degrees: metres over the north-south degree length, widened for longitude
            deg = buf_m / 111_195.0 / max(math.cos(math.radians(lat)), 0.2)
            geom = geom.buffer(deg)
        geoms.append(geom)
    return geoms


@cache
def bundled_water() -> tuple[Any, ...]:
    return tuple(read_water_geojson(package_data("geo_inland_water.geojson")))


class LandMask:
    """Vectorised land/water lookups on the GLOBE grid with water overrides."""

    def __init__(self, packed: npt.NDArray[np.uint8], water: Sequence[Any] = ()) -> None:
        self._packed = packed
        self._water = shapely.union_all(list(water)) if water else None
        if self._water is not None:
            shapely.prepare(self._water)

    @classmethod
    def load(cls, extra_water: Sequence[Path] = (), cache_dir: Path | None = None) -> LandMask:
        water: list[Any] = list(bundled_water())
        for p in extra_water:
            water.extend(read_water_geojson(p))
        return cls(_load_packed(cache_dir), water)

    @staticmethod
    def cell(lat: FloatArray, lon: FloatArray) -> tuple[IntArray, IntArray]:
        """Row and column of the grid cell holding each position."""
        row = np.clip(((90.0 - lat) * CELLS_PER_DEG).astype(np.int64), 0, ROWS - 1)
        col = np.clip(((lon + 180.0) * CELLS_PER_DEG).astype(np.int64), 0, COLS - 1)
        return row, col

    def _water_at(self, row: IntArray, col: IntArray) -> BoolArray:
        col = np.mod(col, COLS)
        row = np.clip(row, 0, ROWS - 1)
        byte = self._packed[row, col >> 3]
        bit: BoolArray = ((byte >> (7 - (col & 7)).astype(np.uint8)) & 1).astype(np.bool_)
        return bit

    def is_land(self, lat: FloatArray, lon: FloatArray) -> BoolArray:
        """Raw grid test (lakes, canals and rivers count as land)."""
        row, col = self.cell(np.asarray(lat, np.float64), np.asarray(lon, np.float64))
        return ~self._water_at(row, col)

    def is_inland(self, lat: FloatArray, lon: FloatArray, margin_m: float = 2_000.0) -> BoolArray:
        """Land cell, no water cell within ``margin_m`` and outside every water override."""
        lat = np.asarray(lat, np.float64)
        lon = np.asarray(lon, np.float64)
        out = np.zeros(lat.shape, np.bool_)
        ok = np.isfinite(lat) & np.isfinite(lon)
        idx = np.flatnonzero(ok)
        if idx.size == 0:
            return out
        row, col = self.cell(lat[idx], lon[idx])
        land = ~self._water_at(row, col)
        idx, row, col = idx[land], row[land], col[land]
        if idx.size and margin_m > 0:
            # decide once per distinct cell: positions in ports and rivers repeat cells
            key = row * COLS + col
            ucells, inverse = np.unique(key, return_inverse=True)
            urow, ucol = ucells // COLS, ucells % COLS
            ulat = 90.0 - (urow + 0.5) / CELLS_PER_DEG
            k = max(1, math.ceil(margin_m / CELL_M))
            klon = np.ceil(k / np.maximum(np.cos(np.radians(ulat)), 0.05)).astype(np.int64)
            near_water = np.zeros(ucells.size, np.bool_)
            kmax = int(klon.max())
            for dy in range(-k, k + 1):
                for dx in range(-kmax, kmax + 1):
                    sel = np.flatnonzero((abs(dx) <= klon) & ~near_water)
                    if sel.size:
                        near_water[sel] |= self._water_at(urow[sel] + dy, ucol[sel] + dx)
            idx = idx[~near_water[inverse]]
        if idx.size and self._water is not None:
            in_water = shapely.contains_xy(self._water, lon[idx], lat[idx])
            idx = idx[~in_water]
        out[idx] = True
        return out


_DEFAULT: list[LandMask] = []


def default_land_mask() -> LandMask:
    """The process-wide mask with the bundled water overrides (loaded once)."""
    if not _DEFAULT:
        _DEFAULT.append(LandMask.load())
    return _DEFAULT[0]
