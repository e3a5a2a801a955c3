"""Compiled field extraction, driven by tables built from the layout spec.

The kernels know nothing about message types: for each message they look up its layout
row in START/WIDTH/… tables (one column per output slot) built by :mod:`._slots` from
:mod:`._spec`. A width of 0 means "this layout has no such field" (null).
"""

from __future__ import annotations

import numba as nb
import numpy as np

from armswatch.ais._timeparse import NO_TS, civil_us


@nb.njit(cache=True, nogil=True, inline="always")
def getbits(pbuf: np.ndarray, off: int, start: int, width: int) -> np.int64:
    """Unsigned value of bits [start, start+width) of the 6-bit values at pbuf[off:]."""
    c0 = start // 6
    c1 = (start + width - 1) // 6
    acc = np.int64(0)
    for c in range(c0, c1 + 1):
        acc = (acc << 6) | np.int64(pbuf[off + c])
    shift = (c1 - c0 + 1) * 6 - (start - c0 * 6) - width
    return (acc >> shift) & ((np.int64(1) << width) - 1)


@nb.njit(cache=True, nogil=True)
def layout_ids(
    pbuf: np.ndarray,
    m_off: np.ndarray,
    m_len: np.ndarray,
    m_fill: np.ndarray,
    type_lid: np.ndarray,
    lid_24a: int,
    lid_24b: int,
    lid_24b_aux: int,
    msg_type: np.ndarray,
    lid: np.ndarray,
    nbits: np.ndarray,
) -> None:
    """Message type, layout id (-1: none, or too short for an MMSI) and bit count."""
    for i in range(m_off.shape[0]):
        off = m_off[i]
        nb_ = 6 * m_len[i] - m_fill[i]
        nbits[i] = nb_
        t = pbuf[off]
        msg_type[i] = t
        if nb_ < 38:
            lid[i] = -1
            continue
        if t == 24:
            if nb_ < 40:
                lid[i] = -1
                continue
            part = getbits(pbuf, off, 38, 2)
            if part == 0:
                lid[i] = lid_24a
            elif part == 1:
                mmsi = getbits(pbuf, off, 8, 30)
                lid[i] = lid_24b_aux if 980_000_000 <= mmsi <= 989_999_999 else lid_24b
            else:
                lid[i] = -1
        else:
            lid[i] = type_lid[t]


@nb.njit(cache=True, nogil=True)
def extract_numeric(
    pbuf: np.ndarray,
    m_off: np.ndarray,
    nbits: np.ndarray,
    lid: np.ndarray,
    idx: np.ndarray,
    start: np.ndarray,
    width: np.ndarray,
    signed: np.ndarray,
    has_na: np.ndarray,
    na: np.ndarray,
    scale: np.ndarray,
    is_rot: np.ndarray,
    out: np.ndarray,
    valid: np.ndarray,
) -> None:
    """out[s, r], valid[s, r] for slot s of message idx[r] (physical value as float64)."""
    nslot = start.shape[1]
    for r in range(idx.shape[0]):
        i = idx[r]
        off = m_off[i]
        nb_ = nbits[i]
        lay = lid[i]
        for s in range(nslot):
            w = width[lay, s]
            st = start[lay, s]
            if w == 0 or st + w > nb_:
                valid[s, r] = 0
                out[s, r] = 0.0
                continue
            raw = getbits(pbuf, off, st, w)
            if signed[lay, s] and raw >= (np.int64(1) << (w - 1)):
                raw -= np.int64(1) << w
            if has_na[lay, s] and raw == na[lay, s]:
                valid[s, r] = 0
                out[s, r] = 0.0
                continue
            valid[s, r] = 1
            if is_rot[lay, s]:
                v = raw / 4.733
                out[s, r] = v * v if raw >= 0 else -v * v
            else:
                out[s, r] = raw / scale[lay, s]


@nb.njit(cache=True, nogil=True)
def extract_text(
    pbuf: np.ndarray,
    m_off: np.ndarray,
    nbits: np.ndarray,
    lid: np.ndarray,
    idx: np.ndarray,
    tstart: np.ndarray,
    tchars: np.ndarray,
    data: np.ndarray,
    offsets: np.ndarray,
    valid: np.ndarray,
) -> None:
    """6-bit text slots as Arrow string buffers: data[s], offsets[s], valid[s].

    Text is cut at the first '@' and stripped of spaces; empty text is null.
    ``tchars`` < 0 means "variable: every whole character to the end of the payload".
    """
    nslot = tstart.shape[1]
    for s in range(nslot):
        pos = 0
        offsets[s, 0] = 0
        for r in range(idx.shape[0]):
            i = idx[r]
            lay = lid[i]
            st = tstart[lay, s]
            nc = tchars[lay, s]
            nb_ = nbits[i]
            if nc < 0:
                nc = max(0, (nb_ - st) // 6)
            elif nc > 0 and st + 6 * nc > nb_:
                nc = max(0, (nb_ - st) // 6)  # short payload: the characters that fit
            begin = pos
            if nc > 0:
                off = m_off[i]
                for k in range(nc):
                    v = getbits(pbuf, off, st + 6 * k, 6)
                    if v == 0:  # '@': padding starts
                        break
                    data[s, pos] = v + 64 if v < 32 else v
                    pos += 1
                while pos > begin and data[s, pos - 1] == 32:
                    pos -= 1
                lead = begin
                while lead < pos and data[s, lead] == 32:
                    lead += 1
                if lead > begin:
                    n = pos - lead
                    for k in range(n):
                        data[s, begin + k] = data[s, lead + k]
                    pos = begin + n
            valid[s, r] = 1 if pos > begin else 0
            offsets[s, r + 1] = pos


@nb.njit(cache=True, nogil=True)
def armour_strings(
    pbuf: np.ndarray,
    m_off: np.ndarray,
    m_len: np.ndarray,
    idx: np.ndarray,
    data: np.ndarray,
    offsets: np.ndarray,
) -> None:
    """Payloads of messages idx as armoured text (Arrow string buffers)."""
    pos = 0
    offsets[0] = 0
    for r in range(idx.shape[0]):
        i = idx[r]
        off = m_off[i]
        for k in range(m_len[i]):
            v = pbuf[off + k]
            data[pos] = v + 48 if v < 40 else v + 56
            pos += 1
        offsets[r + 1] = pos


@nb.njit(cache=True, nogil=True)
def station_times(
    year: np.ndarray,
    month: np.ndarray,
    day: np.ndarray,
    hour: np.ndarray,
    minute: np.ndarray,
    second: np.ndarray,
    valid: np.ndarray,
    out: np.ndarray,
) -> None:
    """UTC microseconds of the date/time in base station reports (NO_TS when n/a)."""
    for r in range(out.shape[0]):
        if valid[r]:
            out[r] = civil_us(
                int(year[r]),
                int(month[r]),
                int(day[r]),
                int(hour[r]),
                int(minute[r]),
                int(second[r]),
                0,
            )
        else:
            out[r] = NO_TS


@nb.njit(cache=True, nogil=True)
def header_fields(
    pbuf: np.ndarray,
    m_off: np.ndarray,
    nbits: np.ndarray,
    idx: np.ndarray,
    repeat: np.ndarray,
    mmsi: np.ndarray,
) -> None:
    """Repeat indicator and MMSI of any message (-1 when the payload is too short)."""
    for r in range(idx.shape[0]):
        i = idx[r]
        repeat[r] = getbits(pbuf, m_off[i], 6, 2) if nbits[i] >= 8 else -1
        mmsi[r] = getbits(pbuf, m_off[i], 8, 30) if nbits[i] >= 38 else -1
