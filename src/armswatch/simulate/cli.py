"""``armswatch simulate`` and ``armswatch evaluate``."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from armswatch.errors import BadInputError

console = Console(stderr=True)


def _simulate(
    scenario: str = typer.Option(..., "--scenario", help="Scenario name: dprk_russia_shuttle, "
                                 "sts_transfer, identity_swap, spoofing, background, mixed."),
    seed: int = typer.Option(0, "--seed", help="Random seed; the same seed gives the same files."),
    output: Path = typer.Option(..., "--output", "-o", help="Folder to write ais.nmea, "
                                "truth.jsonl and scenario.json into (created if missing)."),
    vessels: int | None = typer.Option(None, "--vessels", min=0, help="Number of innocent "
                                       "vessels (default: the scenario's); patterns of "
                                       "concern come on top."),
    days: float | None = typer.Option(None, "--days", min=0.1, help="Length of the window in "
                                      "days (default: the scenario's)."),
    start: str | None = typer.Option(None, "--start", help="First day, YYYY-MM-DD (UTC); "
                                     "default 2023-09-01."),
    archive_interval_s: float = typer.Option(60.0, "--archive-interval", min=0.0,
                                             help="Keep one position per vessel per this many "
                                             "seconds, like commercial archives (0 = every "
                                             "received report)."),
) -> int:
    """Simulate AIS traffic with known behaviours: writes ais.nmea (tag-block NMEA as a
    receiver network records it) and truth.jsonl (every event that happens)."""
    from armswatch.simulate._api import simulate, write_simulation
    from armswatch.simulate._receiver import ReceiverConfig

    try:
        day0 = date.fromisoformat(start) if start else None
    except ValueError:
        raise BadInputError(f"--start {start!r}: expected YYYY-MM-DD") from None
    cfg = ReceiverConfig(archive_interval_s=archive_interval_s)
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}"
                  "/{task.total}"), TimeElapsedColumn(), console=console,
                  transient=True) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = int(bar.add_task(stage, total=total))
            bar.update(tasks[stage], completed=done, total=total)  # type: ignore[arg-type]

        sim = simulate(scenario, seed, vessels=vessels, days=days, start=day0, receiver=cfg,
                       progress=progress)
        paths = write_simulation(sim, output, progress)
    summary = sim.summary()
    console.print(f"{summary['scenario']} seed {seed}: {summary['vessels']} vessels, "
                  f"{summary['days']} days, {summary['positions']} positions, "
                  f"{summary['statics']} static reports")
    console.print("truth: " + ", ".join(f"{k} {v}" for k, v in
                                        summary["truth_events"].items()))  # type: ignore[attr-defined]
    for p in paths.values():
        console.print(f"wrote {p}")
    return 0


def _fmt(x: float | None, pct: bool = False) -> str:
    if x is None:
        return "–"
    return f"{x:.3f}" if pct else f"{x:.1f}"


def _evaluate(
    truth: Path = typer.Option(..., "--truth", help="truth.jsonl (from armswatch simulate or "
                               "any file with the event fields)."),
    events: Path = typer.Option(..., "--events", help="events.jsonl from armswatch detect."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    slack_s: float = typer.Option(0.0, "--slack", min=0.0, help="Widen each event's time span "
                                  "by this many seconds when testing overlap."),
    vessel_days: float | None = typer.Option(None, "--vessel-days", min=0.0, help="Vessel-days "
                                             "in the data, for false events per 1,000 "
                                             "vessel-days (default: from scenario.json beside "
                                             "the truth file, if there)."),
) -> int:
    """Precision, recall and median start-time error per event type: an event matches a
    truth event of the same type, vessel(s) and overlapping time (one-to-one)."""
    from armswatch.detect.evaluate import evaluate_files

    if vessel_days is None:
        meta = truth.parent / "scenario.json"
        if meta.is_file():
            try:
                vessel_days = float(json.loads(meta.read_text(encoding="utf-8"))["vessel_days"])
            except (ValueError, KeyError, TypeError):
                vessel_days = None
    ev = evaluate_files(truth, events, slack_s=slack_s, vessel_days=vessel_days)
    if as_json:
        typer.echo(json.dumps(ev.as_dict(), indent=2))
        return 0
    table = Table(title=f"{events.name} vs {truth.name}")
    table.add_column("type", no_wrap=True)
    for col in ("truth", "detected", "matched", "precision", "recall", "start err min"):
        table.add_column(col, justify="right", no_wrap=True)
    if vessel_days:
        table.add_column("false/1k vessel-days", justify="right", no_wrap=True)
    for name, s in sorted(ev.per_type.items()):
        row = [name, str(s.truth), str(s.detected), str(s.matched), _fmt(s.precision, True),
               _fmt(s.recall, True),
               _fmt(None if s.median_start_error_s is None else s.median_start_error_s / 60)]
        if vessel_days:
            row.append(_fmt(s.false_per_1000_vessel_days))
        table.add_row(*row)
    out = Console()
    Console(width=max(out.width, 120)).print(table)
    return 0


def register(app: typer.Typer) -> None:
    app.command("simulate")(_simulate)
    app.command("evaluate")(_evaluate)
