"""Land/sea raster for the simulator (package data ``simulate_landmask.npz``).

The raster is cut, unchanged, from the 1/120° (≈1 km) grid of the ``global-land-mask``
package 1.0.0 (MIT; derived from the public-domain NOAA GLOBE elevation model) for the
simulation regions, bit-packed. Cell ``(i, j)`` of a tile covers latitudes
``lat_max - i/120`` downwards and longitudes ``lon_min + j/120`` eastwards, the same
indexing as ``global_land_mask.globe.is_land``, so a position the simulator deems "at sea"
is at sea for a detector using that package too. Beside it, a coarse (1/20°) distance to
the nearest land, in km, serves the receiver model (terrestrial range) and scenario
placement.

``python -m armswatch.simulate._landmask OUT.npz`` rebuilds the file; it needs the
``global-land-mask`` package (a development-time tool only, not a runtime dependency).
"""

from __future__ import annotations

import importlib
import math
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from armswatch.paths import package_data

CELLS_PER_DEG = 120
COARSE = 6  # coarse cell = 6x6 fine cells = 1/20 degree
DATA_FILE = "simulate_landmask.npz"

# Regions the simulator can place vessels in: (name, lon_min, lat_min, lon_max, lat_max).
REGIONS: tuple[tuple[str, float, float, float, float], ...] = (
    ("east_asia", 117.0, 24.0, 146.0, 52.0),
)

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, eq=False)  # identity hash: tiles are singletons
class Tile:
    """One rectangular region of the raster."""

    name: str
    lon_min: float
    lat_min: float
    lon_max: float
    lat_max: float
    land: BoolArray  # (rows, cols) fine cells, True = land
    safe: BoolArray  # water with no land within one cell (8-neighbourhood)
    coast_km: npt.NDArray[np.uint8]  # coarse distance to land, km (255 = far)

    def contains(self, lat: FloatArray, lon: FloatArray) -> BoolArray:
        return (
            (lat >= self.lat_min) & (lat < self.lat_max)
            & (lon >= self.lon_min) & (lon < self.lon_max)
        )

    def index(self, lat: FloatArray, lon: FloatArray) -> tuple[npt.NDArray[np.intp], ...]:
        i = np.floor((self.lat_max - lat) * CELLS_PER_DEG).astype(np.intp)
        j = np.floor((lon - self.lon_min) * CELLS_PER_DEG).astype(np.intp)
        np.clip(i, 0, self.land.shape[0] - 1, out=i)
        np.clip(j, 0, self.land.shape[1] - 1, out=j)
        return i, j

    def cell_center(self, i: int, j: int) -> tuple[float, float]:
        return (
            self.lat_max - (i + 0.5) / CELLS_PER_DEG,
            self.lon_min + (j + 0.5) / CELLS_PER_DEG,
        )


class LandMask:
    """Vectorised land tests over the bundled tiles (outside every tile: unknown)."""

    def __init__(self, tiles: tuple[Tile, ...]) -> None:
        self.tiles = tiles

    def tile_for(self, lat: float, lon: float) -> Tile | None:
        a, o = np.array([lat]), np.array([_wrap(lon)])
        for t in self.tiles:
            if t.contains(a, o)[0]:
                return t
        return None

    def _lookup(self, lat: FloatArray, lon: FloatArray, attr: str, default: object) -> FloatArray:
        lat = np.asarray(lat, dtype=np.float64)
        lon = _wrap_arr(np.asarray(lon, dtype=np.float64))
        out = np.full(lat.shape, default)
        for t in self.tiles:
            inside = t.contains(lat, lon)
            if not inside.any():
                continue
            if attr == "coast_km":
                i = np.floor((t.lat_max - lat[inside]) * CELLS_PER_DEG / COARSE).astype(np.intp)
                j = np.floor((lon[inside] - t.lon_min) * CELLS_PER_DEG / COARSE).astype(np.intp)
                np.clip(i, 0, t.coast_km.shape[0] - 1, out=i)
                np.clip(j, 0, t.coast_km.shape[1] - 1, out=j)
                out[inside] = t.coast_km[i, j]
            else:
                ii, jj = t.index(lat[inside], lon[inside])
                out[inside] = getattr(t, attr)[ii, jj]
        return out

    def is_land(self, lat: FloatArray, lon: FloatArray) -> BoolArray:
        """True on land; False at sea and outside every tile."""
        return self._lookup(lat, lon, "land", False).astype(bool)

    def is_safe_water(self, lat: FloatArray, lon: FloatArray) -> BoolArray:
        """True at sea at least one cell (≈1 km) from land; False outside every tile."""
        return self._lookup(lat, lon, "safe", False).astype(bool)

    def coast_km(self, lat: FloatArray, lon: FloatArray) -> FloatArray:
        """Approximate distance to land in km (coarse, capped at 255; 255 outside tiles)."""
        return self._lookup(lat, lon, "coast_km", 255.0).astype(np.float64)

    def nearest_safe_water(
        self, lat: float, lon: float, max_km: float, *, safe: bool = True
    ) -> tuple[float, float] | None:
        """Centre of the nearest safe-water (or, with ``safe=False``, any water) cell
        within ``max_km``, or None."""
        tile = self.tile_for(lat, lon)
        if tile is None:
            return None
        i, j = (int(v[0]) for v in tile.index(np.array([lat]), np.array([_wrap(lon)])))
        r_i = int(max_km / 111.2 * CELLS_PER_DEG) + 1
        r_j = int(max_km / (111.2 * max(0.2, math.cos(math.radians(lat)))) * CELLS_PER_DEG) + 1
        i0, i1 = max(0, i - r_i), min(tile.safe.shape[0], i + r_i + 1)
        j0, j1 = max(0, j - r_j), min(tile.safe.shape[1], j + r_j + 1)
        sub = tile.safe[i0:i1, j0:j1] if safe else ~tile.land[i0:i1, j0:j1]
        ii, jj = np.nonzero(sub)
        if ii.size == 0:
            return None
        dy = (ii + i0 - i) * 111.2 / CELLS_PER_DEG
        dx = (jj + j0 - j) * 111.2 * math.cos(math.radians(lat)) / CELLS_PER_DEG
        d2 = dx * dx + dy * dy
        k = int(np.argmin(d2))
        if d2[k] > max_km * max_km:
            return None
        return tile.cell_center(int(ii[k] + i0), int(jj[k] + j0))


def _wrap(lon: float) -> float:
    return (lon + 180.0) % 360.0 - 180.0


def _wrap_arr(lon: FloatArray) -> FloatArray:
    return np.asarray((lon + 180.0) % 360.0 - 180.0, dtype=np.float64)


def _safe(land: BoolArray) -> BoolArray:
    near = land.copy()
    near[1:, :] |= land[:-1, :]
    near[:-1, :] |= land[1:, :]
    grown = near.copy()
    grown[:, 1:] |= near[:, :-1]
    grown[:, :-1] |= near[:, 1:]
    return ~grown


@cache
def load_mask(path: Path | None = None) -> LandMask:
    """The bundled land mask (cached)."""
    data = np.load(path or package_data(DATA_FILE))
    tiles = []
    for name in [str(n) for n in data["names"]]:
        box = data[f"{name}_box"]
        rows, cols = (int(v) for v in data[f"{name}_shape"])
        land = np.unpackbits(data[f"{name}_land"], count=rows * cols).reshape(rows, cols)
        land_b = land.astype(bool)
        tiles.append(
            Tile(
                name, float(box[0]), float(box[1]), float(box[2]), float(box[3]),
                land_b, _safe(land_b), data[f"{name}_coast_km"],
            )
        )
    return LandMask(tuple(tiles))


# --- build (development time) -------------------------------------------------------


def _coast_distance_km(land: BoolArray, lat_max: float) -> npt.NDArray[np.uint8]:
    """Chamfer distance (km) from each coarse cell to the nearest coarse land cell."""
    rows, cols = land.shape[0] // COARSE, land.shape[1] // COARSE
    coarse = land[: rows * COARSE, : cols * COARSE].reshape(rows, COARSE, cols, COARSE)
    any_land = coarse.any(axis=(1, 3))
    lat_c = lat_max - (np.arange(rows) + 0.5) * COARSE / CELLS_PER_DEG
    dy = 111.2 * COARSE / CELLS_PER_DEG
    dx = (dy * np.cos(np.radians(lat_c)))[:, None] * np.ones((1, cols))
    dd = np.sqrt(dx * dx + dy * dy)
    dist = np.where(any_land, 0.0, 1e9)
    for _ in range(400):
        prev = dist.copy()
        dist[1:, :] = np.minimum(dist[1:, :], dist[:-1, :] + dy)
        dist[:-1, :] = np.minimum(dist[:-1, :], dist[1:, :] + dy)
        dist[:, 1:] = np.minimum(dist[:, 1:], dist[:, :-1] + dx[:, 1:])
        dist[:, :-1] = np.minimum(dist[:, :-1], dist[:, 1:] + dx[:, :-1])
        dist[1:, 1:] = np.minimum(dist[1:, 1:], dist[:-1, :-1] + dd[1:, 1:])
        dist[1:, :-1] = np.minimum(dist[1:, :-1], dist[:-1, 1:] + dd[1:, :-1])
        dist[:-1, 1:] = np.minimum(dist[:-1, 1:], dist[1:, :-1] + dd[:-1, 1:])
        dist[:-1, :-1] = np.minimum(dist[:-1, :-1], dist[1:, 1:] + dd[:-1, :-1])
        if np.array_equal(prev, dist):
            break
    return np.minimum(dist, 255).astype(np.uint8)


def build(out: Path) -> None:
    """Cut the simulation tiles out of ``global_land_mask`` and write ``out``."""
    globe = importlib.import_module("global_land_mask.globe")
    mask = ~np.asarray(globe._mask)  # the package stores True over water
    arrays: dict[str, object] = {"names": np.array([r[0] for r in REGIONS])}
    for name, lon_min, lat_min, lon_max, lat_max in REGIONS:
        i0, i1 = round((90 - lat_max) * CELLS_PER_DEG), round((90 - lat_min) * CELLS_PER_DEG)
        j0, j1 = round((lon_min + 180) * CELLS_PER_DEG), round((lon_max + 180) * CELLS_PER_DEG)
        land = np.ascontiguousarray(mask[i0:i1, j0:j1])
        arrays[f"{name}_box"] = np.array([lon_min, lat_min, lon_max, lat_max])
        arrays[f"{name}_shape"] = np.array(land.shape)
        arrays[f"{name}_land"] = np.packbits(land)
        arrays[f"{name}_coast_km"] = _coast_distance_km(land, lat_max)
    np.savez_compressed(out, **arrays)  # type: ignore[arg-type]


if __name__ == "__main__":  # pragma: no cover - development tool
    build(Path(sys.argv[1]))
