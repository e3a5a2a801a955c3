"""Port-to-port voyages from detector events, as portable SQL steps.

Input: an events table in ``EVENTS_SCHEMA`` (``armswatch.model.tables``) and optionally
a vessel map (``mmsi, vessel_id, from_utc, to_utc``) from identity resolution, so that a
ship that changes MMSI mid-voyage keeps one voyage. Steps:

1. ``vessel_events``: events with ``vessel_id`` and ``other_vessel_id``; an encounter is
   listed once for each of its two ships (mirrored), so every ship sees its meetings.
2. ``voyages``: consecutive port calls of a ship (``port_call`` and inferred
   ``dark_port_call``) paired with ``LEAD``: origin, departure (end of the first call),
   destination, arrival (start of the next). Overlapping calls are not paired.
3. ``voyage_events``: gaps, encounters, loitering, spoofing and identity changes that
   start between departure and arrival.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import pyarrow as pa

from armswatch.engine import Backend, SqlStep
from armswatch.model.tables import TS

PORT_CALL_TYPES = ("port_call", "dark_port_call")

VESSEL_MAP_SCHEMA = pa.schema(
    [
        ("mmsi", pa.int32()),
        ("vessel_id", pa.string()),
        ("from_utc", TS),  # null = since ever
        ("to_utc", TS),  # null = until now (exclusive bound)
    ]
)


def _vessel_of(alias: str, mmsi_col: str) -> str:
    return f"COALESCE({alias}.vessel_id, 'mmsi-' || CAST(e.{mmsi_col} AS VARCHAR))"


def _map_join(alias: str, mmsi_col: str, vessel_map: str) -> str:
    return (
        f"LEFT JOIN {vessel_map} {alias} ON e.{mmsi_col} = {alias}.mmsi "
        f"AND ({alias}.from_utc IS NULL OR e.start_utc >= {alias}.from_utc) "
        f"AND ({alias}.to_utc IS NULL OR e.start_utc < {alias}.to_utc)"
    )


def vessel_events_steps(events: str = "events", vessel_map: str = "vessel_map") -> list[SqlStep]:
    """``vessel_events``: events keyed by ship (``vessel_id``), encounters mirrored."""
    cols = (
        "event_id, type, mmsi, other_mmsi, start_utc, end_utc, lat, lon, end_lat, end_lon, "
        "port, confidence, details, algorithm"
    )
    ecols = ", ".join(f"e.{c.strip()}" for c in cols.split(","))
    mapped = (
        f"SELECT {ecols}, {_vessel_of('m', 'mmsi')} AS vessel_id, "
        f"CASE WHEN e.other_mmsi IS NULL THEN NULL ELSE {_vessel_of('o', 'other_mmsi')} END "
        f"AS other_vessel_id FROM {events} e "
        f"{_map_join('m', 'mmsi', vessel_map)} {_map_join('o', 'other_mmsi', vessel_map)}"
    )
    mirrored = (
        f"WITH both_sides AS (SELECT {cols}, vessel_id, other_vessel_id FROM events_mapped "
        f"UNION ALL SELECT event_id, type, other_mmsi AS mmsi, mmsi AS other_mmsi, start_utc, "
        f"end_utc, lat, lon, end_lat, end_lon, port, confidence, details, algorithm, "
        f"other_vessel_id AS vessel_id, vessel_id AS other_vessel_id FROM events_mapped "
        f"WHERE other_vessel_id IS NOT NULL), "
        f"ranked AS (SELECT *, ROW_NUMBER() OVER (PARTITION BY event_id, vessel_id "
        f"ORDER BY mmsi) AS rn FROM both_sides) "
        f"SELECT {cols}, vessel_id, other_vessel_id FROM ranked WHERE rn = 1"
    )
    return [SqlStep(mapped, "events_mapped"), SqlStep(mirrored, "vessel_events")]


def voyage_steps(vessel_events: str = "vessel_events") -> list[SqlStep]:
    """``voyages`` and ``voyage_events`` from ``vessel_events``."""
    types = ", ".join(f"'{t}'" for t in PORT_CALL_TYPES)
    w = "OVER (PARTITION BY vessel_id ORDER BY start_utc, event_id)"
    voyages = (
        f"WITH pc AS (SELECT vessel_id, mmsi, event_id, type, port, start_utc, end_utc, "
        f"confidence FROM {vessel_events} WHERE type IN ({types}) AND port IS NOT NULL), "
        f"seq AS (SELECT pc.*, LEAD(event_id) {w} AS next_event_id, LEAD(port) {w} AS next_port, "
        f"LEAD(type) {w} AS next_type, LEAD(start_utc) {w} AS next_start_utc, "
        f"LEAD(confidence) {w} AS next_confidence FROM pc) "
        f"SELECT 'voy-' || event_id AS voyage_id, vessel_id, mmsi, port AS origin_port, "
        f"event_id AS origin_event_id, type AS origin_type, end_utc AS departure_utc, "
        f"next_port AS destination_port, next_event_id AS destination_event_id, "
        f"next_type AS destination_type, next_start_utc AS arrival_utc, "
        f"(epoch(next_start_utc) - epoch(end_utc)) / 3600.0 AS duration_h, "
        f"LEAST(confidence, next_confidence) AS confidence "
        f"FROM seq WHERE next_event_id IS NOT NULL AND next_start_utc >= end_utc"
    )
    on_the_way = (
        f"SELECT v.voyage_id, v.vessel_id, e.event_id, e.type, e.other_vessel_id, e.start_utc, "
        f"e.end_utc, e.lat, e.lon, e.confidence FROM voyages v JOIN {vessel_events} e "
        f"ON e.vessel_id = v.vessel_id AND e.start_utc >= v.departure_utc "
        f"AND e.start_utc < v.arrival_utc WHERE e.type NOT IN ({types})"
    )
    return [SqlStep(voyages, "voyages"), SqlStep(on_the_way, "voyage_events")]


@dataclass(frozen=True, slots=True)
class OnTheWay:
    """An event during a voyage (gap, encounter, ...)."""

    event_id: str
    type: str
    start_utc: datetime
    end_utc: datetime
    confidence: float
    other_vessel_id: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class Voyage:
    voyage_id: str
    vessel_id: str
    mmsi: int
    origin_port: str
    origin_roles: tuple[str, ...]
    origin_event_id: str
    origin_dark: bool  # origin call inferred from a dark period (dark_port_call)
    departure_utc: datetime
    destination_port: str
    destination_roles: tuple[str, ...]
    destination_event_id: str
    destination_dark: bool
    arrival_utc: datetime
    duration_h: float
    confidence: float
    events: tuple[OnTheWay, ...] = ()

    @property
    def gaps(self) -> tuple[OnTheWay, ...]:
        return tuple(e for e in self.events if e.type == "ais_gap")

    @property
    def encounters(self) -> tuple[OnTheWay, ...]:
        return tuple(e for e in self.events if e.type == "encounter")


def compute_voyages(
    backend: Backend,
    port_roles: Mapping[str, Sequence[str]],
    events: str = "events",
    vessel_map: str | None = None,
) -> list[Voyage]:
    """Run the voyage steps on ``backend`` (``events`` registered) and return voyages
    sorted by ship and departure. Without a vessel map, ships are keyed by MMSI."""
    if vessel_map is None:
        backend.register("vessel_map", VESSEL_MAP_SCHEMA.empty_table())
        vessel_map = "vessel_map"
    backend.run([*vessel_events_steps(events, vessel_map), *voyage_steps()])
    return load_voyages(backend, port_roles)


def load_voyages(backend: Backend, port_roles: Mapping[str, Sequence[str]]) -> list[Voyage]:
    """Read ``voyages`` and ``voyage_events`` back as records."""
    on_way: dict[str, list[OnTheWay]] = {}
    for r in backend.to_arrow(
        "SELECT * FROM voyage_events ORDER BY voyage_id, start_utc, event_id"
    ).to_pylist():
        on_way.setdefault(r["voyage_id"], []).append(
            OnTheWay(
                event_id=r["event_id"],
                type=r["type"],
                start_utc=r["start_utc"],
                end_utc=r["end_utc"],
                confidence=float(r["confidence"]),
                other_vessel_id=r["other_vessel_id"],
                lat=r["lat"],
                lon=r["lon"],
            )
        )
    out: list[Voyage] = []
    for r in backend.to_arrow(
        "SELECT * FROM voyages ORDER BY vessel_id, departure_utc, voyage_id"
    ).to_pylist():
        out.append(
            Voyage(
                voyage_id=r["voyage_id"],
                vessel_id=r["vessel_id"],
                mmsi=int(r["mmsi"]),
                origin_port=r["origin_port"],
                origin_roles=tuple(port_roles.get(r["origin_port"], ())),
                origin_event_id=r["origin_event_id"],
                origin_dark=r["origin_type"] == "dark_port_call",
                departure_utc=r["departure_utc"],
                destination_port=r["destination_port"],
                destination_roles=tuple(port_roles.get(r["destination_port"], ())),
                destination_event_id=r["destination_event_id"],
                destination_dark=r["destination_type"] == "dark_port_call",
                arrival_utc=r["arrival_utc"],
                duration_h=float(r["duration_h"]),
                confidence=float(r["confidence"]),
                events=tuple(on_way.get(r["voyage_id"], ())),
            )
        )
    return out
