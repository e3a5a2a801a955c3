"""Determinism, the NMEA feed (pyais and armswatch.ais read it), the Arrow table, the CLI."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
import typer
from hypothesis import given, settings
from hypothesis import strategies as st
from pyais.stream import FileReaderStream
from typer.testing import CliRunner

from armswatch.ais import decode_file
from armswatch.ais.encode import encode_payload, to_sentences
from armswatch.errors import BadInputError
from armswatch.model.tables import POSITIONS_SCHEMA
from armswatch.simulate import (
    SCENARIOS,
    Simulation,
    positions_table,
    scenario_names,
    simulate,
    simulate_positions,
    write_simulation,
)
from armswatch.simulate._fastenc import position_sentences
from armswatch.simulate.cli import register
from tests.conftest import cli_app

REQUIRED = {"dprk_russia_shuttle", "sts_transfer", "identity_swap", "spoofing", "background",
            "mixed"}


def test_all_scenarios_registered() -> None:
    assert set(scenario_names()) >= REQUIRED
    assert SCENARIOS.ref("mixed") == "mixed@1"
    assert SCENARIOS.get("mixed").vessels >= 100  # "hundreds of innocent ships"


def test_same_seed_same_files(tmp_path: Path) -> None:
    a = simulate("background", 5, vessels=4, days=1.5)
    b = simulate("background", 5, vessels=4, days=1.5)
    c = simulate("background", 6, vessels=4, days=1.5)
    write_simulation(a, tmp_path / "a")
    write_simulation(b, tmp_path / "b")
    write_simulation(c, tmp_path / "c")
    for f in ("ais.nmea", "truth.jsonl", "scenario.json"):
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes()
    assert (tmp_path / "a" / "ais.nmea").read_bytes() != (tmp_path / "c" / "ais.nmea").read_bytes()


def test_unknown_scenario_is_bad_input() -> None:
    with pytest.raises(BadInputError, match="known: "):
        simulate("nope", 1)


def test_pyais_reads_every_intact_line(written: dict[str, Path],
                                      sims: dict[str, Simulation]) -> None:
    name = next(n for n, sim in sims.items() if any(s.class_b for s in sim.scripts))
    folder = written[name]
    types: dict[int, int] = {}
    invalid = stamped = 0
    with FileReaderStream(str(folder / "ais.nmea")) as stream:
        for msg in stream:
            if not msg.is_valid:  # the few lines corrupted on purpose
                invalid += 1
                continue
            d = msg.decode()
            types[d.msg_type] = types.get(d.msg_type, 0) + 1
            if msg.tag_block is not None:
                msg.tag_block.init()
                stamped += bool(msg.tag_block.receiver_timestamp)
    assert set(types) == {1, 3, 5, 18, 24}
    assert invalid > 0
    assert stamped >= sum(types.values()) - types[5]


def test_feed_is_realistic(written: dict[str, Path], sims: dict[str, Simulation]) -> None:
    lines = (written["dprk_russia_shuttle"] / "ais.nmea").read_text().splitlines()
    stamps = [int(ln.split("c:")[1].split("*")[0].split(",")[0]) for ln in lines]
    assert any(b < a for a, b in itertools.pairwise(stamps))  # out of order
    assert len(set(lines)) < len(lines)  # repeated lines
    assert any(",g:1-2-" in ln for ln in lines)  # multi-part type 5 grouped
    rep = decode_file(written["dprk_russia_shuttle"] / "ais.nmea").report
    assert rep.bad_checksum > 0
    assert rep.malformed == 0


def test_armswatch_decoder_sees_the_archive(written: dict[str, Path],
                                            sims: dict[str, Simulation]) -> None:
    """Decoded positions = the decodable archive (+ duplicate receptions)."""
    sim = sims["sts_transfer"]
    dec = decode_file(written["sts_transfer"] / "ais.nmea").positions
    table = positions_table(sim, duplicates=True)
    key = lambda t: sorted(zip(t.column("mmsi").to_pylist(),  # noqa: E731
                               t.column("ts_utc").cast("int64").to_pylist(), strict=True))
    got = set(key(dec))
    assert got == set(key(table))
    lat = np.asarray(dec.column("lat").to_numpy(zero_copy_only=False))
    assert np.isfinite(lat).all()


def test_simulate_positions_equals_the_full_run() -> None:
    direct = simulate_positions("sts_transfer", 9, vessels=2, days=2)
    full = positions_table(simulate("sts_transfer", 9, vessels=2, days=2))
    assert direct.equals(full)


def test_positions_table_schema(sims: dict[str, Simulation]) -> None:
    t = positions_table(sims["background"])
    assert t.schema.equals(POSITIONS_SCHEMA)
    assert t.num_rows == int(sims["background"].pos_noise.decodable.sum())
    ts = t.column("ts_utc").cast("int64").to_numpy()
    assert (np.diff(ts) >= 0).all()
    assert isinstance(t, pa.Table)


@settings(max_examples=60, deadline=None)
@given(
    mt=st.sampled_from([1, 2, 3, 18]),
    mmsi=st.integers(1, 999_999_999),
    nav=st.integers(0, 15),
    sog=st.integers(0, 1022).map(lambda v: v / 10),
    lon=st.integers(-108_000_000, 108_000_000).map(lambda v: v / 600_000),
    lat=st.integers(-54_000_000, 54_000_000).map(lambda v: v / 600_000),
    cog=st.integers(0, 3599).map(lambda v: v / 10),
    head=st.one_of(st.none(), st.integers(0, 359)),
    sec=st.integers(0, 59),
    ch=st.sampled_from(["A", "B"]),
)
def test_fast_encoder_equals_reference(mt: int, mmsi: int, nav: int, sog: float, lon: float,
                                       lat: float, cog: float, head: int | None, sec: int,
                                       ch: str) -> None:
    fast = position_sentences(
        np.array([mt], np.int8), np.array([mmsi]), np.array([nav]), np.array([sog]),
        np.array([lon]), np.array([lat]), np.array([cog]),
        np.array([math.nan if head is None else float(head)]), np.array([sec]), [ch])[0]
    fields: dict[str, object] = {"mmsi": mmsi, "sog_kn": sog, "accuracy": True, "lon": lon,
                                 "lat": lat, "cog_deg": cog, "heading_deg": head,
                                 "second": sec}
    if mt == 18:
        fields["cs_unit"] = True
    else:
        fields.update(nav_status=nav, rot=None)
    payload, fill = encode_payload(mt, fields)
    assert fast == to_sentences(payload, fill, channel=ch)[0]


def _app() -> typer.Typer:
    return cli_app(register)


def test_cli_simulate_then_evaluate(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "run"
    res = runner.invoke(_app(), ["simulate", "--scenario", "background", "--seed", "2",
                                 "--output", str(out), "--vessels", "3", "--days", "1",
                                 "--start", "2024-03-01"])
    assert res.exit_code == 0, res.output
    truth = out / "truth.jsonl"
    assert (out / "ais.nmea").stat().st_size > 0
    assert truth.exists()
    meta = json.loads((out / "scenario.json").read_text())
    assert meta["start_utc"] == "2024-03-01T00:00:00Z"
    assert meta["vessel_days"] == 3.0
    res = runner.invoke(_app(), ["evaluate", "--truth", str(truth), "--events", str(truth),
                                 "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["vessel_days"] == 3.0
    for score in data["types"].values():
        assert score["precision"] == 1.0
        assert score["recall"] == 1.0
    res = runner.invoke(_app(), ["evaluate", "--truth", str(truth), "--events", str(truth)])
    assert res.exit_code == 0
    assert "port_call" in res.stdout


def test_cli_bad_start_date(tmp_path: Path) -> None:
    res = CliRunner().invoke(_app(), ["simulate", "--scenario", "background", "--output",
                                      str(tmp_path), "--start", "yesterday"])
    assert isinstance(res.exception, BadInputError)


def test_output_must_be_a_folder(tmp_path: Path, sims: dict[str, Simulation]) -> None:
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(BadInputError, match="not a folder"):
        write_simulation(sims["background"], f)


def test_colliding_random_mmsis_are_made_unique() -> None:
    from armswatch.simulate._identity import Identity
    from armswatch.simulate._scenarios import _unique_mmsis
    from armswatch.simulate._script import VesselScript

    def ident(m: int) -> Identity:
        return Identity(m, None, "A", "B", 70, 1, 1, 1, 1, 0.0)

    ss = [VesselScript(0, "x", False, [], [(0, ident(5))]),
          VesselScript(1, "x", False, [], [(0, ident(5)), (10, ident(6))]),  # a reflag
          VesselScript(2, "x", False, [], [(0, ident(6))])]
    _unique_mmsis(ss)
    got = [[i.mmsi for _, i in s.identities] for s in ss]
    assert got[0] == [5]
    assert got[1][0] != got[1][1]  # the reflag survives
    flat = [m for g in got for m in set(g)]
    assert len(flat) == len(set(flat))


def test_public_api_is_pinned() -> None:
    import armswatch.simulate as sim_pkg
    from armswatch.detect import evaluate as ev_mod

    assert set(sim_pkg.__all__) == {
        "DEFAULT_START", "SCENARIOS", "ReceiverConfig", "Scenario", "Simulation",
        "positions_table", "scenario_names", "simulate", "simulate_positions",
        "write_simulation",
    }
    assert set(ev_mod.__all__) == {"EvalEvent", "Evaluation", "TypeScore", "evaluate",
                                   "evaluate_files", "parse_event", "read_events"}
