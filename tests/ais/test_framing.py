"""Framing: tag blocks, timestamps, talkers, checksums, multi-part reassembly, odd lines."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from armswatch.ais import DecodeOptions, decode_lines, encode_payload, to_sentences, with_tag_block
from armswatch.ais.encode import nmea_checksum

POS = {"mmsi": 273_000_001, "lon": 131.9, "lat": 43.1, "sog_kn": 11.5, "cog_deg": 90.0}
STATIC = {"mmsi": 273_000_001, "imo": 9_179_842, "name": "LADY R", "callsign": "UBCD7",
          "destination": "RAJIN", "ship_type": 70, "to_bow_m": 100, "to_stern_m": 20}


def pos_line(**kw: object) -> str:
    payload, fill = encode_payload(1, {**POS, **kw})
    return to_sentences(payload, fill)[0]


def static_parts(seq: int = 3, channel: str = "A", **kw: object) -> list[str]:
    payload, fill = encode_payload(5, {**STATIC, **kw})
    return to_sentences(payload, fill, seq_id=seq, channel=channel)


def ts(row: dict[str, object]) -> datetime:
    value = row["ts_utc"]
    assert isinstance(value, datetime)
    return value


def test_talker_variants_and_vdo() -> None:
    base = pos_line()
    lines = [base.replace("AIVDM", t) for t in ("BSVDM", "ABVDM", "SAVDM", "AIVDO")]
    lines = ["!" + ln[1:].rsplit("*", 1)[0] + "*" + nmea_checksum(ln[1:].rsplit("*", 1)[0])
             for ln in lines]
    r = decode_lines(lines)
    assert r.positions.num_rows == 4
    assert r.positions.column("own_ship").to_pylist() == [False, False, False, True]
    assert r.report.own_ship == 1


def test_tag_block_time_source_and_group() -> None:
    line = with_tag_block(pos_line(), ts_utc=1_668_046_497, source="rx-7")
    r = decode_lines([line])
    row = r.positions.to_pylist()[0]
    assert ts(row) == datetime.fromtimestamp(1_668_046_497, UTC)
    assert row["source"] == "rx-7"
    assert row["ts_source"] == "tag_block"
    ms = with_tag_block(pos_line(), ts_utc=1_668_046_497.25)
    assert ts(decode_lines([ms]).positions.to_pylist()[0]).microsecond == 250_000


def test_bad_tag_block_checksum_is_counted_but_used() -> None:
    line = with_tag_block(pos_line(), ts_utc=1_700_000_000, source="x")
    bad = line.replace("*", "*0", 1).replace("*0" + line.split("*")[1][:2], "*00", 1)
    r = decode_lines([bad])
    assert r.report.tag_bad_checksum == 1
    assert r.positions.num_rows == 1


@pytest.mark.parametrize(
    ("prefix", "suffix", "expected", "source"),
    [
        ("", ",1327664821", datetime(2012, 1, 27, 11, 47, 1, tzinfo=UTC), "trailing_epoch"),
        ("", ",b003669794,1272412827123", datetime(2010, 4, 28, 0, 0, 27, 123000, tzinfo=UTC),
         "trailing_epoch"),
        ("2021-07-01 12:30:15.5 ", "", datetime(2021, 7, 1, 12, 30, 15, 500000, tzinfo=UTC),
         "line_prefix"),
        ("2021-07-01T12:30:15Z;", "", datetime(2021, 7, 1, 12, 30, 15, tzinfo=UTC), "line_prefix"),
        ("1625142615.25: ", "", datetime(2021, 7, 1, 12, 30, 15, 250000, tzinfo=UTC),
         "line_prefix"),
    ],
)
def test_receiver_timestamps(prefix: str, suffix: str, expected: datetime, source: str) -> None:
    row = decode_lines([prefix + pos_line() + suffix]).positions.to_pylist()[0]
    assert ts(row) == expected
    assert row["ts_source"] == source


def test_pghp_header_stamps_next_sentence_only() -> None:
    lines = ["$PGHP,1,2013,11,12,12,0,0,11,219,,2190067,1,62*26", pos_line(), pos_line()]
    rows = decode_lines(lines).positions.to_pylist()
    assert ts(rows[0]) == datetime(2013, 11, 12, 12, 0, 0, 11000, tzinfo=UTC)
    assert rows[1]["ts_utc"] is None
    assert decode_lines(lines).report.pghp_headers == 1


def test_checksum_dropped_by_default_kept_on_request() -> None:
    good = pos_line()
    bad = good[:-2] + ("00" if good[-2:] != "00" else "01")
    r = decode_lines([good, bad])
    assert (r.positions.num_rows, r.report.bad_checksum, r.report.dropped_bad_checksum) == (
        1, 1, 1)
    kept = decode_lines([good, bad], options=DecodeOptions(keep_bad_checksum=True))
    assert kept.positions.column("checksum_ok").to_pylist() == [True, False]
    assert kept.report.dropped_bad_checksum == 0


def test_multipart_in_order_out_of_order_and_interleaved() -> None:
    a1, a2 = static_parts(seq=1, name="ALPHA")
    b1, b2 = static_parts(seq=2, name="BRAVO")
    c1, c2 = static_parts(seq=1, channel="B", name="CHARLIE")
    r = decode_lines([a1, b2, c1, pos_line(), b1, a2, c2])
    assert sorted(r.statics.column("name").to_pylist()) == ["ALPHA", "BRAVO", "CHARLIE"]
    assert r.report.incomplete_multipart == 0
    assert r.positions.num_rows == 1
    row = {x["name"]: x for x in r.statics.to_pylist()}["ALPHA"]
    assert row["line_no"] == 1  # provenance: the first fragment's line


def test_tag_block_groups_reassemble_across_sources() -> None:
    p1, p2 = static_parts(seq=9, channel="")
    lines = [with_tag_block(p1, ts_utc=1_668_046_497, source="117", group=(1, 2, 7218)),
             with_tag_block(p2, group=(2, 2, 7218))]
    row = decode_lines(lines).statics.to_pylist()[0]
    assert row["name"] == "LADY R"
    assert row["source"] == "117"
    assert ts(row) == datetime.fromtimestamp(1_668_046_497, UTC)


def test_lost_parts_dropped_after_window_and_bounded_slots() -> None:
    p1, _ = static_parts(seq=1)
    filler = [pos_line()] * 20
    r = decode_lines([p1, *filler], options=DecodeOptions(multipart_window=10))
    assert r.report.incomplete_multipart == 1
    assert r.positions.num_rows == 20
    firsts = [static_parts(seq=s % 10, channel="AB"[s // 10 % 2], mmsi=s + 1)[0]
              for s in range(20)]
    r = decode_lines(firsts, options=DecodeOptions(multipart_slots=4))
    assert r.report.incomplete_multipart == 20  # 16 evicted while full, 4 at the end
    assert r.report.fragments == 20


def test_duplicate_part_restarts_the_message() -> None:
    p1, p2 = static_parts(seq=1)
    r = decode_lines([p1, p1, p2])
    assert r.statics.num_rows == 1
    assert r.report.duplicate_fragments == 1
    assert r.report.incomplete_multipart == 1


def test_two_sentences_on_one_line_and_extra_field_before_checksum() -> None:
    p1, p2 = static_parts(seq=8)
    two = with_tag_block(p1, source="s", ts_utc=1) + with_tag_block(p2, source="s", ts_utc=1)
    assert decode_lines([two]).statics.num_rows == 1
    body = pos_line()[1:].rsplit("*", 1)[0] + ",0"  # signalk style: extra field
    assert decode_lines([f"!{body}*{nmea_checksum(body)}"]).positions.num_rows == 1


def test_literal_escape_text_between_sentences() -> None:
    p1, p2 = static_parts(seq=2)
    assert decode_lines([p1 + "\\r\\n" + p2]).statics.num_rows == 1


def test_fill_bits_and_short_payload() -> None:
    line = pos_line()
    body = line[1:].rsplit("*", 1)[0]
    head, payload, _fill = body.rsplit(",", 2)
    short = f"{head},{payload[:18]},0"  # 108 bits: lon (ends at bit 89) fits, lat does not
    r = decode_lines([f"!{short}*{nmea_checksum(short)}"])
    row = r.positions.to_pylist()[0]
    assert row["mmsi"] == POS["mmsi"]
    assert row["lon"] == pytest.approx(131.9)
    assert row["lat"] is None
    assert row["cog_deg"] is None
    assert r.report.too_short == 1
    bad_fill = f"{head},{payload},7"
    assert decode_lines([f"!{bad_fill}*{nmea_checksum(bad_fill)}"]).report.malformed == 1


def test_other_lines_and_counts() -> None:
    lines = ["# comment", "", "$GPRMC,114829.00,A,1228.30668,S,13050.74902,E,0.006,,270112,,,A*66",
             "\\si:AISD*3F\\", "garbage here", "!AIVDM,1,1,,B,,0*25", pos_line() + "\r",
             "x" * 100_000]
    r = decode_lines(lines)
    rep = r.report
    assert rep.lines == 8
    assert (rep.blank_or_comment, rep.other_nmea, rep.tag_only_lines) == (2, 1, 1)
    assert (rep.malformed_not_nmea, rep.malformed_empty_payload, rep.malformed_too_long) == (
        1, 1, 1)
    assert r.positions.num_rows == 1


def test_undecoded_types_kept_raw() -> None:
    r = decode_lines(["!AIVDM,1,1,,A,83`jcmhj2d<dtuf<u0S0`@PE7v00,0*2F".replace(
        "*2F", "*" + nmea_checksum("AIVDM,1,1,,A,83`jcmhj2d<dtuf<u0S0`@PE7v00,0"))])
    row = r.other.to_pylist()[0]
    assert (row["msg_type"], row["payload"], row["fill_bits"]) == (
        8, "83`jcmhj2d<dtuf<u0S0`@PE7v00", 0)
    assert row["mmsi"] == 244_100_055
    assert r.report.kept_raw == 1


def test_base_station_clock_used_when_no_reception_time() -> None:
    payload, fill = encode_payload(4, {"mmsi": 2_190_067, "year": 2024, "month": 3, "day": 4,
                                       "hour": 5, "minute": 6, "second": 7, "lon": 1.0,
                                       "lat": 2.0})
    row = decode_lines(to_sentences(payload, fill)).positions.to_pylist()[0]
    assert ts(row) == datetime(2024, 3, 4, 5, 6, 7, tzinfo=UTC)
    assert row["ts_source"] == "message"


def test_static_derived_columns() -> None:
    row = decode_lines(static_parts(eta_month=3, eta_day=4, eta_hour=5, eta_minute=6,
                                    to_port_m=3, to_starboard_m=0)).statics.to_pylist()[0]
    assert row["eta"] == "03-04T05:06"
    assert (row["length_m"], row["width_m"]) == (120, 3)
    row = decode_lines(static_parts(eta_month=3, eta_day=4)).statics.to_pylist()[0]
    assert row["eta"] is None  # hour and minute not available
    assert row["width_m"] is None  # both sides 0: not available
