"""Helpers shared by the list readers: decoding, XML parsing with line numbers, names."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from armswatch.errors import BadInputError
from armswatch.lists._types import ListData, ListMeta, PendingLink, SkippedRow, finish
from armswatch.model import Address, Entity, Link, LinkKind, NameKind

_DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")


def decode(data: bytes, path: Path) -> str:
    """Bytes -> text: UTF-8 (with or without BOM), else Windows-1252 (OFAC's legacy files)."""
    if not data.strip(b"\x00\x1a \t\r\n"):
        raise BadInputError("file is empty (no records)", path, 1)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return text.replace("\x1a", "")


def date_from_name(path: Path) -> str | None:
    """An ISO date in the file or folder name (``sdn_2024-05-03.csv``), else None."""
    for part in (path.name, path.parent.name):
        if m := _DATE_IN_NAME.search(part):
            return m.group(1)
    return None


def parse_xml(path: Path, data: bytes) -> ET.Element:
    """Parse a whole XML document; a malformed or truncated one raises BadInputError
    with the line where the parser stopped."""
    if not data.strip():
        raise BadInputError("file is empty (no records)", path, 1)
    parser = ET.XMLParser()
    try:
        parser.feed(data)
        return parser.close()
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise BadInputError(f"malformed XML (truncated or corrupt): {exc}", path, line) from None


def strip_ns(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def text_of(el: ET.Element | None) -> str:
    """Whitespace-folded text of an element ('' when missing)."""
    if el is None or el.text is None:
        return ""
    return " ".join(el.text.split())


def add_address(e: Entity, *, street: str = "", city: str = "", region: str = "",
                postal: str = "", country: str = "", full: str | None = None) -> None:
    """Add an address (once) and its country to the entity's countries."""
    if full is None:
        full = ", ".join(p for p in (street, city, region, postal, country) if p)
    if full:
        a = Address(full, street or None, city or None, postal or None, region or None,
                    country or None)
        if a not in e.addresses:
            e.addresses.append(a)
    if country and country not in e.countries:
        e.countries.append(country)


def fold(name: str) -> str:
    """Key for resolving names given as link targets: case, spacing and a final full stop
    (which OFAC's remarks punctuation swallows: ``Linked To: X S.A.``) do not count."""
    return " ".join(name.casefold().split()).rstrip(". ")


class NameIndex:
    """Resolve names written in one list (``Linked To: X``, vessel owner) to its entities:
    primary names first, then aliases when exactly one entity carries the alias."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self._primary: dict[str, list[str]] = defaultdict(list)
        self._alias: dict[str, list[str]] = defaultdict(list)
        for e in entities:
            for n in e.names:
                target = self._primary if n.kind is NameKind.PRIMARY else self._alias
                ids = target[fold(n.value)]
                if e.id not in ids:
                    ids.append(e.id)

    def resolve(self, name: str) -> str | None:
        key = fold(name)
        for table in (self._primary, self._alias):
            ids = table.get(key, [])
            if len(ids) == 1:
                return ids[0]
            if len(ids) > 1:
                return None
        return None


def resolve_links(
    index: NameIndex, wanted: list[PendingLink], origin: str
) -> tuple[list[Link], list[PendingLink]]:
    """Named relations -> links, plus those whose name was not found.

    For OWNER/OPERATOR/MANAGER links the named party is the source (it owns the asset
    that listed it); ``Linked To`` associations point from the listed entity to the name.
    """
    links: list[Link] = []
    seen: set[str] = set()
    missing: list[PendingLink] = []
    for want in wanted:
        entity_id, kind, role = want.entity_id, want.kind, want.role
        target = index.resolve(want.name)
        if target is None or target == entity_id:
            if target is None:
                missing.append(want)
            continue
        if kind in (LinkKind.OWNER, LinkKind.OPERATOR, LinkKind.MANAGER):
            link = Link(target, entity_id, kind, origin, role=role)
        else:
            link = Link(entity_id, target, kind, origin, role=role)
        if link.id not in seen:
            seen.add(link.id)
            links.append(link)
    return links, missing


class Records:
    """Collects the records of one list file: skips (and counts) those without an id or
    with an unknown type, duplicates and nameless ones, keeps the rest."""

    def __init__(self, meta: ListMeta, path: Path, what: str) -> None:
        self.meta, self.path, self.what = meta, path, what
        self.entities: list[Entity] = []
        self._seen: set[str] = set()

    def skip(self, reason: str, line: int = 0) -> None:
        self.meta.skipped.append(SkippedRow(str(self.path), line, reason))

    def add(self, index: int, key: str, build: Callable[[], Entity], ok: bool = True,
            problem: str = "") -> None:
        """Record number ``index`` with id ``key``; ``build`` makes its entity unless
        ``ok`` is False (then ``problem`` says why it is skipped)."""
        if not key or not ok:
            self.skip(f"{self.what} #{index}: {problem or 'no id'}")
        elif key in self._seen:
            self.skip(f"{self.what} #{index}: duplicate id {key}")
        else:
            e = build()
            if not e.names:
                self.skip(f"{self.what} {key} has no name")
                return
            self._seen.add(key)
            self.entities.append(e)

    def done(self, links: list[Link] | None = None) -> ListData:
        if not self.entities and not self.meta.skipped:
            raise BadInputError(f"no {self.what} records found", self.path, 1)
        return finish(self.meta, self.entities, links or [])
