"""Matching logic of armswatch.detect.evaluate (one-to-one, same type/vessels, overlap)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from armswatch.detect.evaluate import evaluate, evaluate_files, read_events
from armswatch.errors import BadInputError

T0 = datetime(2023, 9, 1, tzinfo=UTC).timestamp()
TYPES = ["ais_gap", "encounter", "port_call", "identity_change", "dark_port_call"]


def iso(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def ev(kind: str, mmsi: int, start_h: float, end_h: float, other: int | None = None
       ) -> dict[str, object]:
    return {"event_id": f"{kind}-{mmsi}-{start_h}", "type": kind, "mmsi": mmsi,
            "other_mmsi": other, "start_utc": iso(T0 + start_h * 3600),
            "end_utc": iso(T0 + end_h * 3600), "lat": 0.0, "lon": 0.0, "end_lat": 0.0,
            "end_lon": 0.0, "port": None, "confidence": 1.0, "details": {}}


events_st = st.lists(
    st.builds(
        lambda kind, m, o, s, d: ev(kind, m, s, s + d, o if kind == "encounter" else None),
        st.sampled_from(TYPES), st.integers(1, 6), st.integers(7, 9),
        st.integers(0, 200), st.integers(0, 30)),
    min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(events_st)
def test_truth_against_itself_is_perfect(truth: list[dict[str, object]]) -> None:
    r = evaluate(truth, truth)
    for s in r.per_type.values():
        assert s.precision == 1.0
        assert s.recall == 1.0
        assert s.median_start_error_s == 0.0
    assert not r.unmatched_truth
    assert not r.unmatched_events


@settings(max_examples=150, deadline=None)
@given(events_st, st.data())
def test_removing_events_lowers_recall_exactly(truth: list[dict[str, object]],
                                               data: st.DataObject) -> None:
    drop = data.draw(st.sets(st.integers(0, len(truth) - 1)))
    kept = [e for i, e in enumerate(truth) if i not in drop]
    r = evaluate(truth, kept)
    for kind, s in r.per_type.items():
        n = sum(1 for e in truth if e["type"] == kind)
        lost = sum(1 for i in drop if truth[i]["type"] == kind)
        assert s.recall == pytest.approx((n - lost) / n)
        assert s.precision in (None, 1.0)
        assert s.detected == n - lost


def test_pairs_are_unordered_and_types_must_agree() -> None:
    t = [ev("encounter", 1, 0, 3, other=2)]
    assert evaluate(t, [ev("encounter", 2, 1, 2, other=1)]).per_type["encounter"].recall == 1.0
    r = evaluate(t, [ev("loitering", 1, 0, 3)])
    assert r.per_type["encounter"].recall == 0.0
    assert r.per_type["loitering"].precision == 0.0
    r = evaluate(t, [ev("encounter", 1, 0, 3)])  # one vessel only: not the same pair
    assert r.per_type["encounter"].recall == 0.0


def test_time_overlap_and_slack() -> None:
    t = [ev("ais_gap", 1, 0, 12)]
    assert evaluate(t, [ev("ais_gap", 1, 12, 30)]).per_type["ais_gap"].recall == 1.0  # touching
    assert evaluate(t, [ev("ais_gap", 1, 13, 30)]).per_type["ais_gap"].recall == 0.0
    r = evaluate(t, [ev("ais_gap", 1, 13, 30)], slack_s=3600)
    assert r.per_type["ais_gap"].recall == 1.0
    assert r.per_type["ais_gap"].median_start_error_s == 13 * 3600


def test_one_to_one_and_maximum() -> None:
    t = [ev("port_call", 1, 0, 10), ev("port_call", 1, 20, 30)]
    # one long event overlapping both truth calls matches one of them only
    r = evaluate(t, [ev("port_call", 1, 0, 30)])
    s = r.per_type["port_call"]
    assert (s.matched, s.precision, s.recall) == (1, 1.0, 0.5)
    # two events on the first call: one is a false event
    r = evaluate(t[:1], [ev("port_call", 1, 0, 5), ev("port_call", 1, 5, 10)])
    assert r.per_type["port_call"].precision == 0.5
    # augmenting path: the greedy choice (closest start) must give way
    t2 = [ev("port_call", 1, 0, 10), ev("port_call", 1, 8, 30)]
    e2 = [ev("port_call", 1, 9, 9.5), ev("port_call", 1, 1, 2)]
    assert evaluate(t2, e2).per_type["port_call"].matched == 2


def test_false_events_per_vessel_days() -> None:
    r = evaluate([], [ev("loitering", 1, 0, 9), ev("loitering", 2, 0, 9)], vessel_days=500)
    s = r.per_type["loitering"]
    assert s.false_per_1000_vessel_days == 4.0
    assert s.recall is None
    assert s.precision == 0.0


def test_files_and_bad_input(tmp_path: Path) -> None:
    good = tmp_path / "t.jsonl"
    good.write_text("\n".join(json.dumps(e) for e in [ev("ais_gap", 1, 0, 13)]) + "\n\n")
    assert evaluate_files(good, good).per_type["ais_gap"].recall == 1.0
    bad = tmp_path / "b.jsonl"
    bad.write_text(json.dumps(ev("ais_gap", 1, 0, 13)) + "\n{not json\n")
    with pytest.raises(BadInputError, match=r"b\.jsonl:2"):
        read_events(bad)
    e = ev("ais_gap", 1, 0, 13)
    del e["mmsi"]
    bad.write_text(json.dumps(e) + "\n")
    with pytest.raises(BadInputError, match="lacks 'mmsi'"):
        read_events(bad)
    e = ev("ais_gap", 1, 5, 1)
    bad.write_text(json.dumps(e) + "\n")
    with pytest.raises(BadInputError, match="before start_utc"):
        read_events(bad)
    e = ev("ais_gap", 1, 0, 1)
    e["start_utc"] = "2023-09-01T00:00:00"
    bad.write_text(json.dumps(e) + "\n")
    with pytest.raises(BadInputError, match="without a zone"):
        read_events(bad)
    with pytest.raises(BadInputError, match="no such file"):
        read_events(tmp_path / "missing.jsonl")
