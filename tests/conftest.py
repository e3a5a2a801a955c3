"""Shared fixtures: where the real public data lives, skipping clearly when absent."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
import typer

REPO = Path(__file__).resolve().parents[1]


def shared_data_dir() -> Path:
    """``$ARMSWATCH_SHARED_DATA`` or ``../shared/data`` beside the checkout."""
    env = os.environ.get("ARMSWATCH_SHARED_DATA")
    if env:
        return Path(env)
    for base in (REPO, *REPO.parents):
        cand = base.parent / "shared" / "data"
        if cand.is_dir():
            return cand
    return REPO.parent / "shared" / "data"


SHARED = shared_data_dir()


def need(relpath: str) -> Path:
    """Path of a shared data file; skip the test with a clear message when absent."""
    path = SHARED / relpath
    if not path.exists():
        pytest.skip(f"shared data not found: {path} (set ARMSWATCH_SHARED_DATA)")
    return path


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared data folder not found: {SHARED} (set ARMSWATCH_SHARED_DATA)")
    return SHARED


def cli_app(register: Callable[[typer.Typer], None]) -> typer.Typer:
    """A Typer app with one area's commands (``register`` from ``armswatch.<area>.cli``),
    for ``typer.testing.CliRunner``."""
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        pass

    register(app)
    return app
