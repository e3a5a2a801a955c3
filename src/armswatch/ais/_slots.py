"""The decoder's output plan, built from the spec: which decoded value lands in which row
of which typed buffer. Both sides read it — :mod:`._codegen` writes it into the C kernels
(``csrc/gen.h``) and :mod:`._decode` turns the filled buffers into Arrow columns — so the
two cannot disagree.

A *slot* is one decoded value that feeds a table column (or, like the base-station date
parts, is used to build one). Its storage class is the NumPy dtype of the buffer that
holds it (bool is stored as int8); ``slot_row`` is its row in that buffer, and the slot's
index is its row in the validity buffer. A layout without the field leaves it null.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from armswatch.ais._spec import LAYOUTS, POSITION_TYPES, STATIC_TYPES, Kind

LAYOUT_KEYS: tuple[str, ...] = tuple(LAYOUTS)
LID = {k: i for i, k in enumerate(LAYOUT_KEYS)}

# which tables a layout feeds (bit mask; 0 = the `other` table)
CAT_POSITION = 1
CAT_STATIC = 2

POSITION_SLOTS: tuple[tuple[str, pa.DataType], ...] = (
    ("mmsi", pa.int32()),
    ("lat", pa.float64()),
    ("lon", pa.float64()),
    ("sog_kn", pa.float32()),
    ("cog_deg", pa.float32()),
    ("heading_deg", pa.int16()),
    ("nav_status", pa.int8()),
    ("rot", pa.float32()),
    ("accuracy", pa.bool_()),
    ("second", pa.int8()),
    ("repeat", pa.int8()),
    ("raim", pa.bool_()),
    ("maneuver", pa.int8()),
    ("alt_m", pa.int16()),
)
# base station (4, 11) date and time, used for ts_utc when nothing else gives one
STATION_SLOTS: tuple[tuple[str, pa.DataType], ...] = (
    ("year", pa.int16()),
    ("month", pa.int8()),
    ("day", pa.int8()),
    ("hour", pa.int8()),
    ("minute", pa.int8()),
    ("second", pa.int8()),
)
# the last two are derived in C (bow + stern, port + starboard), not read from the payload
STATIC_SLOTS: tuple[tuple[str, pa.DataType], ...] = (
    ("mmsi", pa.int32()),
    ("imo", pa.int32()),
    ("ship_type", pa.int16()),
    ("to_bow_m", pa.int16()),
    ("to_stern_m", pa.int16()),
    ("to_port_m", pa.int16()),
    ("to_starboard_m", pa.int16()),
    ("draught_m", pa.float32()),
    ("eta_month", pa.int8()),
    ("eta_day", pa.int8()),
    ("eta_hour", pa.int8()),
    ("eta_minute", pa.int8()),
    ("part_num", pa.int8()),
    ("mothership_mmsi", pa.int32()),
    ("ais_version", pa.int8()),
    ("epfd", pa.int8()),
    ("dte", pa.bool_()),
    ("aid_type", pa.int8()),
    ("virtual_aid", pa.bool_()),
    ("off_position", pa.bool_()),
    ("repeat", pa.int8()),
    ("length_m", pa.int16()),
    ("width_m", pa.int16()),
)
# 6-bit text fields read by the kernel (name_ext is appended to name: type 21)
STATIC_TEXT_FIELDS: tuple[str, ...] = ("name", "callsign", "destination", "vendor_id", "name_ext")
# string columns of `statics` written by the kernel: (name, characters per row at most;
# 0 = as many as the message has, bounded by its payload)
STATIC_STRING_COLUMNS: tuple[tuple[str, int], ...] = (
    ("name", 0),
    ("callsign", 7),
    ("destination", 20),
    ("vendor_id", 3),
    ("eta", 11),
)

# storage classes of the kernels' typed outputs
CLASS_DTYPES: tuple[type[np.generic], ...] = (np.float64, np.float32, np.int32, np.int16, np.int8)
CLASS_CTYPES: tuple[str, ...] = ("double", "float", "int32_t", "int16_t", "int8_t")
CLASS_NAMES: tuple[str, ...] = ("f64", "f32", "i32", "i16", "i8")
CLASS_OF: dict[pa.DataType, int] = {
    pa.float64(): 0,
    pa.float32(): 1,
    pa.int32(): 2,
    pa.int16(): 3,
    pa.int8(): 4,
    pa.bool_(): 4,
}

# columns every table takes from the framed message, in typed buffers of their own
COMMON_I64: tuple[str, ...] = ("ts", "line")
COMMON_I32: tuple[str, ...] = ("src",)
COMMON_I8: tuple[str, ...] = ("tssrc", "own", "csok", "type")


@dataclass(frozen=True)
class Plan:
    """Where each slot of one table lives in the typed buffers."""

    slots: tuple[tuple[str, pa.DataType], ...]
    slot_cls: tuple[int, ...]  # storage class of each slot (index into CLASS_DTYPES)
    slot_row: tuple[int, ...]  # row of the slot in its class's buffer
    class_rows: tuple[int, ...]  # rows per class

    def index(self, name: str) -> int:
        return [n for n, _t in self.slots].index(name)


def plan(slots: tuple[tuple[str, pa.DataType], ...]) -> Plan:
    seen = [0] * len(CLASS_DTYPES)
    cls, row = [], []
    for _name, typ in slots:
        c = CLASS_OF[typ]
        cls.append(c)
        row.append(seen[c])
        seen[c] += 1
    return Plan(slots, tuple(cls), tuple(row), tuple(seen))


POSITION_PLAN = plan(POSITION_SLOTS)
STATION_PLAN = plan(STATION_SLOTS)
STATIC_PLAN = plan(STATIC_SLOTS)


def layout_categories() -> list[int]:
    """Per layout id: the tables it feeds (CAT_* bits)."""
    out = []
    for key in LAYOUT_KEYS:
        t = LAYOUTS[key].msg_type
        out.append((CAT_POSITION if t in POSITION_TYPES else 0)
                   | (CAT_STATIC if t in STATIC_TYPES else 0))
    return out


def type_layouts() -> list[int]:
    """Message type (0-63) -> layout id; -1: no layout; type 24 is chosen by its part."""
    out = [-1] * 64
    for key, lay in LAYOUTS.items():
        if not key.startswith("24"):
            out[lay.msg_type] = LID[key]
    return out


def numeric_fields(key: str, slots: tuple[tuple[str, pa.DataType], ...]) -> list[tuple[int, int]]:
    """(slot index, start bit) of the numeric slots layout ``key`` carries."""
    offs = LAYOUTS[key].offsets()
    out = []
    for si, (name, _t) in enumerate(slots):
        if name in offs and offs[name][1].kind not in (Kind.TEXT, Kind.SPARE):
            out.append((si, offs[name][0]))
    return out
