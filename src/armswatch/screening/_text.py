"""Scripts to Latin: one function, :func:`latinize`, with the field's transliterators.

* Latin: accents folded (``Erdoğan`` → ``erdogan``, ``ß`` → ``ss``).
* Cyrillic: BGN/PCGN romanisation (the one most lists use: ``Хусеин`` → ``khusein``);
  ICU's scientific romanisation is kept as a second reading (``husein``).
* Greek: UN/ELOT (``Βλαντίμιρ`` → ``vlantimir``).
* Arabic, Persian, Urdu, Pashto, Hebrew: ICU's romanisation, which writes consonants
  only; the comparison knows those tokens lack vowels (see :data:`ABJAD_SCRIPTS`).
* Hangul: our McCune–Reischauer romaniser (one token per syllable).
* Han: Mandarin pinyin per character (ICU ``Han-Latin/Names``).
* Kana and everything else ICU knows: ``Any-Latin``; what ICU leaves untouched
  (Khmer, Myanmar, ...) goes through ``anyascii``.

ICU transliterators are created once per process (lazily, never at import time).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

from armswatch.screening._korean import is_hangul_syllable, romanize_hangul

# Scripts written without (most) vowels: their romanisations are consonant skeletons.
ABJAD_SCRIPTS = frozenset({"Arabic", "Hebrew", "Syriac", "Thaana"})
# Scripts whose romanisation joins syllables without spaces.
SYLLABIC_SCRIPTS = frozenset({"Han", "Hangul", "Hiragana", "Katakana"})

_MAX_CHARS = 512  # a name longer than this is cut (lists have none near it)


@lru_cache(maxsize=16)
def _icu(rule: str) -> Any:
    import icu  # lazy: importing screening must stay cheap

    return icu.Transliterator.createInstance(rule)


@lru_cache(maxsize=4096)
def char_script(ch: str) -> str:
    """Unicode script of a letter, from its character name (Latin, Cyrillic, ...)."""
    if ch.isascii():
        return "Latin" if ch.isalpha() else "Common"
    if is_hangul_syllable(ch):
        return "Hangul"
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return "Unknown"
    if not ch.isalpha() and not unicodedata.category(ch).startswith("M"):
        return "Common"
    first = name.split(" ", 1)[0]
    if first == "CJK":
        return "Han"
    if first in {"HANGUL"}:
        return "Hangul"
    if first.startswith(("HIRAGANA", "KATAKANA")):
        return "Katakana" if first.startswith("KATAKANA") else "Hiragana"
    if first in {"ARABIC"}:
        return "Arabic"
    return first.capitalize()


def scripts_of(text: str) -> set[str]:
    """The scripts of the letters in ``text`` (``Common`` excluded)."""
    return {s for s in map(char_script, text) if s not in {"Common", "Unknown"}}


def clean(text: str) -> str:
    """NFKC, no control characters, collapsed whitespace, bounded length."""
    text = text[: _MAX_CHARS * 4]
    if text.isascii() and text.isprintable():
        return " ".join(text.split())[:_MAX_CHARS]
    text = unicodedata.normalize("NFKC", text)
    # format characters (ZWNJ in Persian, soft hyphen, bidi marks) join; others separate
    text = "".join(
        "" if unicodedata.category(c) == "Cf" else " " if unicodedata.category(c)[0] in "CZ" else c
        for c in text
    )
    return " ".join(text.split())[:_MAX_CHARS]


def ascii_fold(text: str) -> str:
    """Latin text to lowercase ASCII (accents folded)."""
    if text.isascii():
        return text.lower()
    out = _icu("Latin-ASCII").transliterate(text)
    if not out.isascii():
        from anyascii import anyascii

        out = anyascii(out)
    return str(out).lower()


def script_runs(text: str) -> list[tuple[str, str]]:
    """Split text into runs of one script (Common characters join the previous run)."""
    if text.isascii():
        return [("Latin", text)]
    runs: list[tuple[str, str]] = []
    for ch in text:
        script = char_script(ch)
        if script in {"Common", "Unknown"} and runs:
            runs[-1] = (runs[-1][0], runs[-1][1] + ch)
            continue
        if runs and runs[-1][0] == script:
            runs[-1] = (script, runs[-1][1] + ch)
        else:
            runs.append((script, ch))
    return runs


def _romanize_run(script: str, text: str, scientific: bool) -> str:
    if script in {"Latin", "Common", "Unknown"}:
        return text
    if script == "Hangul":
        return f" {romanize_hangul(text)} "
    if script == "Han":
        return f" {_icu('Han-Latin/Names').transliterate(text)} "
    if script == "Cyrillic" and not scientific:
        text = _icu("Russian-Latin/BGN").transliterate(text)
    elif script == "Greek":
        text = _icu("Greek-Latin/UNGEGN").transliterate(text)
    out = str(_icu("Any-Latin").transliterate(text))
    if any(char_script(c) not in {"Latin", "Common", "Unknown"} for c in out):
        from anyascii import anyascii

        out = anyascii(out)
    return out


def romanize_syllables(script: str, text: str) -> list[tuple[str, str]]:
    """(romanisation, character) for each Han or Hangul character of ``text``."""
    chars = [c for c in text if char_script(c) == script]
    if script == "Hangul":
        from armswatch.screening._korean import romanize_syllable

        return [(romanize_syllable(c), c) for c in chars]
    words = ascii_fold(_icu("Han-Latin/Names").transliterate("".join(chars))).split()
    if len(words) != len(chars):
        words = [ascii_fold(_icu("Han-Latin").transliterate(c)).strip() for c in chars]
    return list(zip(words, chars, strict=True))


@lru_cache(maxsize=1)
def _hanja() -> dict[str, tuple[str, ...]]:
    from armswatch.paths import package_data

    table: dict[str, tuple[str, ...]] = {}
    path = package_data("screening_hanja_hangul.tsv")
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or "\t" not in line:
                continue
            char, readings = line.rstrip("\n").split("\t")
            table[char] = tuple(readings.split(","))
    return table


def hanja_readings(char: str) -> tuple[str, ...]:
    """Sino-Korean readings (Hangul) of a Han character, name readings first."""
    return _hanja().get(char, ())


def latinize(text: str) -> list[tuple[str, frozenset[str]]]:
    """Readings of ``text`` in lowercase ASCII, each with the scripts it came from.

    Usually one reading; Cyrillic gives two (BGN/PCGN and scientific) when they differ.
    """
    text = clean(text)
    runs = script_runs(text)
    scripts = frozenset(s for s, _ in runs if s not in {"Common", "Unknown"})
    first = ascii_fold("".join(_romanize_run(s, t, False) for s, t in runs))
    readings = [(first, scripts)]
    if "Cyrillic" in scripts:
        second = ascii_fold("".join(_romanize_run(s, t, True) for s, t in runs))
        if second != first:
            readings.append((second, scripts))
    return readings
