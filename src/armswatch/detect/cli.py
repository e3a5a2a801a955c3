"""``armswatch detect`` and ``armswatch ports list|import``."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from armswatch.errors import BadInputError, ConfigError

console = Console(stderr=True)


def _params(raw: str | None) -> dict[str, Any]:
    if not raw:
        return {}
    text = raw
    if raw.startswith("@"):
        try:
            text = Path(raw[1:]).read_text(encoding="utf-8")
        except OSError as exc:
            raise BadInputError(f"cannot read parameters: {exc}", raw[1:]) from None
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise ConfigError(f"--params is not valid JSON: {exc}") from None
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        raise ConfigError('--params must be an object of objects, e.g. {"ais_gap": '
                          '{"min_gap_h": 6}}')
    return value


def _now(value: str | None) -> datetime | None:
    if value is None:
        return datetime.now(UTC)
    if value == "none":
        return None
    try:
        ts = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(f"--now: not an ISO 8601 time: {value!r}") from None
    return ts if ts.tzinfo else ts.replace(tzinfo=UTC)


def run_detect(  # one CLI command: the options are its parameters
    inputs: list[Path], output: Path, engine: str, ports: list[Path], layers: list[Path],
    areas: list[Path], water: list[Path], general: bool, land: bool, detectors: str | None,
    params: str | None, parquet: bool, threads: int | None, now: str | None,
    searoute: bool = True, master: str | None = None,
) -> int:
    from armswatch.detect import DEFAULT_DETECTORS, DetectConfig, DetectReport, run_detectors
    from armswatch.detect._geography import default_ports
    from armswatch.detect.io import read_inputs, write_events_jsonl, write_events_parquet
    from armswatch.engine import make_backend
    from armswatch.geo.land import LandMask

    names = tuple(d.strip() for d in detectors.split(",") if d.strip()) if detectors else (
        DEFAULT_DETECTORS)
    port_table = tuple(default_ports(ports, layers, areas, general, searoute))
    mask = LandMask.load(water) if land else None
    config = DetectConfig(detectors=names, params=_params(params), ports=port_table, land=mask,
                          use_land=land, now_utc=_now(now))
    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("reading input", total=None)

        def tick(name: str, done: int, total: int) -> None:
            bar.update(task, description=f"decoding {name}", completed=done, total=total)

        data = read_inputs(inputs, tick)
        bar.update(task, description=f"detecting ({', '.join(names)})", total=None)
        report = DetectReport()
        with make_backend(engine, master, threads=threads) as backend:
            events = run_detectors(backend, data.positions, data.statics, config, report)
    write_events_jsonl(events, output)
    if parquet:
        write_events_parquet(events, output.with_suffix(".parquet"))
    summary = {
        "inputs": data.files, "empty_files": data.empty_files, "ports": len(port_table),
        "decode": data.decode_report, "detect": report.as_dict(),
    }
    output.with_suffix(".report.json").write_bytes(
        orjson.dumps(summary, option=orjson.OPT_INDENT_2))
    _print_report(report, len(events), output)
    return 0


def _print_report(report: Any, n_events: int, output: Path) -> None:
    t = Table(title=f"{n_events} events → {output}", show_header=True)
    t.add_column("detector")
    t.add_column("events", justify="right")
    t.add_column("seconds", justify="right")
    for name, n in report.events.items():
        t.add_row(name, str(n), f"{report.seconds.get(name, 0):.2f}")
    console.print(t)
    dropped = {k: v for k, v in report.as_dict().items() if k.startswith("dropped_") and v}
    console.print(
        f"positions: {report.positions_in:,} read, {report.positions_used:,} used; "
        f"{report.vessels:,} vessels, {report.vessel_days:,} vessel-days; "
        f"duplicates {report.duplicates:,}, out of order {report.out_of_order:,}, "
        f"one-point tracks {report.one_point_threads:,}"
        + (f"; dropped {dropped}" if dropped else "")
    )


def register(app: typer.Typer) -> None:
    @app.command("detect")
    def detect(
        inputs: list[Path] = typer.Argument(
            ..., help="NMEA logs (plain, .gz, .zst) and/or Parquet from `armswatch ais decode` "
            "(a dataset folder with positions/ and statics/, or .parquet files)."),
        output: Path = typer.Option(Path("events.jsonl"), "--output", "-o",
                                    help="Events file (JSON Lines); a report .report.json and "
                                    "(with --parquet) .parquet are written beside it."),
        engine: str = typer.Option("duckdb", "--engine", help="SQL engine: duckdb or spark."),
        ports: list[Path] = typer.Option([], "--ports", help="Extra ports-of-concern CSV "
                                         "(armswatch ports layout); repeatable."),
        layers: list[Path] = typer.Option(
            [], "--port-layer", help="General port/anchorage layer (World Port Index CSV, GFW "
            "anchorages CSV, GeoJSON), added to the ports shipped with searoute and the layers "
            "saved by `armswatch ports import`. Repeatable."),
        areas: list[Path] = typer.Option(
            [], "--areas", help="User areas GeoJSON: Polygons, or Points with radius_m; "
            "properties id, name, role(s). Repeatable."),
        water: list[Path] = typer.Option(
            [], "--water", help="GeoJSON of inland waters (rivers, canals) that are not land "
            "for the on-land check. Repeatable."),
        general: bool = typer.Option(True, "--general-ports/--no-general-ports",
                                     help="Use a general port/anchorage layer."),
        searoute: bool = typer.Option(True, "--searoute/--no-searoute",
                                      help="Include the ports shipped with searoute."),
        land: bool = typer.Option(True, "--land/--no-land",
                                  help="Check positions against the land mask."),
        detectors: str | None = typer.Option(
            None, "--detectors", help="Comma-separated detectors (name or name@version); "
            "default: all."),
        params: str | None = typer.Option(
            None, "--params", help='Parameter overrides as JSON, e.g. \'{"ais_gap": '
            '{"min_gap_h": 6}}\', or @file.json.'),
        parquet: bool = typer.Option(True, "--parquet/--no-parquet",
                                     help="Also write the events as Parquet (EVENTS_SCHEMA)."),
        threads: int | None = typer.Option(
            None, "--threads", help="DuckDB threads, or local Spark cores (local[N])."),
        master: str | None = typer.Option(
            None, "--master", help="Spark master URL (local[*], spark://host:7077, yarn); "
            "only with --engine spark; default local[2]."),
        now: str | None = typer.Option(
            None, "--now", help="Reference time for 'in the future' (ISO 8601); default the "
            "current time; 'none' disables the check."),
    ) -> int:
        """Find AIS gaps, encounters, loitering, port calls, identity changes, spoofing and
        dark port calls; write one JSON object per event."""
        return run_detect(inputs, output, engine, ports, layers, areas, water, general, land,
                          detectors, params, parquet, threads, now, searoute, master)

    ports_app = typer.Typer(help="Ports and areas of concern; general port layers.",
                            no_args_is_help=True)
    app.add_typer(ports_app, name="ports")

    @ports_app.command("list")
    def ports_list(
        role: str | None = typer.Option(None, "--role", help="Only places with this role."),
        country: str | None = typer.Option(None, "--country", help="ISO alpha-2 country."),
        layer: list[Path] = typer.Option([], "--layer", help="Also list this layer's ports."),
        all_: bool = typer.Option(False, "--all", help="Include the general layer."),
        as_json: bool = typer.Option(False, "--json", help="JSON Lines instead of a table."),
    ) -> int:
        """List the ports of concern (and with --all the general layer)."""
        from armswatch.detect._geography import default_ports

        rows = default_ports(layers=layer, general=all_ or bool(layer))
        rows = [p for p in rows if (role is None or role in p.roles)
                and (country is None or p.country.upper() == country.upper())]
        if as_json:
            for p in rows:
                typer.echo(json.dumps({"port_id": p.port_id, "name": p.name, "country": p.country,
                                       "locode": p.locode, "lat": p.lat, "lon": p.lon,
                                       "radius_m": p.radius_m, "roles": list(p.roles),
                                       "source": p.source}))
            return 0
        t = Table(title=f"{len(rows)} places")
        for col in ("id", "name", "country", "LOCODE", "lat", "lon", "radius km", "roles"):
            t.add_column(col)
        for p in rows:
            t.add_row(p.port_id, p.name, p.country, p.locode or "", f"{p.lat:.4f}",
                      f"{p.lon:.4f}", f"{p.radius_m / 1000:.1f}", ";".join(p.roles))
        Console().print(t)
        return 0

    @ports_app.command("import")
    def ports_import(
        path: Path = typer.Argument(..., help="World Port Index CSV, GFW anchorages CSV, "
                                    "searoute ports GeoJSON, areas GeoJSON or armswatch CSV."),
        name: str | None = typer.Option(None, "--name", help="Name of the imported layer "
                                        "(default: the file's stem)."),
    ) -> int:
        """Convert a port/anchorage layer into armswatch's ports CSV in the data home; later
        runs of `armswatch detect` use it as the general layer."""
        from armswatch.detect._geography import imported_layers_dir
        from armswatch.geo.layers import read_layer, write_ports_csv

        skipped: list[str] = []
        ports = read_layer(path, skipped)
        target = imported_layers_dir() / f"{name or path.stem}.csv"
        write_ports_csv(ports, target)
        console.print(f"{len(ports):,} places → {target}"
                      + (f" ({len(skipped)} bad rows skipped: {skipped[0]} …)" if skipped else ""))
        return 0
