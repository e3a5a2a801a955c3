from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from armswatch.cli import main
from armswatch.trade._generate import GeneratorConfig, generate_routes

FIX = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[list[str]]]:
    out = tmp_path_factory.mktemp("gen")
    assert main(["trade", "generate", "--output", str(out), "--seed", "2", "--candidates", "12",
                 "--months", "40", "--routes", "4"]) == 0
    truth = json.loads((out / "truth.json").read_text())
    return out / "flows.parquet", truth["routes"]


def test_analyze_writes_tables_routes_and_report(generated: tuple[Path, list[list[str]]],
                                                 tmp_path: Path) -> None:
    flows, truth = generated
    rc = main(["trade", "analyze", str(flows), "--output", str(tmp_path), "--groups", "hs2",
               "--bootstrap", "99", "--sanction-date", "2022-02-24", "--target", "RUS",
               "--no-flows"])
    assert rc == 0
    for name in ("countries.csv", "countries.parquet", "routes.csv", "routes.parquet",
                 "routes.json", "surges.parquet", "mirror.csv", "report.html", "series.png",
                 "estimates.png"):
        assert (tmp_path / name).is_file(), name
    doc = json.loads((tmp_path / "routes.json").read_text())
    found = {(r["transit"], r["group_id"]) for r in doc["routes"]}
    assert found & {tuple(t) for t in truth}
    assert doc["sanction_date"] == "2022-02-24"
    html = (tmp_path / "report.html").read_text()
    assert "series.png" in html
    assert "Transit countries ranked" in html
    countries = pq.read_table(tmp_path / "countries.parquet").to_pylist()
    assert countries[0]["rank"] == 1
    assert countries[0]["transit"] in {t[0] for t in truth}


def test_read_and_mirror_commands(tmp_path: Path) -> None:
    out = tmp_path / "flows.parquet"
    assert main(["trade", "read", str(FIX / "comtrade_plus_bulk.tsv"), "-o", str(out)]) == 0
    assert pq.read_table(out).num_rows == 4
    mirror = tmp_path / "mirror.csv"
    assert main(["trade", "mirror", str(FIX / "comtrade_plus_bulk.tsv"),
                 str(FIX / "BACI_HS17_Y2022_V202401.csv"), "-o", str(mirror),
                 "--keep-uncovered"]) == 0
    assert mirror.read_text().startswith('"exporter"')


def test_bad_input_exit_code(tmp_path: Path) -> None:
    assert main(["trade", "read", str(FIX / "bad_value.csv"), "-o", str(tmp_path / "x")]) == 2
    assert main(["trade", "read", str(FIX / "unknown_layout.csv"), "-o",
                 str(tmp_path / "x")]) == 2
    assert main(["trade", "analyze", str(FIX / "comtrade_plus_bulk.tsv"), "-o",
                 str(tmp_path / "y"), "--target", "Atlantis"]) == 2
    assert main(["trade", "analyze", str(FIX / "comtrade_plus_bulk.tsv"), "-o",
                 str(tmp_path / "y"), "--sanction-date", "24/02/2022"]) == 2


def test_routes_function_for_the_api() -> None:
    from armswatch.trade import analyze, ranked_routes

    data = generate_routes(GeneratorConfig(seed=3, n_candidates=10, months=40))
    from armswatch.trade import AnalysisConfig, SurgeConfig
    result = analyze(data.flows, AnalysisConfig(groups="hs2", surge=SurgeConfig(bootstrap=99)))
    routes = ranked_routes(result)
    assert routes
    assert [r["rank"] for r in routes] == list(range(1, len(routes) + 1))
    assert {"transit", "group_id", "estimate", "ci_low", "explanation"} <= set(routes[0])


def test_help_of_every_trade_command() -> None:
    for cmd in ("read", "mirror", "analyze", "routes", "generate"):
        assert main(["trade", cmd, "--help"]) == 0


def test_public_names_are_pinned() -> None:
    import armswatch.trade as trade

    assert sorted(trade.__all__) == sorted([
        "FLOW_COLUMNS", "FLOW_SCHEMA", "AnalysisConfig", "AnalysisResult", "FileReport",
        "GeneratedTrade", "GeneratorConfig", "MirrorConfig", "ProductGroup", "ReadOptions",
        "ReadReport", "SurgeConfig", "analyze", "ch93_items", "chpl_items", "generate_routes",
        "mirror_gaps", "ranked_routes", "read_file", "read_flows", "resolve_groups", "surges",
        "write_outputs"])
    for name in trade.__all__:
        assert hasattr(trade, name)
