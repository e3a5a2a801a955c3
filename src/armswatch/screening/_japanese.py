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


@lru_cache(maxsize=20_000)
def japanese_reading(text: str) -> str:
    """Lowercase Hepburn of a Japanese name, or "" when some part has no reading."""
    roman = str(_katsu().romaji(text)).lower().replace("/", " ").replace("-", " ")
    words = roman.split()
    if not words or not all(_LATIN_WORD.match(w) for w in words):
        return ""
    out = []
    for word in words:
        for src, dst in _LONG_VOWELS:
            word = word.replace(src, dst)
        out.append(word)
    return " ".join(out)
