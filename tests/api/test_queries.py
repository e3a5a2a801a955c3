"""The pure track query builders (SQL text with bound parameters) and the bbox parser."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import duckdb
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from armswatch.api._queries import TrackFilter, parse_bbox, track_step_s, tracks

T0 = datetime(2024, 1, 1, tzinfo=UTC)


def test_values_are_parameters_never_text() -> None:
    f = TrackFilter(start_utc=T0, end_utc=T0 + timedelta(days=1),
                    bbox=(12.345, 1.5, 13.5, 2.5), mmsis=(123456789, 987654321))
    sql = tracks(f, 60)
    for value in ("12.345", "123456789", "987654321", "2024"):
        assert value not in sql.text
    assert sql.params.count(123456789) == 1
    assert 12.345 in sql.params
    assert T0 in sql.params
    assert sql.text.count("?") == len(sql.params)
    assert "FALSE" in tracks(TrackFilter(mmsis=()), 60).text  # no ship: no point


@pytest.mark.parametrize("bad", ["1,2,3", "a,b,c,d", "0,50,1,40", "0,0,181,1", "nan,0,1,1",
                                 "0,-91,1,1"])
def test_parse_bbox_refuses(bad: str) -> None:
    with pytest.raises(ValueError, match="bbox"):
        parse_bbox(bad)


def test_parse_bbox_antimeridian() -> None:
    assert parse_bbox("170,-10,-170,10") == (170.0, -10.0, -170.0, 10.0)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 10), st.integers(1, 600), st.integers(100, 2000))
def test_thinning_keeps_about_max_points(vessels: int, per_vessel: int, max_points: int) -> None:
    span = timedelta(minutes=per_vessel)
    rows = [{"mmsi": v, "ts_utc": T0 + timedelta(minutes=i), "lat": 0.0, "lon": 0.0}
            for v in range(vessels) for i in range(per_vessel)]
    con = duckdb.connect()
    con.register("positions", pa.Table.from_pylist(rows))
    step = track_step_s(T0, T0 + span, vessels, len(rows), max_points)
    kept = con.execute(*(lambda s: (s.text, list(s.params)))(tracks(TrackFilter(), step))
                       ).fetchall()
    assert len(kept) <= max(max_points + 2 * vessels, len(rows) if step == 1 else 0)
    assert {r[0] for r in kept} == set(range(vessels))  # no vessel lost
