from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from armswatch.engine import (
    DuckDBBackend,
    EngineUnavailableError,
    _spark_session,
    make_backend,
    spark_unavailable_reason,
    table_differences,
)
from armswatch.errors import ConfigError


def test_duckdb_by_name() -> None:
    assert isinstance(make_backend("DuckDB"), DuckDBBackend)


def test_unknown_engine_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError, match="duckdb, spark"):
        make_backend("flink")


def test_threads_for_duckdb() -> None:
    be = make_backend("duckdb", threads=1)
    assert be.to_arrow("SELECT current_setting('threads') AS t").column("t")[0].as_py() == 1
    with pytest.raises(ConfigError, match=">= 1"):
        make_backend("duckdb", threads=0)


def test_master_only_for_spark() -> None:
    with pytest.raises(ConfigError, match="only to --engine spark"):
        make_backend("duckdb", master="local[4]")


def test_missing_java_is_explained(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    reason = spark_unavailable_reason()
    assert reason is not None
    assert "Java 17" in reason
    with pytest.raises(EngineUnavailableError, match="JAVA_HOME"):
        make_backend("spark")


def test_local_settings() -> None:
    conf = _spark_session.session_conf("local[2]", {"spark.sql.shuffle.partitions": "8"})
    assert conf["spark.sql.session.timeZone"] == "UTC"
    assert conf["spark.sql.shuffle.partitions"] == "8"
    assert conf["spark.sql.parquet.outputTimestampType"] == "TIMESTAMP_MICROS"
    assert "spark.driver.memory" not in _spark_session.session_conf("spark://h:7077")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(-3, 3), st.floats(-1e6, 1e6), st.text(max_size=2)),
                max_size=30), st.randoms())
def test_table_differences_ignores_row_order(
    rows: list[tuple[int, float, str]], rnd: object
) -> None:
    shuffled = list(rows)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    def table(rs: list[tuple[int, float, str]]) -> pa.Table:
        return pa.table({"k": [r[0] for r in rs], "x": [r[1] for r in rs],
                         "s": [r[2] for r in rs]}, schema=pa.schema(
                             [("k", pa.int64()), ("x", pa.float64()), ("s", pa.string())]))
    assert table_differences(table(rows), table(shuffled)) == []
    if rows:
        changed = [(rows[0][0], rows[0][1] + 1.0 + abs(rows[0][1]), rows[0][2]), *rows[1:]]
        assert table_differences(table(rows), table(changed)) != []


def test_table_differences_normalises_engine_types() -> None:
    import datetime as dt
    import decimal

    utc = pa.table({"n": pa.array([decimal.Decimal(3)], pa.decimal128(38, 0)),
                    "t": pa.array([dt.datetime(2024, 1, 1, tzinfo=dt.UTC)],
                                  pa.timestamp("us", tz="Etc/UTC"))})
    naive = pa.table({"n": pa.array([3], pa.int64()),
                      "t": pa.array([dt.datetime(2024, 1, 1)], pa.timestamp("us"))})
    assert table_differences(utc, naive) == []
    assert table_differences(utc, naive.rename_columns(["m", "t"])) != []
