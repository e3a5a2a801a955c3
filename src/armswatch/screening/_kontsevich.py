"""Korean names written in Russian Cyrillic, read back as Korean syllables (rules @3).

Russian writes Korean names in the Kontsevich system (Л. Р. Концевич, «Корейско-русская
практическая транскрипция», 1972; the standard of Russian dictionaries and media since)
or in the older practice it replaced (Холодович, 1950s), which media keep for the
names of the Kim family: 김정은 is «Ким Чен Ын» (Kontsevich: «Ким Чжон Ын»), 김일성
«Ким Ир Сен». Both write one Korean syllable per Cyrillic word and lose distinctions
the McCune–Reischauer spellings of the UN and OFAC lists keep:

* final ㄴ and ㅇ are both «н» (성 «Сон» = Song, 선 «Сон» = Son);
* ㅓ and ㅗ are both «о»; the older practice writes ㅓ as «е» after ч, с (정 «Чен»);
  «е» is also ㅔ and ㅕ;
* ㅈ is «чж» (Kontsevich) or «ч»; aspiration is an «х» after ч, к, т, п (최 «Чхве»);
* ㄹ is «р» before a vowel, «ль»/«р» at the end (철 «Чоль», 일 «Ир»).

So each Cyrillic syllable is read as the *set* of McCune–Reischauer syllables it may
write (:func:`readings`, from the tables below), and a listed syllable matches it when
its :func:`syllable_key` is one of theirs. The reading is only made for a name that
looks Korean (:func:`korean_syllables`): a known Korean surname written in Cyrillic
and every word one syllable, so Russian names («Владимир Путин») are never read so.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import product

from armswatch.screening._korean import syllable_key

# Initial consonants (Cyrillic, lowercase) -> McCune–Reischauer without apostrophes.
# Kontsevich table: ㄱ к/г, ㄲ кк, ㄴ н, ㄷ т/д, ㄸ тт, ㄹ р, ㅁ м, ㅂ п/б, ㅃ пп, ㅅ с,
# ㅆ сс, ㅈ чж, ㅉ чч, ㅊ чх, ㅋ кх, ㅌ тх, ㅍ пх, ㅎ х; older practice: ㅈ ч, ㅅ ш.
# Koryo-saram spellings: ㅊ ц (최 «Цой»).
_INITIALS: dict[str, tuple[str, ...]] = {
    "": ("",),
    "к": ("k",), "кк": ("kk",), "кх": ("k",), "г": ("k",),
    "т": ("t",), "тт": ("tt",), "тх": ("t",), "д": ("t",),
    "п": ("p",), "пп": ("pp",), "пх": ("p",), "б": ("p",),
    "ч": ("ch",), "чж": ("ch",), "чч": ("ch",), "чх": ("ch",), "дж": ("ch",), "ц": ("ch",),
    "с": ("s",), "сс": ("ss",), "ш": ("s",),
    "х": ("h",), "м": ("m",), "н": ("n",), "р": ("r",), "л": ("r",),
}  # fmt: skip
# Vowels (with the glide written as «в» or «й»), Kontsevich and older practice.
_VOWELS: dict[str, tuple[str, ...]] = {
    "а": ("a",), "я": ("ya",), "о": ("o",), "ё": ("yo",), "е": ("o", "e", "yo", "ye"),
    "э": ("ae", "e"), "у": ("u",), "ю": ("yu",), "ы": ("u",), "и": ("i",), "ый": ("ui",),
    "йе": ("ye",), "ва": ("wa",), "вэ": ("wae", "oe"), "ве": ("oe", "we"), "во": ("wo",),
    "ви": ("wi",), "ой": ("oe",), "уй": ("wi", "ui"),
}  # fmt: skip
# Final consonants: ㄴ and ㅇ are both «н»; ㄹ «ль» or «р».
_FINALS: dict[str, tuple[str, ...]] = {
    "": ("",), "н": ("n", "ng"), "нъ": ("ng",), "м": ("m",), "к": ("k",), "т": ("t",),
    "п": ("p",), "ль": ("l",), "л": ("l",), "р": ("l",),
}  # fmt: skip


def _alternation(keys: list[str]) -> str:
    return "|".join(sorted((re.escape(k) for k in keys if k), key=len, reverse=True))


_SYLLABLE = re.compile(
    f"^(?P<i>{_alternation(list(_INITIALS))})?"
    f"(?P<v>{_alternation(list(_VOWELS))})"
    f"(?P<f>{_alternation(list(_FINALS))})?$"
)

# Korean surnames as Russian writes them (Kontsevich and the older practice; the
# Koryo-saram spellings Цой, Тен, Тян): the signal that a Cyrillic name is Korean.
SURNAMES = frozenset(
    {"ким", "пак", "ли", "ри", "чхве", "цой", "чве", "чо", "чжо", "чон", "чжон", "тен",
     "кан", "хан", "юн", "чан", "чжан", "тян", "им", "лим", "рим", "со", "сон", "син",
     "шин", "квон", "кон", "ю", "рю", "ко", "мун", "пэ", "пэк", "хо", "хон", "хер", "нам",
     "ро", "но", "чу", "чжу", "ом", "пён", "хён", "ян", "рян", "хван", "тхэ", "кё",
     "чин", "чжин", "чи", "чжи", "мин", "ха", "ку", "ан", "сим", "ём", "рём", "ок",
     "тхак", "кым", "ке", "ву"}
)  # fmt: skip
_MAX_WORDS = 5
CYRILLIC_GLYPH = "Cyrillic:"  # Tok.glyph prefix of a part read from Cyrillic Korean


@lru_cache(maxsize=4096)
def readings(syllable: str) -> tuple[str, ...]:
    """The McCune–Reischauer syllables a Cyrillic syllable may write, most usual first
    (empty if it is not one syllable)."""
    m = _SYLLABLE.match(syllable.lower())
    if m is None:
        return ()
    initial = _INITIALS[m.group("i") or ""]
    vowel = _VOWELS[m.group("v")]
    final = _FINALS[m.group("f") or ""]
    return tuple(dict.fromkeys("".join(p) for p in product(initial, vowel, final)))


@lru_cache(maxsize=4096)
def reading_keys(syllable: str) -> frozenset[str]:
    """The :func:`syllable_key` of each reading of a Cyrillic syllable."""
    return frozenset(syllable_key(r) for r in readings(syllable))


def korean_syllables(text: str) -> list[str] | None:
    """The Cyrillic syllables of a name that looks Korean, or None.

    Korean: 2 to 5 words (hyphens split words), each one syllable in the tables above,
    and one of them a Korean surname (:data:`SURNAMES`).
    """
    words = [w for w in re.split(r"[\s\-‐‑,.]+", text.lower()) if w]
    if not 2 <= len(words) <= _MAX_WORDS:
        return None
    if not any(w in SURNAMES for w in words):
        return None
    if not all(readings(w) for w in words):
        return None
    return words
