"""encode ∘ decode through the compiled decoder, for every layout (property test)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from armswatch.ais import LAYOUTS, decode_lines, decode_payload, encode_payload, to_sentences
from armswatch.ais import with_tag_block as tag
from armswatch.ais._spec import POSITION_TYPES, STATIC_TYPES

from .strategies import messages


def _same(got: object, want: object) -> bool:
    if isinstance(want, float) and isinstance(got, float):
        return abs(got - want) <= 1e-5 * max(1.0, abs(want))
    return got == want


@pytest.mark.parametrize("key", sorted(LAYOUTS))
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_compiled_decoder_round_trip(key: str, data: st.DataObject) -> None:
    layout = LAYOUTS[key]
    fields = data.draw(messages(layout))
    payload, fill = encode_payload(layout.msg_type, fields)
    seq = data.draw(st.integers(0, 9))
    lines = to_sentences(payload, fill, seq_id=seq, channel=data.draw(st.sampled_from("AB")))
    if data.draw(st.booleans()):
        lines = [tag(ln, ts_utc=1_700_000_000, source="rx") for ln in lines]
    res = decode_lines(lines)
    assert res.report.messages == 1
    assert res.report.malformed == 0
    ref = decode_payload(payload, fill)
    tables = []
    if layout.msg_type in POSITION_TYPES:
        tables.append(res.positions)
    if layout.msg_type in STATIC_TYPES:
        tables.append(res.statics)
    for table in tables:
        assert table.num_rows == 1
        row = table.to_pylist()[0]
        assert row["msg_type"] == layout.msg_type
        for name, value in fields.items():
            if name not in row or (name in ("name",) and key == "21"):
                continue
            want = None if value == "" else value
            assert _same(row[name], want), (name, row[name], want)
            assert _same(row[name], ref[name]), (name, row[name], ref[name])
        if key == "21" and "name" in row:
            joined = (fields.get("name") or "") + (fields.get("name_ext") or "")  # type: ignore[operator]
            assert row["name"] == (joined or None)
