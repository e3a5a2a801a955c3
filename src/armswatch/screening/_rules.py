"""What each algorithm version does, as data: one frozen :class:`Rules` per version.

Preparation, indexing and comparison read their behaviour from a ``Rules`` object, so
an older version keeps working unchanged beside a newer one (``armswatch-match@1``
uses :data:`RULES_V1`, whose every switch is off). Each switch names one idea and can
be turned off alone to measure what it brings (see ``bench/screening_fit.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any


@dataclass(frozen=True, eq=False)  # eq=False: hashed by identity (cheap lru_cache keys)
class Rules:
    """Switches of one algorithm version (all off = armswatch-match@1)."""

    version: str
    # -- preparation ----------------------------------------------------------------
    person_initials: bool = False  # "V. V. Putin": two initials, not the word "vv"
    titles_in_script: bool = False  # "Президент", "رئيس", "大统领" removed like "President"
    alias_split: bool = False  # "Al-Qa'ida/Islamic Army": two names
    hangul_foreign: bool = False  # "블라디미르" read back as a foreign name: "bladimir"
    japanese_kanji: bool = False  # "山田太郎" read as Japanese (cutlet, when installed)
    script_phonology: bool = False  # पुतिन "putin" (no schwa), Greek ντ "d", Hebrew ו "v"
    cyrillic_korean: bool = False  # "Ким Чен Ын" read as Korean syllables (Kontsevich)
    katakana_foreign: bool = False  # "ウラジーミル・プーチン" read back as "vladimir putin"
    # -- comparison -----------------------------------------------------------------
    phonetic: bool = False  # cross-language phonetic key (gy=d, w=v, ou=u, ...)
    endings: bool = False  # grammatical endings (-as, -is, -s, -os) do not separate parts
    nicknames: bool = False  # Bibi = Benjamin, Ted = Theodore (cited table)
    patronymics: bool = False  # an extra "Vladimirovich" costs half a name part
    korean_vowels: bool = False  # Sung = Seong (ㅓ written u in personal spellings)
    glued_legal: bool = False  # "SiemensAG": a legal form written onto the name
    titled_surname: bool = False  # "President Putin": a title and a surname name a person
    lineage_needs_context: bool = False  # "bin Salman Mohammed" has no son/father order
    numbers_by_schema: bool = False  # vessels: numbers decide; companies: strong evidence
    generic_no_conflict: bool = False  # Corporation vs Company is no conflict of names
    acronyms_for_orgs: bool = False  # "PLA" spells an organisation, never a person
    scorer: str = "v1"  # how evidence combines: "v1" (fixed formula) or "v2" (fitted)


RULES_V1 = Rules("1")
RULES_V2 = Rules(
    "2",
    person_initials=True,
    titles_in_script=True,
    alias_split=True,
    hangul_foreign=True,
    japanese_kanji=True,
    script_phonology=True,
    phonetic=True,
    endings=True,
    nicknames=True,
    patronymics=True,
    korean_vowels=True,
    glued_legal=True,
    titled_surname=True,
    lineage_needs_context=True,
    numbers_by_schema=True,
    generic_no_conflict=True,
    acronyms_for_orgs=True,
    scorer="v2",
)
# @3: everything of @2, Korean names written in Russian Cyrillic, foreign names in katakana.
RULES_V3 = replace(RULES_V2, version="3", cyrillic_korean=True, katakana_foreign=True)


def without(rules: Rules, *switches: str) -> Rules:
    """A copy of ``rules`` with some switches off (for ablation measurements)."""
    values: dict[str, Any] = {f.name: getattr(rules, f.name) for f in fields(rules)}
    for switch in switches:
        if not isinstance(values.get(switch), bool):
            raise ValueError(f"no switch {switch!r} in Rules")
        values[switch] = False
    values["version"] = f"{rules.version}-no-" + "-".join(switches)
    return Rules(**values)
