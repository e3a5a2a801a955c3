"""Real lists read once per test session (read-only use: do not mutate the results)."""

from __future__ import annotations

from functools import cache

from armswatch.lists import ListData, read_list
from tests.conftest import need

SDN_2024 = "sanctions/ofac/sdn_2024-05-03.csv"
SET_2021 = "sanctions/ofac/consistent_2021-07-07/sdn.csv"
CONS = "sanctions/ofac/consolidated_nonsdn_2025-12-19/cons_prim.csv"
UN = "sanctions/un/UN_consolidated_2026-02-27.xml"


@cache
def _read(relpath: str) -> ListData:
    return read_list(need(relpath))


def shared_list(relpath: str) -> ListData:
    """The list at ``relpath`` under the shared data folder (skips when absent)."""
    need(relpath)  # skip cleanly (not cached) when the file is missing
    return _read(relpath)
