"""Buffers of NMEA lines → :class:`DecodeResult` (framing state, kernels, Arrow assembly).

A :class:`Decoder` holds what must survive from one chunk to the next: the multi-part
slots, the pending ``$PGHP`` time, the line counter and the table of tag-block sources.
Pure logic, no file I/O (that lives in :mod:`._io`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from armswatch.ais import _frame as fk
from armswatch.ais._kernels import (
    armour_strings,
    extract_numeric,
    extract_text,
    header_fields,
    layout_ids,
    station_times,
)
from armswatch.ais._result import (
    AIS_OTHER_SCHEMA,
    AIS_POSITIONS_SCHEMA,
    AIS_STATICS_SCHEMA,
    DecodeResult,
    IngestReport,
)
from armswatch.ais._slots import (
    POSITION_SLOTS,
    STATIC_SLOTS,
    STATIC_TEXT_SLOTS,
    STATION_TIME_TYPES,
    NumericTables,
    TextTables,
    tables,
)
from armswatch.ais._timeparse import NO_TS
from armswatch.errors import ConfigError

TS_NAMES = ("", "tag_block", "pghp", "trailing_epoch", "line_prefix", "message")
_TS_DICT = pa.array(TS_NAMES[1:], pa.string())


@dataclass(frozen=True)
class DecodeOptions:
    """How to decode. Defaults suit real receiver logs.

    keep_bad_checksum: keep sentences whose checksum is wrong (flagged ``checksum_ok``
        False); by default they are dropped — and always counted.
    multipart_window: a multi-part message not completed within this many sentences
        after its first part is dropped (counted as incomplete).
    multipart_slots: multi-part messages pending at once; when full, the oldest is dropped.
    max_line_len: longer lines are counted as malformed and skipped.
    chunk_lines: lines per chunk in streaming (bounds memory).
    """

    keep_bad_checksum: bool = False
    multipart_window: int = 1000
    multipart_slots: int = 64
    max_line_len: int = 2048
    chunk_lines: int = 1_000_000

    def __post_init__(self) -> None:
        if self.multipart_window < 1 or self.multipart_slots < 1:
            raise ConfigError("multipart_window and multipart_slots must be at least 1")
        if not 100 <= self.max_line_len <= 1_000_000:
            raise ConfigError("max_line_len must be between 100 and 1,000,000")
        if self.chunk_lines < 1:
            raise ConfigError("chunk_lines must be at least 1")


@dataclass
class _Framed:
    pbuf: np.ndarray
    off: np.ndarray
    length: np.ndarray
    fill: np.ndarray
    ts: np.ndarray
    tssrc: np.ndarray
    src: np.ndarray
    line: np.ndarray
    csok: np.ndarray
    own: np.ndarray
    counts: np.ndarray


class Decoder:
    """Stateful decoder of one input stream (one file): feed buffers of whole lines."""

    def __init__(self, source: str = "", options: DecodeOptions | None = None) -> None:
        self.options = options or DecodeOptions()
        self.source = source
        o = self.options
        k = o.multipart_slots
        self._st = np.zeros(fk.N_STATE, np.int64)
        self._st[fk.S_PGHP_TS] = NO_TS
        self._cnt = np.zeros(fk.N_COUNTERS, np.int64)
        self._tab_hash = np.zeros(1024, np.int64)
        self._tab_idx = np.zeros(1024, np.int64)
        self._ms_key = np.zeros(k, np.int64)
        self._ms_first = np.zeros(k, np.int64)
        self._ms_have = np.zeros(k, np.int64)
        self._ms_total = np.zeros(k, np.int64)
        self._ms_plen = np.zeros((k, fk.MAX_PARTS), np.int64)
        self._ms_data = np.zeros((k, fk.MAX_PARTS, fk.PART_CHARS), np.uint8)
        self._ms_meta = np.zeros((k, 8), np.int64)
        self._sources: list[str] = []
        self._dictionary = pa.array([source], pa.string())

    # -- framing -------------------------------------------------------------------------

    def _grow_sources(self) -> None:
        old_h, old_i = self._tab_hash, self._tab_idx
        size = old_h.shape[0] * 4
        h = np.zeros(size, np.int64)
        idx = np.zeros(size, np.int64)
        for hv, iv in zip(old_h[old_h != 0], old_i[old_h != 0], strict=True):
            j = int(hv) & (size - 1)
            while h[j] != 0:
                j = (j + 1) & (size - 1)
            h[j] = hv
            idx[j] = iv
        self._tab_hash, self._tab_idx = h, idx

    def frame(self, buf: np.ndarray, final: bool) -> Iterator[_Framed]:
        """Frame whole lines of ``buf`` (which ends at a line end unless ``final``)."""
        o = self.options
        pos, end = 0, buf.shape[0]
        reserve = max(o.max_line_len, fk.MAX_PARTS * fk.PART_CHARS)
        while True:
            if 4 * (self._st[fk.S_NSRC] + 16) > self._tab_hash.shape[0]:
                self._grow_sources()
            nbytes = min(end - pos, o.chunk_lines * o.max_line_len)
            msg_cap = min(o.chunk_lines, nbytes // 8 + 1) * 2 + 16
            pcap = nbytes + o.multipart_slots * fk.MAX_PARTS * fk.PART_CHARS + 2 * reserve
            new_cap = min(msg_cap, self._tab_hash.shape[0]) + 16
            new_off = np.empty(new_cap, np.int64)
            new_len = np.empty(new_cap, np.int64)
            pbuf = np.empty(pcap, np.uint8)
            m = [np.empty(msg_cap, np.int64) for _ in range(9)]
            before = self._cnt.copy()
            stop, nmsg, nnew, used = fk.frame(
                buf,
                pos,
                end,
                final,
                o.chunk_lines,
                o.keep_bad_checksum,
                o.max_line_len,
                o.multipart_window,
                self._st,
                self._cnt,
                self._tab_hash,
                self._tab_idx,
                new_off,
                new_len,
                self._ms_key,
                self._ms_first,
                self._ms_have,
                self._ms_total,
                self._ms_plen,
                self._ms_data,
                self._ms_meta,
                pbuf,
                *m,
            )
            if nnew:
                raw = buf.data
                for a, n in zip(new_off[:nnew], new_len[:nnew], strict=True):
                    text = bytes(raw[a : a + n]).decode("utf-8", "replace")
                    self._sources.append(text)
                self._dictionary = pa.array([self.source, *self._sources], pa.string())
            progressed = stop > pos or nmsg > 0
            pos = stop
            if progressed or (self._cnt != before).any():
                off, length, fill, ts, tssrc, src, line, csok, own = (a[:nmsg] for a in m)
                yield _Framed(
                    pbuf[:used],
                    off,
                    length,
                    fill,
                    ts,
                    tssrc,
                    src,
                    line,
                    csok,
                    own,
                    self._cnt - before,
                )
            if pos >= end or not progressed:
                return

    # -- decoding ------------------------------------------------------------------------

    def decode(self, buf: np.ndarray, final: bool) -> Iterator[DecodeResult]:
        """Decode whole lines in ``buf``; one result per chunk of at most chunk_lines."""
        for fr in self.frame(buf, final):
            yield self._build(fr)

    def _build(self, fr: _Framed) -> DecodeResult:
        t = tables()
        n = fr.off.shape[0]
        msg_type = np.empty(n, np.int64)
        lid = np.empty(n, np.int64)
        nbits = np.empty(n, np.int64)
        layout_ids(
            fr.pbuf,
            fr.off,
            fr.length,
            fr.fill,
            t.type_lid,
            t.lid_24a,
            t.lid_24b,
            t.lid_24b_aux,
            msg_type,
            lid,
            nbits,
        )
        has = lid >= 0
        lid_safe = np.where(has, lid, 0)
        pos_idx = np.flatnonzero(has & t.is_position_layout[lid_safe])
        sta_idx = np.flatnonzero(has & t.is_static_layout[lid_safe])
        oth_idx = np.flatnonzero(~has)
        positions = self._positions(fr, pos_idx, msg_type, lid, nbits, t.position)
        statics = self._statics(fr, sta_idx, msg_type, lid, nbits, t.static, t.text)
        other = self._other(fr, oth_idx, msg_type, nbits)
        report = self._report(fr, msg_type, lid, nbits, positions, statics, other)
        return DecodeResult(positions, statics, other, report)

    def _common(
        self,
        fr: _Framed,
        idx: np.ndarray,
        ts: np.ndarray | None = None,
        tssrc: np.ndarray | None = None,
    ) -> dict[str, pa.Array]:
        ts = fr.ts[idx] if ts is None else ts
        tssrc = fr.tssrc[idx] if tssrc is None else tssrc
        src = pa.array(fr.src[idx] + 1, pa.int32())
        tss = pa.array((tssrc - 1).astype(np.int32), pa.int32(), mask=tssrc == 0)
        return {
            "ts_utc": _ts_array(ts),
            "source": self._dictionary.take(src),
            "ts_source": _TS_DICT.take(tss),
            "own_ship": _bool_array(fr.own[idx]),
            "checksum_ok": _bool_array(fr.csok[idx]),
            "line_no": pa.array(fr.line[idx], pa.int64()),
        }

    def _positions(
        self,
        fr: _Framed,
        idx: np.ndarray,
        msg_type: np.ndarray,
        lid: np.ndarray,
        nbits: np.ndarray,
        nt: NumericTables,
    ) -> pa.Table:
        vals, valid = _numeric(fr, idx, lid, nbits, nt)
        cols = {
            name: _column(vals[i], valid[i], typ) for i, (name, typ) in enumerate(POSITION_SLOTS)
        }
        ts = fr.ts[idx]
        tssrc = fr.tssrc[idx]
        types = msg_type[idx]
        station = np.isin(types, list(STATION_TIME_TYPES)) & (ts == NO_TS)
        if station.any():
            s = {name: i for i, (name, _t) in enumerate(POSITION_SLOTS)}
            parts = ("year", "month", "day", "hour", "minute", "second")
            ok = station & np.logical_and.reduce([valid[s[p]] == 1 for p in parts])
            st_ts = np.empty(idx.shape[0], np.int64)
            y, mo, d, h, mi, sec = (vals[s[p]] for p in parts)
            station_times(y, mo, d, h, mi, sec, ok, st_ts)
            use = ok & (st_ts != NO_TS)
            ts = np.where(use, st_ts, ts)
            tssrc = np.where(use, fk.TS_MESSAGE, tssrc)
        common = self._common(fr, idx, ts, tssrc)
        cols["msg_type"] = pa.array(types.astype(np.int8), pa.int8())
        cols.update(common)
        return _table(cols, AIS_POSITIONS_SCHEMA)

    def _statics(
        self,
        fr: _Framed,
        idx: np.ndarray,
        msg_type: np.ndarray,
        lid: np.ndarray,
        nbits: np.ndarray,
        nt: NumericTables,
        tt: TextTables,
    ) -> pa.Table:
        vals, valid = _numeric(fr, idx, lid, nbits, nt)
        cols = {name: _column(vals[i], valid[i], typ) for i, (name, typ) in enumerate(STATIC_SLOTS)}
        texts = _texts(fr, idx, lid, nbits, tt)
        name = texts["name"]
        ext = texts["name_ext"]
        if ext.null_count < len(ext):
            joined = pc.binary_join_element_wise(pc.fill_null(name, ""), pc.fill_null(ext, ""), "")
            name = pc.if_else(pc.is_valid(ext), joined, name)
        cols.update(
            {
                "name": name,
                "callsign": texts["callsign"],
                "destination": texts["destination"],
                "vendor_id": texts["vendor_id"],
            }
        )
        cols["eta"] = _eta(cols)
        cols["msg_type"] = pa.array(msg_type[idx].astype(np.int8), pa.int8())
        cols.update(self._common(fr, idx))
        return _table(cols, AIS_STATICS_SCHEMA)

    def _other(
        self, fr: _Framed, idx: np.ndarray, msg_type: np.ndarray, nbits: np.ndarray
    ) -> pa.Table:
        n = idx.shape[0]
        total = int(fr.length[idx].sum())
        data = np.empty(total, np.uint8)
        offsets = np.empty(n + 1, np.int32)
        armour_strings(fr.pbuf, fr.off, fr.length, idx, data, offsets)
        payload = pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data))
        mmsi = np.empty(n, np.int64)
        rep = np.empty(n, np.int64)
        header_fields(fr.pbuf, fr.off, nbits, idx, rep, mmsi)
        cols = {
            "mmsi": pa.array(mmsi, pa.int32(), mask=mmsi < 0),
            "msg_type": pa.array(msg_type[idx].astype(np.int8), pa.int8()),
            "repeat": pa.array(rep, pa.int8(), mask=rep < 0),
            "payload": payload,
            "fill_bits": pa.array(fr.fill[idx].astype(np.int8), pa.int8()),
        }
        cols.update(self._common(fr, idx))
        return _table(cols, AIS_OTHER_SCHEMA)

    def _report(
        self,
        fr: _Framed,
        msg_type: np.ndarray,
        lid: np.ndarray,
        nbits: np.ndarray,
        positions: pa.Table,
        statics: pa.Table,
        other: pa.Table,
    ) -> IngestReport:
        c = fr.counts
        t = tables()
        r = IngestReport(sources=[self.source] if self.source else [])
        r.lines = int(c[fk.C_LINES])
        r.blank_or_comment = int(c[fk.C_BLANK])
        r.other_nmea = int(c[fk.C_OTHER_NMEA])
        r.pghp_headers = int(c[fk.C_PGHP])
        r.tag_only_lines = int(c[fk.C_TAG_ONLY])
        r.sentences = int(c[fk.C_SENTENCES])
        r.bad_checksum = int(c[fk.C_BAD_CHECKSUM])
        r.dropped_bad_checksum = 0 if self.options.keep_bad_checksum else r.bad_checksum
        r.tag_bad_checksum = int(c[fk.C_TAG_BAD_CHECKSUM])
        r.malformed_too_long = int(c[fk.C_TOO_LONG])
        r.malformed_bad_armour = int(c[fk.C_BAD_ARMOUR])
        r.malformed_bad_fields = int(c[fk.C_BAD_FIELDS])
        r.malformed_not_nmea = int(c[fk.C_GARBAGE])
        r.malformed_empty_payload = int(c[fk.C_EMPTY_PAYLOAD])
        r.malformed = (
            r.malformed_too_long
            + r.malformed_bad_armour
            + r.malformed_bad_fields
            + r.malformed_not_nmea
            + r.malformed_empty_payload
        )
        r.fragments = int(c[fk.C_FRAGMENTS])
        r.incomplete_multipart = int(c[fk.C_INCOMPLETE])
        r.incomplete_fragments = int(c[fk.C_INCOMPLETE_FRAGMENTS])
        r.duplicate_fragments = int(c[fk.C_DUP_FRAGMENT])
        r.prefix_not_time = int(c[fk.C_PREFIX_UNPARSED])
        r.messages = int(msg_type.shape[0])
        r.own_ship = int(c[fk.C_VDO])
        has = lid >= 0
        r.kept_raw = int((~has).sum())
        r.decoded = r.messages - r.kept_raw
        r.no_mmsi = int((nbits < 38).sum())
        lid_safe = np.where(has, lid, 0)
        r.too_short = int((has & (nbits < t.min_bits[lid_safe])).sum())
        r.positions = positions.num_rows
        r.statics = statics.num_rows
        r.other = other.num_rows
        counts = np.bincount(msg_type, minlength=64)
        r.by_type = {int(k): int(counts[k]) for k in np.flatnonzero(counts)}
        srcs = np.bincount(fr.tssrc, minlength=len(TS_NAMES))
        r.ts_sources = {TS_NAMES[k]: int(srcs[k]) for k in np.flatnonzero(srcs) if k > 0}
        r.no_timestamp = int(srcs[0])
        return r


def _numeric(
    fr: _Framed, idx: np.ndarray, lid: np.ndarray, nbits: np.ndarray, nt: NumericTables
) -> tuple[np.ndarray, np.ndarray]:
    ns = nt.start.shape[1]
    vals = np.empty((ns, idx.shape[0]), np.float64)
    valid = np.empty((ns, idx.shape[0]), np.uint8)
    extract_numeric(
        fr.pbuf,
        fr.off,
        nbits,
        lid,
        idx,
        nt.start,
        nt.width,
        nt.signed,
        nt.has_na,
        nt.na,
        nt.scale,
        nt.is_rot,
        vals,
        valid,
    )
    return vals, valid


def _texts(
    fr: _Framed, idx: np.ndarray, lid: np.ndarray, nbits: np.ndarray, tt: TextTables
) -> dict[str, pa.Array]:
    n = idx.shape[0]
    ns = tt.start.shape[1]
    data = np.empty((ns, max(n * tt.max_chars, 1)), np.uint8)
    offsets = np.empty((ns, n + 1), np.int32)
    valid = np.empty((ns, n), np.uint8)
    extract_text(fr.pbuf, fr.off, nbits, lid, idx, tt.start, tt.chars, data, offsets, valid)
    out = {}
    for s, name in enumerate(STATIC_TEXT_SLOTS):
        bitmap, nulls = _bitmap(valid[s])
        out[name] = pa.StringArray.from_buffers(
            n,
            pa.py_buffer(offsets[s].copy()),
            pa.py_buffer(data[s, : offsets[s, n]].copy()),
            bitmap,
            nulls,
        )
    return out


def _bitmap(valid: np.ndarray) -> tuple[pa.Buffer | None, int]:
    nulls = int(valid.shape[0] - np.count_nonzero(valid))
    if nulls == 0:
        return None, 0
    return pa.py_buffer(np.packbits(valid.view(np.bool_), bitorder="little")), nulls


_NP = {
    pa.int8(): np.int8,
    pa.int16(): np.int16,
    pa.int32(): np.int32,
    pa.int64(): np.int64,
    pa.float32(): np.float32,
    pa.float64(): np.float64,
}


def _column(vals: np.ndarray, valid: np.ndarray, typ: pa.DataType) -> pa.Array:
    bitmap, nulls = _bitmap(valid)
    n = vals.shape[0]
    is_bool = typ == pa.bool_()
    data = np.packbits(vals != 0, bitorder="little") if is_bool else vals.astype(_NP[typ])
    return pa.Array.from_buffers(typ, n, [bitmap, pa.py_buffer(data)], nulls)


def _bool_array(v: np.ndarray) -> pa.Array:
    return pa.Array.from_buffers(
        pa.bool_(), v.shape[0], [None, pa.py_buffer(np.packbits(v != 0, bitorder="little"))], 0
    )


def _ts_array(ts: np.ndarray) -> pa.Array:
    valid = (ts != NO_TS).view(np.uint8)
    bitmap, nulls = _bitmap(valid)
    data = np.ascontiguousarray(ts, np.int64)
    return pa.Array.from_buffers(
        pa.timestamp("us", tz="UTC"), ts.shape[0], [bitmap, pa.py_buffer(data)], nulls
    )


def _eta(cols: dict[str, pa.Array]) -> pa.Array:
    def two(a: pa.Array) -> pa.Array:
        return pc.utf8_lpad(pc.cast(a, pa.string()), 2, "0")

    parts = [
        two(cols["eta_month"]),
        "-",
        two(cols["eta_day"]),
        "T",
        two(cols["eta_hour"]),
        ":",
        two(cols["eta_minute"]),
    ]
    return pc.binary_join_element_wise(*parts, "")


def _table(cols: dict[str, pa.Array], schema: pa.Schema) -> pa.Table:
    return pa.Table.from_arrays([cols[f.name] for f in schema], schema=schema)
