"""The ``armswatch`` command line (typer + rich).

Each capability registers its own commands from ``armswatch.<area>.cli``; this module
only assembles them, configures logging and maps errors to exit codes:
0 ok, 1 findings/failed check (where a command says so), 2 bad input or usage,
3 internal error.
"""

from __future__ import annotations

import logging
import sys

import typer
from rich.console import Console

from armswatch import __version__
from armswatch.errors import ArmswatchError, BadInputError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3

app = typer.Typer(
    name="armswatch",
    help="Find covert arms shipments and sanctions evasion: screening, AIS, trade, risk.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err_console = Console(stderr=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"armswatch {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log progress details."),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


_registered: list[bool] = []


def _register_all() -> None:
    """Add every area's commands to :data:`app` (once per process).

    Imported here so that `import armswatch.cli` stays cheap and side-effect free."""
    if _registered:
        return
    _registered.append(True)
    from armswatch import demo

    demo.register(app)
    for mod in ("lists", "screening", "ais", "detect", "simulate", "network", "trade", "api"):
        try:
            module = __import__(f"armswatch.{mod}.cli", fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name not in (f"armswatch.{mod}", f"armswatch.{mod}.cli"):
                raise
            continue
        module.register(app)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    _register_all()
    try:
        rv = app(args=argv, standalone_mode=False)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err_console.print("[red]aborted[/red]")
        return 130
    except BadInputError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        return EXIT_BAD_INPUT
    except ArmswatchError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        return EXIT_BAD_INPUT
    except Exception as exc:  # click usage errors (typer vendors click) carry `show`
        show = getattr(exc, "show", None)
        if callable(show) and hasattr(exc, "exit_code"):
            show()
            return EXIT_BAD_INPUT
        raise
    return rv if isinstance(rv, int) else EXIT_OK


def run() -> None:
    sys.exit(main())
