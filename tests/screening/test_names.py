"""Pairwise name comparison: a typed table of cases (the issue's examples first)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from armswatch.screening import ALGORITHMS, NameComparison
from armswatch.screening._korean import romanize_hangul, syllable_key

ALGO = ALGORITHMS.get("armswatch-match")
THRESHOLD = ALGO.threshold


def compare(query: str, listed: str, family: str) -> NameComparison:
    cmp = ALGO.compare_names(ALGO.prepare(query, family), ALGO.prepare(listed, family))
    assert cmp is not None
    return cmp


@dataclass(frozen=True)
class Case:
    family: str  # person / org / vessel / any
    query: str
    listed: str
    match: bool
    why: str


CASES = [
    # Korean names in every romanisation and spacing (issue 4)
    Case("person", "Kim Jong Un", "Kim Jong-un", True, "hyphenation"),
    Case("person", "KIM Jong-Un", "Kim Jong Un", True, "case and hyphen"),
    Case("person", "Gim Jeong-eun", "Kim Jong Un", True, "Revised Romanisation"),
    Case("person", "김정은", "Kim Jong Un", True, "Hangul"),
    Case("person", "金正恩", "Kim Jong Un", True, "Hanja (Sino-Korean reading)"),
    Case("person", "Choi Ryong Hae", "Choe Ryong Hae", True, "Choe/Choi"),
    Case("person", "Jo Yon Jun", "Cho Yon Jun", True, "Jo/Cho"),
    Case("person", "Rhee Yong Ho", "Ri Yong Ho", True, "Ri/Rhee"),
    Case("person", "Lee Yong Ho", "Ri Yong Ho", True, "Ri/Lee"),
    Case("person", "Park Pong Ju", "Pak Pong Ju", True, "Pak/Park"),
    Case("person", "So'ng Kim", "Song Kim", True, "So'ng/Song"),
    Case("person", "Ri Yong-chol", "Ri Yong Chol", True, "Yong-chol/Yong Chol"),
    Case("person", "Kim Yong-chol", "Kim Yong-chun", False, "another given-name syllable"),
    Case("person", "김종은", "김정은", False, "another Hangul syllable"),
    # word order, particles, honorifics
    Case("person", "NASRALLAH, Hasan", "Hasan Nasrallah", True, "surname first"),
    Case("person", "Mr. Rami Makhlouf", "Rami Makhlouf", True, "honorific"),
    Case("person", "Osama bin Laden", "Usama ibn Laden", True, "bin/ibn, Osama/Usama"),
    Case("person", "Bashar al-Assad", "Hafez al-Assad", False, "al- is not the name"),
    Case(
        "person", "SALMAN BIN MUHAMMAD AL-RAWI", "MUHAMMAD BIN SALMAN AL-RAWI", False, "father/son"
    ),
    Case("person", "BARZAN IBRAHIM AL-MOSULI", "BARZAN IBRAHIM AL-TIKRITI", False, "nisbah"),
    Case("person", "Hans J Friedrich", "Hans Joachim Friedrich", True, "initial"),
    Case("person", "Hans O Friedrich", "Hans Joachim Friedrich", False, "wrong initial"),
    Case("person", "VladimirPutin", "Vladimir Putin", True, "written together"),
    Case("person", "Vladimir Vladimirovich Putin", "Vladimir Putin", True, "patronymic"),
    # scripts
    Case("person", "Владимир Путин", "Vladimir Putin", True, "Cyrillic"),
    Case("person", "محمد علي", "Mohamed Ali", True, "Arabic"),
    Case("person", "ولادیمیر پوتین", "Vladimir Putin", True, "Persian"),
    Case("person", "Βλαντίμιρ Πούτιν", "Vladimir Putin", True, "Greek"),
    Case("person", "习近平", "Xi Jinping", True, "Han (pinyin)"),
    # companies: legal forms in any language
    Case("org", "OOO Oboronnye Initsiativy", "Oboronnye Initsiativy LLC", True, "OOO/LLC"),
    Case("org", "ООО Оборонные Инициативы", "OOO Oboronnye Initsiativy", True, "ООО Cyrillic"),
    Case("org", "Siemens Aktiengesellschaft", "Siemens AG", True, "AG spelt out"),
    Case("org", "JSC TACTICAL MISSILES CORP.", "TACTICAL MISSILES CORPORATION JSC", True, "order"),
    Case("org", "Banco Santander S.A.", "Banco Santander Chile S.A.", True, "a country: a branch"),
    Case("org", "Bank of China (Hong Kong)", "Bank of China (Singapore)", False, "two branches"),
    Case("org", "Banco Santander S.A.", "Banco Santander Totta S.A.", False, "extra word"),
    Case("org", "A.B.C. Company", "ABC Co.", True, "initialism"),
    # vessels: prefixes and numbers
    Case("vessel", "ZU ZAG BONG 6", "ZU ZAG BONG 5", False, "another number"),
    Case("vessel", "ZU ZAG BONG 6", "ZU ZAG BONG 6", True, "same"),
    Case("vessel", "MV Hellenic Spirit", "Hellenic Spirit", True, "MV prefix"),
    Case("vessel", "M/V HELLENIC SPIRIT", "MT Hellenic Spirit", True, "M/V and MT"),
    Case("vessel", "Victory", "Victory 3", False, "number only on one side"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.query}~{c.listed}")
def test_case_table(case: Case) -> None:
    cmp = compare(case.query, case.listed, case.family)
    assert (cmp.score >= THRESHOLD) is case.match, f"{case.why}: {cmp.score:.3f} {cmp.explain()}"


def test_legal_form_kinds_lower_the_score() -> None:
    same = compare("Deutsche Bank AG", "Deutsche Bank AG", "org")
    other = compare("Deutsche Bank AG", "Deutsche Bank GmbH", "org")
    assert other.score < same.score
    assert "legal forms differ: ag vs gmbh" in other.explain()


def test_explanation_names_parts_and_conflicts() -> None:
    cmp = compare("Kim Yong-chol", "Kim Yong-chun", "person")
    text = cmp.explain()
    assert "kim=kim" in text
    assert "conflicting parts: chol vs chun" in text


def test_hangul_romanisation() -> None:
    assert romanize_hangul("김정은") == "kim jeong eun"
    assert romanize_hangul("최룡해") == "choe ryong hae"


@pytest.mark.parametrize(
    ("variants"),
    [
        ("jong", "jeong", "chong", "ch'ong"),
        ("un", "eun"),
        ("choe", "choi"),
        ("ri", "lee", "rhee", "yi", "i"),
        ("pak", "park", "bak"),
        ("chol", "cheol", "ch'ol"),
    ],
)
def test_korean_syllable_key_unifies(variants: tuple[str, ...]) -> None:
    assert len({syllable_key(v) for v in variants}) == 1


def test_korean_syllable_key_keeps_syllables_apart() -> None:
    assert syllable_key("chol") != syllable_key("chun")
    assert syllable_key("min") != syllable_key("il")
