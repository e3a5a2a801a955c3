"""OFAC legacy CSV reader on the real staged files (counts from the shared README)."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from armswatch.lists import ListData
from armswatch.model import IdKind, NameKind, Schema
from tests.conftest import need
from tests.lists import _cache
from tests.lists._cache import shared_list

SDN_2024 = "sanctions/ofac/sdn_2024-05-03.csv"
SET_2021 = "sanctions/ofac/consistent_2021-07-07"
CONS = "sanctions/ofac/consolidated_nonsdn_2025-12-19"


def _rows(path: Path) -> list[list[str]]:
    """Independent stdlib read of an OFAC CSV file (for cross-checks)."""
    text = path.read_bytes().decode("cp1252").replace("\x1a", "")
    return [r for r in csv.reader(text.splitlines()) if r]


def _fold(s: str) -> str:
    return " ".join(s.split())


@pytest.fixture
def sdn2024() -> ListData:
    return shared_list(_cache.SDN_2024)


@pytest.fixture
def set2021() -> ListData:
    return shared_list(_cache.SET_2021)


def test_2024_counts(sdn2024: ListData) -> None:
    meta = sdn2024.meta[0]
    assert meta.source == "us_ofac_sdn"
    assert meta.format == "ofac_csv"
    assert len(sdn2024.entities) == 14965
    assert meta.by_schema == {"Airplane": 376, "Organization": 6884, "Person": 6854,
                              "Vessel": 851}
    vessels = [e for e in sdn2024.entities if e.schema is Schema.VESSEL]
    with_imo = [e for e in vessels if e.ids_of(IdKind.IMO)]
    assert len(with_imo) == 844
    imos = [e.ids_of(IdKind.IMO)[0] for e in with_imo]
    assert len(set(imos)) == 844  # all distinct, as the README says
    assert all(re.fullmatch(r"\d{7}", i) for i in imos)
    assert meta.skipped == []
    assert meta.date == "2024-05-03"
    assert len(meta.sha256) == 64


def test_2024_programs(sdn2024: ListData) -> None:
    dprk = {"DPRK", "DPRK2", "DPRK3", "DPRK4", "DPRK-NKSPEA"}
    hits = [e for e in sdn2024.entities if dprk & set(e.programs)]
    assert len(hits) == 484
    assert Counter(e.schema.value for e in hits) == {"Person": 164, "Organization": 199,
                                                       "Vessel": 105, "Airplane": 16}
    assert sum(1 for e in hits if e.schema is Schema.VESSEL and e.ids_of(IdKind.IMO)) == 104
    russia = [e for e in sdn2024.entities if any(p.startswith("RUSSIA-") for p in e.programs)]
    assert len(russia) == 4447


def test_2024_vessel_facts(sdn2024: ListData) -> None:
    by_id = {e.source_id: e for e in sdn2024.entities}
    artavil = by_id["15036"]
    assert artavil.caption == "ARTAVIL"
    assert artavil.ids_of(IdKind.IMO) == ["9187629"]
    assert artavil.ids_of(IdKind.MMSI) == ["572469210"]
    assert artavil.ids_of(IdKind.CALL_SIGN) == ["T2EU4"]
    assert artavil.flag == "Iran"
    assert artavil.past_flags == ["Malta", "Tuvalu", "None Identified", "Tanzania"]
    assert artavil.vessel_type == "Crude/Oil Products Tanker"
    assert artavil.tonnage == "99,144"
    assert artavil.gross_tonnage == "56,068"
    assert ("ALPHA", NameKind.FKA) in [(n.value, n.kind) for n in artavil.names]
    nitc = [e for e in sdn2024.entities if e.caption == "NATIONAL IRANIAN TANKER COMPANY"]
    assert len(nitc) == 1
    assert any(lk.source_id == artavil.id and lk.target_id == nitc[0].id
               for lk in sdn2024.links)


def test_2024_person_facts(sdn2024: ListData) -> None:
    by_id = {e.source_id: e for e in sdn2024.entities}
    kamel = by_id["8096"]
    assert kamel.birth_dates == ["1977-10-21"]
    assert kamel.birth_places == ["Beja, Tunisia"]
    assert kamel.nationalities == ["Tunisia"]
    passport = [i for i in kamel.identifiers if i.kind is IdKind.PASSPORT]
    assert passport[0].value == "P229856"
    assert "expires 31 Oct 2007" in (passport[0].note or "")
    assert {"KAMEL", "KIMO"} <= set(kamel.all_names())
    dumont = by_id["7831"]
    assert dumont.birth_dates == ["1971-01-21", "1971-01-19", "1975-01-29"]
    nasrallah = by_id["2686"]
    assert nasrallah.gender == "male"
    assert nasrallah.programs == ["SDGT", "SYRIA"]


def test_2021_set_every_alias_and_address_lands(set2021: ListData) -> None:
    folder = need(SET_2021)
    data = set2021
    assert len(data.entities) == 8976
    assert data.meta[0].by_schema == {"Airplane": 277, "Organization": 3673, "Person": 4620,
                                      "Vessel": 406}
    assert data.meta[0].skipped == []
    by_num = {e.source_id: e for e in data.entities}
    alt = _rows(folder / "alt.csv")
    assert len(alt) == 11910
    kinds = {"aka": NameKind.AKA, "fka": NameKind.FKA, "nka": NameKind.NKA}
    for row in alt:
        e = by_num[row[0]]
        assert (_fold(row[3]), kinds[row[2]]) in [(n.value, n.kind) for n in e.names], row
    assert len({r[0] for r in alt}) == 4139
    add = _rows(folder / "add.csv")
    assert len(add) == 13837
    for row in add:
        e = by_num[row[0]]
        parts = [_fold(c) for c in row[2:5] if _fold(c) != "-0-"]
        if parts:
            assert ", ".join(parts) in [a.full for a in e.addresses], row
    # the 5 comment rows continue their entity's remarks
    for row in _rows(folder / "sdn_comments.csv"):
        assert any(r.endswith(row[1].rstrip()) for r in by_num[row[0]].remarks)
    lazarus = [e for e in data.entities if e.caption == "LAZARUS GROUP"]
    assert lazarus
    assert any(lk.target_id == lazarus[0].id for lk in data.links)


def test_2021_counts_vessels(set2021: ListData) -> None:
    vessels = [e for e in set2021.entities if e.schema is Schema.VESSEL]
    assert sum(1 for e in vessels if e.ids_of(IdKind.IMO)) == 399


def test_consolidated_non_sdn() -> None:
    data = shared_list(_cache.CONS)
    meta = data.meta[0]
    assert meta.source == "us_ofac_cons"
    assert meta.by_schema == {"Organization": 363, "Person": 79}
    programs = Counter(p for e in data.entities for p in e.programs)
    assert programs["UKRAINE-EO13662"] == 286
    assert programs["NS-PLC"] == 78
    n_alt = sum(1 for e in data.entities for n in e.names if n.kind is not NameKind.PRIMARY)
    assert n_alt >= 1073 - 5  # cons_alt rows (a few may duplicate a remark a.k.a.)
    assert len(meta.files) == 4
