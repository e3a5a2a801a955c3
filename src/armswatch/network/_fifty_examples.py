"""Worked examples of OFAC's 50 % rule, as a typed table (used by tests and the benchmark).

Paraphrased from OFAC FAQ 401 (examples 1-3, 2014-08-13), the aggregation rule of FAQ 399,
and cases that follow from the definition of "indirectly" (ownership only through blocked
entities) where an entity is *not* blocked.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FiftyExample:
    name: str
    shares: tuple[tuple[str, str, float], ...]
    seeds: tuple[str, ...]
    blocked: frozenset[str]  # expected blocked set, seeds included
    not_blocked: frozenset[str] = frozenset()


FIFTY_EXAMPLES: tuple[FiftyExample, ...] = (
    FiftyExample("direct 50 %", (("X", "A", 50),), ("X",), frozenset({"X", "A"})),
    FiftyExample(
        "FAQ 401 ex. 1: indirect chain X-50->A-50->B",
        (("X", "A", 50), ("A", "B", 50)),
        ("X",),
        frozenset({"X", "A", "B"}),
    ),
    FiftyExample(
        "FAQ 401 ex. 2: X 50 % of A and B, A and B 25 % each of C",
        (("X", "A", 50), ("X", "B", 50), ("A", "C", 25), ("B", "C", 25)),
        ("X",),
        frozenset({"X", "A", "B", "C"}),
    ),
    FiftyExample(
        "FAQ 401 ex. 3: X 50 % of A, 10 % of B; A 40 % of B",
        (("X", "A", 50), ("X", "B", 10), ("A", "B", 40)),
        ("X",),
        frozenset({"X", "A", "B"}),
    ),
    FiftyExample(
        "FAQ 399: aggregation across blocked persons X 25 % + Y 25 %",
        (("X", "A", 25), ("Y", "A", 25)),
        ("X", "Y"),
        frozenset({"X", "Y", "A"}),
    ),
    FiftyExample(
        "aggregation then chain: X 25 % + Y 25 % of A, A 50 % of B",
        (("X", "A", 25), ("Y", "A", 25), ("A", "B", 50)),
        ("X", "Y"),
        frozenset({"X", "Y", "A", "B"}),
    ),
    FiftyExample(
        "not blocked: X 50 % of A, A only 30 % of B",
        (("X", "A", 50), ("A", "B", 30)),
        ("X",),
        frozenset({"X", "A"}),
        frozenset({"B"}),
    ),
    FiftyExample(
        "not blocked: 20 % + 25 % = 45 % in aggregate",
        (("X", "A", 20), ("Y", "A", 25)),
        ("X", "Y"),
        frozenset({"X", "Y"}),
        frozenset({"A"}),
    ),
    FiftyExample(
        "not blocked: X 40 % of A, so A's 100 % of B is not indirect ownership by X",
        (("X", "A", 40), ("A", "B", 100)),
        ("X",),
        frozenset({"X"}),
        frozenset({"A", "B"}),
    ),
    FiftyExample(
        "not blocked: unblocked owners' shares never count (Z unlisted owns 60 %)",
        (("X", "A", 40), ("Z", "A", 60)),
        ("X",),
        frozenset({"X"}),
        frozenset({"A", "Z"}),
    ),
    FiftyExample(
        "decimal shares 33.33 + 16.67 reach 50 %",
        (("X", "A", 33.33), ("Y", "A", 16.67)),
        ("X", "Y"),
        frozenset({"X", "Y", "A"}),
    ),
    FiftyExample(
        "cross-holdings: A and B own 50 % of each other, X owns 50 % of A",
        (("A", "B", 50), ("B", "A", 50), ("X", "A", 50)),
        ("X",),
        frozenset({"X", "A", "B"}),
    ),
    FiftyExample(
        "cycle with no blocked owner stays unblocked",
        (("A", "B", 60), ("B", "A", 60)),
        ("X",),
        frozenset({"X"}),
        frozenset({"A", "B"}),
    ),
)
