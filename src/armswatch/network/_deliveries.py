"""Deliveries: a voyage, or a chain of voyages and ship-to-ship transfers, that starts at
a port of concern (e.g. a DPRK or Iranian port) and ends at a destination of concern (a
Russian port or military pier).

Pure logic over :class:`Voyage` records. From every departure at an origin of concern the
search follows, within ``max_days``:

* the same ship's voyage: if it arrives at a destination of concern, that is a delivery;
  if it arrives back at an origin of concern the chain stops (the next departure starts
  its own); else the ship's next voyage continues the chain (onward via a third port);
* an encounter on the way (when the ship did not sail straight to a destination of
  concern): the cargo may pass to the other ship, whose voyage containing the meeting is
  followed the same way (at most ``max_transfers`` transfers).

Each delivery keeps its legs and the event ids behind them (port calls, encounters), and
its confidence is the product of the legs' confidences.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from armswatch.errors import ConfigError
from armswatch.network._voyages import Voyage


@dataclass(frozen=True, slots=True)
class DeliveryConfig:
    from_roles: tuple[str, ...] = ("dprk_port", "iran_port")
    to_roles: tuple[str, ...] = ("russian_port", "russian_military")
    max_days: float = 45.0  # departure at the origin to arrival at the destination
    max_legs: int = 3  # ship movements (voyages or parts of one) in one chain
    max_transfers: int = 1  # ship-to-ship transfers in one chain

    def __post_init__(self) -> None:
        if not self.from_roles or not self.to_roles:
            raise ConfigError("deliveries need at least one origin role and one destination role")
        if self.max_days <= 0 or self.max_legs < 1 or self.max_transfers < 0:
            raise ConfigError("max_days must be > 0, max_legs >= 1, max_transfers >= 0")


@dataclass(frozen=True, slots=True)
class Leg:
    """One part of a delivery: a ship's (part-)voyage or a transfer at sea."""

    kind: str  # "voyage" or "transfer"
    vessel_id: str
    from_port: str | None  # None: at sea (after a transfer)
    to_port: str | None  # None: at sea (before a transfer)
    start_utc: datetime
    end_utc: datetime
    evidence: tuple[str, ...]  # event ids (port calls, encounter)
    voyage_id: str | None = None
    other_vessel_id: str | None = None  # transfers: the receiving ship


@dataclass(frozen=True, slots=True)
class Delivery:
    delivery_id: str
    origin_port: str
    origin_roles: tuple[str, ...]
    departure_utc: datetime
    destination_port: str
    destination_roles: tuple[str, ...]
    arrival_utc: datetime
    legs: tuple[Leg, ...]
    confidence: float

    @property
    def kind(self) -> str:
        if any(leg.kind == "transfer" for leg in self.legs):
            return "transshipment"
        return "direct" if len(self.legs) == 1 else "multi_leg"

    @property
    def vessels(self) -> tuple[str, ...]:
        seen: list[str] = []
        for leg in self.legs:
            if leg.vessel_id not in seen:
                seen.append(leg.vessel_id)
        return tuple(seen)

    @property
    def month(self) -> str:
        """Arrival month, ``YYYY-MM`` (UTC)."""
        return self.arrival_utc.strftime("%Y-%m")

    @property
    def evidence(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e for leg in self.legs for e in leg.evidence))


@dataclass(slots=True)
class _Search:
    cfg: DeliveryConfig
    by_vessel: dict[str, list[Voyage]]
    deadline: datetime
    found: list[tuple[tuple[Leg, ...], float, Voyage]] = field(default_factory=list)

    def has(self, roles: Sequence[str], wanted: Sequence[str]) -> bool:
        return any(r in wanted for r in roles)

    def walk(
        self,
        v: Voyage,
        i: int,
        legs: tuple[Leg, ...],
        conf: float,
        transfers: int,
        since: datetime,
        from_port: str | None,
    ) -> None:
        if v.arrival_utc > self.deadline:
            return
        leg = Leg(
            "voyage",
            v.vessel_id,
            from_port,
            v.destination_port,
            since,
            v.arrival_utc,
            ((v.origin_event_id,) if from_port else ()) + (v.destination_event_id,),
            v.voyage_id,
        )
        if self.has(v.destination_roles, self.cfg.to_roles):
            self.found.append(((*legs, leg), conf * v.confidence, v))
            return
        n_voyage_legs = sum(1 for x in legs if x.kind == "voyage")
        room = n_voyage_legs + 2 <= self.cfg.max_legs  # this leg (or its part) and one more
        if transfers < self.cfg.max_transfers and room:
            for enc in v.encounters:
                if enc.start_utc < since or enc.other_vessel_id is None:
                    continue
                if enc.other_vessel_id == v.vessel_id:
                    continue
                k, other = self._containing(enc.other_vessel_id, enc.start_utc)
                if other is None:
                    continue
                part = Leg(
                    "voyage",
                    v.vessel_id,
                    from_port,
                    None,
                    since,
                    enc.start_utc,
                    (v.origin_event_id,) if from_port else (),
                    v.voyage_id,
                )
                xfer = Leg(
                    "transfer",
                    v.vessel_id,
                    None,
                    None,
                    enc.start_utc,
                    enc.end_utc,
                    (enc.event_id,),
                    None,
                    enc.other_vessel_id,
                )
                self.walk(
                    other,
                    k,
                    (*legs, part, xfer),
                    conf * enc.confidence,
                    transfers + 1,
                    enc.start_utc,
                    None,
                )
        if self.has(v.destination_roles, self.cfg.from_roles):
            return
        ship = self.by_vessel[v.vessel_id]
        if room and i + 1 < len(ship):
            nxt = ship[i + 1]
            self.walk(
                nxt,
                i + 1,
                (*legs, leg),
                conf * v.confidence,
                transfers,
                nxt.departure_utc,
                nxt.origin_port,
            )

    def _containing(self, vessel_id: str, t: datetime) -> tuple[int, Voyage | None]:
        for k, v in enumerate(self.by_vessel.get(vessel_id, ())):
            if v.departure_utc <= t < v.arrival_utc:
                return k, v
        return -1, None


def find_deliveries(voyages: Iterable[Voyage], cfg: DeliveryConfig | None = None) -> list[Delivery]:
    """Every delivery in ``voyages``, sorted by arrival time."""
    cfg = cfg or DeliveryConfig()
    by_vessel: dict[str, list[Voyage]] = defaultdict(list)
    for v in voyages:
        by_vessel[v.vessel_id].append(v)
    for ship in by_vessel.values():
        ship.sort(key=lambda v: (v.departure_utc, v.voyage_id))
    best: dict[tuple[str, str], Delivery] = {}
    for ship in by_vessel.values():
        for i, v0 in enumerate(ship):
            if not any(r in cfg.from_roles for r in v0.origin_roles):
                continue
            search = _Search(cfg, by_vessel, v0.departure_utc + timedelta(days=cfg.max_days))
            search.walk(v0, i, (), 1.0, 0, v0.departure_utc, v0.origin_port)
            for legs, conf, final in search.found:
                d = Delivery(
                    delivery_id=f"dlv-{v0.origin_event_id}-{final.destination_event_id}",
                    origin_port=v0.origin_port,
                    origin_roles=v0.origin_roles,
                    departure_utc=v0.departure_utc,
                    destination_port=final.destination_port,
                    destination_roles=final.destination_roles,
                    arrival_utc=final.arrival_utc,
                    legs=legs,
                    confidence=conf,
                )
                key = (v0.voyage_id, final.destination_event_id)
                old = best.get(key)
                if old is None or (len(d.legs), -d.confidence) < (len(old.legs), -old.confidence):
                    best[key] = d
    return sorted(best.values(), key=lambda d: (d.arrival_utc, d.delivery_id))


def deliveries_by_month(deliveries: Iterable[Delivery]) -> dict[tuple[str, str], list[Delivery]]:
    """``(month, vessel_id) -> deliveries`` for every ship taking part (arrival month)."""
    out: dict[tuple[str, str], list[Delivery]] = defaultdict(list)
    for d in deliveries:
        for vessel in d.vessels:
            out[(d.month, vessel)].append(d)
    return dict(sorted(out.items()))
