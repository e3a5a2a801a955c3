"""Hand-built detector events (EVENTS_SCHEMA) for voyage, delivery and risk tests."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pyarrow as pa

from armswatch.model.tables import EVENTS_SCHEMA

T0 = datetime(2023, 9, 1, tzinfo=UTC)


@dataclass
class Events:
    rows: list[dict[str, object]] = field(default_factory=list)

    def add(
        self,
        type_: str,
        mmsi: int,
        start_day: float,
        end_day: float | None = None,
        port: str | None = None,
        other: int | None = None,
        confidence: float = 1.0,
        details: dict[str, object] | None = None,
    ) -> str:
        start = T0 + timedelta(days=start_day)
        end = T0 + timedelta(days=end_day if end_day is not None else start_day + 0.5)
        eid = f"{type_}-{mmsi}-{other or 0}-{start_day:g}"
        self.rows.append(
            {
                "event_id": eid,
                "type": type_,
                "mmsi": mmsi,
                "other_mmsi": other,
                "start_utc": start,
                "end_utc": end,
                "lat": 0.0,
                "lon": 0.0,
                "end_lat": None,
                "end_lon": None,
                "port": port,
                "confidence": confidence,
                "details": json.dumps(details or {}),
                "algorithm": "test@1",
            }
        )
        return eid

    def table(self) -> pa.Table:
        return pa.Table.from_pylist(self.rows, schema=EVENTS_SCHEMA)


def shuttle_events() -> Events:
    """A: DPRK->Russia direct twice (second arrival dark); B->C transfer at sea;
    D innocent; E via a neutral port; F too slow; G round trip DPRK->DPRK."""
    ev = Events()
    a, b, c, d, e, f, g = (
        445_000_001,
        445_000_002,
        273_000_003,
        636_000_004,
        511_000_005,
        445_000_006,
        445_000_007,
    )
    ev.add("port_call", a, 0, 1, "KP-RJN")
    ev.add("ais_gap", a, 2, 3)
    ev.add("port_call", a, 4, 5, "RU-VYP")
    ev.add("port_call", a, 8, 9, "KP-RJN")
    ev.add("dark_port_call", a, 12, 13, "RU-DUNAY", confidence=0.7)
    ev.add("port_call", b, 0, 1, "KP-NAM")
    ev.add("encounter", b, 3, 3.2, other=c, confidence=0.9)
    ev.add("port_call", b, 6, 7, "XX-NEUTRAL")
    ev.add("port_call", c, 0, 1, "RU-VVO")
    ev.add("port_call", c, 5, 6, "RU-VVO")
    ev.add("port_call", d, 0, 1, "EG-PSD")
    ev.add("port_call", d, 5, 6, "SA-JED")
    ev.add("port_call", e, 0, 1, "KP-CHO")
    ev.add("port_call", e, 3, 4, "XX-NEUTRAL")
    ev.add("port_call", e, 10, 11, "RU-VYP")
    ev.add("port_call", f, 0, 1, "KP-RJN")
    ev.add("port_call", f, 70, 71, "RU-VYP")
    ev.add("port_call", g, 0, 1, "KP-RJN")
    ev.add("port_call", g, 3, 4, "KP-WON")
    return ev
