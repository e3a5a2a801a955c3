"""Per-MMSI track segmentation: a pure ``pa.Table -> pa.Table`` kernel.

Rows are the positions of one or more whole MMSIs, the rows of each MMSI in time order:
sorted by ``(mmsi, ts_utc)``, or a whole feed in time order (MMSIs interleaved: each
MMSI's state is kept apart, so the feed needs no sort). Each
position is attached to an *identity thread* (``track``) — the ship it most plausibly
came from — and to a *segment* within that thread:

* a position continues the thread whose last position it can be reached from:
  distance <= ``max_speed_kn`` x elapsed time + ``noise_m``. Among several, the choice
  maximises ``exp(-(d / (v_max * t_pad))^2) / t_pad`` with ``t_pad = sqrt(dt^2 + buffer^2)``
  — the score of Global Fishing Watch's ``gpsdio-segment``, which favours the nearest
  thread in space and time. So two ships sharing an MMSI become two threads, not one
  zig-zag, and a single spoofed fix becomes a one-point thread beside the real one;
* a position no thread can reach starts a new thread (an impossible jump);
* a thread starts a new segment after ``max_gap_h`` without reports.

No row is dropped: exact repeats (same MMSI, time and position, as several receivers
give) are kept with ``dup = True`` and do not advance the thread. ``late`` marks rows
that arrived (input order ``seq``) after a row with a later timestamp of the same MMSI.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numba
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from armswatch.geo.land import LandMask
from armswatch.model.tables import TS
from armswatch.tracks._schema import TRACK_SCHEMA

KN_TO_MPS = 1852.0 / 3600.0


@dataclass(frozen=True, slots=True)
class SegmentParams:
    """Segmentation parameters (defaults and where they come from).

    max_speed_kn: 50 kn. Above the fastest merchant ships and high-speed ferries
        (about 40-45 kn); implied speeds beyond it are treated as impossible, the usual
        AIS cleaning threshold (e.g. GFW gpsdio-segment uses 30 kn for fishing fleets).
    noise_m: 500 m of slack on every reachability test: GPS error, one-second timestamp
        rounding and receiver clock skew must not split a track.
    max_gap_h: 12 h without a report ends a segment (the ``ais_gap`` default, so a
        segment is a stretch of track without a dark period).
    max_threads: 8 identities followed at once under one MMSI.
    buffer_h: 0.25 h time padding in the thread-choice score (gpsdio-segment).
    land_margin_m: 2 km; a position is flagged ``on_land`` only if no water lies within
        this distance (the land grid has 1 km cells).
    """

    max_speed_kn: float = 50.0
    noise_m: float = 500.0
    max_gap_h: float = 12.0
    max_threads: int = 8
    buffer_h: float = 0.25
    land_margin_m: float = 2_000.0


@numba.njit(cache=True, inline="always")
def _hav_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance; below a degree apart the equirectangular form (one cosine,
    error under 0.1 %), which is what almost every step between fixes is."""
    dlat = lat2 - lat1
    dlon = lon2 - lon1
    if dlon > 180.0:
        dlon -= 360.0
    elif dlon < -180.0:
        dlon += 360.0
    if abs(dlat) < 1.0 and abs(dlon) < 1.0:
        x = math.radians(dlon) * math.cos(math.radians(0.5 * (lat1 + lat2)))
        return 6_371_008.8 * math.sqrt(x * x + math.radians(dlat) ** 2)
    p1 = math.radians(lat1)
    p2 = math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(
        math.radians(dlon) / 2
    ) ** 2
    return 2 * 6_371_008.8 * math.asin(min(1.0, math.sqrt(a)))


@numba.njit(cache=True, inline="always")
def _derived(
    i: int, t: npt.NDArray[np.float64], lat: npt.NDArray[np.float64],
    lon: npt.NDArray[np.float64], sog: npt.NDArray[np.float64], prev: npt.NDArray[np.int64],
    dist: npt.NDArray[np.float64], jump_m: npt.NDArray[np.float64],
    jump_dt: npt.NDArray[np.float64], prev_t: npt.NDArray[np.float64],
    prev_lat: npt.NDArray[np.float64], prev_lon: npt.NDArray[np.float64],
    implied: npt.NDArray[np.float32], speed: npt.NDArray[np.float32],
    prev_speed: npt.NDArray[np.float32], jump_kn: npt.NDArray[np.float32],
) -> None:
    """Row i's thread's previous fix (time, position), implied speed, speed (reported,
    else implied), the previous fix's speed and the jump speed, once its ``prev`` and
    ``dist`` are known (the previous fix's speed already is). NaN where not defined
    (Arrow reads NaN as null)."""
    j = prev[i]
    implied[i] = np.nan
    if j >= 0:
        prev_t[i] = t[j]
        prev_lat[i] = lat[j]
        prev_lon[i] = lon[j]
        dt = t[i] - t[j]
        if dt > 0:
            implied[i] = dist[i] / dt / KN_TO_MPS
        prev_speed[i] = speed[j]
    else:
        prev_t[i] = prev_lat[i] = prev_lon[i] = prev_speed[i] = np.nan
    speed[i] = implied[i] if np.isnan(sog[i]) else sog[i]
    # timestamps have one-second resolution: a jump "in no time" took a second
    jump_kn[i] = np.nan if np.isnan(jump_m[i]) else jump_m[i] / max(jump_dt[i], 1.0) / KN_TO_MPS


@numba.njit(cache=True)
def _segment_shard(  # the MMSIs with gid % n_shards == shard; writes into the outputs
    shard: int, n_shards: int, gid: npt.NDArray[np.int32], n_groups: int,
    t: npt.NDArray[np.float64], lat: npt.NDArray[np.float64], lon: npt.NDArray[np.float64],
    seq: npt.NDArray[np.int64], vmax: float, noise: float, max_gap: float, kmax: int,
    buf: float, find_late: bool, track: npt.NDArray[np.int32], segment: npt.NDArray[np.int32],
    point: npt.NDArray[np.int32], prev: npt.NDArray[np.int64], dup: npt.NDArray[np.bool_],
    late: npt.NDArray[np.bool_], jump: npt.NDArray[np.bool_], jump_m: npt.NDArray[np.float64],
    jump_dt: npt.NDArray[np.float64], dist: npt.NDArray[np.float64],
    sog: npt.NDArray[np.float64], prev_t: npt.NDArray[np.float64],
    prev_lat: npt.NDArray[np.float64], prev_lon: npt.NDArray[np.float64],
    implied: npt.NDArray[np.float32], speed: npt.NDArray[np.float32],
    prev_speed: npt.NDArray[np.float32], jump_kn: npt.NDArray[np.float32],
) -> None:
    n = gid.shape[0]
    # per MMSI (dense id g): its threads' slots and counters
    slot_last = np.empty(n_groups * kmax, np.int64)  # row of the thread's last (non-dup) fix
    slot_track = np.empty(n_groups * kmax, np.int32)
    slot_seg = np.empty(n_groups * kmax, np.int32)
    slot_count = np.empty(n_groups * kmax, np.int32)
    nslots = np.zeros(n_groups, np.int32)
    next_track = np.zeros(n_groups, np.int32)
    next_seg = np.zeros(n_groups, np.int32)
    raw_last = np.full(n_groups, -1, np.int64)  # last non-dup row of the MMSI, any thread
    for i in range(n):
        g = gid[i]
        if g % n_shards != shard:
            continue
        base = g * kmax
        # every output of the row is written here (the arrays are not pre-filled)
        dup[i] = jump[i] = late[i] = False
        jump_m[i] = jump_dt[i] = dist[i] = np.nan
        prev[i] = -1
        # exact repeat of an earlier fix at the same time (several receivers)
        j = raw_last[g]
        if j >= 0 and t[j] == t[i] and lat[j] == lat[i] and lon[j] == lon[i]:
            dup[i] = True
            track[i] = track[j]
            segment[i] = segment[j]
            point[i] = point[j]
            prev[i] = prev[j]
            dist[i] = dist[j]
            _derived(i, t, lat, lon, sog, prev, dist, jump_m, jump_dt, prev_t, prev_lat,
                     prev_lon, implied, speed, prev_speed, jump_kn)
            continue
        best = -1
        best_score = -1.0
        best_d = np.nan
        dr = -1.0
        for k in range(nslots[g]):
            r = slot_last[base + k]
            dt = t[i] - t[r]
            d = _hav_m(lat[r], lon[r], lat[i], lon[i])
            if r == j:
                dr = d
            if d <= vmax * dt + noise and nslots[g] == 1 and buf > 0:
                best, best_d = 0, d  # the only candidate (its score is positive)
            elif d <= vmax * dt + noise:
                pad = math.sqrt(dt * dt + buf * buf)
                x = d / (vmax * pad)
                score = math.exp(-x * x) / pad
                if score > best_score:
                    best_score = score
                    best = k
                    best_d = d
        if j >= 0:
            dtr = t[i] - t[j]
            if dr < 0:
                dr = _hav_m(lat[j], lon[j], lat[i], lon[i])
            if dr > vmax * dtr + noise:
                jump[i] = True
                jump_m[i] = dr
                jump_dt[i] = dtr
        if best < 0:
            if nslots[g] < kmax:
                best = nslots[g]
                nslots[g] += 1
            else:  # recycle the thread silent for longest
                best = 0
                for k in range(1, nslots[g]):
                    if t[slot_last[base + k]] < t[slot_last[base + best]]:
                        best = k
            slot_track[base + best] = next_track[g]
            slot_seg[base + best] = next_seg[g]
            slot_count[base + best] = 0
            next_track[g] += 1
            next_seg[g] += 1
        else:
            r = slot_last[base + best]
            prev[i] = r
            dist[i] = best_d
            if t[i] - t[r] > max_gap:
                slot_seg[base + best] = next_seg[g]
                next_seg[g] += 1
        track[i] = slot_track[base + best]
        segment[i] = slot_seg[base + best]
        point[i] = slot_count[base + best]
        slot_count[base + best] += 1
        slot_last[base + best] = i
        raw_last[g] = i
        _derived(i, t, lat, lon, sog, prev, dist, jump_m, jump_dt, prev_t, prev_lat, prev_lon,
                 implied, speed, prev_speed, jump_kn)
    # late: a row that arrived (seq) after a row of the same MMSI stamped later; rows of
    # equal time may come in any order. Backwards through each MMSI's rows:
    if not find_late:
        return
    big = np.iinfo(np.int64).max
    later = np.full(n_groups, big, np.int64)  # smallest seq among rows stamped later
    same = np.full(n_groups, big, np.int64)  # smallest seq among rows stamped like this one
    last = np.full(n_groups, -1, np.int64)  # the MMSI's row seen just before (next in time)
    for i in range(n - 1, -1, -1):
        g = gid[i]
        if g % n_shards != shard:
            continue
        if last[g] >= 0 and t[i] != t[last[g]]:
            later[g] = min(later[g], same[g])
            same[g] = big
        if seq[i] > later[g]:
            late[i] = True
        same[g] = min(same[g], seq[i])
        last[g] = i


@numba.njit(cache=True, parallel=True)
def _segment_core(
    gid: npt.NDArray[np.int32],
    n_groups: int,
    t: npt.NDArray[np.float64],
    lat: npt.NDArray[np.float64],
    lon: npt.NDArray[np.float64],
    seq: npt.NDArray[np.int64],
    sog: npt.NDArray[np.float64],
    vmax: float,
    noise: float,
    max_gap: float,
    kmax: int,
    buf: float,
    n_shards: int,
    find_late: bool,
) -> tuple[Any, ...]:
    """All MMSIs (dense ids ``gid``), each independently, in ``n_shards`` parallel shards.
    Rows of one MMSI must come in time order; MMSIs may be interleaved (a feed in time
    order) or one after the other."""
    n = gid.shape[0]
    track = np.empty(n, np.int32)
    segment = np.empty(n, np.int32)
    point = np.empty(n, np.int32)
    prev = np.empty(n, np.int64)
    dup = np.empty(n, np.bool_)
    late = np.empty(n, np.bool_)
    jump = np.empty(n, np.bool_)
    jump_m = np.empty(n)
    dist = np.empty(n)
    jump_dt = np.empty(n)
    prev_t = np.empty(n)
    prev_lat = np.empty(n)
    prev_lon = np.empty(n)
    implied = np.empty(n, np.float32)
    speed = np.empty(n, np.float32)
    prev_speed = np.empty(n, np.float32)
    jump_kn = np.empty(n, np.float32)
    for s in numba.prange(n_shards):
        _segment_shard(s, n_shards, gid, n_groups, t, lat, lon, seq, vmax, noise, max_gap,
                       kmax, buf, find_late, track, segment, point, prev, dup, late, jump,
                       jump_m, jump_dt, dist, sog, prev_t, prev_lat, prev_lon, implied, speed,
                       prev_speed, jump_kn)
    return (track, segment, point, dup, late, jump, jump_m, dist, prev_t, prev_lat, prev_lon,
            implied, speed, prev_speed, jump_kn)


def _float_col(table: pa.Table, name: str) -> npt.NDArray[np.float64]:
    col = pc.cast(table.column(name), pa.float64())
    arr = col.chunk(0) if col.num_chunks == 1 else col.combine_chunks()
    out: npt.NDArray[np.float64] = arr.to_numpy(zero_copy_only=False)
    return out


@numba.njit(cache=True)
def _in_time_order(gid: npt.NDArray[np.int32], n_groups: int, t: npt.NDArray[np.float64]
                   ) -> tuple[bool, int]:
    """(are the rows of every MMSI (dense id) in time order?, number of runs of one MMSI)"""
    last = np.full(n_groups, -np.inf)
    runs = 0
    for i in range(gid.shape[0]):
        g = gid[i]
        if i == 0 or gid[i - 1] != g:
            runs += 1
        if t[i] < last[g]:
            return False, runs
        last[g] = t[i]
    return True, runs


def _group_ids(table: pa.Table) -> tuple[npt.NDArray[np.int32], int]:
    """Dense ids (order of first appearance) of the MMSIs."""
    enc = pc.dictionary_encode(table.column("mmsi")).combine_chunks()
    ids: npt.NDArray[np.int32] = enc.indices.to_numpy(zero_copy_only=False).astype(
        np.int32, copy=False)
    return ids, len(enc.dictionary)


def segment_table(
    table: pa.Table, params: SegmentParams = SegmentParams(), land: LandMask | None = None
) -> pa.Table:
    """Segment positions whose rows of each MMSI come in time order (sorted by ``(mmsi,
    ts_utc)``, or a whole feed in time order; rows must have a position and a time; rows
    of one MMSI stamped alike are taken in their order). Returns :data:`TRACK_SCHEMA` rows,
    one per input row, in the same order (a table not in such an order is first sorted by
    time, ties kept in input order)."""
    n = table.num_rows
    if n == 0:
        return TRACK_SCHEMA.empty_table()
    ts_us = pc.cast(table.column("ts_utc"), TS).combine_chunks()
    t = ts_us.cast(pa.int64()).to_numpy().astype(np.float64) / 1e6
    gid, n_groups = _group_ids(table)
    ordered, runs = _in_time_order(gid, n_groups, t)
    if not ordered:
        order = np.argsort(t, kind="stable")
        return segment_table(table.take(pa.array(order)), params, land)
    mmsi = pc.cast(table.column("mmsi"), pa.int32()).combine_chunks().to_numpy()
    lat, lon = _float_col(table, "lat"), _float_col(table, "lon")
    seq = (
        pc.cast(table.column("seq"), pa.int64()).combine_chunks().to_numpy()
        if "seq" in table.column_names
        else np.arange(n, dtype=np.int64)
    )
    # MMSIs one after the other: shards in parallel; interleaved (a feed): one shard, as
    # threads writing alternate rows slow each other down (shared cache lines)
    n_shards = min(n_groups, numba.get_num_threads()) if runs == n_groups else 1
    # rows in arrival order and each MMSI's in time order: none arrived late
    arrival_order = bool(np.all(seq[1:] > seq[:-1]))
    sog = _float_col(table, "sog_kn") if "sog_kn" in table.column_names else np.full(n, np.nan)
    (track, segment, point, dup, late, jump, jump_m, dist, prev_t, prev_lat, prev_lon, implied,
     speed, prev_speed, jump_kn) = _segment_core(
        gid, n_groups, t, lat, lon, seq, sog,
        params.max_speed_kn * KN_TO_MPS, params.noise_m, params.max_gap_h * 3600.0,
        params.max_threads, params.buffer_h * 3600.0, n_shards, not arrival_order,
    )
    on_land = (
        land.is_inland(lat, lon, params.land_margin_m) if land is not None else np.zeros(n, bool)
    )

    def col(name: str, default: pa.DataType) -> pa.Array:
        if name in table.column_names:
            return pc.cast(table.column(name), default).combine_chunks()
        return pa.nulls(n, default)

    def nullable(x: npt.NDArray[np.floating[Any]]) -> pa.Array:
        return pa.array(x, mask=np.isnan(x))  # NaN → null (6x faster than from_pandas)

    return pa.table(
        {
            "mmsi": pa.array(mmsi, pa.int32()),
            "ts_utc": ts_us,
            "t_s": pa.array(t),
            "lat": pa.array(lat),
            "lon": pa.array(lon),
            "sog_kn": col("sog_kn", pa.float32()),
            "nav_status": col("nav_status", pa.int8()),
            "track": pa.array(track, pa.int32()),
            "segment": pa.array(segment, pa.int32()),
            "point": pa.array(point, pa.int32()),
            "dup": pa.array(dup),
            "late": pa.array(late),
            "jump": pa.array(jump),
            "on_land": pa.array(on_land),
            "jump_m": nullable(jump_m),
            "jump_kn": nullable(jump_kn),
            "prev_t_s": nullable(prev_t),
            "prev_lat": nullable(prev_lat),
            "prev_lon": nullable(prev_lon),
            "dist_m": nullable(dist),
            "implied_kn": nullable(implied),
            "speed_kn": nullable(speed),
            "prev_speed_kn": nullable(prev_speed),
        },
        schema=TRACK_SCHEMA,
    )
