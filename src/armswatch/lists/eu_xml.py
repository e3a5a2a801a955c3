"""EU consolidated list of persons, groups and entities subject to financial sanctions,
"Financial Sanctions Files" (FSF) XML edition 1.1.

Format as published by the European Commission (DG FISMA) at
https://webgate.ec.europa.eu/fsd/fsf (file ``xmlFullSanctionsList_1_1``, namespace
``http://eu.europa.ec/fpi/fsd/export``): root ``export`` (attribute generationDate) with one
``sanctionEntity`` per listing (attributes logicalId, euReferenceNumber, unitedNationId,
designationDate, designationDetails) holding ``regulation`` (programme, publicationDate,
entryIntoForceDate, numberTitle, publicationUrl), ``subjectType`` (code person / enterprise,
classificationCode P / E), ``nameAlias`` (wholeName, firstName, middleName, lastName,
function, gender M/F, title, nameLanguage, strong true/false), ``citizenship``
(countryIso2Code, countryDescription), ``birthdate`` (birthdate, year, circa, city, place,
countryDescription), ``identification`` (identificationTypeCode passport / id / regnumber /
fiscalcode / swiftbic / other, number, countryDescription, issuedDate, validTo) and
``address`` (street, city, zipCode, region, place, poBox, countryDescription), plus
``remark`` elements. Almost everything is in attributes.

The full file (about 20 MB) was not staged; the tests use a small sample written to this
format by us.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import partial
from pathlib import Path

from armswatch.errors import BadInputError
from armswatch.lists._common import Records, add_address, parse_xml, strip_ns
from armswatch.lists._dates import parse_one
from armswatch.lists._types import ListData, ListMeta, sha256_file
from armswatch.model import Entity, IdKind, NameKind, Schema

SOURCE = "eu_fsf"
PUBLISHER = "European Commission (DG FISMA), EU Financial Sanctions Files"
NAMESPACE = "http://eu.europa.ec/fpi/fsd/export"

_SUBJECTS = {"person": Schema.PERSON, "enterprise": Schema.ORGANIZATION,
             "vessel": Schema.VESSEL}
_ID_KINDS = {"passport": IdKind.PASSPORT, "id": IdKind.NATIONAL_ID,
             "regnumber": IdKind.REGISTRATION, "fiscalcode": IdKind.TAX_ID,
             "swiftbic": IdKind.SWIFT, "imo": IdKind.IMO, "other": IdKind.OTHER}
_GENDERS = {"M": "male", "F": "female"}


def sniff(head: str) -> bool:
    start = head.lstrip()[:4096]
    return "<export" in start and NAMESPACE in start


def _kids(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if strip_ns(c.tag) == name]


def _a(el: ET.Element, name: str) -> str:
    return " ".join((el.get(name) or "").split())


def read(path: Path) -> ListData:
    root = parse_xml(path, path.read_bytes())
    if strip_ns(root.tag) != "export":
        raise BadInputError(f"root element is <{strip_ns(root.tag)}>, expected <export>",
                            path, 1)
    meta = ListMeta(source=SOURCE, publisher=PUBLISHER, format="eu_xml", path=str(path),
                    date=parse_one(_a(root, "generationDate")[:10]))
    meta.files[str(path)] = sha256_file(path)
    records = Records(meta, path, "sanctionEntity")
    for i, el in enumerate(_kids(root, "sanctionEntity"), start=1):
        subject = next(iter(_kids(el, "subjectType")), None)
        code = _a(subject, "code").lower() if subject is not None else ""
        logical_id = _a(el, "logicalId")
        schema = _SUBJECTS.get(code, Schema.ORGANIZATION)
        records.add(i, logical_id, partial(_entity, el, logical_id, schema),
                    ok=code in _SUBJECTS, problem=f"unknown subjectType {code!r}")
    return records.done()


def _entity(el: ET.Element, logical_id: str, schema: Schema) -> Entity:
    e = Entity(id=f"{SOURCE}-{logical_id}", schema=schema, source=SOURCE,
               source_id=logical_id)
    for ref in (_a(el, "euReferenceNumber"), _a(el, "unitedNationId")):
        if ref:
            e.reference_numbers.append(ref)
    if details := _a(el, "designationDetails"):
        e.remarks.append(details)
    if listed := parse_one(_a(el, "designationDate")[:10]):
        e.listed_on.append(listed)
    for reg in _kids(el, "regulation"):
        if (prog := _a(reg, "programme")) and prog not in e.programs:
            e.programs.append(prog)
        for url in _kids(reg, "publicationUrl"):
            if url.text and e.source_url is None:
                e.source_url = url.text.strip()
    for remark in _kids(el, "remark"):
        if remark.text and remark.text.strip():
            e.remarks.append(" ".join(remark.text.split()))
    first = True
    for alias in _kids(el, "nameAlias"):
        name = _a(alias, "wholeName") or " ".join(
            p for p in (_a(alias, "firstName"), _a(alias, "middleName"),
                        _a(alias, "lastName")) if p)
        if not name:
            continue
        strong = _a(alias, "strong").lower() != "false"
        kind = NameKind.PRIMARY if first else (NameKind.AKA if strong else NameKind.WEAK)
        e.add_name(name, kind, lang=_a(alias, "nameLanguage") or None)
        first = False
        e.gender = e.gender or _GENDERS.get(_a(alias, "gender"))
        e.title = e.title or _a(alias, "title") or None
        if function := _a(alias, "function"):
            e.remarks.append(f"Function: {function}")
    for cit in _kids(el, "citizenship"):
        if (c := _a(cit, "countryDescription") or _a(cit, "countryIso2Code")) \
                and c not in e.nationalities:
            e.nationalities.append(c)
    for b in _kids(el, "birthdate"):
        date = parse_one(_a(b, "birthdate")) or parse_one(_a(b, "year"))
        if date and date not in e.birth_dates:
            e.birth_dates.append(date)
        place = ", ".join(p for p in (_a(b, "city"), _a(b, "place"), _a(b, "region"),
                                      _a(b, "countryDescription")) if p)
        if place and place not in e.birth_places:
            e.birth_places.append(place)
    for ident in _kids(el, "identification"):
        number = _a(ident, "number") or _a(ident, "latinNumber")
        if not number:
            continue
        id_kind = _ID_KINDS.get(_a(ident, "identificationTypeCode").lower(), IdKind.OTHER)
        note = "; ".join(p for p in (_a(ident, "identificationTypeDescription"),
                                     _a(ident, "issuedDate"), _a(ident, "validTo")) if p)
        if number.upper().startswith("IMO") and number[3:].strip().isdecimal():
            id_kind, number = IdKind.IMO, number[3:].strip()
        e.add_identifier(id_kind, number, country=_a(ident, "countryDescription") or None,
                         note=note or None)
    for addr in _kids(el, "address"):
        street, city = _a(addr, "street"), _a(addr, "city")
        postal, region = _a(addr, "zipCode"), _a(addr, "region")
        country = _a(addr, "countryDescription")
        parts = (street, _a(addr, "poBox"), city, _a(addr, "place"), region, postal, country)
        add_address(e, street=street, city=city, region=region, postal=postal, country=country,
                    full=", ".join(p for p in parts if p))
    return e
