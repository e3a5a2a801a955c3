"""``armswatch lists ...`` commands, run in-process with the root CLI's exit-code mapping."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
import typer

from armswatch.errors import ArmswatchError
from armswatch.lists import ListStore
from armswatch.lists.cli import register
from tests.conftest import need

DATA = Path(__file__).parent / "data"


def run(*args: str) -> int:
    """Like ``armswatch.cli.main``: 0 ok, 1 findings/failures, 2 bad input."""
    app = typer.Typer()
    register(app)
    try:
        rv = app(args=list(args), standalone_mode=False)
    except ArmswatchError:
        return 2
    return rv if isinstance(rv, int) else 0


def test_load_status_diff_show(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = str(tmp_path / "store")
    assert run("lists", "load", str(DATA / "ofac_sample" / "sdn.csv"), "--store", store) == 0
    assert run("lists", "load", str(DATA / "ofac_sdn_sample.xml"),
               str(DATA / "eu_fsf_sample.xml"), "--store", store) == 0
    capsys.readouterr()
    assert run("lists", "status", "--store", store) == 0
    out = capsys.readouterr().out
    assert "us_ofac_sdn" in out
    assert "eu_fsf" in out
    assert "snapshot" in out
    assert run("lists", "diff", "--json", "--store", store) == 0  # previous -> current
    doc = orjson.loads(capsys.readouterr().out)
    assert doc["summary"]["added"] == 2  # the two EU entities
    assert doc["summary"]["removed"] == 0
    changed = {c["id"]: {f["field"] for f in c["changes"]} for c in doc["changed"]}
    assert changed["us_ofac_sdn-90002"] >= {"names", "remarks"}  # weak alias in XML only
    assert run("lists", "show", "us_ofac_sdn-90001", "--store", store) == 0
    shown = orjson.loads(capsys.readouterr().out)
    assert shown["entity"]["names"][0]["value"] == "OCEAN FICTION"
    assert shown["links"][0]["kind"] == "associate"


def test_diff_paths_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("lists", "diff", str(DATA / "ofac_sample" / "sdn.csv"),
               str(DATA / "ofac_sdn_sample.xml"), "--limit", "2") == 0
    out = capsys.readouterr().out
    assert "0 added, 0 removed, 4 changed" in out
    assert "+ weak: FTC" in out


def test_load_bad_file_leaves_store_untouched(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert run("lists", "load", str(DATA / "eu_fsf_sample.xml"), "--store", str(store)) == 0
    before = sorted(p.name for p in (store / "snapshots").iterdir())
    truncated = tmp_path / "cut.xml"
    truncated.write_bytes((DATA / "uk_fcdo_sample.xml").read_bytes()[:900])
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    for bad in (truncated, empty):
        assert run("lists", "load", str(DATA / "ofac_sdn_sample.xml"), str(bad),
                   "--store", str(store)) == 2
    assert sorted(p.name for p in (store / "snapshots").iterdir()) == before
    assert [m.source for m in ListStore(store).read().meta] == ["eu_fsf"]


def test_export_ofac_2024(tmp_path: Path) -> None:
    out = tmp_path / "ofac.ftm.jsonl"
    assert run("lists", "export", str(need("sanctions/ofac/sdn_2024-05-03.csv")),
               "--output", str(out)) == 0
    objs = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert all(set(o) == {"id", "schema", "properties"} for o in objs)
    assert all(isinstance(v, list) for o in objs for v in o["properties"].values())
    assert sum(1 for o in objs if o["schema"] == "Vessel"
               and o["properties"].get("imoNumber")) == 844
    assert not list(tmp_path.glob(".*"))  # no temporary file left behind


def test_export_from_store_and_formats(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    store = str(tmp_path / "store")
    assert run("lists", "load", str(DATA / "uk_fcdo_sample.xml"), "--store", store) == 0
    out = tmp_path / "uk.jsonl"
    assert run("lists", "export", "--output", str(out), "--store", store) == 0
    schemas = [orjson.loads(x)["schema"] for x in out.read_bytes().splitlines()]
    assert schemas == ["Person", "Sanction", "Vessel", "Sanction"]
    capsys.readouterr()
    assert run("lists", "formats") == 0
    assert "eu_xml" in capsys.readouterr().out


def test_update_with_file_sources(tmp_path: Path) -> None:
    sources = tmp_path / "sources.json"
    sources.write_bytes(orjson.dumps({"un_sc_sanctions": {
        "consolidated.xml": need("sanctions/un/UN_consolidated_2026-02-27.xml").as_uri()}}))
    store = str(tmp_path / "store")
    assert run("lists", "update", "--list", "un_sc_sanctions", "--sources", str(sources),
               "--store", store) == 0
    assert ListStore(store).resolve().entity_count == 1003
    sources.write_bytes(orjson.dumps({"un_sc_sanctions": {
        "consolidated.xml": (tmp_path / "missing.xml").as_uri()}}))
    assert run("lists", "update", "--list", "un_sc_sanctions", "--sources", str(sources),
               "--store", store) == 1
    assert run("lists", "update", "--list", "nope", "--store", store) == 2
