"""Versions as data: @1, @2 and @3 side by side, and the helpers their rules rely on."""

from __future__ import annotations

import pytest

from armswatch.screening import ALGORITHMS, RULES_V1, RULES_V2, RULES_V3
from armswatch.screening._japanese import japanese_reading
from armswatch.screening._korean import foreign_reading, looks_transcribed
from armswatch.screening._phonetic import is_patronymic, name_groups, phonetic_key, stems
from armswatch.screening._rules import without
from armswatch.screening._titles import latin_titles, strip_cjk_titles
from armswatch.screening._tokens import is_country


def test_both_versions_registered_and_the_new_one_is_default() -> None:
    assert ALGORITHMS.ref("armswatch-match") == "armswatch-match@3"
    assert ALGORITHMS.get("armswatch-match@1").rules is RULES_V1
    assert ALGORITHMS.get("armswatch-match@2").rules is RULES_V2
    assert ALGORITHMS.get("armswatch-match@3").rules is RULES_V3
    assert not RULES_V2.cyrillic_korean
    assert RULES_V3.cyrillic_korean
    assert all(
        not value for value in vars(RULES_V1).values() if isinstance(value, bool)
    ), "@1 has every switch off"


def test_without_turns_one_switch_off_and_refuses_unknown_ones() -> None:
    rules = without(RULES_V2, "nicknames")
    assert not rules.nicknames
    assert rules.phonetic
    with pytest.raises(ValueError, match="no switch"):
        without(RULES_V2, "version")


@pytest.mark.parametrize(
    ("spellings", "key"),
    [
        (("vladimir", "wladimir", "vlagyimir"), "vladimir"),
        (("putin", "poetin", "putyin"), "putin"),
        (("vladimirovich", "wladimirowitsch", "vladimirovitj", "vladimirovics"), "vladimirovich"),
        (("zelenskyy", "selenskyj"), "selenski"),
    ],
)
def test_phonetic_key_unifies_orthographies(spellings: tuple[str, ...], key: str) -> None:
    assert {phonetic_key(s) for s in spellings} == {key}


def test_stems_cut_one_ending_of_long_enough_parts() -> None:
    assert "putin" in stems("putinas")
    assert "putin" in stems("putins")
    assert stems("ivas") == ()  # the stem would be shorter than four letters


def test_patronymics_and_name_groups() -> None:
    assert is_patronymic("wladimirowitsch")
    assert is_patronymic("sergeyevna")
    assert not is_patronymic("ivanova")
    assert name_groups("bill") & name_groups("william")
    assert not name_groups("bill") & name_groups("robert")


def test_hangul_read_back_as_a_foreign_name() -> None:
    assert looks_transcribed("블라디미르 푸틴")
    assert not looks_transcribed("김정은")
    assert [foreign_reading(w) for w in ["블라디미르", "푸틴"]] == ["bladimir", "putin"]


def test_japanese_reading_of_kanji() -> None:
    assert japanese_reading("山田太郎") == "yamada taro"
    assert japanese_reading("田中花子") == "tanaka hanako"


def test_titles_and_countries() -> None:
    assert {"prasident", "prezident", "elnok", "presidente"} <= latin_titles()
    assert strip_cjk_titles("普京总统") == "普京"
    assert strip_cjk_titles("총통") == "총통"  # not a title in the table: kept
    assert is_country("schweiz")
    assert is_country("swiss")
    assert not is_country("trading")
