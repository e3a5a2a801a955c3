"""Every Backend method behaves the same on DuckDB and Spark (same inputs → same outputs)."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from armswatch.engine import Backend, DuckDBBackend, EngineError, SqlStep, table_differences
from armswatch.model.tables import TS
from tests.contract import _data

KERNEL_SCHEMA = pa.schema(
    [("mmsi", pa.int32()), ("n", pa.int64()), ("first_utc", TS), ("last_utc", TS),
     ("sorted_ok", pa.bool_()), ("track_m", pa.float64())]
)


def _track_kernel(t: pa.Table) -> pa.Table:
    """Per-vessel sequential logic: relies on rows arriving sorted by ts_utc."""
    ts = t.column("ts_utc").to_pylist()
    lat = t.column("lat").to_pylist()
    steps = [(a, b) for a, b in itertools.pairwise(lat) if a is not None and b is not None]
    track = sum(abs(b - a) * 111_195.0 for a, b in steps)
    return pa.table(
        {"mmsi": t.column("mmsi").slice(0, 1), "n": [t.num_rows], "first_utc": [ts[0]],
         "last_utc": [ts[-1]], "sorted_ok": [ts == sorted(ts)], "track_m": [track]},
    )


def _reversed_kernel(t: pa.Table) -> pa.Table:
    """Returns columns in another order and narrower types; the backend conforms them."""
    return pa.table({"n": pa.array([t.num_rows], pa.int32()), "mmsi": t.column("mmsi").slice(0, 1)})


def test_register_run_to_arrow(backend: Backend) -> None:
    backend.register("pos", _data.positions())
    backend.run([
        SqlStep("SELECT mmsi, count(*) AS n FROM pos GROUP BY mmsi", "counts"),
        SqlStep("SELECT mmsi, n * 2 AS n2 FROM counts WHERE n > 40", "big"),
    ])
    out = backend.to_arrow("big")
    assert sorted(out.column("n2").to_pylist()) == [82, 82]
    by_sql = backend.to_arrow("SELECT sum(n) AS total FROM counts")
    assert by_sql.column("total")[0].as_py() == _data.positions().num_rows


def test_run_replaces_a_table(backend: Backend) -> None:
    backend.register("t", pa.table({"x": [1, 2, 3]}))
    backend.run([SqlStep("SELECT x FROM t WHERE x > 1", "u")])
    backend.run([SqlStep("SELECT x * 10 AS x FROM u", "u")])
    assert sorted(backend.to_arrow("u").column("x").to_pylist()) == [20, 30]


def test_map_groups_sorts_within_groups(backend: Backend) -> None:
    pos = _data.positions()
    # shuffle the rows so that only the backend's sort can restore the order
    backend.register("pos", pos.take(list(reversed(range(pos.num_rows)))))
    backend.map_groups("pos", ["mmsi"], _track_kernel, KERNEL_SCHEMA, "tracks", order_by=["ts_utc"])
    out = backend.to_arrow("tracks")
    assert out.schema == KERNEL_SCHEMA
    assert out.num_rows == 5
    assert all(out.column("sorted_ok").to_pylist())
    assert sum(out.column("n").to_pylist()) == pos.num_rows


def test_map_groups_conforms_output_and_handles_empty_input(backend: Backend) -> None:
    schema = pa.schema([("mmsi", pa.int32()), ("n", pa.int64())])
    backend.register("pos", _data.positions())
    backend.run([SqlStep("SELECT * FROM pos WHERE mmsi = 273456780", "one")])
    backend.map_groups("one", ["mmsi"], _reversed_kernel, schema, "out")
    assert backend.to_arrow("out").to_pylist() == [{"mmsi": 273456780, "n": 41}]
    backend.run([SqlStep("SELECT * FROM pos WHERE mmsi < 0", "none")])
    backend.map_groups("none", ["mmsi"], _reversed_kernel, schema, "empty")
    empty = backend.to_arrow("empty")
    assert empty.num_rows == 0
    assert empty.column_names == ["mmsi", "n"]


def test_map_groups_two_keys(backend: Backend) -> None:
    schema = pa.schema([("mmsi", pa.int32()), ("source", pa.string()), ("n", pa.int64())])

    def count(t: pa.Table) -> pa.Table:
        return pa.table({"mmsi": t.column("mmsi").slice(0, 1),
                         "source": t.column("source").slice(0, 1), "n": [t.num_rows]})

    backend.register("pos", _data.positions())
    backend.map_groups("pos", ["mmsi", "source"], count, schema, "per_source")
    expected = backend.to_arrow(
        "SELECT mmsi, source, count(*) AS n FROM pos GROUP BY mmsi, source"
    )
    assert table_differences(backend.to_arrow("per_source"), expected) == []


def _groups_kernel(t: pa.Table) -> pa.Table:
    """Several whole groups per call: one row per group seen, with its row count and
    whether its rows came together and in time order."""
    mmsi, ts = t.column("mmsi").to_pylist(), t.column("ts_utc").to_pylist()
    runs = [m for i, m in enumerate(mmsi) if i == 0 or mmsi[i - 1] != m]
    out = []
    for m in sorted(set(mmsi)):
        own = [x for x, k in zip(ts, mmsi, strict=True) if k == m]
        out.append({"mmsi": m, "n": len(own), "sorted_ok": own == sorted(own),
                    "together": runs.count(m) == 1})
    return pa.Table.from_pylist(out, schema=GROUPS_SCHEMA)


GROUPS_SCHEMA = pa.schema([("mmsi", pa.int32()), ("n", pa.int64()), ("sorted_ok", pa.bool_()),
                           ("together", pa.bool_())])


@pytest.mark.parametrize("per_call", [None, 50])
def test_map_sorted_gives_whole_sorted_groups(backend: Backend, per_call: int | None) -> None:
    pos = _data.positions()
    backend.register("pos", pos.take(list(reversed(range(pos.num_rows)))))
    backend.map_sorted("pos", ["mmsi"], _groups_kernel, GROUPS_SCHEMA, "groups",
                       order_by=["ts_utc"], rows_per_call=per_call)
    out = backend.to_arrow("SELECT * FROM groups ORDER BY mmsi").to_pylist()
    assert [r["mmsi"] for r in out] == sorted(set(pos.column("mmsi").to_pylist()))  # once each
    assert sum(r["n"] for r in out) == pos.num_rows
    assert all(r["sorted_ok"] and r["together"] for r in out)


def test_map_sorted_segments_like_map_groups(backend: Backend) -> None:
    from armswatch.tracks import TRACK_SCHEMA, clean_positions, segment_table

    pos = _data.positions()
    pos = pos.append_column("seq", pa.array(range(pos.num_rows), pa.int64()))
    clean, _ = clean_positions(pos)
    backend.register("pos", clean.take(list(reversed(range(clean.num_rows)))))
    backend.map_groups("pos", ["mmsi"], segment_table, TRACK_SCHEMA, "a",
                       order_by=["ts_utc", "seq"])
    backend.map_sorted("pos", ["mmsi"], segment_table, TRACK_SCHEMA, "b",
                       order_by=["ts_utc", "seq"], contiguous=False)
    assert backend.to_arrow("b").num_rows == clean.num_rows
    assert table_differences(backend.to_arrow("a"), backend.to_arrow("b")) == []


def test_parquet_single_file_readable_by_every_reader(backend: Backend, tmp_path: Path) -> None:
    backend.register("pos", _data.positions())
    target = tmp_path / "pos.parquet"
    backend.write_parquet("pos", target)
    assert target.is_file()
    back = pq.read_table(target)
    assert back.schema.field("ts_utc").type == TS
    assert table_differences(back, _data.positions()) == []
    duck = DuckDBBackend()
    duck.register("back", target)
    assert duck.to_arrow("SELECT count(*) AS n FROM back").column("n")[0].as_py() == back.num_rows


def test_partitioned_write_and_read_back(backend: Backend, tmp_path: Path) -> None:
    backend.register("pos", _data.positions())
    backend.run([SqlStep(
        "SELECT strftime(ts_utc, '%Y-%m-%d') AS day, * FROM pos", "by_day"
    )])
    out = tmp_path / "positions"
    backend.write_parquet("by_day", out, partition_by=["day"])
    days = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert days == ["day=2024-03-09", "day=2024-03-10"]
    files = sorted(out.rglob("*.parquet"))
    per_day: dict[str, int] = {}
    for t in _data.positions().column("ts_utc").to_pylist():
        per_day[t.date().isoformat()] = per_day.get(t.date().isoformat(), 0) + 1
    for reader in (backend, DuckDBBackend()):
        reader.register("folder", out)
        reader.register("files", files)
        for name in ("folder", "files"):
            got = reader.to_arrow(f"SELECT CAST(day AS VARCHAR) AS day, count(*) AS n FROM {name} "
                                  "GROUP BY 1")
            assert {r["day"]: r["n"] for r in got.to_pylist()} == per_day


def test_partitioned_write_replaces_only_its_partitions(backend: Backend, tmp_path: Path) -> None:
    out = tmp_path / "events"
    backend.register("a", pa.table({"day": ["d1", "d2"], "v": [1, 2]}))
    backend.write_parquet("a", out, partition_by=["day"])
    backend.register("b", pa.table({"day": ["d2"], "v": [20]}))
    backend.write_parquet("b", out, partition_by=["day"])
    duck = DuckDBBackend()
    duck.register("t", sorted(out.rglob("*.parquet")))
    rows = duck.to_arrow("SELECT day, v FROM t ORDER BY day").to_pylist()
    assert rows == [{"day": "d1", "v": 1}, {"day": "d2", "v": 20}]


def test_timestamps_stay_utc(backend: Backend) -> None:
    instant = dt.datetime(2024, 3, 9, 23, 59, 59, 999_999, tzinfo=dt.UTC)
    backend.register("t", pa.table({"ts": pa.array([instant], TS)}))
    out = backend.to_arrow(
        "SELECT ts, CAST(ts AS DATE) AS d, date_trunc('day', ts) AS day, "
        "strftime(ts, '%H:%M:%S.%f') AS s, epoch_us(ts) AS us FROM t"
    )
    row = out.to_pylist()[0]
    assert row["ts"] == instant
    assert row["d"] == dt.date(2024, 3, 9)
    assert row["day"].replace(tzinfo=dt.UTC) == dt.datetime(2024, 3, 9, tzinfo=dt.UTC)
    assert row["s"] == "23:59:59.999999"
    assert row["us"] == 1_710_028_799_999_999


@pytest.mark.spark
def test_spark_error_names_the_step(request: pytest.FixtureRequest) -> None:
    from tests.contract.conftest import open_backend

    be = open_backend(request, "spark")
    be.register("t", pa.table({"x": [1]}))
    with pytest.raises(EngineError, match=r"step 'bad'.*no_such_column(?s:.*)SQL sent"):
        be.run([SqlStep("SELECT no_such_column AS y FROM t", "bad")])
    be.close()


@pytest.mark.spark
@pytest.mark.parametrize("materialize", ["view", "parquet"])
def test_spark_materialize_modes_give_the_same_rows(
    request: pytest.FixtureRequest, materialize: str, tmp_path: Path
) -> None:
    from armswatch.engine import SparkBackend
    from tests.contract.conftest import TEST_SPARK_CONF

    request.getfixturevalue("spark_jvm")
    be = SparkBackend(conf=TEST_SPARK_CONF, materialize=materialize,  # type: ignore[arg-type]
                      work_dir=tmp_path / "work")
    be.register("pos", _data.positions())
    be.run([SqlStep("SELECT mmsi, count(*) AS n FROM pos GROUP BY mmsi", "counts"),
            SqlStep("SELECT sum(n) AS total FROM counts", "total")])
    assert be.to_arrow("total").column("total")[0].as_py() == _data.positions().num_rows
    if materialize == "parquet":
        assert any((tmp_path / "work").iterdir())
    be.close()
