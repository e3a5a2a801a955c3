"""Columnar table layouts shared by AIS ingest, detectors, the Spark path and the API.

Declared as data: each column has an Arrow type and a description (the docs are
generated from these tuples). Units are in column names (``_kn``, ``_deg``, ``_m``,
``_utc``). Timestamps are UTC microseconds, which DuckDB, Spark and Parquet all read
natively. Nulls mean "not available" (AIS sentinel values such as lon=181 are never
stored as numbers).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

TS = pa.timestamp("us", tz="UTC")


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: pa.DataType
    doc: str
    nullable: bool = True


def _schema(cols: tuple[Column, ...]) -> pa.Schema:
    return pa.schema([pa.field(c.name, c.type, nullable=c.nullable) for c in cols])


POSITION_COLUMNS: tuple[Column, ...] = (
    Column("mmsi", pa.int32(), "Maritime Mobile Service Identity of the sender", False),
    Column("ts_utc", TS, "reception time (tag block c:, receiver stamp) or event time", True),
    Column("lat", pa.float64(), "latitude, degrees WGS84; null when not available (91)"),
    Column("lon", pa.float64(), "longitude, degrees WGS84; null when not available (181)"),
    Column("sog_kn", pa.float32(), "speed over ground, knots; null when 102.3 (n/a)"),
    Column("cog_deg", pa.float32(), "course over ground, degrees; null when 360 (n/a)"),
    Column("heading_deg", pa.int16(), "true heading, degrees; null when 511 (n/a)"),
    Column("nav_status", pa.int8(), "navigational status 0-15; null for class B"),
    Column("rot", pa.float32(), "rate of turn, degrees/minute (decoded); null when n/a"),
    Column("accuracy", pa.bool_(), "position accuracy flag (True = high, < 10 m)"),
    Column("msg_type", pa.int8(), "AIS message type (1,2,3,4,9,18,19,21,27)", False),
    Column("source", pa.string(), "receiver / station id (tag block s:) or input file name"),
)

STATIC_COLUMNS: tuple[Column, ...] = (
    Column("mmsi", pa.int32(), "MMSI of the sender", False),
    Column("ts_utc", TS, "reception time"),
    Column("msg_type", pa.int8(), "5, 19, 21 or 24", False),
    Column("imo", pa.int32(), "IMO number; null when 0 or absent"),
    Column("name", pa.string(), "vessel name, 6-bit text trimmed of '@' and spaces"),
    Column("callsign", pa.string(), "call sign"),
    Column("ship_type", pa.int16(), "ship and cargo type code (0-99); null when 0"),
    Column("to_bow_m", pa.int16(), "dimension A: antenna to bow, metres"),
    Column("to_stern_m", pa.int16(), "dimension B: antenna to stern, metres"),
    Column("to_port_m", pa.int16(), "dimension C: antenna to port side, metres"),
    Column("to_starboard_m", pa.int16(), "dimension D: antenna to starboard, metres"),
    Column("draught_m", pa.float32(), "static draught, metres; null when 0"),
    Column("destination", pa.string(), "destination as typed by the crew"),
    Column("eta", pa.string(), "ETA as 'MM-DDTHH:MM' (AIS has no year); null when n/a"),
    Column("source", pa.string(), "receiver / station id or input file name"),
)

EVENT_COLUMNS: tuple[Column, ...] = (
    Column("event_id", pa.string(), "stable id: hash of type, vessels and start", False),
    Column("type", pa.string(), "detector event type, e.g. ais_gap, encounter", False),
    Column("mmsi", pa.int32(), "vessel", False),
    Column("other_mmsi", pa.int32(), "second vessel (encounters), else null"),
    Column("start_utc", TS, "event start", False),
    Column("end_utc", TS, "event end", False),
    Column("lat", pa.float64(), "latitude where the event starts"),
    Column("lon", pa.float64(), "longitude where the event starts"),
    Column("end_lat", pa.float64(), "latitude where the event ends"),
    Column("end_lon", pa.float64(), "longitude where the event ends"),
    Column("port", pa.string(), "port id when a port is involved, else null"),
    Column("confidence", pa.float64(), "0-1", False),
    Column("details", pa.string(), "JSON object with detector-specific facts"),
    Column("algorithm", pa.string(), "detector name@version that produced the event", False),
)

POSITIONS_SCHEMA = _schema(POSITION_COLUMNS)
STATICS_SCHEMA = _schema(STATIC_COLUMNS)
EVENTS_SCHEMA = _schema(EVENT_COLUMNS)


def markdown_table(cols: tuple[Column, ...]) -> str:
    """Render a column spec as a Markdown table (used to generate docs)."""
    rows = ["| column | type | meaning |", "|---|---|---|"]
    rows += [f"| `{c.name}` | {c.type} | {c.doc} |" for c in cols]
    return "\n".join(rows)
