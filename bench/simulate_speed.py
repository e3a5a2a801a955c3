"""Simulator throughput: vessels × days → archived positions, and the NMEA write.

Prints measured figures only (no peer library exists for this step).
    python bench/simulate_speed.py [--vessels 200] [--days 7] [--scenario background]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from armswatch.simulate import positions_table, simulate, write_simulation


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scenario", default="background")
    ap.add_argument("--vessels", type=int, default=200)
    ap.add_argument("--days", type=float, default=7.0)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    t, c = time.perf_counter(), time.process_time()
    sim = simulate(a.scenario, a.seed, vessels=a.vessels, days=a.days)
    t_sim, c_sim = time.perf_counter() - t, time.process_time() - c
    t = time.perf_counter()
    table = positions_table(sim)
    t_tab = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as d:
        t, c = time.perf_counter(), time.process_time()
        paths = write_simulation(sim, Path(d))
        t_write, c_write = time.perf_counter() - t, time.process_time() - c
        size_mb = paths["nmea"].stat().st_size / 1e6
    n = table.num_rows
    print(
        f"scenario {a.scenario} seed {a.seed}: {len(sim.scripts)} vessels x {a.days} days, "
        f"{n:,} positions, {len(sim.truth):,} truth events"
    )
    print(
        f"simulate (plans, reception, truth): {t_sim:.1f} s wall, {c_sim:.1f} s CPU "
        f"({n / c_sim:,.0f} positions per CPU-second)"
    )
    print(f"positions_table (Arrow):            {t_tab:.2f} s wall")
    print(
        f"write ais.nmea + truth.jsonl:       {t_write:.1f} s wall, {c_write:.1f} s CPU "
        f"({size_mb:.0f} MB)"
    )
    print("(wall times depend on the load of the shared machine; CPU times less so)")


if __name__ == "__main__":
    main()
