"""CLI: ``vessel``, ``deliveries``, ``risk``, ``network exposure`` and ``alerts``.

Every analysis command reads one work folder (``--workdir``, default ``.``) holding
``events.parquet`` (detector events), optionally ``statics.parquet`` (decoded AIS static
data), ``registry*.csv`` (ship registry tables) and ``lists/`` (sanctions lists); more
list files and registry tables can be named with ``--lists`` and ``--registry``. Without
list files the lists store (``armswatch lists load``) is used.
"""

from __future__ import annotations

import getpass
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import orjson
import typer
from rich.console import Console

from armswatch.errors import BadInputError

if TYPE_CHECKING:
    from armswatch.risk import Case

console = Console()

WORKDIR = typer.Option(
    Path("."),
    "--workdir",
    "-w",
    help="Work folder with events.parquet, statics.parquet, registry*.csv and lists/.",
)
LISTS = typer.Option([], "--lists", "-l", help="Sanctions list file or folder (repeatable).")
REGISTRY = typer.Option(
    [],
    "--registry",
    "-r",
    help="Ship registry CSV (repeatable; see docs/network.md for the columns).",
)
AS_OF = typer.Option(
    None,
    "--as-of",
    help="Evaluate ownership and recency on this date "
    "(YYYY-MM-DD, UTC); default: the end of the last event.",
)
JSON = typer.Option(False, "--json", help="Print JSON instead of tables.")
STORE = typer.Option(
    None, "--store", help="Alert store file (default: $ARMSWATCH_HOME/alerts.duckdb)."
)


def _as_of(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        day = datetime.fromisoformat(value)
    except ValueError:
        raise BadInputError(f"--as-of {value!r} is not a date (YYYY-MM-DD)") from None
    return day.replace(tzinfo=UTC) if day.tzinfo is None else day.astimezone(UTC)


def _load(workdir: Path, lists: list[Path], registry: list[Path], as_of: str | None) -> Case:
    from armswatch.risk import build_case

    with console.status("building the case: identities, voyages, ownership, scores ..."):
        return build_case(
            workdir, extra_lists=lists, extra_registries=registry, as_of_utc=_as_of(as_of)
        )


def _dump(obj: object) -> None:
    console.print_json(orjson.dumps(obj, option=orjson.OPT_NON_STR_KEYS).decode())


def _now() -> datetime:
    return datetime.now(UTC)


def _analyst(value: str | None) -> str:
    name = value or os.environ.get("ARMSWATCH_ANALYST") or getpass.getuser()
    if not name.strip():
        raise BadInputError("name the analyst with --analyst")
    return name


def register(app: typer.Typer) -> None:
    from armswatch.network import _render as render

    @app.command("vessel")
    def vessel(
        key: str = typer.Argument(..., help="IMO number, MMSI or vessel id (imo-..., mmsi-...)."),
        workdir: Path = WORKDIR,
        lists: list[Path] = LISTS,
        registry: list[Path] = REGISTRY,
        as_of: str | None = AS_OF,
        as_json: bool = JSON,
    ) -> int:
        """Dossier of one ship: identities over time, owners and their sanctions status,
        list matches, risk components, events, voyages and deliveries.
        Exit 0 when found, 2 when the ship is not in the data."""
        case = _load(workdir, lists, registry, as_of)
        d = case.vessel(key)
        if d is None:
            raise BadInputError(f"no ship {key!r} in the events or statics of {workdir}")
        if as_json:
            _dump(d)
        else:
            render.print_dossier(console, d)
        return 0

    @app.command("deliveries")
    def deliveries(
        from_role: list[str] = typer.Option(
            ["dprk_port"],
            "--from-role",
            help="Port role of the origin (repeatable), e.g. dprk_port, iran_port.",
        ),
        to_role: list[str] = typer.Option(
            ["russian_port", "russian_military"],
            "--to-role",
            help="Port role of the destination (repeatable).",
        ),
        vessel: str | None = typer.Option(
            None, "--vessel", help="Only deliveries by this ship (IMO, MMSI or vessel id)."
        ),
        by_month: bool = typer.Option(False, "--by-month", help="Also count per vessel and month."),
        workdir: Path = WORKDIR,
        lists: list[Path] = LISTS,
        registry: list[Path] = REGISTRY,
        as_of: str | None = AS_OF,
        as_json: bool = JSON,
    ) -> int:
        """Inferred deliveries (voyages, chains and ship-to-ship transfers) from a port of
        concern to a destination of concern, with their evidence. Exit 1 when any is found."""
        case = _load(workdir, lists, registry, as_of)
        found = case.deliveries_between(from_role, to_role)
        if vessel is not None:
            d = case.vessel(vessel)
            vid = d.vessel_id if d else vessel
            found = [x for x in found if vid in x.vessels]
        if as_json:
            _dump(found)
        else:
            console.print(render.deliveries_table(found))
            if by_month:
                console.print(render.monthly_table(found))
        return 1 if found else 0

    @app.command("risk")
    def risk(
        top: int = typer.Option(20, "--top", min=1, help="How many to list."),
        voyages: bool = typer.Option(False, "--voyages", help="Rank voyages instead of ships."),
        workdir: Path = WORKDIR,
        lists: list[Path] = LISTS,
        registry: list[Path] = REGISTRY,
        as_of: str | None = AS_OF,
        as_json: bool = JSON,
    ) -> int:
        """Rank ships (or voyages) by risk score with their main components."""
        case = _load(workdir, lists, registry, as_of)
        scores = (case.voyage_scores if voyages else case.vessel_scores)[:top]
        if as_json:
            _dump(scores)
        else:
            kind = "voyages" if voyages else "ships"
            console.print(
                render.ranking_table(scores, f"{kind} by risk, as of {case.as_of_utc:%Y-%m-%d}")
            )
        return 0

    net = typer.Typer(
        help="Ownership graph: OFAC 50 % rule and network exposure.", no_args_is_help=True
    )
    app.add_typer(net, name="network")

    @net.command("exposure")
    def exposure(
        registry: list[Path] = REGISTRY,
        lists: list[Path] = LISTS,
        as_of: str | None = typer.Option(
            None,
            "--as-of",
            help="Ownership on this date (YYYY-MM-DD); default: current rows (no end date).",
        ),
        all_nodes: bool = typer.Option(
            False, "--all", help="Also list parties with no link to a blocked party."
        ),
        as_json: bool = JSON,
    ) -> int:
        """Sanctions status of every party and ship in registry tables and lists: listed,
        blocked by the 50 % rule (aggregate direct and indirect shares), or exposed through
        links. Lists the parties and ships of the registry tables (``--all``: every node).
        Exit 1 when a registry party or ship is blocked."""
        from rich.table import Table

        from armswatch.engine import DuckDBBackend
        from armswatch.network import analyse_ownership, build_graph, read_registry
        from armswatch.risk._case import _lists

        if not registry and not lists:
            raise BadInputError("name at least one --registry table or --lists file")
        ents, links, blocking = _lists(lists, use_store=not lists)
        tables = [read_registry(p) for p in registry]
        graph = build_graph(ents, links, tables, blocking)
        with DuckDBBackend() as be:
            res = analyse_ownership(graph, be, as_of)
        touched = {
            graph.node_of(n)
            for t in tables
            for ln in t.links()
            for n in (ln.source_id, ln.target_id)
        }
        rows = [
            r
            for r in res.by_node().values()
            if all_nodes or (r.node_id in touched and (r.exposure > 0 or r.listed))
        ]
        rows.sort(key=lambda r: (not r.blocked, -r.exposure, r.node_id))
        if as_json:
            _dump(rows)
        else:
            t = Table(
                title=f"ownership status ({res.rounds} rounds of the 50 % rule)",
                title_justify="left",
            )
            for col in ("node", "name", "blocked", "blocked share %", "exposure", "why"):
                t.add_column(col)
            for r in rows:
                share = f"{r.blocked_share_pct:.4g}" if r.blocked_share_pct is not None else "-"
                t.add_row(
                    r.node_id,
                    r.caption,
                    "yes" if r.blocked else "no",
                    share,
                    f"{r.exposure:.2f}",
                    r.reason,
                    style="red" if r.blocked else None,
                )
            console.print(t)
            for note in graph.unresolved:
                console.print(f"[yellow]note:[/yellow] {note}")
        return 1 if any(r.blocked and r.node_id in touched for r in rows) else 0

    alerts = typer.Typer(
        help="The alert queue: raise, list, show and review alerts.", no_args_is_help=True
    )
    app.add_typer(alerts, name="alerts")

    @alerts.command("raise")
    def alerts_raise(
        threshold: float | None = typer.Option(
            None, "--threshold", min=0.0, max=1.0, help="Score that raises an alert (default 0.5)."
        ),
        workdir: Path = WORKDIR,
        lists: list[Path] = LISTS,
        registry: list[Path] = REGISTRY,
        as_of: str | None = AS_OF,
        store: Path | None = STORE,
    ) -> int:
        """Score the work folder and raise alerts for ships at or above the threshold.
        Dismissed alerts are not raised again for the same evidence. Exit 1 when new
        alerts were raised."""
        from armswatch.risk import AlertStore

        case = _load(workdir, lists, registry, as_of)
        with AlertStore(store) as st:
            rep = st.raise_alerts(case.alert_candidates(threshold), _now())
        console.print(
            f"new {len(rep.created)}, updated {len(rep.updated)}, unchanged "
            f"{len(rep.unchanged)}, suppressed (dismissed) {len(rep.suppressed)}"
        )
        return 1 if rep.created else 0

    @alerts.command("list")
    def alerts_list(
        state: list[str] = typer.Option(
            [],
            "--state",
            help="Only alerts in this state (new, under_review, escalated, dismissed; repeatable).",
        ),
        vessel: str | None = typer.Option(
            None, "--vessel", help="Only alerts about this vessel id."
        ),
        store: Path | None = STORE,
        as_json: bool = JSON,
    ) -> int:
        """List alerts, newest first."""
        from armswatch.risk import AlertState, AlertStore

        try:
            states = [AlertState(s) for s in state]
        except ValueError as exc:
            raise BadInputError(f"{exc}; states: new, under_review, escalated, dismissed") from None
        with AlertStore(store) as st:
            found = st.alerts(states, vessel)
        if as_json:
            _dump(found)
        else:
            console.print(render.alerts_table(found))
        return 0

    @alerts.command("show")
    def alerts_show(
        alert_id: str = typer.Argument(..., help="Alert id (al-...)."),
        store: Path | None = STORE,
        as_json: bool = JSON,
    ) -> int:
        """An alert with its evidence versions and full review history."""
        from armswatch.risk import AlertStore

        with AlertStore(store) as st:
            a = st.get(alert_id)
        if as_json:
            _dump(a)
        else:
            render.print_alert(console, a)
        return 0

    @alerts.command("review")
    def alerts_review(
        alert_id: str = typer.Argument(..., help="Alert id (al-...)."),
        state: str = typer.Option(
            ...,
            "--state",
            help="New state: under_review, escalated or "
            "dismissed (dismissing or escalating needs --comment).",
        ),
        comment: str | None = typer.Option(
            None, "--comment", "-m", help="Why (kept in the history)."
        ),
        analyst: str | None = typer.Option(
            None, "--analyst", help="Who reviews (default: $ARMSWATCH_ANALYST or the login name)."
        ),
        store: Path | None = STORE,
    ) -> int:
        """Move an alert along new → under_review → escalated/dismissed, recording who,
        when and why. History is append-only."""
        from armswatch.risk import AlertStore

        with AlertStore(store) as st:
            a = st.review(alert_id, state, _analyst(analyst), comment, _now())
        console.print(f"{a.alert_id}: {a.state.value} (by {a.history[-1].actor})")
        return 0
