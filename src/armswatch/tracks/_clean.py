"""Cleaning before segmentation: a pure Arrow function that drops and counts bad rows."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from armswatch.model.tables import TS

FUTURE_TOLERANCE_S = 300.0  # receiver clocks run a little ahead; beyond 5 min is "future"
CLEAN_COLUMNS = ("mmsi", "ts_utc", "lat", "lon", "sog_kn", "nav_status", "seq")


def _valid(arr: pa.ChunkedArray | pa.Array) -> npt.NDArray[np.bool_]:
    out: npt.NDArray[np.bool_] = pc.is_valid(arr).to_numpy(zero_copy_only=False)
    return out


def _floats(arr: pa.ChunkedArray | pa.Array) -> npt.NDArray[np.float64]:
    out: npt.NDArray[np.float64] = pc.fill_null(pc.cast(arr, pa.float64()), np.nan).to_numpy(
        zero_copy_only=False)
    return out


def clean_positions(
    table: pa.Table, now_s: float | None = None, n_groups: int = 1
) -> tuple[pa.Table, dict[str, int]]:
    """Keep positions with a valid MMSI (1..999999999), a time, a position in range and
    not (0, 0), stamped at most 5 min after ``now_s`` (when given). Returns the kept rows
    (:data:`CLEAN_COLUMNS` plus ``grp`` = MMSI modulo ``n_groups``, for grouping whole
    vessels) and the counts of each reason to drop (a row may have several)."""
    n = table.num_rows
    mmsi = pc.cast(table["mmsi"], pa.int64()).to_numpy(zero_copy_only=False) if n else np.zeros(0)
    mmsi_ok = _valid(table["mmsi"]) & (np.nan_to_num(mmsi, nan=0) >= 1) & (
        np.nan_to_num(mmsi, nan=0) <= 999_999_999)
    ts_ok = _valid(table["ts_utc"])
    lat, lon = _floats(table["lat"]), _floats(table["lon"])
    pos_ok = ~np.isnan(lat) & ~np.isnan(lon)
    with np.errstate(invalid="ignore"):
        range_bad = pos_ok & ((np.abs(lat) > 90) | (np.abs(lon) > 180) | ((lat == 0) & (lon == 0)))
    future = np.zeros(n, np.bool_)
    if now_s is not None and n:
        us = pc.cast(pc.cast(table["ts_utc"], TS), pa.int64())
        t = pc.fill_null(us, np.iinfo(np.int64).min).to_numpy(zero_copy_only=False)
        future = ts_ok & (t > int((now_s + FUTURE_TOLERANCE_S) * 1e6))
    keep = mmsi_ok & ts_ok & pos_ok & ~range_bad & ~future
    counts = {
        "positions_in": n,
        "dropped_bad_mmsi": int((~mmsi_ok).sum()),
        "dropped_no_time": int((~ts_ok).sum()),
        "dropped_no_position": int((~pos_ok).sum()),
        "dropped_bad_position": int(range_bad.sum()),
        "dropped_future": int(future.sum()),
    }
    out = table.select(list(CLEAN_COLUMNS)).filter(pa.array(keep))
    grp = (pc.cast(out["mmsi"], pa.int64()).to_numpy(zero_copy_only=False) % max(1, n_groups))
    return out.append_column("grp", pa.array(grp.astype(np.int32))), counts
