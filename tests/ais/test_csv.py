from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from armswatch.ais import AIS_POSITIONS_SCHEMA, AIS_STATICS_SCHEMA
from armswatch.ais._csv import is_csv_export, read_csv_export
from armswatch.errors import UnknownFormatError
from tests.conftest import need


def test_dma_aisdk_export() -> None:
    path = need("ais/tables/dma_aisdk_20180208_sample_mobiml.csv")
    assert is_csv_export(path)
    r = read_csv_export(path)
    assert r.positions.schema == AIS_POSITIONS_SCHEMA
    assert r.positions.num_rows == 10
    row = r.positions.to_pylist()[0]
    assert row["mmsi"] == 265_177_000
    assert row["nav_status"] == 0
    assert row["msg_type"] == 1
    assert row["ts_utc"] == datetime(2018, 2, 8, tzinfo=UTC)
    assert row["lat"] == pytest.approx(57.602225)
    assert row["sog_kn"] == pytest.approx(15.7)


def test_noaa_marinecadastre_export() -> None:
    path = need("ais/tables/noaa_marinecadastre_aisdb_20230111_sample.csv")
    r = read_csv_export(path)
    assert r.positions.num_rows == 1000
    assert r.statics.schema == AIS_STATICS_SCHEMA
    first = r.positions.to_pylist()[0]
    assert first["cog_deg"] is None  # 360 = not available
    statics = {s["mmsi"]: s for s in r.statics.to_pylist()}
    s = statics[636_021_061]
    assert (s["imo"], s["name"], s["callsign"], s["ship_type"], s["length_m"], s["width_m"]) == (
        9_307_839, "MSC NAISHA III", "5LCB4", 70, 208, 30)
    assert s["draught_m"] == pytest.approx(8.0)


def test_unknown_csv(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_text("a,b\n1,2\n")
    assert not is_csv_export(p)
    with pytest.raises(UnknownFormatError, match="expected the Danish"):
        read_csv_export(p)
