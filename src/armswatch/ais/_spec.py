"""AIS message bit layouts declared as data (ITU-R M.1371-5, gpsd's AIVDM/AIVDO protocol notes).

One :class:`Layout` per message type (type 24 has one per part, and part B one per MMSI
kind) is a tuple of :class:`Field` in transmission order; the bit offsets are computed
from the widths. The same tuples drive the compiled decoder (they are turned into
offset/width tables), the pure-Python reference decoder, the encoder and the generated
documentation (``docs/ais.md``), so a layout is written once.

Physical value = raw / ``scale``; ``na`` is the raw "not available" sentinel, decoded
as ``None`` (null in tables). Field names follow the table columns where a column exists
(``sog_kn``, ``cog_deg``, ``heading_deg``, ``to_bow_m`` …).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    UINT = "uint"
    INT = "int"  # two's complement
    BOOL = "bool"
    TEXT = "text"  # 6-bit ASCII, cut at the first '@' (padding), spaces stripped
    ROT = "rot"  # rate of turn: signed raw, decoded as sign * (raw / 4.733) ** 2 deg/min
    SPARE = "spare"  # not decoded; encoded as zeros


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    width: int
    kind: Kind = Kind.UINT
    doc: str = ""
    scale: float = 1.0
    na: int | None = None
    variable: bool = False  # text of variable length at the end of the message (type 21)

    @property
    def is_value(self) -> bool:
        return self.kind is not Kind.SPARE


@dataclass(frozen=True, slots=True)
class Layout:
    """The bit layout of one message type (or one variant of it)."""

    key: str  # "1", "5", "24A", "24B", "24B_aux" …
    msg_type: int
    title: str
    fields: tuple[Field, ...]
    min_bits: int  # shortest payload decoded in full (shorter ones: trailing fields null)

    @property
    def bits(self) -> int:
        return sum(f.width for f in self.fields)

    def offsets(self) -> dict[str, tuple[int, Field]]:
        out: dict[str, tuple[int, Field]] = {}
        pos = 0
        for f in self.fields:
            out[f.name] = (pos, f)
            pos += f.width
        return out

    def value_fields(self) -> list[tuple[int, Field]]:
        """(start bit, field) of every decoded field, header included."""
        return [(s, f) for s, f in self.offsets().values() if f.is_value]


U, SI, B, T, R, S = Kind.UINT, Kind.INT, Kind.BOOL, Kind.TEXT, Kind.ROT, Kind.SPARE
LON_NA = 181 * 600_000
LAT_NA = 91 * 600_000

HEADER = (
    Field("msg_type", 6, U, "message type"),
    Field("repeat", 2, U, "repeat indicator"),
    Field("mmsi", 30, U, "MMSI of the sender"),
)


def _dims() -> tuple[Field, ...]:
    return (
        Field("to_bow_m", 9, U, "dimension A, antenna to bow (0 = n/a, 511 = 511 m or more)"),
        Field("to_stern_m", 9, U, "dimension B, antenna to stern"),
        Field("to_port_m", 6, U, "dimension C, antenna to port (63 = 63 m or more)"),
        Field("to_starboard_m", 6, U, "dimension D, antenna to starboard"),
    )


def _lonlat(scale: float = 600_000.0, lon_w: int = 28, lat_w: int = 27) -> tuple[Field, ...]:
    return (
        Field("lon", lon_w, SI, "longitude, degrees (181 = n/a)", scale, round(181 * scale)),
        Field("lat", lat_w, SI, "latitude, degrees (91 = n/a)", scale, round(91 * scale)),
    )


_POS_A = (
    *HEADER,
    Field("nav_status", 4, U, "navigational status (15 = undefined)"),
    Field("rot", 8, R, "rate of turn, deg/min (-128 = n/a, +-127 = turning, no sensor)", na=-128),
    Field("sog_kn", 10, U, "speed over ground, knots (102.3 = n/a)", 10.0, 1023),
    Field("accuracy", 1, B, "position accuracy (1 = high, < 10 m)"),
    *_lonlat(),
    Field("cog_deg", 12, U, "course over ground, degrees (360 = n/a)", 10.0, 3600),
    Field("heading_deg", 9, U, "true heading, degrees (511 = n/a)", na=511),
    Field("second", 6, U, "UTC second of the report (60 = n/a, 61-63 = system modes)", na=60),
    Field("maneuver", 2, U, "special manoeuvre indicator"),
    Field("spare", 3, S),
    Field("raim", 1, B, "RAIM in use"),
    Field("radio", 19, U, "radio (SOTDMA/ITDMA) status"),
)

_BASE = (
    *HEADER,
    Field("year", 14, U, "UTC year (0 = n/a)", na=0),
    Field("month", 4, U, "UTC month (0 = n/a)", na=0),
    Field("day", 5, U, "UTC day (0 = n/a)", na=0),
    Field("hour", 5, U, "UTC hour (24 = n/a)", na=24),
    Field("minute", 6, U, "UTC minute (60 = n/a)", na=60),
    Field("second", 6, U, "UTC second (60 = n/a)", na=60),
    Field("accuracy", 1, B, "position accuracy"),
    *_lonlat(),
    Field("epfd", 4, U, "type of position fixing device"),
    Field("spare", 10, S),
    Field("raim", 1, B, "RAIM in use"),
    Field("radio", 19, U, "SOTDMA radio status"),
)

_STATIC_5 = (
    *HEADER,
    Field("ais_version", 2, U, "AIS version (0 = ITU-R M.1371-1)"),
    Field("imo", 30, U, "IMO number (0 = n/a)", na=0),
    Field("callsign", 42, T, "call sign, 7 six-bit characters"),
    Field("name", 120, T, "vessel name, 20 six-bit characters"),
    Field("ship_type", 8, U, "ship and cargo type (0 = n/a)", na=0),
    *_dims(),
    Field("epfd", 4, U, "type of position fixing device"),
    Field("eta_month", 4, U, "ETA month (0 = n/a)", na=0),
    Field("eta_day", 5, U, "ETA day (0 = n/a)", na=0),
    Field("eta_hour", 5, U, "ETA hour (24 = n/a)", na=24),
    Field("eta_minute", 6, U, "ETA minute (60 = n/a)", na=60),
    Field("draught_m", 8, U, "maximum present static draught, metres (0 = n/a)", 10.0, 0),
    Field("destination", 120, T, "destination, 20 six-bit characters"),
    Field("dte", 1, B, "data terminal not ready"),
    Field("spare", 1, S),
)

_SAR_9 = (
    *HEADER,
    Field("alt_m", 12, U, "altitude, metres (4095 = n/a)", na=4095),
    Field("sog_kn", 10, U, "speed over ground, whole knots (1023 = n/a)", na=1023),
    Field("accuracy", 1, B, "position accuracy"),
    *_lonlat(),
    Field("cog_deg", 12, U, "course over ground, degrees (360 = n/a)", 10.0, 3600),
    Field("second", 6, U, "UTC second (60 = n/a)", na=60),
    Field("regional", 8, U, "regional reserved"),
    Field("dte", 1, B, "data terminal not ready"),
    Field("spare", 3, S),
    Field("assigned", 1, B, "assigned mode"),
    Field("raim", 1, B, "RAIM in use"),
    Field("radio", 20, U, "radio status"),
)

_CLASS_B_POS = (
    Field("regional_reserved", 8, U, "regional reserved"),
    Field("sog_kn", 10, U, "speed over ground, knots (102.3 = n/a)", 10.0, 1023),
    Field("accuracy", 1, B, "position accuracy"),
    Field("lon", 28, SI, "longitude, degrees (181 = n/a)", 600_000.0, LON_NA),
    Field("lat", 27, SI, "latitude, degrees (91 = n/a)", 600_000.0, LAT_NA),
    Field("cog_deg", 12, U, "course over ground, degrees (360 = n/a)", 10.0, 3600),
    Field("heading_deg", 9, U, "true heading, degrees (511 = n/a)", na=511),
    Field("second", 6, U, "UTC second (60 = n/a)", na=60),
)

_POS_B_18 = (
    *HEADER,
    *_CLASS_B_POS,
    Field("regional", 2, U, "regional reserved"),
    Field("cs_unit", 1, B, "carrier-sense unit"),
    Field("display", 1, B, "has a display"),
    Field("dsc", 1, B, "has DSC"),
    Field("band", 1, B, "can use the whole marine band"),
    Field("msg22", 1, B, "accepts channel management (message 22)"),
    Field("assigned", 1, B, "assigned mode"),
    Field("raim", 1, B, "RAIM in use"),
    Field("radio", 20, U, "radio status"),
)

_POS_B_19 = (
    *HEADER,
    *_CLASS_B_POS,
    Field("regional", 4, U, "regional reserved"),
    Field("name", 120, T, "vessel name"),
    Field("ship_type", 8, U, "ship and cargo type (0 = n/a)", na=0),
    *_dims(),
    Field("epfd", 4, U, "type of position fixing device"),
    Field("raim", 1, B, "RAIM in use"),
    Field("dte", 1, B, "data terminal not ready"),
    Field("assigned", 1, B, "assigned mode"),
    Field("spare", 4, S),
)

_ATON_21 = (
    *HEADER,
    Field("aid_type", 5, U, "aid-to-navigation type"),
    Field("name", 120, T, "name of the aid"),
    Field("accuracy", 1, B, "position accuracy"),
    *_lonlat(),
    *_dims(),
    Field("epfd", 4, U, "type of position fixing device"),
    Field("second", 6, U, "UTC second (60 = n/a)", na=60),
    Field("off_position", 1, B, "off position"),
    Field("regional", 8, U, "regional reserved"),
    Field("raim", 1, B, "RAIM in use"),
    Field("virtual_aid", 1, B, "virtual aid"),
    Field("assigned", 1, B, "assigned mode"),
    Field("spare", 1, S),
    Field("name_ext", 88, T, "name extension (0-14 characters)", variable=True),
)

_24_HEAD = (*HEADER, Field("part_num", 2, U, "part number (0 = A, 1 = B)"))
_24_B = (
    *_24_HEAD,
    Field("ship_type", 8, U, "ship and cargo type (0 = n/a)", na=0),
    Field("vendor_id", 18, T, "manufacturer id, 3 six-bit characters"),
    Field("model", 4, U, "unit model code"),
    Field("serial", 20, U, "serial number"),
    Field("callsign", 42, T, "call sign"),
)

_LONG_27 = (
    *HEADER,
    Field("accuracy", 1, B, "position accuracy"),
    Field("raim", 1, B, "RAIM in use"),
    Field("nav_status", 4, U, "navigational status"),
    *_lonlat(600.0, 18, 17),
    Field("sog_kn", 6, U, "speed over ground, whole knots (63 = n/a)", na=63),
    Field("cog_deg", 9, U, "course over ground, whole degrees (511 = n/a)", na=511),
    Field("gnss", 1, B, "position latency: 0 = current GNSS position, 1 = older"),
    Field("spare", 1, S),
)

_ALL = (
    Layout("1", 1, "Position report class A (scheduled)", _POS_A, 168),
    Layout("2", 2, "Position report class A (assigned)", _POS_A, 168),
    Layout("3", 3, "Position report class A (interrogated)", _POS_A, 168),
    Layout("4", 4, "Base station report", _BASE, 168),
    Layout("5", 5, "Static and voyage related data", _STATIC_5, 420),
    Layout("9", 9, "SAR aircraft position report", _SAR_9, 168),
    Layout("11", 11, "UTC/date response", _BASE, 168),
    Layout("18", 18, "Standard class B position report", _POS_B_18, 168),
    Layout("19", 19, "Extended class B position report", _POS_B_19, 312),
    Layout("21", 21, "Aid-to-navigation report", _ATON_21, 272),
    Layout(
        "24A",
        24,
        "Static data report, part A",
        (*_24_HEAD, Field("name", 120, T, "vessel name")),
        160,
    ),
    Layout("24B", 24, "Static data report, part B", (*_24_B, *_dims(), Field("spare", 6, S)), 162),
    Layout(
        "24B_aux",
        24,
        "Static data report, part B, auxiliary craft (MMSI 98xxxxxxx)",
        (*_24_B, Field("mothership_mmsi", 30, U, "MMSI of the mother ship"), Field("spare", 6, S)),
        162,
    ),
    Layout("27", 27, "Long range AIS broadcast (satellite)", _LONG_27, 96),
)

LAYOUTS: dict[str, Layout] = {lay.key: lay for lay in _ALL}
DECODED_TYPES: frozenset[int] = frozenset(lay.msg_type for lay in _ALL)
POSITION_TYPES: frozenset[int] = frozenset({1, 2, 3, 4, 9, 11, 18, 19, 21, 27})
STATIC_TYPES: frozenset[int] = frozenset({5, 19, 21, 24})


def is_auxiliary_mmsi(mmsi: int) -> bool:
    """MMSI 98MIDxxxx: craft associated with a parent ship (type 24 B carries its MMSI)."""
    return 980_000_000 <= mmsi <= 989_999_999


def layout_for(msg_type: int, part_num: int | None = None, mmsi: int | None = None) -> Layout:
    """The layout of a message; type 24 needs its part number (and the MMSI for part B)."""
    if msg_type == 24:
        if part_num == 0:
            return LAYOUTS["24A"]
        if part_num == 1:
            return LAYOUTS["24B_aux" if mmsi is not None and is_auxiliary_mmsi(mmsi) else "24B"]
        raise KeyError(f"type 24 part number {part_num!r} has no layout (0 = A, 1 = B)")
    return LAYOUTS[str(msg_type)]


# --- 6-bit armour and text ---------------------------------------------------------------

SIXBIT_TEXT = "@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !\"#$%&'()*+,-./0123456789:;<=>?"


def armour_char(v: int) -> str:
    """The payload character of a 6-bit value (0-63)."""
    return chr(v + 48 if v < 40 else v + 56)


def unarmour_char(c: str) -> int:
    """The 6-bit value of a payload character; -1 outside the armour alphabet."""
    o = ord(c)
    if 48 <= o <= 87:
        return o - 48
    if 96 <= o <= 119:
        return o - 56
    return -1


def decode_rot(raw: int) -> float:
    """Rate of turn in deg/min from its raw value (+-127: turning at more than 5 deg/30 s)."""
    v = (raw / 4.733) ** 2
    return math.copysign(v, raw) if raw else 0.0


def encode_rot(rot: float) -> int:
    raw = round(4.733 * math.sqrt(abs(rot)))
    return int(math.copysign(min(raw, 127), rot)) if raw else 0


def trim_text(s: str) -> str:
    """6-bit text as shown to people: cut at the first '@' (the padding), spaces stripped."""
    return s.partition("@")[0].strip(" ")
