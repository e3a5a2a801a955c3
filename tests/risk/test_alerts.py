from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from armswatch.errors import BadInputError
from armswatch.risk import AlertCandidate, AlertState, AlertStore

NOW = datetime(2024, 1, 1, tzinfo=UTC)


def _cand(subject: str = "imo-9179842", evidence: tuple[str, ...] = ("e1", "e2")) -> AlertCandidate:
    return AlertCandidate("vessel", subject, subject, 0.8, "test", evidence, "vessel_risk@1")


def test_lifecycle_with_history(tmp_path: Path) -> None:
    with AlertStore(tmp_path / "a.duckdb") as store:
        rep = store.raise_alerts([_cand()], NOW)
        (aid,) = rep.created
        assert store.get(aid).state is AlertState.NEW
        store.review(aid, "under_review", "ana", "looking", NOW + timedelta(hours=1))
        a = store.review(
            aid, AlertState.ESCALATED, "ana", "owner is listed", NOW + timedelta(hours=2)
        )
        assert [h.state for h in a.history] == ["new", "under_review", "escalated"]
        assert a.history[-1].actor == "ana"
        assert a.history[-1].comment == "owner is listed"
        assert a.history[-1].ts_utc == NOW + timedelta(hours=2)
    # persisted across connections
    with AlertStore(tmp_path / "a.duckdb") as store:
        assert store.get(aid).state is AlertState.ESCALATED
        assert [x.alert_id for x in store.alerts(["escalated"])] == [aid]
        assert store.alerts(["new"]) == []


def test_bad_transitions_and_missing_comment(tmp_path: Path) -> None:
    with AlertStore(tmp_path / "a.duckdb") as store:
        (aid,) = store.raise_alerts([_cand()], NOW).created
        with pytest.raises(BadInputError, match="needs a comment"):
            store.review(aid, "dismissed", "ana", "  ", NOW)
        store.review(aid, "dismissed", "ana", "known ferry", NOW)
        with pytest.raises(BadInputError, match="can move to under_review, not escalated"):
            store.review(aid, "escalated", "ana", "x", NOW)
        with pytest.raises(BadInputError, match="unknown alert state"):
            store.review(aid, "closed", "ana", "x", NOW)
        with pytest.raises(BadInputError, match="no alert"):
            store.get("al-nope")


def test_dismissed_not_raised_again_for_same_evidence(tmp_path: Path) -> None:
    with AlertStore(tmp_path / "a.duckdb") as store:
        (aid,) = store.raise_alerts([_cand()], NOW).created
        store.review(aid, "dismissed", "ana", "false positive", NOW)
        again = store.raise_alerts([_cand()], NOW + timedelta(days=1))
        assert again.suppressed == [aid]
        assert again.created == []
        subset = store.raise_alerts([_cand(evidence=("e2",))], NOW + timedelta(days=1))
        assert subset.suppressed == [aid]  # nothing new: still suppressed
        new = store.raise_alerts([_cand(evidence=("e1", "e2", "e3"))], NOW + timedelta(days=2))
        (aid2,) = new.created
        assert store.get(aid2).follows == aid


def test_open_alert_gets_new_evidence_version(tmp_path: Path) -> None:
    with AlertStore(tmp_path / "a.duckdb") as store:
        (aid,) = store.raise_alerts([_cand()], NOW).created
        assert store.raise_alerts([_cand()], NOW).unchanged == [aid]
        rep = store.raise_alerts([_cand(evidence=("e1", "e2", "e9"))], NOW + timedelta(days=1))
        assert rep.updated == [aid]
        a = store.get(aid)
        assert [v.version for v in a.versions] == [1, 2]
        assert a.latest.evidence == ("e1", "e2", "e9")
        assert a.state is AlertState.NEW


def test_store_is_append_only(tmp_path: Path) -> None:
    """Every write is an INSERT: row counts only grow through a whole lifecycle."""
    path = tmp_path / "a.duckdb"
    counts: list[tuple[int, int, int]] = []

    def snapshot() -> None:
        con = duckdb.connect(str(path), read_only=True)
        counts.append(
            tuple(  # type: ignore[arg-type]
                con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]  # type: ignore[index]
                for t in ("alerts", "alert_evidence", "alert_history")
            )
        )
        con.close()

    store = AlertStore(path)
    (aid,) = store.raise_alerts([_cand()], NOW).created
    store.close()
    snapshot()
    for state, comment in (("under_review", None), ("dismissed", "fp"), ("under_review", "re")):
        store = AlertStore(path)
        store.review(aid, state, "ana", comment, NOW)
        store.close()
        snapshot()
    assert all(a <= b for x, y in itertools.pairwise(counts) for a, b in zip(x, y, strict=True))
    assert counts[-1] == (1, 1, 4)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.sets(st.sampled_from(["a", "b", "c", "d"]), min_size=1), min_size=1, max_size=6))
def test_dismissed_evidence_never_realerts(evidence_sets: list[set[str]]) -> None:
    store = AlertStore(":memory:")
    dismissed: set[str] = set()
    for ev in evidence_sets:
        rep = store.raise_alerts([_cand(evidence=tuple(sorted(ev)))], NOW)
        if ev <= dismissed:
            assert rep.created == []
        for aid in rep.created + rep.updated:
            a = store.get(aid)
            if a.state is not AlertState.DISMISSED:
                store.review(aid, "dismissed", "bot", "fp", NOW)
                dismissed |= {e for v in store.get(aid).versions for e in v.evidence}
    store.close()
