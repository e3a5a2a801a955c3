"""``armswatch api keys ...``, ``armswatch web build`` and ``armswatch serve`` arguments."""

from __future__ import annotations

from pathlib import Path

import pytest

from armswatch.api import KeyFile
from armswatch.cli import main


def test_keys_add_list_revoke(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    keys = tmp_path / "keys.json"
    assert main(["api", "keys", "add", "Ana Analyst", "--role", "analyst",
                 "--keys", str(keys)]) == 0
    out = capsys.readouterr()
    key = out.out.strip()
    rec = KeyFile(keys).verify(key)
    assert rec is not None
    assert rec.name == "Ana Analyst"
    assert main(["api", "keys", "list", "--keys", str(keys)]) == 0
    listing = capsys.readouterr().out
    assert rec.key_id in listing
    assert key.split("_", 2)[2] not in listing
    assert main(["api", "keys", "revoke", rec.key_id, "--keys", str(keys)]) == 0
    assert KeyFile(keys).verify(key) is None


def test_keys_bad_input(tmp_path: Path) -> None:
    keys = ["--keys", str(tmp_path / "keys.json")]
    assert main(["api", "keys", "add", "x", "--role", "root", *keys]) == 2
    assert main(["api", "keys", "revoke", "deadbeef", *keys]) == 2


def test_serve_refuses_missing_data(tmp_path: Path) -> None:
    assert main(["serve", "--data", str(tmp_path / "missing"), "--no-build"]) == 2


def test_web_build_refuses_missing_tarballs(tmp_path: Path) -> None:
    assert main(["web", "build", "--tarballs", str(tmp_path / "none"),
                 "--dest", str(tmp_path / "web")]) == 2
