"""Precision and recall of every detector on simulated scenarios with known truth.

    PYTHONPATH=src python bench/detect_eval.py [--workdir DIR] [--seeds 1 2 3]

For each scenario and seed: ``armswatch simulate`` (NMEA with tag blocks, as receivers
give it; skipped when DIR already holds it — the default DIR is per simulator version),
``armswatch detect`` on the NMEA, and the scoring of ``armswatch evaluate`` (same type,
same vessel(s), overlapping time, one to one). Prints per scenario and, over the
``mixed`` seeds, per detector: truth, detected, matched, precision, recall and false
events per 1,000 vessel-days; then the false events per 1,000 vessel-days on
``background`` (innocent traffic only).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from armswatch.cli import main as cli
from armswatch.detect.evaluate import evaluate_files

GOAL = ("ais_gap", "encounter", "port_call", "identity_change", "dark_port_call")


def run_one(workdir: Path, scenario: str, seed: int) -> tuple[dict[str, dict[str, float]], float]:
    d = workdir / f"{scenario}_{seed}"
    if not (d / "truth.jsonl").exists():
        t0 = time.perf_counter()
        if cli(["simulate", "--scenario", scenario, "--seed", str(seed), "-o", str(d)]) != 0:
            raise SystemExit(f"simulate {scenario} {seed} failed")
        print(f"  simulated {scenario} seed {seed} in {time.perf_counter() - t0:.0f} s")
    t0 = time.perf_counter()
    if cli(["detect", str(d / "ais.nmea"), "-o", str(d / "events.jsonl"), "--no-parquet",
            "--now", "none"]) != 0:
        raise SystemExit(f"detect {scenario} {seed} failed")
    print(f"  detected {scenario} seed {seed} in {time.perf_counter() - t0:.0f} s")
    vessel_days = float(json.loads((d / "scenario.json").read_text())["vessel_days"])
    ev = evaluate_files(d / "truth.jsonl", d / "events.jsonl", vessel_days=vessel_days)
    return {k: v.as_dict() for k, v in ev.per_type.items()}, vessel_days  # type: ignore[misc]


def fmt(x: object) -> str:
    return "  -  " if x is None else f"{x:.3f}" if isinstance(x, float) else str(x)


def table(title: str, rows: dict[str, dict[str, float]], vessel_days: float) -> None:
    print(f"\n{title} ({vessel_days:,.0f} vessel-days)")
    print(f"  {'type':16s} {'truth':>6s} {'det':>6s} {'match':>6s} {'prec':>6s} {'recall':>6s}"
          f" {'false/1k vd':>11s}")
    for k in sorted(rows):
        r = rows[k]
        t, e, m = int(r["truth"]), int(r["detected"]), int(r["matched"])
        prec = m / e if e else None
        rec = m / t if t else None
        print(f"  {k:16s} {t:6d} {e:6d} {m:6d} {fmt(prec):>6s} {fmt(rec):>6s} "
              f"{(e - m) / vessel_days * 1000:11.2f}{'  (goal >= 0.95)' if k in GOAL else ''}")


def _simulator_hash() -> str:
    """Simulations are reused only by the simulator that wrote them (hash of its sources)."""
    import armswatch.simulate

    h = hashlib.sha256()
    for f in sorted(Path(armswatch.simulate.__file__).parent.rglob("*.py")):
        h.update(f.read_bytes())
    return h.hexdigest()[:12]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--workdir", type=Path,
                    default=Path(tempfile.gettempdir()) / "armswatch-detect-eval"
                    / _simulator_hash(),
                    help="where simulations are kept and reused (default: one folder per "
                    "version of the simulator's sources)")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--others", action="store_true",
                    help="also the single-pattern scenarios (seed 1)")
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    total: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    total_vd = 0.0
    for seed in args.seeds:
        rows, vd = run_one(args.workdir, "mixed", seed)
        table(f"mixed seed {seed}", rows, vd)
        total_vd += vd
        for k, r in rows.items():
            for f in ("truth", "detected", "matched"):
                total[k][f] += float(r[f])
    table(f"mixed, seeds {' '.join(map(str, args.seeds))} together", total, total_vd)
    rows, vd = run_one(args.workdir, "background", 1)
    table("background seed 1 (innocent traffic only)", rows, vd)
    false = sum(r["detected"] - r["matched"] for r in rows.values())
    print(f"  false events on background: {false:.0f} = {false / vd * 1000:.2f} per 1,000 "
          "vessel-days")
    if args.others:
        for sc in ("dprk_russia_shuttle", "sts_transfer", "identity_swap", "spoofing"):
            rows, vd = run_one(args.workdir, sc, 1)
            table(f"{sc} seed 1", rows, vd)


if __name__ == "__main__":
    main()
