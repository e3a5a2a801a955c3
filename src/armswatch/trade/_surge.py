"""Surges: build the (group, partner, reporter, period) panel in SQL, estimate per group.

The relational work (usable cells, prefix matching of product groups, dropping CN8
children of heading totals, the panel with all goods and TOTAL) is SQL run by the backend;
the estimate per (flow, group, currency) is the pure kernel :func:`estimate_group` run
through :meth:`Backend.map_groups`. Flags use Benjamini-Hochberg over every candidate test.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from armswatch.engine import Backend
from armswatch.errors import BadInputError
from armswatch.registry import Registry
from armswatch.trade._did import SURGE_SCHEMA, SurgeConfig, benjamini_hochberg, estimate_group
from armswatch.trade._groups import ALL, ProductGroup
from armswatch.trade._sql import (
    ALL_GROUP,
    cells_steps,
    group_steps,
    mixed_currency_sql,
    panel_steps,
)

SurgeMethod = Callable[..., "SurgeResult"]
SURGE_METHODS: Registry[SurgeMethod] = Registry("trade surge")

RESULT_SCHEMA = (SURGE_SCHEMA.append(pa.field("q_value", pa.float64()))
                 .append(pa.field("flagged", pa.bool_()))
                 .append(pa.field("group_label", pa.string()))
                 .append(pa.field("group_kind", pa.string())))


@dataclass
class SurgeResult:
    """Estimates per (flow, group, partner) and the panel they came from."""

    estimates: pa.Table
    freq: str
    notes: list[str] = field(default_factory=list)
    algorithm: str = ""


def minimal_prefixes(prefixes: Sequence[str]) -> list[str]:
    """Drop prefixes that extend another prefix of the same group (they add nothing)."""
    out: list[str] = []
    for p in sorted(set(prefixes), key=lambda x: (len(x), x)):
        if not any(p.startswith(q) for q in out):
            out.append(p)
    return sorted(out)


def _prefix_table(groups: Sequence[ProductGroup]) -> pa.Table:
    rows = [(g.group_id, p, len(p)) for g in groups if g.kind != ALL
            for p in minimal_prefixes(g.prefixes)]
    return pa.table({
        "group_id": pa.array([r[0] for r in rows], pa.string()),
        "prefix": pa.array([r[1] for r in rows], pa.string()),
        "plen": pa.array([r[2] for r in rows], pa.int32()),
    })


def _kernel(cfg: SurgeConfig, freq: str) -> Callable[[pa.Table], pa.Table]:
    def run(table: pa.Table) -> pa.Table:
        flow = table.column("flow")[0].as_py()
        group = table.column("group_id")[0].as_py()
        currency = table.column("currency")[0].as_py()
        rows = estimate_group(table, cfg, flow, group, currency, freq)
        return pa.Table.from_pylist(rows, schema=SURGE_SCHEMA)
    return run


def prepare_panel(backend: Backend, flows: pa.Table, groups: Sequence[ProductGroup],
                  ) -> tuple[str, list[str]]:
    """Register inputs and build ``tw_panel``; returns (frequency, notes)."""
    notes: list[str] = []
    backend.register("tw_flows", flows)
    backend.run(cells_steps(backend, "tw_flows"))
    mixed = backend.to_arrow(mixed_currency_sql()).to_pylist()
    if mixed:
        desc = ", ".join(f"{r['flow']}s with {r['partner']} ({r['c1']}, {r['c2']})" for r in mixed)
        raise BadInputError(f"mixed currencies in one series: {desc}; convert the inputs to one "
                            "currency first (e.g. --fx rates.csv)")
    freqs = backend.to_arrow("SELECT freq, COUNT(*) AS n FROM tw_cells WHERE hs_level > 0 "
                             "GROUP BY freq").to_pylist()
    if not freqs:
        raise BadInputError("no detailed (product-level) trade cells in the inputs: surges need "
                            "product codes below TOTAL")
    freq = "M" if any(r["freq"] == "M" for r in freqs) else "A"
    other = sum(int(r["n"]) for r in freqs if r["freq"] != freq)
    if other:
        notes.append(f"{other:,} detailed cells at another frequency than {freq} were left out "
                     "of the surge panel")
    levels = [int(r["hs_level"]) for r in backend.to_arrow(
        "SELECT DISTINCT hs_level FROM tw_cells WHERE hs_level > 0").to_pylist()]
    prefixes = _prefix_table(groups)
    backend.register("tw_group_prefixes", prefixes)
    ids = [g.group_id for g in groups]
    if ALL_GROUP not in ids:
        ids.append(ALL_GROUP)
    backend.register("tw_groups", pa.table({"group_id": pa.array(ids, pa.string())}))
    plens = sorted(set(prefixes.column("plen").to_pylist()))
    backend.run([*group_steps(plens, levels, freq), *panel_steps(freq)])
    return freq, notes


@SURGE_METHODS.register("did-ratio-of-means", "1", default=True)
def surges(backend: Backend, flows: pa.Table, groups: Sequence[ProductGroup],
           config: SurgeConfig | None = None) -> SurgeResult:
    """Difference-in-differences estimates for every (flow, group, partner)."""
    cfg = config or SurgeConfig()
    freq, notes = prepare_panel(backend, flows, groups)
    backend.map_groups("tw_panel", ["flow", "group_id", "currency"], _kernel(cfg, freq),
                       SURGE_SCHEMA, "tw_surge", order_by=["partner", "reporter", "period"])
    est = backend.to_arrow("SELECT * FROM tw_surge")
    keep = {g.group_id for g in groups}
    if est.num_rows:
        est = est.filter(pc.is_in(est.column("group_id"), pa.array(sorted(keep), pa.string())))
        est = est.filter(pc.is_in(est.column("flow"), pa.array(list(cfg.flows), pa.string())))
    est = finalise(est, cfg, groups)
    return SurgeResult(est, freq, notes, SURGE_METHODS.ref("did-ratio-of-means"))


def finalise(est: pa.Table, cfg: SurgeConfig, groups: Sequence[ProductGroup]) -> pa.Table:
    """Add BH q-values, the flag, and group labels."""
    rows = est.to_pylist()
    cand = [i for i, r in enumerate(rows) if not r["is_target"] and r["status"] == "ok"]
    q = benjamini_hochberg([rows[i]["p_surge"] for i in cand])
    qv: dict[int, float | None] = dict(zip(cand, q, strict=True))
    labels = {g.group_id: (g.label, g.kind) for g in groups}
    min_log = float(np.log(cfg.min_ratio))
    for i, r in enumerate(rows):
        r["q_value"] = qv.get(i)
        qi = r["q_value"]
        r["flagged"] = bool(
            i in qv and qi is not None and qi <= cfg.alpha and r["estimate"] is not None
            and r["estimate"] >= min_log)
        r["group_label"], r["group_kind"] = labels.get(r["group_id"], (r["group_id"], ""))
    rows.sort(key=lambda r: (not r["flagged"], -(r["ci_low"] if r["ci_low"] is not None
                                                  else -np.inf)))
    return pa.Table.from_pylist(rows, schema=RESULT_SCHEMA)
