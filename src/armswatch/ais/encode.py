"""Encode AIS messages as NMEA sentences (for the scenario simulator and for tests).

Driven by the same layouts as the decoder (:mod:`armswatch.ais._spec`), so what is
encoded here decodes back to the same values (up to the resolution of each field).

>>> payload, fill = encode_payload(1, {"mmsi": 273_000_001, "lon": 131.9, "lat": 43.1,
...                                    "sog_kn": 11.5, "cog_deg": 90.0})
>>> to_sentences(payload, fill)[0][:16]
'!AIVDM,1,1,,A,14'

Values are physical (degrees, knots, metres); ``None`` or a missing key means "not
available" and is written as the field's sentinel (lon 181, sog 102.3, heading 511 …);
fields without a sentinel default to 0 (text to empty). Unknown field names, values out
of range and characters outside the 6-bit alphabet raise :class:`AisEncodeError`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, datetime

from armswatch.ais._spec import (
    SIXBIT_TEXT,
    Field,
    Kind,
    Layout,
    armour_char,
    encode_rot,
    is_auxiliary_mmsi,
    layout_for,
)
from armswatch.errors import ArmswatchError

__all__ = [
    "MAX_PART_CHARS",
    "AisEncodeError",
    "encode_payload",
    "nmea_checksum",
    "to_sentences",
    "with_tag_block",
]

MAX_PART_CHARS = 60
_TEXT_CODE = {c: i for i, c in enumerate(SIXBIT_TEXT)}


class AisEncodeError(ArmswatchError, ValueError):
    """A value cannot be encoded (unknown field, out of range, bad character)."""


def nmea_checksum(body: str) -> str:
    """XOR of the characters between the start delimiter and '*', as two hex digits."""
    cs = 0
    for ch in body.encode("ascii"):
        cs ^= ch
    return f"{cs:02X}"


def _select_layout(msg_type: int, fields: Mapping[str, object]) -> Layout:
    if "msg_type" in fields and fields["msg_type"] != msg_type:
        raise AisEncodeError(f"fields say msg_type={fields['msg_type']!r} but {msg_type} asked")
    part = fields.get("part_num")
    mmsi = fields.get("mmsi")
    if msg_type == 24:
        if part not in (0, 1):
            raise AisEncodeError("type 24 needs part_num 0 (part A) or 1 (part B)")
        if (
            part == 1
            and fields.get("mothership_mmsi") is not None
            and not (isinstance(mmsi, int) and is_auxiliary_mmsi(mmsi))
        ):
            raise AisEncodeError(
                "mothership_mmsi is only sent by auxiliary craft (MMSI 98xxxxxxx); "
                "give dimensions for other vessels"
            )
    try:
        return layout_for(
            msg_type,
            part if isinstance(part, int) else None,
            mmsi if isinstance(mmsi, int) else None,
        )
    except KeyError:
        raise AisEncodeError(f"message type {msg_type} has no layout to encode") from None


def _text_bits(field: Field, value: object, nchars: int) -> int:
    if not isinstance(value, str):
        raise AisEncodeError(f"{field.name}: expected text, got {value!r}")
    text = value.upper()
    if len(text) > nchars:
        raise AisEncodeError(f"{field.name}: {len(text)} characters, at most {nchars} fit")
    acc = 0
    for ch in text.ljust(nchars, "@"):
        code = _TEXT_CODE.get(ch)
        if code is None:
            raise AisEncodeError(f"{field.name}: {ch!r} is not in the AIS 6-bit alphabet")
        acc = (acc << 6) | code
    return acc


def _raw(field: Field, value: object) -> int:
    """The raw (unsigned, width-bit) value of one numeric field."""
    if field.kind is Kind.SPARE:
        return 0
    if value is None:
        raw = field.na if field.na is not None else 0
    elif field.kind is Kind.BOOL:
        raw = 1 if value else 0
    elif field.kind is Kind.ROT:
        if not isinstance(value, int | float) or math.isnan(value):
            raise AisEncodeError(f"{field.name}: expected a number, got {value!r}")
        raw = encode_rot(float(value))
    else:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise AisEncodeError(f"{field.name}: expected a number, got {value!r}")
        if isinstance(value, float) and not math.isfinite(value):
            raise AisEncodeError(f"{field.name}: {value!r} is not a finite number")
        raw = round(value * field.scale) if field.scale != 1.0 else round(value)
    signed = field.kind in (Kind.INT, Kind.ROT)
    lo, hi = (
        (-(1 << (field.width - 1)), (1 << (field.width - 1)) - 1)
        if signed
        else (0, (1 << field.width) - 1)
    )
    if not lo <= raw <= hi:
        raise AisEncodeError(
            f"{field.name}: {value!r} is outside the {field.width}-bit range of the field"
        )
    return raw & ((1 << field.width) - 1)


def encode_payload(msg_type: int, fields: Mapping[str, object]) -> tuple[str, int]:
    """Encode one message; returns the armoured 6-bit payload and its number of fill bits."""
    layout = _select_layout(msg_type, fields)
    known = {f.name for f in layout.fields if f.is_value}
    unknown = sorted(set(fields) - known)
    if unknown:
        raise AisEncodeError(
            f"type {layout.key}: unknown field(s) {', '.join(unknown)}; "
            f"known: {', '.join(sorted(known))}"
        )
    acc = 0
    nbits = 0
    for f in layout.fields:
        value = fields.get(f.name)
        if f.name == "msg_type":
            value = msg_type
        if f.variable:
            text = value if value is not None else ""
            nchars = len(text) if isinstance(text, str) else 0
            width = 6 * nchars
            acc = (acc << width) | (_text_bits(f, text, nchars) if nchars else 0)
            nbits += width
            pad = (-nbits) % 8  # ITU: spare bits up to the byte boundary
            acc <<= pad
            nbits += pad
            continue
        if f.kind is Kind.TEXT:
            raw = _text_bits(f, "" if value is None else value, f.width // 6)
        else:
            raw = _raw(f, value)
        acc = (acc << f.width) | raw
        nbits += f.width
    fill = (-nbits) % 6
    acc <<= fill
    nchars = (nbits + fill) // 6
    chars = [armour_char((acc >> (6 * (nchars - 1 - i))) & 63) for i in range(nchars)]
    return "".join(chars), fill


def to_sentences(
    payload: str,
    fill_bits: int,
    *,
    talker: str = "AIVDM",
    channel: str = "A",
    seq_id: int | None = None,
) -> list[str]:
    """Wrap a payload in ``!AIVDM`` sentences with checksums, split into parts of at most
    60 payload characters; a multi-part message needs a sequence id (0-9)."""
    if not (len(talker) == 5 and talker.isalpha() and talker.upper().endswith(("VDM", "VDO"))):
        raise AisEncodeError(f"talker {talker!r}: expected two letters + VDM or VDO, e.g. AIVDM")
    if not 0 <= fill_bits <= 5:
        raise AisEncodeError(f"fill bits {fill_bits}: expected 0-5")
    if channel not in ("A", "B", "1", "2", ""):
        raise AisEncodeError(f"channel {channel!r}: expected A, B, 1, 2 or empty")
    if not payload:
        raise AisEncodeError("empty payload")
    parts = [payload[i : i + MAX_PART_CHARS] for i in range(0, len(payload), MAX_PART_CHARS)]
    if len(parts) > 9:
        raise AisEncodeError(f"payload of {len(payload)} characters needs more than 9 sentences")
    if len(parts) > 1 and seq_id is None:
        raise AisEncodeError(f"payload needs {len(parts)} sentences: give seq_id (0-9)")
    if seq_id is not None and not 0 <= seq_id <= 9:
        raise AisEncodeError(f"seq_id {seq_id}: expected 0-9")
    seq = "" if seq_id is None else str(seq_id)
    out = []
    for i, chunk in enumerate(parts, start=1):
        fill = fill_bits if i == len(parts) else 0
        body = f"{talker.upper()},{len(parts)},{i},{seq},{channel},{chunk},{fill}"
        out.append(f"!{body}*{nmea_checksum(body)}")
    return out


def _tag_time(ts_utc: float | datetime) -> str:
    if isinstance(ts_utc, datetime):
        if ts_utc.tzinfo is None:  # naive: taken as UTC, like every armswatch timestamp
            ts_utc = ts_utc.replace(tzinfo=UTC)
        ts_utc = ts_utc.timestamp()
    if isinstance(ts_utc, bool) or not isinstance(ts_utc, int | float) or not math.isfinite(ts_utc):
        raise AisEncodeError(f"ts_utc {ts_utc!r}: expected Unix seconds or a datetime")
    if ts_utc < 0:
        raise AisEncodeError(f"ts_utc {ts_utc!r}: before 1970")
    if float(ts_utc).is_integer():
        return str(int(ts_utc))
    return str(round(ts_utc * 1000))  # milliseconds (13 digits), as several providers write


def with_tag_block(
    sentence: str,
    *,
    ts_utc: float | datetime | None = None,
    source: str | None = None,
    group: tuple[int, int, int] | None = None,
) -> str:
    """Prefix an NMEA 4.10 tag block ``\\s:source,c:time,g:part-total-id*hh\\``.

    ``ts_utc`` is written in whole seconds when it has no fraction, else in milliseconds;
    ``group`` is (part number, total parts, group id) of a multi-part message.
    """
    items: list[str] = []
    if source is not None:
        if not source or any(c in source for c in ",*\\!$\r\n"):
            raise AisEncodeError(f"tag block source {source!r}: empty or has , * \\ ! $")
        items.append(f"s:{source}")
    if ts_utc is not None:
        items.append(f"c:{_tag_time(ts_utc)}")
    if group is not None:
        part, total, gid = group
        if not (1 <= part <= total <= 99 and gid >= 0):
            raise AisEncodeError(f"group {group!r}: expected (part, total, id), 1 <= part <= total")
        items.append(f"g:{part}-{total}-{gid}")
    if not items:
        return sentence
    body = ",".join(items)
    return f"\\{body}*{nmea_checksum(body)}\\{sentence}"
