"""Vectorised encoder: columns of values → NMEA lines, millions per second.

For simulations and benchmarks that need many single-sentence messages of one numeric
layout (types 1, 2, 3, 4, 9, 18, 27). Same spec, same conversions and sentinels as
:func:`armswatch.ais.encode.encode_payload`: NaN (or a missing column) means "not
available".
"""

from __future__ import annotations

from collections.abc import Mapping

import numba as nb
import numpy as np

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


@nb.njit(cache=True, nogil=True, inline="always")
def _checksum(out: np.ndarray, a: int, pos: int) -> int:
    """Write ``*hh`` (XOR of out[a:pos]) at pos; returns the position after it."""
    x = 0
    for j in range(a, pos):
        x ^= out[j]
    hi = x >> 4
    lo = x & 15
    out[pos] = 42
    out[pos + 1] = hi + 48 if hi < 10 else hi + 55
    out[pos + 2] = lo + 48 if lo < 10 else lo + 55
    return pos + 3


@nb.njit(cache=True, nogil=True)
def _write_lines(
    raw: np.ndarray,
    widths: np.ndarray,
    nbits: int,
    prefix: np.ndarray,
    ts: np.ndarray,
    src: np.ndarray,
    out: np.ndarray,
) -> int:
    nchars = (nbits + 5) // 6
    fill = nchars * 6 - nbits
    chars = np.empty(nchars, np.uint8)
    pos = 0
    for i in range(raw.shape[1]):
        # payload
        acc = 0
        nacc = 0
        k = 0
        for f in range(raw.shape[0]):
            w = widths[f]
            v = raw[f, i]
            while w > 0:
                take = min(w, 6 - nacc)
                acc = (acc << take) | ((v >> (w - take)) & ((1 << take) - 1))
                nacc += take
                w -= take
                if nacc == 6:
                    chars[k] = acc + 48 if acc < 40 else acc + 56
                    k += 1
                    acc = 0
                    nacc = 0
        if nacc > 0:
            acc <<= 6 - nacc
            chars[k] = acc + 48 if acc < 40 else acc + 56
            k += 1
        # tag block
        if ts[i] >= 0 or src.shape[0] > 0:
            out[pos] = 92
            pos += 1
            tstart = pos
            if src.shape[0] > 0:
                out[pos] = 115
                out[pos + 1] = 58
                pos += 2
                for c in src:
                    out[pos] = c
                    pos += 1
                if ts[i] >= 0:
                    out[pos] = 44
                    pos += 1
            if ts[i] >= 0:
                out[pos] = 99
                out[pos + 1] = 58
                pos += 2
                t = ts[i]
                nd = 1
                while t >= 10**nd:
                    nd += 1
                for d in range(nd - 1, -1, -1):
                    out[pos + d] = 48 + t % 10
                    t //= 10
                pos += nd
            pos = _checksum(out, tstart, pos)
            out[pos] = 92
            pos += 1
        # sentence
        start = pos
        for c in prefix:
            out[pos] = c
            pos += 1
        for j in range(nchars):
            out[pos] = chars[j]
            pos += 1
        out[pos] = 44
        out[pos + 1] = 48 + fill
        pos += 2
        pos = _checksum(out, start + 1, pos)
        out[pos] = 10
        pos += 1
    return pos


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
    ts = np.full(n, -1, np.int64) if ts_utc is None else np.asarray(ts_utc, np.int64)
    src = np.frombuffer((source or "").encode("ascii"), np.uint8)
    per_line = len(prefix) + (layout.bits + 5) // 6 + 8 + 40 + len(src)
    out = np.empty(n * per_line, np.uint8)
    used = _write_lines(raw, np.asarray(widths, np.int64), layout.bits, prefix, ts, src, out)
    return out[:used].tobytes()
