"""The speed-ups of retrieval and comparison changed no result.

The digests below were recorded with the code as it was before the compiled retrieval
(``_postings.py``) and the pruned join pass (``_compare._spelt_half_alike``) existed:
every query's top 10 (entity, matched name, score, is_match, features, explanation),
for both registered versions, over real queries (yente negatives and UN positives,
every 4th; rigour's Putin variants) against OFAC SDN + UN, and the name scores of
name_bench's 826 pairs. A change that moves any of them is not a pure speed-up: it
must become a new algorithm version instead.
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest

from armswatch.lists import read_lists
from armswatch.screening import ALGORITHMS, Query, Screener
from tests.conftest import need

# Recorded before the speed-ups (see the module docstring).
RECORDED = {
    "armswatch-match@2": "e8ce2a84e5d1325a62e377fdc916b98158aa65d2bed4acb5053b59f999eed568",
    "armswatch-match@1": "0a02e9ceef1b18ed2e1f9e86c8c3ccc91a895f4325af1136f557ce5bdf69be7d",
    "pairs@2": "9ac21f8f3cdbf17326d825ebdf3a96ed94bdecda66a76906e08f129cb6053f0f",
    "pairs@1": "b6fef663ccbfe478e87880027008d8d378695289a1bdf8bbc2d1918e29b1847a",
}


def _queries() -> list[str]:
    names: list[str] = []
    for rel, column in (
        ("screening/yente/validation_negatives_global_1000.csv", "full_name"),
        ("screening/yente/validation_negatives_us_1000.csv", "full_name"),
        ("screening/yente/positives_un_untreated.csv", "full_name"),
    ):
        with need(rel).open(encoding="utf-8") as fh:
            names += [row[column] for row in csv.DictReader(fh)][::4]
    text = need("screening/rigour/putin_names.txt").read_text(encoding="utf-8")
    names += [line.strip() for line in text.splitlines() if line.strip()]
    return names


def screen_digest(screener: Screener, names: list[str]) -> str:
    """sha256 over every query's top 10, in order."""
    h = hashlib.sha256()
    for name in names:
        for m in screener.screen(Query(name=name, top=10)):
            row = [name, m.entity_id, m.matched_name, m.query_name, m.score, m.is_match]
            row += [sorted(m.features.items()), m.explanation, m.algorithm]
            h.update(json.dumps(row, ensure_ascii=False).encode())
    return h.hexdigest()


def pair_digest(ref: str) -> str:
    """sha256 over the name scores of name_bench's pairs (score as stored, 17 digits)."""
    algo = ALGORITHMS.get(ref)
    h = hashlib.sha256()
    path = need("screening/nomenklatura/name_bench_cases.csv")
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            score = algo.pair_score(row["name1"], row["name2"], row["schema"])
            h.update(f"{score!r}\n".encode())
    return h.hexdigest()


@pytest.fixture(scope="module")
def entities() -> list[object]:
    paths: list[Path] = [
        need("sanctions/ofac/sdn_2024-05-03.csv"),
        need("sanctions/un/UN_consolidated_2026-02-27.xml"),
    ]
    return list(read_lists(paths).entities)


@pytest.mark.slow
@pytest.mark.parametrize("ref", ["armswatch-match@2", "armswatch-match@1"])
def test_screen_results_unchanged(entities: list[object], ref: str) -> None:
    screener = Screener(entities, algorithm=ref)  # type: ignore[arg-type]
    assert screen_digest(screener, _queries()) == RECORDED[ref]


@pytest.mark.parametrize("ref", ["armswatch-match@2", "armswatch-match@1"])
def test_pair_scores_unchanged(ref: str) -> None:
    assert pair_digest(ref) == RECORDED["pairs@" + ref.rsplit("@", 1)[1]]


def test_compiled_retrieval_equals_its_python_source(
    entities: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The numba kernel computes what its Python source computes (the same shares, in the
    same order), on real queries."""
    from armswatch.screening import _index, _postings

    screener = Screener(entities[:3000])  # type: ignore[arg-type]
    queries = [f for f in (screener.algorithm.prepare(n, "any") for n in _queries()[:200]) if f]
    compiled = [screener._index.candidates(forms, 16) for forms in queries]
    monkeypatch.setattr(_index, "compiled", lambda: _postings.gather_shares)
    python = [screener._index.candidates(forms, 16) for forms in queries]
    assert python == compiled
    assert sum(map(len, compiled)) > 100  # the queries found candidates
