"""The whole trade analysis: read -> surges -> mirror gaps -> ranking -> outputs."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from armswatch.engine import Backend, DuckDBBackend
from armswatch.trade._did import SurgeConfig
from armswatch.trade._formats import ReadOptions
from armswatch.trade._fx import convert, read_rates
from armswatch.trade._groups import ProductGroup, resolve_groups
from armswatch.trade._mirror import EU27, MirrorConfig, mirror_gaps
from armswatch.trade._rank import rank, routes_json
from armswatch.trade._read import ReadReport, read_flows
from armswatch.trade._surge import SurgeResult, surges

#: progress(stage, done, total) - stages: "read <file>", "surges", "mirror", "report"
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class AnalysisConfig:
    surge: SurgeConfig = field(default_factory=SurgeConfig)
    mirror: MirrorConfig = field(default_factory=MirrorConfig)
    groups: str = "auto"
    origin: tuple[str, ...] | None = None  # None: EU27 when every reporter is an EU member
    read: ReadOptions = field(default_factory=ReadOptions)
    fx: Path | None = None
    currency: str | None = None


@dataclass
class AnalysisResult:
    flows: pa.Table
    read_report: ReadReport
    groups: list[ProductGroup]
    surge: SurgeResult
    mirror: pa.Table
    countries: pa.Table
    routes: pa.Table
    series: pa.Table
    config: AnalysisConfig
    notes: list[str] = field(default_factory=list)

    def headline(self) -> pa.Table:
        """Before/after figures of the headline group (see :func:`headline_group`)."""
        est = self.surge.estimates
        gid = headline_group(self.groups, est)
        return est.filter(pc.equal(est.column("group_id"), gid)) if gid else est.slice(0, 0)


def headline_group(groups: Sequence[ProductGroup], est: pa.Table) -> str | None:
    """The group reported first: every detailed code of the inputs when that is a subset of
    all goods (e.g. a banned-goods extract plus totals), else the first list of concern."""
    present = set(est.column("group_id").to_pylist())
    ok = {r["group_id"] for r in est.to_pylist() if r["status"] == "ok"}
    for gid in ["detailed", *[g.group_id for g in groups if g.kind == "list"]]:
        if gid in present and gid in ok:
            return gid
    return next(iter(sorted(present)), None)


def _origin(flows: pa.Table, cfg: AnalysisConfig) -> tuple[str, ...]:
    if cfg.origin is not None:
        return cfg.origin
    ok = pc.invert(pc.match_substring(pc.fill_null(flows.column("flags"), ""), "aggregate"))
    reporters = set(pc.unique(pc.filter(flows.column("reporter"), ok)).to_pylist())
    return EU27 if reporters and reporters <= set(EU27) else ()


def series_sql(group_id: str) -> str:
    """Monthly/annual values of a group and of all goods per partner (for the charts)."""
    return f"""
SELECT flow, partner, period, currency, SUM(y) AS group_value,
       SUM(detailed) AS detailed_value, SUM(total) AS total_value,
       COUNT(total) AS total_cells
FROM tw_panel WHERE group_id = '{group_id}'
GROUP BY flow, partner, period, currency
ORDER BY flow, partner, period
"""


def analyze(inputs: Sequence[Path] | pa.Table, config: AnalysisConfig | None = None,
            backend: Backend | None = None, progress: Progress | None = None,
            ) -> AnalysisResult:
    """Run the analysis on files (or an already tidy table)."""
    cfg = config or AnalysisConfig()
    be = backend or DuckDBBackend()
    notes: list[str] = []
    if isinstance(inputs, pa.Table):
        flows, report = inputs, ReadReport()
    else:
        def read_cb(path: Path, done: int, total: int) -> None:
            if progress is not None:
                progress(f"read {path.name}", done, total)
        flows, report = read_flows(list(inputs), cfg.read, read_cb)
    if cfg.fx is not None:
        if not cfg.currency:
            from armswatch.errors import ConfigError
            raise ConfigError("an FX table needs a target currency (--currency)")
        flows = convert(flows, read_rates(cfg.fx), cfg.currency)
        notes.append(f"values converted to {cfg.currency} with {cfg.fx}")
    origin = _origin(flows, cfg)
    surge_cfg = cfg.surge
    if origin:
        surge_cfg = replace(surge_cfg, exclude=tuple(sorted(set(surge_cfg.exclude) | set(origin))))
        notes.append("every reporter is in the origin bloc (EU27): intra-bloc partners are "
                     "neither candidates nor controls")
    detailed = pc.unique(pc.filter(flows.column("hs_code"),
                                   pc.greater(flows.column("hs_level"), 0))).to_pylist()
    groups = resolve_groups(cfg.groups, detailed)
    if progress is not None:
        progress("surges", 0, 1)
    surge = surges(be, flows, groups, surge_cfg)
    notes += surge.notes
    if progress is not None:
        progress("surges", 1, 1)
        progress("mirror", 0, 1)
    gid = headline_group(groups, surge.estimates)
    series = be.to_arrow(series_sql(gid)) if gid else pa.table({})
    mirror = mirror_gaps(be, flows, cfg.mirror)
    if progress is not None:
        progress("mirror", 1, 1)
    countries, routes = rank(surge.estimates, mirror, surge_cfg.sanction_date, surge.freq)
    return AnalysisResult(flows, report, groups, surge, mirror, countries, routes, series,
                          replace(cfg, surge=surge_cfg), notes)


def _write_table(table: pa.Table, out: Path, stem: str) -> list[Path]:
    pq.write_table(table, out / f"{stem}.parquet", compression="zstd")
    pacsv.write_csv(table, out / f"{stem}.csv")
    return [out / f"{stem}.parquet", out / f"{stem}.csv"]


def write_outputs(result: AnalysisResult, out: Path, write_flows: bool = True) -> list[Path]:
    """Tables (CSV + Parquet), routes.json and the report (HTML + PNG) in ``out``."""
    from armswatch.trade._report import write_report

    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    paths += _write_table(result.countries, out, "countries")
    paths += _write_table(result.routes, out, "routes")
    paths += _write_table(result.surge.estimates, out, "surges")
    paths += _write_table(result.mirror, out, "mirror")
    if write_flows:
        pq.write_table(result.flows, out / "flows.parquet", compression="zstd")
        paths.append(out / "flows.parquet")
    doc = {"algorithm": {"surge": result.surge.algorithm},
           "sanction_date": result.config.surge.sanction_date.isoformat(),
           "targets": list(result.config.surge.targets),
           "routes": routes_json(result.routes)}
    (out / "routes.json").write_text(json.dumps(doc, indent=1, default=str), encoding="utf-8")
    paths.append(out / "routes.json")
    paths += write_report(result, out)
    return paths
