"""The embedded lists store: versioned snapshots of Parquet files, no server.

Layout under the store folder (default ``armswatch.paths.home()/lists``, or
``$ARMSWATCH_LISTS_STORE``, or the ``root`` argument)::

    snapshots/000001/entities.parquet     one row per entity (id, schema, source, caption,
                                          data = the full entity as JSON)
                    names.parquet         entity_id, name, kind, schema, source (for SQL)
                    identifiers.parquet   entity_id, kind, value, country
                    links.parquet         id, source_id, target_id, kind, origin, role, ...
                    lists.json            provenance of every list in the snapshot
    CURRENT                               name of the current snapshot
    downloads/<list>/<stamp>/...          raw files fetched by ``lists update``

A load writes a complete new snapshot in a temporary folder, renames it into place and
then atomically replaces ``CURRENT``: an error at any point leaves the store as it was.
Previous snapshots are kept (the newest ``KEEP_SNAPSHOTS``), so ``lists diff`` can say
what changed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from armswatch import paths
from armswatch.errors import StoreError
from armswatch.lists._codec import (
    entity_from_dict,
    entity_to_dict,
    link_from_dict,
    link_to_dict,
    meta_from_dict,
    meta_to_dict,
)
from armswatch.lists._common import NameIndex, resolve_links
from armswatch.lists._types import ListData, ListMeta
from armswatch.model import Entity

KEEP_SNAPSHOTS = 10
ENV_STORE = "ARMSWATCH_LISTS_STORE"

ENTITY_SCHEMA = pa.schema([("id", pa.string()), ("schema", pa.string()),
                           ("source", pa.string()), ("source_id", pa.string()),
                           ("caption", pa.string()), ("data", pa.string())])
NAME_SCHEMA = pa.schema([("entity_id", pa.string()), ("name", pa.string()),
                         ("kind", pa.string()), ("schema", pa.string()),
                         ("source", pa.string())])
IDENTIFIER_SCHEMA = pa.schema([("entity_id", pa.string()), ("kind", pa.string()),
                               ("value", pa.string()), ("country", pa.string())])
LINK_SCHEMA = pa.schema([("id", pa.string()), ("source_id", pa.string()),
                         ("target_id", pa.string()), ("kind", pa.string()),
                         ("origin", pa.string()), ("share_pct", pa.float64()),
                         ("start", pa.string()), ("end", pa.string()), ("role", pa.string())])
TABLES = ("entities", "names", "identifiers", "links")


def default_root() -> Path:
    env = os.environ.get(ENV_STORE)
    return Path(env).expanduser() if env else paths.home() / "lists"


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One stored version of the loaded lists."""

    name: str  # "000003"
    path: Path
    created_utc: str
    action: str  # "load" or "update"
    lists: tuple[ListMeta, ...]

    @property
    def entity_count(self) -> int:
        return sum(m.entity_count for m in self.lists)


class ListStore:
    """Versioned store of sanctions lists (see the module docstring for the layout)."""

    def __init__(self, root: str | Path | None = None) -> None:
        self.root = Path(root).expanduser() if root is not None else default_root()

    # -- reading -----------------------------------------------------------------------
    @property
    def snapshots_dir(self) -> Path:
        return self.root / "snapshots"

    def snapshots(self) -> list[Snapshot]:
        """Every snapshot, oldest first."""
        if not self.snapshots_dir.is_dir():
            return []
        names = sorted(p.name for p in self.snapshots_dir.iterdir()
                       if p.is_dir() and p.name.isdecimal())
        return [self._info(n) for n in names]

    def current(self) -> Snapshot | None:
        pointer = self.root / "CURRENT"
        if not pointer.is_file():
            return None
        return self._info(pointer.read_text().strip())

    def resolve(self, ref: str | None = None) -> Snapshot:
        """``None``/``current``, ``previous``, or a snapshot number (``3``, ``@3``)."""
        cur = self.current()
        if cur is None:
            raise StoreError(f"the lists store {self.root} is empty: run `armswatch lists "
                             "load PATH` or `armswatch lists update` first")
        ref = (ref or "current").lstrip("@")
        if ref == "current":
            return cur
        snaps = self.snapshots()
        if ref == "previous":
            older = [s for s in snaps if s.name < cur.name]
            if not older:
                raise StoreError("there is no snapshot before the current one")
            return older[-1]
        if ref.isdecimal():
            for s in snaps:
                if int(s.name) == int(ref):
                    return s
        known = ", ".join(str(int(s.name)) for s in snaps)
        raise StoreError(f"no snapshot {ref!r} in {self.root} (have: {known})")

    def _info(self, name: str) -> Snapshot:
        path = self.snapshots_dir / name
        try:
            doc = orjson.loads((path / "lists.json").read_bytes())
        except (OSError, orjson.JSONDecodeError) as exc:
            raise StoreError(f"snapshot {path} is unreadable: {exc}") from None
        return Snapshot(name, path, doc["created_utc"], doc.get("action", "load"),
                        tuple(meta_from_dict(m) for m in doc["lists"]))

    def table_path(self, table: str, ref: str | None = None) -> Path:
        """Parquet file of ``entities``/``names``/``identifiers``/``links`` (for SQL)."""
        if table not in TABLES:
            raise StoreError(f"unknown table {table!r}; tables: {', '.join(TABLES)}")
        return self.resolve(ref).path / f"{table}.parquet"

    def read(self, ref: str | None = None) -> ListData:
        """Entities, links and list metadata of a snapshot (default: the current one)."""
        snap = self.resolve(ref)
        ents = pq.read_table(snap.path / "entities.parquet", columns=["data"])
        entities = [entity_from_dict(orjson.loads(x)) for x in ents.column("data").to_pylist()]
        links = [link_from_dict(r) for r in pq.read_table(snap.path / "links.parquet")
                 .to_pylist()]
        return ListData(entities, links, list(snap.lists))

    # -- writing -----------------------------------------------------------------------
    def load(self, data: ListData, *, replace_all: bool = False,
             action: str = "load") -> Snapshot:
        """Store ``data`` as a new current snapshot.

        Lists already in the store whose source is not in ``data`` are carried over
        (unless ``replace_all``); a list whose source is in ``data`` is replaced.
        """
        if not data.meta:
            raise StoreError("nothing to load: no lists were read")
        cur = self.current()
        # the caller's metadata is copied, not changed, when links are re-resolved
        data = ListData(data.entities, data.links, [replace(m) for m in data.meta])
        if cur is not None and not replace_all:
            merged = _merge(self.read(cur.name), data)
        else:
            merged = ListData(list(data.entities), list(data.links), data.meta)
        _check_ids(merged.entities)
        self.snapshots_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=self.snapshots_dir))
        try:
            _write_snapshot(tmp, merged, action)
            name = self._next_name()
            final = self.snapshots_dir / name
            os.rename(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        pointer_tmp = self.root / f".CURRENT.{os.getpid()}"
        pointer_tmp.write_text(name + "\n")
        os.replace(pointer_tmp, self.root / "CURRENT")
        self._prune()
        return self._info(name)

    def _next_name(self) -> str:
        snaps = [int(p.name) for p in self.snapshots_dir.iterdir()
                 if p.is_dir() and p.name.isdecimal()]
        return f"{max(snaps, default=0) + 1:06d}"

    def _prune(self) -> None:
        snaps = self.snapshots()
        cur = self.current()
        for s in snaps[:-KEEP_SNAPSHOTS]:
            if cur is None or s.name != cur.name:
                shutil.rmtree(s.path, ignore_errors=True)


def load_store(root: str | Path | None = None, snapshot: str | None = None) -> ListData:
    """Entities, links and list metadata of the current (or given) snapshot."""
    return ListStore(root).read(snapshot)


def _merge(old: ListData, new: ListData) -> ListData:
    replaced = {m.source for m in new.meta}
    entities = [e for e in old.entities if e.source not in replaced] + list(new.entities)
    ids = {e.id for e in entities}
    links = [lk for lk in old.links if lk.origin not in replaced
             and lk.source_id in ids and lk.target_id in ids] + list(new.links)
    metas = [m for m in old.meta if m.source not in replaced] + list(new.meta)
    out = ListData(entities, links, metas)
    _resolve_pending(out)
    return out


def _resolve_pending(data: ListData) -> None:
    """Link names one list could not resolve may be on another list of the snapshot."""
    if not any(m.unresolved for m in data.meta):
        return
    index = NameIndex(data.entities)
    have = {lk.id for lk in data.links}
    for meta in data.meta:
        links, still = resolve_links(index, meta.unresolved, meta.source)
        fresh = [lk for lk in links if lk.id not in have]
        data.links.extend(fresh)
        have.update(lk.id for lk in fresh)
        meta.link_count += len(fresh)
        meta.unresolved = still


def _check_ids(entities: Iterable[Entity]) -> None:
    seen: set[str] = set()
    for e in entities:
        if e.id in seen:
            raise StoreError(f"entity id {e.id} occurs twice; were two versions of the "
                             "same list loaded together?")
        seen.add(e.id)


def _write_snapshot(folder: Path, data: ListData, action: str) -> None:
    ents: list[dict[str, Any]] = []
    names: list[dict[str, Any]] = []
    idents: list[dict[str, Any]] = []
    for e in data.entities:
        ents.append({"id": e.id, "schema": e.schema.value, "source": e.source,
                     "source_id": e.source_id, "caption": e.caption,
                     "data": orjson.dumps(entity_to_dict(e)).decode()})
        names.extend({"entity_id": e.id, "name": n.value, "kind": n.kind.value,
                      "schema": e.schema.value, "source": e.source} for n in e.names)
        idents.extend({"entity_id": e.id, "kind": i.kind.value, "value": i.value,
                       "country": i.country} for i in e.identifiers)
    for rows, schema, name in ((ents, ENTITY_SCHEMA, "entities"), (names, NAME_SCHEMA, "names"),
                               (idents, IDENTIFIER_SCHEMA, "identifiers"),
                               ([link_to_dict(lk) for lk in data.links], LINK_SCHEMA, "links")):
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), folder / f"{name}.parquet")
    doc = {"created_utc": datetime.now(UTC).isoformat(timespec="seconds"), "action": action,
           "lists": [meta_to_dict(m) for m in data.meta]}
    (folder / "lists.json").write_bytes(orjson.dumps(doc, option=orjson.OPT_INDENT_2))
