"""Detector events in memory, sorted as the API pages them, filtered without a database.

The events table is read once into numpy columns ordered by ``(start_utc, event_id)``.
A filter is a handful of vectorised comparisons over those columns (a time window first
narrows the rows by binary search: those starting before its end, and after its start
less the longest event's duration), so a page costs about a millisecond per few hundred
thousand events and no SQL round trip; the page is serialised straight to JSON. The
columns are plain arrays: a server that forks its workers after loading shares them.

Semantics are those of SQL over the events table: a missing value (no position, no
second ship, no port) never satisfies a condition on it, and rows come ordered by start
time then id.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from armswatch.api._models import EventsPage
from armswatch.api._queries import BBox, EventFilter
from armswatch.errors import BadInputError
from armswatch.model.tables import EVENTS_SCHEMA

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NO_MMSI = -1  # stands for a missing other_mmsi (MMSIs are positive)


def _micros(ts: datetime) -> int:
    ts = ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts
    delta = ts - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _details(text: object) -> dict[str, Any]:
    """The details column as an object (text that is not a JSON object is wrapped)."""
    if not isinstance(text, str) or not text:
        return {}
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        return {"text": text}
    return value if isinstance(value, dict) else {"value": value}


def _floats(col: pa.ChunkedArray) -> np.ndarray:
    return np.asarray(col.cast(pa.float64()).fill_null(math.nan).to_numpy(), dtype=np.float64)


def read_events(files: Sequence[Path]) -> pa.Table:
    """The events of one or more Parquet files in EVENTS_SCHEMA (optional columns missing
    from a file are null; a missing or null required column is refused, naming it)."""
    tables = []
    for path in files:
        t = pq.read_table(path)
        cols = []
        for f in EVENTS_SCHEMA:
            if f.name in t.column_names:
                col = t.column(f.name).cast(f.type)
                if not f.nullable and col.null_count:
                    raise BadInputError(f"events: {col.null_count:,} null values in "
                                        f"required column {f.name!r}", path)
                cols.append(col)
            elif f.nullable:
                cols.append(pa.chunked_array([pa.nulls(t.num_rows, f.type)]))
            else:
                raise BadInputError(f"events: required column {f.name!r} missing (the "
                                    "detectors write EVENTS_SCHEMA)", path)
        tables.append(pa.Table.from_arrays(cols, schema=EVENTS_SCHEMA))
    if not tables:
        return EVENTS_SCHEMA.empty_table()
    return pa.concat_tables(tables)


class EventIndex:
    """The events, sorted by ``(start_utc, event_id)``, as numpy columns."""

    def __init__(self, table: pa.Table) -> None:
        order = pc.sort_indices(table, sort_keys=[("start_utc", "ascending"),
                                                  ("event_id", "ascending")])
        t = table.take(order)
        self.size = t.num_rows
        ts_type = pa.timestamp("us", tz="UTC")
        self.start_us = np.asarray(t.column("start_utc").cast(ts_type).cast(pa.int64())
                                   .fill_null(np.iinfo(np.int64).max).to_numpy())
        self.end_us = np.asarray(t.column("end_utc").cast(ts_type).cast(pa.int64())
                                 .fill_null(np.iinfo(np.int64).min).to_numpy())
        self.lat, self.lon = _floats(t.column("lat")), _floats(t.column("lon"))
        self.end_lat, self.end_lon = _floats(t.column("end_lat")), _floats(t.column("end_lon"))
        self.confidence = _floats(t.column("confidence"))
        self.mmsi = np.asarray(t.column("mmsi").cast(pa.int64()).fill_null(_NO_MMSI)
                               .to_numpy())
        self.other_mmsi = np.asarray(t.column("other_mmsi").cast(pa.int64())
                                     .fill_null(_NO_MMSI).to_numpy())
        # strings as small integer codes: a filter compares codes, not text
        self.types, self.type_code = self._codes(t.column("type"))
        self.ports, self.port_code = self._codes(t.column("port"))
        self._type_of = {v: i for i, v in enumerate(self.types)}
        self._port_of = {v: i for i, v in enumerate(self.ports)}
        self.event_id = t.column("event_id").to_pylist()
        self.algorithms, self.algorithm_code = self._codes(t.column("algorithm"))
        # details re-serialised once as JSON objects, embedded as they are in every page
        self.details = [orjson.Fragment(orjson.dumps(_details(d)))
                        for d in t.column("details").to_pylist()]
        spans = self.end_us - self.start_us
        self.max_span_us = int(spans.max()) if self.size else 0

    @staticmethod
    def _codes(col: pa.ChunkedArray) -> tuple[list[str], np.ndarray]:
        """Distinct values, and each row's position among them (-1 for null)."""
        enc = col.combine_chunks().dictionary_encode()
        values = [str(v) for v in enc.dictionary.to_pylist()]
        codes = np.asarray(enc.indices.fill_null(-1).to_numpy(zero_copy_only=False),
                           dtype=np.int32)
        return values, codes

    @classmethod
    def from_files(cls, files: Sequence[Path]) -> EventIndex:
        return cls(read_events(files))

    def _in_bbox(self, lon: np.ndarray, lat: np.ndarray, bbox: BBox) -> np.ndarray:
        a, b, c, d = bbox
        ok: np.ndarray = (lat >= b) & (lat <= d)
        if a <= c:
            ok &= (lon >= a) & (lon <= c)
        else:  # crosses the antimeridian
            ok &= (lon >= a) | (lon <= c)
        return ok

    def select(self, f: EventFilter) -> np.ndarray:
        """Positions (in page order) of every event the filter keeps."""
        lo, hi = 0, self.size
        if f.end_utc is not None:  # starts at or before the window's end: a prefix
            hi = int(np.searchsorted(self.start_us, _micros(f.end_utc), side="right"))
        if f.start_utc is not None:
            # ends at or after the window's start, so starts at most the longest event's
            # duration before it: the rows starting earlier are skipped unread
            lo = int(np.searchsorted(self.start_us, _micros(f.start_utc) - self.max_span_us,
                                     side="left"))
        if hi <= lo:
            return np.empty(0, dtype=np.int64)
        sl = slice(lo, hi)
        keep = np.ones(hi - lo, dtype=bool)
        if f.types:
            codes = [self._type_of[t] for t in f.types if t in self._type_of]
            if len(codes) == 1:
                keep &= self.type_code[sl] == codes[0]
            else:
                keep &= np.isin(self.type_code[sl], codes)
        if f.start_utc is not None:
            keep &= self.end_us[sl] >= _micros(f.start_utc)
        if f.min_confidence is not None:
            keep &= self.confidence[sl] >= f.min_confidence
        if f.port is not None:
            keep &= self.port_code[sl] == self._port_of.get(f.port, -2)
        if f.mmsis is not None:
            wanted = np.asarray(f.mmsis, dtype=np.int64)
            keep &= np.isin(self.mmsi[sl], wanted) | np.isin(self.other_mmsi[sl], wanted)
        if f.bbox is not None:
            keep &= (self._in_bbox(self.lon[sl], self.lat[sl], f.bbox)
                     | self._in_bbox(self.end_lon[sl], self.end_lat[sl], f.bbox))
        return np.flatnonzero(keep) + lo

    def _rows(self, positions: np.ndarray) -> list[dict[str, Any]]:
        """The events at ``positions`` as plain objects in EventOut's shape."""
        pos = positions.tolist()
        cols = [col[positions].tolist() for col in (
            self.type_code, self.mmsi, self.other_mmsi, self.start_us, self.end_us, self.lat,
            self.lon, self.end_lat, self.end_lon, self.port_code, self.confidence,
            self.algorithm_code)]
        out = []
        for (i, type_, mmsi, other, start, end, lat, lon, end_lat, end_lon, port, conf,
             algorithm) in zip(pos, *cols, strict=True):
            out.append({
                "event_id": self.event_id[i], "type": self.types[type_], "mmsi": mmsi,
                "other_mmsi": None if other == _NO_MMSI else other,
                "start_utc": _EPOCH + timedelta(microseconds=start),
                "end_utc": _EPOCH + timedelta(microseconds=end),
                "lat": _finite(lat), "lon": _finite(lon), "end_lat": _finite(end_lat),
                "end_lon": _finite(end_lon), "port": self.ports[port] if port >= 0 else None,
                "confidence": conf, "details": self.details[i],
                "algorithm": self.algorithms[algorithm]})
        return out

    def page_json(self, f: EventFilter) -> bytes:
        """One page of events as the JSON of :class:`EventsPage` (serialised directly:
        building a hundred response models would cost more than finding the events)."""
        hits = self.select(f)
        return orjson.dumps({"total": int(hits.size), "limit": f.limit, "offset": f.offset,
                             "items": self._rows(hits[f.offset:f.offset + f.limit])},
                            option=orjson.OPT_UTC_Z)

    def page(self, f: EventFilter) -> EventsPage:
        """One page as a (validated) model: :meth:`page_json` read back."""
        return EventsPage.model_validate_json(self.page_json(f))


def _finite(value: float) -> float | None:
    return None if math.isnan(value) else value

