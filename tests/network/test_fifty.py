"""OFAC 50 % rule: the worked examples of OFAC's guidance, and properties of the fixpoint.

Examples paraphrase OFAC FAQ 401 (2014-08-13, "Entities Owned by Blocked Persons") and the
aggregation rule of FAQ 399; "control is not ownership" is FAQ 398.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from armswatch.engine import DuckDBBackend
from armswatch.network import fifty_percent, fifty_percent_reference


@dataclass(frozen=True)
class Case:
    name: str
    shares: tuple[tuple[str, str, float], ...]
    seeds: tuple[str, ...]
    blocked: frozenset[str]  # expected blocked set, seeds included
    not_blocked: frozenset[str] = frozenset()


CASES = (
    Case("direct 50 %", (("X", "A", 50),), ("X",), frozenset({"X", "A"})),
    Case(
        "FAQ 401 ex. 1: indirect chain X-50->A-50->B",
        (("X", "A", 50), ("A", "B", 50)),
        ("X",),
        frozenset({"X", "A", "B"}),
    ),
    Case(
        "FAQ 401 ex. 2: X 50 % of A and B, A and B 25 % each of C",
        (("X", "A", 50), ("X", "B", 50), ("A", "C", 25), ("B", "C", 25)),
        ("X",),
        frozenset({"X", "A", "B", "C"}),
    ),
    Case(
        "FAQ 401 ex. 3: X 50 % of A, 10 % of B; A 40 % of B",
        (("X", "A", 50), ("X", "B", 10), ("A", "B", 40)),
        ("X",),
        frozenset({"X", "A", "B"}),
    ),
    Case(
        "FAQ 399: aggregation across blocked persons X 25 % + Y 25 %",
        (("X", "A", 25), ("Y", "A", 25)),
        ("X", "Y"),
        frozenset({"X", "Y", "A"}),
    ),
    Case(
        "aggregation then chain: X 25 % + Y 25 % of A, A 50 % of B",
        (("X", "A", 25), ("Y", "A", 25), ("A", "B", 50)),
        ("X", "Y"),
        frozenset({"X", "Y", "A", "B"}),
    ),
    Case(
        "not blocked: X 50 % of A, A only 30 % of B",
        (("X", "A", 50), ("A", "B", 30)),
        ("X",),
        frozenset({"X", "A"}),
        frozenset({"B"}),
    ),
    Case(
        "not blocked: 20 % + 25 % = 45 % in aggregate",
        (("X", "A", 20), ("Y", "A", 25)),
        ("X", "Y"),
        frozenset({"X", "Y"}),
        frozenset({"A"}),
    ),
    Case(
        "not blocked: X 40 % of A, so A's 100 % of B is not indirect ownership by X",
        (("X", "A", 40), ("A", "B", 100)),
        ("X",),
        frozenset({"X"}),
        frozenset({"A", "B"}),
    ),
    Case(
        "not blocked: unblocked owners' shares never count (Z unlisted owns 60 %)",
        (("X", "A", 40), ("Z", "A", 60)),
        ("X",),
        frozenset({"X"}),
        frozenset({"A", "Z"}),
    ),
    Case(
        "decimal shares 33.33 + 16.67 reach 50 %",
        (("X", "A", 33.33), ("Y", "A", 16.67)),
        ("X", "Y"),
        frozenset({"X", "Y", "A"}),
    ),
    Case(
        "cross-holdings: A and B own 50 % of each other, X owns 50 % of A",
        (("A", "B", 50), ("B", "A", 50), ("X", "A", 50)),
        ("X",),
        frozenset({"X", "A", "B"}),
    ),
    Case(
        "cycle with no blocked owner stays unblocked",
        (("A", "B", 60), ("B", "A", 60)),
        ("X",),
        frozenset({"X"}),
        frozenset({"A", "B"}),
    ),
)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_ofac_examples_sql(case: Case) -> None:
    with DuckDBBackend() as be:
        out = fifty_percent(case.shares, case.seeds, be)
    rows = {r["entity_id"]: r for r in out.to_pylist()}
    blocked = {e for e, r in rows.items() if r["blocked"]}
    assert blocked == case.blocked
    assert not (case.not_blocked & blocked)
    assert {e for e, r in rows.items() if r["listed"]} == set(case.seeds) & set(rows)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_ofac_examples_reference(case: Case) -> None:
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


@settings(max_examples=40, deadline=None)
@given(edges, st.sets(names, max_size=3))
def test_sql_equals_reference(shares: list[tuple[str, str, float]], seeds: set[str]) -> None:
    with DuckDBBackend() as be:
        out = fifty_percent(shares, seeds, be)
    sql = {r["entity_id"]: r["depth"] for r in out.to_pylist() if r["blocked"]}
    assert sql == fifty_percent_reference(shares, seeds)


@settings(max_examples=40, deadline=None)
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
