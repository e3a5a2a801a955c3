"""OFAC 50 % rule: the worked examples of OFAC's guidance, and properties of the fixpoint.

Examples paraphrase OFAC FAQ 401 (2014-08-13, "Entities Owned by Blocked Persons") and the
aggregation rule of FAQ 399; "control is not ownership" is FAQ 398.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from armswatch.engine import DuckDBBackend
from armswatch.network import FIFTY_EXAMPLES as CASES
from armswatch.network import FiftyExample, fifty_percent, fifty_percent_reference


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_ofac_examples_sql(case: FiftyExample) -> None:
    with DuckDBBackend() as be:
        out = fifty_percent(case.shares, case.seeds, be)
    rows = {r["entity_id"]: r for r in out.to_pylist()}
    blocked = {e for e, r in rows.items() if r["blocked"]}
    assert blocked == case.blocked
    assert not (case.not_blocked & blocked)
    assert {e for e, r in rows.items() if r["listed"]} == set(case.seeds) & set(rows)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_ofac_examples_reference(case: FiftyExample) -> None:
    assert set(fifty_percent_reference(case.shares, case.seeds)) == case.blocked


def test_explains_share_and_depth() -> None:
    with DuckDBBackend() as be:
        shares = (("X", "A", 50), ("X", "B", 10), ("A", "B", 40), ("A", "C", 30))
        out = fifty_percent(shares, ["X"], be)
    rows = {r["entity_id"]: r for r in out.to_pylist()}
    assert rows["B"]["blocked_share_pct"] == pytest.approx(50.0)
    assert rows["B"]["depth"] == 2  # blocked in round 2, after A
    assert rows["A"]["depth"] == 1
    # minority holdings of blocked persons are reported (OFAC urges caution) but not blocked
    assert rows["C"]["blocked"] is False
    assert rows["C"]["blocked_share_pct"] == pytest.approx(30.0)


names = st.sampled_from([f"e{i}" for i in range(8)])
edges = st.lists(
    st.tuples(names, names, st.sampled_from([5.0, 10.0, 20.0, 25.0, 30.0, 40.0, 50.0, 60.0])),
    max_size=20,
)


@settings(max_examples=60, deadline=None)
@given(edges, st.sets(names, max_size=3), st.sets(names, max_size=3))
def test_adding_a_blocked_owner_never_unblocks(
    shares: list[tuple[str, str, float]], seeds: set[str], more: set[str]
) -> None:
    before = fifty_percent_reference(shares, seeds)
    after = fifty_percent_reference(shares, seeds | more)
    assert set(before) <= set(after)


@settings(max_examples=15, deadline=None)
@given(edges, st.sets(names, max_size=3))
def test_sql_equals_reference(shares: list[tuple[str, str, float]], seeds: set[str]) -> None:
    with DuckDBBackend() as be:
        out = fifty_percent(shares, seeds, be)
    sql = {r["entity_id"]: r["depth"] for r in out.to_pylist() if r["blocked"]}
    assert sql == fifty_percent_reference(shares, seeds)


@settings(max_examples=15, deadline=None)
@given(edges, st.sets(names, max_size=3), st.sets(names, max_size=3))
def test_sql_monotone_in_seeds(
    shares: list[tuple[str, str, float]], seeds: set[str], more: set[str]
) -> None:
    with DuckDBBackend() as be:
        a = {r["entity_id"] for r in fifty_percent(shares, seeds, be).to_pylist() if r["blocked"]}
        b = {
            r["entity_id"]
            for r in fifty_percent(shares, seeds | more, be).to_pylist()
            if r["blocked"]
        }
    assert a <= b
