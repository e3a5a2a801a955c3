"""Sea routes between two berths: ``searoute`` lanes, repaired where they clip land.

searoute's MARNET network is coarse near coasts: about one route in ten of its edges in
East Asia cuts across a cape or an island at the 1 km resolution of the land mask. A
simulated innocent ship must never report a position on land (a detector would rightly
call it spoofing), so every stretch of a route that leaves safe water (≥ one 1 km cell from
land) is re-routed with A* over the land-mask grid, preferring safe water, then
straightened by line of sight.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from armswatch.simulate._geo import FloatArray, densify, haversine_m
from armswatch.simulate._landmask import LandMask, Tile, load_mask

STEP_M = 500.0  # route points are checked (and stored) at this spacing at most
_UNSAFE_COST = 4.0  # A* cost factor for water cells next to land


@dataclass(frozen=True)
class Route:
    """A polyline at sea with cumulative distance (metres) along it."""

    lat: FloatArray
    lon: FloatArray
    dist_m: FloatArray

    @property
    def length_m(self) -> float:
        return float(self.dist_m[-1])

    @staticmethod
    def from_points(lat: FloatArray, lon: FloatArray) -> Route:
        d = haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:]) if lat.size > 1 else np.zeros(0)
        return Route(lat, lon, np.concatenate([[0.0], np.cumsum(d)]))

    def reversed(self) -> Route:
        return Route.from_points(self.lat[::-1].copy(), self.lon[::-1].copy())


def _unwrap(lon: FloatArray) -> FloatArray:
    return np.asarray(np.degrees(np.unwrap(np.radians(lon))), dtype=np.float64)


def _searoute(a: tuple[float, float], b: tuple[float, float]) -> tuple[FloatArray, FloatArray]:
    import searoute as sr  # imported lazily: loads its network on first use

    feat = sr.searoute([a[1], a[0]], [b[1], b[0]], append_orig_dest=True)
    coords = np.asarray(feat.geometry.coordinates, dtype=np.float64)
    if coords.ndim != 2 or coords.shape[0] < 2:
        coords = np.array([[a[1], a[0]], [b[1], b[0]]])
    return coords[:, 1].copy(), _unwrap(coords[:, 0])


@lru_cache(maxsize=8)
def _components(tile: Tile) -> npt.NDArray[np.int32]:
    """Connected water bodies of a tile (8-connected, no diagonal squeeze): two cells in
    different bodies have no sea route, so A* need not search."""
    import numba

    @numba.njit(cache=True)
    def label(land):  # type: ignore[no-untyped-def]
        rows, cols = land.shape
        lab = np.zeros((rows, cols), np.int32)
        stack = np.empty(rows * cols, np.int64)
        cur = 0
        for i0 in range(rows):
            for j0 in range(cols):
                if land[i0, j0] or lab[i0, j0]:
                    continue
                cur += 1
                lab[i0, j0] = cur
                top = 0
                stack[0] = i0 * cols + j0
                top = 1
                while top > 0:
                    top -= 1
                    c = stack[top]
                    ci = c // cols
                    cj = c % cols
                    for di in (-1, 0, 1):
                        for dj in (-1, 0, 1):
                            ni = ci + di
                            nj = cj + dj
                            if ni < 0 or nj < 0 or ni >= rows or nj >= cols:
                                continue
                            if land[ni, nj] or lab[ni, nj]:
                                continue
                            if di != 0 and dj != 0 and (land[ci + di, cj] or land[ci, cj + dj]):
                                continue
                            lab[ni, nj] = cur
                            stack[top] = ni * cols + nj
                            top += 1
        return lab

    return label(np.ascontiguousarray(tile.land))  # type: ignore[no-any-return]


def connected(tile: Tile, a: tuple[int, int], b: tuple[int, int]) -> bool:
    lab = _components(tile)
    return bool(lab[a] != 0 and lab[a] == lab[b])


def _astar(tile: Tile, start: tuple[int, int], goal: tuple[int, int], margin: int) -> list[
    tuple[int, int]
] | None:
    i0 = max(0, min(start[0], goal[0]) - margin)
    i1 = min(tile.land.shape[0], max(start[0], goal[0]) + margin + 1)
    j0 = max(0, min(start[1], goal[1]) - margin)
    j1 = min(tile.land.shape[1], max(start[1], goal[1]) + margin + 1)
    land = np.ascontiguousarray(tile.land[i0:i1, j0:j1])
    cost = np.where(tile.safe[i0:i1, j0:j1], 1.0, _UNSAFE_COST)
    path = _astar_kernel()(land, cost, start[0] - i0, start[1] - j0, goal[0] - i0, goal[1] - j0)
    if path.shape[0] == 0:
        return None
    return [(int(p[0]) + i0, int(p[1]) + j0) for p in path]


@lru_cache(maxsize=1)
def _astar_kernel() -> Callable[..., npt.NDArray[np.int64]]:
    """A* over an 8-connected grid, compiled with numba on first use (cached on disk)."""
    import numba

    @numba.njit(cache=True)
    def astar(land, cost, si, sj, gi, gj):  # type: ignore[no-untyped-def]
        rows, cols = land.shape
        n = rows * cols
        empty = np.zeros((0, 2), np.int64)
        if land[si, sj] or land[gi, gj]:
            return empty
        best = np.full(n, np.inf)
        came = np.full(n, -1, np.int64)
        closed = np.zeros(n, np.bool_)
        cap = 4096
        hk = np.empty(cap)
        hv = np.empty(cap, np.int64)
        size = 0
        s = si * cols + sj
        g = gi * cols + gj
        best[s] = 0.0
        hk[0] = 0.0
        hv[0] = s
        size = 1
        di = np.array([1, -1, 0, 0, 1, 1, -1, -1])
        dj = np.array([0, 0, 1, -1, 1, -1, 1, -1])
        dw = np.array([1.0, 1.0, 1.0, 1.0, 1.4142135623730951, 1.4142135623730951,
                       1.4142135623730951, 1.4142135623730951])
        while size > 0:
            cur = hv[0]
            size -= 1
            hk[0] = hk[size]
            hv[0] = hv[size]
            k = 0
            while True:  # sift down
                left = 2 * k + 1
                if left >= size:
                    break
                m = left
                if left + 1 < size and hk[left + 1] < hk[left]:
                    m = left + 1
                if hk[m] < hk[k]:
                    hk[k], hk[m] = hk[m], hk[k]
                    hv[k], hv[m] = hv[m], hv[k]
                    k = m
                else:
                    break
            if closed[cur]:
                continue
            closed[cur] = True
            if cur == g:
                length = 1
                c = cur
                while came[c] >= 0:
                    c = came[c]
                    length += 1
                out = np.empty((length, 2), np.int64)
                c = cur
                for q in range(length - 1, -1, -1):
                    out[q, 0] = c // cols
                    out[q, 1] = c % cols
                    c = came[c]
                return out
            ci = cur // cols
            cj = cur % cols
            for d in range(8):
                ni = ci + di[d]
                nj = cj + dj[d]
                if ni < 0 or nj < 0 or ni >= rows or nj >= cols or land[ni, nj]:
                    continue
                if di[d] != 0 and dj[d] != 0 and (land[ci + di[d], cj] or land[ci, cj + dj[d]]):
                    continue
                nxt = ni * cols + nj
                nc = best[cur] + dw[d] * cost[ni, nj]
                if nc < best[nxt]:
                    best[nxt] = nc
                    came[nxt] = cur
                    h = 2.0 * np.sqrt(float((ni - gi) ** 2 + (nj - gj) ** 2))
                    if size == cap:
                        cap *= 2
                        hk2 = np.empty(cap)
                        hv2 = np.empty(cap, np.int64)
                        hk2[:size] = hk[:size]
                        hv2[:size] = hv[:size]
                        hk = hk2
                        hv = hv2
                    k = size
                    hk[k] = nc + h
                    hv[k] = nxt
                    size += 1
                    while k > 0:  # sift up
                        p = (k - 1) // 2
                        if hk[p] > hk[k]:
                            hk[k], hk[p] = hk[p], hk[k]
                            hv[k], hv[p] = hv[p], hv[k]
                            k = p
                        else:
                            break
        return empty

    return astar


def _line_is_safe(mask: LandMask, lat1: float, lon1: float, lat2: float, lon2: float) -> bool:
    la, lo = densify(np.array([lat1, lat2]), np.array([lon1, lon2]), 300.0)
    ok = mask.is_safe_water(la, lo)
    ok[0] = ok[-1] = True  # the ends are the path's own points (water)
    return bool(ok.all()) and not bool(mask.is_land(la, lo).any())


def _straighten(mask: LandMask, lat: FloatArray, lon: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Greedy line-of-sight simplification of a grid path (keeps the ends)."""
    keep = [0]
    i = 0
    n = lat.size
    while i < n - 1:
        j = n - 1
        while j > i + 1 and not _line_is_safe(mask, lat[i], lon[i], lat[j], lon[j]):
            j = (i + j) // 2 if j - i > 8 else j - 1
        keep.append(j)
        i = j
    idx = np.array(keep)
    return lat[idx], lon[idx]


def _repair(mask: LandMask, lat: FloatArray, lon: FloatArray
            ) -> tuple[FloatArray, FloatArray] | None:
    """Re-route every stretch that leaves safe water (the two ends may lie in narrow water,
    never on land)."""
    safe = mask.is_safe_water(lat, lon)
    if safe.all():
        return lat, lon
    if mask.is_land(lat[[0, -1]], lon[[0, -1]]).any():
        return None
    safe[0] = safe[-1] = True  # the berths themselves: water, perhaps narrow
    bad = np.flatnonzero(~safe)
    # runs of unsafe points, merged when close together (one detour for a ragged coast)
    runs: list[list[int]] = []
    for k in bad:
        if runs and k - runs[-1][1] <= 40:
            runs[-1][1] = int(k)
        else:
            runs.append([int(k), int(k)])
    out_lat: list[FloatArray] = []
    out_lon: list[FloatArray] = []
    pos = 0
    for a, b in runs:
        a0, b0 = a - 1, b + 1
        tile = mask.tile_for(float(lat[a0]), float(lon[a0]))
        if tile is None or mask.tile_for(float(lat[b0]), float(lon[b0])) is not tile:
            return None
        ia, ja = (int(v[0]) for v in tile.index(lat[a0:a0 + 1], lon[a0:a0 + 1]))
        ib, jb = (int(v[0]) for v in tile.index(lat[b0:b0 + 1], lon[b0:b0 + 1]))
        if not connected(tile, (ia, ja), (ib, jb)):
            return None
        path = None
        for margin in (20, 80, 240, 720, 100_000):
            path = _astar(tile, (ia, ja), (ib, jb), margin)
            if path is not None:
                break
        if path is None:
            return None
        plat = np.array([tile.cell_center(i, j)[0] for i, j in path])
        plon = np.array([tile.cell_center(i, j)[1] for i, j in path])
        plat = np.concatenate([[lat[a0]], plat, [lat[b0]]])
        plon = np.concatenate([[lon[a0]], plon, [lon[b0]]])
        slat, slon = _straighten(mask, plat, plon)
        out_lat += [lat[pos:a0], slat]
        out_lon += [lon[pos:a0], slon]
        pos = b0 + 1
    out_lat.append(lat[pos:])
    out_lon.append(lon[pos:])
    return np.concatenate(out_lat), np.concatenate(out_lon)


@lru_cache(maxsize=4096)
def sea_route(a: tuple[float, float], b: tuple[float, float]) -> Route | None:
    """Route from berth ``a`` to berth ``b`` (``(lat, lon)``) at sea, or None if the
    lanes cannot be repaired (e.g. a berth up a river narrower than the mask's cells)."""
    mask = load_mask()
    lat, lon = _searoute(a, b)
    lat, lon = densify(lat, lon, STEP_M)
    fixed = _repair(mask, lat, lon)
    if fixed is None:
        return None
    lat, lon = densify(fixed[0], fixed[1], STEP_M)
    if mask.is_land(lat, lon).any():
        return None
    return Route.from_points(lat, lon)


def straight_route(a: tuple[float, float], b: tuple[float, float]) -> Route | None:
    """A straight line if it stays in safe water, else None (short moves, e.g. in port)."""
    lat, lon = densify(np.array([a[0], b[0]]), np.array([a[1], b[1]]), 200.0)
    if load_mask().is_land(lat, lon).any():
        return None
    return Route.from_points(lat, lon)

