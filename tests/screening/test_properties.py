"""Invariants of the name comparison (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from armswatch.screening import ALGORITHMS
from armswatch.screening._tokens import PARTICLES, Kind

ALGO = ALGORITHMS.get("armswatch-match")

FAMILIES = st.sampled_from(["person", "org", "vessel", "any"])
WORD = st.text(alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyz")), min_size=2, max_size=9)
NAME = st.lists(WORD, min_size=1, max_size=5).map(" ".join)


def score(a: str, b: str, family: str) -> float:
    return ALGO.pair_score(a, b, family)


def has_title(name: str, family: str) -> bool:
    return any(t.kind is Kind.TITLE for f in ALGO.prepare(name, family) for t in f.tokens)


@settings(max_examples=150, deadline=None)
@given(a=NAME, b=NAME, family=FAMILIES)
def test_score_in_unit_interval_and_symmetric(a: str, b: str, family: str) -> None:
    forward, backward = score(a, b, family), score(b, a, family)
    assert 0.0 <= forward <= 1.0
    if not has_title(a, family) and not has_title(b, family):
        # a query "President X" is read as a reference by office: the only asymmetry
        assert abs(forward - backward) < 1e-9


@settings(max_examples=100, deadline=None)
@given(words=st.lists(WORD, min_size=1, max_size=4, unique=True), family=FAMILIES)
def test_identical_names_score_one(words: list[str], family: str) -> None:
    name = " ".join(words)
    if any(f.parts for f in ALGO.prepare(name, family)):
        assert score(name, name, family) == 1.0


# particles are excluded: "X bin Y" vs "Y bin X" is a different person by design
NAME_PART = WORD.filter(lambda w: w not in PARTICLES)


@settings(max_examples=100, deadline=None)
@given(words=st.lists(NAME_PART, min_size=2, max_size=4, unique=True), data=st.data())
def test_word_order_does_not_matter_for_people(words: list[str], data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(words))
    base = " ".join(words)
    assert abs(score(base, " ".join(shuffled), "person") - score(base, base, "person")) < 1e-9


@settings(max_examples=200, deadline=None)
@given(a=st.text(max_size=60), b=st.text(max_size=60), family=FAMILIES)
def test_never_crashes_on_arbitrary_text(a: str, b: str, family: str) -> None:
    assert 0.0 <= score(a, b, family) <= 1.0
