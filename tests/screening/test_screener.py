"""The screener on the real OFAC SDN 2024 and UN lists (shared data), and on hand-made entities."""

from __future__ import annotations

import pytest

from armswatch.model import Entity, IdKind, Name, NameKind, Schema
from armswatch.screening import ALGORITHMS, Query, Screener
from tests.conftest import need


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.from_paths(
        [
            need("sanctions/ofac/sdn_2024-05-03.csv"),
            need("sanctions/un/UN_consolidated_2026-02-27.xml"),
        ]
    )


@pytest.mark.parametrize(
    ("name", "schema", "expected"),
    [
        ("Kim Jong Un", "person", "KIM, Jong Un"),
        ("Gim Jeong-eun", "person", "KIM, Jong Un"),
        ("김정은", "person", "KIM, Jong Un"),
        ("Владимир Путин", "person", "PUTIN, Vladimir Vladimirovich"),
        ("Hasan Nasrallah", "person", "NASRALLAH, Hasan"),
        ("Choi Ryong Hae", "person", "CHOE, Ryong Hae"),
    ],
)
def test_finds_listed_people(screener: Screener, name: str, schema: str, expected: str) -> None:
    found = screener.screen(Query(name=name, schema=schema))
    assert found
    assert found[0].is_match, [m.explanation for m in found]
    assert found[0].entity_name == expected
    assert found[0].algorithm == ALGORITHMS.ref("armswatch-match")
    assert found[0].source_id
    assert found[0].lists
    assert found[0].programs
    assert found[0].features["name"] > 0.7
    assert "~" in found[0].explanation
    assert "list " in found[0].explanation


def test_schema_filter(screener: Screener) -> None:
    found = screener.screen(Query(name="Kim Jong Un", schema="vessel"))
    assert all(m.schema == "Vessel" for m in found)


def test_list_and_program_filters(screener: Screener) -> None:
    found = screener.screen(Query(name="Kim Jong Un", lists=("un_sc",), top=10))
    assert all(m.entity_id.startswith("un_sc") for m in found)
    found = screener.screen(Query(name="Kim Jong Un", programs=("DPRK",), top=10))
    assert found
    assert all(any(p.startswith("DPRK") for p in m.programs) for m in found)


@pytest.mark.parametrize("name", ["", "   ", "!!! ---", "x" * 10_000, "Ωmega Кит 김 محمد"])
def test_bad_or_odd_names_give_results_not_crashes(screener: Screener, name: str) -> None:
    found = screener.screen(Query(name=name))
    assert isinstance(found, list)
    assert all(0.0 <= m.score <= 1.0 for m in found)


def test_too_long_name_is_refused() -> None:
    with pytest.raises(ValueError, match="longer than"):
        Query(name="x" * 10_001)


def _vessel(source_id: str, name: str, imo: str) -> Entity:
    entity = Entity(
        id=f"t-{source_id}",
        schema=Schema.VESSEL,
        source="test",
        source_id=source_id,
        names=[Name(name)],
        programs=["DPRK4"],
    )
    entity.add_identifier(IdKind.IMO, imo)
    return entity


def test_imo_equality_is_decisive_and_difference_lowers() -> None:
    screener = Screener.from_entities(
        [_vessel("1", "ZU ZAG BONG 6", "IMO 8605026"), _vessel("2", "ZU ZAG BONG 5", "9000001")]
    )
    renamed = screener.screen(
        Query(name="SEA STAR", schema="vessel", identifiers={"imo": "8605026"})
    )
    assert renamed[0].entity_id == "t-1"
    assert renamed[0].is_match
    assert "imo 8605026 equal" in renamed[0].explanation
    other = screener.screen(Query(name="ZU ZAG BONG 6", identifiers={"imo": "9999999"}))
    assert other[0].entity_id == "t-1"
    assert not other[0].is_match
    numbers = screener.screen(Query(name="MV ZU ZAG BONG 6", schema="vessel"))
    assert numbers[0].entity_id == "t-1"
    assert numbers[0].is_match
    assert all(not m.is_match for m in numbers[1:])


def test_dob_and_country_move_the_score() -> None:
    person = Entity(
        id="t-p",
        schema=Schema.PERSON,
        source="test",
        source_id="p",
        names=[Name("FRIEDRICH, Hans Joachim"), Name("Hansi", NameKind.WEAK)],
        birth_dates=["1970-03-04"],
        nationalities=["Germany"],
    )
    screener = Screener.from_entities([person])
    plain = screener.screen(Query(name="Hans J Friedrich"))[0].score
    agree = screener.screen(
        Query(name="Hans J Friedrich", birth_date="1970-03-04", countries=("de",))
    )
    disagree = screener.screen(Query(name="Hans J Friedrich", birth_date="1990", countries=("fr",)))
    assert agree[0].score > plain > disagree[0].score
    assert set(agree[0].features) == {"name", "dob", "country"}
