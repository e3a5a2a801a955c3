"""Fast generated AIS positions for the scale benchmark: N days × M vessels.

The scenario simulator (``armswatch.simulate``) follows real sea lanes and a receiver
model but produces about 10^4 positions/s; the scale benchmark needs 10^7 in seconds. This
generator is vectorised NumPy with the mix of behaviour that gives every detector work:

* 70 % cruisers: 8-16 kn on slowly wandering headings in open-ocean boxes, with dark
  periods (12-40 h, about one per ten vessel-days);
* 15 % port callers: stays of 6-48 h at a real port (drifting < 0.5 kn), trips out and
  back at 10 kn;
* 10 % loiterers: < 2 kn at sea for hours, then on their way;
* 5 % in pairs that meet at sea and drift side by side (~150 m) for 3-10 h.

Reports arrive every ``interval_s`` on average (72 s ≈ 1,200 per vessel-day, the density
of global AIS: ~300 M messages a day for ~250,000 vessels). Deterministic per seed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from armswatch.model.tables import POSITIONS_SCHEMA

KN_TO_DEG_PER_S = 1.0 / 60.0 / 3600.0  # one knot is one arc-minute of latitude per hour

# open-ocean boxes (lat_min, lat_max, lon_min, lon_max)
_OCEAN_BOXES = np.array(
    [
        (22.0, 42.0, 150.0, 175.0),  # North Pacific
        (30.0, 48.0, -48.0, -22.0),  # North Atlantic
        (-30.0, -5.0, 60.0, 92.0),  # Indian Ocean
        (-38.0, -12.0, -145.0, -105.0),  # South Pacific
    ]
)


@dataclass(frozen=True)
class Size:
    vessels: int
    days: int

    @property
    def label(self) -> str:
        return f"{self.vessels}x{self.days}"

    @staticmethod
    def parse(text: str) -> Size:
        v, _, d = text.lower().partition("x")
        return Size(int(v), int(d))


def _times(rng: np.random.Generator, t0: float, t1: float, interval_s: float) -> np.ndarray:
    n = int((t1 - t0) / interval_s * 1.2) + 8
    t = t0 + np.cumsum(rng.exponential(interval_s, n))
    return t[t < t1]


def _drop_gaps(rng: np.random.Generator, t: np.ndarray, days: float) -> np.ndarray:
    keep = np.ones(t.size, dtype=bool)
    for _ in range(rng.poisson(0.1 * days)):
        start = rng.uniform(t[0], t[-1]) if t.size else 0.0
        keep &= ~((t >= start) & (t < start + rng.uniform(12, 40) * 3600))
    return keep


def _cruise(
    rng: np.random.Generator, t: np.ndarray, lat0: float, lon0: float, speed_kn: np.ndarray | float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    dt_s = np.diff(t, prepend=t[0])
    heading = rng.uniform(0, 2 * np.pi) + np.cumsum(rng.normal(0, 0.002, t.size))
    sog = np.broadcast_to(np.asarray(speed_kn, dtype=float), t.shape)
    step = sog * dt_s * KN_TO_DEG_PER_S
    lat = np.clip(lat0 + np.cumsum(step * np.cos(heading)), -80, 80)
    coslat = np.maximum(np.cos(np.radians(lat)), 0.2)
    lon = (lon0 + np.cumsum(step * np.sin(heading) / coslat) + 180.0) % 360.0 - 180.0
    cog = np.degrees(heading) % 360.0
    return lat, lon, cog


def _ocean_point(rng: np.random.Generator) -> tuple[float, float]:
    box = _OCEAN_BOXES[rng.integers(0, len(_OCEAN_BOXES))]
    return float(rng.uniform(box[0], box[1])), float(rng.uniform(box[2], box[3]))


def _vessel(
    kind: str, rng: np.random.Generator, t: np.ndarray, days: float, ports: np.ndarray
) -> tuple[np.ndarray, ...]:
    if kind == "cruise":
        lat0, lon0 = _ocean_point(rng)
        sog = rng.uniform(8, 16) + rng.normal(0, 0.3, t.size)
        lat, lon, cog = _cruise(rng, t, lat0, lon0, sog)
    elif kind == "loiter":
        lat0, lon0 = _ocean_point(rng)
        phase = ((t - t[0]) // (rng.uniform(8, 30) * 3600)) % 2 == 0
        sog = np.where(phase, rng.uniform(0.1, 1.5, t.size), rng.uniform(9, 13, t.size))
        lat, lon, cog = _cruise(rng, t, lat0, lon0, sog)
    else:  # port caller: stay, sail out, sail back, stay ...
        plat, plon = ports[rng.integers(0, len(ports))]
        cycle_s = rng.uniform(18, 72) * 3600
        stay_s = cycle_s * rng.uniform(0.3, 0.7)
        ph = (t - t[0] + rng.uniform(0, cycle_s)) % cycle_s
        away = np.clip(np.minimum(ph - stay_s, cycle_s - ph), 0, None)  # seconds from port
        bearing = rng.uniform(0, 2 * np.pi)
        dist = away * 10.0 * KN_TO_DEG_PER_S
        jitter = rng.normal(0, 0.002, (2, t.size))
        lat = plat + dist * np.cos(bearing) + jitter[0]
        lon = plon + dist * np.sin(bearing) / max(np.cos(np.radians(plat)), 0.2) + jitter[1]
        sog = np.where(away > 0, 10.0, rng.uniform(0, 0.4, t.size))
        cog = np.full(t.size, np.degrees(bearing) % 360.0)
    return lat, lon, np.abs(sog), cog


def generate(
    vessels: int,
    days: int,
    seed: int = 0,
    *,
    interval_s: float = 72.0,
    ports: np.ndarray | None = None,
    start: dt.date = dt.date(2024, 1, 1),
) -> pa.Table:
    """Positions (:data:`POSITIONS_SCHEMA`) of ``vessels`` vessels over ``days`` UTC days."""
    rng = np.random.default_rng(seed)
    t0 = dt.datetime(start.year, start.month, start.day, tzinfo=dt.UTC).timestamp()
    t1 = t0 + days * 86400.0
    if ports is None:
        ports = np.array(
            [
                (35.1, 129.04),
                (1.26, 103.84),
                (51.95, 4.05),
                (25.0, 55.06),
                (43.1, 131.88),
                (42.23, 130.3),
                (31.23, 121.5),
                (29.9, -90.1),
            ]
        )
    kinds = rng.choice(
        ["cruise", "port", "loiter", "pair"], size=vessels, p=[0.70, 0.15, 0.10, 0.05]
    )
    cols: dict[str, list[np.ndarray]] = {k: [] for k in ("mmsi", "t", "lat", "lon", "sog", "cog")}
    mmsi0 = 201_000_000
    for v, kind in enumerate(kinds):
        vrng = np.random.default_rng([seed, v])
        t = _times(vrng, t0 + vrng.uniform(0, 600), t1, interval_s)
        if t.size < 2:
            continue
        if kind == "pair":
            # the pair drifts together from a meeting point; the partner is the next id
            lat0, lon0 = _ocean_point(vrng)
            slow = ((t - t0) // (vrng.uniform(3, 10) * 3600)) % 3 == 0
            sog = np.where(slow, vrng.uniform(0.2, 1.5, t.size), vrng.uniform(9, 13, t.size))
            lat, lon, cog = _cruise(vrng, t, lat0, lon0, sog)
            # the partner closes in at 4 kn while both drift, and draws away when they sail
            rate = 4.0 * KN_TO_DEG_PER_S * np.diff(t, prepend=t[0])
            sep = np.empty(t.size)
            acc = 0.1
            for i, (is_slow, r) in enumerate(zip(slow, rate, strict=True)):
                acc = min(0.1, max(0.00135, acc - r if is_slow else acc + r))
                sep[i] = acc
            t2 = np.sort(t + vrng.uniform(-30, 30, t.size))
            for k, (tt, la) in enumerate(((t, lat), (t2, lat + sep))):
                cols["mmsi"].append(np.full(tt.size, mmsi0 + 2 * v + k, np.int32))
                cols["t"].append(tt)
                cols["lat"].append(la)
                cols["lon"].append(lon)
                cols["sog"].append(sog)
                cols["cog"].append(cog)
            continue
        lat, lon, sog, cog = _vessel(str(kind), vrng, t, days, ports)
        keep = _drop_gaps(vrng, t, days)
        cols["mmsi"].append(np.full(int(keep.sum()), mmsi0 + 2 * v, np.int32))
        for name, arr in (("t", t), ("lat", lat), ("lon", lon), ("sog", sog), ("cog", cog)):
            cols[name].append(np.asarray(arr)[keep])
    cat = {k: np.concatenate(v) if v else np.array([]) for k, v in cols.items()}
    order = np.argsort(cat["t"], kind="stable")  # a receiver's archive: time order
    n = order.size
    heading = np.round(cat["cog"][order]).astype(np.int16) % 360
    table = pa.table(
        {
            "mmsi": pa.array(cat["mmsi"][order].astype(np.int32)),
            "ts_utc": pa.array((np.floor(cat["t"][order] * 1e6)).astype(np.int64)).cast(
                POSITIONS_SCHEMA.field("ts_utc").type
            ),
            "lat": pa.array(np.round(cat["lat"][order], 6)),
            "lon": pa.array(np.round(cat["lon"][order], 6)),
            "sog_kn": pa.array(cat["sog"][order].astype(np.float32)),
            "cog_deg": pa.array(cat["cog"][order].astype(np.float32)),
            "heading_deg": pa.array(heading),
            "nav_status": pa.array(np.zeros(n, np.int8)),
            "rot": pa.nulls(n, pa.float32()),
            "accuracy": pa.array(np.ones(n, dtype=bool)),
            "msg_type": pa.array(np.ones(n, np.int8)),
            "source": pa.array(np.full(n, "bench"), pa.string()),
        }
    )
    return table.cast(POSITIONS_SCHEMA)
