"""The README's main job runs end to end and finds what the scenario hides."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from armswatch.cli import _register_all
from armswatch.demo import run_demo


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import os

    out = tmp_path_factory.mktemp("demo")
    old = os.environ.get("ARMSWATCH_HOME")
    os.environ["ARMSWATCH_HOME"] = str(out / "home")
    try:
        _register_all()
        assert run_demo(out / "run") == 0
    finally:
        if old is None:
            os.environ.pop("ARMSWATCH_HOME", None)
        else:
            os.environ["ARMSWATCH_HOME"] = old
    return out / "run"


def test_demo_writes_what_serve_reads(demo_out: Path) -> None:
    for name in ("events.jsonl", "events.parquet", "registry.csv", "alerts.duckdb",
                 "lists/sdn.csv", "trade/routes.json", "scenario/truth.jsonl"):
        assert (demo_out / name).exists(), name
    assert any((demo_out / "positions").rglob("*.parquet"))
    assert any((demo_out / "statics").rglob("*.parquet"))


def test_demo_finds_the_dark_port_calls(demo_out: Path) -> None:
    truth = [json.loads(ln) for ln in (demo_out / "scenario" / "truth.jsonl").open()]
    events = [json.loads(ln) for ln in (demo_out / "events.jsonl").open()]
    want = {(e["mmsi"], e["port"]) for e in truth if e["type"] == "dark_port_call"}
    got = {(e["mmsi"], e["port"]) for e in events if e["type"] == "dark_port_call"}
    assert want
    assert want <= got
