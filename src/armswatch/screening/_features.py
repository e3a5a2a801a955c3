"""Evidence beside the name: identifiers, date of birth, countries.

Each feature is a pure function of the query's facts and the listed entity's facts and
returns a :class:`Feature`: a score adjustment and a one-line explanation. Identifier
equality (IMO, MMSI, passport, ...) is decisive; date-of-birth and country agreement
raise a score a little, disagreement lowers it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from armswatch.model import Entity, IdKind

IDENTIFIER_MATCH = 0.97  # a shared IMO/MMSI/identifier lifts the score to at least this
IMO_MISMATCH = -0.35  # both have IMO numbers and they differ: another hull
DOB_DAY_MATCH = 0.05
DOB_YEAR_MATCH = 0.03
DOB_DAY_MISMATCH = -0.10  # same year, another day
DOB_YEAR_MISMATCH = -0.15  # years more than one apart
COUNTRY_MATCH = 0.03
COUNTRY_MISMATCH = -0.10


@dataclass(frozen=True, slots=True)
class Feature:
    name: str
    value: float  # additive adjustment, or the floor for decisive identifier matches
    detail: str
    decisive: bool = False


_ALNUM = re.compile(r"[^0-9A-Z]")


def normalize_identifier(kind: str, value: str) -> str:
    """Comparable form of an identifier (IMO: the 7 digits; others: upper-case alnum)."""
    text = _ALNUM.sub("", value.upper())
    if kind == IdKind.IMO.value:
        text = text.removeprefix("IMO")
        digits = "".join(ch for ch in text if ch.isdecimal())
        return digits[-7:] if len(digits) >= 7 else digits
    if kind == IdKind.MMSI.value:
        return "".join(ch for ch in text if ch.isdecimal())
    return text


def identifier_feature(query_ids: dict[str, str], entity: Entity) -> Feature | None:
    """Equal identifiers are decisive; differing IMO numbers point to another vessel."""
    if not query_ids:
        return None
    listed: dict[str, set[str]] = {}
    for ident in entity.identifiers:
        norm = normalize_identifier(ident.kind.value, ident.value)
        if norm:
            listed.setdefault(ident.kind.value, set()).add(norm)
    any_listed = {v for vs in listed.values() for v in vs}
    for kind, value in query_ids.items():
        norm = normalize_identifier(kind, value)
        if not norm:
            continue
        same_kind = listed.get(kind, set())
        if norm in same_kind or (kind not in ("imo", "mmsi") and norm in any_listed):
            return Feature("identifier", IDENTIFIER_MATCH, f"{kind} {norm} equal", decisive=True)
    imo = normalize_identifier("imo", query_ids.get("imo", ""))
    if imo and listed.get("imo") and imo not in listed["imo"]:
        shown = ", ".join(sorted(listed["imo"]))
        return Feature("identifier", IMO_MISMATCH, f"IMO {imo} vs listed {shown}")
    return None


def _years(dates: list[str]) -> set[int]:
    return {int(d[:4]) for d in dates if len(d) >= 4 and d[:4].isdecimal()}


def dob_feature(birth_date: str | None, entity: Entity) -> Feature | None:
    """Date of birth: same day raises, same year raises less, other years lower."""
    if not birth_date or not entity.birth_dates:
        return None
    query = birth_date.strip()
    if not query[:4].isdecimal():
        return None
    if len(query) >= 10 and any(d[:10] == query[:10] for d in entity.birth_dates):
        return Feature("dob", DOB_DAY_MATCH, f"born {query[:10]} as listed")
    year = int(query[:4])
    years = _years(entity.birth_dates)
    if not years:
        return None
    listed = ", ".join(sorted(entity.birth_dates)[:3])
    if year in years:
        full_listed = [d for d in entity.birth_dates if len(d) >= 10 and d[:4] == query[:4]]
        if len(query) >= 10 and full_listed:
            return Feature("dob", DOB_DAY_MISMATCH, f"born {query[:10]}, listed {listed}")
        return Feature("dob", DOB_YEAR_MATCH, f"born {year} as listed")
    if min(abs(year - y) for y in years) <= 1:
        return None  # lists give "circa" years; one year apart proves nothing
    return Feature("dob", DOB_YEAR_MISMATCH, f"born {year}, listed {listed}")


@lru_cache(maxsize=8192)
def country_code(value: str) -> str | None:
    """ISO-like code of a country name or code (rigour's territory table)."""
    from rigour.territories import lookup_territory

    text = value.strip()
    if not text:
        return None
    territory = lookup_territory(text)
    return str(territory.code) if territory is not None else None


def entity_countries(entity: Entity) -> set[str]:
    raw = [*entity.nationalities, *entity.countries]
    raw.extend(a.country for a in entity.addresses if a.country)
    if entity.flag:
        raw.append(entity.flag)
    return {c for c in (country_code(r) for r in raw) if c}


def country_feature(query_countries: tuple[str, ...], entity: Entity) -> Feature | None:
    """Countries (nationality, residence, flag): overlap raises, disjoint sets lower."""
    wanted = {c for c in (country_code(q) for q in query_countries) if c}
    if not wanted:
        return None
    listed = entity_countries(entity)
    if not listed:
        return None
    common = wanted & listed
    if common:
        return Feature("country", COUNTRY_MATCH, f"country {', '.join(sorted(common))}")
    return Feature(
        "country",
        COUNTRY_MISMATCH,
        f"country {', '.join(sorted(wanted))} vs listed {', '.join(sorted(listed))}",
    )
