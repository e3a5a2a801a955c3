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


@nb.njit(cache=True, nogil=True, inline="always")
def pack_words(pbuf: np.ndarray, off: int, nchars: int, words: np.ndarray) -> None:
    """The 6-bit values pbuf[off:off+nchars] as big-endian bits in 64-bit words."""
    nw = (6 * nchars + 63) >> 6
    for w in range(nw + 1):
        words[w] = 0
    for k in range(nchars):
        v = np.uint64(pbuf[off + k])
        bitpos = 6 * k
        wi = bitpos >> 6
        sh = bitpos & 63
        if sh <= 58:
            words[wi] |= v << np.uint64(58 - sh)
        else:
            words[wi] |= v >> np.uint64(sh - 58)
            words[wi + 1] |= v << np.uint64(122 - sh)


@nb.njit(cache=True, nogil=True, inline="always")
def word_bits(words: np.ndarray, start: int, width: int) -> np.int64:
    """Unsigned value of bits [start, start+width) of the packed words (width <= 58)."""
    wi = start >> 6
    sh = start & 63
    hi = words[wi] << np.uint64(sh)
    if sh + width > 64:
        hi |= words[wi + 1] >> np.uint64(64 - sh)
    return np.int64(hi >> np.uint64(64 - width))


@nb.njit(cache=True, nogil=True)
def extract_numeric(
    pbuf: np.ndarray,
    m_off: np.ndarray,
    m_len: np.ndarray,
    nbits: np.ndarray,
    lid: np.ndarray,
    idx: np.ndarray,
    slots: np.ndarray,
    nslots: np.ndarray,
    start: np.ndarray,
    width: np.ndarray,
    signed: np.ndarray,
    has_na: np.ndarray,
    na: np.ndarray,
    scale: np.ndarray,
    is_rot: np.ndarray,
    slot_cls: np.ndarray,
    slot_row: np.ndarray,
    o_f64: np.ndarray,
    o_f32: np.ndarray,
    o_i32: np.ndarray,
    o_i16: np.ndarray,
    o_i8: np.ndarray,
    valid: np.ndarray,
) -> None:
    """Decode the numeric slots of messages idx into typed rows (see ``_slots``).

    Slot s of message idx[r] goes to row slot_row[s] of the array of its class
    (0 float64, 1 float32, 2 int32, 3 int16, 4 int8/bool), column r; valid[s, r] = 1
    when present. Only the slots a layout has are visited; ``valid`` comes zeroed.
    """
    words = np.zeros(20, np.uint64)
    for r in range(idx.shape[0]):
        i = idx[r]
        nb_ = nbits[i]
        lay = lid[i]
        pack_words(pbuf, m_off[i], min(m_len[i], 168), words)
        for k in range(nslots[lay]):
            s = slots[lay, k]
            w = width[lay, s]
            st = start[lay, s]
            if st + w > nb_:
                continue
            raw = word_bits(words, st, w)
            if signed[lay, s] and raw >= (np.int64(1) << (w - 1)):
                raw -= np.int64(1) << w
            if has_na[lay, s] and raw == na[lay, s]:
                continue
            valid[s, r] = 1
            cls = slot_cls[s]
            row = slot_row[s]
            if cls >= 2:
                if cls == 2:
                    o_i32[row, r] = raw
                elif cls == 3:
                    o_i16[row, r] = raw
                else:
                    o_i8[row, r] = raw
                continue
            if is_rot[lay, s]:
                v = raw / 4.733
                x = v * v if raw >= 0 else -v * v
            else:
                x = raw / scale[lay, s]
            if cls == 0:
                o_f64[row, r] = x
            else:
                o_f32[row, r] = x


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


@nb.njit(cache=True, nogil=True)
def eta_strings(
    month: np.ndarray, day: np.ndarray, hour: np.ndarray, minute: np.ndarray,
    valid: np.ndarray, data: np.ndarray, offsets: np.ndarray,
) -> None:
    """'MM-DDTHH:MM' for rows whose four ETA parts are valid (Arrow string buffers)."""
    pos = 0
    offsets[0] = 0
    for r in range(month.shape[0]):
        if valid[r]:
            for v, sep in ((month[r], 45), (day[r], 84), (hour[r], 58), (minute[r], 0)):
                data[pos] = 48 + v // 10
                data[pos + 1] = 48 + v % 10
                pos += 2
                if sep:
                    data[pos] = sep
                    pos += 1
        offsets[r + 1] = pos
