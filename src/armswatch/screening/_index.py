"""Candidate retrieval: an inverted index over every name and alias of the loaded lists.

Built once. Each listed name is prepared (:func:`prepare`) and each of its parts is
filed under a few *keys* that survive the variation the comparison tolerates:

* ``t:`` the part itself, and ``d:`` the part with one letter deleted (catches one
  typo: insertion, deletion, substitution or transposition);
* ``s:`` its consonant skeleton (transliteration variants, vowel-less scripts);
* ``k:`` its Korean syllable key (Korean names only);
* ``p:`` its first four letters (parts written together or apart).

A query looks up the keys of its own parts, weighs every hit by the key's strength and
the part's rarity (inverse document frequency), and keeps the best-scoring names for
the full comparison. No query scans the whole list.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from armswatch.screening._korean import looks_like_syllable, syllable_key
from armswatch.screening._names import NameForm
from armswatch.screening._tokens import Kind, Tok

# Strength of a hit on each key kind.
_KEY_STRENGTH = {"t": 1.0, "k": 0.95, "s": 0.8, "d": 0.8, "p": 0.5, "i": 1.0}
# Keys shared by more than this share of names are too common to retrieve with alone.
_MAX_POSTING_SHARE = 0.08
# Weak keys (skeleton, deletion, prefix) with more names than this are not followed.
_WEAK_KEY_LIMIT = {"s": 600, "d": 300, "p": 300}


def part_keys(tok: Tok, korean: bool) -> list[str]:
    """The index keys of one name part."""
    if tok.kind in (Kind.TITLE, Kind.STOP, Kind.LEGAL, Kind.PARTICLE, Kind.INITIAL):
        return []
    text = tok.text
    keys = [f"t:{text}"]
    if tok.kind is Kind.NUM:
        return keys
    if len(text) >= 4:
        keys.extend(f"d:{text[:i]}{text[i + 1 :]}" for i in range(len(text)))
        keys.append(f"p:{text[:4]}")
    if len(tok.skel) >= 2 or (tok.abjad and tok.skel):
        keys.append(f"s:{tok.skel}")
    if korean and looks_like_syllable(text):
        keys.append(f"k:{syllable_key(text)}")
    return keys


@dataclass(frozen=True, slots=True)
class IndexedName:
    entity: int  # position of the entity in the screener
    name: int  # position of the name in the entity's names
    form: NameForm


class NameIndex:
    """Inverted index: key -> names carrying it."""

    def __init__(self) -> None:
        self.names: list[IndexedName] = []
        self._postings: dict[str, list[int]] = defaultdict(list)
        self._idf: dict[str, float] = {}
        self._limit = 0
        self._absent = 1.0

    def add(self, entity: int, name: int, form: NameForm) -> None:
        pos = len(self.names)
        self.names.append(IndexedName(entity, name, form))
        seen: set[str] = set()
        for tok in form.tokens:
            for key in part_keys(tok, form.korean):
                if key not in seen:
                    seen.add(key)
                    self._postings[key].append(pos)

    def freeze(self) -> None:
        """Compute rarity weights once all names are in."""
        n = max(len(self.names), 1)
        self._limit = max(200, int(n * _MAX_POSTING_SHARE))
        self._idf = {k: math.log(1.0 + n / len(v)) for k, v in self._postings.items()}
        self._absent = math.log(1.0 + n)
        self._postings = dict(self._postings)

    def candidates(self, forms: tuple[NameForm, ...], limit: int) -> list[tuple[int, float]]:
        """(position, share of the query's evidence found) of the best listed names.

        The share is the idf-weighted fraction of the query's parts that hit a key of the
        listed name; at most ``limit`` names, best first.
        """
        found: dict[int, float] = {}
        for form in forms:
            scores: dict[int, float] = {}
            total = 0.0
            common: list[tuple[float, list[int]]] = []
            for tok in form.tokens:
                keys = part_keys(tok, form.korean)
                if not keys:
                    continue
                best: dict[int, float] = {}
                top = 0.0
                for key in keys:
                    posting = self._postings.get(key)
                    if not posting:
                        continue
                    weight = _KEY_STRENGTH[key[0]] * self._idf[key]
                    top = max(top, weight)
                    if key[0] in _WEAK_KEY_LIMIT and len(posting) > _WEAK_KEY_LIMIT[key[0]]:
                        continue
                    if len(posting) > self._limit:
                        common.append((weight, posting))
                        continue
                    for pos in posting:
                        if best.get(pos, 0.0) < weight:
                            best[pos] = weight
                # a part no listed name has is evidence against every candidate
                total += top if top > 0.0 else self._absent
                for pos, weight in best.items():
                    scores[pos] = scores.get(pos, 0.0) + weight
            if common and len(scores) < limit:
                # only very common parts ("Mohammed", "Company"): use the rarest of them
                weight, posting = max(common, key=lambda c: c[0])
                for pos in posting[: self._limit * 4]:
                    scores[pos] = scores.get(pos, 0.0) + weight
            if total <= 0.0:
                continue
            for pos, score in scores.items():
                share = min(1.0, score / total)
                if share > found.get(pos, 0.0):
                    found[pos] = share
        ranked = sorted(found.items(), key=lambda item: item[1], reverse=True)
        return ranked[:limit]

    @property
    def size(self) -> int:
        return len(self.names)

    @property
    def key_count(self) -> int:
        return len(self._postings)
