"""Bad input never crashes the framer: it is counted. Hypothesis fuzzing of the framing,
with the failing cases found so far kept as explicit regression examples."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from armswatch.ais import (
    AIS_OTHER_SCHEMA,
    AIS_POSITIONS_SCHEMA,
    AIS_STATICS_SCHEMA,
    DecodeResult,
    decode_lines,
    encode_payload,
    to_sentences,
    with_tag_block,
)

_P, _F = encode_payload(1, {"mmsi": 477_000_001, "lon": 127.5, "lat": 39.0, "sog_kn": 9.0})
VALID = to_sentences(_P, _F)[0]
_S5 = encode_payload(5, {"mmsi": 477_000_001, "name": "CHON MA SAN", "imo": 8_660_313})
MULTI = to_sentences(*_S5, seq_id=4)
TAGGED = with_tag_block(VALID, ts_utc=1_700_000_000, source="rx")


def check(res: DecodeResult, nlines: int) -> None:
    rep = res.report
    assert rep.lines == nlines
    assert rep.messages == res.positions.num_rows + res.other.num_rows + sum(
        1 for t in res.statics.column("msg_type").to_pylist() if t in (5, 24))
    assert rep.messages <= rep.sentences
    assert rep.malformed >= 0
    assert rep.incomplete_multipart >= 0
    for table, schema in ((res.positions, AIS_POSITIONS_SCHEMA),
                          (res.statics, AIS_STATICS_SCHEMA), (res.other, AIS_OTHER_SCHEMA)):
        assert table.schema == schema
        table.validate(full=True)
        if table is not res.other:
            assert table.column("mmsi").null_count == 0


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    base = draw(st.sampled_from([VALID, TAGGED, *MULTI])).encode()
    op = draw(st.sampled_from(["truncate", "replace", "insert", "fill", "armour", "dup"]))
    i = draw(st.integers(0, len(base) - 1))
    if op == "truncate":
        return base[:i]
    if op == "replace":
        return base[:i] + bytes([draw(st.integers(0, 255))]) + base[i + 1 :]
    if op == "insert":
        return base[:i] + draw(st.binary(min_size=1, max_size=8)) + base[i:]
    if op == "fill":
        star = base.rfind(b"*")
        return base[: star - 1] + bytes([draw(st.integers(32, 126))]) + base[star:]
    if op == "armour":
        comma = base.rfind(b",", 0, base.rfind(b"*") - 2)
        j = draw(st.integers(max(comma - 20, 0), max(comma - 1, 0)))
        bad = draw(st.sampled_from([b"x", b"~", b"\x00", b"\xff", b"z"]))
        return base[:j] + bad + base[j + 1 :]
    return base + base


lines_st = st.lists(
    st.one_of(st.binary(max_size=200), mutated(), st.just(VALID.encode())),
    min_size=1, max_size=30,
).map(lambda ls: [ln.replace(b"\n", b" ") for ln in ls])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=lines_st)
@example(lines=[b"\\"])
@example(lines=[b"!AIVDM,1,1,,A,", b"\\s:x*"])
@example(lines=[b"!AIVDM,2,1,1,A,5,0*00", b"!AIVDM,2,2,1,A,,0*00"])
@example(lines=[b"!AIVDM,9,9,9,9,9,9*00"])
@example(lines=[b"$PGHP,1,99999,99,99,99,99,99,999*00", VALID.encode()])
@example(lines=[b"\\c:99999999999999999999999*00\\" + VALID.encode()])
@example(lines=[b"1" * 30 + b" " + VALID.encode()])
def test_framing_never_crashes(lines: list[bytes]) -> None:
    check(decode_lines(lines), len(lines))


def test_huge_lines_and_binary_noise_are_malformed() -> None:
    noise = bytes(b for b in range(256) if b != 10) * 400
    lines = [b"!" + b"A" * 100_000, noise, VALID.encode()]
    res = decode_lines(lines)
    check(res, 3)
    assert res.report.malformed_too_long == 2
    assert res.positions.num_rows == 1


@settings(max_examples=50, deadline=None)
@given(noise=st.binary(min_size=1, max_size=5000))
def test_random_byte_streams(noise: bytes) -> None:
    res = decode_lines(noise.split(b"\n"))
    check(res, len(noise.split(b"\n")))
