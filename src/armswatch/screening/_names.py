"""Prepare a name for comparison: readings in Latin, tokens, flags.

:func:`prepare` turns one name as written (any script) into one or more
:class:`NameForm`\\ s (one per reading: Cyrillic has two). Listed names are prepared once
when the index is built; a query name once per query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from armswatch.screening._japanese import japanese_reading, katakana_foreign_reading
from armswatch.screening._kontsevich import CYRILLIC_GLYPH, korean_syllables, readings
from armswatch.screening._korean import (
    foreign_reading,
    is_korean_name,
    looks_transcribed,
    romanize_syllable,
)
from armswatch.screening._rules import RULES_V2, Rules
from armswatch.screening._text import (
    ABJAD_SCRIPTS,
    clean,
    hanja_readings,
    latinize,
    romanize_syllables,
    script_runs,
)
from armswatch.screening._titles import strip_cjk_titles
from armswatch.screening._tokens import Kind, Tok, is_legal_form, skeleton, tokenize

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


def make_form(
    original: str,
    family: str,
    tokens: tuple[Tok, ...],
    korean: bool,
    word_reading: bool = False,
) -> NameForm:
    """A :class:`NameForm` with its alignable parts (not titles, stop words, legal forms)."""
    parts = tuple(t for t in tokens if t.kind not in _NOT_PARTS)
    return NameForm(original, family, tokens, korean, parts, word_reading)


@dataclass(frozen=True, slots=True)
class NameForm:
    """One reading of one name, ready to compare."""

    original: str
    family: str  # person / org / vessel / any
    tokens: tuple[Tok, ...]
    korean: bool  # reads as a Korean name (romanisation variants apply)
    parts: tuple[Tok, ...] = ()  # tokens that take part in alignment (see make_form)
    word_reading: bool = False  # CJK text read as whole words (Japanese, foreign Hangul)

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


def prepare(name: str, family: str = "any", rules: Rules = RULES_V2) -> tuple[NameForm, ...]:
    """All readings of ``name`` as :class:`NameForm` (empty if nothing is left).

    ``rules`` are those of the algorithm version that will compare the forms.
    """
    return _prepare(name, family, rules)


@lru_cache(maxsize=100_000)
def _prepare(name: str, family: str, rules: Rules) -> tuple[NameForm, ...]:
    text = clean(name)
    if not text:
        return ()
    if rules.alias_split and family != "vessel":
        aliases = [a for a in _ALIAS_SLASH.split(text) if a.strip()]
        if len(aliases) > 1:
            # "Al-Qa'ida/Islamic Army": two names of one party
            found = [f for alias in aliases for f in _prepare(alias, family, rules)]
            return tuple(dict.fromkeys(found))
    if rules.glued_legal and family in ("org", "any"):
        text = _GLUED.sub(_unglue, text)
    if rules.titles_in_script and family in ("person", "any"):
        text = strip_cjk_titles(text)
    text = _pre_legal(text, family)
    runs = script_runs(text)
    if any(script in _SYLLABIC for script, _ in runs):
        return _prepare_syllabic(name, family, runs, rules)
    forms: list[NameForm] = []
    seen: set[tuple[Tok, ...]] = set()
    for reading, scripts in latinize(text, rules):
        abjad = bool(scripts & ABJAD_SCRIPTS)
        tokens = tokenize(reading, family, abjad, rules)
        if not tokens or tokens in seen:
            continue
        seen.add(tokens)
        korean = "Hangul" in scripts or (
            family in ("person", "any") and is_korean_name([t.text for t in tokens])
        )
        forms.append(make_form(name, family, tokens, korean))
    if rules.cyrillic_korean and family in ("person", "any") and not text.isascii():
        form = _kontsevich_form(name, family, text)
        if form is not None and all(f.tokens != form.tokens for f in forms):
            forms.append(form)
    if rules.katakana_foreign and {s for s, _ in runs} - {"Common", "Unknown"} == {"Katakana"}:
        # katakana only: how Japanese writes foreign names
        tokens = tokenize(katakana_foreign_reading(text), family, False, rules)
        if tokens and all(f.tokens != tokens for f in forms):
            forms.append(make_form(name, family, tokens, False, word_reading=True))
    return tuple(forms)


def _kontsevich_form(name: str, family: str, text: str) -> NameForm | None:
    """A Korean name in Russian Cyrillic ("Ким Чен Ын"), one Korean syllable per word.

    Each part is written with its most usual McCune–Reischauer reading and carries its
    Cyrillic spelling (``glyph`` "Cyrillic:чен"): the comparison accepts every syllable
    the Cyrillic may write (see :mod:`armswatch.screening._kontsevich`).
    """
    words = korean_syllables(text)
    if words is None:
        return None
    tokens = []
    for word in words:
        roman = readings(word)[0]
        tokens.append(Tok(roman, Kind.NAME, skeleton(roman), False, f"{CYRILLIC_GLYPH}{word}"))
    return make_form(name, family, tuple(tokens), True)


def _prepare_syllabic(
    name: str, family: str, runs: list[tuple[str, str]], rules: Rules
) -> tuple[NameForm, ...]:
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
        for reading, scripts in latinize(text, rules)[:1]:
            toks = tokenize(reading, family, bool(scripts & ABJAD_SCRIPTS), rules)
            mandarin.extend(toks)
            korean.extend(toks)
    forms: list[NameForm] = []
    is_hangul = any(script == "Hangul" for script, _ in runs)
    if mandarin:
        forms.append(make_form(name, family, tuple(mandarin), is_hangul))
    if has_han and korean and korean != mandarin:
        forms.append(make_form(name, family, tuple(korean), True))
    for reading in _foreign_readings(runs, rules):
        tokens = tokenize(reading, family, False, rules)
        if tokens and all(f.tokens != tokens for f in forms):
            forms.append(make_form(name, family, tokens, False, word_reading=True))
    return tuple(forms)


def _foreign_readings(runs: list[tuple[str, str]], rules: Rules) -> list[str]:
    """Readings of CJK text as whole words (rules @2), besides one token per syllable.

    * Hangul that transcribes a foreign name, read back ("블라디미르" → "bladimir");
    * Han and kana read as Japanese by cutlet (MeCab + UniDic: "山田太郎" → "yamada taro").
    """
    text = "".join(t for _, t in runs)
    scripts = {s for s, _ in runs}
    out: list[str] = []
    if rules.hangul_foreign and "Hangul" in scripts and looks_transcribed(text):
        out.append(
            " ".join(
                " ".join(foreign_reading(w) for w in t.split())
                if s == "Hangul"
                else latinize(t, rules)[0][0]
                for s, t in runs
            )
        )
    japanese = scripts & {"Han", "Hiragana", "Katakana"} and "Hangul" not in scripts
    if rules.japanese_kanji and japanese:
        reading = japanese_reading(text)
        if reading:
            out.append(reading)
    return out


# "/" between two words of letters separates aliases ("M/V", "A/S", "c/o" stay whole).
_ALIAS_SLASH = re.compile(r"(?<=[^\W\d_]{2})\s*/\s*(?=[^\W\d_]{2})")
# A legal form written onto the name in capitals: "SiemensAG", "AcmeGmbH", "FooLLC".
_GLUED = re.compile(r"\b([A-Za-z]*[a-z])([A-Z][A-Za-z]{1,4})\b")


def _unglue(match: re.Match[str]) -> str:
    head, tail = match.group(1), match.group(2)
    return f"{head} {tail}" if is_legal_form(tail.lower()) else match.group(0)
