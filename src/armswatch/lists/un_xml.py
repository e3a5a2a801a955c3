"""UN Security Council Consolidated List, XML.

Schema: https://www.un.org/sc/resources/sc-sanctions.xsd (published with the list at
https://scsanctions.un.org/resources/xml/en/consolidated.xml). ``CONSOLIDATED_LIST`` holds
``INDIVIDUALS/INDIVIDUAL`` and ``ENTITIES/ENTITY`` records: DATAID, FIRST_NAME ..
FOURTH_NAME (an entity's name is its FIRST_NAME), UN_LIST_TYPE (the committee),
REFERENCE_NUMBER, LISTED_ON, NATIONALITY/VALUE, *_ALIAS (QUALITY Good/Low/a.k.a./f.k.a.,
ALIAS_NAME), *_ADDRESS, INDIVIDUAL_DATE_OF_BIRTH (TYPE_OF_DATE EXACT/APPROXIMATELY/BETWEEN
with DATE, YEAR or FROM_YEAR/TO_YEAR), INDIVIDUAL_PLACE_OF_BIRTH, INDIVIDUAL_DOCUMENT,
COMMENTS1.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import partial
from pathlib import Path

from armswatch.errors import BadInputError
from armswatch.lists._common import Records, add_address, parse_xml, text_of
from armswatch.lists._dates import expand_range, parse_one
from armswatch.lists._types import ListData, ListMeta, sha256_file
from armswatch.model import Entity, IdKind, NameKind, Schema

SOURCE = "un_sc_sanctions"
PUBLISHER = "United Nations Security Council"

# UN_LIST_TYPE -> the resolution that set up the sanctions committee (how the programme
# is usually cited, e.g. "UN 1718" for the DPRK regime).
PROGRAMS: dict[str, str] = {
    "DPRK": "UN 1718",
    "Iran": "UN 2231",
    "Al-Qaida": "UN 1267",
    "Taliban": "UN 1988",
    "Iraq": "UN 1518",
    "DRC": "UN 1533",
    "Libya": "UN 1970",
    "Somalia": "UN 2713",  # Al-Shabaab regime (was 751/1907 until 2023)
    "CAR": "UN 2127",
    "Haiti": "UN 2653",
    "Yemen": "UN 2140",
    "GB": "UN 2048",  # Guinea-Bissau
    "Sudan": "UN 1591",
    "SouthSudan": "UN 2206",
    "Mali": "UN 2374",
    "Lebanon": "UN 1636",
}

_ALIAS_KINDS = {"good": NameKind.AKA, "low": NameKind.WEAK, "a.k.a.": NameKind.AKA,
                "f.k.a.": NameKind.FKA, "n.k.a.": NameKind.NKA, "": NameKind.AKA}
_DOC_KINDS = {"passport": IdKind.PASSPORT, "national identification number": IdKind.NATIONAL_ID,
              "identity card": IdKind.NATIONAL_ID, "national identity card": IdKind.NATIONAL_ID}


def sniff(head: str) -> bool:
    return "<CONSOLIDATED_LIST" in head[:4096]


def read(path: Path) -> ListData:
    data = path.read_bytes()
    root = parse_xml(path, data)
    if root.tag != "CONSOLIDATED_LIST":
        raise BadInputError(f"root element is <{root.tag}>, expected <CONSOLIDATED_LIST>",
                            path, 1)
    generated = root.get("dateGenerated") or ""
    meta = ListMeta(source=SOURCE, publisher=PUBLISHER, format="un_xml", path=str(path),
                    date=generated[:10] or None)
    meta.files[str(path)] = sha256_file(path)
    records = Records(meta, path, "INDIVIDUAL or ENTITY")
    for group, tag, schema in (("INDIVIDUALS", "INDIVIDUAL", Schema.PERSON),
                               ("ENTITIES", "ENTITY", Schema.ORGANIZATION)):
        for i, el in enumerate(root.iterfind(f"{group}/{tag}"), start=1):
            dataid = text_of(el.find("DATAID"))
            records.add(i, dataid, partial(_entity, el, dataid, schema, tag),
                        problem=f"{tag} without DATAID")
    return records.done()


def _entity(el: ET.Element, dataid: str, schema: Schema, tag: str) -> Entity:
    e = Entity(id=f"{SOURCE}-{dataid}", schema=schema, source=SOURCE, source_id=dataid)
    parts = [text_of(el.find(t)) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME",
                                           "FOURTH_NAME")]
    e.add_name(" ".join(p for p in parts if p), NameKind.PRIMARY)
    for orig in el.iterfind("NAME_ORIGINAL_SCRIPT"):
        e.add_name(text_of(orig), NameKind.AKA, remarks="original script")
    list_type = text_of(el.find("UN_LIST_TYPE"))
    if list_type:
        e.programs.append(PROGRAMS.get(list_type, f"UN {list_type}"))
    if ref := text_of(el.find("REFERENCE_NUMBER")):
        e.reference_numbers.append(ref)
    if listed := parse_one(text_of(el.find("LISTED_ON"))):
        e.listed_on.append(listed)
    if comments := text_of(el.find("COMMENTS1")):
        e.remarks.append(comments)
    titles = [text_of(v) for v in el.iterfind("TITLE/VALUE") if text_of(v)]
    e.title = "; ".join(titles) or None
    designations = [text_of(v) for v in el.iterfind("DESIGNATION/VALUE") if text_of(v)]
    if designations:
        e.remarks.append("Designation: " + "; ".join(designations))
    e.gender = (text_of(el.find("GENDER")) or "").lower() or None
    for v in el.iterfind("NATIONALITY/VALUE"):
        if (nat := text_of(v)) and nat not in e.nationalities:
            e.nationalities.append(nat)
    for alias in el.iterfind(f"{tag}_ALIAS"):
        name = text_of(alias.find("ALIAS_NAME"))
        if not name:
            continue
        quality = text_of(alias.find("QUALITY")).lower()
        e.add_name(name, _ALIAS_KINDS.get(quality, NameKind.AKA))
    for addr in el.iterfind(f"{tag}_ADDRESS"):
        _address(e, addr)
    for dob in el.iterfind("INDIVIDUAL_DATE_OF_BIRTH"):
        for d in _dob(dob):
            if d not in e.birth_dates:
                e.birth_dates.append(d)
    for pob in el.iterfind("INDIVIDUAL_PLACE_OF_BIRTH"):
        place = ", ".join(p for p in (text_of(pob.find(t)) for t in
                                      ("CITY", "STATE_PROVINCE", "COUNTRY")) if p)
        if place and place not in e.birth_places:
            e.birth_places.append(place)
    for doc in el.iterfind("INDIVIDUAL_DOCUMENT"):
        _document(e, doc)
    return e


def _address(e: Entity, addr: ET.Element) -> None:
    street, city = text_of(addr.find("STREET")), text_of(addr.find("CITY"))
    region, postal = text_of(addr.find("STATE_PROVINCE")), text_of(addr.find("ZIP_CODE"))
    country, note = text_of(addr.find("COUNTRY")), text_of(addr.find("NOTE"))
    full = ", ".join(p for p in (street, city, region, postal, country) if p)
    if note:
        full = f"{full} ({note})" if full else note
    add_address(e, street=street, city=city, region=region, postal=postal, country=country,
                full=full)


def _dob(dob: ET.Element) -> list[str]:
    date = parse_one(text_of(dob.find("DATE")))
    year = parse_one(text_of(dob.find("YEAR")))
    lo, hi = parse_one(text_of(dob.find("FROM_YEAR"))), parse_one(text_of(dob.find("TO_YEAR")))
    if date:
        return [date]
    if year:
        return [year]
    if lo and hi:
        return expand_range(lo, hi)
    return [d for d in (lo, hi) if d]


def _document(e: Entity, doc: ET.Element) -> None:
    kind_text = text_of(doc.find("TYPE_OF_DOCUMENT"))
    number = text_of(doc.find("NUMBER"))
    note = "; ".join(p for p in (text_of(doc.find("TYPE_OF_DOCUMENT2")),
                                 text_of(doc.find("DATE_OF_ISSUE")),
                                 text_of(doc.find("CITY_OF_ISSUE")),
                                 text_of(doc.find("NOTE"))) if p)
    if not number:
        if kind_text or note:
            e.remarks.append(f"Document: {kind_text} {note}".strip())
        return
    kind = _DOC_KINDS.get(kind_text.lower(), IdKind.OTHER)
    if kind is IdKind.OTHER and kind_text:
        note = f"{kind_text}; {note}" if note else kind_text
    country = text_of(doc.find("ISSUING_COUNTRY")) or text_of(doc.find("COUNTRY_OF_ISSUE"))
    e.add_identifier(kind, number, country=country or None, note=note or None)
