"""The screener: load lists once, index every name, answer queries.

::

    screener = Screener.from_paths(["../shared/data/sanctions"])
    for match in screener.screen(Query(name="Kim Jong-un", schema="person")):
        print(match.score, match.entity_name, match.explanation)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from armswatch.errors import BadInputError
from armswatch.model import Entity, NameKind, Schema
from armswatch.screening._algorithms import ALGORITHMS, DEFAULT_ALGORITHM, Algorithm
from armswatch.screening._compare import NameComparison
from armswatch.screening._features import (
    Feature,
    country_feature,
    dob_feature,
    identifier_feature,
    normalize_identifier,
)
from armswatch.screening._index import NameIndex
from armswatch.screening._models import Match, Query
from armswatch.screening._names import NameForm, family_of, prepare

# Which listed schemata a query of each family may return.
_COMPATIBLE: dict[str, frozenset[Schema]] = {
    "person": frozenset({Schema.PERSON, Schema.LEGAL_ENTITY}),
    "org": frozenset({Schema.ORGANIZATION, Schema.COMPANY, Schema.LEGAL_ENTITY}),
    "vessel": frozenset({Schema.VESSEL}),
    "airplane": frozenset({Schema.AIRPLANE}),
    "any": frozenset(Schema),
}
_QUERY_FAMILY = {
    "person": "person", "individual": "person", "people": "person",
    "company": "org", "organization": "org", "organisation": "org", "org": "org",
    "entity": "org", "legalentity": "any",
    "vessel": "vessel", "ship": "vessel",
    "airplane": "airplane", "aircraft": "airplane",
    "any": "any", "thing": "any", "": "any",
}  # fmt: skip
CANDIDATES_PER_QUERY = 16  # at most this many names are fully compared per query
MIN_SHARE = 0.30  # ... and only those sharing this share of the query's (weighted) parts
RELATIVE_SHARE = 0.5  # ... and at least half the share of the best-retrieved name


def query_family(schema: str | None) -> str:
    """The family of a query's schema; BadInputError for an unknown one."""
    key = (schema or "").strip().lower()
    if key not in _QUERY_FAMILY:
        known = "person, company, organization, vessel, airplane, any"
        raise BadInputError(f"unknown schema {schema!r}: expected one of {known}")
    return _QUERY_FAMILY[key]


def _name_family(family: str) -> str:
    return "vessel" if family == "airplane" else family


@dataclass(frozen=True, slots=True)
class BuildStats:
    entities: int
    names: int
    keys: int
    seconds: float


class Screener:
    """Screens queries against a fixed set of listed entities."""

    def __init__(
        self,
        entities: Sequence[Entity],
        algorithm: str = DEFAULT_ALGORITHM,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        started = time.perf_counter()
        self.algorithm: Algorithm = ALGORITHMS.get(algorithm)
        self.algorithm_ref = f"{self.algorithm.name}@{self.algorithm.version}"
        self.entities: list[Entity] = list(entities)
        self._forms: list[list[tuple[NameForm, ...]]] = []
        self._index = NameIndex()
        self._by_identifier: dict[str, list[int]] = {}
        total = len(self.entities)
        for pos, entity in enumerate(self.entities):
            family = _name_family(family_of(entity.schema.value))
            forms_of_entity: list[tuple[NameForm, ...]] = []
            for n, name in enumerate(entity.names):
                forms = prepare(name.value, family)
                forms_of_entity.append(forms)
                for form in forms:
                    self._index.add(pos, n, form)
            self._forms.append(forms_of_entity)
            for ident in entity.identifiers:
                norm = normalize_identifier(ident.kind.value, ident.value)
                if norm:
                    self._by_identifier.setdefault(norm, []).append(pos)
            if progress is not None and (pos % 1000 == 0 or pos == total - 1):
                progress(pos + 1, total)
        self._index.freeze()
        self.stats = BuildStats(
            total, self._index.size, self._index.key_count, time.perf_counter() - started
        )

    @classmethod
    def from_entities(
        cls, entities: Iterable[Entity], algorithm: str = DEFAULT_ALGORITHM
    ) -> Screener:
        return cls(list(entities), algorithm)

    @classmethod
    def from_paths(
        cls, paths: Sequence[str | Path], algorithm: str = DEFAULT_ALGORITHM
    ) -> Screener:
        """Read every list file in ``paths`` (files or folders, format auto-detected)."""
        from armswatch.lists import read_lists

        data = read_lists(list(paths))
        if not data.entities:
            raise BadInputError(f"no sanctions list found in {', '.join(map(str, paths))}")
        return cls(data.entities, algorithm)

    @property
    def threshold(self) -> float:
        return self.algorithm.threshold

    def screen(self, query: Query) -> list[Match]:
        """The best ``query.top`` candidates, best first (empty if nothing comes close)."""
        family = query_family(query.schema)
        threshold = self.threshold if query.threshold is None else query.threshold
        forms = prepare(query.name, _name_family(family))
        allowed = _COMPATIBLE[family]
        best: dict[int, tuple[float, NameComparison, int]] = {}
        if forms:
            ranked = self._index.candidates(forms, CANDIDATES_PER_QUERY)
            floor = max(MIN_SHARE, RELATIVE_SHARE * ranked[0][1]) if ranked else 1.0
            for pos, share in ranked:
                if share < floor:
                    break
                indexed = self._index.names[pos]
                entity = self.entities[indexed.entity]
                if entity.schema not in allowed or not self._passes_filters(entity, query):
                    continue
                cmp = self.algorithm.compare_names(forms, (indexed.form,))
                if cmp is None or cmp.score <= 0.0:
                    continue
                score = cmp.score
                if entity.names[indexed.name].kind is NameKind.WEAK:
                    score *= self.algorithm.weak_alias_factor
                held = best.get(indexed.entity)
                if held is None or score > held[0]:
                    best[indexed.entity] = (score, cmp, indexed.name)
        for pos in self._identifier_hits(query):
            entity = self.entities[pos]
            if pos in best or entity.schema not in allowed:
                continue
            if not self._passes_filters(entity, query):
                continue
            best[pos] = self._best_name(forms, pos)
        scored = []
        for pos, (name_score, cmp, name_pos) in best.items():
            features = self._features(query, self.entities[pos])
            score = self.algorithm.combine(name_score, features)
            scored.append((score, self.entities[pos].id, pos, name_score, cmp, name_pos, features))
        scored.sort(key=lambda item: (-item[0], item[1]))
        return [
            self._match(query, pos, score, name_score, cmp, name_pos, features, threshold)
            for score, _, pos, name_score, cmp, name_pos, features in scored[: query.top]
        ]

    # -- internals -------------------------------------------------------------------

    def _identifier_hits(self, query: Query) -> list[int]:
        hits: list[int] = []
        for kind, value in query.identifiers.items():
            norm = normalize_identifier(kind, value)
            if norm:
                hits.extend(self._by_identifier.get(norm, []))
        return hits

    def _best_name(
        self, forms: tuple[NameForm, ...], pos: int
    ) -> tuple[float, NameComparison, int]:
        best: tuple[float, NameComparison, int] | None = None
        for n, listed in enumerate(self._forms[pos]):
            cmp = self.algorithm.compare_names(forms, listed) if forms and listed else None
            if cmp is not None and (best is None or cmp.score > best[0]):
                best = (cmp.score, cmp, n)
        if best is None:
            empty = NameComparison(0.0, *_placeholder_forms(self.entities[pos]))
            return 0.0, empty, 0
        return best

    @staticmethod
    def _passes_filters(entity: Entity, query: Query) -> bool:
        if query.lists and not any(want.lower() in entity.source.lower() for want in query.lists):
            return False
        if query.programs:
            have = [p.upper() for p in entity.programs]
            if not any(p.startswith(want.upper()) for want in query.programs for p in have):
                return False
        return True

    @staticmethod
    def _features(query: Query, entity: Entity) -> list[Feature]:
        found = (
            identifier_feature(query.identifiers, entity),
            dob_feature(query.birth_date, entity),
            country_feature(query.countries, entity),
        )
        return [f for f in found if f is not None]

    def _match(
        self,
        query: Query,
        pos: int,
        score: float,
        name_score: float,
        cmp: NameComparison,
        name_pos: int,
        features: list[Feature],
        threshold: float,
    ) -> Match:
        entity = self.entities[pos]
        matched = entity.names[name_pos].value if entity.names else ""
        scores = {"name": round(name_score, 4)}
        scores.update({f.name: round(f.value, 4) for f in features})
        bits = [f"{query.name!r} ~ {matched!r}: {cmp.explain()}"]
        if entity.names and entity.names[name_pos].kind is NameKind.WEAK:
            bits.append("weak alias")
        bits.extend(f"{f.name}: {f.detail}" for f in features)
        bits.append(f"list {entity.source} id {entity.source_id}")
        if entity.programs:
            bits.append("programs " + ", ".join(entity.programs))
        return Match(
            entity_id=entity.id,
            schema=entity.schema.value,
            entity_name=entity.caption,
            matched_name=matched,
            query_name=" ".join(t.text for t in cmp.query.tokens) if cmp.query.tokens else "",
            score=round(score, 4),
            is_match=score >= threshold,
            lists=(entity.source,),
            programs=tuple(entity.programs),
            source_id=entity.source_id,
            features=scores,
            explanation="; ".join(bits),
            algorithm=self.algorithm_ref,
        )


def _placeholder_forms(entity: Entity) -> tuple[NameForm, NameForm]:
    empty = NameForm(entity.caption, "any", (), False, ())
    return empty, empty
