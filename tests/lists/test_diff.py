"""diff_lists: on real list versions, and its invariants as property tests."""

from __future__ import annotations

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from armswatch.lists import diff_lists
from armswatch.model import Entity, Identifier, IdKind, Name, NameKind, Schema
from tests.lists import _cache
from tests.lists._cache import shared_list


def test_ofac_2021_to_2024() -> None:
    old = shared_list(_cache.SET_2021)
    new = shared_list(_cache.SDN_2024)
    d = diff_lists(old.entities, new.entities, old.links, new.links)
    old_ids = {e.source_id for e in old.entities}
    new_ids = {e.source_id for e in new.entities}
    assert len(d.added) == len(new_ids - old_ids)
    assert len(d.removed) == len(old_ids - new_ids)
    assert len(d.added) > 5000  # OFAC grew a lot between 2021 and 2024
    # the 2024 file was read without alt/add: kept entities lose those names and addresses
    assert d.changed
    fields = {f.field for c in d.changed for f in c.changes}
    assert {"names", "addresses"} <= fields


def test_field_level_change() -> None:
    a = Entity(id="x-1", schema=Schema.VESSEL, source="x", source_id="1")
    a.add_name("OLD NAME", NameKind.PRIMARY)
    a.flag = "Panama"
    b = copy.deepcopy(a)
    b.names = [Name("NEW NAME"), Name("OLD NAME", NameKind.FKA)]
    b.flag = "Cameroon"
    b.identifiers.append(Identifier(IdKind.IMO, "9000001"))
    (change,) = diff_lists([a], [b]).changed
    by_field = {f.field: f for f in change.changes}
    assert by_field["flag"].removed == ("Panama",)
    assert by_field["flag"].added == ("Cameroon",)
    assert by_field["names"].added == ("fka: OLD NAME", "primary: NEW NAME")
    assert by_field["identifiers"].added == ("imo: 9000001",)


# -- properties ---------------------------------------------------------------------------

_names = st.text(alphabet="ABCDEFGH XYZ", min_size=1, max_size=12).map(str.strip).filter(bool)


@st.composite
def entities(draw: st.DrawFn) -> list[Entity]:
    ids = draw(st.lists(st.integers(0, 40), unique=True, max_size=15))
    out = []
    for i in ids:
        e = Entity(id=f"t-{i}", schema=draw(st.sampled_from(list(Schema))), source="t",
                   source_id=str(i))
        for n in draw(st.lists(_names, min_size=1, max_size=3)):
            e.add_name(n, draw(st.sampled_from(list(NameKind))))
        e.flag = draw(st.none() | st.sampled_from(["Iran", "Panama", "Togo"]))
        e.programs = draw(st.lists(st.sampled_from(["IRAN", "DPRK3", "UN 1718"]), unique=True))
        out.append(e)
    return out


@settings(max_examples=60, deadline=None)
@given(entities())
def test_diff_with_itself_is_empty(a: list[Entity]) -> None:
    assert diff_lists(a, copy.deepcopy(a)).empty


@settings(max_examples=60, deadline=None)
@given(entities(), entities())
def test_diff_is_antisymmetric(a: list[Entity], b: list[Entity]) -> None:
    ab, ba = diff_lists(a, b), diff_lists(b, a)
    assert [e.id for e in ab.added] == [e.id for e in ba.removed]
    assert [e.id for e in ab.removed] == [e.id for e in ba.added]
    assert [c.id for c in ab.changed] == [c.id for c in ba.changed]
    for x, y in zip(ab.changed, ba.changed, strict=True):
        assert [(f.field, f.removed, f.added) for f in x.changes] == \
            [(f.field, f.added, f.removed) for f in y.changes]


@settings(max_examples=60, deadline=None)
@given(entities(), entities())
def test_diff_accounts_for_every_id(a: list[Entity], b: list[Entity]) -> None:
    d = diff_lists(a, b)
    ids_a, ids_b = {e.id for e in a}, {e.id for e in b}
    assert {e.id for e in d.added} == ids_b - ids_a
    assert {e.id for e in d.removed} == ids_a - ids_b
    assert {c.id for c in d.changed} <= ids_a & ids_b
