"""Screening algorithms, registered by name and version.

A result records ``algorithm="armswatch-match@3"``; a version is never edited in
place, so a past decision can be reproduced: ``armswatch-match@1`` and ``@2`` stay
runnable beside ``@3`` (the default). What a version does is data (:class:`Rules`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from armswatch.registry import Registry
from armswatch.screening._compare import NameComparison, compare_name_sets
from armswatch.screening._features import Feature
from armswatch.screening._names import NameForm, family_of, prepare
from armswatch.screening._rules import RULES_V1, RULES_V2, RULES_V3, Rules


class Algorithm(Protocol):
    """Compares names and combines the evidence into one score in [0, 1]."""

    @property
    def name(self) -> str: ...

    @property
    def version(self) -> str: ...

    @property
    def threshold(self) -> float:
        """The default match threshold."""

    @property
    def weak_alias_factor(self) -> float:
        """Multiplies the name score of a weak (low-quality) alias."""

    @property
    def rules(self) -> Rules:
        """What the version does when preparing and comparing names."""

    def prepare(self, name: str, family: str) -> tuple[NameForm, ...]: ...

    def compare_names(
        self, query: tuple[NameForm, ...], listed: tuple[NameForm, ...]
    ) -> NameComparison | None: ...

    def combine(self, name_score: float, features: list[Feature]) -> float: ...

    def pair_score(self, query: str, listed: str, schema: str | None = None) -> float:
        """Name score of two names (schema: a FtM schema or person/org/vessel/any)."""


ALGORITHMS: Registry[Algorithm] = Registry("screening")


@dataclass(frozen=True)
class ArmswatchMatch:
    """Part alignment (see :mod:`armswatch.screening._compare`) plus additive evidence.

    Identifier equality lifts the score to at least 0.97; other features add or
    subtract a few points (see :mod:`armswatch.screening._features`).
    """

    version: str
    rules: Rules
    name: str = "armswatch-match"
    threshold: float = 0.70
    weak_alias_factor: float = 0.90

    def prepare(self, name: str, family: str) -> tuple[NameForm, ...]:
        return prepare(name, family, self.rules)

    def compare_names(
        self, query: tuple[NameForm, ...], listed: tuple[NameForm, ...]
    ) -> NameComparison | None:
        return compare_name_sets(query, listed, self.rules)

    def combine(self, name_score: float, features: list[Feature]) -> float:
        score = name_score
        for feat in features:
            if not feat.decisive:
                score += feat.value
        for feat in features:
            if feat.decisive:
                score = max(score, feat.value)
        return max(0.0, min(1.0, score))

    def pair_score(self, query: str, listed: str, schema: str | None = None) -> float:
        family = family_of(schema)
        cmp = self.compare_names(self.prepare(query, family), self.prepare(listed, family))
        return cmp.score if cmp is not None else 0.0


ALGORITHMS.register("armswatch-match", "1")(ArmswatchMatch("1", RULES_V1))
ALGORITHMS.register("armswatch-match", "2")(ArmswatchMatch("2", RULES_V2))
ALGORITHMS.register("armswatch-match", "3", default=True)(ArmswatchMatch("3", RULES_V3))
DEFAULT_ALGORITHM = "armswatch-match"
