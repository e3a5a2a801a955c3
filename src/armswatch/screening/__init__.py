"""Sanctions screening: fuzzy, cross-script, explained matching against loaded lists.

::

    from armswatch.screening import Query, Screener
    screener = Screener.from_paths(["lists/"])          # or Screener.from_entities(entities)
    matches = screener.screen(Query(name="Kim Jong-un", schema="person"))

Pipeline: normalise (scripts to Latin, name parts) → index (candidates) → score
(registered, versioned algorithms) → explain.
"""

from armswatch.screening._algorithms import ALGORITHMS, DEFAULT_ALGORITHM, Algorithm
from armswatch.screening._compare import NameComparison, PartMatch, compare_names
from armswatch.screening._models import Match, Query
from armswatch.screening._names import NameForm, prepare
from armswatch.screening._rules import RULES_V1, RULES_V2, RULES_V3, Rules
from armswatch.screening._screener import BuildStats, Screener, query_family

__all__ = [
    "ALGORITHMS",
    "DEFAULT_ALGORITHM",
    "RULES_V1",
    "RULES_V2",
    "RULES_V3",
    "Algorithm",
    "BuildStats",
    "Match",
    "NameComparison",
    "NameForm",
    "PartMatch",
    "Query",
    "Rules",
    "Screener",
    "compare_names",
    "prepare",
    "query_family",
]
