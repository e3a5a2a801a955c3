"""Helpers for fixpoints driven from Python over SQL rounds."""

from __future__ import annotations

from armswatch.engine import Backend


def checkpoint(backend: Backend, table: str) -> None:
    """Re-register ``table`` from its rows, so the next round's plan starts from data.

    Each round of a fixpoint reads the previous round's table; on Spark a view's plan
    carries its whole lineage, which grows with every round (a round reading the previous
    table three times makes the plan three times larger per round). Pulling the (small:
    one row per entity) table to Arrow and registering it again cuts the lineage; on DuckDB
    it is a cheap copy.
    """
    backend.register(table, backend.to_arrow(table))
