"""Domain records (lists, network, risk, alerts) to the API's response models."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from armswatch.api._models import (
    AlertOut,
    EntityOut,
    LinkOut,
    ListInfo,
    RiskOut,
    VesselDossierOut,
    VesselSummary,
)
from armswatch.model import Entity, Link

if TYPE_CHECKING:
    from armswatch.lists import ListMeta
    from armswatch.risk import Alert, RiskScore, VesselDossier


def list_info(meta: ListMeta) -> ListInfo:
    return ListInfo(
        source=meta.source, publisher=meta.publisher, format=meta.format,
        file=Path(meta.path).name, date=meta.date, sha256=meta.sha256,
        is_sanctions_list=meta.is_sanctions_list, entity_count=meta.entity_count,
        link_count=meta.link_count, by_schema=dict(meta.by_schema),
        skipped_rows=len(meta.skipped), notes=list(meta.notes),
    )


def entity_out(entity: Entity, links: Iterable[Link], captions: dict[str, str]) -> EntityOut:
    out = EntityOut.model_validate(entity)
    link_outs = []
    for link in links:
        lo = LinkOut.model_validate(link)
        other = link.target_id if link.source_id == entity.id else link.source_id
        link_outs.append(lo.model_copy(update={"other_caption": captions.get(other)}))
    return out.model_copy(update={"links": link_outs})


def risk_out(score: RiskScore) -> RiskOut:
    return RiskOut.model_validate(score)


def dossier_out(d: VesselDossier) -> VesselDossierOut:
    return VesselDossierOut.model_validate(
        {
            "vessel_id": d.vessel_id, "imo": d.imo, "names": d.names, "mmsis": d.mmsis,
            "identities": d.identities, "flag": d.flag, "status": d.status,
            "listed_ids": d.listed_ids, "parties": d.parties, "matches": d.matches,
            "event_counts": d.event_counts, "voyages": d.voyages, "deliveries": d.deliveries,
            "risk": d.risk, "explanation": d.risk.explain(),
            "voyage_risk": d.voyage_risk,
        },
        from_attributes=True,
    )


def summary(d: VesselDossier) -> VesselSummary:
    return VesselSummary(
        vessel_id=d.vessel_id, imo=d.imo, names=d.names, mmsis=d.mmsis, flag=d.flag.flag,
        score=d.risk.score, blocked=bool(d.status and d.status.blocked),
        listed=bool(d.listed_ids), event_counts=d.event_counts,
    )


def alert_out(a: Alert) -> AlertOut:
    latest = a.latest
    return AlertOut.model_validate(
        {
            "alert_id": a.alert_id, "subject_kind": a.subject_kind, "subject_id": a.subject_id,
            "vessel_id": a.vessel_id, "created_utc": a.created_utc, "follows": a.follows,
            "state": a.state.value, "score": latest.score, "summary": latest.summary,
            "history": a.history, "versions": a.versions,
        },
        from_attributes=True,
    )
