"""The incremental driver gives the same events on every engine as one DuckDB run."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from armswatch.engine import Backend, DuckDBBackend, table_differences
from armswatch.engine.incremental import DailyRunner, Stream
from tests.engine._jobs import day_slices, events_job, tracks

DAYS = 3


def test_day_by_day_on_each_engine_equals_one_run(backend: Backend, tmp_path: Path) -> None:
    table = tracks(6, DAYS, seed=11)
    duck = DuckDBBackend()
    duck.register("all_positions", table)
    expected = events_job(duck, {"positions": "all_positions"})
    runner = DailyRunner(tmp_path, [Stream("positions")], events_job)
    for i, (day, part) in enumerate(day_slices(table, DAYS)):
        runner.run_day(backend, day, {"positions": part}, final=i == DAYS - 1)
    got = runner.events()
    assert got is not None
    assert table_differences(expected, got) == []
    # the carried state is plain Parquet any reader opens, with UTC microsecond times
    state = sorted((tmp_path / "state").glob("day=*/positions.parquet"))
    assert len(state) == DAYS
    assert str(pq.read_schema(state[0]).field("ts_utc").type) == "timestamp[us, tz=UTC]"
