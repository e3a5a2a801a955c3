"""Layout of segmented tracks (positions with their thread, segment and step facts)."""

from __future__ import annotations

import pyarrow as pa

from armswatch.model.tables import TS, Column

TRACK_COLUMNS: tuple[Column, ...] = (
    Column("mmsi", pa.int32(), "MMSI", False),
    Column("ts_utc", TS, "time of the position", False),
    Column("t_s", pa.float64(), "the same time, Unix seconds (portable SQL arithmetic)", False),
    Column("lat", pa.float64(), "latitude, degrees", False),
    Column("lon", pa.float64(), "longitude, degrees", False),
    Column("sog_kn", pa.float32(), "reported speed over ground, knots"),
    Column("nav_status", pa.int8(), "navigational status"),
    Column("track", pa.int32(), "identity thread within the MMSI (ships sharing it)", False),
    Column("segment", pa.int32(), "segment number within the MMSI (gap or jump splits)", False),
    Column("point", pa.int32(), "index of the position within its thread", False),
    Column("dup", pa.bool_(), "exact repeat of the previous fix (other receiver)", False),
    Column("late", pa.bool_(), "arrived after a later-stamped position of the MMSI", False),
    Column("jump", pa.bool_(), "unreachable from the MMSI's last fix (impossible speed)", False),
    Column("on_land", pa.bool_(), "inland: land cell with no water within the margin", False),
    Column("jump_m", pa.float64(), "distance of the impossible jump from the MMSI's last fix"),
    Column("jump_kn", pa.float32(), "implied speed of that jump, knots (time floored at 1 s)"),
    Column("prev_t_s", pa.float64(), "time of the thread's previous position, Unix seconds"),
    Column("prev_lat", pa.float64(), "latitude of the thread's previous position"),
    Column("prev_lon", pa.float64(), "longitude of the thread's previous position"),
    Column("dist_m", pa.float64(), "distance from the thread's previous position, metres"),
    Column("implied_kn", pa.float32(), "distance / time from the previous position, knots"),
    Column("speed_kn", pa.float32(), "reported speed, else implied speed, knots"),
)

TRACK_SCHEMA = pa.schema([pa.field(c.name, c.type, nullable=c.nullable) for c in TRACK_COLUMNS])
