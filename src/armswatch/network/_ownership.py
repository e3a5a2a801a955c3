"""Sanction status of every party and ship: the 50 % rule plus network exposure.

:func:`analyse_ownership` loads an :class:`OwnershipGraph` into a backend, runs the 50 %
fixpoint (:mod:`._fifty`) and the exposure rounds (:mod:`._exposure`) as SQL steps and
returns one row per node with the reasons kept (blocked share, round, nearest blocked).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from armswatch.engine import Backend, SqlStep
from armswatch.network._exposure import ExposureConfig, run_exposure
from armswatch.network._fifty import (
    THRESHOLD_PCT,
    FiftyTables,
    aggregate_shares_sql,
    run_fifty_percent,
)
from armswatch.network._graph import OwnershipGraph

STATUS_SCHEMA = pa.schema(
    [
        ("node_id", pa.string()),
        ("schema", pa.string()),
        ("caption", pa.string()),
        ("listed", pa.bool_()),
        ("blocking", pa.bool_()),
        ("blocked", pa.bool_()),
        ("blocked_share_pct", pa.float64()),
        ("depth", pa.int32()),
        ("exposure", pa.float64()),
        ("hops", pa.int32()),
        ("nearest_blocked", pa.string()),
    ]
)


@dataclass(frozen=True, slots=True)
class PartyStatus:
    """Sanctions status of one node, with its reasons."""

    node_id: str
    schema: str
    caption: str
    listed: bool  # on a loaded list
    blocking: bool  # on a list whose designations block
    blocked: bool  # listed on a blocking list, or blocked by the 50 % rule
    blocked_share_pct: float | None  # aggregate share held by blocked persons
    depth: int | None  # 0 = listed; k = blocked in round k of the 50 % rule
    exposure: float  # 0-1, best path to a blocked node
    hops: int | None
    nearest_blocked: str | None

    @property
    def reason(self) -> str:
        if self.depth == 0:
            return "listed"
        if self.blocked:
            return f"50 % rule: {self.blocked_share_pct:.4g} % owned by blocked persons"
        if self.exposure > 0 and self.hops:
            return f"{self.hops} link(s) from blocked {self.nearest_blocked}"
        return "no link to a blocked party"


@dataclass(frozen=True, slots=True)
class OwnershipResult:
    status: pa.Table  # STATUS_SCHEMA, one row per node
    contributions: pa.Table  # owner_id, owned_id, share_pct: shares held by blocked owners
    edges: pa.Table  # the edges used (EDGE_SCHEMA)
    rounds: int

    def by_node(self) -> dict[str, PartyStatus]:
        return {r["node_id"]: PartyStatus(**r) for r in self.status.to_pylist()}


def analyse_ownership(
    graph: OwnershipGraph,
    backend: Backend,
    as_of: str | None = None,
    exposure: ExposureConfig | None = None,
    threshold_pct: float = THRESHOLD_PCT,
) -> OwnershipResult:
    """Blocked status (50 % rule) and exposure of every node, on ``as_of`` (partial ISO
    date; None = current links)."""
    edges = graph.edges_table(as_of)
    backend.register("graph_nodes", graph.nodes_table())
    backend.register("graph_edges", edges)
    backend.run(
        [
            SqlStep(aggregate_shares_sql("graph_edges"), "own_share"),
            SqlStep("SELECT node_id AS entity_id FROM graph_nodes WHERE blocking", "blocked_seeds"),
        ]
    )
    rounds = run_fifty_percent(backend, FiftyTables(), threshold_pct=threshold_pct)
    backend.run([SqlStep("SELECT entity_id FROM fifty_blocked WHERE blocked", "blocked_all")])
    result = run_exposure(backend, "graph_edges", "blocked_all", exposure)
    backend.run(
        [
            SqlStep(
                "SELECT n.node_id, n.schema, n.caption, n.listed, n.blocking, "
                "COALESCE(f.blocked, FALSE) AS blocked, f.blocked_share_pct, f.depth, "
                "COALESCE(x.exposure, 0.0) AS exposure, x.hops, x.nearest_blocked "
                f"FROM graph_nodes n LEFT JOIN fifty_blocked f ON n.node_id = f.entity_id "
                f"LEFT JOIN {result} x ON n.node_id = x.node_id",
                "party_status",
            )
        ]
    )
    status = backend.to_arrow("SELECT * FROM party_status ORDER BY node_id").cast(STATUS_SCHEMA)
    contrib = backend.to_arrow("SELECT * FROM fifty_contrib ORDER BY owned_id, owner_id")
    return OwnershipResult(status=status, contributions=contrib, edges=edges, rounds=rounds)
