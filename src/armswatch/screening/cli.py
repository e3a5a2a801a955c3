"""``armswatch screen`` and ``armswatch screen-file``."""

from __future__ import annotations

import csv
import json
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from armswatch.errors import BadInputError
from armswatch.paths import home

if TYPE_CHECKING:
    from armswatch.screening import Match, Screener

EXIT_OK, EXIT_FINDINGS = 0, 1
MIN_SCORE = 0.30  # candidates scoring below this are not listed

_LISTS_HELP = (
    "List file or folder (repeatable); every list file found is loaded (format detected). "
    "Default: $ARMSWATCH_LISTS, else ~/.armswatch/lists."
)


def _list_paths(lists: list[Path] | None) -> list[Path]:
    if lists:
        return lists
    env = os.environ.get("ARMSWATCH_LISTS")
    if env:
        return [Path(p) for p in env.split(os.pathsep) if p]
    default = home() / "lists"
    if default.is_dir() and any(default.iterdir()):
        return [default]
    raise BadInputError(
        "no sanctions lists to screen against: pass --lists DIR (a folder of list files, "
        "e.g. OFAC sdn.csv and the UN consolidated XML), set ARMSWATCH_LISTS, or put the "
        f"files in {default}"
    )


def _load(lists: list[Path] | None, algorithm: str, console: Console) -> Screener:
    from armswatch.screening import Screener

    paths = _list_paths(lists)
    for path in paths:
        if not path.exists():
            raise BadInputError("no such file or folder", path)
    started = time.perf_counter()
    with console.status("loading lists and building the index..."):
        screener = Screener.from_paths(paths, algorithm)
    console.print(
        f"[dim]{screener.stats.entities:,} entities, {screener.stats.names:,} names indexed "
        f"in {time.perf_counter() - started:.1f} s ({screener.algorithm_ref})[/dim]"
    )
    return screener


def _identifiers(imo: str | None, mmsi: str | None, ids: list[str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    if imo:
        out["imo"] = imo
    if mmsi:
        out["mmsi"] = mmsi
    for item in ids or []:
        kind, sep, value = item.partition("=")
        if not sep or not kind.strip() or not value.strip():
            raise BadInputError(f"--id expects KIND=VALUE (e.g. passport=X123), got {item!r}")
        out[kind.strip().lower()] = value.strip()
    return out


def register(app: typer.Typer) -> None:
    """Add the screening commands to the root CLI."""

    @app.command("screen")
    def screen(
        name: str = typer.Argument(..., help="Name to screen, any script."),
        schema: str = typer.Option(
            "any", "--schema", help="person, company, vessel, airplane or any."
        ),
        dob: str | None = typer.Option(None, "--dob", help="Date of birth: YYYY[-MM[-DD]]."),
        country: list[str] | None = typer.Option(
            None, "--country", help="Nationality/residence/flag (repeatable)."
        ),
        imo: str | None = typer.Option(None, "--imo", help="Vessel IMO number."),
        mmsi: str | None = typer.Option(None, "--mmsi", help="Vessel MMSI."),
        ident: list[str] | None = typer.Option(
            None, "--id", help="Other identifier as KIND=VALUE, e.g. passport=X123 (repeatable)."
        ),
        program: list[str] | None = typer.Option(
            None, "--program", help="Only these programmes (prefix, repeatable)."
        ),
        only_list: list[str] | None = typer.Option(
            None, "--list", help="Only these lists (part of the list code, repeatable)."
        ),
        top: int = typer.Option(5, "--top", min=1, max=1000, help="Candidates to show."),
        threshold: float | None = typer.Option(
            None, "--threshold", min=0.0, max=1.0, help="Match threshold (default 0.70)."
        ),
        min_score: float = typer.Option(
            MIN_SCORE, "--min-score", min=0.0, max=1.0, help="Hide candidates scoring below."
        ),
        lists: list[Path] | None = typer.Option(None, "--lists", help=_LISTS_HELP),
        algorithm: str = typer.Option(
            "armswatch-match", "--algorithm", help="Scoring algorithm, name or name@version."
        ),
        as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    ) -> int:
        """Screen one name against the sanctions lists (exit 1 if it matches)."""
        from pydantic import ValidationError

        from armswatch.screening import Query

        console = Console(stderr=True)
        if not name.strip() or not any(ch.isalnum() for ch in name):
            raise BadInputError("empty name: nothing to screen")
        try:
            query = Query(
                name=name,
                schema=schema,
                birth_date=dob,
                countries=tuple(country or ()),
                identifiers=_identifiers(imo, mmsi, ident),
                programs=tuple(program or ()),
                lists=tuple(only_list or ()),
                top=top,
                threshold=threshold,
            )
        except ValidationError as exc:
            raise BadInputError("; ".join(str(e["msg"]) for e in exc.errors())) from None
        screener = _load(lists, algorithm, console)
        matches = [m for m in screener.screen(query) if m.score >= min_score or m.is_match]
        if as_json:
            typer.echo(
                json.dumps([m.model_dump(by_alias=True) for m in matches], ensure_ascii=False)
            )
        else:
            _print_table(query.name, matches, Console())
        return EXIT_FINDINGS if any(m.is_match for m in matches) else EXIT_OK

    @app.command("screen-file")
    def screen_file(
        queries: Path = typer.Argument(
            ..., help="QUERIES.csv: header with id,name[,schema,dob,country,imo,mmsi]."
        ),
        output: Path = typer.Option(..., "--output", "-o", help="RESULTS.csv to write."),
        lists: list[Path] | None = typer.Option(None, "--lists", help=_LISTS_HELP),
        top: int = typer.Option(5, "--top", min=1, max=1000, help="Candidates per query."),
        threshold: float | None = typer.Option(
            None, "--threshold", min=0.0, max=1.0, help="Match threshold (default 0.70)."
        ),
        min_score: float = typer.Option(
            MIN_SCORE, "--min-score", min=0.0, max=1.0, help="Leave out candidates below."
        ),
        algorithm: str = typer.Option(
            "armswatch-match", "--algorithm", help="Scoring algorithm, name or name@version."
        ),
    ) -> int:
        """Screen every row of a CSV file; one RESULTS.csv row per (query, candidate).

        Exit 1 if any query matched. Rows that cannot be screened get a row saying why.
        """
        from armswatch.screening._io import count_rows, open_results, read_queries, result_rows

        console = Console(stderr=True)
        if not queries.is_file():
            raise BadInputError("no such file", queries)
        rows = read_queries(queries, top, threshold)
        first = next(rows, None)  # header problems surface before the lists are loaded
        screener = _load(lists, algorithm, console)
        total = count_rows(queries)
        matched = failed = 0
        with open_results(output) as fh:
            writer = csv.writer(fh)
            progress = Progress(
                TextColumn("screening"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=console,
            )
            with progress:
                task = progress.add_task("screening", total=total)
                for row in ([first] if first else []) + list(rows):
                    if row.query is None:
                        failed += 1
                        writer.writerows(result_rows(row.query_id, [], f"skipped: {row.error}"))
                    else:
                        try:
                            found = screener.screen(row.query)
                        except BadInputError as exc:
                            failed += 1
                            reason = f"skipped: line {row.line}: {exc.reason}"
                            writer.writerows(result_rows(row.query_id, [], reason))
                            progress.advance(task)
                            continue
                        shown = [m for m in found if m.score >= min_score or m.is_match]
                        matched += any(m.is_match for m in shown)
                        reason = f"no candidate with score >= {min_score:.2f}"
                        writer.writerows(result_rows(row.query_id, shown, reason))
                    progress.advance(task)
        console.print(
            f"{total} queries, {matched} matched, {failed} skipped (see their rows); "
            f"results in {output}"
        )
        return EXIT_FINDINGS if matched else EXIT_OK


def _print_table(name: str, matches: Sequence[Match], console: Console) -> None:
    table = Table(title=f"screening {name!r}", show_lines=True)
    for column in ("#", "score", "match", "entity", "schema", "matched name", "lists", "why"):
        table.add_column(column, overflow="fold")
    for rank, m in enumerate(matches, start=1):
        table.add_row(
            str(rank),
            f"{m.score:.2f}",
            "[bold red]MATCH[/]" if m.is_match else "",
            f"{m.entity_name}\n[dim]{m.entity_id}[/]",
            m.schema,
            m.matched_name,
            ", ".join((*m.lists, *m.programs)),
            m.explanation,
        )
    if not matches:
        console.print(f"no candidate for {name!r}")
        return
    console.print(table)
