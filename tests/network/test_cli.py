"""The CLI on a small work folder built from hand-made events, statics, a registry table
and a fictitious OFAC-format list (tests/network/fixtures/sdn_fictitious.csv)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from armswatch.cli import main
from armswatch.network import cli as network_cli
from tests.network.events_factory import shuttle_events
from tests.risk.case_factory import REGISTRY, statics

FIX = Path(__file__).parent / "fixtures"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ARMSWATCH_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(network_cli.console, "width", 400)  # no truncated table cells
    wd = tmp_path / "case"
    (wd / "lists").mkdir(parents=True)
    pq.write_table(shuttle_events().table(), wd / "events.parquet")
    pq.write_table(statics(), wd / "statics.parquet")
    shutil.copy(REGISTRY, wd / "registry.csv")
    shutil.copy(FIX / "sdn_fictitious.csv", wd / "lists" / "sdn.csv")
    return wd


def test_vessel_dossier(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["vessel", "9179842", "-w", str(workdir)]) == 0
    out = capsys.readouterr().out
    assert "imo-9179842" in out
    assert "Eastern Shuttle Shipping LLC" in out
    assert "50 % rule" in out
    assert "KP-RJN" in out
    assert main(["vessel", "1234567", "-w", str(workdir)]) == 2


def test_vessel_json(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert main(["vessel", "445000001", "-w", str(workdir), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["vessel_id"] == "imo-9179842"
    assert {c["name"] for c in data["risk"]["components"]} >= {"sanctions", "deliveries"}


def test_deliveries(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "deliveries",
            "--from-role",
            "dprk_port",
            "--to-role",
            "russian_port",
            "-w",
            str(workdir),
            "--by-month",
        ]
    )
    assert code == 1  # findings
    out = capsys.readouterr().out
    assert "transshipment" in out
    assert "2023-09" in out
    assert main(["deliveries", "--from-role", "iran_port", "-w", str(workdir)]) == 0


def test_risk_ranking(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["risk", "--top", "3", "-w", str(workdir)]) == 0
    out = capsys.readouterr().out
    assert out.index("imo-9179842") < out.index("2 ")  # ranked first


def test_network_exposure(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "network",
            "exposure",
            "-r",
            str(workdir / "registry.csv"),
            "-l",
            str(workdir / "lists" / "sdn.csv"),
        ]
    )
    assert code == 1
    out = capsys.readouterr().out
    assert "Eastern Shuttle" in out
    assert "Harmless Shipping" in out


def test_alerts_flow(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = str(workdir / "alerts.duckdb")
    assert main(["alerts", "raise", "-w", str(workdir), "--store", store]) == 1
    assert main(["alerts", "raise", "-w", str(workdir), "--store", store]) == 0  # nothing new
    capsys.readouterr()
    assert main(["alerts", "list", "--store", store, "--json"]) == 0
    import json

    alerts = json.loads(capsys.readouterr().out)
    aid = next(a["alert_id"] for a in alerts if a["subject_id"] == "imo-9179842")
    assert (
        main(
            ["alerts", "review", aid, "--state", "dismissed", "--store", store, "--analyst", "ana"]
        )
        == 2
    )  # a comment is required
    assert (
        main(
            [
                "alerts",
                "review",
                aid,
                "--state",
                "dismissed",
                "-m",
                "known case",
                "--store",
                store,
                "--analyst",
                "ana",
            ]
        )
        == 0
    )
    assert main(["alerts", "show", aid, "--store", store]) == 0
    out = capsys.readouterr().out
    assert "known case" in out
    assert "ana" in out
    assert main(["alerts", "raise", "-w", str(workdir), "--store", store]) == 0
    assert "suppressed (dismissed) 1" in capsys.readouterr().out
    assert main(["alerts", "list", "--state", "bogus", "--store", store]) == 2
