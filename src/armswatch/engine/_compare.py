"""Compare two result tables from different engines: same rows in any order, floats close.

Used by the engine contract tests and by the scale benchmark, which checks that DuckDB
and Spark found the same events before it reports their speed. Values are normalised
first: integers of any width and integral decimals are equal to the same number,
timestamps are compared as UTC microseconds (naive ones are taken as UTC), JSON text
columns can be compared as parsed objects.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
from collections.abc import Sequence
from typing import Any

import pyarrow as pa

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _norm(value: Any) -> Any:
    if value is None or isinstance(value, bool | str | int | float):
        return value
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        delta = aware - _EPOCH
        return ("ts", (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds)
    if isinstance(value, dt.date):
        return ("date", value.isoformat())
    if isinstance(value, dt.timedelta):
        return ("us", value // dt.timedelta(microseconds=1))
    if isinstance(value, dict):
        return ("obj", tuple(sorted((str(k), _norm(v)) for k, v in value.items())))
    if isinstance(value, list | tuple):
        return ("list", tuple(_norm(v) for v in value))
    if isinstance(value, bytes):
        return ("bytes", value.hex())
    return ("other", repr(value))


def _sort_key(value: Any) -> tuple[Any, ...]:
    """Total order over normalised values; floats rounded so tiny noise keeps the order."""
    if value is None:
        return (0,)
    if isinstance(value, bool):
        return (1, int(value))
    if isinstance(value, int):
        return (2, float(value), 0)
    if isinstance(value, float):
        if math.isnan(value):
            return (2, math.inf, 1)
        return (2, float(f"{value:.6g}"), 0)
    if isinstance(value, str):
        return (3, value)
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str):
        inner = value[1]
        if isinstance(inner, tuple):
            return (4, value[0], tuple(_sort_key(v) for v in inner))
        return (4, value[0], _sort_key(inner))
    return (5, repr(value))


def _close(a: Any, b: Any, rel_tol: float, abs_tol: float) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or (a == b and type(a) is type(b))
    if isinstance(a, int | float) and isinstance(b, int | float):
        if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
            return True
        return math.isclose(a, b, rel_tol=rel_tol, abs_tol=abs_tol)
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(
            _close(x, y, rel_tol, abs_tol) for x, y in zip(a, b, strict=True)
        )
    return bool(a == b)


def _is_float(t: pa.DataType) -> bool:
    return bool(pa.types.is_floating(t) or pa.types.is_decimal(t))


def _has_float32(t: pa.DataType) -> bool:
    if pa.types.is_float32(t) or pa.types.is_float16(t):
        return True
    return any(_has_float32(t.field(i).type) for i in range(t.num_fields))


def _rows(table: pa.Table, json_columns: Sequence[str]) -> list[tuple[Any, ...]]:
    cols: list[list[Any]] = []
    for name in table.column_names:
        values = table.column(name).to_pylist()
        if name in json_columns:
            values = [json.loads(v) if isinstance(v, str) else v for v in values]
        cols.append([_norm(v) for v in values])
    return list(zip(*cols, strict=True)) if cols else []


def table_differences(
    left: pa.Table,
    right: pa.Table,
    *,
    rel_tol: float = 1e-9,
    abs_tol: float = 1e-9,
    json_columns: Sequence[str] = (),
    limit: int = 10,
) -> list[str]:
    """Differences between two tables taken as multisets of rows (empty list: equal)."""
    if left.column_names != right.column_names:
        return [f"columns differ: {left.column_names} != {right.column_names}"]
    if left.num_rows != right.num_rows:
        return [f"row counts differ: {left.num_rows} != {right.num_rows}"]
    names = left.column_names
    # sort on exact columns first, so float noise cannot reorder rows
    floaty = [
        _is_float(left.schema.field(n).type) or _is_float(right.schema.field(n).type)
        for n in names
    ]
    order = [i for i, f in enumerate(floaty) if not f] + [i for i, f in enumerate(floaty) if f]

    def key(row: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(_sort_key(row[i]) for i in order)

    # 32-bit floats: one engine may compute in float, the other in double
    tols = [
        max(rel_tol, 1e-6)
        if _has_float32(left.schema.field(n).type) or _has_float32(right.schema.field(n).type)
        else rel_tol
        for n in names
    ]
    a = sorted(_rows(left, json_columns), key=key)
    b = sorted(_rows(right, json_columns), key=key)
    out: list[str] = []
    for i, (ra, rb) in enumerate(zip(a, b, strict=True)):
        bad = [
            f"{n}: {x!r} != {y!r}"
            for n, x, y, tol in zip(names, ra, rb, tols, strict=True)
            if not _close(x, y, tol, abs_tol)
        ]
        if bad:
            out.append(f"sorted row {i}: " + "; ".join(bad))
            if len(out) >= limit:
                break
    return out
