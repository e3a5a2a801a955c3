"""Surges end to end (SQL panel + kernel) on generated and real data: directions only."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from armswatch.engine import DuckDBBackend, SparkDialect
from armswatch.trade import read_file, resolve_groups
from armswatch.trade._did import SurgeConfig
from armswatch.trade._generate import GeneratorConfig, generate_routes, precision_recall
from armswatch.trade._mirror import EU27
from armswatch.trade._sql import ancestors_step, cells_step, group_steps, panel_steps
from armswatch.trade._surge import minimal_prefixes, surges
from tests.conftest import need
from tests.trade.helpers import flows


def _rows(result_table: pa.Table, group: str) -> dict[str, dict[str, object]]:
    return {r["partner"]: r for r in result_table.to_pylist() if r["group_id"] == group}


def test_heading_and_children_not_double_counted() -> None:
    months = [f"2021-{m:02d}" for m in range(1, 13)] + [f"2022-{m:02d}" for m in range(3, 13)]
    rows = []
    for p in months:
        for partner in ("KGZ", "ARM", "GEO"):
            rows += [
                {"period": p, "partner": partner, "hs_code": "8542", "value": 100.0},
                {"period": p, "partner": partner, "hs_code": "85423190", "value": 60.0},
                {"period": p, "partner": partner, "hs_code": "85423290", "value": 40.0},
                {"period": p, "partner": partner, "hs_code": "TOTAL", "value": 1000.0},
            ]
    be = DuckDBBackend()
    groups = resolve_groups("chpl,hs2,detailed", ["8542", "85423190"])
    surges(be, flows(rows), groups, SurgeConfig(bootstrap=0, min_value_per_year=0))
    panel = be.to_arrow("SELECT group_id, SUM(y) AS y FROM tw_panel WHERE partner = 'KGZ' "
                        "AND period = '2021-01' GROUP BY group_id")
    got = {r["group_id"]: r["y"] for r in panel.to_pylist()}
    assert got["hs2:85"] == 100  # the heading, not heading + children
    assert got["detailed"] == 100
    assert got["chpl:1"] == 100  # 854231 + 854232 children (the heading is coarser)


def test_minimal_prefixes() -> None:
    assert minimal_prefixes(["8471", "847150", "85", "8542"]) == ["8471", "85"]


def test_sql_is_portable_to_spark() -> None:
    steps = [cells_step("tw_flows"), *group_steps([2, 5, 6], [4, 6, 8], "M"),
             ancestors_step([4, 8]), *panel_steps("M")]
    for step in steps:
        assert "SELECT" in SparkDialect().translate(step.sql).upper()


def test_generated_routes_found() -> None:
    data = generate_routes(GeneratorConfig(seed=1))
    groups = resolve_groups("hs2", pc.unique(data.flows.column("hs_code")).to_pylist())
    res = surges(DuckDBBackend(), data.flows, groups, SurgeConfig(bootstrap=199))
    flagged = {(r["partner"], r["group_id"]) for r in res.estimates.to_pylist() if r["flagged"]}
    precision, recall = precision_recall(flagged, set(data.routes))
    assert precision >= 0.9
    assert recall >= 0.8
    # decoys: general growth of a partner / a world-wide boom of a chapter are not routes
    assert not any(p in data.growth_partners for p, _ in flagged - set(data.routes))
    assert not any(g in data.growth_groups for _, g in flagged - set(data.routes))


def test_generator_is_deterministic() -> None:
    a = generate_routes(GeneratorConfig(seed=5, months=30, n_candidates=8))
    b = generate_routes(GeneratorConfig(seed=5, months=30, n_candidates=8))
    assert a.flows.equals(b.flows)
    assert a.routes == b.routes
    assert a.flows.column("value").null_count > 0  # confidential cells are kept as null


@pytest.fixture(scope="module")
def eurasian() -> pa.Table:
    cn8 = need("trade/eurostat_cn8_sanctioned_exports_ruimpeks/"
               "eu_exports_sanctioned_cn_monthly_2020-01_2022-11.csv.gz")
    tot = need("trade/eurostat_totals_marylev/eu_reporter_partner_monthly_totals.csv")
    table = pa.concat_tables([read_file(cn8)[0], read_file(tot)[0]])
    groups = resolve_groups("detailed", [])
    cfg = SurgeConfig(bootstrap=199, exclude=EU27)
    return surges(DuckDBBackend(), table, groups, cfg).estimates


def test_eurasian_roundabout_directions(eurasian: pa.Table) -> None:
    """Banned goods to Armenia, Kazakhstan, Kyrgyzstan rose after Feb 2022, faster than other
    goods; to Russia they fell (Chupilkin, Javorcik & Plekhanov 2023)."""
    rows = _rows(eurasian, "detailed")
    for partner in ("ARM", "KAZ", "KGZ"):
        r = rows[partner]
        assert r["ratio"] > 1.5  # banned goods jumped
        assert r["ratio"] > r["ref_ratio"]  # faster than other goods
        assert r["design"] == "product"
        assert r["estimate"] > 0
    for partner in ("ARM", "KGZ"):
        assert rows[partner]["ci_low"] > 0
        assert rows[partner]["flagged"]
    rus = rows["RUS"]
    assert rus["ratio"] < 0.5
    assert rus["estimate"] < 0
    assert rus["ci_high"] < 0
    assert not rus["flagged"]


@pytest.fixture(scope="module")
def wood() -> pa.Table:
    path = need("trade/comtrade_eu27_wood_imports_comtradr/"
                "eu27_imports_wood_products_by_partner_2018_2022.csv.gz")
    table, _ = read_file(path)
    groups = resolve_groups("detailed", [])
    cfg = SurgeConfig(bootstrap=199, targets=("RUS", "BLR"), exclude=EU27)
    return surges(DuckDBBackend(), table, groups, cfg).estimates


def test_wood_reimports_via_central_asia(wood: pa.Table) -> None:
    rows = _rows(wood, "detailed")
    for partner in ("KAZ", "KGZ"):
        assert rows[partner]["flagged"]
        assert rows[partner]["ratio"] > 10
        assert rows[partner]["design"] == "destination"
    for target in ("RUS", "BLR"):
        assert rows[target]["estimate"] < 0
        assert not rows[target]["flagged"]
    flagged = pc.sum(pc.cast(wood.column("flagged"), pa.int64())).as_py()
    assert flagged <= 10  # a short list, not every partner
