"""NMEA framing, compiled: lines → complete AIS messages as 6-bit values.

One pass over a byte buffer of whole lines. Per line: optional receiver timestamp
prefix, NMEA 4.10 tag blocks (``c:`` time, ``s:`` source, ``g:`` group), ``$PGHP``
Gatehouse time headers (they stamp the next sentence), ``!xxVDM``/``!xxVDO`` sentences
with checksum, optional extra fields before ``*`` and trailing fields after it (a Unix
epoch in the last one is a timestamp), several sentences on one line. Multi-part
messages are reassembled in a bounded table of slots keyed by tag-block group, or by
source + sequence id + channel; a slot not completed within ``window`` sentences, or
evicted when the table is full, is dropped and counted as incomplete.

Everything is counted (see ``C_*``); nothing raises on bad input. The kernel stops
early (returning where) when an output or the source table is nearly full, so the
caller can grow buffers and call again: memory is bounded by the chunk size.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from armswatch.ais._timeparse import NO_TS, parse_epoch, parse_pghp, parse_prefix

# counters
C_LINES = 0
C_BLANK = 1  # empty lines and '#' comments
C_SENTENCES = 2  # VDM/VDO sentences framed (checksum good or bad)
C_BAD_CHECKSUM = 3
C_TOO_LONG = 4  # malformed: line longer than max_line_len
C_BAD_ARMOUR = 5  # malformed: payload character outside the 6-bit armour alphabet
C_BAD_FIELDS = 6  # malformed: sentence fields or checksum missing / not numbers / fill > 5
C_GARBAGE = 7  # malformed: a line with no NMEA sentence at all
C_OTHER_NMEA = 8  # other NMEA sentences ($GPRMC, $PSTT …), ignored
C_PGHP = 9
C_TAG_BAD_CHECKSUM = 10  # tag block checksum wrong (tags still used)
C_TAG_ONLY = 11  # a line holding only a tag block (e.g. DMA "\si:AISD*3F\")
C_FRAGMENTS = 12  # parts of multi-part messages
C_INCOMPLETE = 13  # multi-part messages dropped because parts were missing
C_INCOMPLETE_FRAGMENTS = 14  # fragments in those dropped messages
C_MESSAGES = 15  # complete messages emitted
C_VDO = 16  # messages from own ship (VDO)
C_PREFIX_UNPARSED = 17  # text before the sentence that is not a timestamp (ignored)
C_DUP_FRAGMENT = 18  # a part arrived twice before its message completed
C_EMPTY_PAYLOAD = 19  # malformed: payload with no bits
N_COUNTERS = 20

# timestamp sources, by priority
TS_NONE, TS_TAG, TS_PGHP, TS_TRAILING, TS_PREFIX, TS_MESSAGE = 0, 1, 2, 3, 4, 5

# state slots
S_LINE_NO, S_SENTENCE_NO, S_PGHP_TS, S_NSRC = 0, 1, 2, 3
N_STATE = 4

MAX_PARTS = 9
PART_CHARS = 128  # a fragment's payload longer than this is malformed


@nb.njit(cache=True, nogil=True, inline="always")
def _sixbit(c: int) -> int:
    if 48 <= c <= 87:
        return c - 48
    if 96 <= c <= 119:
        return c - 56
    return -1


@nb.njit(cache=True, nogil=True)
def _hexval(c: int) -> int:
    if 48 <= c <= 57:
        return c - 48
    if 65 <= c <= 70:
        return c - 55
    if 97 <= c <= 102:
        return c - 87
    return -1


@nb.njit(cache=True, nogil=True)
def _source_index(
    buf: np.ndarray,
    a: int,
    b: int,
    tab_hash: np.ndarray,
    tab_idx: np.ndarray,
    st: np.ndarray,
    new_off: np.ndarray,
    new_len: np.ndarray,
    nnew: np.ndarray,
) -> int:
    """Index of the source string buf[a:b] (FNV-1a hash, open addressing)."""
    h = np.uint64(14695981039346656037)
    for i in range(a, b):
        h = (h ^ np.uint64(buf[i])) * np.uint64(1099511628211)
    hv = np.int64(h & np.uint64(0x7FFFFFFFFFFFFFFF)) | 1  # never 0 (= empty slot)
    mask = tab_hash.shape[0] - 1
    j = hv & mask
    while True:
        if tab_hash[j] == hv:
            return int(tab_idx[j])
        if tab_hash[j] == 0:
            idx = st[S_NSRC]
            st[S_NSRC] += 1
            tab_hash[j] = hv
            tab_idx[j] = idx
            k = nnew[0]
            new_off[k] = a
            new_len[k] = b - a
            nnew[0] += 1
            return int(idx)
        j = (j + 1) & mask


@nb.njit(cache=True, nogil=True)
def _digits_value(buf: np.ndarray, a: int, b: int) -> int:
    """Digits in buf[a:b] as an int; -1 if empty, not digits or too long."""
    if b <= a or b - a > 9:
        return -1
    v = 0
    for i in range(a, b):
        c = buf[i]
        if c < 48 or c > 57:
            return -1
        v = v * 10 + c - 48
    return v


@nb.njit(cache=True, nogil=True)
def _parse_tag(buf: np.ndarray, a: int, b: int, out: np.ndarray) -> None:
    """Tag block contents buf[a:b] (between the backslashes) into
    out = [c time, s start, s end, g part, g total, g id, checksum ok]."""
    out[0] = NO_TS
    out[1] = -1
    out[2] = -1
    out[3] = -1
    out[4] = -1
    out[5] = -1
    star = b
    x = 0
    for i in range(a, b):
        if buf[i] == 42:
            star = i
            break
        x ^= buf[i]
    ok = 1
    if star < b:
        v = 0
        nd = 0
        for i in range(star + 1, b):
            h = _hexval(buf[i])
            if h < 0 or nd == 2:
                nd = 3
                break
            v = v * 16 + h
            nd += 1
        ok = 1 if (nd in (1, 2) and v == x) else 0
    else:
        ok = 0
    out[6] = ok
    i = a
    while i < star:
        j = i
        while j < star and buf[j] != 44:
            j += 1
        # item buf[i:j] like "c:1234"
        if j - i >= 2 and buf[i + 1] == 58:
            key = buf[i]
            if key == 99 or key == 67:  # c / C
                out[0] = parse_epoch(buf, i + 2, j)
            elif key == 115:  # s
                out[1] = i + 2
                out[2] = j
            elif key == 103 or key == 71:  # g / G: part-total-id
                k1 = i + 2
                while k1 < j and buf[k1] != 45:
                    k1 += 1
                k2 = k1 + 1
                while k2 < j and buf[k2] != 45:
                    k2 += 1
                if k2 < j:
                    out[3] = _digits_value(buf, i + 2, k1)
                    out[4] = _digits_value(buf, k1 + 1, k2)
                    out[5] = _digits_value(buf, k2 + 1, j)
        i = j + 1


@nb.njit(cache=True, nogil=True)
def _emit(
    vals: np.ndarray,
    n6: int,
    fill: int,
    ts: np.int64,
    tssrc: int,
    src: int,
    line: np.int64,
    csok: int,
    own: int,
    pbuf: np.ndarray,
    pused: np.ndarray,
    nmsg: np.ndarray,
    m_off: np.ndarray,
    m_len: np.ndarray,
    m_fill: np.ndarray,
    m_ts: np.ndarray,
    m_tssrc: np.ndarray,
    m_src: np.ndarray,
    m_line: np.ndarray,
    m_csok: np.ndarray,
    m_own: np.ndarray,
) -> None:
    k = nmsg[0]
    o = pused[0]
    pbuf[o : o + n6] = vals[:n6]
    m_off[k] = o
    m_len[k] = n6
    m_fill[k] = fill
    m_ts[k] = ts
    m_tssrc[k] = tssrc
    m_src[k] = src
    m_line[k] = line
    m_csok[k] = csok
    m_own[k] = own
    pused[0] = o + n6
    nmsg[0] = k + 1


@nb.njit(cache=True, nogil=True)
def frame(
    buf: np.ndarray,
    start: int,
    end: int,
    final: bool,
    max_lines: int,
    keep_bad: bool,
    max_line_len: int,
    window: int,
    st: np.ndarray,
    cnt: np.ndarray,
    tab_hash: np.ndarray,
    tab_idx: np.ndarray,
    new_off: np.ndarray,
    new_len: np.ndarray,
    ms_key: np.ndarray,
    ms_first: np.ndarray,
    ms_have: np.ndarray,
    ms_total: np.ndarray,
    ms_plen: np.ndarray,
    ms_data: np.ndarray,
    ms_meta: np.ndarray,
    pbuf: np.ndarray,
    m_off: np.ndarray,
    m_len: np.ndarray,
    m_fill: np.ndarray,
    m_ts: np.ndarray,
    m_tssrc: np.ndarray,
    m_src: np.ndarray,
    m_line: np.ndarray,
    m_csok: np.ndarray,
    m_own: np.ndarray,
) -> tuple[int, int, int, int]:
    """Frame the lines in buf[start:end]; returns (stop offset, messages, new sources,
    payload bytes used). ms_meta[k] = [fill, ts, tssrc, src, line, csok, own, nfrag]."""
    nmsg = np.zeros(1, np.int64)
    pused = np.zeros(1, np.int64)
    nnew = np.zeros(1, np.int64)
    tag = np.zeros(7, np.int64)
    fs = np.empty(6, np.int64)
    fe = np.empty(6, np.int64)
    vals = np.empty(max(max_line_len, MAX_PARTS * PART_CHARS) + 8, np.uint8)
    msg_cap = m_off.shape[0]
    pcap = pbuf.shape[0]
    reserve = max(max_line_len, MAX_PARTS * PART_CHARS)
    nslots = ms_key.shape[0]
    nlines = 0
    pos = start
    while pos < end:
        if nlines >= max_lines or nmsg[0] + 8 > msg_cap or pused[0] + reserve > pcap:
            break
        if 4 * (st[S_NSRC] + 16) > tab_hash.shape[0] or nnew[0] + 16 > new_off.shape[0]:
            break
        nl = pos
        while nl < end and buf[nl] != 10:
            nl += 1
        if nl == end and not final:
            break
        nxt_line = nl + 1
        a = pos
        b = nl
        pos = nxt_line
        nlines += 1
        cnt[C_LINES] += 1
        st[S_LINE_NO] += 1
        line_no = st[S_LINE_NO]
        while b > a and (
            buf[b - 1] == 13 or buf[b - 1] == 32 or buf[b - 1] == 9 or buf[b - 1] == 0
        ):
            b -= 1
        while a < b and (buf[a] == 32 or buf[a] == 9):
            a += 1
        if b == a or buf[a] == 35:
            cnt[C_BLANK] += 1
            continue
        if b - a > max_line_len:
            cnt[C_TOO_LONG] += 1
            continue
        p = a
        first = True
        while p < b:
            q = p
            # find the sentence start, reading tag blocks on the way; a backslash that
            # does not open a well-formed "\\...*hh\\" block is junk and skipped
            tag_ts = NO_TS
            src = -1
            g_id = -1
            had_tag = False
            prefix_end = -1
            while True:
                while q < b and buf[q] != 92 and buf[q] != 33 and buf[q] != 36:
                    q += 1
                if prefix_end < 0:
                    prefix_end = q
                if q == b or buf[q] != 92:
                    break
                r = q + 1
                has_star = False
                while r < b and buf[r] != 92:
                    if buf[r] == 42:
                        has_star = True
                    r += 1
                if r == b or not has_star:
                    q += 1
                    continue
                _parse_tag(buf, q + 1, r, tag)
                had_tag = True
                if tag[6] == 0:
                    cnt[C_TAG_BAD_CHECKSUM] += 1
                if tag[0] != NO_TS:
                    tag_ts = tag[0]
                if tag[1] >= 0:
                    src = _source_index(
                        buf, tag[1], tag[2], tab_hash, tab_idx, st, new_off, new_len, nnew
                    )
                if tag[5] >= 0:
                    g_id = tag[5]
                q = r + 1
                if q < b and buf[q] != 92 and buf[q] != 33 and buf[q] != 36:
                    break  # text right after a tag block: not a sentence
            if q == b and not had_tag:
                if first:
                    cnt[C_GARBAGE] += 1
                break
            prefix_ts = NO_TS
            if prefix_end > p and first:
                prefix_ts = parse_prefix(buf, p, prefix_end)
                if prefix_ts == NO_TS:
                    cnt[C_PREFIX_UNPARSED] += 1
            first = False
            if q == b:
                cnt[C_TAG_ONLY] += 1
                break
            # --- sentence header: !xxVDM, / $xxVDM, / $PGHP
            if buf[q] != 33 and buf[q] != 36:
                cnt[C_GARBAGE] += 1
                break
            if b - q < 7:
                cnt[C_BAD_FIELDS] += 1
                break
            if (
                buf[q] == 36
                and buf[q + 1] == 80
                and buf[q + 2] == 71
                and buf[q + 3] == 72
                and buf[q + 4] == 80
            ):
                ts = parse_pghp(buf, q, b)
                st[S_PGHP_TS] = ts
                cnt[C_PGHP] += 1
                break
            if not (
                buf[q + 3] == 86
                and buf[q + 4] == 68
                and (buf[q + 5] == 77 or buf[q + 5] == 79)
                and buf[q + 6] == 44
            ):
                if buf[q] == 36 or buf[q] == 33:
                    cnt[C_OTHER_NMEA] += 1
                else:
                    cnt[C_GARBAGE] += 1
                break
            own = 1 if buf[q + 5] == 79 else 0
            # checksum over buf[q+1:star]
            x = 0
            star = q + 1
            while star < b and buf[star] != 42:
                x ^= buf[star]
                star += 1
            if star >= b or star + 3 > b:
                cnt[C_BAD_FIELDS] += 1
                break
            h1 = _hexval(buf[star + 1])
            h2 = _hexval(buf[star + 2])
            if h1 < 0 or h2 < 0:
                cnt[C_BAD_FIELDS] += 1
                break
            csok = 1 if h1 * 16 + h2 == x else 0
            # fields: total, num, seq, channel, payload, fill
            f = q + 7
            k = 0
            s0 = f
            i = f
            while i <= star and k < 6:
                if i == star or buf[i] == 44:
                    fs[k] = s0
                    fe[k] = i
                    k += 1
                    s0 = i + 1
                i += 1
            if k < 6:
                cnt[C_BAD_FIELDS] += 1
                break
            total = _digits_value(buf, fs[0], fe[0])
            num = _digits_value(buf, fs[1], fe[1])
            seq = _digits_value(buf, fs[2], fe[2]) if fe[2] > fs[2] else -1
            chan = int(buf[fs[3]]) if fe[3] > fs[3] else 0
            if fe[5] == fs[5]:
                fill = 0
            elif fe[5] - fs[5] == 1 and 48 <= buf[fs[5]] <= 53:
                fill = buf[fs[5]] - 48
            else:
                fill = -1
            ntrail = star + 3
            # the rest of the line: trailing fields, or another sentence
            nxt = ntrail
            while nxt < b and buf[nxt] != 92 and buf[nxt] != 33:
                nxt += 1
            trail_ts = NO_TS
            if ntrail < nxt and buf[ntrail] == 44:
                e = nxt
                while e > ntrail and buf[e - 1] == 44:
                    e -= 1
                s1 = e
                while s1 > ntrail and buf[s1 - 1] != 44:
                    s1 -= 1
                if e - s1 >= 10:
                    trail_ts = parse_epoch(buf, s1, e)
            p = nxt
            if total < 1 or total > MAX_PARTS or num < 1 or num > total or fill < 0 or (seq > 99):
                cnt[C_BAD_FIELDS] += 1
                continue
            cnt[C_SENTENCES] += 1
            if not csok:
                cnt[C_BAD_CHECKSUM] += 1
                if not keep_bad:
                    continue
            plen = fe[4] - fs[4]
            if plen == 0:
                cnt[C_EMPTY_PAYLOAD] += 1
                continue
            if total > 1 and plen > PART_CHARS:
                cnt[C_BAD_FIELDS] += 1
                continue
            badc = False
            for j in range(plen):
                v = _sixbit(buf[fs[4] + j])
                if v < 0:
                    badc = True
                    break
                vals[j] = v
            if badc:
                cnt[C_BAD_ARMOUR] += 1
                continue
            # timestamp by priority
            ts = NO_TS
            tssrc = 0
            if tag_ts != NO_TS:
                ts = tag_ts
                tssrc = TS_TAG
            elif st[S_PGHP_TS] != NO_TS:
                ts = st[S_PGHP_TS]
                tssrc = TS_PGHP
            elif trail_ts != NO_TS:
                ts = trail_ts
                tssrc = TS_TRAILING
            elif prefix_ts != NO_TS:
                ts = prefix_ts
                tssrc = TS_PREFIX
            st[S_PGHP_TS] = NO_TS
            st[S_SENTENCE_NO] += 1
            sno = st[S_SENTENCE_NO]
            if total == 1:
                if 6 * plen - fill < 6:
                    cnt[C_EMPTY_PAYLOAD] += 1
                    continue
                cnt[C_MESSAGES] += 1
                cnt[C_VDO] += own
                _emit(
                    vals,
                    plen,
                    fill,
                    ts,
                    tssrc,
                    src,
                    line_no,
                    csok,
                    own,
                    pbuf,
                    pused,
                    nmsg,
                    m_off,
                    m_len,
                    m_fill,
                    m_ts,
                    m_tssrc,
                    m_src,
                    m_line,
                    m_csok,
                    m_own,
                )
                continue
            # --- multi-part: find or open a slot
            cnt[C_FRAGMENTS] += 1
            if g_id >= 0:
                key = (np.int64(1) << 62) | (np.int64(g_id) << 8) | total
            else:
                key = (
                    (np.int64(src + 1) << 24)
                    | (np.int64(seq + 1) << 16)
                    | (np.int64(chan) << 8)
                    | total
                )
            slot = -1
            free = -1
            oldest = -1
            for s in range(nslots):
                if ms_have[s] != 0 and sno - ms_first[s] > window:
                    cnt[C_INCOMPLETE] += 1
                    cnt[C_INCOMPLETE_FRAGMENTS] += ms_meta[s, 7]
                    ms_have[s] = 0
                if ms_have[s] == 0:
                    if free < 0:
                        free = s
                elif ms_key[s] == key:
                    slot = s
                elif oldest < 0 or ms_first[s] < ms_first[oldest]:
                    oldest = s
            bit = 1 << (num - 1)
            if slot >= 0 and (ms_have[slot] & bit) != 0:
                # this part again: the pending message lost its other parts
                cnt[C_DUP_FRAGMENT] += 1
                cnt[C_INCOMPLETE] += 1
                cnt[C_INCOMPLETE_FRAGMENTS] += ms_meta[slot, 7]
                ms_have[slot] = 0
                free = slot
                slot = -1
            if slot < 0:
                if free < 0:
                    cnt[C_INCOMPLETE] += 1
                    cnt[C_INCOMPLETE_FRAGMENTS] += ms_meta[oldest, 7]
                    ms_have[oldest] = 0
                    free = oldest
                slot = free
                ms_key[slot] = key
                ms_first[slot] = sno
                ms_total[slot] = total
                ms_meta[slot, 1] = NO_TS
                ms_meta[slot, 2] = 0
                ms_meta[slot, 3] = -1
                ms_meta[slot, 4] = line_no
                ms_meta[slot, 5] = 1
                ms_meta[slot, 6] = own
                ms_meta[slot, 7] = 0
            ms_have[slot] |= bit
            ms_meta[slot, 7] += 1
            ms_plen[slot, num - 1] = plen
            ms_data[slot, num - 1, :plen] = vals[:plen]
            if num == total:
                ms_meta[slot, 0] = fill
            if ts != NO_TS and (num == 1 or ms_meta[slot, 1] == NO_TS):
                ms_meta[slot, 1] = ts
                ms_meta[slot, 2] = tssrc
            if src >= 0 and (num == 1 or ms_meta[slot, 3] < 0):
                ms_meta[slot, 3] = src
            if num == 1:
                ms_meta[slot, 4] = line_no
            if csok == 0:
                ms_meta[slot, 5] = 0
            if ms_have[slot] == (1 << total) - 1:
                n6 = 0
                for j in range(total):
                    ln = ms_plen[slot, j]
                    vals[n6 : n6 + ln] = ms_data[slot, j, :ln]
                    n6 += ln
                ms_have[slot] = 0
                if 6 * n6 - ms_meta[slot, 0] < 6:
                    cnt[C_EMPTY_PAYLOAD] += 1
                    continue
                cnt[C_MESSAGES] += 1
                cnt[C_VDO] += ms_meta[slot, 6]
                _emit(
                    vals,
                    n6,
                    ms_meta[slot, 0],
                    ms_meta[slot, 1],
                    ms_meta[slot, 2],
                    ms_meta[slot, 3],
                    ms_meta[slot, 4],
                    ms_meta[slot, 5],
                    ms_meta[slot, 6],
                    pbuf,
                    pused,
                    nmsg,
                    m_off,
                    m_len,
                    m_fill,
                    m_ts,
                    m_tssrc,
                    m_src,
                    m_line,
                    m_csok,
                    m_own,
                )
    if final and pos >= end:
        for s in range(nslots):
            if ms_have[s] != 0:
                cnt[C_INCOMPLETE] += 1
                cnt[C_INCOMPLETE_FRAGMENTS] += ms_meta[s, 7]
                ms_have[s] = 0
    return pos, int(nmsg[0]), int(nnew[0]), int(pused[0])
