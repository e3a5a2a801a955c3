"""Prepare a name for comparison: readings in Latin, tokens, flags.

:func:`prepare` turns one name as written (any script) into one or more
:class:`NameForm`\\ s (one per reading: Cyrillic has two). Listed names are prepared once
when the index is built; a query name once per query.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from armswatch.screening._korean import is_korean_name, romanize_syllable
from armswatch.screening._text import (
    ABJAD_SCRIPTS,
    clean,
    hanja_readings,
    latinize,
    romanize_syllables,
    script_runs,
)
from armswatch.screening._tokens import Kind, Tok, skeleton, tokenize

_SYLLABIC = frozenset({"Han", "Hangul"})

# Entity schemata (FollowTheMoney names) to the comparison families used here.
SCHEMA_FAMILY = {
    "Person": "person",
    "Organization": "org",
    "Company": "org",
    "LegalEntity": "any",
    "Vessel": "vessel",
    "Airplane": "vessel",
}


def family_of(schema: str | None) -> str:
    """``person``, ``org``, ``vessel`` or ``any`` for a schema name (or None)."""
    if not schema:
        return "any"
    key = schema if schema in SCHEMA_FAMILY else schema.capitalize()
    return SCHEMA_FAMILY.get(key, {"org": "org", "vessel": "vessel"}.get(schema.lower(), "any"))


_NOT_PARTS = (Kind.TITLE, Kind.STOP, Kind.LEGAL)


def make_form(original: str, family: str, tokens: tuple[Tok, ...], korean: bool) -> NameForm:
    """A :class:`NameForm` with its alignable parts (not titles, stop words, legal forms)."""
    parts = tuple(t for t in tokens if t.kind not in _NOT_PARTS)
    return NameForm(original, family, tokens, korean, parts)


@dataclass(frozen=True, slots=True)
class NameForm:
    """One reading of one name, ready to compare."""

    original: str
    family: str  # person / org / vessel / any
    tokens: tuple[Tok, ...]
    korean: bool  # reads as a Korean name (romanisation variants apply)
    parts: tuple[Tok, ...] = ()  # tokens that take part in alignment (see make_form)

    @property
    def legal(self) -> tuple[str, ...]:
        return tuple(t.text for t in self.tokens if t.kind is Kind.LEGAL)

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.tokens)


def _pre_legal(text: str, family: str) -> str:
    """Rewrite legal forms written in their own script (ООО, Акционерное общество)."""
    if family == "person" or text.isascii():
        return text
    from rigour.names import replace_org_types_compare

    return str(replace_org_types_compare(text.casefold()))


@lru_cache(maxsize=100_000)
def prepare(name: str, family: str = "any") -> tuple[NameForm, ...]:
    """All readings of ``name`` as :class:`NameForm` (empty if nothing is left)."""
    text = clean(name)
    if not text:
        return ()
    text = _pre_legal(text, family)
    runs = script_runs(text)
    if any(script in _SYLLABIC for script, _ in runs):
        return _prepare_syllabic(name, family, runs)
    forms: list[NameForm] = []
    seen: set[tuple[Tok, ...]] = set()
    for reading, scripts in latinize(text):
        abjad = bool(scripts & ABJAD_SCRIPTS)
        tokens = tokenize(reading, family, abjad=abjad)
        if not tokens or tokens in seen:
            continue
        seen.add(tokens)
        korean = "Hangul" in scripts or (
            family in ("person", "any") and is_korean_name([t.text for t in tokens])
        )
        forms.append(make_form(name, family, tokens, korean))
    return tuple(forms)


def _prepare_syllabic(name: str, family: str, runs: list[tuple[str, str]]) -> tuple[NameForm, ...]:
    """Names with Han or Hangul: one token per character (a syllable, usually a name part).

    Han characters get two readings: Mandarin (pinyin) and Korean (Sino-Korean, from
    Unihan), since lists and queries write Korean names in Hanja too ("金正恩").
    """
    mandarin: list[Tok] = []
    korean: list[Tok] = []
    has_han = False
    for script, text in runs:
        if script in _SYLLABIC:
            for roman, char in romanize_syllables(script, text):
                tok = Tok(roman, Kind.NAME, skeleton(roman), False, f"{script}:{char}")
                mandarin.append(tok)
                if script == "Han":
                    has_han = True
                    readings = hanja_readings(char)
                    if readings:
                        kr = romanize_syllable(readings[0])
                        tok = Tok(kr, Kind.NAME, skeleton(kr), False, f"{script}:{char}")
                korean.append(tok)
            continue
        for reading, scripts in latinize(text)[:1]:
            toks = tokenize(reading, family, abjad=bool(scripts & ABJAD_SCRIPTS))
            mandarin.extend(toks)
            korean.extend(toks)
    forms: list[NameForm] = []
    is_hangul = any(script == "Hangul" for script, _ in runs)
    if mandarin:
        forms.append(make_form(name, family, tuple(mandarin), is_hangul))
    if has_han and korean and korean != mandarin:
        forms.append(make_form(name, family, tuple(korean), True))
    return tuple(forms)
