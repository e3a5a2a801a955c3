from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from armswatch.errors import BadInputError, UnknownFormatError
from armswatch.trade import FLOW_SCHEMA, ReadOptions, read_file, read_flows
from armswatch.trade._columns import parse_period
from tests.conftest import need

FIX = Path(__file__).parent / "fixtures"


def _rows(name: str) -> list[dict[str, object]]:
    table, _ = read_file(FIX / name)
    assert table.schema == FLOW_SCHEMA
    return table.to_pylist()


def test_comtrade_plus_bulk() -> None:
    rows = _rows("comtrade_plus_bulk.tsv")
    assert [r["flow"] for r in rows] == ["import", "export", "export", "export"]
    assert rows[0]["reporter"] == "KGZ"
    assert rows[0]["partner"] == "DEU"
    assert rows[0]["hs_version"] == "HS2022"
    assert rows[0]["period"] == "2022-03"
    assert rows[0]["quantity"] == 35.5
    assert rows[0]["unit"] == "kg"
    assert "breakdown" in str(rows[2]["flags"])  # by transport mode: not a separate cell
    assert "unspecified_partner" in str(rows[3]["flags"])  # 'Other Asia, nes'
    assert rows[3]["reporter"] == "USA"


def test_comtrade_api_json() -> None:
    rows = _rows("comtrade_plus_api.json")
    assert rows[0]["partner"] == "FRA"
    assert rows[0]["freq"] == "A"
    assert rows[1]["hs_code"] == "TOTAL"
    assert "aggregate_partner" in str(rows[1]["flags"])
    assert rows[2]["value_basis"] == "FOB"


def test_comtrade_legacy_csv_and_json() -> None:
    csv_rows = _rows("comtrade_legacy.csv")
    assert csv_rows[1]["reporter"] == "USA"
    assert csv_rows[1]["partner"] == "IND"
    assert csv_rows[1]["hs_version"] == "HS2012"
    js = _rows("comtrade_legacy_api.json")
    assert js[1]["quantity"] == 6000
    assert js[1]["source_line"] == 2


def test_baci_scales_and_pads() -> None:
    rows = _rows("BACI_HS17_Y2022_V202401.csv")
    assert rows[0]["value"] == pytest.approx(1_250_500.0)  # thousand USD -> USD
    assert rows[0]["unit"] == "t"
    assert rows[0]["hs_version"] == "HS2017"
    assert rows[1]["hs_code"] == "010121"
    assert "code_padded" in str(rows[1]["flags"])
    assert rows[1]["quantity"] is None
    assert "quantity_missing" in str(rows[1]["flags"])
    assert rows[2]["partner"] == "FRA"  # BACI 251


def test_comext_bulk_keeps_confidential_cells() -> None:
    rows = _rows("comext_bulk_full202203.dat")
    assert rows[2]["value"] is None
    assert "confidential" in str(rows[2]["flags"])
    assert rows[3]["period"] == "2022"
    assert rows[3]["hs_code"] == "TOTAL"


def test_relational_suppressed_never_zero() -> None:
    table, report = read_file(FIX / "relational_suppressed.csv")
    vals = table.column("value").to_pylist()
    assert vals == [125000.0, None, None, 4200.0]
    assert report.null_values == 2
    assert report.flag_counts["not_available"] == 1
    assert report.flag_counts["confidential"] == 1
    assert report.flag_counts["provisional"] == 1
    assert any("without a value" in line for line in report.lines())


@pytest.mark.parametrize(("name", "match", "line"), [
    ("bad_value.csv", "not a number: '12abc' in column 'value_eur'", 3),
    ("bad_period.csv", "unreadable period", 3),
])
def test_bad_input_names_file_and_line(name: str, match: str, line: int) -> None:
    with pytest.raises(BadInputError, match=match) as info:
        read_file(FIX / name)
    assert info.value.line == line
    assert name in str(info.value)


def test_unknown_layout() -> None:
    with pytest.raises(UnknownFormatError, match="expected one of"):
        read_file(FIX / "unknown_layout.csv")
    with pytest.raises(BadInputError, match="no such file"):
        read_file(FIX / "missing.csv")


def test_unknown_columns_are_reported(tmp_path: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_text("reporter_code,partner_code,product_code,period,value_eur,my_note\n"
                 "DE,KG,8471,2022-03,10,hello\n")
    _, report = read_file(f, ReadOptions(default_flow="import"))
    assert report.ignored_columns == ["my_note"]
    assert any("ignored columns" in ln for ln in report.lines())


def test_tidy_parquet_roundtrip(tmp_path: Path) -> None:
    table, _ = read_file(FIX / "comtrade_plus_bulk.tsv")
    pq.write_table(table, tmp_path / "flows.parquet")
    back, rep = read_file(tmp_path / "flows.parquet")
    assert rep.format == "armswatch-flows"
    assert back.equals(table)


@settings(max_examples=60, deadline=None)
@given(st.integers(1990, 2030), st.integers(1, 12))
def test_period_spellings_agree(year: int, month: int) -> None:
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    want = (f"{year}-{month:02d}", "M")
    for text in (f"{year}-{month:02d}", f"{year}{month:02d}", f"{year}M{month:02d}",
                 f"{months[month - 1]}. {year}"):
        assert parse_period(text) == want
    assert parse_period(f"Y{year}") == (str(year), "A")
    assert parse_period(f"{year}52") == (str(year), "A")


def test_real_eurostat_cn8_extract() -> None:
    path = need("trade/eurostat_cn8_sanctioned_exports_ruimpeks/"
                "eu_exports_sanctioned_cn_monthly_2020-01_2022-11.csv.gz")
    seen: list[int] = []
    table, report = read_flows([path], progress=lambda p, done, total: seen.append(done))
    assert table.num_rows == 1_141_670  # README count
    assert seen
    assert seen[-1] == path.stat().st_size
    levels = pc.value_counts(table.column("hs_level")).to_pylist()
    assert {int(d["values"]): int(d["counts"]) for d in levels} == {8: 997_559, 4: 144_111}
    partners = set(pc.unique(table.column("partner")).to_pylist())
    assert partners == {"ARM", "BLR", "GEO", "KGZ", "KAZ", "RUS", "UZB"}
    assert table.column("value").null_count == 0
    assert any("rows read as exports" in n for n in report.files[0].notes)


def test_real_totals_and_partner_files() -> None:
    base = "trade/eurostat_totals_marylev/"
    totals, rep = read_file(need(base + "eu_reporter_partner_monthly_totals.csv"))
    assert totals.num_rows == 14_063
    agg = pc.match_substring(pc.fill_null(totals.column("flags"), ""), "aggregate_reporter")
    assert set(pc.unique(pc.filter(totals.column("reporter"), agg)).to_pylist()) == {
        "EU27_2020", "EU_CHANGING", "EA20", "EA_CHANGING"}
    kg, rep = read_file(need(base + "raw/data/national_data_converted/kyrgyz_import_yearly.csv"))
    assert rep.format == "eurostat-relational"
    assert set(pc.unique(kg.column("reporter")).to_pylist()) == {"KGZ"}
    assert "DEU" in set(kg.column("partner").to_pylist())
    assert rep.flag_counts.get("unknown_partner", 0) == 0


def test_real_comtrade_wood_file() -> None:
    path = need("trade/comtrade_eu27_wood_imports_comtradr/"
                "eu27_imports_wood_products_by_partner_2018_2022.csv.gz")
    table, rep = read_file(path)
    assert table.num_rows == 173_358
    assert rep.format == "comtrade"
    assert rep.currencies == ["USD"]
    lv = pc.value_counts(table.column("hs_level")).to_pylist()
    assert {int(d["values"]): int(d["counts"]) for d in lv} == {2: 27_683, 4: 113_999,
                                                               6: 31_676}


def test_mixed_currencies_reported() -> None:
    _, report = read_flows([FIX / "comext_bulk_full202203.dat", FIX / "comtrade_plus_bulk.tsv"])
    assert report.currencies() == ["EUR", "USD"]
    assert any("mixed currencies" in line for line in report.lines())


def test_empty_tables_concat() -> None:
    flows, report = read_flows([])
    assert flows.num_rows == 0
    assert report.rows == 0
    assert isinstance(flows, pa.Table)
