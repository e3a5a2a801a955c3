"""OFAC SDN list in its XML edition (``sdn.xml``; the consolidated non-SDN list
``consolidated.xml`` has the same schema).

Schema: OFAC's ``sdn.xsd`` (https://www.treasury.gov/ofac/downloads/sdn.xsd): root
``sdnList`` with ``publshInformation`` (sic: Publish_Date MM/DD/YYYY, Record_Count) and one
``sdnEntry`` per record: uid, firstName, lastName, title, sdnType (Individual, Entity,
Vessel, Aircraft), remarks, programList/program, idList/id (idType, idNumber, idCountry,
issueDate, expirationDate), akaList/aka (type a.k.a./f.k.a./n.k.a., category
strong/weak, lastName, firstName), addressList/address, nationalityList,
citizenshipList, dateOfBirthList/dateOfBirthItem, placeOfBirthList/placeOfBirthItem and
vesselInfo (callSign, vesselType, vesselFlag, vesselOwner, tonnage,
grossRegisteredTonnage). Namespaced or not, both are read.

The ``idList`` holds the same labelled facts that the CSV edition packs into Remarks
("Vessel Registration Identification" = "IMO 9187629", "MMSI", "Former Vessel Flag",
"Gender", "Digital Currency Address - XBT", ...), so each id is read with the same
label table as the CSV remarks (:mod:`armswatch.lists._ofac_remarks`): both editions give
the same entities.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import partial
from pathlib import Path

from armswatch.errors import BadInputError
from armswatch.lists._common import (
    NameIndex,
    Records,
    add_address,
    parse_xml,
    resolve_links,
    strip_ns,
    text_of,
)
from armswatch.lists._dates import parse_one
from armswatch.lists._types import ListData, ListMeta, PendingLink, sha256_file
from armswatch.lists.ofac_csv import CONS_SOURCE, DETAIL_URL, PUBLISHER, SDN_SOURCE, apply_remarks
from armswatch.model import Entity, IdKind, LinkKind, NameKind, Schema

_TYPES = {"individual": Schema.PERSON, "entity": Schema.ORGANIZATION,
          "vessel": Schema.VESSEL, "aircraft": Schema.AIRPLANE}
_AKA = {"a.k.a.": NameKind.AKA, "f.k.a.": NameKind.FKA, "n.k.a.": NameKind.NKA}


def sniff(head: str) -> bool:
    start = head.lstrip()[:4096]
    return "<sdnList" in start


def _children(el: ET.Element | None, name: str) -> list[ET.Element]:
    if el is None:
        return []
    return [c for c in el if strip_ns(c.tag) == name]


def _child(el: ET.Element | None, name: str) -> ET.Element | None:
    found = _children(el, name)
    return found[0] if found else None


def _t(el: ET.Element | None, name: str) -> str:
    return text_of(_child(el, name))


def _person_name(el: ET.Element) -> str:
    last, first = _t(el, "lastName"), _t(el, "firstName")
    return f"{last}, {first}" if last and first else last or first


def read(path: Path) -> ListData:
    root = parse_xml(path, path.read_bytes())
    if strip_ns(root.tag) != "sdnList":
        raise BadInputError(f"root element is <{strip_ns(root.tag)}>, expected <sdnList>",
                            path, 1)
    source = CONS_SOURCE if "cons" in path.name.lower() else SDN_SOURCE
    info = _child(root, "publshInformation")
    published = parse_one(_us_date(_t(info, "Publish_Date")))
    meta = ListMeta(source=source, publisher=PUBLISHER, format="ofac_xml", path=str(path),
                    date=published)
    meta.files[str(path)] = sha256_file(path)
    wanted: list[PendingLink] = []
    records = Records(meta, path, "sdnEntry")
    for i, entry in enumerate(_children(root, "sdnEntry"), start=1):
        kind = _t(entry, "sdnType").lower()
        uid = _t(entry, "uid")
        schema = _TYPES.get(kind, Schema.ORGANIZATION)
        records.add(i, uid, partial(_entity, entry, uid, schema, source, wanted),
                    ok=kind in _TYPES, problem=f"unknown sdnType {kind!r}")
    count, found = _t(info, "Record_Count"), len(records.entities) + len(meta.skipped)
    if count.isdecimal() and int(count) != found:
        meta.notes.append(f"Record_Count says {count}, the file has {found} entries")
    links, missing = resolve_links(NameIndex(records.entities), wanted, source)
    meta.unresolved.extend(missing)
    return records.done(links)


def _us_date(text: str) -> str:
    """``05/03/2024`` (month first, as OFAC writes it) -> ``2024-05-03``."""
    parts = text.split("/")
    if len(parts) == 3 and all(p.isdecimal() for p in parts):
        return f"{parts[2]}-{int(parts[0]):02d}-{int(parts[1]):02d}"
    return text


def _entity(entry: ET.Element, uid: str, schema: Schema, source: str,
            wanted: list[PendingLink]) -> Entity:
    e = Entity(id=f"{source}-{uid}", schema=schema, source=source, source_id=uid,
               source_url=DETAIL_URL.format(uid))
    e.add_name(_person_name(entry), NameKind.PRIMARY)
    e.title = _t(entry, "title") or None
    e.programs = [text_of(p) for p in _children(_child(entry, "programList"), "program")
                  if text_of(p)]
    for aka in _children(_child(entry, "akaList"), "aka"):
        kind = NameKind.WEAK if _t(aka, "category").lower() == "weak" else \
            _AKA.get(_t(aka, "type").lower(), NameKind.AKA)
        e.add_name(_person_name(aka), kind)
    for addr in _children(_child(entry, "addressList"), "address"):
        street = ", ".join(p for p in (_t(addr, "address1"), _t(addr, "address2"),
                                       _t(addr, "address3")) if p)
        city, region = _t(addr, "city"), _t(addr, "stateOrProvince")
        postal, country = _t(addr, "postalCode"), _t(addr, "country")
        add_address(e, street=street, city=city, region=region, postal=postal, country=country)
    for lst, item, tag in (("nationalityList", "nationality", "country"),
                           ("citizenshipList", "citizenship", "country")):
        for n in _children(_child(entry, lst), item):
            if (c := _t(n, tag)) and c not in e.nationalities:
                e.nationalities.append(c)
    # facts OFAC writes as labelled text go through the same parser as CSV remarks
    segments = [f"DOB {_t(d, 'dateOfBirth')}" for d in
                _children(_child(entry, "dateOfBirthList"), "dateOfBirthItem")]
    segments += [f"POB {_t(p, 'placeOfBirth')}" for p in
                 _children(_child(entry, "placeOfBirthList"), "placeOfBirthItem")]
    for ident in _children(_child(entry, "idList"), "id"):
        seg = f"{_t(ident, 'idType')} {_t(ident, 'idNumber')}".strip()
        if country := _t(ident, "idCountry"):
            seg += f" ({country})"
        if issued := _t(ident, "issueDate"):
            seg += f" issued {issued}"
        if expires := _t(ident, "expirationDate"):
            seg += f" expires {expires}"
        segments.append(seg)
    vessel = _child(entry, "vesselInfo")
    if vessel is not None:
        if call_sign := _t(vessel, "callSign"):
            e.add_identifier(IdKind.CALL_SIGN, call_sign)
        e.vessel_type = _t(vessel, "vesselType") or None
        e.flag = _t(vessel, "vesselFlag") or None
        e.tonnage = _t(vessel, "tonnage") or None
        e.gross_tonnage = _t(vessel, "grossRegisteredTonnage") or None
        if owner := _t(vessel, "vesselOwner"):
            e.remarks.append(f"Vessel owner: {owner}")
            wanted.append(PendingLink(e.id, owner, LinkKind.OWNER, "vesselOwner"))
    remarks = _t(entry, "remarks")
    if remarks:
        e.remarks.append(remarks)
    text = "; ".join(s for s in [*segments, remarks] if s)
    if text:
        apply_remarks(e, text, wanted)
    return e
