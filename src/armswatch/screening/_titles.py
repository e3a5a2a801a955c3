"""Titles in many languages and scripts (``screening_titles.tsv``, cited there).

Rules @2 treat them like "Mr" or "President": not parts of the name. Latin-script and
romanised titles join the title words of the tokeniser; titles in CJK scripts, where
words are not separated, are cut from the start or end of a name.
"""

from __future__ import annotations

from functools import lru_cache

_CJK = ("Han", "Hangul", "Hiragana", "Katakana")


@lru_cache(maxsize=1)
def _table() -> tuple[str, ...]:
    from armswatch.paths import package_data

    titles: list[str] = []
    with package_data("screening_titles.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or "\t" not in line:
                continue
            titles.append(line.rstrip("\n").split("\t")[1])
    return tuple(titles)


@lru_cache(maxsize=1)
def latin_titles() -> frozenset[str]:
    """Every title of the table as the tokeniser sees it (one lowercase ASCII word)."""
    from armswatch.screening._rules import RULES_V1
    from armswatch.screening._text import latinize

    words: set[str] = set()
    for title in _table():
        for reading, _ in latinize(title, RULES_V1):
            parts = reading.replace("'", "").split()
            if len(parts) == 1 and parts[0].isalpha():
                words.add(parts[0])
    return frozenset(words)


@lru_cache(maxsize=1)
def _cjk_titles() -> tuple[str, ...]:
    from armswatch.screening._text import scripts_of

    found = [t for t in _table() if scripts_of(t) & set(_CJK)]
    return tuple(sorted(found, key=len, reverse=True))


def strip_cjk_titles(text: str) -> str:
    """``text`` without a CJK title written at its start or end ("普京总统" → "普京")."""
    stripped = text.strip()
    for title in _cjk_titles():
        if stripped.endswith(title) and len(stripped) > len(title):
            stripped = stripped[: -len(title)].strip()
        if stripped.startswith(title) and len(stripped) > len(title):
            stripped = stripped[len(title) :].strip()
    return stripped
