"""OFAC XML, EU FSF, UK (FCDO XML, OFSI CSV) readers on samples we wrote; GUR on the real file."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from armswatch.lists import detect, diff_lists, read_list, read_lists
from armswatch.model import IdKind, NameKind, Schema
from tests.conftest import need

DATA = Path(__file__).parent / "data"


def test_ofac_xml_equals_csv_edition() -> None:
    """Both OFAC editions of the same records give the same entities and links."""
    xml = read_list(DATA / "ofac_sdn_sample.xml")
    csv = read_list(DATA / "ofac_sample" / "sdn.csv")
    assert xml.meta[0].format == "ofac_xml"
    assert xml.meta[0].date == "2026-06-02"
    assert csv.meta[0].format == "ofac_csv"
    d = diff_lists(csv.entities, xml.entities, csv.links, xml.links)
    assert d.summary()["added"] == d.summary()["removed"] == 0
    assert d.links_added == d.links_removed == []
    # the only differences: remarks text, the XML-only weak alias, the CSV-only address
    fields = {(c.id, f.field) for c in d.changed for f in c.changes}
    assert fields == {("us_ofac_sdn-90001", "remarks"), ("us_ofac_sdn-90002", "remarks"),
                      ("us_ofac_sdn-90002", "names"), ("us_ofac_sdn-90003", "remarks"),
                      ("us_ofac_sdn-90003", "addresses"), ("us_ofac_sdn-90003", "countries"),
                      ("us_ofac_sdn-90004", "remarks")}
    by_id = {e.source_id: e for e in xml.entities}
    assert by_id["90001"].ids_of(IdKind.IMO) == ["9000001"]
    assert by_id["90001"].past_flags == ["Malta", "Tuvalu"]
    assert ("FTC", NameKind.WEAK) in [(n.value, n.kind) for n in by_id["90002"].names]
    assert by_id["90003"].birth_dates == ["1970-01-01", "1968"]
    assert by_id["90003"].ids_of(IdKind.CRYPTO) == ["1FictionalAddressXXXXXXXXXXXXXXXX"]
    kinds = {(lk.source_id, lk.kind.value, lk.target_id) for lk in xml.links}
    assert kinds == {("us_ofac_sdn-90001", "associate", "us_ofac_sdn-90002"),
                     ("us_ofac_sdn-90002", "operator", "us_ofac_sdn-90004")}


def test_eu_fsf() -> None:
    data = read_list(DATA / "eu_fsf_sample.xml")
    meta = data.meta[0]
    assert (meta.source, meta.format, meta.date) == ("eu_fsf", "eu_xml", "2026-06-01")
    kim, ship_co = data.entities
    assert kim.schema is Schema.PERSON
    assert kim.caption == "KIM FICTION Chol"
    assert [(n.value, n.kind) for n in kim.names][1:] == [
        ("Kim Chol-fiction", NameKind.WEAK), ("김철", NameKind.AKA)]
    assert kim.birth_dates == ["1966-07-15"]
    assert kim.programs == ["PRK"]
    assert kim.reference_numbers == ["EU.9001.01", "KPi.999"]
    assert kim.ids_of(IdKind.PASSPORT) == ["290000001"]
    assert ship_co.schema is Schema.ORGANIZATION
    assert ship_co.ids_of(IdKind.IMO) == ["6000001"]
    assert ship_co.addresses[0].city == "Saint Petersburg"


def test_uk_fcdo_and_ofsi_agree() -> None:
    fcdo = read_list(DATA / "uk_fcdo_sample.xml")
    ofsi = read_list(DATA / "uk_conlist_sample.csv")
    assert fcdo.meta[0].format == "uk_fcdo_xml"
    assert ofsi.meta[0].format == "uk_ofsi_csv"
    assert ofsi.meta[0].date == "2026-06-01"
    person_f = next(e for e in fcdo.entities if e.schema is Schema.PERSON)
    person_o = next(e for e in ofsi.entities if e.schema is Schema.PERSON)
    for e in (person_f, person_o):
        assert e.caption == "Pyotr Ivanovich FICTIONOV"
        assert ("PETYA", NameKind.WEAK) in [(n.value, n.kind) for n in e.names]
        assert e.birth_dates == ["1965-02-14"]
        assert e.ids_of(IdKind.PASSPORT) == ["750000001"]
        assert e.programs == ["Russia"]
    ship_f = next(e for e in fcdo.entities if e.schema is Schema.VESSEL)
    ship_o = next(e for e in ofsi.entities if e.schema is Schema.VESSEL)
    assert ship_f.ids_of(IdKind.IMO) == ship_o.ids_of(IdKind.IMO) == ["9000002"]
    assert ship_f.flag == "Gabon"
    assert ship_f.past_flags == ["Liberia"]
    assert ship_f.build_date == "2004"
    assert Counter(e.schema for e in ofsi.entities) == {
        Schema.PERSON: 1, Schema.ORGANIZATION: 1, Schema.VESSEL: 1}


def test_gur_vessels_real_file() -> None:
    data = read_list(need("sanctions/vessels/gur_shadow_fleet_vessels_2026-06-12.csv"))
    meta = data.meta[0]
    assert meta.is_sanctions_list is False
    assert meta.source == "ua_gur_shadow_fleet"
    assert len(data.entities) == 1414
    assert meta.skipped == []
    delisted = [e for e in data.entities if any("delisted" in r for r in e.remarks)]
    assert len(delisted) == 10
    assert sum(1 for e in data.entities if e.ids_of(IdKind.IMO)) == 1410
    with_former = [e for e in data.entities
                   if any(n.kind is NameKind.FKA for n in e.names)]
    assert len(with_former) == 1404
    tracos = next(e for e in data.entities if e.caption == "TRACOS")
    assert tracos.ids_of(IdKind.IMO) == ["9224453"]
    assert "SCF Khibiny" in tracos.all_names()


def test_detection_ignores_file_names(tmp_path: Path) -> None:
    """Formats come from content: renamed files are still recognised."""
    for src, fmt in ((DATA / "eu_fsf_sample.xml", "eu_xml"),
                     (DATA / "uk_conlist_sample.csv", "uk_ofsi_csv"),
                     (DATA / "ofac_sdn_sample.xml", "ofac_xml"),
                     (DATA / "ofac_sample" / "alt.csv", "ofac_csv_alt")):
        renamed = tmp_path / f"renamed-{fmt}.txt"
        renamed.write_bytes(src.read_bytes())
        assert detect(renamed).name == fmt


def test_ship_operator_resolved_across_lists() -> None:
    """The FCDO ship's owner/operator is not on the UK file but is on the EU one."""
    alone = read_list(DATA / "uk_fcdo_sample.xml")
    assert alone.links == []
    assert [p.name for p in alone.meta[0].unresolved] == ["Fictional Shipmanagement LLC"]
    both = read_lists([DATA / "uk_fcdo_sample.xml", DATA / "eu_fsf_sample.xml"])
    assert [(lk.source_id, lk.kind.value, lk.target_id) for lk in both.links] == [
        ("eu_fsf-900102", "operator", "gb_fcdo_sanctions-RUS9002")]
    assert both.meta[0].unresolved == []
