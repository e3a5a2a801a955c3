"""CLI: ``serve``, ``web build`` and ``api keys add|list|revoke``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from armswatch.errors import BadInputError

EXIT_OK, EXIT_FAILED = 0, 1
KEYS_OPT = typer.Option(None, "--keys", help="API keys file (default: "
                        "$ARMSWATCH_HOME/api_keys.json).")


def _keys_path(path: Path | None) -> Path:
    from armswatch.api import Settings

    return path if path is not None else Settings().keys_path


def _build(dest: Path, tarballs: Path | None, land: Path | None, console: Console) -> None:
    from armswatch.web import build_web

    with console.status("building web assets...") as status:
        built = build_web(dest, tarballs=tarballs, land_dir=land,
                          progress=lambda msg: status.update(msg))
    console.print(f"web assets: {', '.join(built.packages)}; basemap from "
                  f"{built.basemap.source} → {built.path}")
    for note in built.basemap.notes:
        console.print(f"[yellow]note:[/yellow] {note}")


def register(app: typer.Typer) -> None:
    """Add ``serve``, ``web`` and ``api`` to the root CLI."""

    @app.command("serve")
    def serve(
        data: Path | None = typer.Option(
            None, "--data", "-d", help="Folder the pipeline wrote (events, positions, "
            "statics, registry*.csv, lists/, alerts.duckdb, trade/)."),
        host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on. Any "
                                 "non-loopback address makes every request need an API key."),
        port: int = typer.Option(8765, "--port", min=1, max=65535, help="Port to listen on."),
        lists: list[Path] = typer.Option([], "--lists", "-l", help="Sanctions list file or "
                                         "folder (repeatable; default <data>/lists, else "
                                         "the lists store)."),
        alerts: Path | None = typer.Option(None, "--alerts", help="Alert store (default "
                                           "<data>/alerts.duckdb)."),
        keys: Path | None = KEYS_OPT,
        web_dir: Path | None = typer.Option(None, "--web-dir", help="Built web assets "
                                            "(default $ARMSWATCH_HOME/cache/web)."),
        build: bool = typer.Option(True, "--build/--no-build", help="Build the web assets "
                                   "first when they are missing."),
        cors: list[str] = typer.Option([], "--cors", help="Allow this origin by CORS "
                                       "(repeatable; default: CORS off)."),
        workers: int = typer.Option(1, "--workers", "-w", min=1, max=64, help="Worker "
                                    "processes (screening is CPU-bound: one per core "
                                    "serves the most; the data is loaded once and shared; "
                                    "needs fork, i.e. Linux or macOS)."),
        access_log: bool = typer.Option(False, "--access-log/--no-access-log", help="Log "
                                        "one line per request (off: it costs CPU)."),
    ) -> int:
        """Serve the HTTP API and the web map (after the pipeline has written DATA)."""
        from armswatch.api import KeyFile, Settings, serve
        from armswatch.web import is_built

        console = Console(stderr=True)
        if data is not None and not data.is_dir():
            raise BadInputError("data folder not found (run the pipeline first, e.g. "
                                "`armswatch demo -o DIR`)", data)
        settings = Settings(
            data_dir=data, host=host, port=port, lists=tuple(lists), alerts_path=alerts,
            keys_path=_keys_path(keys), web_dir=web_dir, cors_origins=tuple(cors),
        )
        wd = settings.resolved_web_dir()
        if not is_built(wd):
            if build:
                try:
                    _build(wd, None, None, console)
                except Exception as exc:  # the API still works without the map
                    console.print(f"[yellow]web assets not built:[/yellow] {exc}")
            else:
                console.print("[yellow]web assets not built: the map needs "
                              "`armswatch web build`[/yellow]")
        if not settings.open_read and not any(
                r.active for r in KeyFile(settings.keys_path).records().values()):
            console.print("[yellow]listening beyond loopback and no API key exists: every "
                          "request will be refused. Make one with `armswatch api keys add "
                          "NAME --role viewer`[/yellow]")
        shown = f"[{host}]" if ":" in host else host
        console.print(f"armswatch on http://{shown}:{port}/  (API page: /docs; "
                      f"{'reading open on loopback' if settings.open_read else 'keys needed'}"
                      f"{f'; {workers} workers' if workers > 1 else ''})")
        return EXIT_OK if serve(settings, workers=workers, access_log=access_log) == 0 \
            else EXIT_FAILED

    web = typer.Typer(help="The offline web map's assets.", no_args_is_help=True)
    app.add_typer(web, name="web")

    @web.command("build")
    def web_build(
        dest: Path | None = typer.Option(None, "--dest", help="Output folder (default "
                                         "$ARMSWATCH_HOME/cache/web)."),
        tarballs: Path | None = typer.Option(
            None, "--tarballs", help="Folder with the npm tarballs (leaflet-1.9.4.tgz, "
            "swagger-ui-dist-5.35.0.tgz) for machines without network; default: download "
            "from the npm registry ($ARMSWATCH_NPM_REGISTRY)."),
        land: Path | None = typer.Option(None, "--land", help="Folder with Natural Earth "
                                         "ne_50m_land.geojson etc. (default: the shared "
                                         "data; else a coarse land-mask fallback)."),
    ) -> int:
        """Fetch Leaflet and Swagger UI (integrity-checked) and build the basemap."""
        from armswatch.api import Settings

        if tarballs is not None and not tarballs.is_dir():
            raise BadInputError("tarballs folder not found", tarballs)
        _build(dest or Settings().resolved_web_dir(), tarballs, land, Console(stderr=True))
        return EXIT_OK

    api = typer.Typer(help="HTTP API administration.", no_args_is_help=True)
    keys_app = typer.Typer(help="API keys (hashed at rest).", no_args_is_help=True)
    api.add_typer(keys_app, name="keys")
    app.add_typer(api, name="api")

    @keys_app.command("add")
    def keys_add(
        name: str = typer.Argument(..., help="Who holds the key (recorded with each review)."),
        role: str = typer.Option("viewer", "--role", help="viewer (read) or analyst (read "
                                 "and review alerts)."),
        keys: Path | None = KEYS_OPT,
    ) -> int:
        """Make a key; it is printed once and only its hash is stored."""
        from armswatch.api import KeyFile

        key, rec = KeyFile(_keys_path(keys)).add(name, role)
        Console(stderr=True).print(f"key {rec.key_id} for {rec.name} ({rec.role.value}); "
                                   "store it now, it is not shown again:")
        typer.echo(key)
        return EXIT_OK

    @keys_app.command("list")
    def keys_list(keys: Path | None = KEYS_OPT) -> int:
        """List keys (id, holder, role, dates; never the key)."""
        from armswatch.api import KeyFile

        table = Table("key id", "holder", "role", "created (UTC)", "revoked (UTC)")
        for rec in KeyFile(_keys_path(keys)).records().values():
            table.add_row(rec.key_id, rec.name, rec.role.value, rec.created_utc,
                          rec.revoked_utc or "")
        Console().print(table)
        return EXIT_OK

    @keys_app.command("revoke")
    def keys_revoke(
        key_id: str = typer.Argument(..., help="The key id (8 hex digits) or the key."),
        keys: Path | None = KEYS_OPT,
    ) -> int:
        """Revoke a key (kept in the file as revoked)."""
        from armswatch.api import KeyFile

        rec = KeyFile(_keys_path(keys)).revoke(key_id)
        Console(stderr=True).print(f"key {rec.key_id} of {rec.name} revoked at "
                                   f"{rec.revoked_utc}")
        return EXIT_OK
