"""Every corpus statement gives the same rows on DuckDB and Spark."""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa
import pytest

from armswatch.engine import (
    Backend,
    DuckDBBackend,
    SparkDialect,
    UnportableSqlError,
    portability_problems,
    table_differences,
)
from tests.contract import _data
from tests.contract.conftest import open_backend
from tests.contract.sql_corpus import CASES, UNPORTABLE, Case

IDS = [c.name for c in CASES]


def _load(be: Backend) -> Backend:
    be.register("pos", _data.positions())
    be.register("stat", _data.statics())
    return be


@pytest.fixture(scope="module")
def duck() -> Iterator[Backend]:
    be = _load(DuckDBBackend())
    yield be
    be.close()


@pytest.fixture(scope="module")
def spark(request: pytest.FixtureRequest) -> Iterator[Backend]:
    be = _load(open_backend(request, "spark"))
    yield be
    be.close()


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_case_is_portable_and_runs_on_duckdb(case: Case, duck: Backend) -> None:
    assert portability_problems(case.sql) == []
    assert SparkDialect().translate(case.sql)
    assert duck.to_arrow(case.sql).num_rows > 0, "a case must return rows to prove anything"


@pytest.mark.spark
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_case_same_rows_on_spark(case: Case, duck: Backend, spark: Backend) -> None:
    expected = duck.to_arrow(case.sql)
    got = spark.to_arrow(case.sql)
    diffs = table_differences(
        expected, got, json_columns=case.json_columns, rel_tol=case.rel_tol
    )
    assert not diffs, "\n".join([SparkDialect().translate(case.sql), *diffs])


@pytest.mark.parametrize(("sql", "words"), UNPORTABLE, ids=[w for _, w in UNPORTABLE])
def test_unportable_sql_is_refused(sql: str, words: str) -> None:
    problems = portability_problems(sql)
    assert any(words in p for p in problems), problems
    with pytest.raises(UnportableSqlError, match="not portable"):
        SparkDialect().translate(sql)


def test_inputs_cover_the_hard_corners() -> None:
    pos = _data.positions()
    ts = pos.column("ts_utc").to_pylist()
    assert any(t.microsecond for t in ts), "fractional seconds"
    assert len({t.date() for t in ts}) >= 2, "crosses midnight"
    assert pos.column("lat").null_count > 0
    assert pos.column("sog_kn").null_count > 0
    assert min(v for v in pos.column("lon").to_pylist() if v is not None) < -179.9
    keys = zip(pos.column("mmsi").to_pylist(), pos.column("ts_utc").to_pylist(), strict=True)
    assert pos.num_rows > len(set(keys)), "exact duplicate reports"
    assert isinstance(_data.statics(), pa.Table)
