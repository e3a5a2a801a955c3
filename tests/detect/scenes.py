"""Hand-built AIS scenes with known behaviour (generated in code, no external data)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from armswatch.model.tables import POSITIONS_SCHEMA, STATICS_SCHEMA

T0 = 1_700_000_000.0  # 2023-11-14T22:13:20Z
M_PER_DEG = 111_195.0


def move(lat: float, lon: float, bearing_deg: float, dist_m: float) -> tuple[float, float]:
    """Position after ``dist_m`` on a bearing (flat-earth step; fine for short legs)."""
    b = math.radians(bearing_deg)
    dlat = dist_m * math.cos(b) / M_PER_DEG
    dlon = dist_m * math.sin(b) / (M_PER_DEG * math.cos(math.radians(lat)))
    return lat + dlat, lon + dlon


@dataclass
class Scene:
    rows: dict[str, list[object]] = field(
        default_factory=lambda: {k: [] for k in ("mmsi", "ts_utc", "lat", "lon", "sog_kn",
                                                 "cog_deg", "nav_status", "msg_type")}
    )
    statics: list[dict[str, object]] = field(default_factory=list)

    def fix(self, mmsi: int, t_s: float, lat: float, lon: float, sog: float | None,
            cog: float | None = None, nav: int | None = None) -> None:
        r = self.rows
        r["mmsi"].append(mmsi)
        r["ts_utc"].append(round((T0 + t_s) * 1e6))
        r["lat"].append(lat)
        r["lon"].append(lon)
        r["sog_kn"].append(sog)
        r["cog_deg"].append(cog)
        r["nav_status"].append(nav)
        r["msg_type"].append(1)

    def sail(self, mmsi: int, t_s: float, lat: float, lon: float, bearing: float, kn: float,
             hours: float, every_s: float = 60.0, nav: int | None = 0
             ) -> tuple[float, float, float]:
        """Constant course and speed; returns the end time and position."""
        steps = int(hours * 3600 / every_s)
        for i in range(steps + 1):
            la, lo = move(lat, lon, bearing, kn * 1852.0 / 3600.0 * every_s * i)
            self.fix(mmsi, t_s + i * every_s, la, lo, kn, bearing, nav)
        end = move(lat, lon, bearing, kn * 1852.0 / 3600.0 * every_s * steps)
        return t_s + steps * every_s, end[0], end[1]

    def static(self, mmsi: int, t_s: float, name: str | None = None, callsign: str | None = None,
               imo: int | None = None, ship_type: int | None = 70) -> None:
        self.statics.append({"mmsi": mmsi, "ts_utc": round((T0 + t_s) * 1e6), "msg_type": 5,
                             "name": name, "callsign": callsign, "imo": imo,
                             "ship_type": ship_type})

    def positions(self) -> pa.Table:
        cols = self.rows
        ts_type = POSITIONS_SCHEMA.field("ts_utc").type
        t = pa.table({
            "mmsi": pa.array(cols["mmsi"], pa.int32()),
            "ts_utc": pa.array(cols["ts_utc"], pa.int64()).cast(ts_type),
            "lat": pa.array(cols["lat"], pa.float64()),
            "lon": pa.array(cols["lon"], pa.float64()),
            "sog_kn": pa.array(cols["sog_kn"], pa.float32()),
            "cog_deg": pa.array(cols["cog_deg"], pa.float32()),
            "nav_status": pa.array(cols["nav_status"], pa.int8()),
            "msg_type": pa.array(cols["msg_type"], pa.int8()),
        })
        # a receiver feed is in time order, not vessel order
        order = np.argsort(np.array(cols["ts_utc"]), kind="stable")
        return t.take(pa.array(order))

    def statics_table(self) -> pa.Table:
        if not self.statics:
            return STATICS_SCHEMA.empty_table()
        t = pa.Table.from_pylist(self.statics)
        return pa.table({
            "mmsi": pa.array(t["mmsi"].to_pylist(), pa.int32()),
            "ts_utc": pa.array(t["ts_utc"].to_pylist(), pa.int64()).cast(
                STATICS_SCHEMA.field("ts_utc").type),
            "msg_type": pa.array(t["msg_type"].to_pylist(), pa.int8()),
            "imo": pa.array(t["imo"].to_pylist(), pa.int32()),
            "name": pa.array(t["name"].to_pylist(), pa.string()),
            "callsign": pa.array(t["callsign"].to_pylist(), pa.string()),
            "ship_type": pa.array(t["ship_type"].to_pylist(), pa.int16()),
        })
