"""``armswatch demo``: the main job, end to end, on data the project generates.

Each step is a function of the output folder; the steps are added as capabilities land.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import typer
from rich.console import Console

console = Console()

Step = Callable[[Path], str]


def _steps() -> list[tuple[str, Step]]:
    return []


def run_demo(output: Path) -> int:
    output.mkdir(parents=True, exist_ok=True)
    steps = _steps()
    if not steps:
        console.print("[yellow]no pipeline steps are available yet[/yellow]")
        return 0
    for title, step in steps:
        t0 = time.perf_counter()
        console.rule(title)
        summary = step(output)
        console.print(f"{summary}  [dim]({time.perf_counter() - t0:.1f} s)[/dim]")
    return 0


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(
        output: Path = typer.Option(
            Path("armswatch-demo"), "--output", "-o", help="Folder for everything the demo writes."
        ),
    ) -> int:
        """Run the whole pipeline on generated scenarios and bundled sample lists."""
        return run_demo(output)
