"""Per-MMSI track segmentation: a pure ``pa.Table -> pa.Table`` kernel.

Rows are the positions of one or more whole MMSIs sorted by ``(mmsi, ts_utc)``. Each
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


@numba.njit(cache=True)
def _segment_core(
    mmsi: npt.NDArray[np.int32],
    t: npt.NDArray[np.float64],
    lat: npt.NDArray[np.float64],
    lon: npt.NDArray[np.float64],
    seq: npt.NDArray[np.int64],
    vmax: float,
    noise: float,
    max_gap: float,
    kmax: int,
    buf: float,
) -> tuple[
    npt.NDArray[np.int32], npt.NDArray[np.int32], npt.NDArray[np.int32],
    npt.NDArray[np.int64], npt.NDArray[np.bool_], npt.NDArray[np.bool_], npt.NDArray[np.bool_],
    npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64],
]:
    n = mmsi.shape[0]
    track = np.empty(n, np.int32)
    segment = np.empty(n, np.int32)
    point = np.empty(n, np.int32)
    prev = np.full(n, -1, np.int64)
    dup = np.zeros(n, np.bool_)
    late = np.zeros(n, np.bool_)
    jump = np.zeros(n, np.bool_)
    jump_m = np.full(n, np.nan)
    dist = np.full(n, np.nan)
    jump_dt = np.full(n, np.nan)
    slot_last = np.empty(kmax, np.int64)  # row of the thread's last (non-dup) position
    slot_track = np.empty(kmax, np.int32)
    slot_seg = np.empty(kmax, np.int32)
    slot_count = np.empty(kmax, np.int32)
    nslots = 0
    next_track = 0
    next_seg = 0
    raw_last = -1  # last non-dup row of this MMSI, any thread
    for i in range(n):
        if i == 0 or mmsi[i] != mmsi[i - 1]:
            nslots = 0
            next_track = 0
            next_seg = 0
            raw_last = -1
        # exact repeat of an earlier fix at the same time (several receivers)
        j = raw_last
        if j >= 0 and t[j] == t[i] and lat[j] == lat[i] and lon[j] == lon[i]:
            dup[i] = True
            track[i] = track[j]
            segment[i] = segment[j]
            point[i] = point[j]
            prev[i] = prev[j]
            dist[i] = dist[j]
            continue
        best = -1
        best_score = -1.0
        best_d = np.nan
        dr = -1.0
        for k in range(nslots):
            r = slot_last[k]
            dt = t[i] - t[r]
            d = _hav_m(lat[r], lon[r], lat[i], lon[i])
            if r == raw_last:
                dr = d
            if d <= vmax * dt + noise:
                pad = math.sqrt(dt * dt + buf * buf)
                x = d / (vmax * pad)
                score = math.exp(-x * x) / pad
                if score > best_score:
                    best_score = score
                    best = k
                    best_d = d
        if raw_last >= 0:
            dtr = t[i] - t[raw_last]
            if dr < 0:
                dr = _hav_m(lat[raw_last], lon[raw_last], lat[i], lon[i])
            if dr > vmax * dtr + noise:
                jump[i] = True
                jump_m[i] = dr
                jump_dt[i] = dtr
        if best < 0:
            if nslots < kmax:
                best = nslots
                nslots += 1
            else:  # recycle the thread silent for longest
                best = 0
                for k in range(1, nslots):
                    if t[slot_last[k]] < t[slot_last[best]]:
                        best = k
            slot_track[best] = next_track
            slot_seg[best] = next_seg
            slot_count[best] = 0
            next_track += 1
            next_seg += 1
        else:
            r = slot_last[best]
            prev[i] = r
            dist[i] = best_d
            if t[i] - t[r] > max_gap:
                slot_seg[best] = next_seg
                next_seg += 1
        track[i] = slot_track[best]
        segment[i] = slot_seg[best]
        point[i] = slot_count[best]
        slot_count[best] += 1
        slot_last[best] = i
        raw_last = i
    # late: a row that arrived (seq) after a row of the same MMSI stamped later
    min_seq = np.int64(0)
    for i in range(n - 1, -1, -1):
        if i == n - 1 or mmsi[i] != mmsi[i + 1]:
            min_seq = seq[i]
        elif seq[i] > min_seq:
            late[i] = True
        else:
            min_seq = seq[i]
    return track, segment, point, prev, dup, late, jump, jump_m, jump_dt, dist


def _float_col(table: pa.Table, name: str) -> npt.NDArray[np.float64]:
    arr = pc.cast(table.column(name), pa.float64()).combine_chunks()
    out: npt.NDArray[np.float64] = arr.to_numpy(zero_copy_only=False)
    return out


def segment_table(
    table: pa.Table, params: SegmentParams = SegmentParams(), land: LandMask | None = None
) -> pa.Table:
    """Segment positions sorted by ``(mmsi, ts_utc)`` (rows must have a position and a
    time). Returns :data:`TRACK_SCHEMA` rows, one per input row, in the same order."""
    n = table.num_rows
    if n == 0:
        return TRACK_SCHEMA.empty_table()
    mmsi = pc.cast(table.column("mmsi"), pa.int32()).combine_chunks().to_numpy()
    ts_us = pc.cast(table.column("ts_utc"), TS).combine_chunks()
    t = ts_us.cast(pa.int64()).to_numpy().astype(np.float64) / 1e6
    lat, lon = _float_col(table, "lat"), _float_col(table, "lon")
    seq = (
        pc.cast(table.column("seq"), pa.int64()).combine_chunks().to_numpy()
        if "seq" in table.column_names
        else np.arange(n, dtype=np.int64)
    )
    track, segment, point, prev, dup, late, jump, jump_m, jump_dt, dist = _segment_core(
        mmsi, t, lat, lon, seq,
        params.max_speed_kn * KN_TO_MPS, params.noise_m, params.max_gap_h * 3600.0,
        params.max_threads, params.buffer_h * 3600.0,
    )
    has_prev = prev >= 0
    pidx = np.where(has_prev, prev, 0)
    prev_t = np.where(has_prev, t[pidx], np.nan)
    prev_lat = np.where(has_prev, lat[pidx], np.nan)
    prev_lon = np.where(has_prev, lon[pidx], np.nan)
    dt = t - prev_t
    with np.errstate(divide="ignore", invalid="ignore"):
        implied = np.where(has_prev & (dt > 0), dist / dt / KN_TO_MPS, np.nan)
    # timestamps have one-second resolution: a jump "in no time" took at most a second
    jump_kn = jump_m / np.maximum(jump_dt, 1.0) / KN_TO_MPS
    sog = _float_col(table, "sog_kn") if "sog_kn" in table.column_names else np.full(n, np.nan)
    speed = np.where(np.isnan(sog), implied, sog)
    on_land = (
        land.is_inland(lat, lon, params.land_margin_m) if land is not None else np.zeros(n, bool)
    )

    def col(name: str, default: pa.DataType) -> pa.Array:
        if name in table.column_names:
            return pc.cast(table.column(name), default).combine_chunks()
        return pa.nulls(n, default)

    nan_mask = ~has_prev
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
            "jump_m": pa.array(jump_m, mask=np.isnan(jump_m)),
            "jump_kn": pa.array(jump_kn.astype(np.float32), mask=np.isnan(jump_kn)),
            "prev_t_s": pa.array(prev_t, mask=nan_mask),
            "prev_lat": pa.array(prev_lat, mask=nan_mask),
            "prev_lon": pa.array(prev_lon, mask=nan_mask),
            "dist_m": pa.array(dist, mask=nan_mask),
            "implied_kn": pa.array(implied.astype(np.float32), mask=np.isnan(implied)),
            "speed_kn": pa.array(speed.astype(np.float32), mask=np.isnan(speed)),
        },
        schema=TRACK_SCHEMA,
    )
