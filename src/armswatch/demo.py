"""``armswatch demo``: the main job, end to end, on data the project generates or bundles.

Every step runs the same command a user would type (printed as ``$ armswatch ...``), so
the demo doubles as a tour of the CLI:

1. simulate AIS traffic with known ground truth (the ``mixed`` scenario: DPRK→Russia
   shuttles running dark, ship-to-ship transfers, identity swaps, spoofers, innocent ships);
2. decode the NMEA into Parquet tracks; 3. run the seven detectors; 4. score them against
   the truth; 5. screen names against a bundled excerpt of the OFAC list; 6. join ships to
   owners (an example registry mapped onto the simulated ships), apply the 50 % rule,
   infer deliveries and rank every ship by risk; 7. raise alerts; 8. find the transit
   countries in generated trade statistics with injected routes; then tell the user how
   to open the web map.
"""

from __future__ import annotations

import shlex
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import typer
from rich.console import Console

from armswatch.errors import ArmswatchError
from armswatch.paths import package_data

console = Console()

DEMO_SCENARIO = "mixed"
DEMO_SEED = 1
DEMO_VESSELS = 60  # innocent ships; the patterns of concern come on top
DEMO_DAYS = 6.0

_SHIPS: list[tuple[str, str]] = []  # (role, IMO) of the simulated ships, set by _simulate


@dataclass(frozen=True)
class _Step:
    title: str
    run: Callable[[Path], None]


def _cli(*args: str) -> None:
    """Run one armswatch command in process, as a user would type it."""
    from armswatch.cli import app

    console.print(f"[bold cyan]$ armswatch {shlex.join(args)}[/bold cyan]")
    rv = app(args=list(args), standalone_mode=False)
    code = rv if isinstance(rv, int) else 0
    # exit code 1 means "findings" (e.g. a screening hit): expected in a demo
    if code not in (0, 1):
        raise ArmswatchError(f"`armswatch {shlex.join(args)}` exited with {code}")


def _simulate(out: Path) -> None:
    from armswatch.simulate import simulate, write_simulation

    args = ("simulate", "--scenario", DEMO_SCENARIO, "--seed", str(DEMO_SEED),
            "--vessels", str(DEMO_VESSELS), "--days", str(DEMO_DAYS),
            "--output", str(out / "scenario"))
    # the same as the command below, run through the Python API so that the ships' roles
    # and IMO numbers are at hand for the registry step
    console.print(f"[bold cyan]$ armswatch {shlex.join(args)}[/bold cyan]")
    sim = simulate(DEMO_SCENARIO, DEMO_SEED, vessels=DEMO_VESSELS, days=DEMO_DAYS)
    written = write_simulation(sim, out / "scenario")
    for path in written.values():
        console.print(f"wrote {path}")
    summary = sim.summary()
    console.print(f"{summary['vessels']} ships over {summary['days']} days, "
                  f"{summary['positions']:,} positions; truth: {summary['truth_events']}")
    scripts = sorted(sim.scripts, key=lambda s: s.identities[0][1].mmsi)
    _SHIPS[:] = [(s.role, str(s.identities[0][1].imo)) for s in scripts
                 if s.identities[0][1].imo]


def _decode(out: Path) -> None:
    _cli("ais", "decode", str(out / "scenario" / "ais.nmea"), "--output", str(out))


def _detect(out: Path) -> None:
    _cli("detect", str(out / "positions"), str(out / "statics"),
         "--output", str(out / "events.jsonl"))


def _evaluate(out: Path) -> None:
    _cli("evaluate", "--truth", str(out / "scenario" / "truth.jsonl"),
         "--events", str(out / "events.jsonl"))


def _lists(out: Path) -> None:
    lists = out / "lists"
    lists.mkdir(exist_ok=True)
    shutil.copyfile(package_data("demo_sdn.csv"), lists / "sdn.csv")
    console.print(f"bundled OFAC excerpt (12 records, see {package_data('demo_sdn.README')}) "
                  f"-> {lists / 'sdn.csv'}")
    _cli("screen", "Владимир Путин", "--lists", str(lists), "--top", "3")
    _cli("screen", "Kim Jong-un", "--dob", "1984", "--lists", str(lists), "--top", "3")
    _cli("screen", "M/V LADY-R", "--schema", "vessel", "--lists", str(lists), "--top", "3")


def _registry(out: Path) -> None:
    from armswatch.network import map_example_registry

    path = map_example_registry(_SHIPS, out / "registry.csv")
    console.print(f"example registry (invented owners leading to listed parties) mapped "
                  f"onto the simulated ships -> {path}")


def _risk(out: Path) -> None:
    _cli("risk", "--workdir", str(out), "--top", "10")
    _cli("deliveries", "--workdir", str(out), "--from-role", "dprk_port",
         "--to-role", "russian_port", "--to-role", "russian_military", "--by-month")


def _alerts(out: Path) -> None:
    _cli("alerts", "raise", "--workdir", str(out), "--store", str(out / "alerts.duckdb"))
    _cli("alerts", "list", "--store", str(out / "alerts.duckdb"))


def _trade(out: Path) -> None:
    from armswatch.trade import demo_step

    console.print(demo_step(out))


STEPS: tuple[_Step, ...] = (
    _Step("1. simulate AIS traffic with known truth", _simulate),
    _Step("2. decode NMEA into Parquet tracks", _decode),
    _Step("3. detect behaviours", _detect),
    _Step("4. score the detectors against the truth", _evaluate),
    _Step("5. screen names against a bundled OFAC excerpt", _lists),
    _Step("6. ownership registry for the simulated ships", _registry),
    _Step("7. who is behind the ships, did the shipments arrive, risk", _risk),
    _Step("8. alert queue", _alerts),
    _Step("9. trade flows: transit countries hiding a route", _trade),
)


def run_demo(output: Path) -> int:
    output.mkdir(parents=True, exist_ok=True)
    t_all = time.perf_counter()
    for step in STEPS:
        t0 = time.perf_counter()
        console.rule(step.title)
        step.run(output)
        console.print(f"[dim]({time.perf_counter() - t0:.1f} s)[/dim]")
    console.rule("done")
    console.print(
        f"Everything is in [bold]{output}[/bold] ({time.perf_counter() - t_all:.0f} s).\n"
        f"Open the web map, alerts, screening and trade pages with\n\n"
        f"    armswatch serve --data {output}\n\n"
        f"then browse to [bold]http://127.0.0.1:8765/[/bold] (API page: "
        f"http://127.0.0.1:8765/docs). The first start builds the offline map assets "
        f"(Leaflet from the npm registry, checked against pinned hashes)."
    )
    return 0


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(
        output: Path = typer.Option(
            Path("armswatch-demo"), "--output", "-o", help="Folder for everything the demo writes."
        ),
    ) -> int:
        """Run the whole pipeline on a generated scenario, a bundled list excerpt and
        generated trade data; then print how to open the web map."""
        return run_demo(output)
