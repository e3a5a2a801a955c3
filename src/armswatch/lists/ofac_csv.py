"""OFAC legacy CSV: the SDN set (``sdn.csv`` + ``alt.csv`` + ``add.csv`` +
``sdn_comments.csv``) and the consolidated non-SDN set (``cons_prim.csv`` + ``cons_alt.csv``
+ ``cons_add.csv`` + ``cons_comments.csv``).

Layout per OFAC's "SDN data specification" (no header row, ``-0-`` = empty, CRLF, a 0x1A
byte at the end):

* main file: ent_num, SDN_Name, SDN_Type (``individual``/``vessel``/``aircraft``, ``-0-`` =
  entity), Program (``A] [B``), Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag,
  Vess_owner, Remarks;
* alt: ent_num, alt_num, alt_type (``aka``/``fka``/``nka``), alt_name, alt_remarks;
* add: ent_num, add_num, address, city/state/postal code, country, add_remarks;
* comments: ent_num, continuation of a Remarks field cut at its maximum length.

Each line is parsed on its own, so a broken row (wrong field count, bad quote, bad ent_num)
is skipped and counted with its line number and the rest is loaded.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from armswatch.errors import BadInputError
from armswatch.lists._common import (
    NameIndex,
    add_address,
    date_from_name,
    decode,
    resolve_links,
)
from armswatch.lists._ofac_remarks import parse_remarks
from armswatch.lists._types import (
    ListData,
    ListMeta,
    PendingLink,
    SkippedRow,
    finish,
    sha256_file,
)
from armswatch.model import Entity, IdKind, LinkKind, NameKind, Schema

SDN_SOURCE = "us_ofac_sdn"
CONS_SOURCE = "us_ofac_cons"
PUBLISHER = "US Treasury, Office of Foreign Assets Control (OFAC)"
DETAIL_URL = "https://sanctionssearch.ofac.treas.gov/Details.aspx?id={}"

_TYPES = {
    "individual": Schema.PERSON,
    "vessel": Schema.VESSEL,
    "aircraft": Schema.AIRPLANE,
    "": Schema.ORGANIZATION,
    "entity": Schema.ORGANIZATION,
}
_ALT_KINDS = {"aka": NameKind.AKA, "fka": NameKind.FKA, "nka": NameKind.NKA,
              "weak aka": NameKind.WEAK}

_MAIN_RE = re.compile(r'^\d+,"[^"]*",(?:"[A-Za-z ]*"|-0-\s*),')
_ALT_RE = re.compile(r'^\d+,\d+,"(?:aka|fka|nka|weak aka)",', re.IGNORECASE)
_ADD_RE = re.compile(r"^\d+,\d+,")
_COMMENT_RE = re.compile(r'^\d+,"')

# companion kind -> (file-name prefix for the SDN set, for the consolidated set)
_COMPANIONS = {"alt": ("alt", "cons_alt"), "add": ("add", "cons_add"),
               "comments": ("sdn_comments", "cons_comments")}
_MAIN_NAME = re.compile(r"^(sdn|cons_prim)(.*)$", re.IGNORECASE)


def _first_line(head: str) -> str:
    for line in head.splitlines():
        if line.strip():
            return line
    return ""


def _fields(line: str) -> list[str] | None:
    try:
        return next(csv.reader([line], strict=True))
    except (csv.Error, StopIteration):
        return None


def _sniff(head: str, pattern: re.Pattern[str], n_fields: int) -> bool:
    line = _first_line(head)
    row = _fields(line) if pattern.match(line) else None
    return row is not None and len(row) == n_fields


def sniff_main(head: str) -> bool:
    return _sniff(head, _MAIN_RE, 12)


def sniff_alt(head: str) -> bool:
    return _sniff(head, _ALT_RE, 5)


def sniff_add(head: str) -> bool:
    return not _ALT_RE.match(_first_line(head)) and _sniff(head, _ADD_RE, 6)


def sniff_comments(head: str) -> bool:
    return _sniff(head, _COMMENT_RE, 2)


def _val(cell: str) -> str:
    v = " ".join(cell.split())
    return "" if v == "-0-" else v


@dataclass(slots=True)
class _Rows:
    path: Path
    rows: list[tuple[int, list[str]]]


def _read_rows(path: Path, n_fields: int, skipped: list[SkippedRow]) -> _Rows:
    text = decode(path.read_bytes(), path)
    rows: list[tuple[int, list[str]]] = []
    for lineno, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        row = _fields(line)
        if row is None:
            skipped.append(SkippedRow(str(path), lineno, "unbalanced quotes"))
        elif len(row) != n_fields:
            skipped.append(SkippedRow(str(path), lineno,
                                      f"{len(row)} fields, expected {n_fields}"))
        elif not row[0].strip().isdecimal():
            skipped.append(SkippedRow(str(path), lineno, f"ent_num {row[0]!r} is not a number"))
        else:
            rows.append((lineno, row))
    return _Rows(path, rows)


def find_companions(main: Path) -> dict[str, Path]:
    """The alt/add/comments files beside ``main`` (matched case-insensitively by name:
    ``sdn<x>.csv`` -> ``alt<x>.csv`` ...; ``cons_prim<x>.csv`` -> ``cons_alt<x>.csv`` ...)."""
    m = _MAIN_NAME.match(main.name)
    if not m or not main.parent.is_dir():
        return {}
    cons = m.group(1).lower() == "cons_prim"
    rest = m.group(2).lower()
    beside = {p.name.lower(): p for p in main.parent.iterdir() if p.is_file()}
    found: dict[str, Path] = {}
    for kind, prefixes in _COMPANIONS.items():
        cand = beside.get(prefixes[1 if cons else 0] + rest)
        if cand is not None:
            found[kind] = cand
    return found


def _check_companion(kind: str, path: Path) -> None:
    head = path.read_bytes()[:65536].decode("utf-8", errors="replace").replace("\x1a", "")
    if not head.strip():
        return  # an empty companion (e.g. no comments today) is fine
    ok = {"alt": sniff_alt, "add": sniff_add, "comments": sniff_comments}[kind](head)
    if not ok:
        raise BadInputError(f"expected an OFAC {kind} companion file here", path, 1)


def read(path: Path, companions: dict[str, Path] | None = None) -> ListData:
    """Read an OFAC legacy CSV set from its main file (companions found beside it)."""
    comp = find_companions(path) if companions is None else companions
    is_cons = path.name.lower().startswith("cons_")
    source = CONS_SOURCE if is_cons else SDN_SOURCE
    meta = ListMeta(source=source, publisher=PUBLISHER, format="ofac_csv", path=str(path),
                    date=date_from_name(path))
    meta.files[str(path)] = sha256_file(path)
    skipped = meta.skipped

    main = _read_rows(path, 12, skipped)
    if not main.rows and not skipped:
        raise BadInputError("no records found", path, 1)
    entities: dict[str, Entity] = {}
    remarks: dict[str, str] = {}
    owners: dict[str, str] = {}  # ent_num -> Vess_owner as written
    for lineno, row in main.rows:
        ent_num = row[0].strip()
        kind = _val(row[2]).lower()
        if kind not in _TYPES:
            skipped.append(SkippedRow(str(path), lineno, f"unknown SDN_Type {row[2]!r}"))
            continue
        if ent_num in entities:
            skipped.append(SkippedRow(str(path), lineno, f"duplicate ent_num {ent_num}"))
            continue
        name = _val(row[1])
        if not name:
            skipped.append(SkippedRow(str(path), lineno, "empty SDN_Name"))
            continue
        e = Entity(id=f"{source}-{ent_num}", schema=_TYPES[kind], source=source,
                   source_id=ent_num, source_url=DETAIL_URL.format(ent_num))
        e.add_name(name, NameKind.PRIMARY)
        e.programs = [p.strip(" []") for p in _val(row[3]).split("] [") if p.strip(" []")]
        e.title = _val(row[4]) or None
        if call_sign := _val(row[5]):
            e.add_identifier(IdKind.CALL_SIGN, call_sign)
        e.vessel_type = _val(row[6]) or None
        e.tonnage = _val(row[7]) or None
        e.gross_tonnage = _val(row[8]) or None
        e.flag = _val(row[9]) or None
        owners[ent_num] = _val(row[10])
        remarks[ent_num] = row[11].strip() if _val(row[11]) else ""
        entities[ent_num] = e

    for kind, cpath in sorted(comp.items()):
        _check_companion(kind, cpath)
        meta.files[str(cpath)] = sha256_file(cpath)
    if "comments" in comp:
        for lineno, row in _read_rows(comp["comments"], 2, skipped).rows:
            ent_num = row[0].strip()
            if ent_num not in entities:
                skipped.append(SkippedRow(str(comp["comments"]), lineno,
                                          f"ent_num {ent_num} not in {path.name}"))
                continue
            remarks[ent_num] += row[1].rstrip()  # continues the cut-off Remarks text
    if "alt" in comp:
        for lineno, row in _read_rows(comp["alt"], 5, skipped).rows:
            ent_num = row[0].strip()
            alt_kind = _ALT_KINDS.get(_val(row[2]).lower())
            if ent_num not in entities:
                skipped.append(SkippedRow(str(comp["alt"]), lineno,
                                          f"ent_num {ent_num} not in {path.name}"))
            elif alt_kind is None:
                skipped.append(SkippedRow(str(comp["alt"]), lineno,
                                          f"unknown alt_type {row[2]!r}"))
            elif not _val(row[3]):
                skipped.append(SkippedRow(str(comp["alt"]), lineno, "empty alt_name"))
            else:
                entities[ent_num].add_name(_val(row[3]), alt_kind,
                                           remarks=_val(row[4]) or None)
    if "add" in comp:
        for lineno, row in _read_rows(comp["add"], 6, skipped).rows:
            ent_num = row[0].strip()
            if ent_num not in entities:
                skipped.append(SkippedRow(str(comp["add"]), lineno,
                                          f"ent_num {ent_num} not in {path.name}"))
                continue
            add_address(entities[ent_num], street=_val(row[2]), city=_val(row[3]),
                        country=_val(row[4]))
    else:
        meta.notes.append("no add.csv beside the main file: addresses not read")
    if "alt" not in comp:
        meta.notes.append("no alt.csv beside the main file: only aliases in remarks read")

    wanted: list[PendingLink] = []
    for ent_num, e in entities.items():
        text = remarks[ent_num]
        if text:
            e.remarks.append(text)
            apply_remarks(e, text, wanted)
        if owner := owners[ent_num]:
            e.remarks.append(f"Vessel owner: {owner}")
            wanted.append(PendingLink(e.id, owner, LinkKind.OWNER, "Vess_owner"))
    ents = list(entities.values())
    links, missing = resolve_links(NameIndex(ents), wanted, source)
    meta.unresolved.extend(missing)
    return finish(meta, ents, links)


def apply_remarks(e: Entity, text: str, wanted: list[PendingLink]) -> None:
    """Add the facts of an OFAC remarks text to ``e``; link names go to ``wanted``."""
    facts = parse_remarks(text)
    for kind, name in facts.names:
        e.add_name(name, kind)
    for ident in facts.identifiers:
        if ident not in e.identifiers:
            e.identifiers.append(ident)
    e.birth_dates.extend(d for d in facts.birth_dates if d not in e.birth_dates)
    e.birth_places.extend(p for p in facts.birth_places if p not in e.birth_places)
    e.nationalities.extend(n for n in facts.nationalities if n not in e.nationalities)
    e.countries.extend(c for c in facts.countries if c not in e.countries)
    e.gender = facts.gender or e.gender
    for flag in facts.flags:
        if e.flag is None:
            e.flag = flag
    e.past_flags.extend(f for f in facts.past_flags if f not in e.past_flags)
    if facts.vessel_types and e.vessel_type is None:
        e.vessel_type = facts.vessel_types[0]
    e.build_date = facts.build_date or e.build_date
    e.aircraft_type = facts.aircraft_model or e.aircraft_type
    wanted.extend(PendingLink(e.id, n, LinkKind.ASSOCIATE, "Linked To") for n in facts.linked_to)
    wanted.extend(PendingLink(e.id, n, LinkKind.OPERATOR, "Aircraft Operator")
                  for n in facts.operators)
