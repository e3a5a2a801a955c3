"""Day-by-day runs equal one run over all days; re-running a day changes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from armswatch.engine import DuckDBBackend, table_differences
from armswatch.engine.incremental import DailyRunner, IncrementalPlan, Stream
from armswatch.errors import ConfigError
from tests.engine._jobs import day_slices, events_job, tracks

DAYS = 4
STREAMS = [Stream("positions")]


def batch_events(table: pa.Table) -> pa.Table:
    be = DuckDBBackend()
    be.register("all_positions", table)
    return events_job(be, {"positions": "all_positions"})


def run_incremental(store: Path, table: pa.Table, days: int,
                    plan: IncrementalPlan = IncrementalPlan()) -> DailyRunner:
    runner = DailyRunner(store, STREAMS, events_job, plan)
    for i, (day, part) in enumerate(day_slices(table, days)):
        runner.run_day(DuckDBBackend(), day, {"positions": part}, final=i == days - 1)
    return runner


def test_events_spanning_midnight_are_found_once(tmp_path: Path) -> None:
    table = tracks(12, DAYS, seed=3)
    expected = batch_events(table)
    crossing = [
        e for e in expected.to_pylist() if e["start_utc"].date() != e["end_utc"].date()
    ]
    assert len(crossing) >= 3, "the data must have events across midnight"
    assert any(e["end_utc"] - e["start_utc"] > dt.timedelta(days=1) for e in crossing)
    runner = run_incremental(tmp_path, table, DAYS)
    got = runner.events()
    assert got is not None
    assert table_differences(expected, got) == []


def test_rerun_of_a_day_is_idempotent(tmp_path: Path) -> None:
    table = tracks(6, DAYS, seed=5)
    runner = run_incremental(tmp_path, table, DAYS)
    before = runner.events()
    slices = day_slices(table, DAYS)
    last_day, last = slices[-1]
    files = sorted(tmp_path.rglob("*.parquet"))
    snapshot = {f: pa.parquet.read_table(f) for f in files}
    runner.run_day(DuckDBBackend(), last_day, {"positions": last}, final=True)
    assert sorted(tmp_path.rglob("*.parquet")) == files
    for f in files:
        assert pa.parquet.read_table(f).equals(snapshot[f]), f
    # re-running an earlier day needs rerun=True and invalidates later days
    day2, part2 = slices[1]
    with pytest.raises(ConfigError, match="rerun=True"):
        runner.run_day(DuckDBBackend(), day2, {"positions": part2})
    for i, (day, part) in enumerate(slices[1:], start=1):
        runner.run_day(DuckDBBackend(), day, {"positions": part}, final=i == DAYS - 1,
                       rerun=True)
    assert table_differences(before, runner.events()) == []


def test_days_must_come_in_order(tmp_path: Path) -> None:
    slices = day_slices(tracks(2, 3, seed=1), 3)
    runner = DailyRunner(tmp_path, STREAMS, events_job)
    runner.run_day(DuckDBBackend(), *slices[0][:1], {"positions": slices[0][1]})
    with pytest.raises(ConfigError, match="previous day"):
        runner.run_day(DuckDBBackend(), slices[2][0], {"positions": slices[2][1]})
    with pytest.raises(ConfigError, match="no input"):
        runner.run_day(DuckDBBackend(), slices[1][0], {})


def test_state_stays_small(tmp_path: Path) -> None:
    table = tracks(8, DAYS, seed=9)
    run_incremental(tmp_path, table, DAYS - 1)
    carried = pa.parquet.read_table(
        tmp_path / "state" / f"day={day_slices(table, DAYS)[DAYS - 2][0]}" / "positions.parquet"
    )
    # about one day per vessel (24 h lookback), not the whole history
    assert carried.num_rows < table.num_rows / 2


def test_plan_is_validated() -> None:
    with pytest.raises(ConfigError, match="lookback_h must be >= hold_h"):
        IncrementalPlan(lookback_h=1, hold_h=2)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), days=st.integers(2, 4), vessels=st.integers(1, 6))
def test_incremental_equals_batch(seed: int, days: int, vessels: int, tmp_path_factory:
                                  pytest.TempPathFactory) -> None:
    table = tracks(vessels, days, seed=seed)
    store = tmp_path_factory.mktemp("inc")
    runner = run_incremental(store, table, days)
    got = runner.events()
    expected = batch_events(table)
    if got is None:
        assert expected.num_rows == 0
    else:
        assert table_differences(expected, got) == []
