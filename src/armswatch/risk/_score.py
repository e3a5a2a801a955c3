"""Risk scores for ships and voyages in [0, 1], built from explained components.

Components (each a value in [0, 1] with an explanation and evidence ids):

* ``sanctions``: the ship is listed on a blocking list (1.0), blocked through its owners
  by the 50 % rule (0.9), has a blocked manager or operator (0.7), is listed only on a
  non-blocking list (0.6); matches by MMSI, call sign or name count × their strength.
* ``deliveries``: inferred shipments the ship took part in (or, for a voyage, that used it).
* ``port_calls``: calls (and inferred dark calls) at ports of concern, by port role.
* ``behaviour``: AIS gaps, encounters, loitering, spoofing, dark port calls, by type.
* ``identity``: identity changes (name, MMSI, flag).
* ``exposure``: links to blocked parties short of blocking (see ``network.exposure``).
* ``flag``: the flag's risk (cited table).

The score is the weighted noisy-OR ``1 - Π (1 - w_c × v_c)``. Models are registered by
name and version in :data:`RISK_MODELS`; a score records the ``name@version`` that made it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from armswatch.network import Delivery, ListMatch, PartyStatus, Voyage
from armswatch.registry import Registry
from armswatch.risk._config import RiskConfig
from armswatch.risk._evidence import ComponentEvidence
from armswatch.risk._flags import FlagRisk


@dataclass(frozen=True, slots=True)
class Component:
    name: str
    value: float  # 0-1
    weight: float  # 0-1, from the config
    explanation: str
    evidence: tuple[str, ...] = ()  # event, delivery, list entity or graph node ids

    @property
    def contribution(self) -> float:
        return self.weight * self.value


@dataclass(frozen=True, slots=True)
class RiskScore:
    subject_kind: str  # "vessel" or "voyage"
    subject_id: str
    vessel_id: str
    score: float
    algorithm: str  # name@version of the model
    components: tuple[Component, ...]

    def component(self, name: str) -> Component | None:
        return next((c for c in self.components if c.name == name), None)

    @property
    def evidence(self) -> tuple[str, ...]:
        """Every evidence id behind a non-zero component (used for alert fingerprints)."""
        return tuple(sorted({e for c in self.components if c.contribution > 0 for e in c.evidence}))

    def explain(self) -> str:
        parts = [
            f"{c.name} {c.value:.2f}×{c.weight:.2f}: {c.explanation}"
            for c in sorted(self.components, key=lambda c: -c.contribution)
            if c.contribution > 0
        ]
        return "; ".join(parts) or "no risk evidence"


@dataclass(frozen=True, slots=True)
class PartyLink:
    """A current owner, manager or operator of a ship and its status."""

    role: str  # registry role or link kind
    node_id: str
    caption: str
    status: PartyStatus | None


@dataclass(frozen=True, slots=True)
class VesselFacts:
    """What is known about a ship before events: status, parties, list matches, flag."""

    vessel_id: str
    status: PartyStatus | None = None  # the ship's own node in the ownership graph
    listed_ids: tuple[str, ...] = ()  # list entities behind the ship's node (IMO match)
    parties: tuple[PartyLink, ...] = ()
    matches: tuple[tuple[ListMatch, PartyStatus | None], ...] = ()  # softer identity matches
    flag: FlagRisk = field(default_factory=lambda: FlagRisk(None, 0.0, "unknown", "none"))


class RiskModel(Protocol):
    name: str
    version: str

    def vessel(
        self,
        facts: VesselFacts,
        evidence: dict[str, ComponentEvidence],
        deliveries: Sequence[Delivery],
        cfg: RiskConfig,
        as_of: datetime,
    ) -> RiskScore: ...

    def voyage(
        self,
        voyage: Voyage,
        facts: VesselFacts,
        evidence: dict[str, ComponentEvidence],
        deliveries: Sequence[Delivery],
        cfg: RiskConfig,
        as_of: datetime,
    ) -> RiskScore: ...


RISK_MODELS: Registry[RiskModel] = Registry("risk model")


def _saturate(x: float) -> float:
    return 1.0 - math.exp(-max(x, 0.0))


def _decay(cfg: RiskConfig, as_of: datetime, t: datetime) -> float:
    age_days = max((as_of - t).total_seconds(), 0.0) / 86400.0
    return float(0.5 ** (age_days / cfg.half_life_days))


def noisy_or(components: Sequence[Component]) -> float:
    keep = 1.0
    for c in components:
        keep *= 1.0 - min(max(c.contribution, 0.0), 1.0)
    return 1.0 - keep


class NoisyOrV1:
    """``vessel_risk@1``: the components above combined by a weighted noisy-OR."""

    name = "vessel_risk"
    version = "1"

    def sanctions(self, facts: VesselFacts, cfg: RiskConfig) -> Component:
        cands: list[tuple[float, str, tuple[str, ...]]] = []
        st = facts.status
        if st is not None and st.blocking and st.depth == 0:
            cands.append((cfg.sanctions_listed, "ship listed", facts.listed_ids or (st.node_id,)))
        elif st is not None and st.blocked:
            owners = tuple(p.node_id for p in facts.parties if p.status and p.status.blocked)
            cands.append((cfg.sanctions_via_owner, f"ship blocked: {st.reason}", owners))
        elif st is not None and st.listed:
            cands.append(
                (cfg.sanctions_listed_other, "ship on a non-blocking list", facts.listed_ids)
            )
        for p in facts.parties:
            if p.status is not None and p.status.blocked and p.role not in _OWNER_ROLES:
                cands.append(
                    (
                        cfg.sanctions_via_manager,
                        f"{p.role} {p.caption} blocked ({p.status.reason})",
                        (p.node_id,),
                    )
                )
        for m, mst in facts.matches:
            if mst is None or not mst.listed:
                continue
            base = cfg.sanctions_listed if mst.blocked else cfg.sanctions_listed_other
            cands.append(
                (m.strength * base, f"{m.method} match {m.entity_id}: {m.evidence}", (m.entity_id,))
            )
        if not cands:
            return Component("sanctions", 0.0, cfg.weight("sanctions"), "no sanctions link")
        cands.sort(key=lambda c: -c[0])
        value, why, _ = cands[0]
        more = f" (+{len(cands) - 1} more)" if len(cands) > 1 else ""
        evidence = tuple(dict.fromkeys(e for c in cands for e in c[2]))
        return Component("sanctions", value, cfg.weight("sanctions"), why + more, evidence)

    def exposure(self, facts: VesselFacts, cfg: RiskConfig) -> Component:
        st = facts.status
        w = cfg.weight("exposure")
        if st is None or st.exposure <= 0:
            return Component("exposure", 0.0, w, "no link to a blocked party")
        if st.blocked:
            return Component("exposure", 0.0, w, "blocked (counted under sanctions)")
        ev = (st.nearest_blocked,) if st.nearest_blocked else ()
        return Component("exposure", st.exposure, w, st.reason, ev)

    def flag(self, facts: VesselFacts, cfg: RiskConfig) -> Component:
        f = facts.flag
        why = (
            f"flag {f.flag} ({f.category}, from {'MMSI MID' if f.basis == 'mid' else 'registry'})"
            if f.flag
            else "flag unknown"
        )
        return Component("flag", f.risk, cfg.weight("flag"), why)

    def events(self, name: str, ev: ComponentEvidence | None, cfg: RiskConfig) -> Component:
        if ev is None or ev.x <= 0:
            return Component(name, 0.0, cfg.weight(name), "none")
        counts = ", ".join(f"{n} {t}" for t, n in sorted(ev.counts.items()))
        return Component(name, _saturate(ev.x), cfg.weight(name), counts, tuple(ev.top))

    def deliveries(self, ds: Sequence[Delivery], cfg: RiskConfig, as_of: datetime) -> Component:
        w = cfg.weight("deliveries")
        if not ds:
            return Component("deliveries", 0.0, w, "none")
        x = sum(cfg.delivery_weight * d.confidence * _decay(cfg, as_of, d.arrival_utc) for d in ds)
        routes = sorted({f"{d.origin_port}→{d.destination_port} {d.month}" for d in ds})
        shown = ", ".join(routes[:3]) + (f" (+{len(routes) - 3})" if len(routes) > 3 else "")
        why = f"{len(ds)} deliver{'y' if len(ds) == 1 else 'ies'}: {shown}"
        return Component("deliveries", _saturate(x), w, why, tuple(d.delivery_id for d in ds))

    def _score(
        self,
        kind: str,
        subject: str,
        facts: VesselFacts,
        evidence: dict[str, ComponentEvidence],
        deliveries: Sequence[Delivery],
        cfg: RiskConfig,
        as_of: datetime,
    ) -> RiskScore:
        comps = (
            self.sanctions(facts, cfg),
            self.deliveries(deliveries, cfg, as_of),
            self.events("port_calls", evidence.get("port_calls"), cfg),
            self.events("behaviour", evidence.get("behaviour"), cfg),
            self.events("identity", evidence.get("identity"), cfg),
            self.exposure(facts, cfg),
            self.flag(facts, cfg),
        )
        return RiskScore(
            kind, subject, facts.vessel_id, noisy_or(comps), f"{self.name}@{self.version}", comps
        )

    def vessel(
        self,
        facts: VesselFacts,
        evidence: dict[str, ComponentEvidence],
        deliveries: Sequence[Delivery],
        cfg: RiskConfig,
        as_of: datetime,
    ) -> RiskScore:
        return self._score("vessel", facts.vessel_id, facts, evidence, deliveries, cfg, as_of)

    def voyage(
        self,
        voyage: Voyage,
        facts: VesselFacts,
        evidence: dict[str, ComponentEvidence],
        deliveries: Sequence[Delivery],
        cfg: RiskConfig,
        as_of: datetime,
    ) -> RiskScore:
        used = [d for d in deliveries if any(leg.voyage_id == voyage.voyage_id for leg in d.legs)]
        return self._score("voyage", voyage.voyage_id, facts, evidence, used, cfg, as_of)


_OWNER_ROLES = frozenset({"owner", "registered_owner", "beneficial_owner", "shareholder"})

RISK_MODELS.register("vessel_risk", "1", default=True)(NoisyOrV1())
