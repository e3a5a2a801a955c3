"""Vectorised column conversions shared by the readers (pure functions on Arrow arrays).

Each conversion works on the distinct values of a column (a few hundred country labels or
periods in a million rows) and maps them back, so readers stay fast on large extracts.
Anything a conversion cannot read raises :class:`BadInputError` naming the file and line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from armswatch.errors import BadInputError
from armswatch.trade import _countries
from armswatch.trade._hs import clean_code
from armswatch.trade._schema import FLAG_BIT

T = TypeVar("T")

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}


@dataclass
class Batch:
    """A block of raw rows (all strings, normalised column names) and where it came from."""

    table: pa.Table
    path: Path
    first_line: int  # file line (1-based) of the block's first row
    notes: list[str] = field(default_factory=list)
    original: dict[str, str] = field(default_factory=dict)  # normalised -> published name

    def label(self, name: str) -> str:
        """The column's name as published (for messages)."""
        return self.original.get(name, name)

    def col(self, name: str) -> pa.Array:
        arr = self.table.column(name).combine_chunks()
        if arr.null_count:
            arr = pc.fill_null(arr, "")
        return arr

    def has(self, name: str) -> bool:
        return name in self.table.column_names

    def first(self, *names: str) -> str | None:
        """The first of ``names`` present in the block."""
        return next((n for n in names if self.has(n)), None)

    def fail(self, arr: pa.Array, value: str, message: str) -> BadInputError:
        idx = pc.index(arr, pa.scalar(value, pa.string())).as_py()
        line = self.first_line + (idx if idx is not None and idx >= 0 else 0)
        return BadInputError(message, self.path, line)

    @property
    def n(self) -> int:
        return int(self.table.num_rows)


def map_unique(arr: pa.Array, fn: Callable[[str], T],
               ) -> tuple[list[str], list[T], np.ndarray]:
    """Apply ``fn`` to each distinct value: (distinct values, results, row -> index)."""
    enc = pc.dictionary_encode(arr)
    if isinstance(enc, pa.ChunkedArray):
        enc = enc.combine_chunks()
    keys = enc.dictionary.to_pylist()
    return keys, [fn(v) for v in keys], enc.indices.to_numpy(zero_copy_only=False)


def _normalise_blank(arr: pa.Array) -> pa.Array:
    return pc.utf8_trim_whitespace(arr)


# --- countries ---------------------------------------------------------------------------

_KIND_FLAG = {
    _countries.AGGREGATE: "aggregate_{role}",
    _countries.UNSPECIFIED: "unspecified_partner",
    _countries.CONFIDENTIAL: "confidential_partner",
    _countries.UNKNOWN: "unknown_{role}",
}


def split_code_label(value: str) -> str:
    """'AT-Austria' / '2-EXPORT' / 'TOTAL-Total' -> the code part; other text unchanged."""
    m = re.match(r"^\s*([A-Z]{2}|[A-Z0-9_]{3,}|\d+)\s*-\s*(.+)$", value)
    return m.group(1) if m else value.strip()


def countries(batch: Batch, column: str, scheme: str, role: str, flags: np.ndarray,
              ) -> tuple[pa.Array, pa.Array]:
    """Resolve a country column; returns (code, m49) and sets kind flags in ``flags``."""
    arr = _normalise_blank(batch.col(column))

    def one(v: str) -> _countries.Country:
        if not v:
            return _countries.Country("", None, _countries.UNKNOWN)
        if scheme == "label":  # "AT-Austria", "AT", "Austria", "SAR-Hong Kong"
            code = split_code_label(v)
            if code != v:
                found = _countries.resolve(code, "auto")
                if found.kind != _countries.UNKNOWN:
                    return found
            return _countries.resolve(v, "auto")
        return _countries.resolve(v, scheme)

    _, resolved, idx = map_unique(arr, one)
    if any(c.code == "" for c in resolved):
        raise batch.fail(arr, "", f"empty {role} code in column {batch.label(column)!r}")
    codes = pa.array([c.code for c in resolved], pa.string()).take(pa.array(idx))
    m49 = pa.array([c.m49 for c in resolved], pa.int32()).take(pa.array(idx))
    bits = np.array([FLAG_BIT[_KIND_FLAG[c.kind].format(role=role)] if c.kind in _KIND_FLAG
                     else 0 for c in resolved], dtype=np.int64)
    if role == "reporter":  # "unspecified"/"confidential" reporters are not partners
        bits = np.where((bits == FLAG_BIT["unspecified_partner"])
                        | (bits == FLAG_BIT["confidential_partner"]),
                        FLAG_BIT["unknown_reporter"], bits)
    flags |= bits[idx]
    return codes, m49


# --- periods -----------------------------------------------------------------------------

def parse_period(text: str) -> tuple[str, str] | None:
    """Return ``(period, freq)`` for the period spellings of Eurostat, Comtrade and BACI."""
    t = text.strip().strip('"')
    m = re.fullmatch(r"(\d{4})", t) or re.fullmatch(r"Y(\d{4})", t)
    if m:
        return m.group(1), "A"
    m = re.match(r"^(\d{4})52(\b|-|$)", t)  # Comext annual: 201952 / 201952-Jan.-Dec. 2019
    if m:
        return m.group(1), "A"
    m = (re.fullmatch(r"(\d{4})-?M?(\d{2})", t) or re.fullmatch(r"(\d{4})M(\d{1,2})", t)
         or re.match(r"^(\d{4})(\d{2})-", t))
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{m.group(1)}-{int(m.group(2)):02d}", "M"
    m = re.fullmatch(r"([A-Za-z]{3})[a-z]*\.?\s*(\d{4})", t)  # "Aug. 2024"
    if m and m.group(1).lower() in _MONTHS:
        return f"{m.group(2)}-{_MONTHS[m.group(1).lower()]:02d}", "M"
    m = re.fullmatch(r"Jan\.?-Dec\.?\s*(\d{4})", t)
    if m:
        return m.group(1), "A"
    return None


def _checked(batch: Batch, arr: pa.Array, fn: Callable[[str], T | None], what: str,
             ) -> tuple[list[T], pa.Array]:
    """Map distinct values with ``fn``; the first value it cannot read is an error."""
    keys, parsed, idx = map_unique(arr, fn)
    for value, p in zip(keys, parsed, strict=True):
        if p is None:
            raise batch.fail(arr, value, what.format(value=value))
    return [p for p in parsed if p is not None], pa.array(idx)


def periods(batch: Batch, column: str) -> tuple[pa.Array, pa.Array]:
    arr = _normalise_blank(batch.col(column))
    parsed, take = _checked(batch, arr, parse_period,
                            "unreadable period {value!r} in column "
                            f"{batch.label(column)!r} "
                            "(expected YYYY, YYYY-MM, YYYYMM, Y2019, 'Aug. 2024')")
    return (pa.array([p[0] for p in parsed], pa.string()).take(take),
            pa.array([p[1] for p in parsed], pa.string()).take(take))


def year_month(batch: Batch, year_col: str, month_col: str | None) -> tuple[pa.Array, pa.Array]:
    """Periods from a year column and an optional month column (1-12; 52 or blank = year)."""
    if month_col is None:
        return periods(batch, year_col)
    years = _normalise_blank(batch.col(year_col))
    months = _normalise_blank(batch.col(month_col))
    joined = pc.binary_join_element_wise(years, months, "|")

    def one(v: str) -> tuple[str, str] | None:
        y, _, m = v.partition("|")
        if not re.fullmatch(r"\d{4}", y):
            return None
        if m in ("", "52", "0") or not m.isdecimal():
            return (y, "A") if m in ("", "52", "0") else None
        return (f"{y}-{int(m):02d}", "M") if 1 <= int(m) <= 12 else None

    parsed, take = _checked(batch, joined, one, "unreadable year|month {value!r}")
    return (pa.array([p[0] for p in parsed], pa.string()).take(take),
            pa.array([p[1] for p in parsed], pa.string()).take(take))


# --- flows -------------------------------------------------------------------------------

_FLOWS = {
    "export": "export", "exports": "export", "x": "export", "2": "export", "e": "export",
    "import": "import", "imports": "import", "m": "import", "1": "import", "i": "import",
    "re-export": "re-export", "reexport": "re-export", "rx": "re-export", "3": "re-export",
    "re-import": "re-import", "reimport": "re-import", "rm": "re-import", "4": "re-import",
    "dx": "domestic-export", "domestic export": "domestic-export",
    "fm": "foreign-import", "foreign import": "foreign-import",
}


def parse_flow(text: str) -> str | None:
    t = text.strip().lower()
    if t in _FLOWS:
        return _FLOWS[t]
    code = split_code_label(text.strip().upper()).lower()
    if code in _FLOWS and code != t:
        return _FLOWS[code]
    return None


def flows(batch: Batch, column: str) -> pa.Array:
    arr = _normalise_blank(batch.col(column))
    parsed, take = _checked(batch, arr, parse_flow,
                            "unknown trade flow {value!r} in column "
                            f"{batch.label(column)!r} "
                            "(expected export/import/re-export/re-import or 1/2/M/X)")
    return pa.array(parsed, pa.string()).take(take)


def constant(value: str | None, n: int, type_: pa.DataType = pa.string()) -> pa.Array:
    return pa.array([value] * n, type_) if value is not None else pa.nulls(n, type_)


# --- product codes -----------------------------------------------------------------------

def product_codes(batch: Batch, column: str, flags: np.ndarray) -> tuple[pa.Array, pa.Array]:
    arr = _normalise_blank(batch.col(column))
    _, parsed, idx = map_unique(arr, clean_code)
    take = pa.array(idx)
    codes = pa.array([p[0] for p in parsed], pa.string()).take(take)
    levels = pa.array([p[1] for p in parsed], pa.int8()).take(take)
    padded = np.array([FLAG_BIT["code_padded"] if p[2] else 0 for p in parsed], np.int64)
    conf = np.array([FLAG_BIT["confidential"] if not p[0].isdecimal() and p[1] > 0 else 0
                     for p in parsed], np.int64)
    flags |= (padded | conf)[idx]
    return codes, levels


# --- numbers -----------------------------------------------------------------------------

_NUMBER = r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$"
_CONFIDENTIAL_TOKENS = {"c", ":c", ": c", "x", "conf", "confidential", "s"}
_MISSING_TOKENS = {"", ":", "..", "...", "na", "n/a", "nan", "null", "none", "-", "–"}
_VALUE_FLAGS = {"e": "estimated", "p": "provisional", "s": "estimated", "c": "confidential"}


def numbers(batch: Batch, column: str, flags: np.ndarray, *, what: str,
            scale: float = 1.0, missing_flag: str = "not_available") -> pa.Array:
    """Parse a numeric column; suppressed cells become null and set flags (never zero)."""
    arr = _normalise_blank(batch.col(column))
    is_num = pc.match_substring_regex(arr, _NUMBER)
    out = pc.cast(pc.if_else(is_num, arr, pa.scalar(None, pa.string())), pa.float64())
    if pc.all(is_num).as_py():
        return pc.multiply(out, scale) if scale != 1.0 else out
    others = pc.filter(arr, pc.invert(is_num))
    extra_vals: dict[str, float | None] = {}
    extra_bits: dict[str, int] = {}
    for token in pc.unique(others).to_pylist():
        low = token.strip().lower()
        m = re.fullmatch(r"([-+]?\d+\.?\d*)\s*([a-z]+)", low)
        if low in _CONFIDENTIAL_TOKENS:
            extra_vals[token], extra_bits[token] = None, FLAG_BIT["confidential"]
        elif low in _MISSING_TOKENS:
            extra_vals[token], extra_bits[token] = None, FLAG_BIT[missing_flag]
        elif m and all(ch in _VALUE_FLAGS for ch in m.group(2)):
            extra_vals[token] = float(m.group(1))
            extra_bits[token] = 0
            for ch in m.group(2):
                extra_bits[token] |= FLAG_BIT[_VALUE_FLAGS[ch]]
        else:
            raise batch.fail(arr, token, f"{what}: not a number: {token!r} in column "
                             f"{batch.label(column)!r}"
                             " (suppressed cells may be ':', '..', 'c', 'x' or empty)")
    token_list = list(extra_vals)
    tok_vals = np.array([np.nan if extra_vals[t] is None else extra_vals[t] for t in token_list]
                        + [np.nan], np.float64)
    tok_bits = np.array([extra_bits[t] for t in token_list] + [0], np.int64)
    tok_idx = pc.fill_null(pc.index_in(arr, value_set=pa.array(token_list, pa.string())),
                           len(token_list)).to_numpy(zero_copy_only=False)
    vals = out.to_numpy(zero_copy_only=False).astype(np.float64, copy=True)
    mask = ~pc.fill_null(is_num, False).to_numpy(zero_copy_only=False)
    vals = np.where(mask, tok_vals[tok_idx], vals)
    flags |= np.where(mask, tok_bits[tok_idx], 0)
    valid = ~np.isnan(vals)
    return pa.array(vals * scale, pa.float64(), mask=~valid)


def flag_negative(values: pa.Array, flags: np.ndarray) -> None:
    neg = pc.fill_null(pc.less(values, 0), False).to_numpy(zero_copy_only=False)
    flags |= np.where(neg, FLAG_BIT["negative_value"], 0)


def truthy(batch: Batch, column: str) -> np.ndarray:
    arr = pc.utf8_lower(_normalise_blank(batch.col(column)))
    out: np.ndarray = pc.is_in(arr, pa.array(["true", "1", "yes", "t", "y"])).to_numpy(
        zero_copy_only=False)
    return out


def comment_csv_lines(path: Path, what: str) -> list[str]:
    """Non-empty lines of a small hand-made CSV, without ``#`` comment lines."""
    try:
        with path.open(encoding="utf-8-sig") as fh:
            return [ln for ln in fh if not ln.startswith("#") and ln.strip()]
    except OSError as exc:
        raise BadInputError(f"cannot read {what}: {exc}", path) from None
