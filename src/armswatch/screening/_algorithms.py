"""Screening algorithms, registered by name and version.

A result records ``algorithm="armswatch-match@1"``; that version is never edited in
place, so a past decision can be reproduced. A changed algorithm is registered as a new
version beside the old one and made the default.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from armswatch.registry import Registry
from armswatch.screening._compare import NameComparison, compare_name_sets
from armswatch.screening._features import Feature
from armswatch.screening._names import NameForm


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

    def compare_names(
        self, query: tuple[NameForm, ...], listed: tuple[NameForm, ...]
    ) -> NameComparison | None: ...

    def combine(self, name_score: float, features: list[Feature]) -> float: ...


ALGORITHMS: Registry[Algorithm] = Registry("screening")


@dataclass(frozen=True)
class ArmswatchMatchV1:
    """Part alignment (see :mod:`armswatch.screening._compare`) plus additive evidence.

    Identifier equality lifts the score to at least 0.97; other features add or
    subtract a few points (see :mod:`armswatch.screening._features`).
    """

    name: str = "armswatch-match"
    version: str = "1"
    threshold: float = 0.70
    weak_alias_factor: float = 0.90

    def compare_names(
        self, query: tuple[NameForm, ...], listed: tuple[NameForm, ...]
    ) -> NameComparison | None:
        return compare_name_sets(query, listed)

    def combine(self, name_score: float, features: list[Feature]) -> float:
        score = name_score
        for feat in features:
            if not feat.decisive:
                score += feat.value
        for feat in features:
            if feat.decisive:
                score = max(score, feat.value)
        return max(0.0, min(1.0, score))


ALGORITHMS.register("armswatch-match", "1", default=True)(ArmswatchMatchV1())
DEFAULT_ALGORITHM = "armswatch-match"
