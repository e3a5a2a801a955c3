"""Dates as sanctions lists write them, turned into partial ISO dates (pure)."""

from __future__ import annotations

import re

MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}

# A year range is expanded to every year in it when it spans at most this many years
# (so that a screener comparing a year of birth finds it); wider ranges keep their ends.
MAX_RANGE_YEARS = 15

_DMY = re.compile(r"^(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{4})$")
_MY = re.compile(r"^([A-Za-z]{3})[a-z]*\.?\s+(\d{4})$")
_Y = re.compile(r"^(\d{4})$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_SLASH = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")  # dd/mm/yyyy, 00 = unknown


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    if not 1000 <= year <= 2999:
        return None
    if month is None or not 1 <= month <= 12:
        return f"{year:04d}"
    if day is None or not 1 <= day <= 31:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def parse_one(text: str) -> str | None:
    """One date: ``21 Jan 1971``, ``Jan 1971``, ``1971``, ``1971-01-21``, ``21/01/1971``
    (``00`` day or month = unknown) -> partial ISO date, or None."""
    s = text.strip().rstrip(".").strip()
    if m := _DMY.match(s):
        month = MONTHS.get(m.group(2).lower())
        return _iso(int(m.group(3)), month, int(m.group(1))) if month else None
    if m := _MY.match(s):
        month = MONTHS.get(m.group(1).lower())
        return _iso(int(m.group(2)), month) if month else None
    if m := _Y.match(s):
        return _iso(int(m.group(1)))
    if m := _SLASH.match(s):
        return _iso(int(m.group(3)), int(m.group(2)) or None, int(m.group(1)) or None)
    if m := _ISO.match(s):
        month = int(m.group(2)) if m.group(2) else None
        day = int(m.group(3)) if m.group(3) else None
        return _iso(int(m.group(1)), month, day)
    return None


def expand_range(start: str, end: str) -> list[str]:
    """Partial dates covering ``start``..``end``: the common year (or month) when both
    fall in it, each year for short ranges, else the two ends."""
    if start == end:
        return [start]
    if start[:7] == end[:7] and len(start) >= 7:
        return [start[:7]]
    y0, y1 = int(start[:4]), int(end[:4])
    if y0 == y1:
        return [start[:4]]
    if y0 > y1:
        return [start, end]
    if y1 - y0 <= MAX_RANGE_YEARS:
        return [str(y) for y in range(y0, y1 + 1)]
    return [start, end]


def parse_dates(text: str) -> tuple[list[str], bool]:
    """A date phrase -> (partial ISO dates, approximate?).

    Handles ``circa 1951``, ``1960 to 1962``, ``01 Jan 1961 to 31 Dec 1961`` and single dates.
    Unparseable text gives ``([], False)``.
    """
    s = text.strip().rstrip(".").strip()
    approx = False
    low = s.lower()
    for prefix in ("circa ", "approximately ", "approx. ", "about ", "c. "):
        if low.startswith(prefix):
            s, approx = s[len(prefix):], True
            break
    if " to " in s:
        a, _, b = s.partition(" to ")
        da, db = parse_one(a), parse_one(b)
        if da and db:
            return expand_range(da, db), approx
        return [d for d in (da, db) if d], approx
    d = parse_one(s)
    return ([d] if d else []), approx
