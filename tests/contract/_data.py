"""Small generated AIS-like tables that exercise the corners engines disagree on.

Fractional-second timestamps (epoch truncation), a night crossing midnight UTC, a
13-hour gap, negative coordinates (floor vs truncation), the antimeridian, NULL
positions and speeds, exact duplicate rows (as receivers produce them), non-ASCII names.
Deterministic: a fixed seed, no clock.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from armswatch.model.tables import POSITIONS_SCHEMA, STATICS_SCHEMA, TS

T0 = dt.datetime(2024, 3, 9, 18, 0, tzinfo=dt.UTC)

# (mmsi, start lat, start lon, dlat per step, dlon per step, speed kn)
_VESSELS = [
    (273_456_780, 42.80, 132.90, 0.004, 0.006, 11.0),  # Russian flag, near Vostochny
    (445_112_000, 42.24, 130.29, 0.0, 0.0, 0.4),  # DPRK, loitering off Rajin
    (412_000_001, -33.90, 18.40, -0.003, 0.002, 9.5),  # southern/eastern hemisphere
    (366_999_001, 51.20, -179.95, 0.0, -0.01, 12.0),  # crosses the antimeridian
    (636_000_777, 42.2405, 130.2902, 0.0001, 0.0, 0.6),  # meets 445112000 (encounter)
]


def positions() -> pa.Table:
    rng = np.random.default_rng(7)
    rows: dict[str, list[object]] = {f.name: [] for f in POSITIONS_SCHEMA}
    for k, (mmsi, lat0, lon0, dlat, dlon, sog) in enumerate(_VESSELS):
        t = T0 + dt.timedelta(seconds=int(rng.integers(0, 300)))
        for i in range(40):
            step_s = float(rng.uniform(200, 900))
            if k == 0 and i == 20:
                step_s = 13 * 3600.0  # dark for 13 h across midnight
            t = t + dt.timedelta(seconds=step_s)
            lat, lon = lat0 + dlat * i, lon0 + dlon * i
            if lon < -180:
                lon += 360
            null_pos = k == 2 and i % 13 == 5
            rows["mmsi"].append(mmsi)
            rows["ts_utc"].append(t)
            rows["lat"].append(None if null_pos else round(lat, 6))
            rows["lon"].append(None if null_pos else round(lon, 6))
            rows["sog_kn"].append(None if i % 11 == 3 else sog + float(rng.normal(0, 0.2)))
            rows["cog_deg"].append(float(rng.uniform(0, 359)))
            rows["heading_deg"].append(int(rng.integers(0, 360)))
            rows["nav_status"].append(int(rng.integers(0, 9)))
            rows["rot"].append(None)
            rows["accuracy"].append(bool(i % 2))
            rows["msg_type"].append(1 if k != 2 else 18)
            rows["source"].append("sat" if i % 3 == 0 else "terr")
    table = pa.table(rows, schema=POSITIONS_SCHEMA)
    # two exact duplicates, as receivers report the same message twice
    return pa.concat_tables([table, table.slice(3, 1), table.slice(50, 1)])


def statics() -> pa.Table:
    names = ["ANGARA", "MARIA  ", "Лада", None, "MAIA-1"]
    rows: dict[str, list[object]] = {f.name: [] for f in STATICS_SCHEMA}
    for k, (mmsi, *_rest) in enumerate(_VESSELS):
        for j in range(2):
            rows["mmsi"].append(mmsi)
            rows["ts_utc"].append(T0 + dt.timedelta(hours=6 * j, seconds=k))
            rows["msg_type"].append(5)
            rows["imo"].append(None if k == 3 else 9_000_000 + k * 17 + (j if k == 0 else 0))
            name = names[k]
            rows["name"].append(f"{name} II" if (name and j == 1 and k == 4) else name)
            rows["callsign"].append(f"UB{k}X{j}")
            rows["ship_type"].append(70 + k)
            for col in ("to_bow_m", "to_stern_m", "to_port_m", "to_starboard_m"):
                rows[col].append(10 + k)
            rows["draught_m"].append(5.5 + k)
            rows["destination"].append("VOSTOCHNY" if k % 2 else "RAJIN")
            rows["eta"].append(None)
            rows["source"].append("terr")
    return pa.table(rows, schema=STATICS_SCHEMA)


def ts(text: str) -> pa.Scalar:
    return pa.scalar(dt.datetime.fromisoformat(text), type=TS)
