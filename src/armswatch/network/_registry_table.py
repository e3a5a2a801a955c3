"""The user-supplied ship registry table: who owns, manages and operates which ship.

A CSV file (UTF-8, ``#`` comment lines allowed) with one row per (ship or company,
role, company, period). See ``docs/network.md`` for the format; the columns are
:data:`REGISTRY_COLUMNS`. Parsing is pure (:func:`parse_registry` takes lines); the
result is entities and links in the shared model, ready for the ownership graph.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from armswatch.errors import BadInputError
from armswatch.model import Entity, IdKind, Link, LinkKind, Schema, is_partial_date
from armswatch.network._ids import clean_imo, company_key, registry_node_id, vessel_node_id

REQUIRED_COLUMNS = ("imo", "role", "company", "country", "share_pct", "from", "to")
OPTIONAL_COLUMNS = ("owned_company", "company_id", "source")
REGISTRY_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
SHARE_TOLERANCE_PCT = 1e-6
REGISTRY_SOURCE = "registry"


class RegistryRole(StrEnum):
    """Roles a company can hold; the names follow IHS/Equasis usage."""

    REGISTERED_OWNER = "registered_owner"
    BENEFICIAL_OWNER = "beneficial_owner"
    SHIP_MANAGER = "ship_manager"
    ISM_MANAGER = "ism_manager"
    TECHNICAL_MANAGER = "technical_manager"
    COMMERCIAL_OPERATOR = "commercial_operator"
    SHAREHOLDER = "shareholder"


ROLE_LINK_KIND: dict[RegistryRole, LinkKind] = {
    RegistryRole.REGISTERED_OWNER: LinkKind.OWNER,
    RegistryRole.BENEFICIAL_OWNER: LinkKind.OWNER,
    RegistryRole.SHAREHOLDER: LinkKind.OWNER,
    RegistryRole.SHIP_MANAGER: LinkKind.MANAGER,
    RegistryRole.ISM_MANAGER: LinkKind.MANAGER,
    RegistryRole.TECHNICAL_MANAGER: LinkKind.MANAGER,
    RegistryRole.COMMERCIAL_OPERATOR: LinkKind.OPERATOR,
}


@dataclass(frozen=True, slots=True)
class RegistryRow:
    """One validated row; ``line`` is its line number in the file (header = 1)."""

    line: int
    imo: str | None
    role: RegistryRole
    company: str
    country: str | None
    share_pct: float | None
    start: str | None
    end: str | None
    owned_company: str | None = None
    company_id: str | None = None
    source: str | None = None

    @property
    def owner_node(self) -> str:
        """The company's graph node: its list entity id when given, else a registry id."""
        return self.company_id or registry_node_id(self.company)

    @property
    def target_node(self) -> str:
        if self.imo is not None:
            return vessel_node_id(self.imo)
        assert self.owned_company is not None
        return registry_node_id(self.owned_company)

    @property
    def effective_share_pct(self) -> float | None:
        """Share counted by the 50 % rule: an owner row of a ship without a share holds
        title to the whole ship (100 %); managers and operators own nothing (None)."""
        if ROLE_LINK_KIND[self.role] is not LinkKind.OWNER:
            return None
        if self.share_pct is None and self.imo is not None:
            return 100.0
        return self.share_pct


@dataclass(frozen=True, slots=True)
class RegistryTable:
    """A parsed registry file: its rows and their entities and links."""

    origin: str
    rows: tuple[RegistryRow, ...]

    def entities(self) -> list[Entity]:
        """Ships (``imo-<IMO>``) and registry companies (``registry-<name>``)."""
        out: dict[str, Entity] = {}
        for row in self.rows:
            if row.imo is not None:
                vid = vessel_node_id(row.imo)
                if vid not in out:
                    ship = Entity(vid, Schema.VESSEL, REGISTRY_SOURCE, row.imo)
                    ship.add_identifier(IdKind.IMO, row.imo)
                    out[vid] = ship
            names = [(row.company, row.company_id, row.country)]
            if row.owned_company is not None:
                names.append((row.owned_company, None, None))
            for name, listed_id, country in names:
                if listed_id is not None:
                    continue  # a list entity: the lists describe it
                nid = registry_node_id(name)
                ent = out.get(nid)
                if ent is None:
                    ent = out[nid] = Entity(nid, Schema.COMPANY, REGISTRY_SOURCE, company_key(name))
                ent.add_name(name)
                if country and country not in ent.countries:
                    ent.countries.append(country)
        return list(out.values())

    def links(self) -> list[Link]:
        return [
            Link(
                source_id=row.owner_node,
                target_id=row.target_node,
                kind=ROLE_LINK_KIND[row.role],
                origin=f"{self.origin}:{row.line}",
                share_pct=row.effective_share_pct,
                start=row.start,
                end=row.end,
                role=row.role.value,
            )
            for row in self.rows
        ]


def _opt(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _parse_row(raw: dict[str, str | None], line: int, path: str) -> RegistryRow:
    def fail(msg: str) -> BadInputError:
        return BadInputError(msg, path, line)

    role_text = (_opt(raw.get("role")) or "").lower()
    try:
        role = RegistryRole(role_text)
    except ValueError:
        known = ", ".join(r.value for r in RegistryRole)
        raise fail(f"unknown role {role_text!r}; expected one of: {known}") from None
    company = _opt(raw.get("company"))
    if company is None or not company_key(company):
        raise fail("company is empty")
    imo_text = _opt(raw.get("imo"))
    imo = clean_imo(imo_text) if imo_text else None
    if imo_text and imo is None:
        raise fail(f"bad IMO number {imo_text!r} (7 digits with a valid check digit)")
    owned = _opt(raw.get("owned_company"))
    if role is RegistryRole.SHAREHOLDER:
        if (imo is None) == (owned is None):
            raise fail("a shareholder row names exactly one of imo or owned_company")
    elif owned is not None:
        raise fail(f"owned_company is only for shareholder rows, not {role.value}")
    elif imo is None:
        raise fail(f"a {role.value} row needs an imo")
    share: float | None = None
    share_text = _opt(raw.get("share_pct"))
    if share_text is not None:
        try:
            share = float(share_text.rstrip("%"))
        except ValueError:
            raise fail(f"share_pct {share_text!r} is not a number") from None
        if not 0.0 <= share <= 100.0:
            raise fail(f"share_pct {share} outside 0-100")
        if ROLE_LINK_KIND[role] is not LinkKind.OWNER:
            raise fail(f"share_pct given for {role.value}, which is not an ownership role")
    elif role is RegistryRole.SHAREHOLDER:
        raise fail("a shareholder row needs share_pct")
    start, end = _opt(raw.get("from")), _opt(raw.get("to"))
    for label, value in (("from", start), ("to", end)):
        if value is not None and not is_partial_date(value):
            raise fail(f"{label} date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    if start is not None and end is not None and end < start[: len(end)]:
        raise fail(f"to ({end}) is before from ({start})")
    if owned is not None and company_key(owned) == company_key(company):
        raise fail("a company cannot hold shares in itself")
    return RegistryRow(
        line=line,
        imo=imo,
        role=role,
        company=" ".join(company.split()),
        country=(_opt(raw.get("country")) or "").upper() or None,
        share_pct=share,
        start=start,
        end=end,
        owned_company=" ".join(owned.split()) if owned else None,
        company_id=_opt(raw.get("company_id")),
        source=_opt(raw.get("source")),
    )


def _periods_overlap(a: RegistryRow, b: RegistryRow) -> bool:
    def before(end: str | None, start: str | None) -> bool:
        return end is not None and start is not None and end < start[: len(end)]

    return not (before(a.end, b.start) or before(b.end, a.start))


def _check_shares(rows: Sequence[RegistryRow], path: str) -> None:
    """Shares held in one target at overlapping times must not exceed 100 %."""
    by_target: dict[str, list[RegistryRow]] = defaultdict(list)
    for row in rows:
        if row.role is RegistryRole.SHAREHOLDER and row.share_pct is not None:
            by_target[row.target_node].append(row)
    for group in by_target.values():
        for row in group:
            peers = [r for r in group if _periods_overlap(row, r)]
            total = sum(r.share_pct or 0.0 for r in peers)
            if total > 100.0 + SHARE_TOLERANCE_PCT:
                lines = ", ".join(str(r.line) for r in peers)
                raise BadInputError(
                    f"shares in {row.owned_company or row.imo} add up to {total:g} % "
                    f"at overlapping times (lines {lines})",
                    path,
                    row.line,
                )


def parse_registry(lines: Iterable[str], origin: str = "registry.csv") -> RegistryTable:
    """Parse registry CSV text (an iterable of lines, header first)."""
    numbered = [(i, ln) for i, ln in enumerate(lines, start=1) if not ln.lstrip().startswith("#")]
    reader = csv.DictReader([ln for _, ln in numbered], skipinitialspace=True)
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        expected = ", ".join(REGISTRY_COLUMNS)
        raise BadInputError(f"registry table lacks columns {missing}; expected {expected}", origin)
    unknown = [c for c in header if c not in REGISTRY_COLUMNS]
    if unknown:
        raise BadInputError(
            f"unknown registry columns {unknown}; allowed: {', '.join(REGISTRY_COLUMNS)}", origin
        )
    rows: list[RegistryRow] = []
    for raw in reader:
        line = numbered[reader.line_num - 1][0]
        if None in raw:
            raise BadInputError("row has more fields than the header", origin, line)
        if not any((v or "").strip() for v in raw.values()):
            continue
        rows.append(_parse_row(raw, line, origin))
    _check_shares(rows, origin)
    return RegistryTable(origin=origin, rows=tuple(rows))


def read_registry(path: Path) -> RegistryTable:
    """Read and validate a registry CSV file (errors name the file and line)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInputError(f"cannot read registry table: {exc}", path) from None
    return parse_registry(text.splitlines(), origin=str(path))
