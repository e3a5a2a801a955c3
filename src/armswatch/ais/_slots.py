"""Output slots of the decoder and the lookup tables the kernels read, built from the spec.

A slot is one decoded value that lands in a table column (or is used to build one, like
the base-station date parts). For each layout and slot the tables hold where the field
sits in the message; a layout without the field has width 0 and gives null.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pyarrow as pa

from armswatch.ais._spec import LAYOUTS, POSITION_TYPES, STATIC_TYPES, Kind

LAYOUT_KEYS: tuple[str, ...] = tuple(LAYOUTS)
LID = {k: i for i, k in enumerate(LAYOUT_KEYS)}

# numeric slots: (field name in the spec, Arrow type of the column it feeds)
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
    # base station (4, 11) date and time, used for ts_utc when nothing else gives one
    ("year", pa.int16()),
    ("month", pa.int8()),
    ("day", pa.int8()),
    ("hour", pa.int8()),
    ("minute", pa.int8()),
)
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
)
STATIC_TEXT_SLOTS: tuple[str, ...] = ("name", "callsign", "destination", "vendor_id", "name_ext")

STATION_TIME_TYPES = frozenset({4, 11})


@dataclass(frozen=True)
class NumericTables:
    start: np.ndarray
    width: np.ndarray
    signed: np.ndarray
    has_na: np.ndarray
    na: np.ndarray
    scale: np.ndarray
    is_rot: np.ndarray


@dataclass(frozen=True)
class TextTables:
    start: np.ndarray
    chars: np.ndarray
    max_chars: int


def _layout_ids_for(types: frozenset[int]) -> set[int]:
    return {LID[k] for k, lay in LAYOUTS.items() if lay.msg_type in types}


def numeric_tables(slots: tuple[tuple[str, pa.DataType], ...]) -> NumericTables:
    nl, ns = len(LAYOUT_KEYS), len(slots)
    t = NumericTables(
        start=np.zeros((nl, ns), np.int64),
        width=np.zeros((nl, ns), np.int64),
        signed=np.zeros((nl, ns), np.bool_),
        has_na=np.zeros((nl, ns), np.bool_),
        na=np.zeros((nl, ns), np.int64),
        scale=np.ones((nl, ns), np.float64),
        is_rot=np.zeros((nl, ns), np.bool_),
    )
    for li, key in enumerate(LAYOUT_KEYS):
        offs = LAYOUTS[key].offsets()
        for si, (name, _type) in enumerate(slots):
            if name not in offs:
                continue
            start, f = offs[name]
            if f.kind in (Kind.TEXT, Kind.SPARE):
                continue
            t.start[li, si] = start
            t.width[li, si] = f.width
            t.signed[li, si] = f.kind in (Kind.INT, Kind.ROT)
            t.has_na[li, si] = f.na is not None
            t.na[li, si] = f.na if f.na is not None else 0
            t.scale[li, si] = f.scale
            t.is_rot[li, si] = f.kind is Kind.ROT
    return t


def text_tables(slots: tuple[str, ...]) -> TextTables:
    nl, ns = len(LAYOUT_KEYS), len(slots)
    start = np.zeros((nl, ns), np.int64)
    chars = np.zeros((nl, ns), np.int64)
    max_chars = 1
    for li, key in enumerate(LAYOUT_KEYS):
        offs = LAYOUTS[key].offsets()
        for si, name in enumerate(slots):
            if name in offs:
                s, f = offs[name]
                start[li, si] = s
                chars[li, si] = -1 if f.variable else f.width // 6
                max_chars = max(max_chars, f.width // 6)
    return TextTables(start, chars, max_chars)


@dataclass(frozen=True)
class Tables:
    type_lid: np.ndarray  # message type -> layout id (-1: none; 24 is chosen by part)
    lid_24a: int
    lid_24b: int
    lid_24b_aux: int
    is_position_layout: np.ndarray
    is_static_layout: np.ndarray
    min_bits: np.ndarray
    position: NumericTables
    static: NumericTables
    text: TextTables


@cache
def tables() -> Tables:
    """Every table the decoder needs, built once per process."""
    type_lid = np.full(64, -1, np.int64)
    for key, lay in LAYOUTS.items():
        if not key.startswith("24"):
            type_lid[lay.msg_type] = LID[key]
    pos_l = np.zeros(len(LAYOUT_KEYS), np.bool_)
    pos_l[sorted(_layout_ids_for(POSITION_TYPES))] = True
    sta_l = np.zeros(len(LAYOUT_KEYS), np.bool_)
    sta_l[sorted(_layout_ids_for(STATIC_TYPES))] = True
    return Tables(
        type_lid=type_lid,
        lid_24a=LID["24A"],
        lid_24b=LID["24B"],
        lid_24b_aux=LID["24B_aux"],
        is_position_layout=pos_l,
        is_static_layout=sta_l,
        min_bits=np.array([LAYOUTS[k].min_bits for k in LAYOUT_KEYS], np.int64),
        position=numeric_tables(POSITION_SLOTS),
        static=numeric_tables(STATIC_SLOTS),
        text=text_tables(STATIC_TEXT_SLOTS),
    )
