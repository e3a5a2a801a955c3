"""Ukraine GUR "War & Sanctions" shadow-fleet vessel list, as the CSV scraped by
Androm2018/shadow-fleet-analysis (``gur_vessels_master.csv``).

NOT a sanctions list: GUR (Ukraine's defence intelligence) lists vessels of Russia's
shadow fleet whether or not any authority sanctions them. Its entities carry the FtM topic
``mare.shadow`` instead of ``sanction`` and the list's ``is_sanctions_list`` is False.

Columns: gur_id, name, imo, mmsi_current, mmsi_legacy, flag, vessel_type, callsign,
former_names (`` / ``-separated), build_year, status (``listed`` / ``delisted_from_gur``).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from armswatch.errors import BadInputError
from armswatch.lists._common import date_from_name, decode
from armswatch.lists._types import ListData, ListMeta, SkippedRow, finish, sha256_file
from armswatch.model import Entity, IdKind, NameKind, Schema

SOURCE = "ua_gur_shadow_fleet"
PUBLISHER = "Ukraine GUR War & Sanctions portal (third-party scrape)"
DETAIL_URL = "https://war-sanctions.gur.gov.ua/en/transport/ships/{}"
HEADER = ("gur_id", "name", "imo", "mmsi_current", "mmsi_legacy", "flag", "vessel_type",
          "callsign", "former_names", "build_year", "status")


def sniff(head: str) -> bool:
    first = head.lstrip("\ufeff").split("\n", 1)[0].strip()
    return tuple(c.strip() for c in first.split(",")) == HEADER


def read(path: Path) -> ListData:
    text = decode(path.read_bytes(), path)
    meta = ListMeta(source=SOURCE, publisher=PUBLISHER, format="gur_csv", path=str(path),
                    date=date_from_name(path), is_sanctions_list=False)
    meta.files[str(path)] = sha256_file(path)
    reader = csv.DictReader(io.StringIO(text), strict=True)
    entities: list[Entity] = []
    seen: set[str] = set()
    try:
        for row in reader:
            lineno = reader.line_num
            if None in row or any(v is None for v in row.values()):
                meta.skipped.append(SkippedRow(str(path), lineno, "wrong number of fields"))
                continue
            gid, name = row["gur_id"].strip(), " ".join(row["name"].split())
            if not gid and row["imo"].strip().isdecimal():
                gid = f"imo-{row['imo'].strip()}"  # delisted rows carry no gur_id
            if not gid or not name:
                meta.skipped.append(SkippedRow(str(path), lineno, "no gur_id/IMO or name"))
                continue
            if gid in seen:
                meta.skipped.append(SkippedRow(str(path), lineno, f"duplicate gur_id {gid}"))
                continue
            seen.add(gid)
            entities.append(_entity(row, gid, name))
    except csv.Error as exc:
        raise BadInputError(f"malformed CSV: {exc}", path, reader.line_num) from None
    if not entities and not meta.skipped:
        raise BadInputError("no records found", path, 2)
    return finish(meta, entities, [])


def _entity(row: dict[str, str], gid: str, name: str) -> Entity:
    e = Entity(id=f"{SOURCE}-{gid}", schema=Schema.VESSEL, source=SOURCE, source_id=gid,
               source_url=DETAIL_URL.format(gid) if gid.isdecimal() else None)
    e.add_name(name, NameKind.PRIMARY)
    for old in row["former_names"].split(" / "):
        e.add_name(old, NameKind.FKA)
    imo = row["imo"].strip()
    if imo.isdecimal() and len(imo) == 7:
        e.add_identifier(IdKind.IMO, imo)
    elif imo:
        e.remarks.append(f"IMO as listed: {imo}")
    for key in ("mmsi_current", "mmsi_legacy"):
        if mmsi := row[key].strip():
            e.add_identifier(IdKind.MMSI, mmsi, note="legacy" if key == "mmsi_legacy" else None)
    if cs := row["callsign"].strip():
        e.add_identifier(IdKind.CALL_SIGN, cs)
    flag = row["flag"].strip()
    e.flag = flag if flag and flag.lower() != "unknown" else None
    e.vessel_type = row["vessel_type"].strip() or None
    year = row["build_year"].strip()
    e.build_date = year if year.isdecimal() and len(year) == 4 else None
    status = row["status"].strip()
    if status and status != "listed":
        e.remarks.append(f"GUR status: {status}")
    return e
