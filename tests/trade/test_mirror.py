from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from armswatch.engine import DuckDBBackend, SparkDialect
from armswatch.errors import ConfigError
from armswatch.trade import read_file
from armswatch.trade._mirror import MirrorConfig, choose_level, mirror_gaps, mirror_steps
from tests.conftest import need
from tests.trade.helpers import flows


def _by_key(table: pa.Table) -> dict[tuple[str, str, str, str], dict[str, object]]:
    return {(r["exporter"], r["importer"], r["hs_code"], r["period"]): r
            for r in table.to_pylist()}


def test_gap_value_ratio_and_flags() -> None:
    monthly = [{"reporter": "DEU", "partner": "KGZ", "flow": "export",
                "period": f"2022-{m:02d}", "value": 100.0} for m in range(1, 13)]
    rows = [
        *monthly,
        {"reporter": "KGZ", "partner": "DEU", "flow": "import", "period": "2022",
         "value": 660.0},
        # France exported, Kyrgyzstan (which did publish imports for 2022) recorded nothing
        {"reporter": "FRA", "partner": "KGZ", "flow": "export", "period": "2022",
         "value": 500.0},
        # Italy: imports recorded by KGZ, Italy published exports that year but none to KGZ
        {"reporter": "ITA", "partner": "AUT", "flow": "export", "period": "2022",
         "value": 5.0},
        {"reporter": "KGZ", "partner": "ITA", "flow": "import", "period": "2022",
         "value": 70.0},
    ]
    out = _by_key(mirror_gaps(DuckDBBackend(), flows(rows), MirrorConfig(margin=0.1)))
    de = out[("DEU", "KGZ", "TOTAL", "2022")]
    assert de["export_value"] == 1200
    assert de["import_value"] == 660
    assert de["expected_import"] == pytest.approx(1320)
    assert de["gap_value"] == pytest.approx(-660)
    assert de["gap_ratio"] == pytest.approx(0.5)
    assert "imports_below_exports" in de["flags"]
    assert de["export_periods"] == 12
    assert "incomplete_period" not in de["flags"]
    fr = out[("FRA", "KGZ", "TOTAL", "2022")]
    assert "exported_never_arrived" in fr["flags"]
    assert fr["import_value"] is None
    it = out[("ITA", "KGZ", "TOTAL", "2022")]
    assert "arrived_never_exported" in it["flags"]
    eu = out[("EU27", "KGZ", "TOTAL", "2022")]
    assert eu["is_group"] == 1
    assert eu["export_value"] == 1700
    assert eu["import_value"] == 730


def test_uncovered_rows_dropped_unless_asked() -> None:
    rows = [{"reporter": "DEU", "partner": "RUS", "flow": "export", "value": 9.0},
            {"reporter": "KGZ", "partner": "DEU", "flow": "import", "value": 1.0},
            {"reporter": "DEU", "partner": "KGZ", "flow": "export", "value": 1.0}]
    kept = _by_key(mirror_gaps(DuckDBBackend(), flows(rows)))
    assert ("DEU", "RUS", "TOTAL", "2022") not in kept  # Russia published no imports
    full = _by_key(mirror_gaps(DuckDBBackend(), flows(rows), MirrorConfig(keep_uncovered=True)))
    assert "no_importer_report" in full[("DEU", "RUS", "TOTAL", "2022")]["flags"]


def test_currency_mismatch_is_flagged_not_compared() -> None:
    rows = [{"reporter": "DEU", "partner": "KGZ", "flow": "export", "value": 100.0},
            {"reporter": "KGZ", "partner": "DEU", "flow": "import", "value": 90.0,
             "currency": "USD"}]
    r = _by_key(mirror_gaps(DuckDBBackend(), flows(rows)))[("DEU", "KGZ", "TOTAL", "2022")]
    assert "currency_mismatch" in r["flags"]
    assert r["gap_value"] is None


def test_level_dedup_heading_and_children() -> None:
    rows = [{"reporter": "DEU", "partner": "KGZ", "flow": "export", "hs_code": "8542",
             "value": 100.0},
            {"reporter": "DEU", "partner": "KGZ", "flow": "export", "hs_code": "85423190",
             "value": 60.0},
            {"reporter": "DEU", "partner": "KGZ", "flow": "export", "hs_code": "85423290",
             "value": 40.0},
            {"reporter": "KGZ", "partner": "DEU", "flow": "import", "hs_code": "854231",
             "value": 70.0}]
    out = _by_key(mirror_gaps(DuckDBBackend(), flows(rows), MirrorConfig(level=6)))
    assert out[("DEU", "KGZ", "854231", "2022")]["export_value"] == 60
    out4 = _by_key(mirror_gaps(DuckDBBackend(), flows(rows), MirrorConfig(level=4)))
    assert out4[("DEU", "KGZ", "8542", "2022")]["export_value"] == 100  # heading, not 200


def test_choose_level() -> None:
    assert choose_level({"export": {0, 8}, "import": {0}}, MirrorConfig()) == 0
    assert choose_level({"export": {8}, "import": {6}}, MirrorConfig()) == 6
    assert choose_level({"export": {8}, "import": {4}}, MirrorConfig()) == 4
    with pytest.raises(ConfigError):
        MirrorConfig(margin=1.5)


@settings(max_examples=12, deadline=None)
@given(st.floats(1, 1e9), st.floats(1, 1e9), st.floats(0, 0.5))
def test_gap_identities(x: float, m: float, margin: float) -> None:
    rows = [{"reporter": "DEU", "partner": "KGZ", "flow": "export", "value": x},
            {"reporter": "KGZ", "partner": "DEU", "flow": "import", "value": m}]
    r = _by_key(mirror_gaps(DuckDBBackend(), flows(rows), MirrorConfig(margin=margin)))[
        ("DEU", "KGZ", "TOTAL", "2022")]
    assert r["gap_value"] == pytest.approx(m - x * (1 + margin), rel=1e-9, abs=1e-6)
    assert r["gap_ratio"] == pytest.approx(m / (x * (1 + margin)), rel=1e-9)
    assert r["raw_ratio"] == pytest.approx(m / x, rel=1e-9)


def test_sql_translates_to_spark() -> None:
    steps = mirror_steps(MirrorConfig(), 6, [4, 6, 8])
    for step in steps:
        sql = SparkDialect().translate(step.sql)
        assert "SELECT" in sql.upper()


def test_real_mirror_kyrgyzstan_gap_widens_after_2022() -> None:
    base = "trade/eurostat_totals_marylev/"
    parts = [read_file(need(base + "eu_reporter_partner_monthly_totals.csv"))[0]]
    for name in ("armenia", "kazakhstan", "kyrgyz", "uzbek"):
        parts.append(read_file(need(
            base + f"raw/data/national_data_converted/{name}_import_yearly.csv"))[0])
    table = mirror_gaps(DuckDBBackend(), pa.concat_tables(parts))
    eu = table.filter(pc.and_(pc.equal(table.column("is_group"), 1),
                              pc.equal(table.column("importer"), "KGZ")))
    ratio = {r["period"]: r["gap_ratio"] for r in eu.to_pylist()}
    assert max(ratio["2022"], ratio["2023"]) < min(ratio["2019"], ratio["2020"], ratio["2021"])
    arm = table.filter(pc.and_(pc.equal(table.column("is_group"), 1),
                               pc.equal(table.column("importer"), "ARM")))
    flags = {r["period"]: r["flags"] for r in arm.to_pylist()}
    assert "importer_total_fell" in flags["2023"]  # Armenia's 2023 release is partial


def test_same_cell_from_two_sources_counted_once() -> None:
    rows = [{"reporter": "DEU", "partner": "KGZ", "flow": "export", "value": 100.0},
            {"reporter": "KGZ", "partner": "DEU", "flow": "import", "value": 90.0}]
    twice = flows([*rows, *({**r, "source": "copy"} for r in rows)])
    r = _by_key(mirror_gaps(DuckDBBackend(), twice))[("DEU", "KGZ", "TOTAL", "2022")]
    assert r["export_value"] == 100
    assert r["import_value"] == 90
