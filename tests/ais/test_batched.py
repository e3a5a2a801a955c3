"""One pass over many inputs (decode_files, decode_buffers, Decoder.begin/feed) gives
exactly what decoding each input on its own gives, whatever the chunk boundaries."""

from __future__ import annotations

import gzip
import itertools
from pathlib import Path

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from armswatch.ais import (
    DecodeOptions,
    DecodeResult,
    decode_buffers,
    decode_file,
    decode_files,
    decode_lines,
    encode_payload,
    to_sentences,
    with_tag_block,
)
from armswatch.ais._decode import Decoder
from tests.conftest import need

_REPORT_SUMS = ("lines", "sentences", "messages", "decoded", "kept_raw", "positions",
                "statics", "other", "malformed", "bad_checksum", "fragments",
                "incomplete_multipart", "pghp_headers", "tag_only_lines", "no_timestamp",
                "too_short")


def _same(a: DecodeResult, b: DecodeResult) -> None:
    for kind in ("positions", "statics", "other"):
        ta, tb = getattr(a, kind), getattr(b, kind)
        assert ta.schema == tb.schema
        assert ta.to_pylist() == tb.to_pylist(), kind
    for k in _REPORT_SUMS:
        assert getattr(a.report, k) == getattr(b.report, k), k
    assert a.report.by_type == b.report.by_type
    assert a.report.ts_sources == b.report.ts_sources


def test_decode_files_equals_each_file_decoded_alone(tmp_path: Path) -> None:
    names = ["dma_aisabnormal/219165000_ssc_1.ais", "gfw_ais_tools/multi-part.nmea",
             "pyais/gatehouse.nmea", "amsa_risky/exact-earth-with-tag-block.txt",
             "gpsd/sample.aivdm"]
    paths = [need(f"ais/nmea/{n}") for n in names]
    gz = tmp_path / "tagged.txt.gz"  # a compressed input among them
    gz.write_bytes(gzip.compress(need("ais/nmea/aisdb/test_data_20211101.nm4").read_bytes()))
    paths.append(gz)
    alone = DecodeResult.concat([decode_file(p) for p in paths])
    for chunk_lines in (1_000_000, 333):  # chunks within and across files
        together = decode_files(paths, DecodeOptions(chunk_lines=chunk_lines))
        _same(together, alone)
        assert together.report.sha256 == alone.report.sha256
        assert together.report.sources == [p.name for p in paths]
    buffers = [(p.name, gzip.decompress(p.read_bytes()) if p.suffix == ".gz" else
                p.read_bytes()) for p in paths]
    _same(decode_buffers(buffers), alone)


def _static_parts(seq: int) -> list[str]:
    return to_sentences(*encode_payload(5, {"mmsi": 273_000_001, "name": "LADY R"}), seq_id=seq)


def test_multipart_messages_never_span_inputs() -> None:
    p1, p2 = _static_parts(3)
    res = decode_buffers([("a", (p1 + "\n").encode()), ("b", (p2 + "\n").encode())])
    assert res.statics.num_rows == 0
    assert res.report.incomplete_multipart == 2
    whole = decode_buffers([("a", f"{p1}\n{p2}\n".encode())])
    assert whole.statics.column("source").to_pylist() == ["a"]


def test_feeding_in_pieces_grows_the_chunk_and_changes_nothing() -> None:
    line = with_tag_block(to_sentences(*encode_payload(1, {"mmsi": 1, "lat": 1.0}))[0],
                          ts_utc=1_700_000_000, source="rx")
    many = "\n".join([line] * 5000 + _static_parts(1) * 200) + "\n"
    data = np.frombuffer(many.encode(), np.uint8)
    dec = Decoder("in")
    pieces = list(dec.feed(data[: len(line) + 1], False))  # a tiny first chunk
    pieces += list(dec.feed(data[len(line) + 1 :], True))
    last = dec.flush()
    assert last is not None
    _same(DecodeResult.concat([*pieces, last]), decode_lines(many.splitlines(), "in"))


def test_a_line_full_of_sentences() -> None:
    sentence = to_sentences(*encode_payload(1, {"mmsi": 7}))[0]
    res = decode_lines([sentence * 40])
    assert res.positions.num_rows == 40
    assert res.report.lines == 1


_LINES = [to_sentences(*encode_payload(1, {"mmsi": 2, "lon": 3.0}))[0], *_static_parts(5),
          "$PGHP,1,2013,11,12,12,0,0,11,219,,2190067,1,62*26", "junk", ""]


@settings(max_examples=60, deadline=None)
@given(lines=st.lists(st.sampled_from(_LINES), max_size=40),
       cuts=st.lists(st.integers(0, 40), max_size=4), chunk=st.integers(1, 50))
def test_any_split_into_inputs_equals_decoding_each(lines: list[str], cuts: list[int],
                                                    chunk: int) -> None:
    bounds = [0, *sorted(c for c in cuts if c <= len(lines)), len(lines)]
    parts = [lines[a:b] for a, b in itertools.pairwise(bounds)]
    opts = DecodeOptions(chunk_lines=chunk)
    inputs = [(f"in{i}", "".join(ln + "\n" for ln in part).encode())
              for i, part in enumerate(parts)]
    together = decode_buffers(inputs, opts)
    alone = DecodeResult.concat([decode_lines(part, f"in{i}", opts)
                                 for i, part in enumerate(parts)])
    _same(together, alone)
    assert together.positions.column("source").type == pa.string()
