from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

from armswatch.ais.cli import register
from tests.conftest import cli_app, need


def _app() -> typer.Typer:
    return cli_app(register)


def test_decode_report_and_show(tmp_path: Path) -> None:
    runner = CliRunner()
    src = need("ais/nmea/pyais/nmea_data_sample.txt")
    csv = need("ais/tables/noaa_marinecadastre_maatkamp_small-sample.csv")
    out = tmp_path / "ds"
    res = runner.invoke(_app(), ["ais", "decode", str(src), str(csv), "--output", str(out)])
    assert res.exit_code == 0, res.output
    assert "positions" in res.output
    assert (out / "ingest_report.json").exists()
    res = runner.invoke(_app(), ["ais", "report", str(out)])
    assert res.exit_code == 0
    assert "inputs" in res.output
    assert "lines read" in res.output
    line = "!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0*5C"
    res = runner.invoke(_app(), ["ais", "show", line])
    assert res.exit_code == 0
    assert "477553000" in res.output
    bad = "!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0*00"
    res = runner.invoke(_app(), ["ais", "show", bad], standalone_mode=False)
    assert res.return_value == 1
    assert "bad checksum" in res.output


def test_missing_input_is_bad_input(tmp_path: Path) -> None:
    res = CliRunner().invoke(_app(), ["ais", "decode", str(tmp_path / "nope"), "-o",
                                      str(tmp_path / "o")])
    assert res.exit_code != 0
    assert "no such file" in str(res.exception)
