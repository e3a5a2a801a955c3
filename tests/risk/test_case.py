from __future__ import annotations

import pytest

from armswatch.risk import RiskConfig, analyse
from tests.risk.case_factory import inputs


@pytest.fixture(scope="module")
def case():  # type: ignore[no-untyped-def]
    return analyse(inputs())


def test_shuttle_ranks_first_with_explained_components(case) -> None:  # type: ignore[no-untyped-def]
    top = case.vessel_scores[0]
    assert top.vessel_id == "imo-9179842"
    sanc = top.component("sanctions")
    assert sanc.value == 0.9
    assert "50 % rule" in sanc.explanation
    assert top.component("deliveries").value > 0.8
    assert "KP-RJN→RU-VYP" in top.component("deliveries").explanation
    assert top.component("port_calls").value > 0
    assert top.component("flag").explanation.startswith("flag KP")
    assert top.algorithm == "vessel_risk@1"
    assert 0.0 <= top.score <= 1.0
    assert all(0.0 <= s.score <= 1.0 for s in case.vessel_scores)


def test_innocent_ship_scores_low_and_shows_exposure(case) -> None:  # type: ignore[no-untyped-def]
    d = case.vessel("8016835")
    assert d is not None
    assert d.mmsis == [636_000_004]
    assert d.risk.score < 0.5
    exp = d.risk.component("exposure")
    assert exp.value == pytest.approx(0.49)
    assert d.risk.component("sanctions").value == 0.0
    roles = {p.role for p in d.parties}
    assert roles == {"registered_owner", "commercial_operator"}


def test_dossier_parties_and_history(case) -> None:  # type: ignore[no-untyped-def]
    d = case.vessel("445000001")
    assert d.vessel_id == "imo-9179842"
    owners = [(p.caption, p.end) for p in d.parties if p.role == "registered_owner"]
    assert ("Old Owner Shipping SA", "2022-02") in owners  # history kept in the dossier
    east = next(p for p in d.parties if p.caption == "Eastern Shuttle Shipping LLC")
    assert east.status is not None
    assert east.status.blocked
    assert len(d.deliveries) == 2
    assert set(d.voyage_risk) == {v.voyage_id for v in d.voyages}


def test_voyage_scores_rank_delivery_voyages_first(case) -> None:  # type: ignore[no-untyped-def]
    top = case.voyage_scores[0]
    assert top.subject_kind == "voyage"
    assert top.component("deliveries").value > 0
    innocent = [s for s in case.voyage_scores if s.vessel_id == "mmsi-636000004"]
    assert innocent == []  # the innocent ship keys by IMO: see below
    d_voy = [s for s in case.voyage_scores if s.vessel_id == "imo-8016835"]
    assert d_voy
    assert max(s.score for s in d_voy) < top.score


def test_alert_candidates_threshold(case) -> None:  # type: ignore[no-untyped-def]
    cands = case.alert_candidates(0.5)
    ids = [c.subject_id for c in cands]
    assert "imo-9179842" in ids
    assert "imo-8016835" not in ids
    assert all(c.evidence for c in cands)
    assert case.alert_candidates(cfg=RiskConfig(alert_threshold=1.0)) == []


def test_transshipment_receiver_is_scored(case) -> None:  # type: ignore[no-untyped-def]
    recv = case.vessel("273000003")
    assert recv is not None
    assert recv.risk.component("deliveries").value > 0
    assert [d.kind for d in case.deliveries_between(["dprk_port"], ["russian_port"])].count(
        "transshipment"
    ) == 1
