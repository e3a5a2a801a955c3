"""Where armswatch keeps its data (lists store, decoded AIS, events, alerts)."""

from __future__ import annotations

import os
from pathlib import Path


def home() -> Path:
    """The data home: ``$ARMSWATCH_HOME`` or ``~/.armswatch``."""
    env = os.environ.get("ARMSWATCH_HOME")
    return Path(env).expanduser() if env else Path.home() / ".armswatch"


def package_data(name: str) -> Path:
    """A file shipped inside the package (``armswatch/data/<name>``)."""
    return Path(__file__).parent / "data" / name
