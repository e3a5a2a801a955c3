"""``armswatch detect`` and ``armswatch ports`` end to end, NMEA and Parquet inputs."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pyarrow.parquet as pq
import pytest

from armswatch.ais import encode_payload, to_sentences, with_tag_block
from armswatch.cli import main
from armswatch.detect.io import EVENT_FIELDS
from armswatch.model.tables import EVENTS_SCHEMA
from tests.conftest import need
from tests.detect.scenes import Scene
from tests.detect.test_detectors import _pair


def _scene() -> Scene:
    s = Scene()
    _pair(s, 40.0, 134.5, 0.5, 4)  # an encounter
    t, _la, _lo = s.sail(273000001, 0, 37.0, 18.0, 90, 12, 2)  # a 20 h gap in the Ionian Sea
    s.sail(273000001, t + 20 * 3600, 37.0, 19.5, 90, 12, 2)
    for i in range(3):
        s.static(273000001, i * 360, name="MARIA", callsign="UBCD1", imo=9074729)
        s.static(273000001, 30 * 3600 + i * 360, name="MAIA 1", callsign="UBCD1", imo=9074729)
    return s


def write_nmea(s: Scene, path: Path) -> None:
    lines: list[str] = []
    pos = s.positions().to_pylist()
    for row in pos:
        fields = {k: row[k] for k in ("mmsi", "lat", "lon", "sog_kn", "cog_deg")}
        payload, fill = encode_payload(1, fields)
        for sentence in to_sentences(payload, fill):
            lines.append(with_tag_block(sentence, ts_utc=row["ts_utc"], source="test"))
    for k, st in enumerate(s.statics):
        payload, fill = encode_payload(5, {f: st[f] for f in ("mmsi", "imo", "callsign", "name",
                                                               "ship_type")})
        parts = to_sentences(payload, fill, seq_id=k % 10)
        ts = int(str(st["ts_utc"])) / 1e6
        for i, sentence in enumerate(parts):
            lines.append(with_tag_block(sentence, ts_utc=ts, source="test",
                                        group=(i + 1, len(parts), k)))
    path.write_text("\n".join(lines) + "\n", encoding="ascii")


def test_detect_on_nmea_writes_truth_shaped_events(tmp_path: Path) -> None:
    log = tmp_path / "ais.nmea"
    write_nmea(_scene(), log)
    (tmp_path / "empty.nmea").write_text("")
    out = tmp_path / "events.jsonl"
    rc = main(["detect", str(log), str(tmp_path / "empty.nmea"), "-o", str(out), "--now", "none"])
    assert rc == 0
    records = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert {r["type"] for r in records} == {"encounter", "ais_gap", "identity_change"}
    for r in records:
        assert tuple(r) == EVENT_FIELDS
        assert r["start_utc"].endswith("Z")
        assert r["end_utc"].endswith("Z")
        assert isinstance(r["details"], dict)
        assert "@" in r["details"]["algorithm"]
    enc = next(r for r in records if r["type"] == "encounter")
    assert {enc["mmsi"], enc["other_mmsi"]} == {636000001, 511000002}
    table = pq.read_table(out.with_suffix(".parquet"))
    assert table.schema == EVENTS_SCHEMA
    assert table.num_rows == len(records)
    report = json.loads(out.with_suffix(".report.json").read_text())
    assert report["empty_files"] == [str(tmp_path / "empty.nmea")]
    assert report["detect"]["positions_in"] == _scene().positions().num_rows


def test_detect_on_parquet_dataset(tmp_path: Path) -> None:
    s = _scene()
    ds = tmp_path / "decoded"
    (ds / "positions" / "day=2023-11-14").mkdir(parents=True)
    (ds / "statics").mkdir(parents=True)
    pq.write_table(s.positions(), ds / "positions" / "day=2023-11-14" / "part-0.parquet")
    pq.write_table(s.statics_table(), ds / "statics" / "part-0.parquet")
    out = tmp_path / "ev.jsonl"
    assert main(["detect", str(ds), "-o", str(out), "--no-parquet",
                 "--detectors", "identity_change,ais_gap"]) == 0
    types = sorted(orjson.loads(x)["type"] for x in out.read_bytes().splitlines())
    assert types == ["ais_gap", "identity_change"]
    assert not out.with_suffix(".parquet").exists()


def test_detect_real_nmea_sample(tmp_path: Path) -> None:
    log = need("ais/nmea/kystverket_aisnet/Ais1000Lines.nm4")
    out = tmp_path / "ev.jsonl"
    assert main(["detect", str(log), "-o", str(out)]) == 0
    report = json.loads(out.with_suffix(".report.json").read_text())
    assert report["detect"]["positions_in"] > 500
    assert report["decode"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--params", "{not json"], "not valid JSON"),
        (["--params", '{"ais_gap": {"min_gap_h": -1}}'], "must be > 0"),
        (["--detectors", "nope"], "unknown detector"),
        (["--engine", "oracle"], "unknown engine"),
        (["--master", "local[1]"], "only to --engine spark"),
    ],
)
def test_bad_options_exit_2(tmp_path: Path, args: list[str], message: str,
                            capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "ais.nmea"
    log.write_text("")
    assert main(["detect", str(log), "-o", str(tmp_path / "e.jsonl"), *args]) == 2
    assert message in capsys.readouterr().err


def test_missing_input_exit_2(tmp_path: Path) -> None:
    assert main(["detect", str(tmp_path / "nothing.nmea"), "-o", str(tmp_path / "e.jsonl")]) == 2


def test_ports_import_and_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("ARMSWATCH_HOME", str(tmp_path / "home"))
    areas = tmp_path / "zones.geojson"
    areas.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "STS-KALAMATA", "role": "sts_zone",
                                           "radius_m": 8000},
         "geometry": {"type": "Point", "coordinates": [22.1, 36.85]}}]}))
    assert main(["ports", "import", str(areas)]) == 0
    assert (tmp_path / "home" / "ports" / "zones.csv").exists()
    capsys.readouterr()
    assert main(["ports", "list", "--all", "--role", "sts_zone", "--json"]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [r["port_id"] for r in rows] == ["STS-KALAMATA"]
    assert main(["ports", "list", "--role", "dprk_port", "--json"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 6


@pytest.mark.spark
def test_detect_on_spark_with_master_equals_duckdb(tmp_path: Path) -> None:
    from armswatch.engine import spark_unavailable_reason

    reason = spark_unavailable_reason()
    if reason:
        pytest.skip(f"Spark engine not available: {reason}")
    log = tmp_path / "ais.nmea"
    write_nmea(_scene(), log)
    runs = {}
    # local[2]: the master the contract suite's shared session uses (one JVM per process)
    for engine, extra in (("duckdb", []), ("spark", ["--master", "local[2]"])):
        out = tmp_path / f"{engine}.jsonl"
        assert main(["detect", str(log), "-o", str(out), "--now", "none", "--no-parquet",
                     "--engine", engine, *extra]) == 0
        runs[engine] = sorted((r["type"], r["mmsi"], r["start_utc"], r["end_utc"])
                              for r in map(orjson.loads, out.read_bytes().splitlines()))
    assert runs["spark"] == runs["duckdb"]
    assert len(runs["duckdb"]) == 3
