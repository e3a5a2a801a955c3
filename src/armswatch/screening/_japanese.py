"""Japanese readings of names in kanji and kana (cutlet: MeCab with UniDic-lite).

Kanji have several readings each; only a dictionary of words and names tells which one
a name uses ("山田太郎" is Yamada Tarō, not "shan tian tai lang"). cutlet (MIT) runs
MeCab (fugashi, MIT/BSD) over UniDic-lite (MIT/BSD) and gives modified Hepburn; long
vowels are written once, as lists write them without macrons ("Tarou" → "taro").
Loaded on first use (~0.2 s), never at import.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_LONG_VOWELS = (("ou", "o"), ("oo", "o"), ("uu", "u"), ("ii", "i"), ("aa", "a"), ("ee", "e"))
_LATIN_WORD = re.compile(r"^[a-z]+$")


@lru_cache(maxsize=1)
def _katsu() -> Any:
    import cutlet  # type: ignore[import-untyped]  # no type hints shipped

    katsu = cutlet.Cutlet()
    katsu.use_foreign_spelling = False  # the reading of the characters, not a guess
    return katsu


@lru_cache(maxsize=1)
def _katsu_foreign() -> Any:
    import cutlet

    katsu = cutlet.Cutlet()
    katsu.use_foreign_spelling = True  # UniDic's source spelling of loanwords and names
    return katsu


# Katakana writes the foreign syllable "ti" as チ (プーチン is Putin), and adds a vowel
# to a final consonant: u, or o after t and d (メルケル is Merkel, not Merukeru).
_FINAL_VOWEL = re.compile(r"(?<=[bcdfghjklmnprstvz])u$|(?<=[td])o$")


@lru_cache(maxsize=20_000)
def katakana_foreign_reading(text: str) -> str:
    """A foreign name written in katakana, read back ("ウラジーミル・プーチン" →
    "vladimir putin"), or "" when some part has no reading.

    cutlet gives UniDic's source spelling of the words it knows as loanwords
    (Vladimir, Obama, Donald) and Hepburn for the others, which the transcription rules
    above turn back (Puuchin → putin).
    """
    out = []
    for word in _romaji_words(_katsu_foreign(), text, apostrophes=False):
        word = word.replace("chi", "ti")
        if len(word) > 3:
            word = _FINAL_VOWEL.sub("", word)
        out.append(word)
    return " ".join(out)


@lru_cache(maxsize=20_000)
def japanese_reading(text: str) -> str:
    """Lowercase Hepburn of a Japanese name, or "" when some part has no reading."""
    return " ".join(_romaji_words(_katsu(), text))


def _romaji_words(katsu: Any, text: str, apostrophes: bool = True) -> list[str]:
    """cutlet's words, lowercase, long vowels once; [] when some part has no reading."""
    roman = str(katsu.romaji(text)).lower().replace("/", " ").replace("-", " ")
    if not apostrophes:
        roman = roman.replace("'", "")  # "Jon'Un": a syllable boundary
    words = roman.split()
    if not words or not all(_LATIN_WORD.match(w) for w in words):
        return []
    out = []
    for word in words:
        for src, dst in _LONG_VOWELS:
            word = word.replace(src, dst)
        out.append(word)
    return out
