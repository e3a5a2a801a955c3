"""``Backend.map_sorted`` gives the same result as ``map_groups`` (DuckDB's O(n) path)."""

from __future__ import annotations

from functools import partial

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from armswatch.engine import DuckDBBackend
from armswatch.engine._grouping import IDENTITY, call_bounds, group_order, group_starts
from armswatch.model.tables import TS
from armswatch.tracks import TRACK_SCHEMA, SegmentParams, segment_table

# rows: (mmsi index, time step, lat step, lon step); few values -> many ties and repeats
ROW = st.tuples(st.integers(0, 3), st.integers(0, 12), st.integers(-3, 3), st.integers(-3, 3))


def _positions(rows: list[tuple[int, int, int, int]], order: str) -> pa.Table:
    mmsi = np.array([273_000_001 + r[0] for r in rows], np.int32)
    t_s = 1.7e9 + np.array([r[1] for r in rows], np.float64) * 600.0  # ties: same step
    lat = 60.0 + np.array([r[2] for r in rows], np.float64) * 0.01  # repeats and jumps
    lon = 20.0 + np.array([r[3] for r in rows], np.float64) * 0.3
    idx = np.arange(len(rows))
    if order == "feed":  # a receiver feed: time order, ties in arrival order
        idx = np.argsort(t_s, kind="stable")
    elif order == "vessels":  # decoded Parquet: grouped by vessel
        idx = np.lexsort((t_s, mmsi))
    return pa.table({
        "mmsi": pa.array(mmsi[idx]),
        "ts_utc": pa.array((t_s[idx] * 1e6).astype(np.int64)).cast(TS),
        "lat": pa.array(lat[idx]),
        "lon": pa.array(lon[idx]),
        "sog_kn": pa.array(np.full(len(rows), 8.0, np.float32)),
        "nav_status": pa.array(np.zeros(len(rows), np.int8)),
        "seq": pa.array(np.arange(len(rows), dtype=np.int64)),  # arrival order
    })


def _sorted_rows(t: pa.Table) -> list[dict[str, object]]:
    rows = t.to_pylist()
    return sorted(rows, key=lambda r: tuple(str(r[c]) for c in t.column_names))


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(ROW, max_size=60), order=st.sampled_from(["random", "feed", "vessels"]),
       contiguous=st.booleans(), per_call=st.sampled_from([None, 1, 7]))
def test_map_sorted_segments_like_map_groups(
    rows: list[tuple[int, int, int, int]], order: str, contiguous: bool, per_call: int | None
) -> None:
    kernel = partial(segment_table, params=SegmentParams(max_threads=2))
    with DuckDBBackend() as be:
        be.register("pos", _positions(rows, order))
        be.map_groups("pos", ["mmsi"], kernel, TRACK_SCHEMA, "by_group",
                      order_by=["ts_utc", "seq"])
        be.map_sorted("pos", ["mmsi"], kernel, TRACK_SCHEMA, "by_sorted",
                      order_by=["ts_utc", "seq"], rows_per_call=per_call, contiguous=contiguous)
        a, b = be.to_arrow("by_group"), be.to_arrow("by_sorted")
    assert b.schema.names == TRACK_SCHEMA.names
    assert b.schema.types == TRACK_SCHEMA.types
    assert a.num_rows == b.num_rows == len(rows)
    assert _sorted_rows(a) == _sorted_rows(b)


@settings(max_examples=60, deadline=None)
@given(keys=st.lists(st.integers(0, 5), max_size=50), times=st.data(),
       contiguous=st.booleans())
def test_group_order_puts_each_group_in_order(keys: list[int], times: st.DataObject,
                                              contiguous: bool) -> None:
    t = times.draw(st.lists(st.integers(0, 4), min_size=len(keys), max_size=len(keys)))
    table = pa.table({"k": pa.array(keys, pa.int64()), "t": pa.array(t, pa.int64()),
                      "i": pa.array(range(len(keys)), pa.int64())})
    perm = group_order(table, ["k"], ["t"], contiguous)
    assert perm is not None
    out = table if perm is IDENTITY else table.take(pa.array(perm))
    assert sorted(out["i"].to_pylist()) == list(range(len(keys)))  # a permutation
    got: dict[int, list[tuple[int, int]]] = {}
    for k, tt, i in zip(out["k"].to_pylist(), out["t"].to_pylist(), out["i"].to_pylist(),
                        strict=True):
        got.setdefault(k, []).append((tt, i))
    for seq in got.values():
        assert seq == sorted(seq)  # in time order, ties in input order
    if contiguous:
        ks = out["k"].to_pylist()
        runs = [k for j, k in enumerate(ks) if j == 0 or ks[j - 1] != k]
        assert len(runs) == len(set(keys))
        starts = group_starts(out, ["k"])
        for per_call in (None, 1, 3):
            bounds = call_bounds(starts, per_call)
            assert [a for a, _ in bounds] == [s for s in starts[:-1] if s in {a for a, _ in bounds}]
            assert sum(b - a for a, b in bounds) == len(keys)


def test_group_order_leaves_unsupported_layouts_to_the_engine() -> None:
    t = pa.table({"k": [1, 1], "j": [2, 2], "x": [0.5, 0.1], "y": pa.array([1, None])})
    assert group_order(t, ["k", "j"], []) is None  # several keys
    assert group_order(t, ["k"], ["x"]) is None  # float order column
    assert group_order(t, ["k"], ["y"]) is None  # nulls


@pytest.mark.parametrize("contiguous", [True, False])
def test_feed_in_time_order_is_not_reordered(contiguous: bool) -> None:
    t = pa.table({"k": [5, 7, 5, 7], "t": [1, 1, 2, 3]})
    perm = group_order(t, ["k"], ["t"], contiguous)
    assert (perm is IDENTITY) is (not contiguous)
    if contiguous:
        assert perm is not None
        assert perm.tolist() == [0, 2, 1, 3]


def test_map_sorted_reads_a_replaced_table_not_the_old_arrow() -> None:
    with DuckDBBackend() as be:
        be.register("t", pa.table({"k": [1, 2], "x": [1, 2]}))
        be.run([_step("SELECT k, x * 10 AS x FROM t", "t2")])
        be.register("t2", pa.table({"k": [9], "x": [9]}))
        be.run([_step("SELECT k, x FROM t", "t2")])  # replaces the registered Arrow table
        schema = pa.schema([("k", pa.int64()), ("x", pa.int64())])
        be.map_sorted("t2", ["k"], lambda a: a, schema, "out", order_by=["x"])
        assert sorted(be.to_arrow("out")["x"].to_pylist()) == [1, 2]


def _step(sql: str, name: str) -> object:
    from armswatch.engine import SqlStep

    return SqlStep(sql, name)
