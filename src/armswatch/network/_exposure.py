"""Network exposure: how close a party or ship sits to a blocked one, for ranking.

Softer than the 50 % rule: any link counts (ownership, management, operation,
association, family, directorship), each kind attenuating the exposure passed across it.
A blocked node has exposure 1; a neighbour gets ``1 × w(kind)``; two hops away
``w1 × w2``; beyond ``max_hops`` nothing. Links are followed in both directions (a
listed manager taints its ships; a listed ship taints its owner). Exposure is the best
(maximum-product) path, found by ``max_hops`` rounds of portable SQL (Bellman-Ford
style); :func:`exposure_reference` is the pure-Python twin used by the tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import pyarrow as pa

from armswatch.engine import Backend, SqlStep
from armswatch.errors import ConfigError

EXPOSURE_SCHEMA = pa.schema(
    [
        ("node_id", pa.string()),
        ("exposure", pa.float64()),
        ("hops", pa.int32()),
        ("nearest_blocked", pa.string()),
    ]
)


def _default_weights() -> Mapping[str, float]:
    return MappingProxyType(
        {
            "owner": 0.7,
            "manager": 0.6,
            "operator": 0.6,
            "director": 0.5,
            "associate": 0.4,
            "family": 0.4,
        }
    )


@dataclass(frozen=True, slots=True)
class ExposureConfig:
    """Attenuation per link kind (0-1) and the largest number of hops followed."""

    link_weights: Mapping[str, float] = field(default_factory=_default_weights)
    max_hops: int = 4

    def __post_init__(self) -> None:
        if self.max_hops < 0:
            raise ConfigError("exposure max_hops must be >= 0")
        for kind, w in self.link_weights.items():
            if not 0.0 <= w <= 1.0:
                raise ConfigError(f"exposure weight for {kind!r} must be in [0, 1], got {w}")


def _weights_sql(cfg: ExposureConfig) -> str:
    cases = " ".join(
        f"WHEN '{kind}' THEN {float(w)!r}" for kind, w in sorted(cfg.link_weights.items())
    )
    return f"CASE kind {cases} ELSE 0.0 END"


def exposure_steps(
    edges: str, blocked: str, cfg: ExposureConfig, prefix: str = "exposure_"
) -> list[SqlStep]:
    """SQL for every round; ``blocked`` has ``entity_id``; result in ``{prefix}result``."""
    und = (
        f"WITH w AS (SELECT source_id, target_id, {_weights_sql(cfg)} AS w FROM {edges} "
        f"WHERE source_id <> target_id) "
        f"SELECT source_id AS a, target_id AS b, MAX(w) AS w FROM w WHERE w > 0 "
        f"GROUP BY source_id, target_id "
        f"UNION ALL SELECT target_id AS a, source_id AS b, MAX(w) AS w FROM w WHERE w > 0 "
        f"GROUP BY source_id, target_id"
    )
    steps = [
        SqlStep(und, f"{prefix}und"),
        SqlStep(
            f"SELECT DISTINCT entity_id AS node_id, CAST(1.0 AS DOUBLE) AS exposure, "
            f"CAST(0 AS INTEGER) AS hops, entity_id AS nearest_blocked FROM {blocked}",
            f"{prefix}0",
        ),
    ]
    for k in range(1, cfg.max_hops + 1):
        prev = f"{prefix}{k - 1}"
        steps.append(
            SqlStep(
                f"WITH cand AS (SELECT u.b AS node_id, e.exposure * u.w AS exposure, "
                f"e.hops + 1 AS hops, e.nearest_blocked FROM {prev} e "
                f"JOIN {prefix}und u ON e.node_id = u.a "
                f"UNION ALL SELECT node_id, exposure, hops, nearest_blocked FROM {prev}), "
                f"ranked AS (SELECT node_id, exposure, hops, nearest_blocked, ROW_NUMBER() OVER "
                f"(PARTITION BY node_id ORDER BY exposure DESC, hops, nearest_blocked) AS rn "
                f"FROM cand) "
                f"SELECT node_id, exposure, CAST(hops AS INTEGER) AS hops, nearest_blocked "
                f"FROM ranked WHERE rn = 1",
                f"{prefix}{k}",
            )
        )
    steps.append(SqlStep(f"SELECT * FROM {prefix}{cfg.max_hops}", f"{prefix}result"))
    return steps


def run_exposure(
    backend: Backend,
    edges: str,
    blocked: str,
    cfg: ExposureConfig | None = None,
    prefix: str = "exposure_",
) -> str:
    """Run :func:`exposure_steps`; returns the name of the result table."""
    steps = exposure_steps(edges, blocked, cfg or ExposureConfig(), prefix)
    backend.run(steps)
    return steps[-1].output_table_name


def exposure_reference(
    edges: Iterable[tuple[str, str, str]], blocked: Iterable[str], cfg: ExposureConfig | None = None
) -> dict[str, tuple[float, int, str]]:
    """Pure Python: node -> (exposure, hops, nearest blocked) from (source, target, kind)."""
    cfg = cfg or ExposureConfig()
    adj: dict[str, dict[str, float]] = {}
    for s, t, kind in edges:
        w = cfg.link_weights.get(kind, 0.0)
        if s == t or w <= 0:
            continue
        for a, b in ((s, t), (t, s)):
            nb = adj.setdefault(a, {})
            nb[b] = max(nb.get(b, 0.0), w)
    best: dict[str, tuple[float, int, str]] = {b: (1.0, 0, b) for b in blocked}

    def better(x: tuple[float, int, str], y: tuple[float, int, str]) -> bool:
        return (-x[0], x[1], x[2]) < (-y[0], y[1], y[2])

    for _ in range(cfg.max_hops):
        nxt = dict(best)
        for a, (score, hops, near) in best.items():
            for b, w in adj.get(a, {}).items():
                cand = (score * w, hops + 1, near)
                if b not in nxt or better(cand, nxt[b]):
                    nxt[b] = cand
        best = nxt
    return best
