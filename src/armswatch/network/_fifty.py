"""OFAC's 50 % rule as a fixpoint of portable SQL steps, with a pure-Python reference.

OFAC, "Revised Guidance on Entities Owned by Persons Whose Property and Interests in
Property are Blocked" (2014-08-13) and FAQs 398-402: an entity owned 50 % or more in the
aggregate, directly or indirectly, by one or more blocked persons is itself blocked.
"Indirectly" means through entities that are themselves blocked (50 %+ owned by blocked
persons), so the blocked set is the least fixpoint of

    blocked_0     = listed (blocking) persons
    blocked_(k+1) = blocked_k ∪ { e : Σ share(o → e) for o in blocked_k ≥ 50 % }

A blocked intermediary's whole share counts (FAQ 401 example 3: X owns 50 % of A and
10 % of B, A owns 40 % of B, so B is 50 % owned by blocked persons). Control without
ownership (managers, operators, directors) never blocks (FAQ 398).

The iteration is driven here in Python; every step is SQL that DuckDB and Spark both
run, so the same code scales out. Each round only adds entities (the rule is
monotone), so the loop ends after at most one round per entity in the graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import pyarrow as pa

from armswatch.engine import Backend, SqlStep

THRESHOLD_PCT = 50.0
# Shares are decimal percentages typed by people (33.33 + 16.67): compare with a tolerance.
TOLERANCE_PCT = 1e-6

OWN_SHARE_SCHEMA = pa.schema(
    [("owner_id", pa.string()), ("owned_id", pa.string()), ("share_pct", pa.float64())]
)
SEEDS_SCHEMA = pa.schema([("entity_id", pa.string())])
FIFTY_SCHEMA = pa.schema(
    [
        ("entity_id", pa.string()),
        ("blocked", pa.bool_()),
        ("listed", pa.bool_()),
        ("blocked_share_pct", pa.float64()),
        ("depth", pa.int32()),
    ]
)


@dataclass(frozen=True, slots=True)
class FiftyTables:
    """Names of the tables the SQL steps read and write (override to run side by side)."""

    own_share: str = "own_share"  # owner_id, owned_id, share_pct (direct, aggregated per pair)
    seeds: str = "blocked_seeds"  # entity_id: listed blocking persons
    result: str = "fifty_blocked"  # FIFTY_SCHEMA
    contributions: str = "fifty_contrib"  # owner_id, owned_id, share_pct of blocked owners
    prefix: str = "fifty_round_"


def aggregate_shares_sql(edges: str) -> str:
    """Direct shares per (owner, owned) pair from an edges table (``kind = 'owner'``).

    Several rows for one pair (share classes, or registered and beneficial owner rows)
    add up, capped at 100 %.
    """
    return (
        "SELECT source_id AS owner_id, target_id AS owned_id, "
        "LEAST(SUM(share_pct), 100.0) AS share_pct "
        f"FROM {edges} WHERE kind = 'owner' AND share_pct IS NOT NULL AND share_pct > 0 "
        "AND source_id <> target_id GROUP BY source_id, target_id"
    )


def _seed_step(t: FiftyTables) -> SqlStep:
    return SqlStep(
        f"SELECT DISTINCT entity_id, CAST(0 AS INTEGER) AS depth FROM {t.seeds}", f"{t.prefix}0"
    )


def _round_step(t: FiftyTables, k: int, threshold_pct: float) -> SqlStep:
    prev = f"{t.prefix}{k - 1}"
    limit = threshold_pct - TOLERANCE_PCT
    sql = (
        f"WITH agg AS (SELECT o.owned_id AS entity_id, SUM(o.share_pct) AS share_pct "
        f"FROM {t.own_share} o JOIN {prev} b ON o.owner_id = b.entity_id "
        f"GROUP BY o.owned_id) "
        f"SELECT entity_id, depth FROM {prev} "
        f"UNION ALL "
        f"SELECT a.entity_id, CAST({k} AS INTEGER) AS depth FROM agg a "
        f"LEFT JOIN {prev} p ON a.entity_id = p.entity_id "
        f"WHERE p.entity_id IS NULL AND a.share_pct >= {limit!r}"
    )
    return SqlStep(sql, f"{t.prefix}{k}")


def _final_steps(t: FiftyTables, last: str) -> list[SqlStep]:
    contrib = (
        f"SELECT o.owner_id, o.owned_id, o.share_pct FROM {t.own_share} o "
        f"JOIN {last} b ON o.owner_id = b.entity_id"
    )
    result = (
        f"WITH agg AS (SELECT owned_id, SUM(share_pct) AS share_pct FROM {t.contributions} "
        f"GROUP BY owned_id), "
        f"ids AS (SELECT entity_id FROM {last} UNION SELECT owned_id AS entity_id FROM agg) "
        f"SELECT i.entity_id, b.entity_id IS NOT NULL AS blocked, "
        f"s.entity_id IS NOT NULL AS listed, "
        f"CAST(a.share_pct AS DOUBLE) AS blocked_share_pct, b.depth "
        f"FROM ids i LEFT JOIN {last} b ON i.entity_id = b.entity_id "
        f"LEFT JOIN (SELECT DISTINCT entity_id FROM {t.seeds}) s ON i.entity_id = s.entity_id "
        f"LEFT JOIN agg a ON i.entity_id = a.owned_id"
    )
    return [SqlStep(contrib, t.contributions), SqlStep(result, t.result)]


def run_fifty_percent(
    backend: Backend,
    tables: FiftyTables | None = None,
    threshold_pct: float = THRESHOLD_PCT,
    max_rounds: int | None = None,
) -> int:
    """Run the fixpoint on ``backend`` (tables ``own_share`` and ``seeds`` registered).

    Writes ``tables.result`` (:data:`FIFTY_SCHEMA`: every blocked entity, and every entity
    with any share held by blocked persons) and ``tables.contributions``. Returns the
    number of rounds run. ``max_rounds`` limits the depth of indirect chains (None = none).
    """
    t = tables or FiftyTables()
    backend.run([_seed_step(t)])
    count = _count(backend, f"{t.prefix}0")
    k = 0
    while max_rounds is None or k < max_rounds:
        k += 1
        backend.run([_round_step(t, k, threshold_pct)])
        new_count = _count(backend, f"{t.prefix}{k}")
        if new_count == count:
            break
        count = new_count
    backend.run(_final_steps(t, f"{t.prefix}{k}"))
    return k


def _count(backend: Backend, table: str) -> int:
    value = backend.to_arrow(f"SELECT COUNT(*) AS n FROM {table}").column("n")[0].as_py()
    return int(value)


def fifty_percent(
    shares: Iterable[tuple[str, str, float]],
    seeds: Iterable[str],
    backend: Backend,
    threshold_pct: float = THRESHOLD_PCT,
) -> pa.Table:
    """Convenience: register ``(owner, owned, share_pct)`` triples and seeds, run the rule,
    return :data:`FIFTY_SCHEMA` rows sorted by entity id."""
    rows = list(shares)
    own = pa.table(
        {
            "owner_id": [r[0] for r in rows],
            "owned_id": [r[1] for r in rows],
            "share_pct": pa.array([float(r[2]) for r in rows], pa.float64()),
        },
        schema=OWN_SHARE_SCHEMA,
    )
    seed_tbl = pa.table({"entity_id": sorted(set(seeds))}, schema=SEEDS_SCHEMA)
    backend.register("fifty_edges_in", own)
    backend.register("blocked_seeds", seed_tbl)
    backend.run(
        [
            SqlStep(
                "SELECT owner_id AS source_id, owned_id AS target_id, 'owner' AS kind, "
                "share_pct FROM fifty_edges_in",
                "fifty_edges",
            ),
            SqlStep(aggregate_shares_sql("fifty_edges"), "own_share"),
        ]
    )
    run_fifty_percent(backend, threshold_pct=threshold_pct)
    return backend.to_arrow("SELECT * FROM fifty_blocked ORDER BY entity_id").cast(FIFTY_SCHEMA)


def fifty_percent_reference(
    shares: Iterable[tuple[str, str, float]],
    seeds: Iterable[str],
    threshold_pct: float = THRESHOLD_PCT,
) -> dict[str, int]:
    """Pure-Python reference: blocked entity -> round in which it became blocked."""
    direct: dict[tuple[str, str], float] = defaultdict(float)
    for owner, owned, share in shares:
        if owner != owned and share > 0:
            direct[(owner, owned)] += share
    capped = {pair: min(v, 100.0) for pair, v in direct.items()}
    blocked = dict.fromkeys(seeds, 0)
    k = 0
    while True:
        k += 1
        agg: dict[str, float] = defaultdict(float)
        for (owner, owned), share in capped.items():
            if owner in blocked:
                agg[owned] += share
        new = [e for e, s in agg.items() if e not in blocked and s >= threshold_pct - TOLERANCE_PCT]
        if not new:
            return blocked
        for e in new:
            blocked[e] = k
