"""FollowTheMoney export: validated against the followthemoney package itself."""

from __future__ import annotations

import io
from typing import Any

import orjson
import pytest

from armswatch.lists import read_lists
from armswatch.model import Entity, Identifier, IdKind, Link, LinkKind, NameKind, Schema
from armswatch.model.ftm import country_code, entity_to_ftm, link_to_ftm, write_ftm
from tests.conftest import need
from tests.lists import _cache
from tests.lists._cache import shared_list

ftm = pytest.importorskip("followthemoney")


_CLEAN: dict[tuple[str, str], bool] = {}


def _validate(obj: dict[str, Any], proxy: bool = True) -> None:
    """The line is a valid FtM entity and no value is dropped by FtM's own cleaning."""
    from followthemoney import model

    assert set(obj) == {"id", "schema", "properties"}
    assert model.get_proxy({"id": obj["id"], "schema": "Thing"}).id == obj["id"]
    schema = model.get(obj["schema"])
    assert schema is not None, obj["schema"]
    for prop, values in obj["properties"].items():
        assert isinstance(values, list)
        assert all(isinstance(v, str) for v in values)
        p = schema.get(prop)
        assert p is not None, f"{obj['schema']} has no property {prop}"
        for v in values:
            key = (p.type.name, v)
            if key not in _CLEAN:
                _CLEAN[key] = p.type.clean(v, proxy=None) is not None
            assert _CLEAN[key], (obj["id"], prop, v)
    if proxy:
        model.get_proxy(obj, cleaned=False)


def _vessel() -> Entity:
    e = Entity(id="x-1", schema=Schema.VESSEL, source="us_ofac_sdn", source_id="1")
    e.add_name("ARTAVIL", NameKind.PRIMARY)
    e.add_name("ALPHA", NameKind.FKA)
    e.identifiers += [Identifier(IdKind.IMO, "9187629"), Identifier(IdKind.MMSI, "572469210")]
    e.flag, e.past_flags, e.tonnage = "Iran", ["Malta", "None Identified"], "99,144"
    e.programs = ["IRAN"]
    return e


def test_vessel_properties() -> None:
    head, sanction = entity_to_ftm(_vessel())
    props = head["properties"]
    assert head["schema"] == "Vessel"
    assert props["imoNumber"] == ["9187629"]
    assert props["mmsi"] == ["572469210"]
    assert props["previousName"] == ["ALPHA"]
    assert props["flag"] == ["ir"]
    assert props["pastFlags"] == ["mt"]
    assert "past flag: None Identified" in props["notes"]  # unplaceable: kept, not lost
    assert props["tonnage"] == ["99144"]
    assert props["topics"] == ["sanction"]
    assert sanction["schema"] == "Sanction"
    assert sanction["properties"]["entity"] == ["x-1"]
    assert head["id"] == "x-1"
    _validate(head)
    _validate(sanction)


def test_links_pick_schema() -> None:
    schemata = {"a": Schema.ORGANIZATION, "v": Schema.VESSEL, "p": Schema.PERSON,
                "q": Schema.PERSON}
    own = link_to_ftm(Link("a", "v", LinkKind.OWNER, "t", share_pct=51.0), schemata)
    assert own["schema"] == "Ownership"
    assert own["properties"]["percentage"] == ["51"]
    assert link_to_ftm(Link("p", "q", LinkKind.ASSOCIATE, "t"), schemata)["schema"] == "Associate"
    other = link_to_ftm(Link("p", "a", LinkKind.ASSOCIATE, "t", role="Linked To"), schemata)
    assert other["schema"] == "UnknownLink"
    assert other["properties"]["role"] == ["Linked To"]
    for obj in (own, other):
        _validate(obj)


def test_country_codes() -> None:
    assert country_code("Korea, North") == "kp"
    assert country_code("Democratic Republic of the Congo") == "cd"
    assert country_code("None Identified") is None


def test_export_ofac_2024_every_line_valid() -> None:
    data = shared_list(_cache.SDN_2024)
    buf = io.BytesIO()
    n = write_ftm(data.entities, data.links, buf)
    lines = buf.getvalue().splitlines()
    assert n == len(lines)
    objs = [orjson.loads(line) for line in lines]
    vessels_with_imo = [o for o in objs if o["schema"] == "Vessel"
                        and o["properties"].get("imoNumber")]
    assert len(vessels_with_imo) == 844
    assert sum(1 for o in objs if o["schema"] == "Vessel") == 851
    assert len({o["id"] for o in objs}) == len(objs)  # ids unique
    for o in objs:
        _validate(o, proxy=False)  # values checked one by one; proxies for UN below


def test_export_un_every_line_valid() -> None:
    data = read_lists([need("sanctions/un/UN_consolidated_2026-02-27.xml")])
    buf = io.BytesIO()
    write_ftm(data.entities, data.links, buf)
    objs = [orjson.loads(x) for x in buf.getvalue().splitlines()]
    sanctions = [o for o in objs if o["schema"] == "Sanction"]
    assert len(sanctions) == 1003
    assert sum(1 for s in sanctions if s["properties"].get("unscId")) == 1003
    for o in objs:
        _validate(o)
