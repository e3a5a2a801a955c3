"""Name parts: tokenise a romanised name and say what each part is.

A part is one of :class:`Kind`. The comparison weighs them differently: a given or
family name (``NAME``) is evidence, an honorific (``TITLE``: Mr, Shaikh, Haji,
President) is not, a particle (``PARTICLE``: al-, el-, bin, ibn, de, van) is weak
evidence, a legal form (``LEGAL``: LLC, OOO, JSC, GmbH, in any language, via
rigour's table) is compared on its own, a number (``NUM``: digits, Roman numerals,
number words and ordinals in many languages, via rigour's table) must agree, and a
generic organisation word (``GENERIC``: company, group, trading) counts little.
"""

from __future__ import annotations

import re
import unicodedata
from enum import IntEnum
from functools import lru_cache
from typing import NamedTuple

from armswatch.screening._korean import syllable_key
from armswatch.screening._rules import Rules


class Kind(IntEnum):
    NAME = 0
    INITIAL = 1
    PARTICLE = 2
    TITLE = 3
    LEGAL = 4
    NUM = 5
    GENERIC = 6
    STOP = 7
    PLACE = 8  # rules @2: a country in an organisation's name ("Deutsche Bank (Schweiz)")


# Weight of each kind in coverage and quality sums.
WEIGHT = {
    Kind.NAME: 1.0,
    Kind.INITIAL: 0.35,
    Kind.PARTICLE: 0.15,
    Kind.TITLE: 0.0,
    Kind.LEGAL: 0.0,
    Kind.NUM: 1.0,
    Kind.GENERIC: 0.35,
    Kind.STOP: 0.0,
    Kind.PLACE: 0.35,
}

# Arabic/Berber/Persian, Romance, Germanic particles (lowercase ASCII).
PARTICLES = frozenset(
    {"al", "el", "ul", "ad", "ar", "as", "at", "az", "an", "ash", "ech", "bin", "ibn", "ben",
     "bint", "binti", "bte", "bn", "b", "de", "da", "do", "dos", "das", "di", "del", "della",
     "der", "den", "van", "von", "la", "le", "du", "y", "e", "zu", "ter", "ten", "mac", "ould"}
)  # fmt: skip
# Equivalent particles compare equal.
_PARTICLE_CLASS = {
    "bin": "bin", "ibn": "bin", "ben": "bin", "bn": "bin", "b": "bin", "ould": "bin",
    "bint": "bint", "binti": "bint", "bte": "bint",
    "al": "al", "el": "al", "ul": "al", "ad": "al", "ar": "al", "as": "al", "at": "al",
    "az": "al", "an": "al", "ash": "al", "ech": "al",
}  # fmt: skip

# Honorifics and titles beyond rigour's prefix list (which is added lazily).
_TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "haji", "hajji", "hadji", "alhaj",
     "alhajj", "mullah", "mulla", "maulvi", "mawlawi", "maulana", "mawlana", "molvi",
     "sheikh", "shaikh", "sheik", "shaykh", "cheikh", "qari", "hafiz", "sayyid", "syed",
     "president", "presidente", "prasident", "praesident", "predsjednik", "presedintele",
     "presiden", "prezident", "prezydent", "presidentti", "elnok", "general", "gen", "col",
     "colonel", "capt", "captain", "admiral", "monsieur", "mme", "madame", "herr", "frau",
     "senor", "senora", "don", "dona", "excellency", "hon", "honourable", "honorable",
     "emir", "amir", "prince", "princess", "king", "queen", "imam", "ayatollah", "hojatoleslam",
     "mufti", "engineer", "eng", "doctor", "lt", "maj", "major", "brig", "brigadier"}
)  # fmt: skip

# Vessel name prefixes (MV, M/V, MT, ...): removed before tokenising vessel names.
_VESSEL_PREFIX = re.compile(
    r"^(?:m\s*[./]?\s*[vtsy]|s\s*[./]?\s*[sv]|f\s*[./]?\s*v|r\s*[./]?\s*v|t\s*[./]?\s*b|"
    r"lng|lpg|mts|mtv)\s*[./]?\s+",
)

_GENERIC = frozenset(
    {"company", "co", "corporation", "corp", "group", "holding", "holdings", "trading",
     "international", "intl", "industries", "industry", "enterprise", "enterprises",
     "incorporated", "limited", "establishment", "est", "general", "services", "partners",
     "organization", "organisation", "association", "society", "foundation", "firm",
     "global", "worldwide", "import", "export", "commercial", "trade"}
)  # fmt: skip
_STOP = frozenset({"the", "and", "of", "for", "und", "et", "y", "i", "a", "an"})
# Equivalent generic words.
_GENERIC_CLASS = {"corp": "corporation", "co": "company", "intl": "international",
                  "limited": "ltd", "holdings": "holding", "organisation": "organization",
                  "industry": "industries", "enterprise": "enterprises", "est":
                  "establishment"}  # fmt: skip

_ROMAN = re.compile(r"^(?=[ivxlc]{1,7}$)c{0,3}(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_SPLIT = re.compile(r"[^a-z0-9]+")
_ALNUM_BOUNDARY = re.compile(r"(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])")
_LEET = str.maketrans("013457989", "oieastbgg")
_APOSTROPHES = re.compile(r"['`´ʼʻ’‘ʿʾ]")
# Dotted initialisms: "A.B.C.", "L.X.C", "o.O.O.", "U.S." -> "abc", "lxc", "ooo", "us".
_INITIALISM = re.compile(r"(?<![a-z0-9])(?:[a-z]\.\s?){1,}[a-z](?![a-z0-9])\.?")


class Tok(NamedTuple):
    """One part of a name, as compared (a named tuple: hashed in C, it keys the caches)."""

    text: str  # lowercase ASCII (for NUM: the number in digits; PARTICLE: its class)
    kind: Kind
    skel: str  # consonant skeleton (see skeleton())
    abjad: bool  # romanised from a script written without vowels
    glyph: str = ""  # "Han:金" / "Hangul:김" for one syllable written in those scripts

    @property
    def weight(self) -> float:
        return WEIGHT[self.kind]

    def korean_key(self) -> str:
        return syllable_key(self.text)


@lru_cache(maxsize=1)
def _title_set() -> frozenset[str]:
    from rigour._core import person_name_prefixes_list

    extra = set()
    for p in person_name_prefixes_list():
        words = _SPLIT.split(p.lower())
        if len(words) == 1 and words[0]:
            extra.add(words[0])
    return _TITLES | frozenset(extra)


@lru_cache(maxsize=1)
def _numbers() -> dict[tuple[str, ...], str]:
    """Number words and ordinals in many languages (rigour's table) -> digits."""
    from rigour._core import ordinals_dict

    from armswatch.screening._text import ascii_fold

    table: dict[tuple[str, ...], str] = {}
    for number, forms in ordinals_dict().items():
        for form in forms:
            words = tuple(w for w in _SPLIT.split(ascii_fold(form)) if w)
            if not words or len(words) > 4:
                continue
            if len(words) == 1 and _ROMAN.match(words[0]):
                continue  # Roman numerals are handled by context (see tokenize)
            if words == ("no",):
                continue
            table.setdefault(words, str(number))
    for word in ("a", "i", "e", "y", "o", "u"):  # one-letter words are never numbers here
        table.pop((word,), None)
    return table


@lru_cache(maxsize=65536)
def is_legal_form(word: str) -> bool:
    """A legal form in rigour's org-type table (LLC, OOO, JSC, GmbH, ...) or ours."""
    if word in _LEGAL_FALLBACK:
        return True
    if word in _GENERIC or word in _STOP or len(word) > 24:
        return False
    from rigour.names import extract_org_types

    return any(compare == word for _, compare in extract_org_types(word))


_LEGAL_FALLBACK = frozenset(
    {"llc", "ooo", "ltd", "jsc", "ojsc", "cjsc", "pjsc", "ao", "oao", "zao", "pao", "gmbh",
     "ag", "kg", "plc", "inc", "sa", "sarl", "srl", "spa", "bv", "nv", "ab", "as", "oy",
     "spzoo", "sro", "kft", "doo", "ad", "ead", "eood", "lp", "llp", "pte", "pvt", "bhd",
     "sdn", "tov", "pp", "fze", "fzco", "fzc", "fzllc", "dmcc", "coltd", "cv", "sas", "sl",
     "kk", "yk", "pt", "tbk", "jv", "ltda", "sac", "sae", "wll", "spc", "ip", "chp",
     "gk", "sdnbhd", "pvtltd", "ptyltd", "pty"}
)  # fmt: skip


def legal_generic(form: str) -> str:
    """The generic class of a legal form (llc, jsc, ...), via rigour."""
    return _legal_generic(form)


@lru_cache(maxsize=4096)
def _legal_generic(form: str) -> str:
    from rigour.names import replace_org_types_compare

    return str(replace_org_types_compare(form, generic=True)).replace(" ", "")


def _replace_legal_forms(text: str) -> str:
    from rigour.names import replace_org_types_compare

    return str(replace_org_types_compare(text))


@lru_cache(maxsize=200_000)
def skeleton(text: str) -> str:
    """Consonant skeleton unifying common romanisation variants.

    ``muhammad``/``mohamed``/``mhmd`` → ``mhmd``; ``putin``/``bwtyn`` → ``btn``;
    ``husayn``/``hussein`` → ``hsn``; ``vladimir``/``wladymyr`` → ``fldmr``.
    """
    t = text
    for src, dst in (("sch", "s"), ("tch", "c"), ("dzh", "j"), ("kh", "h"), ("sh", "s"),
                     ("ch", "c"), ("zh", "j"), ("dj", "j"), ("gh", "g"), ("th", "t"),
                     ("dh", "d"), ("ph", "f"), ("ck", "k"), ("ts", "s"), ("tz", "s"),
                     ("q", "k"), ("x", "ks"), ("z", "s"), ("p", "b"), ("v", "f")):  # fmt: skip
        t = t.replace(src, dst)
    if t.startswith("w"):
        t = "f" + t[1:]
    t = t.replace("c", "k")
    out: list[str] = []
    for ch in t:
        if ch in "aeiouyw'":
            continue
        if out and out[-1] == ch:
            continue
        out.append(ch)
    return "".join(out)


def _kind_of(word: str, schema: str, titles: frozenset[str]) -> Kind:
    if word in titles and schema in ("person", "any"):
        return Kind.TITLE
    if word in PARTICLES:
        return Kind.PARTICLE
    if schema in ("org", "vessel", "any"):
        if word in _STOP:
            return Kind.STOP
        if is_legal_form(word):
            return Kind.LEGAL
        if word in _GENERIC:
            return Kind.GENERIC
    if len(word) == 1 and schema in ("person", "any"):
        return Kind.INITIAL
    return Kind.NAME


def tokenize(reading: str, schema: str, abjad: bool, rules: Rules) -> tuple[Tok, ...]:
    """Tokenise one romanised (lowercase ASCII) reading of a name.

    ``schema`` is ``person``, ``org``, ``vessel`` or ``any``.
    """
    text = _APOSTROPHES.sub("", reading)
    if rules.person_initials and schema in ("person", "any"):
        # "V. V. Putin": initials of a person; "U.S.", "A.B.C.": an acronym (any only)
        text = _INITIALISM.sub(lambda m: _initials(m.group(0), schema), text)
    else:
        text = _INITIALISM.sub(lambda m: re.sub(r"[.\s]", "", m.group(0)) + " ", text)
    text = text.replace("&", " and ").replace("+", " and ")
    if schema in ("vessel", "any"):
        text = _VESSEL_PREFIX.sub("", text.strip())
    if schema in ("org", "any", "vessel"):
        text = _replace_legal_forms(text)
    words = [w for w in _SPLIT.split(text) if w]
    if schema == "person":
        # "Ig0r Sech1n": digits inside a person's name are letters in disguise
        words = [w.translate(_LEET) if not w.isdecimal() and not w.isalpha() else w for w in words]
    else:
        numbers = _numbers()
        words = [
            p for w in words for p in ([w] if (w,) in numbers else _ALNUM_BOUNDARY.split(w)) if p
        ]
        # "No. 5", "Nr 5", "#5": the marker is not part of the name
        words = [
            w
            for i, w in enumerate(words)
            if not (w in ("no", "nr", "number") and i + 1 < len(words) and words[i + 1].isdecimal())
        ]
    # the titles @2 adds are words of people only ("Premier Oil" is a company)
    titles = _title_set_v2() if rules.titles_in_script and schema == "person" else _title_set()
    numbers = _numbers()
    out: list[Tok] = []
    i = 0
    while i < len(words):
        # the longest number phrase first ("forty four", "fifty-fifth", "no 5")
        for size in (4, 3, 2, 1):
            phrase = tuple(words[i : i + size])
            if len(phrase) == size and phrase in numbers and schema != "person":
                out.append(Tok(numbers[phrase], Kind.NUM, numbers[phrase], False))
                i += size
                break
        else:
            word = words[i]
            i += 1
            if word.isdecimal():
                num = word.lstrip("0") or "0"
                out.append(Tok(num, Kind.NUM, num, False))
                continue
            if schema != "person" and _ROMAN.match(word) and out and len(word) <= 5:
                value = str(_roman_value(word))
                out.append(Tok(value, Kind.NUM, value, False))
                continue
            if abjad and word.startswith("al") and len(word) > 4:
                # the Arabic article is written joined: "alsysy" is "al" + "sysy"
                out.append(Tok("al", Kind.PARTICLE, "al", True))
                word = word[2:]
            kind = _kind_of(word, schema, titles)
            if kind is Kind.NAME and rules.generic_no_conflict and schema != "person":
                kind = Kind.PLACE if is_country(word) else kind
            if kind is Kind.PARTICLE:
                cls = _PARTICLE_CLASS.get(word, word)
                out.append(Tok(cls, kind, cls, abjad))
            elif kind is Kind.GENERIC:
                cls = _GENERIC_CLASS.get(word, word)
                out.append(Tok(cls, kind, skeleton(cls), abjad))
            else:
                out.append(Tok(word, kind, skeleton(word), abjad))
    # a person name that is only titles/particles keeps them as names ("Al", "President")
    if out and all(t.weight == 0.0 or t.kind is Kind.PARTICLE for t in out):
        out = [Tok(t.text, Kind.NAME, skeleton(t.text), t.abjad) for t in out]
    return tuple(out)


def _initials(match: str, schema: str) -> str:
    letters = re.sub(r"[.\s]", "", match)
    if schema == "person" or " " in match.strip():
        return " " + " ".join(letters) + " "
    return letters + " "


@lru_cache(maxsize=1)
def _title_set_v2() -> frozenset[str]:
    """Titles of rules @2: @1's and the romanised titles of :mod:`._titles`."""
    from armswatch.screening._titles import latin_titles

    return _title_set() | latin_titles()


# Region words rigour's territory table does not know (it knows every country name).
_REGIONS = frozenset(
    {"europe", "european", "asia", "asian", "africa", "african", "americas", "eurasia",
     "mideast", "arabia", "caribbean", "balkan", "balkans", "baltic", "nordic",
     "scandinavia", "latam", "emea", "apac"}
)  # fmt: skip
_NOT_PLACES = frozenset({"global", "international", "national", "general"})
_LATIN_MAX = 0x24F  # the end of Latin Extended-B


def is_country(word: str) -> bool:
    """A country, its adjective or a world region ("schweiz", "swiss", "europe")."""
    return word in _country_words()


@lru_cache(maxsize=1)
def _country_words() -> frozenset[str]:
    """One-word names of countries in rigour's territory table (its "strong" names, and
    "weak" ones of five letters or more: endonyms, adjectives, other languages) and
    world regions."""
    from rigour.territories.lookup import _load_territory_names

    words = set(_REGIONS)
    for territory, strongs, weaks, _ in _load_territory_names():
        code = str(territory.code)
        if len(code) != 2 or code == "zz" or not territory.is_country:
            continue
        for name, shortest in [*((n, 4) for n in strongs), *((n, 5) for n in weaks)]:
            if " " in name or len(name) < shortest or ord(max(name)) > _LATIN_MAX:
                continue  # one word of the Latin script only
            folded = "".join(
                c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)
            ).lower()
            if folded.isascii() and folded.isalpha():
                words.add(folded)
    return frozenset(words - _NOT_PLACES - _GENERIC)


def _roman_value(word: str) -> int:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
    total = 0
    for a, b in zip(word, [*word[1:], ""], strict=True):
        va = values[a]
        total += -va if b and values[b] > va else va
    return total
