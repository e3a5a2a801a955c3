"""Entities, links and list metadata to plain dicts and back (for the store and diffs)."""

from __future__ import annotations

from typing import Any

from armswatch.lists._types import ListMeta, PendingLink, SkippedRow
from armswatch.model import (
    Address,
    Entity,
    Identifier,
    IdKind,
    Link,
    LinkKind,
    Name,
    NameKind,
    Schema,
)

_SCALARS = ("title", "gender", "flag", "vessel_type", "tonnage", "gross_tonnage", "build_date",
            "aircraft_type", "source_url")
_STR_LISTS = ("birth_dates", "birth_places", "nationalities", "countries", "programs",
              "listed_on", "remarks", "past_flags", "reference_numbers")


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


def entity_to_dict(e: Entity) -> dict[str, Any]:
    """A JSON-ready dict; empty fields are left out."""
    d: dict[str, Any] = {"id": e.id, "schema": e.schema.value, "source": e.source,
                         "source_id": e.source_id}
    if e.names:
        d["names"] = [_drop_none({"value": n.value, "kind": n.kind.value, "lang": n.lang,
                                  "remarks": n.remarks}) for n in e.names]
    if e.identifiers:
        d["identifiers"] = [_drop_none({"kind": i.kind.value, "value": i.value,
                                        "country": i.country, "note": i.note})
                            for i in e.identifiers]
    if e.addresses:
        d["addresses"] = [_drop_none({"full": a.full, "street": a.street, "city": a.city,
                                      "postal_code": a.postal_code, "region": a.region,
                                      "country": a.country}) for a in e.addresses]
    for key in _STR_LISTS:
        if value := getattr(e, key):
            d[key] = list(value)
    for key in _SCALARS:
        if (value := getattr(e, key)) is not None:
            d[key] = value
    return d


def entity_from_dict(d: dict[str, Any]) -> Entity:
    e = Entity(id=d["id"], schema=Schema(d["schema"]), source=d["source"],
               source_id=d["source_id"])
    e.names = [Name(n["value"], NameKind(n["kind"]), n.get("lang"), n.get("remarks"))
               for n in d.get("names", ())]
    e.identifiers = [Identifier(IdKind(i["kind"]), i["value"], i.get("country"), i.get("note"))
                     for i in d.get("identifiers", ())]
    e.addresses = [Address(a["full"], a.get("street"), a.get("city"), a.get("postal_code"),
                           a.get("region"), a.get("country")) for a in d.get("addresses", ())]
    for key in _STR_LISTS:
        setattr(e, key, list(d.get(key, ())))
    for key in _SCALARS:
        setattr(e, key, d.get(key))
    return e


def link_to_dict(link: Link) -> dict[str, Any]:
    return {"id": link.id, "source_id": link.source_id, "target_id": link.target_id,
            "kind": link.kind.value, "origin": link.origin, "share_pct": link.share_pct,
            "start": link.start, "end": link.end, "role": link.role}


def link_from_dict(d: dict[str, Any]) -> Link:
    return Link(d["source_id"], d["target_id"], LinkKind(d["kind"]), d["origin"],
                d.get("share_pct"), d.get("start"), d.get("end"), d.get("role"))


def meta_to_dict(m: ListMeta) -> dict[str, Any]:
    return {
        "source": m.source, "publisher": m.publisher, "format": m.format, "path": m.path,
        "files": dict(m.files), "date": m.date, "is_sanctions_list": m.is_sanctions_list,
        "entity_count": m.entity_count, "link_count": m.link_count,
        "by_schema": dict(m.by_schema),
        "skipped": [{"path": s.path, "line": s.line, "reason": s.reason} for s in m.skipped],
        "notes": list(m.notes),
        "unresolved": [{"entity_id": p.entity_id, "name": p.name, "kind": p.kind.value,
                        "role": p.role} for p in m.unresolved],
    }


def meta_from_dict(d: dict[str, Any]) -> ListMeta:
    return ListMeta(
        source=d["source"], publisher=d["publisher"], format=d["format"], path=d["path"],
        files=dict(d.get("files", {})), date=d.get("date"),
        is_sanctions_list=bool(d.get("is_sanctions_list", True)),
        entity_count=int(d.get("entity_count", 0)), link_count=int(d.get("link_count", 0)),
        by_schema=dict(d.get("by_schema", {})),
        skipped=[SkippedRow(s["path"], int(s["line"]), s["reason"])
                 for s in d.get("skipped", ())],
        notes=list(d.get("notes", ())),
        unresolved=[PendingLink(p["entity_id"], p["name"], LinkKind(p["kind"]), p["role"])
                    for p in d.get("unresolved", ())],
    )
