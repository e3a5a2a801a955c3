"""The in-memory event index: its filter and pages agree with a plain Python filter (and
with SQL semantics for missing values: null never satisfies a condition)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from armswatch.api._events import EventIndex, read_events
from armswatch.api._models import EventsPage
from armswatch.api._queries import EventFilter
from armswatch.errors import BadInputError
from armswatch.model.tables import EVENTS_SCHEMA

T0 = datetime(2024, 1, 1, tzinfo=UTC)
TYPES = ("ais_gap", "encounter", "port_call")
maybe_lat = st.one_of(st.none(), st.floats(-80, 80))
maybe_lon = st.one_of(st.none(), st.floats(-179, 179))
events_st = st.lists(st.tuples(
    st.sampled_from(TYPES), st.integers(1, 4), st.one_of(st.none(), st.integers(1, 4)),
    st.integers(0, 100), st.integers(0, 50), maybe_lat, maybe_lon, maybe_lat, maybe_lon,
    st.sampled_from([None, "P1", "P2"]), st.floats(0, 1)),
    max_size=25)
bbox_st = st.one_of(st.none(), st.tuples(st.floats(-180, 180), st.floats(-90, 0),
                                         st.floats(-180, 180), st.floats(0, 90)))


def _in(lon: float | None, lat: float | None, b: tuple[float, float, float, float]) -> bool:
    if lon is None or lat is None:
        return False
    lon_ok = b[0] <= lon <= b[2] if b[0] <= b[2] else (lon >= b[0] or lon <= b[2])
    return b[1] <= lat <= b[3] and lon_ok


def _records(rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    return [{"event_id": f"e{i:03d}", "type": t, "mmsi": m, "other_mmsi": o,
             "start_utc": T0 + timedelta(hours=s), "end_utc": T0 + timedelta(hours=s + d),
             "lat": la, "lon": lo, "end_lat": la2, "end_lon": lo2, "port": p,
             "confidence": c, "details": '{"k": 1}', "algorithm": f"{t}@1"}
            for i, (t, m, o, s, d, la, lo, la2, lo2, p, c) in enumerate(rows)]


@settings(max_examples=80, deadline=None)
@given(events_st, st.sets(st.sampled_from((*TYPES, "spoofing"))),
       st.one_of(st.none(), st.integers(0, 150)), st.one_of(st.none(), st.integers(0, 150)),
       bbox_st, st.one_of(st.none(), st.sets(st.integers(1, 4))),
       st.sampled_from([None, "P1", "P3"]), st.one_of(st.none(), st.floats(0, 1)),
       st.integers(1, 10), st.integers(0, 30))
def test_index_filter_equals_python_filter(rows: list[tuple[Any, ...]], types: set[str],
                                           start: int | None, end: int | None,
                                           bbox: tuple[float, float, float, float] | None,
                                           mmsis: set[int] | None, port: str | None,
                                           conf: float | None, limit: int,
                                           offset: int) -> None:
    recs = _records(rows)
    f = EventFilter(types=tuple(sorted(types)),
                    start_utc=None if start is None else T0 + timedelta(hours=start),
                    end_utc=None if end is None else T0 + timedelta(hours=end), bbox=bbox,
                    mmsis=None if mmsis is None else tuple(sorted(mmsis)), port=port,
                    min_confidence=conf, limit=limit, offset=offset)

    def keep(r: dict[str, Any]) -> bool:
        return ((not f.types or r["type"] in f.types)
                and (f.start_utc is None or r["end_utc"] >= f.start_utc)
                and (f.end_utc is None or r["start_utc"] <= f.end_utc)
                and (f.bbox is None or _in(r["lon"], r["lat"], f.bbox)
                     or _in(r["end_lon"], r["end_lat"], f.bbox))
                and (f.mmsis is None or r["mmsi"] in f.mmsis or r["other_mmsi"] in f.mmsis)
                and (f.port is None or r["port"] == f.port)
                and (f.min_confidence is None or r["confidence"] >= f.min_confidence))

    expected = sorted((r for r in recs if keep(r)),
                      key=lambda r: (r["start_utc"], r["event_id"]))
    index = EventIndex(pa.Table.from_pylist(recs, schema=EVENTS_SCHEMA))
    raw = index.page_json(f)
    page = EventsPage.model_validate_json(raw)
    # the pre-serialised page is exactly what the response model would have written
    assert orjson.loads(raw) == orjson.loads(page.model_dump_json())
    assert page.total == len(expected)
    want = expected[offset:offset + limit]
    assert [e.event_id for e in page.items] == [r["event_id"] for r in want]
    for got, r in zip(page.items, want, strict=True):  # values come back as stored
        assert (got.type, got.mmsi, got.other_mmsi, got.port) == (
            r["type"], r["mmsi"], r["other_mmsi"], r["port"])
        assert (got.start_utc, got.end_utc) == (r["start_utc"], r["end_utc"])
        assert (got.lat, got.lon, got.end_lat, got.end_lon, got.confidence) == (
            r["lat"], r["lon"], r["end_lat"], r["end_lon"], r["confidence"])
        assert got.details == {"k": 1}


def test_read_events_fills_optional_columns_and_parses_details(tmp_path: Path) -> None:
    a = pa.table({"event_id": ["b", "a"], "type": ["ais_gap", "encounter"],
                  "mmsi": pa.array([1, 2], pa.int32()),
                  "start_utc": pa.array([T0, T0], pa.timestamp("us", tz="UTC")),
                  "end_utc": pa.array([T0, T0], pa.timestamp("us", tz="UTC")),
                  "confidence": [0.5, 0.9], "algorithm": ["x@1", "x@1"],
                  "details": ['{"gap_h": 3}', "not json"]})
    pq.write_table(a, tmp_path / "part-1.parquet")
    pq.write_table(a.slice(0, 1), tmp_path / "part-2.parquet")
    table = read_events(sorted(tmp_path.glob("*.parquet")))
    assert table.schema == EVENTS_SCHEMA
    assert table.num_rows == 3
    page = EventIndex(table).page(EventFilter(limit=10))
    assert [e.event_id for e in page.items] == ["a", "b", "b"]  # by start time, then id
    assert page.items[0].details == {"text": "not json"}
    assert page.items[1].details == {"gap_h": 3}
    assert page.items[0].lat is None
    assert page.items[0].other_mmsi is None
    assert EventIndex(read_events([])).page(EventFilter()).total == 0


def test_read_events_refuses_missing_or_null_required_columns(tmp_path: Path) -> None:
    t = pa.table({"event_id": ["a"], "type": ["ais_gap"]})
    pq.write_table(t, tmp_path / "events.parquet")
    with pytest.raises(BadInputError, match="required column 'mmsi' missing"):
        read_events([tmp_path / "events.parquet"])
    full = pa.Table.from_pylist(_records([("ais_gap", 1, None, 0, 1, 1.0, 2.0, 1.0, 2.0,
                                           None, 0.5)]), schema=EVENTS_SCHEMA)
    bad = full.set_column(full.schema.get_field_index("confidence"), "confidence",
                          pa.array([None], pa.float64()))
    pq.write_table(bad, tmp_path / "events.parquet")
    with pytest.raises(BadInputError, match="null values in required column 'confidence'"):
        read_events([tmp_path / "events.parquet"])
