from __future__ import annotations

import pyais
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from armswatch.ais import (
    AisEncodeError,
    decode_payload,
    encode_payload,
    to_sentences,
    with_tag_block,
)
from armswatch.ais._spec import LAYOUTS
from armswatch.ais.encode import nmea_checksum

from .strategies import messages


@pytest.mark.parametrize("key", sorted(LAYOUTS))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_encode_decode_round_trip(key: str, data: st.DataObject) -> None:
    layout = LAYOUTS[key]
    fields = data.draw(messages(layout))
    payload, fill = encode_payload(layout.msg_type, fields)
    got = decode_payload(payload, fill)
    for name, value in fields.items():
        want = None if value == "" else value
        if isinstance(want, float) and got[name] is not None:
            assert got[name] == pytest.approx(want, abs=1e-9), name
        else:
            assert got[name] == want, (name, payload)


def test_known_position_matches_pyais() -> None:
    fields = {
        "mmsi": 273_000_001,
        "nav_status": 0,
        "rot": 0.0,
        "sog_kn": 11.5,
        "accuracy": True,
        "lon": 131.9,
        "lat": 43.1,
        "cog_deg": 90.0,
        "heading_deg": 91,
        "second": 7,
    }
    payload, fill = encode_payload(1, fields)
    (sentence,) = to_sentences(payload, fill)
    msg = pyais.decode(sentence).asdict()
    assert (
        msg["mmsi"],
        msg["lon"],
        msg["lat"],
        msg["speed"],
        msg["course"],
        msg["heading"],
        msg["second"],
        msg["accuracy"],
    ) == (273_000_001, 131.9, 43.1, 11.5, 90.0, 91, 7, True)


def test_multipart_sentences_and_tag_block() -> None:
    payload, fill = encode_payload(
        5,
        {
            "mmsi": 477_000_001,
            "imo": 9_179_842,
            "name": "LADY R",
            "callsign": "VRAB3",
            "destination": "NAMPO",
        },
    )
    with pytest.raises(AisEncodeError, match="seq_id"):
        to_sentences(payload, fill)
    parts = to_sentences(payload, fill, seq_id=4, channel="B")
    assert len(parts) == 2
    assert all(p.startswith("!AIVDM,2,") and ",4,B," in p for p in parts)
    assert parts[0].endswith(",0*" + nmea_checksum(parts[0][1:-3]))
    assert parts[1].split(",")[-1].startswith(str(fill))
    tagged = with_tag_block(parts[0], ts_utc=1_700_000_000, source="sim1", group=(1, 2, 42))
    assert tagged.startswith("\\s:sim1,c:1700000000,g:1-2-42*")
    assert tagged.split("\\")[2] == parts[0]
    assert pyais.decode(*parts).asdict()["shipname"] == "LADY R"
    assert "c:1700000000250" in with_tag_block(parts[0], ts_utc=1_700_000_000.25)


@pytest.mark.parametrize(
    ("msg_type", "fields", "match"),
    [
        (1, {"mmsi": 1, "speed": 3}, "unknown field"),
        (1, {"mmsi": 1, "lat": 200.0}, "range"),
        (5, {"mmsi": 1, "name": "ÅSGARD"}, "alphabet"),
        (5, {"mmsi": 1, "callsign": "TOOLONGX"}, "at most 7"),
        (24, {"mmsi": 1}, "part_num"),
        (24, {"mmsi": 273_000_001, "part_num": 1, "mothership_mmsi": 1}, "auxiliary"),
        (99, {"mmsi": 1}, "no layout"),
    ],
)
def test_encode_errors(msg_type: int, fields: dict[str, object], match: str) -> None:
    with pytest.raises(AisEncodeError, match=match):
        encode_payload(msg_type, fields)
