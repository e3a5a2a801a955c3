"""What changed between two versions of the lists: entities added, removed and changed
(field by field), links added and removed. Pure functions of the two versions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from armswatch.lists._codec import entity_to_dict, link_to_dict
from armswatch.model import Entity, Link


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of one entity: the values it lost and the values it gained."""

    field: str
    removed: tuple[str, ...]
    added: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EntityChange:
    id: str
    caption: str
    changes: tuple[FieldChange, ...]


@dataclass(slots=True)
class ListDiff:
    added: list[Entity] = field(default_factory=list)
    removed: list[Entity] = field(default_factory=list)
    changed: list[EntityChange] = field(default_factory=list)
    links_added: list[Link] = field(default_factory=list)
    links_removed: list[Link] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.links_added
                    or self.links_removed)

    def summary(self) -> dict[str, int]:
        return {"added": len(self.added), "removed": len(self.removed),
                "changed": len(self.changed), "links_added": len(self.links_added),
                "links_removed": len(self.links_removed)}

    def to_dict(self) -> dict[str, Any]:
        return {
            "summary": self.summary(),
            "added": [{"id": e.id, "caption": e.caption, "schema": e.schema.value}
                      for e in self.added],
            "removed": [{"id": e.id, "caption": e.caption, "schema": e.schema.value}
                        for e in self.removed],
            "changed": [{"id": c.id, "caption": c.caption,
                         "changes": [{"field": f.field, "removed": list(f.removed),
                                      "added": list(f.added)} for f in c.changes]}
                        for c in self.changed],
            "links_added": [link_to_dict(lk) for lk in self.links_added],
            "links_removed": [link_to_dict(lk) for lk in self.links_removed],
        }


def _values(value: Any) -> set[str]:
    """A field's value as a set of display strings (order within lists does not count)."""
    if value is None:
        return set()
    if isinstance(value, list):
        return {_render(v) for v in value}
    return {_render(value)}


def _render(v: Any) -> str:
    if isinstance(v, dict):
        kind = v.get("kind")
        main = v.get("value", v.get("full", ""))
        extra = ", ".join(f"{k}={x}" for k, x in v.items() if k not in ("kind", "value", "full"))
        text = f"{kind}: {main}" if kind else str(main)
        return f"{text} ({extra})" if extra else text
    return str(v)


def entity_changes(old: Entity, new: Entity) -> tuple[FieldChange, ...]:
    a, b = entity_to_dict(old), entity_to_dict(new)
    out = []
    for key in sorted(set(a) | set(b)):
        va, vb = _values(a.get(key)), _values(b.get(key))
        if va != vb:
            out.append(FieldChange(key, tuple(sorted(va - vb)), tuple(sorted(vb - va))))
    return tuple(out)


def diff_lists(old_entities: Sequence[Entity], new_entities: Sequence[Entity],
               old_links: Sequence[Link] = (), new_links: Sequence[Link] = ()) -> ListDiff:
    """Compare two versions by entity id (``<list>-<publisher id>``)."""
    old = {e.id: e for e in old_entities}
    new = {e.id: e for e in new_entities}
    d = ListDiff()
    d.added = [new[i] for i in sorted(new.keys() - old.keys())]
    d.removed = [old[i] for i in sorted(old.keys() - new.keys())]
    for i in sorted(old.keys() & new.keys()):
        if changes := entity_changes(old[i], new[i]):
            d.changed.append(EntityChange(i, new[i].caption, changes))
    ol = {lk.id: lk for lk in old_links}
    nl = {lk.id: lk for lk in new_links}
    d.links_added = [nl[i] for i in sorted(nl.keys() - ol.keys())]
    d.links_removed = [ol[i] for i in sorted(ol.keys() - nl.keys())]
    return d
