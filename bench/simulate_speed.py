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
    t = time.perf_counter()
    sim = simulate(a.scenario, a.seed, vessels=a.vessels, days=a.days)
    t_sim = time.perf_counter() - t
    t = time.perf_counter()
    table = positions_table(sim)
    t_tab = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter()
        paths = write_simulation(sim, Path(d))
        t_write = time.perf_counter() - t
        size_mb = paths["nmea"].stat().st_size / 1e6
    n = table.num_rows
    print(f"scenario {a.scenario} seed {a.seed}: {len(sim.scripts)} vessels x {a.days} days, "
          f"{n:,} positions, {len(sim.truth):,} truth events")
    print(f"simulate (plans, reception, truth): {t_sim:.1f} s ({n / t_sim:,.0f} positions/s)")
    print(f"positions_table (Arrow):            {t_tab:.2f} s")
    print(f"write ais.nmea + truth.jsonl:       {t_write:.1f} s ({size_mb:.0f} MB)")


if __name__ == "__main__":
    main()
