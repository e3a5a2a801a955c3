"""What the C framer (``csrc/frame.c``) counts, keeps and emits — defined once, here.

:mod:`._codegen` writes these names into ``csrc/gen.h`` as C constants and the message
struct; :mod:`._decode` reads the counters and messages back by the same names.

The framer makes one pass over a byte buffer of whole lines. Per line: an optional
receiver timestamp prefix, NMEA 4.10 tag blocks (``c:`` time, ``s:`` source, ``g:``
group), ``$PGHP`` Gatehouse time headers (they stamp the next sentence),
``!xxVDM``/``!xxVDO`` sentences with checksum, optional extra fields before ``*`` and
trailing fields after it (a Unix epoch in the last one is a timestamp), several
sentences on one line. Multi-part messages are reassembled in a bounded table of slots
keyed by tag-block group, or by source + sequence id + channel; a slot not completed
within ``window`` sentences, or evicted when the table is full, is dropped and counted.
Everything is counted; nothing raises on bad input. The framer stops early (saying why)
when an output is nearly full, so the caller can grow it and call again.
"""

from __future__ import annotations

import numpy as np

NO_TS = -(2**63)  # "no timestamp" in int64 microsecond columns

# counters, in the order of the counter array
COUNTERS: tuple[tuple[str, str], ...] = (
    ("lines", "lines read"),
    ("blank", "empty lines and '#' comments"),
    ("sentences", "VDM/VDO sentences framed (checksum good or bad)"),
    ("bad_checksum", "sentences with a wrong checksum"),
    ("too_long", "malformed: line longer than max_line_len"),
    ("bad_armour", "malformed: payload character outside the 6-bit armour alphabet"),
    ("bad_fields", "malformed: fields or checksum missing / not numbers / fill > 5"),
    ("garbage", "malformed: a line with no NMEA sentence at all"),
    ("other_nmea", "other NMEA sentences ($GPRMC, $PSTT ...), ignored"),
    ("pghp", "$PGHP headers"),
    ("tag_bad_checksum", "tag block checksum wrong (tags still used)"),
    ("tag_only", "lines holding only a tag block (e.g. DMA \\si:AISD*3F\\)"),
    ("fragments", "parts of multi-part messages"),
    ("incomplete", "multi-part messages dropped because parts were missing"),
    ("incomplete_fragments", "fragments in those dropped messages"),
    ("messages", "complete messages emitted"),
    ("vdo", "messages from own ship (VDO)"),
    ("prefix_unparsed", "text before the sentence that is not a timestamp (ignored)"),
    ("dup_fragment", "a part arrived twice before its message completed"),
    ("empty_payload", "malformed: payload with no bits"),
    ("too_short", "decoded layout, payload shorter than the layout (trailing fields null)"),
    ("no_mmsi", "payload shorter than 38 bits"),
)
C = {name: i for i, (name, _doc) in enumerate(COUNTERS)}

# per-input state kept between calls
STATE: tuple[str, ...] = ("line_no", "sentence_no", "pghp_ts")

# where ts_utc came from, by priority (0: none)
TS_NAMES: tuple[str, ...] = ("", "tag_block", "pghp", "trailing_epoch", "line_prefix", "message")

MAX_PARTS = 9
PART_CHARS = 128  # a fragment's payload longer than this is malformed
# int64 words per multi-part slot: key, first sentence no, parts held (bits), total,
# part lengths [MAX_PARTS], then meta: fill, ts, tssrc, src, line, csok, own, fragments
SLOT_META = ("fill", "ts", "tssrc", "src", "line", "csok", "own", "nfrag")
SLOT_WORDS = 4 + MAX_PARTS + len(SLOT_META)

# one framed message (C struct Msg); ordered by size so C adds no padding inside
MSG_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("ts", "i8", "reception time, UTC microseconds (NO_TS: none)"),
    ("line", "i8", "line of the (first) sentence, from 1"),
    ("off", "i8", "offset of the 6-bit payload values in the payload buffer"),
    ("len", "i4", "payload length, 6-bit characters"),
    ("src", "i4", "index of the source in the source dictionary"),
    ("nbits", "i4", "payload bits (6 * len - fill)"),
    ("fill", "i1", "fill bits"),
    ("tssrc", "i1", "index into TS_NAMES"),
    ("csok", "i1", "checksum good"),
    ("own", "i1", "VDO"),
    ("type", "i1", "message type (first 6 bits)"),
    ("lid", "i1", "layout id (-1: none)"),
    ("cat", "i1", "tables fed (CAT_* bits)"),
)
MSG_DTYPE = np.dtype([(n, t) for n, t, _d in MSG_FIELDS], align=True)

# why the framer returned
STOP_DONE, STOP_LINES, STOP_MSGS, STOP_PAYLOAD, STOP_SOURCES = range(5)
