"""Trade analysis gives the same tables on DuckDB and Spark: mirror gaps on the real EU /
partner mirror pair, and the difference-in-differences surge estimates (SQL + per-group
kernel) on generated routes."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from armswatch.engine import Backend, DuckDBBackend, table_differences
from tests.conftest import need
from tests.contract.conftest import open_backend

trade = pytest.importorskip("armswatch.trade")

pytestmark = pytest.mark.spark


def _real_mirror_flows() -> pa.Table:
    base = "trade/eurostat_totals_marylev/"
    parts = [trade.read_file(need(base + "eu_reporter_partner_monthly_totals.csv"))[0]]
    for name in ("armenia", "kazakhstan", "kyrgyz", "uzbek"):
        parts.append(trade.read_file(need(
            base + f"raw/data/national_data_converted/{name}_import_yearly.csv"))[0])
    return pa.concat_tables(parts)


def _spark(request: pytest.FixtureRequest) -> Backend:
    return open_backend(request, "spark")


def test_mirror_gaps_same_on_spark(request: pytest.FixtureRequest) -> None:
    flows = _real_mirror_flows()
    expected = trade.mirror_gaps(DuckDBBackend(), flows)
    assert expected.num_rows > 100
    spark = _spark(request)
    got = trade.mirror_gaps(spark, flows)
    spark.close()
    assert table_differences(expected, got) == []


def test_surge_estimates_same_on_spark(request: pytest.FixtureRequest) -> None:
    data = trade.generate_routes(trade.GeneratorConfig(n_origins=4, n_candidates=6,
                                                       codes_per_chapter=2))
    groups = trade.resolve_groups("hs2", pc.unique(data.flows.column("hs_code")).to_pylist())
    cfg = trade.SurgeConfig(bootstrap=49)
    expected = trade.surges(DuckDBBackend(), data.flows, groups, cfg).estimates
    assert expected.num_rows > 10
    spark = _spark(request)
    got = trade.surges(spark, data.flows, groups, cfg).estimates
    spark.close()
    assert table_differences(expected, got, rel_tol=1e-9) == []
