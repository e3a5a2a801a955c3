"""Pure-Python decoder of one payload, driven by the layouts in :mod:`._spec`.

Slow (microseconds per message) but simple: the reference the compiled decoder and the
encoder are tested against, and a convenience for looking at a single message.
"""

from __future__ import annotations

from armswatch.ais._spec import SIXBIT_TEXT, Kind, decode_rot, layout_for, trim_text, unarmour_char

Decoded = dict[str, object]


class PayloadError(ValueError):
    """The payload is not valid 6-bit armour or too short to hold a message type."""


def payload_bits(payload: str, fill_bits: int) -> tuple[int, int]:
    """The payload as one integer and its length in bits."""
    acc = 0
    for ch in payload:
        v = unarmour_char(ch)
        if v < 0:
            raise PayloadError(f"character {ch!r} is outside the 6-bit armour alphabet")
        acc = (acc << 6) | v
    if not 0 <= fill_bits <= 5:
        raise PayloadError(f"fill bits {fill_bits}: expected 0-5")
    nbits = 6 * len(payload) - fill_bits
    if nbits < 6:
        raise PayloadError("payload too short for a message type")
    return acc >> fill_bits, nbits


def _bits(acc: int, nbits: int, start: int, width: int) -> int:
    return (acc >> (nbits - start - width)) & ((1 << width) - 1)


def _text(acc: int, nbits: int, start: int, nchars: int) -> str:
    return "".join(SIXBIT_TEXT[_bits(acc, nbits, start + 6 * i, 6)] for i in range(nchars))


def decode_payload(payload: str, fill_bits: int = 0) -> Decoded:
    """Decode one (reassembled) payload into a dict of physical values (None = n/a).

    Types without a layout give ``{"msg_type": t, "mmsi": m}`` only. Fields that do not
    fit in a short payload are None; of a text field, the whole characters that fit are
    kept; text that is empty after trimming is None.
    """
    acc, nbits = payload_bits(payload, fill_bits)
    msg_type = _bits(acc, nbits, 0, 6)
    mmsi = _bits(acc, nbits, 8, 30) if nbits >= 38 else None
    part = _bits(acc, nbits, 38, 2) if nbits >= 40 else None
    try:
        layout = layout_for(msg_type, part, mmsi)
    except KeyError:
        return {"msg_type": msg_type, "mmsi": mmsi}
    out: Decoded = {}
    for start, f in layout.value_fields():
        avail = nbits - start
        if f.kind is Kind.TEXT:
            nchars = min(f.width // 6, max(avail, 0) // 6)
            out[f.name] = trim_text(_text(acc, nbits, start, nchars)) or None
            continue
        if avail < f.width:
            out[f.name] = None
            continue
        raw = _bits(acc, nbits, start, f.width)
        if f.kind in (Kind.INT, Kind.ROT) and raw >= 1 << (f.width - 1):
            raw -= 1 << f.width
        if f.na is not None and raw == f.na:
            out[f.name] = None
        elif f.kind is Kind.BOOL:
            out[f.name] = bool(raw)
        elif f.kind is Kind.ROT:
            out[f.name] = decode_rot(raw)
        elif f.scale != 1.0:
            out[f.name] = raw / f.scale
        else:
            out[f.name] = raw
    return out
