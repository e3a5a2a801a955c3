"""Framed messages → Arrow tables: allocate the typed buffers the C kernels fill (per the
plan in :mod:`._slots`), call the kernels, wrap the buffers as Arrow arrays without copies.

Buffers are allocated zeroed, so values under nulls are 0 and the output is
deterministic (the dataset writer hashes it).
"""

from __future__ import annotations

from types import ModuleType

import numpy as np
import pyarrow as pa

from armswatch.ais._frame import NO_TS, TS_NAMES
from armswatch.ais._result import (
    AIS_OTHER_SCHEMA,
    AIS_POSITIONS_SCHEMA,
    AIS_STATICS_SCHEMA,
    empty_table,
    string_array,
)
from armswatch.ais._slots import (
    CLASS_DTYPES,
    COMMON_I8,
    COMMON_I32,
    COMMON_I64,
    POSITION_PLAN,
    STATIC_PLAN,
    STATIC_STRING_COLUMNS,
    Plan,
)

_TS_DICT = string_array(list(TS_NAMES[1:]))
_TS_TYPE = pa.timestamp("us", tz="UTC")
_I8 = {name: i for i, name in enumerate(COMMON_I8)}
_TS_MESSAGE = TS_NAMES.index("message")


class Common:
    """The columns every table takes from the framed message, as typed buffers."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.i64 = np.zeros((len(COMMON_I64), n), np.int64)
        self.i32 = np.zeros((len(COMMON_I32), n), np.int32)
        self.i8 = np.zeros((len(COMMON_I8), n), np.int8)

    def row8(self, name: str) -> np.ndarray:
        row: np.ndarray = self.i8[_I8[name]]
        return row

    def columns(self, sources: pa.Array) -> dict[str, pa.Array]:
        ts, line = self.i64
        tssrc = self.row8("tssrc")
        return {
            "ts_utc": _array(_TS_TYPE, ts, ts != NO_TS),
            "source": dict_strings(sources, self.i32[0]),
            "ts_source": dict_strings(_TS_DICT, tssrc.astype(np.int32) - 1),
            "own_ship": bool_array(self.row8("own")),
            "checksum_ok": bool_array(self.row8("csok")),
            "line_no": _array(pa.int64(), line, None),
            "msg_type": _array(pa.int8(), self.row8("type"), None),
        }


def _array(typ: pa.DataType, data: np.ndarray, valid: np.ndarray | None) -> pa.Array:
    n = data.shape[0]
    if valid is None:
        return pa.Array.from_buffers(typ, n, [None, pa.py_buffer(data)], 0)
    nulls = n - int(np.count_nonzero(valid))
    bitmap = pa.py_buffer(np.packbits(valid, bitorder="little")) if nulls else None
    return pa.Array.from_buffers(typ, n, [bitmap, pa.py_buffer(data)], nulls)


def bool_array(v: np.ndarray) -> pa.Array:
    data = pa.py_buffer(np.packbits(v != 0, bitorder="little"))
    return pa.Array.from_buffers(pa.bool_(), v.shape[0], [None, data], 0)


def dict_strings(dictionary: pa.Array, codes: np.ndarray) -> pa.Array:
    """dictionary[codes] as a plain string array (code -1: null); one value repeated — the
    usual case — is built directly instead of gathered."""
    n = codes.shape[0]
    if n == 0:
        return pa.nulls(0, pa.string())
    c0 = int(codes[0])
    if (codes == c0).all():
        if c0 < 0:
            return pa.nulls(n, pa.string())
        value = dictionary[c0].as_py().encode("utf-8")
        if n * len(value) < 2**31:
            offsets = np.arange(n + 1, dtype=np.int32) * np.int32(len(value))
            return pa.StringArray.from_buffers(n, pa.py_buffer(offsets),
                                               pa.py_buffer(value * n))
    return dictionary.take(_array(pa.int32(), codes.astype(np.int32, copy=False), codes >= 0))


class Slots:
    """Typed buffers for the slots of one plan, n rows."""

    def __init__(self, plan: Plan, n: int) -> None:
        self.plan = plan
        self.n = n
        self.outs = [np.zeros((rows, n), dt) for rows, dt in zip(plan.class_rows, CLASS_DTYPES,
                                                                  strict=True)]
        self.valid = np.zeros((len(plan.slots), n), np.uint8)

    def columns(self) -> dict[str, pa.Array]:
        n = self.n
        # every validity bitmap and null count in one call each, not one per column
        bitmaps = np.packbits(self.valid.view(np.bool_), axis=1, bitorder="little")
        nulls = n - np.count_nonzero(self.valid, axis=1)
        cols = {}
        p = self.plan
        for s, (name, typ) in enumerate(p.slots):
            data = self.outs[p.slot_cls[s]][p.slot_row[s]]
            buf = pa.py_buffer(np.packbits(data != 0, bitorder="little") if typ == pa.bool_()
                               else data)
            k = int(nulls[s])
            cols[name] = pa.Array.from_buffers(typ, n, [pa.py_buffer(bitmaps[s]) if k else None,
                                                        buf], k)
        return cols


def _table(cols: dict[str, pa.Array], schema: pa.Schema) -> pa.Table:
    return pa.Table.from_arrays([cols[f.name] for f in schema], schema=schema)


def positions(lib: ModuleType, pbuf: np.ndarray, msgs: np.ndarray, nm: int, n: int,
              sources: pa.Array) -> tuple[pa.Table, int]:
    """The positions table and how many of its rows a base station's clock stamped."""
    if n == 0:
        return empty_table(AIS_POSITIONS_SCHEMA), 0
    c, s = Common(n), Slots(POSITION_PLAN, n)
    rows = lib.extract_positions(pbuf, msgs, nm, n, c.i64, c.i32, c.i8, *s.outs, s.valid)
    assert rows == n, (rows, n)
    clock = int(np.count_nonzero(c.row8("tssrc") == _TS_MESSAGE))
    return _table({**s.columns(), **c.columns(sources)}, AIS_POSITIONS_SCHEMA), clock


def statics(lib: ModuleType, pbuf: np.ndarray, msgs: np.ndarray, nm: int, n: int,
            sources: pa.Array, text_chars: int) -> pa.Table:
    """``text_chars``: the payload characters of these messages (bounds the name column,
    whose type-21 extension has no fixed length)."""
    if n == 0:
        return empty_table(AIS_STATICS_SCHEMA)
    c, s = Common(n), Slots(STATIC_PLAN, n)
    caps = [20 * n + text_chars if most == 0 else most * n for _name, most in
            STATIC_STRING_COLUMNS]
    base = np.concatenate([[0], np.cumsum(caps)]).astype(np.int64)
    data = np.empty(int(base[-1]), np.uint8)
    ncols = len(STATIC_STRING_COLUMNS)
    offsets = np.empty((ncols, n + 1), np.int32)
    svalid = np.zeros((ncols, n), np.uint8)
    rows = lib.extract_statics(pbuf, msgs, nm, n, c.i64, c.i32, c.i8, *s.outs, s.valid, data,
                               base, offsets, svalid)
    assert rows == n, (rows, n)
    cols = s.columns()
    for k, (name, _most) in enumerate(STATIC_STRING_COLUMNS):
        nulls = n - int(np.count_nonzero(svalid[k]))
        bitmap = pa.py_buffer(np.packbits(svalid[k], bitorder="little")) if nulls else None
        used = int(offsets[k, n])
        cols[name] = pa.StringArray.from_buffers(
            n, pa.py_buffer(offsets[k]), pa.py_buffer(data[base[k]: base[k] + used]), bitmap,
            nulls)
    cols.update(c.columns(sources))
    return _table(cols, AIS_STATICS_SCHEMA)


def other(lib: ModuleType, pbuf: np.ndarray, msgs: np.ndarray, nm: int, n: int,
          sources: pa.Array, chars: int) -> pa.Table:
    """``chars``: the payload characters of these messages."""
    if n == 0:
        return empty_table(AIS_OTHER_SCHEMA)
    if chars >= 2**31:
        raise OverflowError("raw payloads of one chunk exceed 2 GB: use a smaller chunk_lines")
    c = Common(n)
    mmsi = np.zeros(n, np.int32)
    repeat = np.zeros(n, np.int8)
    fill = np.zeros(n, np.int8)
    valid = np.zeros((2, n), np.uint8)
    data = np.empty(chars, np.uint8)
    offsets = np.empty(n + 1, np.int32)
    rows = lib.extract_other(pbuf, msgs, nm, n, c.i64, c.i32, c.i8, mmsi, repeat, fill, valid,
                             data, offsets)
    assert rows == n, (rows, n)
    cols = c.columns(sources)
    cols.update({
        "mmsi": _array(pa.int32(), mmsi, valid[0]),
        "repeat": _array(pa.int8(), repeat, valid[1]),
        "payload": pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data)),
        "fill_bits": _array(pa.int8(), fill, None),
    })
    return _table(cols, AIS_OTHER_SCHEMA)
