"""Parsed filters, and pure query builders for tracks: SQL text with bound parameters.

Nothing here touches a connection, so every filter combination is testable as text and
no caller value ever reaches SQL except as a bound parameter. The SQL is DuckDB's
dialect; the provider runs it over the positions' Parquet files. Events are filtered in
memory (:mod:`armswatch.api._events`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

BBox = tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat (degrees)


@dataclass(frozen=True, slots=True)
class Sql:
    text: str
    params: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class EventFilter:
    types: tuple[str, ...] = ()
    start_utc: datetime | None = None  # events ending at or after
    end_utc: datetime | None = None  # events starting at or before
    bbox: BBox | None = None  # start or end position inside
    mmsis: tuple[int, ...] | None = None  # None: any; () matches nothing
    port: str | None = None
    min_confidence: float | None = None
    limit: int = 100
    offset: int = 0


@dataclass(frozen=True, slots=True)
class TrackFilter:
    start_utc: datetime | None = None
    end_utc: datetime | None = None
    bbox: BBox | None = None
    mmsis: tuple[int, ...] | None = None
    max_points: int = 20_000


def parse_bbox(text: str) -> BBox:
    """``min_lon,min_lat,max_lon,max_lat``; min_lon > max_lon crosses the antimeridian."""
    parts = text.split(",")
    if len(parts) != 4:
        raise ValueError("bbox needs four numbers: min_lon,min_lat,max_lon,max_lat")
    try:
        a, b, c, d = (float(p) for p in parts)
    except ValueError:
        raise ValueError("bbox values must be numbers (degrees)") from None
    if not all(math.isfinite(v) for v in (a, b, c, d)):
        raise ValueError("bbox values must be finite")
    if not (-180 <= a <= 180 and -180 <= c <= 180 and -90 <= b <= 90 and -90 <= d <= 90):
        raise ValueError("bbox out of range: longitudes -180..180, latitudes -90..90")
    if b > d:
        raise ValueError("bbox min_lat is above max_lat")
    return (a, b, c, d)


def _in_bbox(lon: str, lat: str, bbox: BBox, params: list[Any]) -> str:
    a, b, c, d = bbox
    params += [b, d]
    lat_ok = f"{lat} BETWEEN ? AND ?"
    if a <= c:
        params += [a, c]
        lon_ok = f"{lon} BETWEEN ? AND ?"
    else:  # crosses the antimeridian
        params += [a, c]
        lon_ok = f"({lon} >= ? OR {lon} <= ?)"
    return f"({lat_ok} AND {lon_ok})"


def _in_list(column: str, values: tuple[Any, ...], params: list[Any]) -> str:
    if not values:
        return "FALSE"
    params += list(values)
    return f"{column} IN ({', '.join('?' for _ in values)})"


def _window(start_col: str, end_col: str, start: datetime | None, end: datetime | None,
            conds: list[str], params: list[Any]) -> None:
    """Rows overlapping [start, end]: ending at or after start, starting at or before end."""
    if start is not None:
        conds.append(f"{end_col} >= ?")
        params.append(start)
    if end is not None:
        conds.append(f"{start_col} <= ?")
        params.append(end)


def _track_where(f: TrackFilter) -> Sql:
    conds = ["lat IS NOT NULL", "lon IS NOT NULL"]
    params: list[Any] = []
    _window("ts_utc", "ts_utc", f.start_utc, f.end_utc, conds, params)
    if f.bbox is not None:
        conds.append(_in_bbox("lon", "lat", f.bbox, params))
    if f.mmsis is not None:
        conds.append(_in_list("mmsi", f.mmsis, params))
    return Sql(" AND ".join(conds), tuple(params))


def track_extent(f: TrackFilter, table: str = "positions") -> Sql:
    """First and last time, vessels and points matching a track filter."""
    where = _track_where(f)
    return Sql(
        f"SELECT MIN(ts_utc), MAX(ts_utc), COUNT(DISTINCT mmsi), COUNT(*) FROM {table} "
        f"WHERE {where.text}",
        where.params,
    )


def track_step_s(first: datetime | None, last: datetime | None, vessels: int, points: int,
                 max_points: int) -> int:
    """Seconds between kept points so that about ``max_points`` points come back."""
    if first is None or last is None or points <= max_points:
        return 1
    span_s = max((last - first).total_seconds(), 1.0)
    return max(1, math.ceil(span_s * max(vessels, 1) / max_points))


def tracks(f: TrackFilter, step_s: int, table: str = "positions") -> Sql:
    """One point (the first) per vessel per ``step_s`` seconds, oldest first."""
    where = _track_where(f)
    return Sql(
        "SELECT mmsi, MIN(ts_utc) AS ts, arg_min(lon, ts_utc) AS lon, "
        "arg_min(lat, ts_utc) AS lat "
        f"FROM {table} WHERE {where.text} "
        "GROUP BY mmsi, CAST(FLOOR(epoch(ts_utc) / ?) AS BIGINT) ORDER BY mmsi, ts",
        (*where.params, step_s),
    )
