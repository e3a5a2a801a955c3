"""Weaker identity evidence: a fuzzy vessel-name match from the screening engine, kept
only when the flag or the ship type agrees (a similar name alone is no evidence)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from armswatch.model import Entity, Schema
from armswatch.network._identity import FuzzyMatcher, VesselRecord
from armswatch.network._ids import normalise_flag

# AIS ship and cargo type (ITU-R M.1371 table 53) -> coarse category
_AIS_TYPES: tuple[tuple[range, str], ...] = (
    (range(70, 80), "cargo"),
    (range(80, 90), "tanker"),
    (range(60, 70), "passenger"),
    (range(30, 31), "fishing"),
    (range(31, 33), "tug"),
    (range(52, 53), "tug"),
)
_LIST_WORDS: tuple[tuple[str, str], ...] = (
    ("tanker", "tanker"),
    ("lpg", "tanker"),
    ("lng", "tanker"),
    ("cargo", "cargo"),
    ("bulk", "cargo"),
    ("container", "cargo"),
    ("reefer", "cargo"),
    ("ro-ro", "cargo"),
    ("passenger", "passenger"),
    ("ferry", "passenger"),
    ("fishing", "fishing"),
    ("trawler", "fishing"),
    ("tug", "tug"),
)


def ais_category(ship_type: int | None) -> str | None:
    if ship_type is None:
        return None
    return next((cat for r, cat in _AIS_TYPES if ship_type in r), None)


def list_category(vessel_type: str | None) -> str | None:
    text = (vessel_type or "").lower()
    return next((cat for word, cat in _LIST_WORDS if word in text), None)


def screening_matcher(
    list_entities: Sequence[Entity],
    flag_of: Callable[[VesselRecord], str | None] = lambda _v: None,
) -> FuzzyMatcher | None:
    """A :data:`FuzzyMatcher` backed by :class:`armswatch.screening.Screener` over the
    listed vessels (None when there are none)."""
    vessels = [e for e in list_entities if e.schema is Schema.VESSEL]
    if not vessels:
        return None
    from armswatch.screening import Query, Screener

    screener = Screener.from_entities(vessels)
    by_id = {e.id: e for e in vessels}

    def match(rec: VesselRecord, _listed: Sequence[Entity]) -> list[tuple[str, float, str]]:
        flag = flag_of(rec)
        cats = {c for c in (ais_category(i.ship_type) for i in rec.identities) if c}
        out: list[tuple[str, float, str]] = []
        for name in rec.names:
            for m in screener.screen(Query(name=name, schema="vessel", top=5)):
                ent = by_id.get(m.entity_id)
                if ent is None or not m.is_match:
                    continue
                listed_flag = normalise_flag(ent.flag) if ent.flag else None
                agree = []
                if flag and listed_flag == flag:
                    agree.append(f"flag {flag}")
                cat = list_category(ent.vessel_type)
                if cat and cat in cats:
                    agree.append(f"type {cat}")
                if not agree:
                    continue
                why = (
                    f"fuzzy name {name!r} ~ {m.matched_name!r} {m.score:.2f} ({m.algorithm}), "
                    f"{' and '.join(agree)} agree"
                )
                out.append((m.entity_id, m.score, why))
        return out

    return match
