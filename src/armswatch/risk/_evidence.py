"""Behaviour, port-call and identity evidence per subject (ship or voyage), in SQL.

Input: a table of ``subject_id, event_id, type, port, confidence, end_utc`` (one row per
event that concerns the subject) and ``port_weights(port_id, w)``. Each event gets a
value ``weight × confidence × 0.5 ** (age_days / half_life_days)`` in one of three
components; the steps return per-type sums and the strongest events (the evidence
shown with a score). Portable: DuckDB and Spark run the same statements.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import pyarrow as pa

from armswatch.engine import Backend, SqlStep
from armswatch.geo import Port
from armswatch.risk._config import RiskConfig

TOP_K = 5
_LN2 = 0.6931471805599453
PORT_WEIGHT_SCHEMA = pa.schema([("port_id", pa.string()), ("w", pa.float64())])


def port_weights(ports: Iterable[Port], cfg: RiskConfig) -> pa.Table:
    """``port_id, w``: the largest role weight of each port of concern."""
    rows = []
    for p in ports:
        w = max((cfg.port_role_weights.get(r, 0.0) for r in p.roles), default=0.0)
        if w > 0:
            rows.append({"port_id": p.port_id, "w": w})
    return pa.Table.from_pylist(rows, schema=PORT_WEIGHT_SCHEMA)


def _case(mapping: Mapping[str, float], column: str) -> str:
    whens = " ".join(f"WHEN '{k}' THEN {float(v)!r}" for k, v in sorted(mapping.items()))
    return f"CASE {column} {whens} ELSE 0.0 END" if whens else "0.0"


def evidence_steps(
    subject_events: str, cfg: RiskConfig, as_of: datetime, port_weights_table: str, prefix: str
) -> list[SqlStep]:
    """SQL producing ``{prefix}agg`` (subject_id, component, type, n, x) and ``{prefix}top``
    (subject_id, component, type, event_id, v, rn)."""
    as_of_s = as_of.timestamp()
    decay = (
        f"EXP(-{_LN2!r} * GREATEST({as_of_s!r} - epoch(s.end_utc), 0.0) / 86400.0 "
        f"/ {float(cfg.half_life_days)!r})"
    )
    cols = "s.subject_id, s.event_id, s.type"
    values = (
        f"SELECT {cols}, 'behaviour' AS component, "
        f"{_case(cfg.event_weights, 's.type')} * s.confidence * {decay} AS v "
        f"FROM {subject_events} s "
        f"UNION ALL SELECT {cols}, 'port_calls' AS component, pw.w * s.confidence * {decay} AS v "
        f"FROM {subject_events} s JOIN {port_weights_table} pw ON s.port = pw.port_id "
        f"WHERE s.type IN ('port_call', 'dark_port_call') "
        f"UNION ALL SELECT {cols}, 'identity' AS component, "
        f"{float(cfg.identity_change_weight)!r} * s.confidence * {decay} AS v "
        f"FROM {subject_events} s WHERE s.type = 'identity_change'"
    )
    return [
        SqlStep(f"SELECT * FROM ({values}) t WHERE v > 0", f"{prefix}values"),
        SqlStep(
            f"SELECT subject_id, component, type, COUNT(*) AS n, SUM(v) AS x "
            f"FROM {prefix}values GROUP BY subject_id, component, type",
            f"{prefix}agg",
        ),
        SqlStep(
            f"SELECT * FROM (SELECT subject_id, component, type, event_id, v, ROW_NUMBER() OVER "
            f"(PARTITION BY subject_id, component ORDER BY v DESC, event_id) AS rn "
            f"FROM {prefix}values) t WHERE rn <= {TOP_K}",
            f"{prefix}top",
        ),
    ]


@dataclass(slots=True)
class ComponentEvidence:
    """Per-type counts and weighted sums of one component, and its strongest events."""

    counts: dict[str, int] = field(default_factory=dict)
    x: float = 0.0
    top: list[str] = field(default_factory=list)


Evidence = dict[str, dict[str, ComponentEvidence]]  # subject_id -> component -> evidence


def collect_evidence(
    backend: Backend,
    subject_events: str,
    cfg: RiskConfig,
    as_of: datetime,
    ports: Sequence[Port],
    prefix: str,
) -> Evidence:
    """Run :func:`evidence_steps` and gather the results by subject and component."""
    backend.register(f"{prefix}port_weights", port_weights(ports, cfg))
    backend.run(evidence_steps(subject_events, cfg, as_of, f"{prefix}port_weights", prefix))
    out: Evidence = defaultdict(dict)
    for r in backend.to_arrow(
        f"SELECT * FROM {prefix}agg ORDER BY subject_id, component, type"
    ).to_pylist():
        ev = out[r["subject_id"]].setdefault(r["component"], ComponentEvidence())
        ev.counts[r["type"]] = int(r["n"])
        ev.x += float(r["x"])
    for r in backend.to_arrow(
        f"SELECT * FROM {prefix}top ORDER BY subject_id, component, rn"
    ).to_pylist():
        out[r["subject_id"]][r["component"]].top.append(r["event_id"])
    return dict(out)
