"""Group order of an Arrow table in O(n), for ``Backend.map_sorted`` on DuckDB.

A kernel that walks per-vessel sequences needs each vessel's rows in time order, and
usually each vessel's rows together, but not the vessels in any particular order. For
one key column (any type the Arrow hash accepts) and integer or timestamp order columns
(the common case: ``mmsi`` and ``ts_utc``, ``seq``) that order is found without a
comparison sort of the table: the key is hash-encoded (first-appearance ids), and

* a table whose rows of each group already are in order is used as it is — a receiver
  feed in time order when the kernel accepts interleaved groups, Parquet decoded in key
  order otherwise (an O(n) check);
* else rows are placed by a stable counting sort on the ids, and only groups whose rows
  are not yet in order are sorted.

Other layouts (several keys, float or nullable order columns) return ``None`` and the
caller sorts with the engine.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numba
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

IDENTITY = np.empty(0, np.int64)
"""Returned by :func:`group_order` when the table already is in a valid order."""


Columns = tuple[npt.NDArray[np.int64], ...]


@numba.njit(cache=True)
def _before(cols: Columns, a: int, b: int) -> bool:
    """Is row ``b`` strictly before row ``a`` in the lexicographic order of ``cols``?"""
    for c in range(len(cols)):
        x = cols[c]
        if x[b] != x[a]:
            return bool(x[b] < x[a])
    return False


@numba.njit(cache=True)
def _ordered_within(ids: npt.NDArray[np.int32], k: int, cols: Columns) -> tuple[bool, int]:
    """(rows of every group in order?, number of runs of equal ids)."""
    last = np.full(k, -1, np.int64)
    runs = 0
    for i in range(ids.shape[0]):
        g = ids[i]
        if i == 0 or ids[i - 1] != g:
            runs += 1
        j = last[g]
        if j >= 0 and _before(cols, j, i):
            return False, runs
        last[g] = i
    return True, runs


@numba.njit(cache=True)
def _counting_order(ids: npt.NDArray[np.int32], k: int) -> npt.NDArray[np.int64]:
    n = ids.shape[0]
    start = np.zeros(k + 1, np.int64)
    for i in range(n):
        start[ids[i] + 1] += 1
    for g in range(k):
        start[g + 1] += start[g]
    perm = np.empty(n, np.int64)
    for i in range(n):
        g = ids[i]
        perm[start[g]] = i
        start[g] += 1
    return perm


@numba.njit(cache=True)
def _sort_runs(perm: npt.NDArray[np.int64], ids: npt.NDArray[np.int32], cols: Columns
               ) -> None:
    """Within each run of equal ``ids[perm]``, stably sort ``perm`` by ``cols`` (in place;
    runs already in order are only scanned)."""
    n = perm.shape[0]
    a = 0
    while a < n:
        b = a + 1
        ok = True
        while b < n and ids[perm[b]] == ids[perm[a]]:
            if ok and _before(cols, perm[b - 1], perm[b]):
                ok = False
            b += 1
        if not ok:
            part = perm[a:b].copy()
            # least significant column first; mergesort is stable
            for c in range(len(cols) - 1, -1, -1):
                x = cols[c]
                keys = np.empty(b - a, np.int64)
                for i in range(b - a):
                    keys[i] = x[part[i]]
                part = part[np.argsort(keys, kind="mergesort")]
            perm[a:b] = part
        a = b


def _int64(col: pa.ChunkedArray | pa.Array) -> npt.NDArray[np.int64] | None:
    """The column as int64 NumPy, if it is an integer or timestamp column without nulls."""
    if col.null_count:
        return None
    typ = col.type
    if pa.types.is_timestamp(typ) or pa.types.is_date(typ) or pa.types.is_duration(typ):
        col = pc.cast(col, pa.int64())
    elif not pa.types.is_integer(typ) or typ == pa.uint64():
        return None
    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    out: npt.NDArray[np.int64] = arr.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
    return out


def _key_ids(table: pa.Table, keys: Sequence[str]) -> tuple[npt.NDArray[np.int32], int] | None:
    if len(keys) != 1 or table.column(keys[0]).null_count:
        return None
    try:
        enc = pc.dictionary_encode(table.column(keys[0])).combine_chunks()
    except pa.ArrowNotImplementedError:
        return None
    ids: npt.NDArray[np.int32] = enc.indices.to_numpy(zero_copy_only=False).astype(
        np.int32, copy=False)
    return ids, len(enc.dictionary)


def group_order(table: pa.Table, keys: Sequence[str], order_by: Sequence[str],
                contiguous: bool = True) -> npt.NDArray[np.int64] | None:
    """A permutation putting the rows of each group (equal ``keys``) in ``order_by``
    order — and, if ``contiguous``, together — ties kept in input order; :data:`IDENTITY`
    when the table already is in such an order; ``None`` when the layout is not
    supported here (several keys, float or nullable order columns) and the engine must
    sort."""
    if table.num_rows == 0:
        return IDENTITY
    encoded = _key_ids(table, keys)
    if encoded is None:
        return None
    ids, k = encoded
    arrays = [_int64(table.column(c)) for c in order_by]
    cols: Columns = tuple(a for a in arrays if a is not None)
    if len(cols) < len(arrays):
        return None
    if not cols:
        cols = (np.zeros(table.num_rows, np.int64),)
    ordered, runs = _ordered_within(ids, k, cols)
    if ordered and (not contiguous or runs == k):
        return IDENTITY
    perm = _counting_order(ids, k)
    _sort_runs(perm, ids, cols)
    return perm


def group_starts(table: pa.Table, keys: Sequence[str]) -> list[int]:
    """Row numbers where a group of the (group-contiguous) table starts, then its length."""
    n = table.num_rows
    if n == 0:
        return [0]
    change = np.zeros(n, np.bool_)
    change[0] = True
    for k in keys:
        col = table.column(k)
        diff = pc.fill_null(pc.not_equal(col.slice(0, n - 1), col.slice(1)), True)
        change[1:] |= diff.to_numpy(zero_copy_only=False)
    return [*np.flatnonzero(change).tolist(), n]


def call_bounds(starts: Sequence[int], rows_per_call: int | None) -> list[tuple[int, int]]:
    """Cut group starts into slices of whole groups of about ``rows_per_call`` rows (a
    larger group gets a slice of its own); one slice when ``rows_per_call`` is None."""
    n = starts[-1]
    if n == 0:
        return []
    if rows_per_call is None or rows_per_call >= n:
        return [(0, n)]
    cuts = [0]
    for s in starts[1:-1]:
        if s - cuts[-1] >= rows_per_call:
            cuts.append(s)
    cuts.append(n)
    return list(itertools.pairwise(cuts))
