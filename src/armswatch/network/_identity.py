"""Identity resolution: AIS identities -> one record per real ship -> list entities.

AIS identities (MMSI, IMO, name, call sign, ship type over time) come from the decoded
``statics`` table (``STATICS_SCHEMA``). A ship is keyed by its IMO number when it ever
broadcasts a valid one (``imo-<IMO>``), else by MMSI (``mmsi-<MMSI>``); an MMSI that
broadcast several IMO numbers over time is split at the switch times, and an MMSI
change of one ship (both MMSIs with the same IMO, or an ``identity_change`` event naming
both) joins the two under one record. The result also gives the vessel map
(``VESSEL_MAP_SCHEMA``) that keys events and voyages by ship.

Ships are then matched to listed vessels, keeping the evidence of each match:
IMO equality is decisive (1.0); MMSI (0.9) and call sign (0.85) are strong; an exact
name (current or former, any alias) is 0.6, or 0.75 with a matching flag; an optional
fuzzy matcher (the screening engine) adds weaker name matches. A listed IMO that
differs from the ship's own IMO contradicts the softer evidence: name and call-sign
matches are then dropped and an MMSI match falls to 0.4.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pyarrow as pa

from armswatch.engine import Backend, SqlStep
from armswatch.model import Entity, IdKind, NameKind, Schema
from armswatch.network._ids import clean_imo, company_key, normalise_flag, vessel_node_id
from armswatch.network._voyages import VESSEL_MAP_SCHEMA

_MIN_UTC = datetime.min.replace(tzinfo=UTC)

STRENGTH = {
    "imo": 1.0,
    "mmsi": 0.9,
    "call_sign": 0.85,
    "name_flag": 0.75,
    "name": 0.6,
    "mmsi_imo_conflict": 0.4,
    "fuzzy_name": 0.5,  # at most; × the screening score
}


@dataclass(frozen=True, slots=True)
class AisIdentity:
    """One distinct identity broadcast by an MMSI, with when it was seen."""

    mmsi: int
    imo: str | None  # valid IMO (check digit) or None
    raw_imo: int | None  # as broadcast, also when invalid
    name: str | None
    callsign: str | None
    ship_type: int | None
    first_utc: datetime | None
    last_utc: datetime | None
    messages: int


@dataclass(slots=True)
class VesselRecord:
    """One real ship across MMSI and name changes."""

    vessel_id: str
    imo: str | None
    identities: list[AisIdentity] = field(default_factory=list)

    @property
    def mmsis(self) -> list[int]:
        return sorted({i.mmsi for i in self.identities})

    @property
    def names(self) -> list[str]:
        return list(dict.fromkeys(i.name for i in self._by_time() if i.name))

    @property
    def callsigns(self) -> list[str]:
        return list(dict.fromkeys(i.callsign for i in self._by_time() if i.callsign))

    @property
    def current_mmsi(self) -> int | None:
        ids = self._by_time()
        return ids[-1].mmsi if ids else None

    def _by_time(self) -> list[AisIdentity]:
        return sorted(
            self.identities,
            key=lambda i: (i.last_utc or _MIN_UTC, i.mmsi),
        )


@dataclass(frozen=True, slots=True)
class ListMatch:
    """A ship matched to a listed entity, with how and why."""

    vessel_id: str
    entity_id: str
    method: str  # imo, mmsi, call_sign, name, name_flag, fuzzy_name, mmsi_imo_conflict
    strength: float  # 0-1
    evidence: str


@dataclass(slots=True)
class IdentityResult:
    vessels: dict[str, VesselRecord]
    vessel_map: pa.Table  # VESSEL_MAP_SCHEMA
    matches: list[ListMatch]
    notes: list[str] = field(default_factory=list)

    def vessel_of(self, key: str) -> VesselRecord | None:
        """Find a ship by vessel id, IMO number or MMSI."""
        if key in self.vessels:
            return self.vessels[key]
        imo = clean_imo(key)
        if imo and f"imo-{imo}" in self.vessels:
            return self.vessels[f"imo-{imo}"]
        if key.isdecimal():
            for rec in self.vessels.values():
                if int(key) in rec.mmsis:
                    return rec
        return None


def statics_identities_step(statics: str = "statics") -> SqlStep:
    """Distinct identities per MMSI with first/last time seen (portable SQL)."""
    return SqlStep(
        "SELECT mmsi, imo, NULLIF(UPPER(TRIM(name)), '') AS name, "
        "NULLIF(UPPER(TRIM(callsign)), '') AS callsign, ship_type, MIN(ts_utc) AS first_utc, "
        f"MAX(ts_utc) AS last_utc, COUNT(*) AS messages FROM {statics} "
        "GROUP BY mmsi, imo, NULLIF(UPPER(TRIM(name)), ''), NULLIF(UPPER(TRIM(callsign)), ''), "
        "ship_type",
        "ais_identities",
    )


def load_identities(backend: Backend, statics: str = "statics") -> list[AisIdentity]:
    backend.run([statics_identities_step(statics)])
    rows = backend.to_arrow("SELECT * FROM ais_identities ORDER BY mmsi, first_utc").to_pylist()
    return [
        AisIdentity(
            mmsi=int(r["mmsi"]),
            imo=clean_imo(r["imo"]) if r["imo"] else None,
            raw_imo=r["imo"],
            name=r["name"],
            callsign=r["callsign"],
            ship_type=r["ship_type"],
            first_utc=r["first_utc"],
            last_utc=r["last_utc"],
            messages=int(r["messages"]),
        )
        for r in rows
    ]


HANDOVER_MIN_CONFIDENCE = 0.7


def _mmsi_links_from_events(events: Iterable[dict[str, object]]) -> list[tuple[int, int]]:
    """MMSI pairs that identity_change events say belong to one ship: the detector's
    ``mmsi_change`` events (``other_mmsi`` = previous MMSI, same IMO number; clones that
    use both at once, ``imo_shared``, are not joined), its ``mmsi_handover`` events (one
    track continued under another MMSI) with confidence >= ``HANDOVER_MIN_CONFIDENCE``
    (matching dimensions or position), or details JSON with ``old_mmsi``/``new_mmsi``."""
    pairs: list[tuple[int, int]] = []
    for ev in events:
        try:
            details = json.loads(str(ev.get("details") or "{}"))
        except ValueError:
            details = {}
        if not isinstance(details, dict):
            details = {}
        old, new = details.get("old_mmsi"), details.get("new_mmsi")
        kind = details.get("kind")
        conf = ev.get("confidence")
        strong_handover = kind == "mmsi_handover" and (
            isinstance(conf, int | float) and conf >= HANDOVER_MIN_CONFIDENCE
        )
        if old is None and (kind == "mmsi_change" or strong_handover):
            old, new = ev.get("other_mmsi"), ev.get("mmsi")
        try:
            if old is not None and new is not None:
                pairs.append((int(str(old)), int(str(new))))
        except ValueError:
            continue
    return pairs


def group_identities(
    identities: Sequence[AisIdentity], identity_events: Iterable[dict[str, object]] = ()
) -> tuple[dict[str, VesselRecord], pa.Table, list[str]]:
    """Ships and the vessel map from AIS identities (see the module docstring)."""
    notes: list[str] = []
    by_mmsi: dict[int, list[AisIdentity]] = defaultdict(list)
    for ident in identities:
        by_mmsi[ident.mmsi].append(ident)
        if ident.raw_imo and ident.imo is None:
            notes.append(f"MMSI {ident.mmsi} broadcast invalid IMO {ident.raw_imo} (ignored)")
    parent: dict[int, int] = {m: m for m in by_mmsi}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in _mmsi_links_from_events(identity_events):
        if a in parent and b in parent:
            parent[find(a)] = find(b)

    def imos_of(mmsi: int) -> list[str]:
        ids = sorted(by_mmsi[mmsi], key=lambda i: (i.first_utc or _MIN_UTC, i.imo or ""))
        return list(dict.fromkeys(i.imo for i in ids if i.imo))

    groups: dict[int, list[int]] = defaultdict(list)
    for mmsi in by_mmsi:
        groups[find(mmsi)].append(mmsi)
    group_vessel: dict[int, str] = {}
    for root, members in groups.items():
        single = [imos_of(m) for m in members if len(imos_of(m)) <= 1]
        imos = {x[0] for x in single if x}
        if len(imos) == 1:
            group_vessel[root] = vessel_node_id(imos.pop())
        elif not imos:
            group_vessel[root] = vessel_node_id(mmsi=min(members))
        elif len(members) > 1:
            notes.append(
                f"MMSIs {sorted(members)} linked by identity changes carry different "
                "IMO numbers: kept apart"
            )

    vessels: dict[str, VesselRecord] = {}
    map_rows: list[dict[str, object]] = []
    for mmsi in sorted(by_mmsi):
        idents = sorted(by_mmsi[mmsi], key=lambda i: (i.first_utc or _MIN_UTC, i.imo or ""))
        seen = imos_of(mmsi)
        if len(seen) <= 1:
            vid = group_vessel.get(find(mmsi))
            if vid is None:  # a conflicting group: each MMSI on its own
                vid = vessel_node_id(seen[0]) if seen else vessel_node_id(mmsi=mmsi)
            rec = vessels.setdefault(
                vid, VesselRecord(vid, vid[4:] if vid.startswith("imo-") else None)
            )
            rec.identities.extend(idents)
            map_rows.append({"mmsi": mmsi, "vessel_id": vid, "from_utc": None, "to_utc": None})
            continue
        notes.append(f"MMSI {mmsi} broadcast several IMO numbers {seen}: split by time")
        starts: list[tuple[datetime | None, str]] = []
        for ident in idents:
            if ident.imo and (not starts or starts[-1][1] != ident.imo):
                starts.append((ident.first_utc, ident.imo))
        for k, (start, imo) in enumerate(starts):
            end = starts[k + 1][0] if k + 1 < len(starts) else None
            lo = None if k == 0 else start
            vid = vessel_node_id(imo)
            rec = vessels.setdefault(vid, VesselRecord(vid, imo))
            rec.identities.extend(
                i
                for i in idents
                if i.imo == imo
                or (
                    i.imo is None
                    and (lo is None or (i.first_utc or _MIN_UTC) >= lo)
                    and (end is None or (i.first_utc or _MIN_UTC) < end)
                )
            )
            map_rows.append({"mmsi": mmsi, "vessel_id": vid, "from_utc": lo, "to_utc": end})
    table = pa.Table.from_pylist(map_rows, schema=VESSEL_MAP_SCHEMA)
    return vessels, table, notes


FuzzyMatcher = Callable[[VesselRecord, Sequence[Entity]], list[tuple[str, float, str]]]


def _offer(
    best: dict[str, ListMatch],
    rec: VesselRecord,
    e: Entity,
    method: str,
    why: str,
    strength: float | None = None,
) -> None:
    """Keep the strongest match per entity; a differing listed IMO weakens the rest."""
    s = STRENGTH[method] if strength is None else strength
    list_imos = {i for i in (clean_imo(v) for v in e.ids_of(IdKind.IMO)) if i}
    if method != "imo" and rec.imo and list_imos and rec.imo not in list_imos:
        if method != "mmsi":
            return  # the IMO numbers disagree: a name or call sign is not enough
        method, s = "mmsi_imo_conflict", STRENGTH["mmsi_imo_conflict"]
        why += f"; but listed IMO {sorted(list_imos)} differs from AIS IMO {rec.imo}"
    old = best.get(e.id)
    if old is None or s > old.strength:
        best[e.id] = ListMatch(rec.vessel_id, e.id, method, s, why)


def match_vessels(
    vessels: Iterable[VesselRecord],
    list_entities: Iterable[Entity],
    flag_of: Callable[[VesselRecord], str | None] = lambda _v: None,
    fuzzy: FuzzyMatcher | None = None,
) -> list[ListMatch]:
    """Match ships to listed vessels (best match per ship and entity).

    ``flag_of`` gives a ship's flag as an ISO code (e.g. from its MMSI); ``fuzzy``
    returns ``(entity_id, score 0-1, explanation)`` for weaker name candidates.
    """
    listed = [e for e in list_entities if e.schema is Schema.VESSEL]
    by_imo: dict[str, list[Entity]] = defaultdict(list)
    by_mmsi: dict[int, list[Entity]] = defaultdict(list)
    by_call: dict[str, list[Entity]] = defaultdict(list)
    by_name: dict[str, list[tuple[Entity, NameKind]]] = defaultdict(list)
    for e in listed:
        for v in e.ids_of(IdKind.IMO):
            if imo := clean_imo(v):
                by_imo[imo].append(e)
        for v in e.ids_of(IdKind.MMSI):
            if v.strip().isdecimal():
                by_mmsi[int(v)].append(e)
        for v in e.ids_of(IdKind.CALL_SIGN):
            by_call[v.strip().upper().replace(" ", "")].append(e)
        for n in e.names:
            if n.kind is not NameKind.WEAK and company_key(n.value):
                by_name[company_key(n.value)].append((e, n.kind))

    out: list[ListMatch] = []
    for rec in vessels:
        best: dict[str, ListMatch] = {}
        if rec.imo:
            for e in by_imo.get(rec.imo, ()):
                _offer(best, rec, e, "imo", f"IMO {rec.imo} broadcast in AIS = listed IMO")
        for ident in rec.identities:
            for e in by_mmsi.get(ident.mmsi, ()):
                _offer(best, rec, e, "mmsi", f"MMSI {ident.mmsi} = listed MMSI")
            if ident.callsign:
                for e in by_call.get(ident.callsign.replace(" ", ""), ()):
                    _offer(
                        best, rec, e, "call_sign", f"call sign {ident.callsign} = listed call sign"
                    )
        flag = flag_of(rec)
        for name in rec.names:
            for e, kind in by_name.get(company_key(name), ()):
                listed_flag = normalise_flag(e.flag) if e.flag else None
                former = " (former name)" if kind is NameKind.FKA else ""
                if flag and listed_flag and flag == listed_flag:
                    _offer(
                        best,
                        rec,
                        e,
                        "name_flag",
                        f"AIS name {name} = listed name{former}, flag {flag}",
                    )
                else:
                    _offer(best, rec, e, "name", f"AIS name {name} = listed name{former}")
        if fuzzy is not None:
            by_id = {x.id: x for x in listed}
            for eid, score, why in fuzzy(rec, listed):
                if eid in by_id and eid not in best:
                    _offer(best, rec, by_id[eid], "fuzzy_name", why, strength=0.5 * score)
        out.extend(sorted(best.values(), key=lambda m: (-m.strength, m.entity_id)))
    return out


def resolve_identities(
    backend: Backend,
    list_entities: Sequence[Entity] = (),
    statics: str | None = "statics",
    identity_events: Iterable[dict[str, object]] = (),
    extra_mmsis: Iterable[int] = (),
    flag_of: Callable[[VesselRecord], str | None] = lambda _v: None,
    fuzzy: FuzzyMatcher | None = None,
) -> IdentityResult:
    """Identities from ``statics`` (registered on ``backend``; None = none), ships seen
    only in events (``extra_mmsis``), and their list matches."""
    idents = load_identities(backend, statics) if statics else []
    known = {i.mmsi for i in idents}
    idents += [
        AisIdentity(m, None, None, None, None, None, None, None, 0)
        for m in sorted(set(extra_mmsis) - known)
    ]
    vessels, vmap, notes = group_identities(idents, identity_events)
    matches = match_vessels(vessels.values(), list_entities, flag_of, fuzzy)
    return IdentityResult(vessels, vmap, matches, notes)
