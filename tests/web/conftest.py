"""The browser test's data: the main job's own output (``armswatch demo``), made once per
session into a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

DEMO_INNOCENT_SHIPS = 10  # the demo's 60 innocent ships take over a minute to simulate here


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Run the demo pipeline (every step, the same commands) into a temporary folder.

    Only the number of innocent background ships is cut (the demo's ships of concern,
    lists, registry, alerts and trade data are unchanged) to keep the run short."""
    import armswatch.demo as demo
    from armswatch.cli import main

    out = tmp_path_factory.mktemp("demo") / "armswatch-demo"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(demo, "DEMO_VESSELS", DEMO_INNOCENT_SHIPS)
        code = main(["demo", "--output", str(out)])
    assert code == 0, "the demo pipeline failed"
    return out
