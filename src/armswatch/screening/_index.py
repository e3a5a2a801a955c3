"""Candidate retrieval: an inverted index over every name and alias of the loaded lists.

Built once. Each listed name is prepared (:func:`prepare`) and each of its parts is
filed under a few *keys* that survive the variation the comparison tolerates:

* ``t:`` the part itself, and ``d:`` the part with one letter deleted (catches one
  typo: insertion, deletion, substitution or transposition); rules @2 file the part
  and its deletions under ``e:`` alike, so one insertion on either side is found;
* ``f:`` (rules @2) its phonetic key, with and without a grammatical ending;
* ``g:`` (rules @2) the given-name groups it belongs to (Bill and William);
* ``s:`` its consonant skeleton (transliteration variants, vowel-less scripts);
* ``k:`` its Korean syllable key (Korean names only);
* ``p:`` its first four letters (parts written together or apart).

A query looks up the keys of its own parts, weighs every hit by the key's strength and
the part's rarity (inverse document frequency), and keeps the best-scoring names for
the full comparison. No query scans the whole list.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from armswatch.screening._kontsevich import CYRILLIC_GLYPH, reading_keys
from armswatch.screening._korean import looks_like_syllable, syllable_key
from armswatch.screening._names import NameForm
from armswatch.screening._phonetic import name_groups, phonetic_key, stems
from armswatch.screening._postings import compiled
from armswatch.screening._rules import Rules
from armswatch.screening._tokens import Kind, Tok

# Strength of a hit on each key kind.
_KEY_STRENGTH = {
    "t": 1.0, "k": 0.95, "f": 0.9, "g": 0.85, "s": 0.8, "d": 0.8, "e": 0.8, "p": 0.5, "i": 1.0,
}  # fmt: skip
# Keys shared by more than this share of names are too common to retrieve with alone.
_MAX_POSTING_SHARE = 0.08
# Weak keys (skeleton, deletion, prefix) with more names than this are not followed.
_WEAK_KEY_LIMIT = {"s": 600, "d": 300, "e": 300, "p": 300}


def part_keys(tok: Tok, korean: bool, rules: Rules) -> list[str]:
    """The index keys of one name part."""
    if tok.kind in (Kind.TITLE, Kind.STOP, Kind.LEGAL, Kind.PARTICLE, Kind.INITIAL):
        return []
    text = tok.text
    keys = [f"t:{text}"]
    if tok.kind is Kind.NUM:
        return keys
    if len(text) >= 4:
        if rules.phonetic:
            # symmetric deletions: a part and its one-letter deletions under one key
            # kind, so that an insertion on either side is found (putyin/putin)
            keys.append(f"e:{text}")
            keys.extend(f"e:{text[:i]}{text[i + 1 :]}" for i in range(len(text)))
        else:
            keys.extend(f"d:{text[:i]}{text[i + 1 :]}" for i in range(len(text)))
        keys.append(f"p:{text[:4]}")
    if rules.phonetic and len(text) >= 3:
        keys.extend(f"f:{k}" for k in {phonetic_key(text), *stems(text)})
    if rules.nicknames and tok.kind is Kind.NAME:
        keys.extend(f"g:{g}" for g in name_groups(text))
    if len(tok.skel) >= 2 or (tok.abjad and tok.skel):
        keys.append(f"s:{tok.skel}")
    if korean and looks_like_syllable(text):
        keys.append(f"k:{syllable_key(text)}")
    if rules.cyrillic_korean and tok.glyph.startswith(CYRILLIC_GLYPH):
        # every syllable the Cyrillic may write ("Чен": jong, chon, ...)
        keys.extend(f"k:{k}" for k in sorted(reading_keys(tok.glyph[len(CYRILLIC_GLYPH) :])))
    return keys


@lru_cache(maxsize=200_000)
def _part_keys(tok: Tok, korean: bool, rules: Rules) -> tuple[str, ...]:
    return tuple(part_keys(tok, korean, rules))


@dataclass(frozen=True, slots=True)
class IndexedName:
    entity: int  # position of the entity in the screener
    name: int  # position of the name in the entity's names
    form: NameForm


class NameIndex:
    """Inverted index: key -> names carrying it."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.names: list[IndexedName] = []
        self._building: dict[str, list[int]] | None = defaultdict(list)
        # key -> (its id in the flat postings, how many names carry it, weight of a hit)
        self._keys: dict[str, tuple[int, int, float]] = {}
        self._data = np.zeros(0, np.int32)
        self._offsets = np.zeros(1, np.int64)
        self._limit = 0
        self._absent = 1.0

    def add(self, entity: int, name: int, form: NameForm) -> None:
        if self._building is None:
            raise RuntimeError("the index is frozen: names are added before freeze()")
        pos = len(self.names)
        self.names.append(IndexedName(entity, name, form))
        seen: set[str] = set()
        for tok in form.tokens:
            for key in _part_keys(tok, form.korean, self.rules):
                if key not in seen:
                    seen.add(key)
                    self._building[key].append(pos)

    def freeze(self) -> None:
        """Compute rarity weights once all names are in; flatten the postings."""
        postings = self._building if self._building is not None else {}
        n = max(len(self.names), 1)
        self._limit = max(200, int(n * _MAX_POSTING_SHARE))
        self._absent = math.log(1.0 + n)
        lengths = np.fromiter((len(v) for v in postings.values()), np.int64, len(postings))
        self._offsets = np.zeros(len(postings) + 1, np.int64)
        np.cumsum(lengths, out=self._offsets[1:])
        self._data = np.fromiter(
            itertools.chain.from_iterable(postings.values()), np.int32, int(self._offsets[-1])
        )
        self._keys = {
            key: (kid, len(v), _KEY_STRENGTH[key[0]] * math.log(1.0 + n / len(v)))
            for kid, (key, v) in enumerate(postings.items())
        }
        self._building = None

    def candidates(self, forms: tuple[NameForm, ...], limit: int) -> list[tuple[int, float]]:
        """(position, share of the query's evidence found) of the best listed names.

        The share is the idf-weighted fraction of the query's parts that hit a key of the
        listed name; at most ``limit`` names, best first (ties: the first hit first).
        """
        form_tok_end: list[int] = []
        tok_key_end: list[int] = []
        key_ids: list[int] = []
        key_weights: list[float] = []
        totals: list[float] = []
        common_keys: list[int] = []
        common_weights: list[float] = []
        keys_of = self._keys
        for form in forms:
            total = 0.0
            common: list[tuple[float, int]] = []
            for tok in form.tokens:
                keys = _part_keys(tok, form.korean, self.rules)
                if not keys:
                    continue
                top = 0.0
                for key in keys:
                    found = keys_of.get(key)
                    if found is None:
                        continue
                    kid, size, weight = found
                    top = max(top, weight)
                    if key[0] in _WEAK_KEY_LIMIT and size > _WEAK_KEY_LIMIT[key[0]]:
                        continue
                    if size > self._limit:
                        common.append((weight, kid))
                        continue
                    key_ids.append(kid)
                    key_weights.append(weight)
                # a part no listed name has is evidence against every candidate
                total += top if top > 0.0 else self._absent
                tok_key_end.append(len(key_ids))
            form_tok_end.append(len(tok_key_end))
            totals.append(total)
            # only very common parts ("Mohammed", "Company"): the rarest of them, if
            # the form finds fewer than ``limit`` names otherwise
            weight, kid = max(common, key=lambda c: c[0]) if common else (0.0, -1)
            common_keys.append(kid)
            common_weights.append(weight)
        order, shares = compiled()(
            self._data,
            self._offsets,
            len(self.names),
            limit,
            self._limit * 4,
            np.array(form_tok_end, np.int64),
            np.array(tok_key_end, np.int64),
            np.array(key_ids, np.int64),
            np.array(key_weights, np.float64),
            np.array(totals, np.float64),
            np.array(common_keys, np.int64),
            np.array(common_weights, np.float64),
        )
        # the same as sorted(..., reverse=True)[:limit]: a stable sort by share
        best = np.argsort(-shares, kind="stable")[:limit]
        return [(int(order[i]), float(shares[i])) for i in best]

    @property
    def size(self) -> int:
        return len(self.names)

    @property
    def key_count(self) -> int:
        return len(self._keys) if self._building is None else len(self._building)
