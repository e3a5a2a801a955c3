"""All detectors on the real AIS logs in ../shared/data/ais/nmea: events per type per
1,000 vessel-days.

    PYTHONPATH=src python bench/detect_real.py [--data ../shared/data/ais] [--show 5]

Each log is one recording (receiver, time span): it is decoded with armswatch.ais and
run on its own, so an MMSI seen in two unrelated logs years apart does not make a
"gap". Logs without timestamps contribute nothing (their positions are dropped and
counted). Prints per log and in total, then a few events of each type for checking by
hand.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from _shared import SHARED
from armswatch.ais import decode_file
from armswatch.detect import DetectConfig, DetectReport, run_detectors
from armswatch.detect._geography import default_ports
from armswatch.detect.io import event_records
from armswatch.engine import DuckDBBackend


def shared_ais() -> Path:
    return SHARED / "ais"


def logs(root: Path) -> list[Path]:
    return sorted(
        p
        for p in (root / "nmea").rglob("*")
        if p.is_file() and not p.name.endswith((".chk", ".json"))
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=shared_ais())
    ap.add_argument("--show", type=int, default=5, help="events of each type to print")
    args = ap.parse_args()
    config = DetectConfig(ports=tuple(default_ports(layers=[])))
    totals: Counter[str] = Counter()
    vessel_days = 0
    positions = 0
    events_all: list[dict[str, object]] = []
    t0 = time.perf_counter()
    print(f"{'log':58s} {'positions':>9s} {'v-days':>6s}  events")
    for path in logs(args.data):
        dec = decode_file(path)
        report = DetectReport()
        with DuckDBBackend(threads=2) as be:
            ev = run_detectors(be, dec.positions, dec.statics, config, report)
        recs = event_records(ev)
        for r in recs:
            r["log"] = str(path.relative_to(args.data))
        events_all += recs
        totals.update(report.events)
        vessel_days += report.vessel_days
        positions += report.positions_used
        found = {k: v for k, v in report.events.items() if v}
        print(
            f"{path.relative_to(args.data)!s:58s} {report.positions_used:9,d} "
            f"{report.vessel_days:6d}  {found or ''}"
        )
    print(
        f"\n{positions:,} positions used, {vessel_days:,} vessel-days, "
        f"{time.perf_counter() - t0:.1f} s"
    )
    print("events per type (per 1,000 vessel-days):")
    for k in sorted(totals):
        rate = totals[k] / vessel_days * 1000 if vessel_days else float("nan")
        print(f"  {k:16s} {totals[k]:5d}  ({rate:7.1f})")
    print("\nexamples to check by hand:")
    for k in sorted(totals):
        for r in [e for e in events_all if e["type"] == k][: args.show]:
            print(" ", json.dumps(r)[:400])


if __name__ == "__main__":
    main()
