"""``screen`` and ``screen-file`` on the real lists (shared data)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from armswatch.screening import ALGORITHMS
from armswatch.screening._io import RESULT_COLUMNS
from armswatch.screening.cli import register
from tests.conftest import need


@pytest.fixture(scope="module")
def lists_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lists")
    for rel in ("sanctions/ofac/sdn_2024-05-03.csv", "sanctions/un/UN_consolidated_2026-02-27.xml"):
        src = need(rel)
        (folder / src.name).symlink_to(src)
    (folder / "README.md").write_text("not a list: passed over\n")
    return folder


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:  # a group, as in the root CLI
        pass

    register(app)
    return app


def test_screen_json(app: typer.Typer, lists_dir: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["screen", "Kim Jong-un", "--schema", "person", "--lists", str(lists_dir), "--json"],
        standalone_mode=False,
    )
    assert result.return_value == 1, result.output  # 1: a match was found
    rows = json.loads(result.stdout.strip().splitlines()[-1])
    assert rows[0]["entity_name"] == "KIM, Jong Un"
    assert rows[0]["is_match"] is True
    assert rows[0]["algorithm"] == ALGORITHMS.ref("armswatch-match")


def test_screen_rejects_empty_name(app: typer.Typer, lists_dir: Path) -> None:
    result = CliRunner().invoke(app, ["screen", "  ", "--lists", str(lists_dir)])
    assert result.exit_code != 0
    assert "empty name" in str(result.exception)


def test_screen_file(app: typer.Typer, lists_dir: Path, tmp_path: Path) -> None:
    queries = tmp_path / "queries.csv"
    queries.write_text(
        "id,name,schema,dob,country,imo\n"
        "q1,Kim Jong Un,person,,kp,\n"
        "q2,Patricia Lucas Wheeler,person,2002-07-14,et,\n"
        "q3,,person,,,\n"
        "q4,!!!,,,,\n"
        f"q5,{'x' * 10_001},,,,\n"
        "q6,Choe Ryong Hae,spaceship,,,\n"
        "q7,Владимир Путин 金正恩,,,,\n",
        encoding="utf-8",
    )
    output = tmp_path / "results.csv"
    result = CliRunner().invoke(
        app,
        ["screen-file", str(queries), "--lists", str(lists_dir), "--output", str(output)],
        standalone_mode=False,
    )
    assert result.return_value == 1, result.output
    with output.open(encoding="utf-8") as fh:
        reader = csv.reader(fh)
        assert tuple(next(reader)) == RESULT_COLUMNS
        rows = [dict(zip(RESULT_COLUMNS, r, strict=True)) for r in reader]
    by_query: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_query.setdefault(row["query_id"], []).append(row)
    assert set(by_query) == {"q1", "q2", "q3", "q4", "q5", "q6", "q7"}
    assert by_query["q1"][0]["is_match"] == "true"
    assert by_query["q1"][0]["rank"] == "1"
    assert all(r["is_match"] == "false" for r in by_query["q2"])
    for bad in ("q3", "q4", "q5", "q6"):
        (row,) = by_query[bad]
        assert row["entity_id"] == ""
        assert row["is_match"] == "false"
        assert row["explanation"].startswith("skipped")


def test_screen_file_without_name_column(app: typer.Typer, lists_dir: Path, tmp_path: Path) -> None:
    queries = tmp_path / "queries.csv"
    queries.write_text("id,fullname\n1,Kim Jong Un\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["screen-file", str(queries), "--lists", str(lists_dir), "-o", str(tmp_path / "o.csv")]
    )
    assert result.exit_code != 0
    assert "'name' column" in str(result.exception)
