"""Country codes: ISO 3166-1 alpha-2 / alpha-3 / numeric (UN M49) and country names.

The ISO list comes from ICU's region data (a pinned dependency); the codes trade statistics
add on top (Eurostat EL/UK/Q*, UN Comtrade's own numeric codes such as 842 for the United
States, special areas, aggregates) are in the cited package table
``trade_country_codes_special.csv``. Names are looked up with :mod:`rigour.territories`.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from armswatch.paths import package_data

COUNTRY = "country"
AGGREGATE = "aggregate"
UNSPECIFIED = "unspecified"
CONFIDENTIAL = "confidential"
UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Country:
    """A resolved country (or non-country area) code."""

    code: str  # ISO alpha-3 for countries; the publisher's code (upper case) otherwise
    m49: int | None
    kind: str  # country | aggregate | unspecified | confidential | unknown


@dataclass(frozen=True, slots=True)
class _Special:
    scheme: str
    code: str
    alpha3: str
    kind: str
    name: str


def _norm_name(text: str) -> str:
    """Lower case, no accents, '&' -> 'and', 'St.' -> 'saint', punctuation as spaces."""
    t = unicodedata.normalize("NFKD", text.replace("’", "'"))
    t = "".join(ch for ch in t if not unicodedata.combining(ch)).casefold()
    t = t.replace("&", " and ")
    t = re.sub(r"\bste?\.?\s", lambda m: "sainte " if m.group(0).startswith("ste") else "saint ",
               t + " ")
    return re.sub(r"[\s\-.,'()]+", " ", t).strip()


@cache
def _specials() -> dict[tuple[str, str], _Special]:
    path = package_data("trade_country_codes_special.csv")
    with path.open(encoding="utf-8") as fh:
        rows = csv.DictReader(ln for ln in fh if not ln.startswith("#"))
        out: dict[tuple[str, str], _Special] = {}
        for row in rows:
            sp = _Special(row["scheme"], row["code"], row["alpha3"], row["kind"], row["name"])
            key = _norm_name(sp.code) if sp.scheme == "name" else sp.code.upper()
            out[(sp.scheme, key)] = sp
    return out


@cache
def _iso() -> tuple[dict[str, str], dict[str, int], dict[int, str]]:
    """alpha2 -> alpha3, alpha3 -> numeric, numeric -> alpha3 from ICU region data."""
    import icu

    a2_to_a3: dict[str, str] = {}
    a3_to_num: dict[str, int] = {}
    num_to_a3: dict[int, str] = {}
    for a2 in icu.Region.getAvailable(icu.URegionType.TERRITORY):
        a3 = icu.Locale("", a2).getISO3Country()
        if not a3:
            continue
        num = int(icu.Region.getInstance(a2).getNumericCode())
        a2_to_a3[a2] = a3
        if num > 0:
            a3_to_num[a3] = num
            num_to_a3.setdefault(num, a3)
    return a2_to_a3, a3_to_num, num_to_a3


_NAME_LANGS = ("en", "fr", "de", "es", "it", "ru")


@cache
def _icu_names() -> dict[str, str]:
    """Country display names in a few languages (ICU) -> alpha-3."""
    import icu

    a2_to_a3, _, _ = _iso()
    out: dict[str, str] = {}
    for lang in _NAME_LANGS:
        loc = icu.Locale(lang)
        for a2, a3 in a2_to_a3.items():
            out.setdefault(_norm_name(icu.Locale("", a2).getDisplayCountry(loc)), a3)
    return out


@cache
def _alpha3_set() -> frozenset[str]:
    return frozenset(_iso()[0].values())


def _country(alpha3: str) -> Country:
    _, a3_to_num, _ = _iso()
    a3 = alpha3.upper()
    return Country(a3, a3_to_num.get(a3), COUNTRY)


def _from_special(sp: _Special, fallback_code: str) -> Country:
    if sp.kind == COUNTRY and sp.alpha3:
        return _country(sp.alpha3)
    return Country(fallback_code.upper(), None, sp.kind)


def _aggregate_code(text: str) -> str:
    from normality import ascii_text

    ascii_ = ascii_text(text) or text
    return re.sub(r"[^0-9A-Z]+", "_", _norm_name(ascii_).upper()).strip("_") or "UNKNOWN"


_AGGREGATE_RE = re.compile(
    r"european union|euro area|countries \(|^eu\b|extra (eu|ue)|intra (eu|ue)|^non |rest of"
    r"|^other countries|^all countries")
_UNSPECIFIED_RE = re.compile(
    r"not specified|non determin|non precis|stores and provisions|avitaillement|high seas"
    r"|haute mer|^unknown|secret|confidential")


def _candidates(text: str) -> list[str]:
    """The label, its parenthesised parts (not 'incl./excl.' notes), the label without
    them, and as a last resort the part before a comma ('Moldova, Republic of')."""
    inner: list[str] = []
    outer = text
    for _ in range(3):  # nested parentheses
        inner += re.findall(r"\(([^()]*)\)", outer)
        outer = re.sub(r"\([^()]*\)", " ", outer)
    inner = [p for p in inner if not re.match(r"(?i)\s*(incl|excl|part)", p)]
    outer = outer.strip(" ,-")
    cands = [text, *inner, outer]
    head, sep, tail = outer.partition(",")
    if sep and not re.search(r"(?i)dem|dpr|people|popul", tail):
        cands.append(head)
    return [c for c in cands if c.strip()]


@cache
def from_alpha2(code: str) -> Country:
    c = code.strip().upper()
    sp = _specials().get(("alpha2", c))
    if sp is not None:
        return _from_special(sp, c)
    a2_to_a3, _, _ = _iso()
    if c in a2_to_a3:
        return _country(a2_to_a3[c])
    if "_" in c or c.startswith(("EU", "EA", "EXT", "INT", "WORLD")):
        return Country(c, None, AGGREGATE)
    return Country(c, None, UNKNOWN)


@cache
def from_alpha3(code: str) -> Country:
    c = code.strip().upper()
    sp = _specials().get(("alpha3", c))
    if sp is not None:
        return _from_special(sp, c)
    if c in _alpha3_set():
        return _country(c)
    if re.fullmatch(r"[A-Z]{2}", c):  # some files put alpha-2 codes in an ISO column
        return from_alpha2(c)
    return Country(c, None, UNKNOWN if re.fullmatch(r"[A-Z]{3}", c) else UNSPECIFIED)


@cache
def from_numeric(code: int) -> Country:
    sp = _specials().get(("numeric", str(code)))
    if sp is not None:
        return _from_special(sp, f"M49_{code}")
    _, _, num_to_a3 = _iso()
    if code in num_to_a3:
        return _country(num_to_a3[code])
    return Country(f"M49_{code}", None, UNKNOWN)


@cache
def from_name(label: str) -> Country:
    """Resolve a country name (English, French, German, Spanish, Italian or Russian)."""
    from rigour.territories import lookup_territory

    text = label.strip().strip('"').strip()
    norm = _norm_name(text)
    sp = _specials().get(("name", norm))
    if sp is not None:
        return _from_special(sp, _aggregate_code(text))
    if _UNSPECIFIED_RE.search(norm):
        kind = CONFIDENTIAL if re.search(r"commercial|militar|secret|confidential", norm) \
            else UNSPECIFIED
        return Country(_aggregate_code(text), None, kind)
    if _AGGREGATE_RE.search(norm):
        return Country(_aggregate_code(text), None, AGGREGATE)
    for cand in _candidates(text):
        key = _norm_name(cand)
        sp = _specials().get(("name", key))
        if sp is not None:
            return _from_special(sp, _aggregate_code(cand))
        a3 = _icu_names().get(key)
        if a3 is not None:
            return _country(a3)
        terr = lookup_territory(cand.strip())
        if terr is not None:
            if terr.alpha3:
                return _country(terr.alpha3)
            return Country(_aggregate_code(cand), None, AGGREGATE)
    return Country(_aggregate_code(text), None, UNKNOWN)


def resolve(value: str, scheme: str) -> Country:
    """Resolve ``value`` given as ``scheme`` (alpha2, alpha3, numeric, name or auto)."""
    v = value.strip()
    if scheme == "auto":
        if re.fullmatch(r"\d{1,3}", v):
            scheme = "numeric"
        elif re.fullmatch(r"[A-Za-z]{2}", v):
            scheme = "alpha2"
        elif re.fullmatch(r"[A-Z0-9_]{3}", v):
            scheme = "alpha3"
        elif re.fullmatch(r"[A-Z0-9]+(_[A-Z0-9]+)+", v):
            return Country(v, None, AGGREGATE)
        else:
            scheme = "name"
    if scheme == "numeric":
        try:
            return from_numeric(int(float(v)))
        except ValueError:
            return Country(_aggregate_code(v), None, UNKNOWN)
    if scheme == "alpha2":
        return from_alpha2(v)
    if scheme == "alpha3":
        return from_alpha3(v)
    return from_name(v)


def to_alpha3(value: str) -> str:
    """A user-typed country (alpha-2, alpha-3, numeric or name) as alpha-3, for options.

    Raises ``ValueError`` when the value is not a known country.
    """
    c = resolve(value, "auto")
    if c.kind != COUNTRY:
        raise ValueError(f"not a country code or name: {value!r}")
    return c.code
