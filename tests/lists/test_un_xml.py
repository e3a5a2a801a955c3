"""UN Security Council consolidated XML reader on the real staged file."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from armswatch.lists import ListData
from armswatch.model import IdKind, NameKind, Schema
from tests.conftest import need
from tests.lists._cache import shared_list

UN = "sanctions/un/UN_consolidated_2026-02-27.xml"


@pytest.fixture
def un() -> ListData:
    return shared_list(UN)


def test_counts(un: ListData) -> None:
    meta = un.meta[0]
    assert meta.source == "un_sc_sanctions"
    assert meta.format == "un_xml"
    assert meta.date == "2026-02-27"
    assert meta.by_schema == {"Person": 730, "Organization": 273}
    assert meta.skipped == []
    programs = Counter(p for e in un.entities for p in e.programs)
    assert programs["UN 1718"] == 155
    dprk = [e for e in un.entities if "UN 1718" in e.programs]
    assert Counter(e.schema for e in dprk) == {Schema.PERSON: 80, Schema.ORGANIZATION: 75}
    assert programs["UN 2231"] == 121
    assert programs["UN 1267"] == 341


def test_every_alias_lands(un: ListData) -> None:
    """Each non-empty ALIAS_NAME is a name of its record, with the kind its QUALITY says."""
    root = ET.parse(need(UN)).getroot()
    by_id = {e.source_id: e for e in un.entities}
    kinds = {"Good": NameKind.AKA, "Low": NameKind.WEAK, "a.k.a.": NameKind.AKA,
             "f.k.a.": NameKind.FKA, None: NameKind.AKA}
    n = Counter()
    for tag in ("INDIVIDUAL", "ENTITY"):
        for el in root.iter(tag):
            e = by_id[el.findtext("DATAID", "").strip()]
            for alias in el.iter(f"{tag}_ALIAS"):
                name = " ".join((alias.findtext("ALIAS_NAME") or "").split())
                if name:
                    n[tag] += 1
                    kind = kinds[alias.findtext("QUALITY")]
                    assert (name, kind) in [(x.value, x.kind) for x in e.names], name
    assert n == {"INDIVIDUAL": 2139, "ENTITY": 613}


def test_person_facts(un: ListData) -> None:
    by_id = {e.source_id: e for e in un.entities}
    badege = by_id["6907993"]
    assert badege.caption == "ERIC BADEGE"
    assert badege.reference_numbers == ["CDi.001"]
    assert badege.listed_on == ["2012-12-31"]
    assert badege.birth_dates == ["1971"]
    assert badege.nationalities == ["Democratic Republic of the Congo"]
    assert badege.gender == "male"
    assert any(a.country == "Rwanda" for a in badege.addresses)
    passports = [e for e in un.entities if e.ids_of(IdKind.PASSPORT)]
    assert len(passports) > 100
    assert any("AB187304" in e.ids_of(IdKind.PASSPORT) for e in passports)
    # QUALITY "Low" aliases are weak aliases; each one found is one weak name
    root = ET.parse(need(UN)).getroot()
    low = {(el.findtext("DATAID", "").strip(), " ".join((a.findtext("ALIAS_NAME") or "").split()))
           for tag in ("INDIVIDUAL", "ENTITY") for el in root.iter(tag)
           for a in el.iter(f"{tag}_ALIAS") if a.findtext("QUALITY") == "Low"}
    weak = {(e.source_id, n.value) for e in un.entities for n in e.names
            if n.kind is NameKind.WEAK}
    assert weak == {x for x in low if x[1]}
