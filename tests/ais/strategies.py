"""Hypothesis strategies built from the layout spec: one message of any supported layout."""

from __future__ import annotations

from hypothesis import strategies as st

from armswatch.ais._spec import LAYOUTS, SIXBIT_TEXT, Field, Kind, Layout, decode_rot

# Text that survives trimming: no '@' (the padding), no leading/trailing spaces.
_CHARS = SIXBIT_TEXT.replace("@", "")


def _text(nchars: int) -> st.SearchStrategy[str | None]:
    return st.one_of(
        st.none(),
        st.text(alphabet=_CHARS, min_size=1, max_size=nchars)
        .map(lambda s: s.strip(" "))
        .filter(bool),
    )


def _value(f: Field) -> st.SearchStrategy[object]:
    if f.kind is Kind.TEXT:
        return _text(f.width // 6)
    if f.kind is Kind.BOOL:
        return st.booleans()
    signed = f.kind in (Kind.INT, Kind.ROT)
    lo, hi = (
        (-(1 << (f.width - 1)), (1 << (f.width - 1)) - 1) if signed else (0, (1 << f.width) - 1)
    )
    if f.kind is Kind.ROT:
        return st.one_of(st.none(), st.integers(-127, 127).map(decode_rot))
    raws = st.integers(lo, hi).filter(lambda r: r != f.na)
    vals: st.SearchStrategy[object] = raws.map(lambda r: r / f.scale) if f.scale != 1.0 else raws
    return st.one_of(st.none(), vals) if f.na is not None else vals


@st.composite
def messages(draw: st.DrawFn, layout: Layout) -> dict[str, object]:
    out: dict[str, object] = {}
    for f in layout.fields:
        if not f.is_value or f.name == "msg_type":
            continue
        out[f.name] = draw(_value(f))
    if layout.key == "24A":
        out["part_num"] = 0
    elif layout.key.startswith("24B"):
        out["part_num"] = 1
    aux = st.integers(980_000_000, 989_999_999)
    plain = st.integers(0, (1 << 30) - 1).filter(lambda m: not 980_000_000 <= m <= 989_999_999)
    if layout.key == "24B_aux":
        out["mmsi"] = draw(aux)
    elif layout.key == "24B":
        out["mmsi"] = draw(plain)
    return out


def layouts() -> st.SearchStrategy[Layout]:
    return st.sampled_from(list(LAYOUTS.values()))
