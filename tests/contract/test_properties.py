"""Property tests: engines agree on generated timestamps (calendar arithmetic is where
they diverge: boundaries, negative epochs, leap days, formats)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from armswatch.engine import Backend, DuckDBBackend, table_differences
from armswatch.model.tables import TS
from tests.contract.conftest import open_backend

pytestmark = pytest.mark.spark

_instants = st.datetimes(
    min_value=dt.datetime(1960, 1, 1), max_value=dt.datetime(2040, 12, 31),
    timezones=st.just(dt.UTC),
)
_SQL = """
SELECT a, b,
  date_diff('microsecond', a, b) AS d_us, date_diff('second', a, b) AS d_s,
  date_diff('minute', a, b) AS d_min, date_diff('hour', a, b) AS d_h,
  date_diff('day', a, b) AS d_d, date_diff('month', a, b) AS d_mo,
  date_diff('quarter', a, b) AS d_q, date_diff('year', a, b) AS d_y,
  epoch_us(a) AS us, epoch_ms(a) AS ms, (epoch_us(b) - epoch_us(a)) / 1e6 AS dur_s,
  date_trunc('hour', a) AS h, date_trunc('week', a) AS wk, CAST(a AS DATE) AS day,
  dayofweek(a) AS dow, isodow(a) AS isodow, dayofyear(a) AS doy,
  strftime(a, '%Y-%m-%d %H:%M:%S.%f') AS s1, strftime(a, '%d/%m/%y %j') AS s2,
  CAST(floor(epoch_us(a) / 6e8) AS BIGINT) AS bucket_10min
FROM t
"""


@pytest.fixture(scope="module")
def pair(request: pytest.FixtureRequest) -> Iterator[tuple[Backend, Backend]]:
    spark = open_backend(request, "spark")
    duck = DuckDBBackend()
    yield duck, spark
    spark.close()
    duck.close()


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(_instants, _instants), min_size=1, max_size=40))
def test_calendar_functions_agree(
    pair: tuple[Backend, Backend], rows: list[tuple[dt.datetime, dt.datetime]]
) -> None:
    table = pa.table({"a": pa.array([r[0] for r in rows], TS),
                      "b": pa.array([r[1] for r in rows], TS)})
    duck, spark = pair
    duck.register("t", table)
    spark.register("t", table)
    diffs = table_differences(duck.to_arrow(_SQL), spark.to_arrow(_SQL))
    assert diffs == []
