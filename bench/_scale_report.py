"""Fits and extrapolations printed by bench/scale.py (all inputs are measured figures)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

DAY_MESSAGES = 300e6  # global AIS, messages per day (issue 10)


@dataclass(frozen=True)
class Fit:
    """seconds = fixed_s + per_position_s × positions (least squares)."""

    fixed_s: float
    per_position_s: float
    r2: float
    points: int

    def seconds(self, positions: float) -> float:
        return self.fixed_s + self.per_position_s * positions


def fit_line(points: Sequence[tuple[float, float]]) -> Fit:
    n = len(points)
    if n < 2:
        x, y = points[0] if points else (1.0, 0.0)
        return Fit(0.0, y / x if x else 0.0, 1.0, n)
    mx = sum(p[0] for p in points) / n
    my = sum(p[1] for p in points) / n
    sxx = sum((p[0] - mx) ** 2 for p in points)
    sxy = sum((p[0] - mx) * (p[1] - my) for p in points)
    b = sxy / sxx if sxx else 0.0
    a = my - b * mx
    ss_tot = sum((p[1] - my) ** 2 for p in points)
    ss_res = sum((p[1] - a - b * p[0]) ** 2 for p in points)
    return Fit(a, b, 1 - ss_res / ss_tot if ss_tot else 1.0, n)


def print_fits(fits: dict[str, Fit]) -> None:
    print("\nhow time grows with the input (least squares over the sizes above)")
    for engine, f in sorted(fits.items()):
        if f.per_position_s <= 0:
            print(f"  {engine:>7}: time does not grow with the input at these sizes (fixed "
                  f"costs dominate, R² {f.r2:.2f}): use larger sizes")
            continue
        print(f"  {engine:>7}: {f.fixed_s:7.1f} s + {f.per_position_s * 1e6:7.3f} s per million "
              f"positions (R² {f.r2:.3f}, {f.points} sizes) → marginal "
              f"{1 / f.per_position_s if f.per_position_s > 0 else float('inf'):,.0f} positions/s")


def _crossover(duck: Fit, spark_fixed: float, spark_per: float) -> float | None:
    if spark_per >= duck.per_position_s:
        return None
    return max(0.0, (spark_fixed - duck.fixed_s) / (duck.per_position_s - spark_per))


def print_extrapolation(duck: Fit, spark: Fit, local_cores: int, runs: Sequence[Any],
                        *, cpu: bool = False) -> None:
    """Wall-time fits (``cpu=False``) were measured on ``local_cores`` cores; CPU-second
    fits are per core (pass ``local_cores=1``). A cluster of K cores is assumed to divide
    Spark's per-position cost perfectly (an upper bound on its speed)."""
    if duck.per_position_s <= 0 or spark.per_position_s <= 0:
        print("\nno extrapolation: a marginal cost per position was not resolved (see above)")
        return
    if not cpu:
        print(f"\ncrossover and extrapolation (Spark measured on {local_cores} local cores; a "
              "cluster of K cores is assumed to divide Spark's per-position cost by K/"
              f"{local_cores}, i.e. perfect scaling — an upper bound on its speed)")
    here = _crossover(duck, spark.fixed_s, spark.per_position_s)
    if here is None:
        ratio = spark.per_position_s / duck.per_position_s if duck.per_position_s else 0.0
        print(f"  this machine: no crossover — each position costs Spark {ratio:.1f}× what it "
              "costs DuckDB, so DuckDB is faster at every size")
    else:
        print(f"  this machine: Spark is faster above {here:,.0f} positions")
    need = local_cores * spark.per_position_s / duck.per_position_s
    if cpu:
        print(f"  per position Spark uses {need:.1f}× the CPU of DuckDB; a day of 300 M "
              f"messages costs DuckDB {duck.seconds(DAY_MESSAGES) / 3600:.2f} CPU-hours, "
              f"Spark {spark.seconds(DAY_MESSAGES) / 3600:.2f} CPU-hours")
    else:
        print(f"  Spark needs more than {need:.0f} cores to beat DuckDB-on-{local_cores}-cores"
              " per position")
        d_day = duck.seconds(DAY_MESSAGES)
        print(f"  300 M messages/day on DuckDB here: {d_day / 60:.1f} min per day of data "
              "(if it fits: DuckDB spills to disk, the kernels hold a group in memory)")
    for k in (16, 64, 256, 1024):
        per = spark.per_position_s * local_cores / k
        t = spark.fixed_s + per * DAY_MESSAGES
        cross = _crossover(duck, spark.fixed_s, per)
        cross_s = f"crossover {cross / 1e6:,.1f} M positions" if cross is not None else \
            "no crossover"
        print(f"  Spark on {k:>4} cores: a day of 300 M messages in {t / 60:7.1f} min "
              f"({cross_s} against DuckDB {'per core' if cpu else 'here'})")
    spark_runs = [r for r in runs if getattr(r, "shuffle_bytes", None)]
    if spark_runs:
        biggest = max(spark_runs, key=lambda r: r.positions)
        per_pos = sum(biggest.shuffle_bytes.values()) / biggest.positions
        total_tb = per_pos * DAY_MESSAGES / 1e12
        top = max(biggest.shuffle_bytes.items(), key=lambda kv: kv[1])
        print(f"  shuffle: {per_pos:.0f} B per position → {total_tb:.2f} TB per day of 300 M "
              f"messages; largest: {top[0]} ({top[1] / sum(biggest.shuffle_bytes.values()):.0%})"
              f"; at 128 MB per partition ≈ {per_pos * DAY_MESSAGES / 128e6:,.0f} shuffle "
              "partitions per day")
