"""UK sanctions lists: the FCDO "UK Sanctions List" (XML) and OFSI's Consolidated List of
Financial Sanctions Targets (``ConList.csv``, "2022 format").

* FCDO UK Sanctions List XML (https://www.gov.uk/government/publications/the-uk-sanctions-list,
  file ``UK-Sanctions-List.xml``): root ``Designations``, one ``Designation`` per listed
  party with LastUpdated, DateDesignated, UniqueID (e.g. ``RUS0001``), OFSIGroupID,
  UNReferenceNumber, Names/Name (Name1..Name6 with Name6 = family name or entity name,
  NameType "Primary Name"/"Alias", AliasStrength), NonLatinNames, RegimeName,
  IndividualEntityShip (Individual / Entity / Ship), SanctionsImposed, OtherInformation,
  UKStatementofReasons, Addresses/Address (AddressLine1..6, AddressPostalCode,
  AddressCountry), IndividualDetails/Individual (DOBs, Nationalities, PassportDetails,
  NationalIdentifierDetails, Positions, Genders, BirthDetails/Location), EntityDetails
  (BusinessRegistrationNumbers, TypeOfEntities) and ShipDetails/Ship (IMONumbers,
  CurrentOwnerOperators, CurrentBelievedFlagOfShips, PreviousFlags, TypeOfShips,
  TonnageOfShips, YearBuilts, HullIdentificationNumbers).
* OFSI ConList.csv (https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.csv):
  a ``Last Updated,<dd/mm/yyyy>`` line, a header line (Name 6, Name 1..5, Title, DOB,
  Town of Birth, Country of Birth, Nationality, Passport Number, Passport Details,
  National Identification Number, ..., Address 1..6, Post/Zip Code, Country, Other
  Information, Group Type, Alias Type, Alias Quality, Regime, Listed On, UK Sanctions List
  Date Designated, Last Updated, Group ID), then one row per NAME: the rows of one party
  share its Group ID. OFSI stopped publishing it in 2026 in favour of the FCDO list;
  archived copies still read.

Neither file was staged; the tests use small samples written by us to these layouts.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

from armswatch.errors import BadInputError
from armswatch.lists._common import (
    NameIndex,
    Records,
    add_address,
    decode,
    parse_xml,
    resolve_links,
    strip_ns,
)
from armswatch.lists._dates import parse_one
from armswatch.lists._types import ListData, ListMeta, PendingLink, SkippedRow, finish, sha256_file
from armswatch.model import Entity, IdKind, LinkKind, NameKind, Schema

FCDO_SOURCE = "gb_fcdo_sanctions"
OFSI_SOURCE = "gb_hmt_sanctions"
FCDO_PUBLISHER = "UK Foreign, Commonwealth & Development Office"
OFSI_PUBLISHER = "UK HM Treasury, Office of Financial Sanctions Implementation (OFSI)"

_IMO_IN_TEXT = re.compile(r"\bIMO(?:\s+number)?\s*:?\s*(\d{7})\b", re.IGNORECASE)
_KINDS = {"individual": Schema.PERSON, "entity": Schema.ORGANIZATION, "ship": Schema.VESSEL}


def _name_kind(name_type: str, strength: str) -> NameKind:
    t, s = name_type.lower(), strength.lower()
    if t.startswith("primary name variation"):
        return NameKind.AKA
    if t.startswith("primary"):
        return NameKind.PRIMARY
    if "low" in s:
        return NameKind.WEAK
    if "former" in t or t == "fka":
        return NameKind.FKA
    return NameKind.AKA


def _join(parts: Iterable[str]) -> str:
    return " ".join(p for p in (" ".join(x.split()) for x in parts) if p)


# -- FCDO XML ----------------------------------------------------------------------------

def sniff_fcdo(head: str) -> bool:
    start = head.lstrip()[:4096]
    return "<Designations" in start


def _all(el: ET.Element, name: str) -> list[ET.Element]:
    return [x for x in el.iter() if strip_ns(x.tag) == name]


def _texts(el: ET.Element, name: str) -> list[str]:
    out = []
    for x in _all(el, name):
        v = " ".join((x.text or "").split())
        if v and v not in out:
            out.append(v)
    return out


def _first(el: ET.Element, name: str) -> str:
    vals = _texts(el, name)
    return vals[0] if vals else ""


def read_fcdo(path: Path) -> ListData:
    root = parse_xml(path, path.read_bytes())
    if strip_ns(root.tag) != "Designations":
        raise BadInputError(f"root element is <{strip_ns(root.tag)}>, expected "
                            "<Designations>", path, 1)
    dates = sorted(d for d in (parse_one(x) for x in _texts(root, "DateGenerated")) if d)
    meta = ListMeta(source=FCDO_SOURCE, publisher=FCDO_PUBLISHER, format="uk_fcdo_xml",
                    path=str(path), date=dates[-1] if dates else None)
    meta.files[str(path)] = sha256_file(path)
    records = Records(meta, path, "Designation")
    for i, d in enumerate((x for x in root if strip_ns(x.tag) == "Designation"), start=1):
        kind = _first(d, "IndividualEntityShip").lower()
        uid = _first(d, "UniqueID")
        schema = _KINDS.get(kind, Schema.ORGANIZATION)
        records.add(i, uid, partial(_fcdo_entity, d, uid, schema), ok=kind in _KINDS,
                    problem=f"unknown IndividualEntityShip {kind!r}")
    wanted = [PendingLink(e.id, owner, LinkKind.OPERATOR, "Current owner/operator")
              for e in records.entities for owner in _owner_names(e)]
    links, missing = resolve_links(NameIndex(records.entities), wanted, FCDO_SOURCE)
    meta.unresolved.extend(missing)
    return records.done(links)


_OWNER_PREFIX = "Current owner/operator: "


def _owner_names(e: Entity) -> list[str]:
    return [r.removeprefix(_OWNER_PREFIX) for r in e.remarks if r.startswith(_OWNER_PREFIX)]


def _fcdo_entity(d: ET.Element, uid: str, schema: Schema) -> Entity:
    e = Entity(id=f"{FCDO_SOURCE}-{uid}", schema=schema, source=FCDO_SOURCE, source_id=uid)
    e.reference_numbers = [uid, *_texts(d, "UNReferenceNumber")]
    names = list(_all(d, "Name"))
    names.sort(key=lambda n: not _first(n, "NameType").lower().startswith("primary name"))
    for n in names:
        full = _join([_first(n, f"Name{k}") for k in (1, 2, 3, 4, 5, 6)])
        if full:
            e.add_name(full, _name_kind(_first(n, "NameType"), _first(n, "AliasStrength")))
    if e.names and e.names[0].kind is not NameKind.PRIMARY:
        first = e.names.pop(0)
        e.add_name(first.value, NameKind.PRIMARY)
    for orig in _texts(d, "NameNonLatinScript"):
        e.add_name(orig, NameKind.AKA, remarks="non-Latin script")
    e.programs = _texts(d, "RegimeName")
    e.listed_on = [x for x in (parse_one(v) for v in _texts(d, "DateDesignated")) if x]
    for label in ("SanctionsImposed", "OtherInformation", "UKStatementofReasons"):
        e.remarks.extend(f"{label}: {v}" if label == "SanctionsImposed" else v
                         for v in _texts(d, label))
    for a in _all(d, "Address"):
        lines = [_first(a, f"AddressLine{k}") for k in range(1, 7)]
        _add_address(e, lines, _first(a, "AddressPostalCode"), _first(a, "AddressCountry"))
    e.birth_dates = [x for x in (parse_one(v) for v in _texts(d, "DOB")) if x]
    e.nationalities = _texts(d, "Nationality")
    e.gender = (_first(d, "Gender").lower() or None)
    e.title = _first(d, "Title") or None
    for loc in _all(d, "Location"):
        place = ", ".join(p for p in (_first(loc, "TownOfBirth"),
                                      _first(loc, "CountryOfBirth")) if p)
        if place and place not in e.birth_places:
            e.birth_places.append(place)
    for p in _all(d, "PassportDetail"):
        if num := _first(p, "PassportNumber"):
            e.add_identifier(IdKind.PASSPORT, num,
                             note=_first(p, "PassportAdditionalInformation") or None)
    for p in _all(d, "NationalIdentifierDetail"):
        if num := _first(p, "NationalIdentifierNumber"):
            e.add_identifier(IdKind.NATIONAL_ID, num,
                             note=_first(p, "NationalIdentifierAdditionalInformation") or None)
    for num in _texts(d, "BusinessRegistrationNumber"):
        e.add_identifier(IdKind.REGISTRATION, num)
    for pos in _texts(d, "Position"):
        e.remarks.append(f"Position: {pos}")
    for imo in _texts(d, "IMONumber"):
        e.add_identifier(IdKind.IMO, imo.upper().removeprefix("IMO").strip())
    for hin in _texts(d, "HullIdentificationNumber"):
        e.add_identifier(IdKind.REGISTRATION, hin, note="hull identification number")
    flags = _texts(d, "CurrentBelievedFlagOfShip")
    e.flag = flags[0] if flags else None
    e.past_flags = _texts(d, "PreviousFlag")
    e.vessel_type = _first(d, "TypeOfShip") or None
    e.tonnage = _first(d, "TonnageOfShip") or None
    e.build_date = parse_one(_first(d, "YearBuilt"))
    for owner in _texts(d, "CurrentOwnerOperator"):
        e.remarks.append(f"{_OWNER_PREFIX}{owner}")
    return e


def _add_address(e: Entity, lines: list[str], postal: str, country: str) -> None:
    lines = [" ".join(x.split()) for x in lines if x and x.strip()]
    add_address(e, street=", ".join(lines[:-1]), city=lines[-1] if lines else "",
                postal=postal, country=country,
                full=", ".join([*lines, *(p for p in (postal, country) if p)]))


# -- OFSI ConList.csv --------------------------------------------------------------------

def sniff_ofsi(head: str) -> bool:
    lines = [x for x in head.splitlines()[:3] if x.strip()]
    return (len(lines) >= 2 and lines[0].lstrip('"').lower().startswith("last updated")
            and "Group ID" in lines[1] and "Name 6" in lines[1])


def read_ofsi(path: Path) -> ListData:
    text = decode(path.read_bytes(), path)
    lines = text.splitlines()
    first = next(csv.reader([lines[0]])) if lines else []
    meta = ListMeta(source=OFSI_SOURCE, publisher=OFSI_PUBLISHER, format="uk_ofsi_csv",
                    path=str(path), date=parse_one(first[1]) if len(first) > 1 else None)
    meta.files[str(path)] = sha256_file(path)
    reader = csv.reader(io.StringIO("\n".join(lines[1:])), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error):
        raise BadInputError("no header line", path, 2) from None
    col = {h: i for i, h in enumerate(header)}
    missing = [h for h in ("Name 6", "Group Type", "Group ID") if h not in col]
    if missing:
        raise BadInputError(f"header lacks column(s) {', '.join(missing)}", path, 2)

    def get(row: list[str], name: str) -> str:
        i = col.get(name)
        return " ".join(row[i].split()) if i is not None and i < len(row) else ""

    groups: dict[str, Entity] = {}
    try:
        for row in reader:
            lineno = reader.line_num + 1
            if not any(c.strip() for c in row):
                continue
            if len(row) != len(header):
                meta.skipped.append(SkippedRow(str(path), lineno, f"{len(row)} fields, "
                                                                   f"expected {len(header)}"))
                continue
            gid, kind = get(row, "Group ID"), get(row, "Group Type").lower()
            if not gid or kind not in _KINDS:
                meta.skipped.append(SkippedRow(str(path), lineno, f"no Group ID or unknown "
                                                                   f"Group Type {kind!r}"))
                continue
            e = groups.get(gid)
            if e is None:
                e = groups[gid] = Entity(id=f"{OFSI_SOURCE}-{gid}", schema=_KINDS[kind],
                                         source=OFSI_SOURCE, source_id=gid)
            _ofsi_row(e, row, get)
    except csv.Error as exc:
        raise BadInputError(f"malformed CSV: {exc}", path, reader.line_num + 1) from None
    entities = [e for e in groups.values() if e.names]
    for e in entities:
        if not any(n.kind is NameKind.PRIMARY for n in e.names):
            first_name = e.names.pop(0)
            e.names.insert(0, type(first_name)(first_name.value, NameKind.PRIMARY))
    if not entities and not meta.skipped:
        raise BadInputError("no records found", path, 3)
    return finish(meta, entities, [])


def _ofsi_row(e: Entity, row: list[str], g: Callable[[list[str], str], str]) -> None:
    name = _join([g(row, f"Name {k}") for k in (1, 2, 3, 4, 5, 6)])
    if name:
        e.add_name(name, _name_kind(g(row, "Alias Type"), g(row, "Alias Quality")))
    if orig := g(row, "Name Non-Latin Script"):
        e.add_name(orig, NameKind.AKA, remarks="non-Latin script")
    if (regime := g(row, "Regime")) and regime not in e.programs:
        e.programs.append(regime)
    for field, target in (("DOB", e.birth_dates), ("Listed On", e.listed_on)):
        if (d := parse_one(g(row, field))) and d not in target:
            target.append(d)
    for field, target in (("Nationality", e.nationalities),
                          ("Other Information", e.remarks)):
        if (v := g(row, field)) and v not in target:
            target.append(v)
    place = ", ".join(p for p in (g(row, "Town of Birth"), g(row, "Country of Birth")) if p)
    if place and place not in e.birth_places:
        e.birth_places.append(place)
    if num := g(row, "Passport Number"):
        e.add_identifier(IdKind.PASSPORT, num, note=g(row, "Passport Details") or None)
    if num := g(row, "National Identification Number"):
        e.add_identifier(IdKind.NATIONAL_ID, num,
                         note=g(row, "National Identification Details") or None)
    if (title := g(row, "Title")) and e.title is None:
        e.title = title
    if (pos := g(row, "Position")) and f"Position: {pos}" not in e.remarks:
        e.remarks.append(f"Position: {pos}")
    _add_address(e, [g(row, f"Address {k}") for k in range(1, 7)], g(row, "Post/Zip Code"),
                 g(row, "Country"))
    # ship facts: in the ship columns when the file has them, else in Other Information
    if imo := g(row, "IMO number"):
        e.add_identifier(IdKind.IMO, imo.upper().removeprefix("IMO").strip())
    for imo in _IMO_IN_TEXT.findall(g(row, "Other Information")):
        e.add_identifier(IdKind.IMO, imo)
    if (flag := g(row, "Current believed flag of ship")) and e.flag is None:
        e.flag = flag
    if (vtype := g(row, "Type of ship")) and e.vessel_type is None:
        e.vessel_type = vtype
