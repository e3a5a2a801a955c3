"""What a list reader returns: entities, links, and where they came from."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from armswatch.model import Entity, Link, LinkKind


@dataclass(frozen=True, slots=True)
class SkippedRow:
    """A record left out of a list (recoverable bad input), with why."""

    path: str
    line: int  # 1-based line in ``path`` (0 when the record has no single line)
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


@dataclass(frozen=True, slots=True)
class PendingLink:
    """A relation to a party named in a list but not found in it (yet): ``Linked To: X``
    where X is on another list. :func:`armswatch.lists.read_lists` resolves these across
    all the lists read together."""

    entity_id: str
    name: str
    kind: LinkKind
    role: str


@dataclass(slots=True)
class ListMeta:
    """Provenance and counts of one list as read from its file(s)."""

    source: str  # list code, e.g. "us_ofac_sdn"; also the prefix of its entity ids
    publisher: str  # who publishes it, e.g. "US Treasury OFAC"
    format: str  # reader name, e.g. "ofac_csv"
    path: str  # the main file
    files: dict[str, str] = field(default_factory=dict)  # every file read -> sha256
    date: str | None = None  # publication date from the file, ISO; None when it has none
    is_sanctions_list: bool = True  # False for watch lists such as the GUR vessel list
    entity_count: int = 0
    link_count: int = 0
    by_schema: dict[str, int] = field(default_factory=dict)
    skipped: list[SkippedRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. companions missing
    unresolved: list[PendingLink] = field(default_factory=list)  # link targets not found

    @property
    def sha256(self) -> str:
        return self.files.get(self.path, "")


@dataclass(slots=True)
class ListData:
    """Entities and links read from one or more lists."""

    entities: list[Entity] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    meta: list[ListMeta] = field(default_factory=list)
    ignored: list[SkippedRow] = field(default_factory=list)  # files passed over in folders

    @property
    def skipped(self) -> list[SkippedRow]:
        return [s for m in self.meta for s in m.skipped]

    def extend(self, other: ListData) -> None:
        self.entities.extend(other.entities)
        self.links.extend(other.links)
        self.meta.extend(other.meta)
        self.ignored.extend(other.ignored)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def finish(meta: ListMeta, entities: list[Entity], links: list[Link]) -> ListData:
    """Fill the counts of ``meta`` and wrap everything as :class:`ListData`."""
    meta.entity_count = len(entities)
    meta.link_count = len(links)
    meta.by_schema = dict(sorted(Counter(e.schema.value for e in entities).items()))
    return ListData(entities, links, [meta])
