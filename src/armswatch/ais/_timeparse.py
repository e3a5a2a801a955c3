"""Compiled helpers that read times out of NMEA log lines (tag block c:, $PGHP, epochs, ISO)."""

from __future__ import annotations

import numba as nb
import numpy as np

NO_TS = np.int64(-(2**63))  # "no timestamp" in int64 microsecond columns
_US = 1_000_000
_MS_THRESHOLD = 100_000_000_000  # epoch values >= 1e11 are milliseconds (13 digits)


@nb.njit(cache=True, nogil=True)
def days_from_civil(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm)."""
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    mp = (m + 9) % 12
    doy = (153 * mp + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


@nb.njit(cache=True, nogil=True)
def civil_us(y: int, mo: int, d: int, h: int, mi: int, s: int, us: int) -> np.int64:
    """UTC microseconds of a civil time; NO_TS when a part is out of range."""
    if not (1 <= mo <= 12 and 1 <= d <= 31 and 0 <= h <= 23 and 0 <= mi <= 59 and 0 <= s <= 60):
        return NO_TS
    if not (1900 <= y <= 2200):
        return NO_TS
    days = days_from_civil(y, mo, d)
    return np.int64(((days * 24 + h) * 60 + mi) * 60 + s) * _US + us


@nb.njit(cache=True, nogil=True)
def parse_epoch(buf: np.ndarray, a: int, b: int) -> np.int64:
    """Unix time in buf[a:b]: digits with an optional fraction; seconds, or milliseconds
    when the integer part is 1e11 or more. NO_TS when it is not such a number."""
    if b <= a or b - a > 24:
        return NO_TS
    ip = np.int64(0)
    nint = 0
    i = a
    while i < b and 48 <= buf[i] <= 57:
        ip = ip * 10 + (buf[i] - 48)
        nint += 1
        i += 1
    if nint == 0:
        return NO_TS
    frac = np.int64(0)
    scale = np.int64(1)
    if i < b and buf[i] == 46:  # '.'
        i += 1
        while i < b and 48 <= buf[i] <= 57:
            if scale < _US:
                frac = frac * 10 + (buf[i] - 48)
                scale *= 10
            i += 1
    if i != b:
        return NO_TS
    if ip >= _MS_THRESHOLD:
        return ip * 1000 + (frac * 1000) // scale
    return ip * _US + (frac * _US) // scale


@nb.njit(cache=True, nogil=True)
def _int_field(buf: np.ndarray, a: int, b: int) -> int:
    """Digits in buf[a:b] as an int, -1 when empty or not all digits."""
    if b <= a or b - a > 9:
        return -1
    v = 0
    for i in range(a, b):
        c = buf[i]
        if c < 48 or c > 57:
            return -1
        v = v * 10 + (c - 48)
    return v


@nb.njit(cache=True, nogil=True)
def parse_pghp(buf: np.ndarray, a: int, b: int) -> np.int64:
    """Time of a Gatehouse ``$PGHP,1,yyyy,m,d,h,mi,s,ms,…*hh`` line (buf[a] is '$')."""
    # fields after "$PGHP,": 0 = message kind (1 = time header), 1..7 = y m d h mi s ms
    vals = np.full(8, -1, np.int64)
    k = 0
    i = a + 6
    start = i
    while i <= b and k < 8:
        if i == b or buf[i] == 44 or buf[i] == 42:  # ',' or '*' or end
            vals[k] = _int_field(buf, start, i)
            k += 1
            start = i + 1
            if i == b or buf[i] == 42:
                break
        i += 1
    if k < 8 or vals[0] != 1:
        return NO_TS
    ms = vals[7] if 0 <= vals[7] <= 999 else 0
    return civil_us(vals[1], vals[2], vals[3], vals[4], vals[5], vals[6], ms * 1000)


@nb.njit(cache=True, nogil=True)
def _digits(buf: np.ndarray, i: int, n: int, b: int) -> int:
    if i + n > b:
        return -1
    return _int_field(buf, i, i + n)


@nb.njit(cache=True, nogil=True)
def parse_prefix(buf: np.ndarray, a: int, b: int) -> np.int64:
    """A receiver timestamp written before the sentence: Unix epoch (s or ms, optional
    fraction) or ISO 8601 ``YYYY-MM-DD[T ]HH:MM:SS[.fff][Z]``, surrounded by separators."""
    while a < b and buf[a] in (32, 9, 91, 40, 60):  # space tab [ ( <
        a += 1
    while b > a and buf[b - 1] in (32, 9, 44, 59, 58, 124, 93, 41, 62, 61):  # , ; : | ] ) > =
        b -= 1
    if b <= a:
        return NO_TS
    ts = parse_epoch(buf, a, b)
    if ts != NO_TS:
        return ts
    if b - a < 19:
        return NO_TS
    y = _digits(buf, a, 4, b)
    mo = _digits(buf, a + 5, 2, b)
    d = _digits(buf, a + 8, 2, b)
    h = _digits(buf, a + 11, 2, b)
    mi = _digits(buf, a + 14, 2, b)
    s = _digits(buf, a + 17, 2, b)
    if buf[a + 4] != 45 or buf[a + 7] != 45 or buf[a + 13] != 58 or buf[a + 16] != 58:
        return NO_TS
    if buf[a + 10] != 84 and buf[a + 10] != 32:  # 'T' or ' '
        return NO_TS
    i = a + 19
    us = 0
    if i < b and buf[i] == 46:
        i += 1
        scale = _US
        while i < b and 48 <= buf[i] <= 57:
            scale //= 10
            us += (buf[i] - 48) * scale
            i += 1
    if i < b and buf[i] == 90:  # 'Z'
        i += 1
    if i != b:
        return NO_TS
    return civil_us(y, mo, d, h, mi, s, us)
