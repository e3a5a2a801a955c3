"""The pure query builders: SQL text with bound parameters; DuckDB agrees with Python."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import duckdb
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from armswatch.api._queries import (
    EventFilter,
    TrackFilter,
    event_where,
    events_page,
    parse_bbox,
    track_step_s,
    tracks,
)
from armswatch.model.tables import EVENTS_SCHEMA

T0 = datetime(2024, 1, 1, tzinfo=UTC)
TYPES = ("ais_gap", "encounter", "port_call")


def test_values_are_parameters_never_text() -> None:
    evil = "x'); DROP TABLE events; --"
    sql = event_where(EventFilter(types=(evil,), port=evil))
    assert evil not in sql.text
    assert sql.params.count(evil) == 2


def test_empty_vessel_list_matches_nothing() -> None:
    assert "FALSE" in event_where(EventFilter(mmsis=())).text


@pytest.mark.parametrize("bad", ["1,2,3", "a,b,c,d", "0,50,1,40", "0,0,181,1", "nan,0,1,1",
                                 "0,-91,1,1"])
def test_parse_bbox_refuses(bad: str) -> None:
    with pytest.raises(ValueError, match="bbox"):
        parse_bbox(bad)


def test_parse_bbox_antimeridian() -> None:
    assert parse_bbox("170,-10,-170,10") == (170.0, -10.0, -170.0, 10.0)


events_st = st.lists(st.tuples(
    st.sampled_from(TYPES), st.integers(1, 4), st.one_of(st.none(), st.integers(1, 4)),
    st.integers(0, 100), st.integers(0, 50),
    st.floats(-80, 80), st.floats(-179, 179), st.floats(-80, 80), st.floats(-179, 179),
    st.sampled_from([None, "P1", "P2"]), st.floats(0, 1)), max_size=25)
bbox_st = st.one_of(st.none(), st.tuples(st.floats(-180, 180), st.floats(-90, 0),
                                         st.floats(-180, 180), st.floats(0, 90)))


def _in(lon: float, lat: float, b: tuple[float, float, float, float]) -> bool:
    lon_ok = b[0] <= lon <= b[2] if b[0] <= b[2] else (lon >= b[0] or lon <= b[2])
    return b[1] <= lat <= b[3] and lon_ok


@settings(max_examples=60, deadline=None)
@given(events_st, st.sets(st.sampled_from(TYPES)), st.one_of(st.none(), st.integers(0, 150)),
       st.one_of(st.none(), st.integers(0, 150)), bbox_st,
       st.one_of(st.none(), st.sets(st.integers(1, 4))), st.sampled_from([None, "P1"]),
       st.one_of(st.none(), st.floats(0, 1)), st.integers(1, 10), st.integers(0, 30))
def test_sql_filter_equals_python_filter(rows: list[tuple], types: set[str], start: int | None,
                                         end: int | None, bbox: tuple | None,
                                         mmsis: set[int] | None, port: str | None,
                                         conf: float | None, limit: int, offset: int) -> None:
    recs = [{"event_id": f"e{i:03d}", "type": t, "mmsi": m, "other_mmsi": o,
             "start_utc": T0 + timedelta(hours=s), "end_utc": T0 + timedelta(hours=s + d),
             "lat": la, "lon": lo, "end_lat": la2, "end_lon": lo2, "port": p,
             "confidence": c, "details": "{}", "algorithm": f"{t}@1"}
            for i, (t, m, o, s, d, la, lo, la2, lo2, p, c) in enumerate(rows)]
    f = EventFilter(types=tuple(sorted(types)),
                    start_utc=None if start is None else T0 + timedelta(hours=start),
                    end_utc=None if end is None else T0 + timedelta(hours=end), bbox=bbox,
                    mmsis=None if mmsis is None else tuple(sorted(mmsis)), port=port,
                    min_confidence=conf, limit=limit, offset=offset)

    def keep(r: dict) -> bool:
        return ((not f.types or r["type"] in f.types)
                and (f.start_utc is None or r["end_utc"] >= f.start_utc)
                and (f.end_utc is None or r["start_utc"] <= f.end_utc)
                and (f.bbox is None or _in(r["lon"], r["lat"], f.bbox)
                     or _in(r["end_lon"], r["end_lat"], f.bbox))
                and (f.mmsis is None or r["mmsi"] in f.mmsis or r["other_mmsi"] in f.mmsis)
                and (f.port is None or r["port"] == f.port)
                and (f.min_confidence is None or r["confidence"] >= f.min_confidence))

    expected = sorted((r for r in recs if keep(r)), key=lambda r: (r["start_utc"],
                                                                   r["event_id"]))
    con = duckdb.connect()
    con.register("events", pa.Table.from_pylist(recs, schema=EVENTS_SCHEMA))
    count, page = events_page(f)
    assert con.execute(count.text, list(count.params)).fetchone()[0] == len(expected)
    got = [r[0] for r in con.execute(page.text, list(page.params)).fetchall()]
    assert got == [r["event_id"] for r in expected][offset:offset + limit]


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
