from __future__ import annotations

import itertools
from collections import Counter

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from armswatch.model.tables import TS
from armswatch.tracks import TRACK_SCHEMA, SegmentParams, segment_table


def _table(mmsi: list[int], t_s: list[float], lat: list[float], lon: list[float],
           seq: list[int] | None = None) -> pa.Table:
    order = np.lexsort((np.array(t_s), np.array(mmsi)))
    cols = {
        "mmsi": pa.array(np.array(mmsi)[order], pa.int32()),
        "ts_utc": pa.array((np.array(t_s)[order] * 1e6).astype(np.int64)).cast(TS),
        "lat": pa.array(np.array(lat, dtype=float)[order]),
        "lon": pa.array(np.array(lon, dtype=float)[order]),
        "sog_kn": pa.array(np.full(len(mmsi), 10.0, np.float32)),
    }
    if seq is not None:
        cols["seq"] = pa.array(np.array(seq)[order], pa.int64())
    return pa.table(cols)


def test_empty_table() -> None:
    out = segment_table(_table([], [], [], []))
    assert out.num_rows == 0
    assert out.schema == TRACK_SCHEMA


def test_two_ships_sharing_an_mmsi_are_separated() -> None:
    # ship A off Korea, ship B 60 km north; both report every 10 s, interleaved
    t, lat, lon, who = [], [], [], []
    for i in range(200):
        t += [i * 10.0, i * 10.0 + 5]
        lat += [37.0 + i * 0.0005, 37.55 + i * 0.0005]
        lon += [130.0, 130.0]
        who += ["A", "B"]
    out = segment_table(_table([440000001] * len(t), t, lat, lon))
    lats = out["lat"].to_numpy()
    tracks = out["track"].to_numpy()
    assert len(set(tracks)) == 2
    for tr in set(tracks):
        side = lats[tracks == tr] > 37.3
        assert side.all() or (~side).all()  # each thread holds one ship only
    assert out["jump"].to_numpy().sum() > 300  # every switch is an impossible jump


def test_long_gap_splits_segment_but_keeps_thread() -> None:
    t = [0.0, 600.0, 600.0 + 13 * 3600, 600.0 + 13 * 3600 + 600]
    out = segment_table(_table([1] * 4, t, [10.0, 10.01, 10.5, 10.51], [20.0] * 4))
    assert out["track"].to_pylist() == [0, 0, 0, 0]
    assert out["segment"].to_pylist() == [0, 0, 1, 1]
    assert out["prev_t_s"].to_pylist()[2] == 600.0  # the gap is visible to detectors
    assert out["point"].to_pylist() == [0, 1, 2, 3]


def test_single_spoofed_fix_becomes_its_own_thread() -> None:
    t = [0.0, 60.0, 90.0, 120.0, 180.0]
    lat = [10.0, 10.003, 12.0, 10.006, 10.009]  # the third fix is 220 km away
    out = segment_table(_table([2] * 5, t, lat, [20.0] * 5))
    assert out["track"].to_pylist() == [0, 0, 1, 0, 0]
    assert out["jump"].to_pylist() == [False, False, True, True, False]
    assert out["point"].to_pylist() == [0, 1, 0, 2, 3]


def test_duplicates_and_late_rows_are_flagged_not_dropped() -> None:
    t = [0.0, 0.0, 60.0, 30.0]
    out = segment_table(_table([3] * 4, t, [1.0, 1.0, 1.002, 1.001], [1.0] * 4, seq=[0, 1, 2, 3]))
    assert out.num_rows == 4
    assert out["dup"].to_pylist() == [False, True, False, False]
    # sorted by time: 0, 0, 30 (arrived last), 60
    assert out["late"].to_pylist() == [False, False, True, False]


def test_implied_speed_and_reported_speed() -> None:
    out = segment_table(_table([4, 4], [0.0, 3600.0], [0.0, 1.0 / 6], [0.0, 0.0]))
    # 10 arc minutes of latitude in an hour: about 10 knots
    assert abs(out["implied_kn"][1].as_py() - 10.0) < 0.1
    assert out["speed_kn"][1].as_py() == 10.0


@st.composite
def _positions(draw: st.DrawFn) -> pa.Table:
    n = draw(st.integers(min_value=0, max_value=60))
    mmsi = draw(st.lists(st.sampled_from([1, 2, 3]), min_size=n, max_size=n))
    t = draw(st.lists(st.integers(0, 200_000), min_size=n, max_size=n))
    lat = draw(st.lists(st.floats(-60, 60, allow_nan=False), min_size=n, max_size=n))
    lon = draw(st.lists(st.floats(-179, 179, allow_nan=False), min_size=n, max_size=n))
    return _table(mmsi, [float(x) for x in t], lat, lon, seq=list(range(n)))


@settings(max_examples=60, deadline=None)
@given(_positions(), st.integers(1, 4))
def test_splitting_loses_no_point(tab: pa.Table, kmax: int) -> None:
    out = segment_table(tab, SegmentParams(max_threads=kmax))
    key = ("mmsi", "ts_utc", "lat", "lon")
    before = Counter(zip(*(tab[c].to_pylist() for c in key), strict=True))
    after = Counter(zip(*(out[c].to_pylist() for c in key), strict=True))
    assert before == after
    # within each thread, non-duplicate points are numbered 0..n-1 in time order
    rows = [r for r in out.to_pylist() if not r["dup"]]
    by_thread: dict[tuple[int, int], list[dict[str, object]]] = {}
    for r in rows:
        by_thread.setdefault((r["mmsi"], r["track"]), []).append(r)
    for items in by_thread.values():
        assert [r["point"] for r in items] == list(range(len(items)))
        for a, b in itertools.pairwise(items):
            assert b["prev_t_s"] == a["t_s"]
