"""The public surface of armswatch.lists is pinned; importing it stays cheap."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import armswatch.lists

SRC = Path(__file__).resolve().parents[2] / "src"


def test_exported_names() -> None:
    assert sorted(armswatch.lists.__all__) == sorted([
        "FORMATS", "EntityChange", "FieldChange", "ListData", "ListDiff", "ListFormat",
        "ListMeta", "ListStore", "PendingLink", "SkippedRow", "Snapshot", "detect",
        "diff_lists", "load_store", "read_list", "read_lists"])
    for name in armswatch.lists.__all__:
        assert getattr(armswatch.lists, name) is not None


def test_import_does_not_load_pyarrow_or_httpx() -> None:
    code = ("import sys, armswatch.lists, armswatch.lists.cli; "
            "print('pyarrow' in sys.modules, 'httpx' in sys.modules)")
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env=env)
    assert out.stdout.split() == ["False", "False"]
