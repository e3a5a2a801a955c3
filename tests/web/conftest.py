"""The browser test's data: the main job's own output (``armswatch demo``), made once and
kept in ``build/demo-test-cache/<hash of the package sources>`` (gitignored): a change to
any file of the package makes a new one, so the cache never serves stale output."""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

DEMO_INNOCENT_SHIPS = 10  # the demo's 60 innocent ships take over a minute to simulate here
CACHE = REPO / "build" / "demo-test-cache"


def _source_hash() -> str:
    h = hashlib.sha256(f"{sys.version}|{DEMO_INNOCENT_SHIPS}".encode())
    src = REPO / "src" / "armswatch"
    for path in sorted(src.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(src)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


@pytest.fixture(scope="session")
def demo_data() -> Path:
    """Run the demo pipeline (every step, the same commands) into the cache folder, unless
    this version of the package already did.

    Only the number of innocent background ships is cut (the demo's ships of concern,
    lists, registry, alerts and trade data are unchanged) to keep the run short. Tests
    must not write into it (the browser test reviews alerts in a copy of the store)."""
    import armswatch.demo as demo
    from armswatch.cli import main

    out = CACHE / _source_hash()
    if (out / "done").is_file():
        return out
    shutil.rmtree(CACHE, ignore_errors=True)  # older versions' output
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(demo, "DEMO_VESSELS", DEMO_INNOCENT_SHIPS)
        code = main(["demo", "--output", str(out)])
    assert code == 0, "the demo pipeline failed"
    (out / "done").write_text("complete\n", encoding="utf-8")
    return out
