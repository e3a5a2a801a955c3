"""Scale benchmark: all detectors on DuckDB and on Spark, N days × M vessels.

    PYTHONPATH=src python bench/scale.py                       # 3 sizes, both engines
    PYTHONPATH=src python bench/scale.py --sizes 1000x1,1000x2,1000x4,1000x8
    PYTHONPATH=src python bench/scale.py --sections mixed      # engine equality, mixed scenario
    PYTHONPATH=src python bench/scale.py --master local[*] --out results.json

Prints, per size and engine, the wall time and positions/s through every detector (the
same ``run_detectors`` call on both engines), the time of each stage, the dominant stage,
Spark's shuffle volume per stage, a linear fit of time against positions for each
engine, the crossover, and an extrapolation to 300 M messages a day. Every figure is
measured in this run; nothing is hard-coded. Data come from ``bench/_scale_data.py``
(vectorised generator, deterministic per seed), so sizes of 10^7 positions are quick.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _cpu import cpu_seconds
from _scale_data import Size, generate
from _scale_report import fit_line, print_extrapolation, print_fits
from armswatch.detect import DetectConfig, DetectReport, run_detectors
from armswatch.engine import DuckDBBackend, SparkBackend, table_differences
from armswatch.engine.base import Backend, SqlStep

# stage of the detect pipeline owning a table, by name prefix
_STAGES = (
    ("aw_positions_in", "clean"),
    ("aw_clean", "clean"),
    ("aw_tracks", "segment"),
    ("aw_threads", "threads"),
    ("aw_gap", "ais_gap"),
    ("aw_en", "encounter"),
    ("aw_lo", "loitering"),
    ("aw_pc", "port_call"),
    ("aw_port_calls", "port_call"),
    ("aw_id", "identity_change"),
    ("aw_sp", "spoofing"),
    ("aw_dp", "dark_port_call"),
)


def _stage_of(text: str) -> str:
    hits = [(text.find(p), s) for p, s in _STAGES if p in text]
    return min(hits)[1] if hits else "other"


class LabelledSpark(SparkBackend):
    """Spark backend that tags every Spark job with the detect stage it serves."""

    def _label(self, text: str) -> None:
        self.spark.sparkContext.setJobDescription(_stage_of(text))

    def run(self, steps: Sequence[SqlStep]) -> None:
        if steps:
            self._label(steps[0].output_table_name)
        super().run(steps)

    def to_arrow(self, name_or_sql: str) -> pa.Table:
        self._label(name_or_sql)
        return super().to_arrow(name_or_sql)


@dataclass
class Run:
    size: str
    engine: str
    positions: int
    seconds: float
    cpu_s: float
    events: dict[str, int]
    stages: dict[str, float]
    shuffle_bytes: dict[str, int] = field(default_factory=dict)

    @property
    def per_s(self) -> float:
        return self.positions / self.seconds if self.seconds else 0.0

    @property
    def per_cpu_s(self) -> float:
        return self.positions / self.cpu_s if self.cpu_s else 0.0


def _spark_stage_metrics(be: SparkBackend) -> dict[str, int]:
    """Shuffle bytes written per detect stage, from Spark's monitoring REST API."""
    import httpx

    sc = be.spark.sparkContext
    url = sc.uiWebUrl
    if not url:
        return {}
    base = f"{url}/api/v1/applications/{sc.applicationId}"
    jobs = httpx.get(f"{base}/jobs", timeout=30).json()
    stages = {s["stageId"]: s for s in httpx.get(f"{base}/stages", timeout=30).json()}
    out: dict[str, int] = {}
    for job in jobs:
        label = job.get("description") or "other"
        for sid in job.get("stageIds", []):
            st = stages.get(sid)
            if st is not None:
                out[label] = out.get(label, 0) + int(st.get("shuffleWriteBytes", 0))
    return out


def _make(engine: str, master: str) -> Backend:
    if engine == "duckdb":
        return DuckDBBackend()
    # the UI is on for the benchmark only: its REST API reports the shuffle volumes
    return LabelledSpark(master, conf={"spark.ui.enabled": "true", "spark.ui.port": "4071"})


def run_once(
    engine: str, master: str, size: Size, positions: pa.Table, statics: pa.Table | None = None
) -> tuple[Run, pa.Table]:
    be = _make(engine, master)
    report = DetectReport()
    c0, t0 = cpu_seconds(), time.perf_counter()
    events = run_detectors(be, positions, statics, DetectConfig(), report)
    seconds = time.perf_counter() - t0
    cpu_s = cpu_seconds() - c0
    shuffle = _spark_stage_metrics(be) if isinstance(be, SparkBackend) else {}
    be.close()
    run = Run(
        size.label,
        engine,
        positions.num_rows,
        seconds,
        cpu_s,
        dict(report.events),
        dict(report.seconds),
        shuffle,
    )
    return run, events


def _warm_spark(master: str) -> None:
    """Start the JVM and run one job, so the first size does not pay for it."""
    t0 = time.perf_counter()
    be = _make("spark", master)
    be.register("w", pa.table({"x": list(range(1000))}))
    be.to_arrow("SELECT count(*) AS n FROM w")
    be.close()
    print(f"Spark JVM start and first job: {time.perf_counter() - t0:.1f} s (not counted)")


def section_scale(args: argparse.Namespace) -> list[Run]:
    sizes = [Size.parse(s) for s in args.sizes.split(",")]
    engines = args.engines.split(",")
    if "spark" in engines:
        _warm_spark(args.master)
    runs: list[Run] = []
    header = (
        f"{'size':>10} {'positions':>10} {'engine':>7} {'seconds':>8} "
        f"{'positions/s':>12} {'CPU s':>7} {'pos/CPU s':>10}  dominant stage"
    )
    print(header)
    for size in sizes:
        t0 = time.perf_counter()
        positions = generate(size.vessels, size.days, seed=args.seed)
        gen_s = time.perf_counter() - t0
        results: dict[str, pa.Table] = {}
        for engine in engines:
            run, events = run_once(engine, args.master, size, positions)
            results[engine] = events
            runs.append(run)
            top = max(run.stages.items(), key=lambda kv: kv[1])
            print(
                f"{size.label:>10} {run.positions:>10,} {engine:>7} {run.seconds:>8.1f} "
                f"{run.per_s:>12,.0f} {run.cpu_s:>7.1f} {run.per_cpu_s:>10,.0f}  "
                f"{top[0]} {top[1]:.1f} s "
                f"(generated in {gen_s:.1f} s)",
                flush=True,
            )
        if len(results) == 2:
            diffs = table_differences(*results.values(), json_columns=("details",), rel_tol=1e-6)
            print(
                f"{'':>10} engines agree on {results['duckdb'].num_rows} events: "
                f"{'yes' if not diffs else 'NO: ' + diffs[0]}"
            )
    return runs


def _stage_table(runs: list[Run]) -> None:
    stages = sorted({s for r in runs for s in r.stages})
    print(
        "\nseconds per stage (Spark is lazy: a stage's time includes the shared tables it "
        "is first to use)"
    )
    print(f"{'size/engine':>18} " + " ".join(f"{s[:9]:>9}" for s in stages))
    for r in runs:
        print(
            f"{r.size + '/' + r.engine:>18} "
            + " ".join(f"{r.stages.get(s, 0.0):>9.2f}" for s in stages)
        )
    spark = [r for r in runs if r.shuffle_bytes]
    if spark:
        print("\nSpark shuffle written per stage (MB) and per position (bytes)")
        for r in spark:
            total = sum(r.shuffle_bytes.values())
            parts = ", ".join(
                f"{k} {v / 1e6:.1f}"
                for k, v in sorted(r.shuffle_bytes.items(), key=lambda kv: -kv[1])
            )
            print(
                f"  {r.size}: {total / 1e6:.1f} MB = {total / r.positions:.0f} B/position ({parts})"
            )


def section_mixed(args: argparse.Namespace) -> dict[str, Any]:
    """The simulator's mixed scenario: the same events per type on both engines?"""
    from armswatch.detect.io import read_inputs
    from armswatch.simulate import simulate, write_simulation

    out = Path(args.data_dir) / f"mixed-seed{args.seed}"
    if not (out / "ais.nmea").exists():
        write_simulation(simulate("mixed", seed=args.seed), out)
    inputs = read_inputs([out / "ais.nmea"])
    size = Size(0, 0)
    duck, ev_d = run_once("duckdb", args.master, size, inputs.positions, inputs.statics)
    spark, ev_s = run_once("spark", args.master, size, inputs.positions, inputs.statics)
    ids_d = set(ev_d.column("event_id").to_pylist())
    ids_s = set(ev_s.column("event_id").to_pylist())
    scalars = [c for c in ev_d.column_names if c != "details"]
    diffs = table_differences(ev_d.select(scalars), ev_s.select(scalars), rel_tol=1e-6)
    print(
        f"\nmixed scenario, seed {args.seed}: {inputs.positions.num_rows:,} positions, "
        f"{inputs.statics.num_rows:,} static reports"
    )
    print(f"{'type':>16} {'duckdb':>7} {'spark':>7}")
    for t in sorted(set(duck.events) | set(spark.events)):
        print(f"{t:>16} {duck.events.get(t, 0):>7} {spark.events.get(t, 0):>7}")
    matched = len(ids_d & ids_s)
    print(
        f"events matched by id: {matched} of {len(ids_d)} (DuckDB) / {len(ids_s)} (Spark); "
        f"all fields but details equal: {'yes' if not diffs else 'NO: ' + diffs[0]}"
    )
    print(
        f"time: DuckDB {duck.seconds:.1f} s ({duck.per_s:,.0f} positions/s), "
        f"Spark {spark.seconds:.1f} s ({spark.per_s:,.0f} positions/s)"
    )
    print(f"CPU: DuckDB {duck.cpu_s:.1f} s, Spark {spark.cpu_s:.1f} s")
    return {
        "duckdb": duck.__dict__,
        "spark": spark.__dict__,
        "matched": matched,
        "only_duckdb": len(ids_d - ids_s),
        "only_spark": len(ids_s - ids_d),
        "scalar_differences": diffs,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--sizes",
        default="300x1,300x2,300x4",
        help="comma-separated VESSELSxDAYS sizes (default: %(default)s)",
    )
    ap.add_argument("--engines", default="duckdb,spark", help="default: %(default)s")
    ap.add_argument("--master", default="local[2]", help="Spark master (default: %(default)s)")
    ap.add_argument("--sections", default="scale", help="scale and/or mixed")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--data-dir", default="/tmp/armswatch-bench", help="where generated scenarios are cached"
    )
    ap.add_argument("--out", help="write all figures as JSON here")
    args = ap.parse_args(argv)
    results: dict[str, Any] = {"args": vars(args)}
    sections = args.sections.split(",")
    if "scale" in sections:
        runs = section_scale(args)
        _stage_table(runs)
        fits = {
            e: fit_line([(r.positions, r.seconds) for r in runs if r.engine == e])
            for e in {r.engine for r in runs}
        }
        print_fits(fits)
        cpu_fits = {
            e: fit_line([(r.positions, r.cpu_s) for r in runs if r.engine == e])
            for e in {r.engine for r in runs}
        }
        print("CPU seconds (this process, the JVM and its Python workers):", end="")
        print_fits(cpu_fits)
        if {"duckdb", "spark"} <= set(fits):
            cores = (
                int(args.master[6:-1])
                if args.master.startswith("local[") and args.master[6:-1].isdigit()
                else 2
            )
            print_extrapolation(fits["duckdb"], fits["spark"], cores, runs)
            print(
                "\nthe same from CPU seconds (what the cores must supply, free of the "
                "load other jobs put on a shared machine):"
            )
            print_extrapolation(cpu_fits["duckdb"], cpu_fits["spark"], 1, [], cpu=True)
        results["runs"] = [r.__dict__ for r in runs]
        results["fits"] = {e: f.__dict__ for e, f in fits.items()}
        results["cpu_fits"] = {e: f.__dict__ for e, f in cpu_fits.items()}
    if "mixed" in sections:
        results["mixed"] = section_mixed(args)
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
