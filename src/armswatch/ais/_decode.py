"""Buffers of NMEA lines → :class:`DecodeResult`: framing state, chunking, the report.

A :class:`Decoder` frames one or several inputs (files, streams) with the compiled
framer (``csrc/frame.h``) into one pending *chunk* of messages, and turns the chunk into
Arrow tables (:mod:`._arrow`) when it holds ``chunk_lines`` lines or when asked. What
must survive between buffers of one input (multi-part slots, a pending ``$PGHP`` time,
the line counter) lives in its :class:`_Input`; inputs never share multi-part state.
Decoding many small inputs into one chunk pays the per-table costs once, not per input.
Pure logic, no file I/O (that lives in :mod:`._io`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType

import numpy as np
import pyarrow as pa

from armswatch.ais import _arrow
from armswatch.ais._frame import (
    COUNTERS,
    MAX_PARTS,
    MSG_DTYPE,
    NO_TS,
    PART_CHARS,
    SLOT_WORDS,
    STATE,
    STOP_DONE,
    STOP_LINES,
    STOP_MSGS,
    STOP_PAYLOAD,
    TS_NAMES,
    C,
)
from armswatch.ais._native import lib
from armswatch.ais._result import DecodeResult, IngestReport, string_array
from armswatch.ais._slots import CAT_POSITION, CAT_STATIC
from armswatch.errors import ConfigError

_BIG_MESSAGE = MAX_PARTS * PART_CHARS
_TS_MESSAGE = TS_NAMES.index("message")


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


class _Sources:
    """Source strings of one decoder: input names and interned tag-block ``s:`` values.
    Messages refer to them by index; the hash table is the C framer's."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.nsrc = np.zeros(1, np.int64)
        self.tab_hash = np.zeros(1024, np.int64)
        self.tab_idx = np.zeros(1024, np.int64)
        self.new_off = np.zeros(256, np.int64)
        self.new_len = np.zeros(256, np.int64)
        self._dictionary: pa.Array | None = None

    def add(self, name: str) -> int:
        self.names.append(name)
        self.nsrc[0] += 1
        self._dictionary = None
        return len(self.names) - 1

    def took(self, buf: np.ndarray, nnew: int) -> None:
        """Record the ``nnew`` sources the framer just interned (their text is in buf)."""
        raw = buf.data
        for a, n in zip(self.new_off[:nnew], self.new_len[:nnew], strict=True):
            self.names.append(bytes(raw[a : a + n]).decode("utf-8", "replace"))
        self._dictionary = None

    def grow(self) -> None:
        old_h, old_i = self.tab_hash, self.tab_idx
        size = old_h.shape[0] * 4
        self.tab_hash = np.zeros(size, np.int64)
        self.tab_idx = np.zeros(size, np.int64)
        for hv, iv in zip(old_h[old_h != 0], old_i[old_h != 0], strict=True):
            j = int(hv) & (size - 1)
            while self.tab_hash[j] != 0:
                j = (j + 1) & (size - 1)
            self.tab_hash[j] = hv
            self.tab_idx[j] = iv
        self.new_off = np.zeros(self.new_off.shape[0] * 4, np.int64)
        self.new_len = np.zeros(self.new_off.shape[0], np.int64)

    def dictionary(self) -> pa.Array:
        if self._dictionary is None:
            self._dictionary = string_array(self.names)
        return self._dictionary


class _Input:
    """Framing state of one input stream."""

    def __init__(self, name: str, src: int, slots: int) -> None:
        self.name = name
        self.src = src
        self.st = np.zeros(len(STATE), np.int64)
        self.st[STATE.index("pghp_ts")] = NO_TS
        self.slots = np.zeros((slots, SLOT_WORDS), np.int64)
        self.slot_data = np.zeros((slots, MAX_PARTS, PART_CHARS), np.uint8)


class _Chunk:
    """Messages framed since the last result, and the counts of their lines."""

    def __init__(self, msgs: int, payload: int) -> None:
        self.msgs = np.zeros(msgs, MSG_DTYPE)
        self.pbuf = np.empty(payload, np.uint8)
        self.reset()

    def reset(self) -> None:
        self.nm = 0
        self.pu = 0
        self.cnt = np.zeros(len(COUNTERS), np.int64)
        self.inputs: list[str] = []  # names of the inputs framed into this chunk
        self.current: _Input | None = None

    def note(self, inp: _Input) -> None:
        if inp is not self.current:
            self.current = inp
            if inp.name:
                self.inputs.append(inp.name)

    def grow(self, msgs: int, payload: int) -> None:
        """Room for at least ``msgs`` messages and ``payload`` payload bytes (memory is
        only touched where written, so generous sizes cost little)."""
        if msgs > self.msgs.shape[0]:
            new = np.zeros(max(2 * self.msgs.shape[0], msgs), MSG_DTYPE)
            k = self.nm * MSG_DTYPE.itemsize
            new.view(np.uint8)[:k] = self.msgs.view(np.uint8)[:k]
            self.msgs = new
        if payload > self.pbuf.shape[0]:
            pbuf = np.empty(max(2 * self.pbuf.shape[0], payload), np.uint8)
            pbuf[: self.pu] = self.pbuf[: self.pu]
            self.pbuf = pbuf

    @property
    def lines(self) -> int:
        return int(self.cnt[C["lines"]])


@dataclass
class _Framed:
    """Messages framed from one buffer, undecoded (for tests and tools): ``msgs`` has the
    fields of ``_frame.MSG_FIELDS``; payloads are 6-bit values at ``pbuf[off:off+len]``."""

    pbuf: np.ndarray
    msgs: np.ndarray


class Decoder:
    """Decode NMEA inputs into results of at most ``chunk_lines`` lines each.

    ``Decoder(source)`` starts with one input named ``source``; :meth:`begin` starts
    another (several small inputs then share one chunk, so one result). :meth:`decode`
    yields everything of a buffer; :meth:`feed` keeps what does not fill a chunk pending
    until :meth:`flush`.
    """

    def __init__(self, source: str | None = "", options: DecodeOptions | None = None) -> None:
        self.options = options or DecodeOptions()
        self._lib: ModuleType = lib()
        self._sources = _Sources()
        self._chunk: _Chunk | None = None
        self._input: _Input | None = None
        if source is not None:
            self.begin(source)

    def begin(self, source: str) -> None:
        """Start a new input; parts of multi-part messages still pending in the previous
        one are dropped (counted as incomplete)."""
        if self._input is not None:
            for _ in self._frame(np.zeros(0, np.uint8), True):
                pass
        self._input = _Input(source, self._sources.add(source), self.options.multipart_slots)

    # -- framing -------------------------------------------------------------------------

    def _sizes(self, nbytes: int) -> tuple[int, int]:
        """Messages and payload bytes ``nbytes`` of input usually need (one message per
        40 bytes, 60 % of the bytes payload), with room for one worst-case line."""
        o = self.options
        most = o.max_line_len // 16 + 1
        msgs = min(o.chunk_lines, nbytes // 40) + most + 64
        return msgs, nbytes * 3 // 5 + o.max_line_len + most * _BIG_MESSAGE

    def reserve(self, nbytes: int) -> None:
        """Size the pending chunk for about ``nbytes`` more input (saves regrowing)."""
        if self._chunk is None:
            self._chunk = _Chunk(*self._sizes(nbytes))
        else:
            msgs, payload = self._sizes(nbytes)
            self._chunk.grow(self._chunk.nm + msgs, self._chunk.pu + payload)

    def _frame(self, buf: np.ndarray, final: bool) -> Iterator[None]:
        """Frame the whole lines of ``buf`` (which ends at a line end unless ``final``)
        into the pending chunk; yields (with the chunk full) every chunk_lines lines."""
        o, src, inp = self.options, self._sources, self._input
        assert inp is not None, "begin() an input first"
        if self._chunk is None:
            self._chunk = _Chunk(*self._sizes(buf.shape[0]))
        ch = self._chunk
        ch.note(inp)
        pos, end = 0, buf.shape[0]
        while True:
            stop, why, nm, pu, nnew = self._lib.frame(
                buf, pos, end, final, o.keep_bad_checksum, o.chunk_lines - ch.lines,
                o.max_line_len, o.multipart_window, inp.src, inp.st, inp.slots,
                inp.slot_data, ch.cnt, ch.pbuf, ch.pu, ch.msgs, ch.nm, src.nsrc,
                src.tab_hash, src.tab_idx, src.new_off, src.new_len)
            ch.nm, ch.pu, pos = nm, pu, stop
            if nnew:
                src.took(buf, nnew)
            if why == STOP_DONE:
                return
            if why == STOP_LINES:
                yield
                ch.reset()
                ch.note(inp)
            elif why in (STOP_MSGS, STOP_PAYLOAD):
                msgs, payload = self._sizes(end - pos)
                ch.grow(ch.nm + msgs, ch.pu + payload)
            else:
                src.grow()

    def frame(self, buf: np.ndarray, final: bool) -> Iterator[_Framed]:
        """The messages framed from ``buf``, undecoded (payloads as 6-bit values)."""
        for _ in self._frame(buf, final):
            yield self._take_framed()
        yield self._take_framed()

    def _take_framed(self) -> _Framed:
        ch = self._chunk
        assert ch is not None
        out = _Framed(ch.pbuf[: ch.pu].copy(), ch.msgs[: ch.nm].copy())
        ch.reset()
        return out

    # -- decoding ------------------------------------------------------------------------

    def feed(self, buf: np.ndarray, final: bool) -> Iterator[DecodeResult]:
        """Frame ``buf``; yield a result whenever chunk_lines lines are pending."""
        for _ in self._frame(buf, final):
            yield self._build()

    @property
    def pending_lines(self) -> int:
        """Lines framed but not yet in a result."""
        return 0 if self._chunk is None else self._chunk.lines

    def flush(self) -> DecodeResult | None:
        """The result of the lines pending since the last one (None when there are none)."""
        ch = self._chunk
        if ch is None or not (ch.nm or ch.cnt.any()):
            return None
        return self._build()

    def decode(self, buf: np.ndarray, final: bool) -> Iterator[DecodeResult]:
        """Decode the whole lines in ``buf``: one result per chunk of at most chunk_lines
        lines, the last one with what remains."""
        yield from self.feed(buf, final)
        res = self.flush()
        if res is not None:
            yield res

    def _build(self) -> DecodeResult:
        ch = self._chunk
        assert ch is not None
        lib_, nm, sources = self._lib, ch.nm, self._sources.dictionary()
        msgs = ch.msgs[:nm]
        cat = msgs["cat"]
        is_pos = (cat & CAT_POSITION) != 0
        is_sta = (cat & CAT_STATIC) != 0
        is_oth = cat == 0
        lengths = msgs["len"]
        n_pos, n_sta, n_oth = (int(np.count_nonzero(m)) for m in (is_pos, is_sta, is_oth))
        positions, clock = _arrow.positions(lib_, ch.pbuf, ch.msgs, nm, n_pos, sources)
        statics = _arrow.statics(lib_, ch.pbuf, ch.msgs, nm, n_sta, sources,
                                 int(lengths[is_sta].sum()) if n_sta else 0)
        other = _arrow.other(lib_, ch.pbuf, ch.msgs, nm, n_oth, sources,
                             int(lengths[is_oth].sum()) if n_oth else 0)
        report = self._report(ch, msgs, positions, statics, other, clock)
        ch.reset()
        return DecodeResult(positions, statics, other, report)

    def _report(self, ch: _Chunk, msgs: np.ndarray, positions: pa.Table, statics: pa.Table,
                other: pa.Table, clock: int) -> IngestReport:
        """``clock``: base station reports stamped by their own clock."""
        c = {name: int(v) for (name, _doc), v in zip(COUNTERS, ch.cnt, strict=True)}
        r = IngestReport(sources=list(ch.inputs))
        r.lines = c["lines"]
        r.blank_or_comment = c["blank"]
        r.other_nmea = c["other_nmea"]
        r.pghp_headers = c["pghp"]
        r.tag_only_lines = c["tag_only"]
        r.sentences = c["sentences"]
        r.bad_checksum = c["bad_checksum"]
        r.dropped_bad_checksum = 0 if self.options.keep_bad_checksum else r.bad_checksum
        r.tag_bad_checksum = c["tag_bad_checksum"]
        r.malformed_too_long = c["too_long"]
        r.malformed_bad_armour = c["bad_armour"]
        r.malformed_bad_fields = c["bad_fields"]
        r.malformed_not_nmea = c["garbage"]
        r.malformed_empty_payload = c["empty_payload"]
        r.malformed = (r.malformed_too_long + r.malformed_bad_armour + r.malformed_bad_fields
                       + r.malformed_not_nmea + r.malformed_empty_payload)
        r.fragments = c["fragments"]
        r.incomplete_multipart = c["incomplete"]
        r.incomplete_fragments = c["incomplete_fragments"]
        r.duplicate_fragments = c["dup_fragment"]
        r.prefix_not_time = c["prefix_unparsed"]
        r.messages = int(msgs.shape[0])
        r.own_ship = c["vdo"]
        r.kept_raw = other.num_rows
        r.decoded = r.messages - r.kept_raw
        r.no_mmsi = c["no_mmsi"]
        r.too_short = c["too_short"]
        r.positions = positions.num_rows
        r.statics = statics.num_rows
        r.other = other.num_rows
        counts = np.bincount(msgs["type"].astype(np.int64) & 63, minlength=64)
        r.by_type = {int(k): int(counts[k]) for k in np.flatnonzero(counts)}
        srcs = np.bincount(msgs["tssrc"].astype(np.int64), minlength=len(TS_NAMES))
        srcs[0] -= clock
        srcs[_TS_MESSAGE] += clock
        r.ts_sources = {TS_NAMES[k]: int(srcs[k]) for k in np.flatnonzero(srcs) if k > 0}
        r.no_timestamp = int(srcs[0])
        return r
