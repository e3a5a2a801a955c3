"""``armswatch lists ...``: load, update, diff, export and inspect the sanctions lists."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import orjson
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from armswatch.errors import BadInputError, StoreError
from armswatch.lists._detect import FORMATS, read_lists
from armswatch.lists._types import ListData, ListMeta
from armswatch.lists.diff import ListDiff, diff_lists

if TYPE_CHECKING:  # the store (pyarrow) and the downloader (httpx) load on first use
    from armswatch.lists.store import ListStore

console = Console()
err = Console(stderr=True)

STORE_HELP = ("Lists store folder (default: $ARMSWATCH_LISTS_STORE, else "
              "$ARMSWATCH_HOME/lists, else ~/.armswatch/lists).")


def _store(path: Path | None) -> ListStore:
    from armswatch.lists.store import ListStore

    return ListStore(path)


def _read(paths: list[Path]) -> ListData:
    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as progress:
        progress.add_task(f"reading {len(paths)} path(s)", total=None)
        data = read_lists(paths)
    _report_read(data)
    return data


def _report_read(data: ListData) -> None:
    for m in data.meta:
        err.print(f"[green]read[/green] {m.source} ({m.format}) from {m.path}: "
                  f"{m.entity_count} entities, {m.link_count} links"
                  + (f", [yellow]{len(m.skipped)} rows skipped[/yellow]" if m.skipped else ""))
        for s in m.skipped[:5]:
            err.print(f"  [yellow]skipped[/yellow] {s}")
        if len(m.skipped) > 5:
            err.print(f"  ... and {len(m.skipped) - 5} more (see `armswatch lists status -v`)")
        for note in m.notes:
            err.print(f"  [dim]{note}[/dim]")
    for s in data.ignored:
        err.print(f"[dim]ignored {s.path}: {s.reason}[/dim]")


def _version_of(ref: str, store_path: Path | None) -> ListData:
    """A path (file or folder of lists) or a store snapshot (``@3``, current, previous)."""
    if ref.startswith("@") or ref in ("current", "previous"):
        return _store(store_path).read(ref)
    path = Path(ref)
    if not path.exists():
        raise BadInputError("no such file or folder (or snapshot: use @N, current, previous)",
                            path)
    return read_lists([path])


def _meta_table(metas: tuple[ListMeta, ...] | list[ListMeta], title: str) -> Table:
    t = Table(title=title)
    for col in ("list", "format", "date", "entities", "links", "skipped", "sha256", "file"):
        t.add_column(col, overflow="fold")
    for m in metas:
        t.add_row(m.source, m.format, m.date or "-", str(m.entity_count), str(m.link_count),
                  str(len(m.skipped)), m.sha256[:12], Path(m.path).name)
    return t


def _print_diff(d: ListDiff, limit: int) -> None:
    s = d.summary()
    console.print(f"[bold]{s['added']} added, {s['removed']} removed, {s['changed']} changed"
                  f"[/bold]; links: {s['links_added']} added, {s['links_removed']} removed")
    for label, items in (("added", d.added), ("removed", d.removed)):
        for e in items[:limit]:
            console.print(f"  [{'green' if label == 'added' else 'red'}]{label}[/] {e.id} "
                          f"{e.schema.value} {e.caption}")
        if len(items) > limit:
            console.print(f"  ... {len(items) - limit} more {label}")
    for c in d.changed[:limit]:
        console.print(f"  [yellow]changed[/yellow] {c.id} {c.caption}")
        for f in c.changes:
            for v in f.removed:
                console.print(f"      {f.field} [red]- {v}[/red]")
            for v in f.added:
                console.print(f"      {f.field} [green]+ {v}[/green]")
    if len(d.changed) > limit:
        console.print(f"  ... {len(d.changed) - limit} more changed")


def register(app: typer.Typer) -> None:
    lists = typer.Typer(help="Sanctions lists: load, update, diff, export, status.",
                        no_args_is_help=True)
    app.add_typer(lists, name="lists")

    @lists.command("load")
    def load(
        paths: list[Path] = typer.Argument(..., help="List files or folders (formats are "
                                           "detected from content; OFAC companions are "
                                           "found beside sdn.csv)."),
        store: Path | None = typer.Option(None, "--store", help=STORE_HELP),
        replace_all: bool = typer.Option(False, "--replace-all", help="Drop lists already "
                                         "in the store instead of keeping those not given."),
    ) -> int:
        """Load local list files into the store as a new snapshot (all or nothing)."""
        data = _read(paths)
        snap = _store(store).load(data, replace_all=replace_all)
        console.print(f"snapshot {int(snap.name)}: {snap.entity_count} entities in "
                      f"{len(snap.lists)} list(s) -> {snap.path}")
        return 0

    @lists.command("update")
    def update(
        only: list[str] = typer.Option(None, "--list", "-l", help="Update only this list "
                                       "(repeatable), e.g. us_ofac_sdn, un_sc_sanctions."),
        sources_file: Path | None = typer.Option(None, "--sources", help="JSON file "
                                                 "overriding download URLs."),
        store: Path | None = typer.Option(None, "--store", help=STORE_HELP),
    ) -> int:
        """Download the current lists from their official publishers into the store.

        Exit code 1 when any list could not be fetched or read (the others are loaded).
        """
        from armswatch.lists.sources import select, sources
        from armswatch.lists.update import update_lists

        chosen = select(sources(sources_file), only or None)
        st = _store(store)
        with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                      console=err, transient=True) as progress:
            task = progress.add_task("updating", total=None)
            result = update_lists(st, chosen,
                                  progress=lambda msg: progress.update(task, description=msg))
        for r in result.results:
            colour = {"updated": "green", "unchanged": "dim", "failed": "red"}[r.status]
            detail = r.error or (f"{r.entities} entities" if r.status == "updated" else "")
            console.print(f"[{colour}]{r.status}[/] {r.code} {detail}")
        if result.snapshot is not None:
            console.print(f"snapshot {int(result.snapshot.name)}: "
                          f"{result.snapshot.entity_count} entities")
        return 1 if result.failed else 0

    @lists.command("diff")
    def diff(
        old: str = typer.Argument("previous", help="Old version: a list file/folder, or a "
                                  "store snapshot (@N, current, previous)."),
        new: str = typer.Argument("current", help="New version (same forms as OLD)."),
        as_json: bool = typer.Option(False, "--json", help="Print the full diff as JSON."),
        limit: int = typer.Option(50, "--limit", help="Show at most this many entities "
                                  "per section (text output)."),
        store: Path | None = typer.Option(None, "--store", help=STORE_HELP),
    ) -> int:
        """Entities added, removed and changed (field by field) between two versions."""
        a, b = _version_of(old, store), _version_of(new, store)
        d = diff_lists(a.entities, b.entities, a.links, b.links)
        if as_json:
            sys.stdout.write(orjson.dumps(d.to_dict(), option=orjson.OPT_INDENT_2).decode()
                             + "\n")
        else:
            _print_diff(d, limit)
        return 0

    @lists.command("export")
    def export(
        paths: list[Path] = typer.Argument(None, help="List files or folders; none = the "
                                           "current store snapshot."),
        output: Path = typer.Option(..., "--output", "-o", help="FollowTheMoney JSON-lines "
                                    "file to write ('-' for standard output)."),
        store: Path | None = typer.Option(None, "--store", help=STORE_HELP),
    ) -> int:
        """Write FollowTheMoney JSON lines (for yente / Aleph) of every entity and link."""
        from armswatch.model.ftm import write_ftm

        data = _read(paths) if paths else _store(store).read()
        if str(output) == "-":
            n = write_ftm(data.entities, data.links, sys.stdout.buffer)
        else:
            output.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
            try:
                with os.fdopen(fd, "wb") as fh:
                    n = write_ftm(data.entities, data.links, fh)
                os.replace(tmp, output)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            err.print(f"wrote {n} FtM entities ({len(data.entities)} listed) to {output}")
        return 0

    @lists.command("status")
    def status(
        store: Path | None = typer.Option(None, "--store", help=STORE_HELP),
        verbose: bool = typer.Option(False, "--verbose", "-v", help="Also list every "
                                     "skipped row and note."),
    ) -> int:
        """Loaded lists (versions, dates, checksums, counts) and the stored snapshots."""
        st = _store(store)
        cur = st.current()
        if cur is None:
            console.print(f"the lists store {st.root} is empty")
            return 0
        console.print(_meta_table(cur.lists, f"current snapshot {int(cur.name)} "
                                             f"({cur.action}, {cur.created_utc})"))
        snaps = Table(title="snapshots")
        for col in ("snapshot", "created (UTC)", "action", "lists", "entities"):
            snaps.add_column(col)
        for s in st.snapshots():
            snaps.add_row(str(int(s.name)) + (" *" if s.name == cur.name else ""),
                          s.created_utc, s.action, ", ".join(m.source for m in s.lists),
                          str(s.entity_count))
        console.print(snaps)
        if verbose:
            for m in cur.lists:
                for row in m.skipped:
                    console.print(f"[yellow]skipped[/yellow] {row}")
                for note in m.notes:
                    console.print(f"[dim]{m.source}: {note}[/dim]")
                for p in m.unresolved:
                    console.print(f"[dim]{m.source}: unresolved {p.role} {p.name!r} "
                                  f"({p.entity_id})[/dim]")
        return 0

    @lists.command("show")
    def show(
        entity_id: str = typer.Argument(None, help="An entity id (e.g. us_ofac_sdn-15036); "
                                        "without it, the same as `lists status`."),
        store: Path | None = typer.Option(None, "--store", help=STORE_HELP),
    ) -> int:
        """Show one stored entity with its links, or the store status."""
        if entity_id is None:
            return int(status(store=store, verbose=False))
        data = _store(store).read()
        found = [e for e in data.entities if e.id == entity_id]
        if not found:
            raise StoreError(f"no entity {entity_id!r} in the current snapshot")
        from armswatch.lists._codec import entity_to_dict, link_to_dict

        doc = {"entity": entity_to_dict(found[0]),
               "links": [link_to_dict(lk) for lk in data.links
                         if entity_id in (lk.source_id, lk.target_id)]}
        sys.stdout.write(orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode() + "\n")
        return 0

    @lists.command("formats")
    def formats() -> int:
        """The list formats armswatch reads (detected from file content)."""
        for f in FORMATS:
            role = "companion" if f.read is None else "list"
            console.print(f"{f.name:20} {role:9} {f.label}")
        return 0
