"""Korean names in Russian Cyrillic (Kontsevich) and foreign names in katakana, rules @3."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from armswatch.model import Entity, Name, NameKind, Schema
from armswatch.screening import ALGORITHMS, Query, Screener, prepare
from armswatch.screening._kontsevich import korean_syllables, reading_keys, readings
from armswatch.screening._korean import syllable_key
from armswatch.screening._rules import RULES_V3
from tests.conftest import need

V3 = ALGORITHMS.get("armswatch-match@3")
V2 = ALGORITHMS.get("armswatch-match@2")

# (Cyrillic as Russian media write it, the name as the UN/OFAC lists write it)
SAME = [
    ("Ким Чен Ын", "KIM JONG UN"),
    ("Ким Чжон Ын", "Kim Jong-un"),  # strict Kontsevich
    ("Чхве Рён Хэ", "CHOE RYONG HAE"),
    ("Пак Пон Чжу", "PAK PONG JU"),
    ("Ли Сон Гвон", "RI SON GWON"),
    ("Ким Ён Чоль", "KIM YONG CHOL"),
    ("Ким Ён Чхоль", "Kim Yong-chol"),
    ("Ким Чен Ир", "Kim Jong Il"),
    ("Чо Ен Вон", "JO YONG WON"),
    ("Ким Чен Ын", "김정은"),  # and against Hangul
]
# One syllable differs: another person, as in Latin spellings.
OTHER = [
    ("Ким Чен Ын", "KIM JONG IL"),
    ("Ким Ён Чоль", "KIM YONG CHUN"),
    ("Пак Пон Чжу", "PAK PONG NAM"),
    ("Ли Сон Гвон", "RI SON GYONG"),
]


@pytest.mark.parametrize(("cyrillic", "listed"), SAME)
def test_cyrillic_korean_names_match_the_listed_spelling(cyrillic: str, listed: str) -> None:
    assert V3.pair_score(cyrillic, listed, "Person") >= V3.threshold


def test_the_previous_version_missed_them() -> None:
    assert V2.pair_score("Ким Чен Ын", "KIM JONG UN", "Person") < V2.threshold
    assert V2.pair_score("Чхве Рён Хэ", "CHOE RYONG HAE", "Person") < V2.threshold


@pytest.mark.parametrize(("cyrillic", "listed"), OTHER)
def test_another_syllable_is_another_person(cyrillic: str, listed: str) -> None:
    assert V3.pair_score(cyrillic, listed, "Person") < V3.threshold


@pytest.mark.parametrize(
    "name",
    ["Владимир Путин", "Путин Владимир Владимирович", "Сергей Лавров", "Анна Ким",
     "Виктор Цой", "Лев Ким", "Ли Харви Освальд"],
)  # fmt: skip
def test_russian_names_are_not_read_as_korean(name: str) -> None:
    assert korean_syllables(name) is None
    assert len(prepare(name, "person", RULES_V3)) == len(prepare(name, "person", V2.rules))


def test_readings_cover_what_the_cyrillic_loses() -> None:
    assert readings("чен")[0] == "chon"
    assert {"chong", "chon"} <= set(readings("чен"))  # ㅓ as «е», final ㄴ/ㅇ as «н»
    assert syllable_key("jong") in reading_keys("чен")
    assert syllable_key("choe") in reading_keys("чхве")
    assert syllable_key("ri") in reading_keys("ли")
    assert syllable_key("chol") in reading_keys("чоль")
    assert readings("путин") == ()  # not one syllable
    assert korean_syllables("Ким Чен-Ын") == ["ким", "чен", "ын"]


@given(st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюя -", max_size=30))
def test_any_cyrillic_prepares_without_error(text: str) -> None:
    forms = prepare(text, "person", RULES_V3)
    words = korean_syllables(text)
    if words is not None:
        assert any(len(f.tokens) == len(words) and f.korean for f in forms)


def test_screening_the_real_lists_finds_the_listed_person() -> None:
    from armswatch.lists import read_lists

    data = read_lists(
        [
            need("sanctions/ofac/sdn_2024-05-03.csv"),
            need("sanctions/un/UN_consolidated_2026-02-27.xml"),
        ]
    )
    screener = Screener(data.entities)
    assert screener.algorithm_ref == "armswatch-match@3"
    for cyrillic, listed in (("Ким Чен Ын", "KIM, Jong Un"), ("Чхве Рён Хэ", "CHOE, Ryong Hae")):
        top = screener.screen(Query(name=cyrillic, schema="person"))
        assert top, cyrillic
        assert top[0].is_match, cyrillic
        assert top[0].entity_name == listed


def test_screening_hand_made_entities() -> None:
    people = []
    for n, listed in enumerate(("PAK PONG JU", "RI SON GWON", "PAK PONG NAM", "RI SONG GYONG")):
        entity = Entity(id=f"t-{n}", schema=Schema.PERSON, source="test", source_id=str(n))
        entity.names.append(Name(listed, NameKind.PRIMARY))
        people.append(entity)
    screener = Screener.from_entities(people)
    for cyrillic, listed in (("Пак Пон Чжу", "PAK PONG JU"), ("Ли Сон Гвон", "RI SON GWON")):
        top = screener.screen(Query(name=cyrillic))
        assert top[0].entity_name == listed
        assert top[0].is_match
        assert all(not m.is_match for m in top[1:])


@pytest.mark.parametrize(
    ("katakana", "listed"),
    [("ウラジーミル・プーチン", "Vladimir Putin"), ("バラク・オバマ", "Barack Obama"),
     ("ドナルド・トランプ", "Donald Trump"), ("キム・ジョンウン", "Kim Jong Un")],
)  # fmt: skip
def test_foreign_names_in_katakana_read_back(katakana: str, listed: str) -> None:
    assert V3.pair_score(katakana, listed, "Person") >= V3.threshold
    assert V3.pair_score(katakana, "Hans Friedrich", "Person") < V3.threshold


def test_katakana_reading_is_only_for_katakana() -> None:
    forms = prepare("山田太郎", "person", RULES_V3)
    assert [f.text for f in forms] == [f.text for f in prepare("山田太郎", "person", V2.rules)]
