"""One explained case from detector events, AIS statics, sanctions lists and registry
tables: ships (identities over time, owners and their status), voyages, deliveries,
risk scores and alert candidates. This is the Python API the CLI and the HTTP API call.

:func:`analyse` takes explicit inputs; :func:`build_case` finds them in a work folder.
All relational work runs as SQL steps on one :class:`armswatch.engine.Backend`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from armswatch.engine import Backend, DuckDBBackend, SqlStep
from armswatch.errors import BadInputError
from armswatch.geo import Port, load_ports
from armswatch.model import Entity, Link, LinkKind
from armswatch.model.tables import EVENTS_SCHEMA
from armswatch.network import (
    AisIdentity,
    Delivery,
    DeliveryConfig,
    IdentityResult,
    ListMatch,
    OwnershipResult,
    PartyStatus,
    RegistryTable,
    VesselRecord,
    Voyage,
    analyse_ownership,
    build_graph,
    find_deliveries,
    load_voyages,
    read_registry,
    resolve_identities,
    vessel_events_steps,
    voyage_steps,
)
from armswatch.network._graph import OwnershipGraph, valid_on
from armswatch.network._identity_fuzzy import screening_matcher
from armswatch.risk._alerts import AlertCandidate
from armswatch.risk._config import RiskConfig
from armswatch.risk._evidence import collect_evidence
from armswatch.risk._flags import FlagRisk, FlagTable, bundled_flag_table
from armswatch.risk._score import RISK_MODELS, PartyLink, RiskScore, VesselFacts

log = logging.getLogger(__name__)

NON_BLOCKING_SOURCES = frozenset({"us_ofac_cons"})  # OFAC non-SDN lists: no blocking
_PARTY_KINDS = frozenset({LinkKind.OWNER, LinkKind.MANAGER, LinkKind.OPERATOR})


@dataclass(frozen=True, slots=True)
class PartyRecord:
    """An owner, manager or operator of a ship over time, with its sanctions status."""

    role: str
    node_id: str
    caption: str
    share_pct: float | None
    start: str | None
    end: str | None
    origin: str
    status: PartyStatus | None


@dataclass(slots=True)
class VesselDossier:
    vessel_id: str
    imo: str | None
    names: list[str]
    mmsis: list[int]
    identities: list[AisIdentity]  # as broadcast, with first/last seen
    flag: FlagRisk
    status: PartyStatus | None
    listed_ids: list[str]
    parties: list[PartyRecord]
    matches: list[ListMatch]
    event_counts: dict[str, int]
    voyages: list[Voyage]
    deliveries: list[Delivery]
    risk: RiskScore
    voyage_risk: dict[str, RiskScore] = field(default_factory=dict)


@dataclass(slots=True)
class Case:
    as_of_utc: datetime
    algorithm: str
    vessels: dict[str, VesselDossier]
    voyages: list[Voyage]
    deliveries: list[Delivery]
    vessel_scores: list[RiskScore]  # highest first
    voyage_scores: list[RiskScore]  # highest first
    ownership: OwnershipResult
    identity: IdentityResult
    notes: list[str]
    list_entities: dict[str, Entity] = field(default_factory=dict)

    def vessel(self, key: str) -> VesselDossier | None:
        """A dossier by vessel id, IMO number or MMSI."""
        rec = self.identity.vessel_of(key)
        if rec is not None:
            return self.vessels.get(rec.vessel_id)
        return self.vessels.get(key) or self.vessels.get(f"mmsi-{key}")

    def alert_candidates(
        self, threshold: float | None = None, cfg: RiskConfig | None = None
    ) -> list[AlertCandidate]:
        """Ships whose score reaches the alert threshold, with their evidence ids."""
        limit = threshold if threshold is not None else (cfg or RiskConfig()).alert_threshold
        return [
            AlertCandidate(
                "vessel", s.subject_id, s.vessel_id, s.score, s.explain(), s.evidence, s.algorithm
            )
            for s in self.vessel_scores
            if s.score >= limit
        ]

    def deliveries_between(
        self, from_roles: Sequence[str], to_roles: Sequence[str]
    ) -> list[Delivery]:
        return [
            d
            for d in self.deliveries
            if set(d.origin_roles) & set(from_roles) and set(d.destination_roles) & set(to_roles)
        ]


@dataclass(frozen=True, slots=True)
class CaseInputs:
    events: pa.Table | Path | Sequence[Path]
    statics: pa.Table | Path | Sequence[Path] | None = None
    list_entities: Sequence[Entity] = ()
    list_links: Sequence[Link] = ()
    blocking_sources: frozenset[str] | None = None  # None: every list but NON_BLOCKING_SOURCES
    registries: Sequence[RegistryTable] = ()
    ports: Sequence[Port] | None = None
    as_of_utc: datetime | None = None  # default: the end of the last event


def _register(backend: Backend, name: str, data: pa.Table | Path | Sequence[Path]) -> None:
    if isinstance(data, pa.Table):
        backend.register(name, data)
        return
    paths = [data] if isinstance(data, Path) else list(data)
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise BadInputError(f"{name} file not found", missing[0])
    backend.register(name, paths[0] if len(paths) == 1 else paths)


def _check_events(backend: Backend) -> None:
    cols = set(backend.to_arrow("SELECT * FROM events LIMIT 0").column_names)
    missing = [f.name for f in EVENTS_SCHEMA if f.name not in cols]
    if missing:
        raise BadInputError(f"events table lacks columns {missing} (expected EVENTS_SCHEMA)")


def _parties(
    graph: OwnershipGraph, edges: list[Link], vid: str, by_node: dict[str, PartyStatus]
) -> list[PartyRecord]:
    out = []
    for e in edges:
        if e.target_id != vid or e.kind not in _PARTY_KINDS:
            continue
        node = graph.nodes.get(e.source_id)
        out.append(
            PartyRecord(
                e.role or e.kind.value,
                e.source_id,
                node.caption if node else e.source_id,
                e.share_pct,
                e.start,
                e.end,
                e.origin,
                by_node.get(e.source_id),
            )
        )
    return sorted(out, key=lambda p: (p.end is not None, p.start or "", p.role))


def _flag(flags: FlagTable, listed: list[Entity], mmsi: int | None) -> FlagRisk:
    for ent in listed:
        if ent.flag:
            risk = flags.risk(ent.flag)
            if risk.flag:
                return risk
    return flags.risk(None, mmsi)


def analyse(
    inputs: CaseInputs,
    cfg: RiskConfig | None = None,
    deliveries_cfg: DeliveryConfig | None = None,
    model: str = "vessel_risk",
    backend: Backend | None = None,
    flags: FlagTable | None = None,
    fuzzy_names: bool = True,
) -> Case:
    """Run identity resolution, voyages, deliveries, the 50 % rule and the risk scores."""
    cfg = cfg or RiskConfig()
    flags = flags or bundled_flag_table()
    ports = list(inputs.ports) if inputs.ports is not None else load_ports()
    roles = {p.port_id: p.roles for p in ports}
    scorer = RISK_MODELS.get(model)
    own = backend is None
    be = backend or DuckDBBackend()
    try:
        _register(be, "events", inputs.events)
        _check_events(be)
        if inputs.statics is not None:
            _register(be, "statics", inputs.statics)
        as_of = inputs.as_of_utc
        if as_of is None:
            last = be.to_arrow("SELECT MAX(end_utc) AS t FROM events").column("t")[0].as_py()
            as_of = last or datetime.now(UTC)
        ids = (
            be.to_arrow(
                "SELECT DISTINCT mmsi FROM (SELECT mmsi FROM events UNION ALL "
                "SELECT other_mmsi AS mmsi FROM events WHERE other_mmsi IS NOT NULL) t"
            )
            .column("mmsi")
            .to_pylist()
        )
        changes = be.to_arrow(
            "SELECT mmsi, other_mmsi, details FROM events WHERE type = 'identity_change'"
        ).to_pylist()

        def flag_of(v: VesselRecord) -> str | None:
            return flags.flag_of_mmsi(v.current_mmsi)

        fuzzy = screening_matcher(inputs.list_entities, flag_of) if fuzzy_names else None
        identity = resolve_identities(
            be,
            inputs.list_entities,
            "statics" if inputs.statics is not None else None,
            changes,
            [int(m) for m in ids],
            flag_of=flag_of,
            fuzzy=fuzzy,
        )
        be.register("vessel_map", identity.vessel_map)
        be.run([*vessel_events_steps("events", "vessel_map"), *voyage_steps()])
        voyages = load_voyages(be, roles)
        deliveries = find_deliveries(voyages, deliveries_cfg)

        blocking = inputs.blocking_sources
        if blocking is None:
            blocking = frozenset(
                e.source for e in inputs.list_entities if e.source not in NON_BLOCKING_SOURCES
            )
        graph = build_graph(inputs.list_entities, inputs.list_links, inputs.registries, blocking)
        ownership = analyse_ownership(graph, be, as_of.date().isoformat(), cfg.exposure)
        by_node = ownership.by_node()
        entities = {e.id: e for e in inputs.list_entities}

        be.run(
            [
                SqlStep(
                    "SELECT vessel_id AS subject_id, event_id, type, port, confidence, end_utc "
                    "FROM vessel_events",
                    "risk_vessel_subjects",
                ),
                SqlStep(
                    "SELECT ve.voyage_id AS subject_id, ve.event_id, ve.type, "
                    "CAST(NULL AS VARCHAR) AS port, ve.confidence, ve.end_utc "
                    "FROM voyage_events ve "
                    "UNION ALL SELECT v.voyage_id AS subject_id, e.event_id, e.type, e.port, "
                    "e.confidence, e.end_utc FROM voyages v JOIN vessel_events e "
                    "ON e.vessel_id = v.vessel_id AND (e.event_id = v.origin_event_id "
                    "OR e.event_id = v.destination_event_id)",
                    "risk_voyage_subjects",
                ),
            ]
        )
        v_evidence = collect_evidence(be, "risk_vessel_subjects", cfg, as_of, ports, "rv_")
        y_evidence = collect_evidence(be, "risk_voyage_subjects", cfg, as_of, ports, "ry_")
        counts: dict[str, dict[str, int]] = {}
        for r in be.to_arrow(
            "SELECT vessel_id, type, COUNT(*) AS n FROM vessel_events GROUP BY vessel_id, type"
        ).to_pylist():
            counts.setdefault(r["vessel_id"], {})[r["type"]] = int(r["n"])

        current_edges = [e for e in graph.edges if _valid(e, as_of)]
        dossiers: dict[str, VesselDossier] = {}
        vessel_ids = sorted(set(identity.vessels) | set(counts))
        voy_by_vessel: dict[str, list[Voyage]] = {}
        for v in voyages:
            voy_by_vessel.setdefault(v.vessel_id, []).append(v)
        matches_by_vessel: dict[str, list[ListMatch]] = {}
        for m in identity.matches:
            matches_by_vessel.setdefault(m.vessel_id, []).append(m)
        vessel_scores: list[RiskScore] = []
        voyage_scores: list[RiskScore] = []
        for vid in vessel_ids:
            rec = identity.vessels.get(vid)
            node = graph.nodes.get(vid)
            listed_ids = list(node.listed_ids) if node else []
            matches = matches_by_vessel.get(vid, [])
            listed = [entities[i] for i in listed_ids if i in entities] + [
                entities[m.entity_id] for m in matches if m.entity_id in entities
            ]
            mmsi = rec.current_mmsi if rec else (int(vid[5:]) if vid.startswith("mmsi-") else None)
            flag = _flag(flags, listed, mmsi)
            status = by_node.get(vid)
            parties_now = _parties(graph, current_edges, vid, by_node)
            facts = VesselFacts(
                vessel_id=vid,
                status=status,
                listed_ids=tuple(listed_ids),
                parties=tuple(
                    PartyLink(p.role, p.node_id, p.caption, p.status) for p in parties_now
                ),
                matches=tuple(
                    (m, by_node.get(graph.node_of(m.entity_id)))
                    for m in matches
                    if m.method != "imo"
                ),
                flag=flag,
            )
            mine = [d for d in deliveries if vid in d.vessels]
            score = scorer.vessel(facts, v_evidence.get(vid, {}), mine, cfg, as_of)
            vessel_scores.append(score)
            vrisk = {}
            for voy in voy_by_vessel.get(vid, []):
                s = scorer.voyage(voy, facts, y_evidence.get(voy.voyage_id, {}), mine, cfg, as_of)
                vrisk[voy.voyage_id] = s
                voyage_scores.append(s)
            dossiers[vid] = VesselDossier(
                vessel_id=vid,
                imo=rec.imo if rec else None,
                names=rec.names if rec else [],
                mmsis=rec.mmsis if rec else ([mmsi] if mmsi is not None else []),
                identities=list(rec.identities) if rec else [],
                flag=flag,
                status=status,
                listed_ids=listed_ids,
                parties=_parties(graph, graph.edges, vid, by_node),
                matches=matches,
                event_counts=counts.get(vid, {}),
                voyages=voy_by_vessel.get(vid, []),
                deliveries=mine,
                risk=score,
                voyage_risk=vrisk,
            )
        vessel_scores.sort(key=lambda s: (-s.score, s.subject_id))
        voyage_scores.sort(key=lambda s: (-s.score, s.subject_id))
        return Case(
            as_of_utc=as_of,
            algorithm=RISK_MODELS.ref(model.partition("@")[0]) if "@" not in model else model,
            vessels=dossiers,
            voyages=voyages,
            deliveries=deliveries,
            vessel_scores=vessel_scores,
            voyage_scores=voyage_scores,
            ownership=ownership,
            identity=identity,
            notes=[*identity.notes, *graph.unresolved],
            list_entities=entities,
        )
    finally:
        if own:
            be.close()


def _valid(link: Link, as_of: datetime) -> bool:
    return valid_on(link, as_of.date().isoformat())


# -- work folders ------------------------------------------------------------------------


def _parquet_set(folder: Path, stem: str) -> list[Path]:
    direct = folder / f"{stem}.parquet"
    if direct.is_file():
        return [direct]
    sub = folder / stem
    if sub.is_dir():
        return sorted(sub.rglob("*.parquet"))
    return sorted(folder.glob(f"{stem}*.parquet"))


def find_inputs(workdir: Path) -> dict[str, list[Path]]:
    """Conventional files of a work folder: ``events.parquet`` (or ``events/``),
    ``statics.parquet`` (or ``statics/``), ``registry*.csv`` and ``lists/``."""
    if not workdir.is_dir():
        raise BadInputError("work folder not found", workdir)
    return {
        "events": _parquet_set(workdir, "events"),
        "statics": _parquet_set(workdir, "statics"),
        "registries": sorted(workdir.glob("registry*.csv")),
        "lists": [workdir / "lists"] if (workdir / "lists").is_dir() else [],
    }


def _lists(
    paths: Sequence[Path], use_store: bool
) -> tuple[list[Entity], list[Link], frozenset[str] | None]:
    """Entities, links and blocking list codes from list files, else the lists store."""
    from armswatch.lists import ListStore, read_lists

    if paths:
        data = read_lists(paths)
    elif use_store and ListStore().current() is not None:
        data = ListStore().read()
    else:
        return [], [], None
    blocking = frozenset(
        m.source for m in data.meta if m.is_sanctions_list and m.source not in NON_BLOCKING_SOURCES
    )
    return list(data.entities), list(data.links), blocking


def build_case(
    workdir: Path,
    cfg: RiskConfig | None = None,
    deliveries_cfg: DeliveryConfig | None = None,
    extra_lists: Sequence[Path] = (),
    extra_registries: Sequence[Path] = (),
    as_of_utc: datetime | None = None,
    use_store: bool = True,
) -> Case:
    """:func:`analyse` on the files found in ``workdir`` (see :func:`find_inputs`).

    Without list files, the lists store (``armswatch lists load``) is used when
    ``use_store`` and it has a snapshot."""
    found = find_inputs(workdir)
    if not found["events"]:
        raise BadInputError("no events.parquet (or events/ folder) in the work folder", workdir)
    list_paths = [*found["lists"], *extra_lists]
    entities, links, blocking = _lists(list_paths, use_store)
    registries = [read_registry(p) for p in [*found["registries"], *extra_registries]]
    inputs = CaseInputs(
        events=found["events"],
        statics=found["statics"] or None,
        list_entities=entities,
        list_links=links,
        blocking_sources=blocking,
        registries=registries,
        as_of_utc=as_of_utc,
    )
    return analyse(inputs, cfg, deliveries_cfg)
