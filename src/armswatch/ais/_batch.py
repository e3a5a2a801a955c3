"""Vectorised encoder: columns of values → NMEA lines, millions per second.

For simulations and benchmarks that need many single-sentence messages of one numeric
layout (types 1, 2, 3, 4, 9, 18, 27). Same spec, same conversions and sentinels as
:func:`armswatch.ais.encode.encode_payload`: NaN (or a missing column) means "not
available".
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from armswatch.ais._native import lib
from armswatch.ais._spec import Kind, layout_for
from armswatch.ais.encode import AisEncodeError


def _raw_column(
    name: str, values: np.ndarray, width: int, kind: Kind, scale: float, na: int | None
) -> np.ndarray:
    v = np.asarray(values, dtype=np.float64)
    missing = np.isnan(v)
    if missing.any() and na is None and kind is not Kind.BOOL:
        raise AisEncodeError(f"{name}: has no 'not available' value; NaN cannot be encoded")
    if kind is Kind.BOOL:
        raw = (np.nan_to_num(v) != 0).astype(np.int64)
    elif kind is Kind.ROT:
        r = np.rint(4.733 * np.sqrt(np.abs(np.nan_to_num(v))))
        raw = (np.sign(v) * np.minimum(r, 127)).astype(np.int64)
    else:
        raw = np.rint(np.nan_to_num(v) * scale).astype(np.int64)
    if na is not None:
        raw[missing] = na
    signed = kind in (Kind.INT, Kind.ROT)
    lo, hi = (-(1 << (width - 1)), (1 << (width - 1)) - 1) if signed else (0, (1 << width) - 1)
    bad = (raw < lo) | (raw > hi)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise AisEncodeError(f"{name}: row {first} value {v[first]!r} is outside the field")
    out: np.ndarray = raw & ((1 << width) - 1)
    return out


def encode_batch(
    msg_type: int,
    columns: Mapping[str, np.ndarray],
    *,
    ts_utc: np.ndarray | None = None,
    source: str | None = None,
    talker: str = "AIVDM",
    channel: str = "A",
) -> bytes:
    """Encode n messages of one single-sentence numeric layout as NMEA lines.

    ``columns`` maps field names (as in the spec: mmsi, lon, lat, sog_kn …) to arrays of
    length n; NaN = not available. ``ts_utc`` (Unix seconds, int) adds a tag block
    ``c:`` time, ``source`` an ``s:`` source. Returns the lines joined, newline-ended.
    """
    try:
        layout = layout_for(msg_type)
    except KeyError:
        raise AisEncodeError(f"type {msg_type}: no single-sentence numeric layout") from None
    if any(f.kind is Kind.TEXT for f in layout.fields):
        raise AisEncodeError(f"type {msg_type} has text fields: use encode_payload")
    if layout.bits > 168:
        raise AisEncodeError(f"type {msg_type} needs more than one sentence: use encode_payload")
    known = {f.name for f in layout.fields if f.is_value}
    unknown = sorted(set(columns) - known)
    if unknown:
        raise AisEncodeError(f"type {msg_type}: unknown field(s) {', '.join(unknown)}")
    lengths = {len(np.asarray(v)) for v in columns.values()}
    if len(lengths) != 1:
        raise AisEncodeError("columns must all have the same length")
    n = lengths.pop()
    raws, widths = [], []
    for f in layout.fields:
        if f.name == "msg_type":
            raws.append(np.full(n, msg_type, np.int64))
        elif f.name in columns:
            raws.append(_raw_column(f.name, columns[f.name], f.width, f.kind, f.scale, f.na))
        else:
            default = f.na if f.na is not None else 0
            raws.append(np.full(n, default, np.int64) & ((1 << f.width) - 1))
        widths.append(f.width)
    raw = np.ascontiguousarray(np.vstack(raws))
    prefix = np.frombuffer(f"!{talker},1,1,,{channel},".encode("ascii"), np.uint8)
    ts = np.full(n, -1, np.int64) if ts_utc is None else np.ascontiguousarray(ts_utc, np.int64)
    if ts.shape != (n,):
        raise AisEncodeError(f"ts_utc must have one value per row ({n})")
    src = np.frombuffer((source or "").encode("ascii"), np.uint8)
    per_line = len(prefix) + (layout.bits + 5) // 6 + 48 + len(src)
    out = np.empty(n * per_line, np.uint8)
    used = lib().write_lines(raw, np.asarray(widths, np.int64), layout.bits, prefix, ts, src, out)
    if used < 0:
        raise AssertionError("encode_batch: output buffer too small")
    return out[:used].tobytes()
