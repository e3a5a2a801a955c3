from __future__ import annotations

from armswatch.model import Entity, IdKind, NameKind, Schema, is_partial_date


def test_entity_names_and_ids() -> None:
    e = Entity(id="x-1", schema=Schema.VESSEL, source="x", source_id="1")
    e.add_name("LADY  R", NameKind.PRIMARY)
    e.add_name("LADY R", NameKind.PRIMARY)  # duplicate after whitespace folding
    e.add_name("  ", NameKind.AKA)  # empty: ignored
    e.add_identifier(IdKind.IMO, " 9179842 ")
    assert e.all_names() == ["LADY R"]
    assert e.caption == "LADY R"
    assert e.ids_of(IdKind.IMO) == ["9179842"]


def test_partial_dates() -> None:
    assert is_partial_date("1984")
    assert is_partial_date("1984-01")
    assert is_partial_date("1984-01-08")
    assert not is_partial_date("08 Jan 1984")
