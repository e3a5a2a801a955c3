"""The ownership graph: list entities and links plus registry tables, as Arrow tables.

Nodes are parties and ships. A ship's node is ``imo-<IMO>`` whatever list or registry
names it, so a listed vessel and a registry row about the same IMO meet. A registry
company whose normalised name equals a name (primary, alias or former name; weak
aliases excluded) of a listed party is that party (``listed_via`` records which); a
``company_id`` column names the list entity explicitly. Edges keep every link kind
(owner, manager, operator, associate, ...) with share, dates and where they were read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pyarrow as pa

from armswatch.model import Entity, IdKind, Link, NameKind, Schema
from armswatch.network._ids import clean_imo, company_key, vessel_node_id
from armswatch.network._registry_table import RegistryTable

NODE_SCHEMA = pa.schema(
    [
        ("node_id", pa.string()),
        ("schema", pa.string()),
        ("caption", pa.string()),
        ("listed", pa.bool_()),  # on a sanctions list (directly or as a matched registry name)
        ("blocking", pa.bool_()),  # listed on a list whose designations block (50 % rule seed)
        ("listed_ids", pa.list_(pa.string())),  # the list entity ids behind the node
        ("programs", pa.list_(pa.string())),
        ("countries", pa.list_(pa.string())),
    ]
)
EDGE_SCHEMA = pa.schema(
    [
        ("source_id", pa.string()),
        ("target_id", pa.string()),
        ("kind", pa.string()),
        ("role", pa.string()),
        ("share_pct", pa.float64()),
        ("start", pa.string()),
        ("end", pa.string()),
        ("origin", pa.string()),
    ]
)
_PARTY_SCHEMAS = {Schema.PERSON, Schema.ORGANIZATION, Schema.COMPANY, Schema.LEGAL_ENTITY}


@dataclass(slots=True)
class Node:
    node_id: str
    schema: str
    caption: str
    listed_ids: list[str] = field(default_factory=list)
    blocking_ids: list[str] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)

    @property
    def listed(self) -> bool:
        return bool(self.listed_ids)


@dataclass(slots=True)
class OwnershipGraph:
    """Nodes by id, edges as links between node ids, and what could not be resolved."""

    nodes: dict[str, Node]
    edges: list[Link]
    unresolved: list[str] = field(default_factory=list)  # explanations, one per problem
    alias: dict[str, str] = field(default_factory=dict)  # list entity id -> node id

    def node_of(self, entity_id: str) -> str:
        return self.alias.get(entity_id, entity_id)

    def nodes_table(self) -> pa.Table:
        ns = sorted(self.nodes.values(), key=lambda n: n.node_id)
        return pa.table(
            {
                "node_id": [n.node_id for n in ns],
                "schema": [n.schema for n in ns],
                "caption": [n.caption for n in ns],
                "listed": [n.listed for n in ns],
                "blocking": [bool(n.blocking_ids) for n in ns],
                "listed_ids": [sorted(n.listed_ids) for n in ns],
                "programs": [sorted(n.programs) for n in ns],
                "countries": [sorted(n.countries) for n in ns],
            },
            schema=NODE_SCHEMA,
        )

    def edges_table(self, as_of: str | None = None) -> pa.Table:
        """Edges valid on ``as_of`` (a partial ISO date); None keeps the current ones
        (rows without an end date) and every undated list link."""
        es = [e for e in self.edges if valid_on(e, as_of)]
        return pa.table(
            {
                "source_id": [e.source_id for e in es],
                "target_id": [e.target_id for e in es],
                "kind": [e.kind.value for e in es],
                "role": [e.role for e in es],
                "share_pct": pa.array([e.share_pct for e in es], pa.float64()),
                "start": [e.start for e in es],
                "end": [e.end for e in es],
                "origin": [e.origin for e in es],
            },
            schema=EDGE_SCHEMA,
        )

    def seeds(self) -> list[str]:
        """Nodes the 50 % rule starts from: parties and ships on a blocking list."""
        return sorted(n.node_id for n in self.nodes.values() if n.blocking_ids)


def valid_on(link: Link, as_of: str | None) -> bool:
    """True when a dated link holds on ``as_of`` (partial dates compare by their prefix)."""
    if as_of is None:
        return link.end is None
    if link.start is not None and as_of[: len(link.start)] < link.start:
        return False
    return not (link.end is not None and as_of[: len(link.end)] > link.end)


def _is_blocking(entity: Entity, blocking_sources: frozenset[str] | None) -> bool:
    return blocking_sources is None or entity.source in blocking_sources


def build_graph(
    list_entities: Iterable[Entity] = (),
    list_links: Iterable[Link] = (),
    registries: Sequence[RegistryTable] = (),
    blocking_sources: Iterable[str] | None = None,
) -> OwnershipGraph:
    """Assemble the graph. ``blocking_sources`` names the list codes whose entries block
    (e.g. OFAC SDN but not the non-SDN SSI list); None = every list entry blocks."""
    blocking = frozenset(blocking_sources) if blocking_sources is not None else None
    nodes: dict[str, Node] = {}
    alias: dict[str, str] = {}
    unresolved: list[str] = []
    by_name: dict[str, set[str]] = defaultdict(set)

    for ent in list_entities:
        imos = [i for i in (clean_imo(v) for v in ent.ids_of(IdKind.IMO)) if i]
        nid = vessel_node_id(imos[0]) if ent.schema is Schema.VESSEL and imos else ent.id
        alias[ent.id] = nid
        node = nodes.get(nid)
        if node is None:
            node = nodes[nid] = Node(nid, ent.schema.value, ent.caption)
        node.listed_ids.append(ent.id)
        if _is_blocking(ent, blocking):
            node.blocking_ids.append(ent.id)
        node.programs.extend(p for p in ent.programs if p not in node.programs)
        node.countries.extend(c for c in ent.countries if c not in node.countries)
        node.names.extend(ent.all_names())
        if ent.schema in _PARTY_SCHEMAS:
            for name in ent.names:
                if name.kind is not NameKind.WEAK and company_key(name.value):
                    by_name[company_key(name.value)].add(nid)

    edges: list[Link] = [
        Link(
            source_id=alias.get(ln.source_id, ln.source_id),
            target_id=alias.get(ln.target_id, ln.target_id),
            kind=ln.kind,
            origin=ln.origin,
            share_pct=ln.share_pct,
            start=ln.start,
            end=ln.end,
            role=ln.role,
        )
        for ln in list_links
    ]

    for reg in registries:
        for ent in reg.entities():
            key = ent.source_id
            matched = sorted(by_name.get(key, ())) if ent.schema is Schema.COMPANY else []
            if len(matched) == 1:
                alias[ent.id] = matched[0]
                continue
            if len(matched) > 1:
                unresolved.append(
                    f"{reg.origin}: company {ent.caption!r} matches several listed parties "
                    f"({', '.join(matched)}); kept apart — give company_id to choose"
                )
            node = nodes.get(ent.id)
            if node is None:
                nodes[ent.id] = Node(
                    ent.id,
                    ent.schema.value,
                    ent.caption,
                    countries=list(ent.countries),
                    names=ent.all_names(),
                )
            else:
                node.countries.extend(c for c in ent.countries if c not in node.countries)
        for row in reg.rows:
            if row.company_id is not None and row.company_id not in alias:
                unresolved.append(
                    f"{reg.origin}:{row.line}: company_id {row.company_id!r} is not in the "
                    "loaded lists; the company is kept as an unlisted party"
                )
                nodes.setdefault(
                    row.company_id,
                    Node(row.company_id, Schema.COMPANY.value, row.company, names=[row.company]),
                )
        for ln in reg.links():
            edges.append(
                Link(
                    source_id=alias.get(ln.source_id, ln.source_id),
                    target_id=alias.get(ln.target_id, ln.target_id),
                    kind=ln.kind,
                    origin=ln.origin,
                    share_pct=ln.share_pct,
                    start=ln.start,
                    end=ln.end,
                    role=ln.role,
                )
            )
    for e in edges:
        for nid in (e.source_id, e.target_id):
            if nid not in nodes:
                nodes[nid] = Node(nid, Schema.LEGAL_ENTITY.value, nid)
    return OwnershipGraph(nodes=nodes, edges=edges, unresolved=unresolved, alias=alias)
