"""Speed of all detectors end to end on synthetic positions (DuckDB, 2 threads).

    PYTHONPATH=src python bench/detect_speed.py [--positions 10000000] [--threads 2]

The table is generated here (no data files): vessels on open-sea voyages at 8-18 kn,
ships at anchor or drifting, pairs side by side, dark periods and a few false fixes,
reporting every 1-4 minutes, interleaved in time order as a receiver feed delivers them.
Prints positions/s end to end (input table in memory → events table) and the seconds of
each stage; a warm-up on a small table first (numba compile, land-mask cache), whose
time is printed too.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pyarrow as pa

from armswatch.detect import DetectConfig, DetectReport, run_detectors
from armswatch.detect._geography import default_ports
from armswatch.engine import DuckDBBackend
from armswatch.model.tables import TS

# open-sea boxes (lat0, lat1, lon0, lon1) far from land
SEA_BOXES = np.array([
    (20.0, 40.0, -60.0, -30.0),  # North Atlantic
    (-30.0, -10.0, -30.0, -10.0),  # South Atlantic
    (-30.0, -5.0, 65.0, 95.0),  # Indian Ocean
    (10.0, 35.0, 150.0, 175.0),  # North-west Pacific
    (-20.0, 0.0, -140.0, -110.0),  # South-east Pacific
])
T0 = 1_700_000_000.0


def synthetic_positions(n_target: int, seed: int = 7) -> pa.Table:
    rng = np.random.default_rng(seed)
    per_vessel = 2_000
    n_v = max(1, n_target // per_vessel)
    box = SEA_BOXES[rng.integers(0, len(SEA_BOXES), n_v)]
    lat0 = rng.uniform(box[:, 0], box[:, 1])
    lon0 = rng.uniform(box[:, 2], box[:, 3])
    kind = rng.choice(3, n_v, p=[0.75, 0.2, 0.05])  # voyage, anchored/drifting, paired
    speed = np.where(kind == 0, rng.uniform(8, 18, n_v), rng.uniform(0.0, 1.5, n_v))
    course = rng.uniform(0, 360, n_v)
    # pairs: every odd "paired" vessel sits 200 m from the one before it
    paired = np.flatnonzero(kind == 2)
    for a, b in zip(paired[::2], paired[1::2], strict=False):
        lat0[b], lon0[b], speed[b], course[b] = lat0[a] + 0.0018, lon0[a], speed[a], course[a]
    interval = np.where(kind == 0, rng.uniform(60, 120, n_v), rng.uniform(120, 240, n_v))
    step = np.arange(per_vessel, dtype=np.float64)
    t = T0 + rng.uniform(0, 3600, n_v)[:, None] + step[None, :] * interval[:, None]
    t += rng.uniform(-5, 5, t.shape)
    dist_m = (speed * 1852 / 3600)[:, None] * (t - t[:, :1])
    rad = np.radians(course)[:, None]
    lat = lat0[:, None] + dist_m * np.cos(rad) / 111_195.0
    lon = lon0[:, None] + dist_m * np.sin(rad) / (111_195.0 * np.cos(np.radians(lat0))[:, None])
    lat += rng.normal(0, 0.00005, lat.shape)  # ~5 m GPS noise
    lon += rng.normal(0, 0.00005, lon.shape)
    # dark periods: 5 % of vessels lose a day of reports after their 1000th fix
    dark = rng.random(n_v) < 0.05
    t[dark, 1000:] += 24 * 3600
    # false fixes: 1 % of vessels report one position 3 degrees away
    spoof = np.flatnonzero(rng.random(n_v) < 0.01)
    lat[spoof, 500] += 3.0
    mmsi = rng.choice(np.arange(200_000_000, 775_999_999, dtype=np.int64), n_v, replace=False)
    sog = np.repeat(speed, per_vessel) + rng.normal(0, 0.1, n_v * per_vessel)
    order = np.argsort(t.ravel(), kind="stable")  # a receiver feed: time order
    return pa.table({
        "mmsi": pa.array(np.repeat(mmsi, per_vessel)[order].astype(np.int32)),
        "ts_utc": pa.array((t.ravel()[order] * 1e6).astype(np.int64)).cast(TS),
        "lat": pa.array(lat.ravel()[order]),
        "lon": pa.array(((lon.ravel()[order] + 180) % 360) - 180),
        "sog_kn": pa.array(np.abs(sog[order]).astype(np.float32)),
        "cog_deg": pa.array(np.repeat(course, per_vessel)[order].astype(np.float32)),
        "nav_status": pa.array(np.repeat(np.where(kind == 1, 1, 0), per_vessel)[order]
                               .astype(np.int8)),
        "msg_type": pa.array(np.ones(n_v * per_vessel, np.int8)),
    })


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--positions", type=int, default=10_000_000)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    ports = tuple(default_ports(layers=[]))
    config = DetectConfig(ports=ports)

    t0 = time.perf_counter()
    warm = synthetic_positions(100_000, seed=1)
    with DuckDBBackend(threads=args.threads) as be:
        run_detectors(be, warm, None, config)
    print(f"warm-up (numba compile / cache load, land mask) on 100k: "
          f"{time.perf_counter() - t0:.1f} s")

    t0 = time.perf_counter()
    table = synthetic_positions(args.positions)
    print(f"generated {table.num_rows:,} positions of {len(set(table['mmsi'].to_numpy()))} "
          f"vessels in {time.perf_counter() - t0:.1f} s")
    report = DetectReport()
    t0 = time.perf_counter()
    with DuckDBBackend(threads=args.threads) as be:
        events = run_detectors(be, table, None, config, report)
    wall = time.perf_counter() - t0
    print(f"\nall detectors, DuckDB {args.threads} threads: {table.num_rows:,} positions in "
          f"{wall:.2f} s = {table.num_rows / wall:,.0f} positions/s end to end")
    print(f"events: {events.num_rows:,} {report.events}")
    print("\nseconds per stage:")
    for k, v in report.seconds.items():
        print(f"  {k:16s} {v:7.2f}  ({table.num_rows / max(v, 1e-9):,.0f} positions/s)")


if __name__ == "__main__":
    main()
