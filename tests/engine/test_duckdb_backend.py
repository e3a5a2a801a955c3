from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from armswatch.engine import DuckDBBackend, SparkDialect, SqlStep


def test_run_steps_and_read_back() -> None:
    be = DuckDBBackend()
    be.register("t", pa.table({"k": [1, 1, 2], "v": [1.0, 2.0, 5.0]}))
    be.run([SqlStep("SELECT k, sum(v) AS s FROM t GROUP BY k", "agg")])
    out = be.to_arrow("SELECT * FROM agg ORDER BY k")
    assert out.to_pydict() == {"k": [1, 2], "s": [3.0, 5.0]}


def test_parquet_roundtrip_partitioned(tmp_path: Path) -> None:
    be = DuckDBBackend()
    be.register("t", pa.table({"day": ["a", "b", "b"], "v": [1, 2, 3]}))
    be.run([SqlStep("SELECT * FROM t", "t2")])
    be.write_parquet("t2", tmp_path / "out", partition_by=["day"])
    be.register("back", sorted((tmp_path / "out").rglob("*.parquet")))
    assert be.to_arrow("SELECT sum(v) AS s FROM back").column("s")[0].as_py() == 6


def _kernel(t: pa.Table) -> pa.Table:
    return pa.table({"k": t.column("k").slice(0, 1), "n": pa.array([t.num_rows], pa.int64())})


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=5), max_size=40))
def test_map_groups_loses_no_row(keys: list[int]) -> None:
    be = DuckDBBackend()
    be.register("t", pa.table({"k": pa.array(keys, pa.int64()), "x": list(range(len(keys)))}))
    schema = pa.schema([("k", pa.int64()), ("n", pa.int64())])
    be.map_groups("t", ["k"], _kernel, schema, "counts", order_by=["x"])
    out = be.to_arrow("counts")
    assert pc.sum(out.column("n")).as_py() in (None, len(keys))
    assert out.num_rows == len(set(keys))


def test_spark_dialect_translates() -> None:
    sql = SparkDialect().translate("SELECT epoch(ts) AS s FROM t")
    assert "UNIX" in sql.upper() or "epoch" not in sql
