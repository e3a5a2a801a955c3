"""Each detector on hand-built scenes: the behaviour is found, the look-alike is not."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import cache
from typing import Any

import pyarrow as pa
import pytest

from armswatch.detect import DetectConfig, DetectReport, run_detectors
from armswatch.engine import DuckDBBackend
from armswatch.errors import ConfigError
from armswatch.geo import load_ports, merge_layers, read_searoute_ports
from armswatch.geo.ports import Port
from armswatch.model.tables import EVENTS_SCHEMA
from tests.detect.scenes import T0, Scene


@cache
def ports() -> tuple[Port, ...]:
    return tuple(merge_layers(load_ports(), read_searoute_ports()))


def run(scene: Scene, *detectors: str, params: dict[str, Any] | None = None,
        report: DetectReport | None = None, now: datetime | None = None) -> list[dict[str, Any]]:
    cfg = DetectConfig(detectors=detectors, params=params or {}, ports=ports(), now_utc=now)
    ev = run_detectors(DuckDBBackend(), scene.positions(), scene.statics_table(), cfg, report)
    assert ev.schema == EVENTS_SCHEMA
    out = ev.to_pylist()
    for e in out:
        e["details"] = json.loads(e["details"])
    return out


def at(h: float) -> datetime:
    return datetime.fromtimestamp(T0 + h * 3600, UTC)


# --- ais_gap ---------------------------------------------------------------------------

def test_gap_with_ends_and_nearest_places_of_concern() -> None:
    s = Scene()
    t, la, lo = s.sail(273000001, 0, 42.60, 132.95, 200, 10, 3)  # off Vostochny/Nakhodka
    s.sail(273000001, t + 30 * 3600, 42.20, 130.45, 90, 10, 2)  # reappears off Rajin
    s.sail(273000002, 0, 37.0, 18.0, 90, 12, 3)
    s.sail(273000002, 3 * 3600 + 11 * 3600, 37.0, 19.0, 90, 12, 2)  # 11 h: below threshold
    [ev] = run(s, "ais_gap")
    assert ev["type"] == "ais_gap"
    assert ev["mmsi"] == 273000001
    assert ev["other_mmsi"] is None
    assert ev["start_utc"] == at(3)
    assert ev["end_utc"] == at(33)
    assert (ev["lat"], ev["lon"]) == pytest.approx((la, lo))
    d = ev["details"]
    assert d["duration_h"] == pytest.approx(30.0)
    assert d["end_nearest_concern"] == "KP-RJN"
    assert d["end_nearest_concern_km"] < 15
    assert d["start_nearest_concern_roles"].startswith("russian")
    assert d["implied_speed_kn"] == pytest.approx(d["distance_km"] / 1.852 / 30, rel=1e-3)
    assert 0.9 <= ev["confidence"] <= 1.0


def test_gap_threshold_is_a_parameter() -> None:
    s = Scene()
    s.sail(1001, 0, 37.0, 18.0, 90, 12, 1)
    s.sail(1001, 7 * 3600, 37.0, 19.0, 90, 12, 1)
    assert run(s, "ais_gap") == []
    assert len(run(s, "ais_gap", params={"ais_gap": {"min_gap_h": 6}})) == 1


# --- encounter --------------------------------------------------------------------------

def _pair(s: Scene, lat: float, lon: float, kn: float, hours: float, m1: int = 636000001,
          m2: int = 511000002, every: float = 120) -> None:
    s.sail(m1, 0, lat, lon, 90, kn, hours, every)
    s.sail(m2, 30, lat + 0.0015, lon + 0.0005, 90, kn, hours, every)  # ~170 m apart


def test_encounter_offshore() -> None:
    s = Scene()
    _pair(s, 40.0, 134.5, 0.5, 4)
    [ev] = run(s, "encounter")
    assert {ev["mmsi"], ev["other_mmsi"]} == {636000001, 511000002}
    assert ev["start_utc"] <= at(0.2)
    assert ev["end_utc"] >= at(3.9)
    assert ev["details"]["min_distance_m"] < 500
    assert ev["confidence"] > 0.8


def test_encounter_from_sparse_satellite_reports_is_interpolated() -> None:
    s = Scene()
    _pair(s, 40.0, 134.5, 0.4, 6, every=2400)  # a report every 40 min, never in the same bin
    [ev] = run(s, "encounter")
    assert ev["details"]["observed_share"] < 0.5


@pytest.mark.parametrize(
    ("lat", "lon", "kn", "hours", "why"),
    [
        (43.09, 131.87, 0.3, 4, "inside Vladivostok port"),
        (40.0, 134.5, 8.0, 4, "sailing in company, not stopped"),
        (40.0, 134.5, 0.5, 1.5, "too short"),
    ],
)
def test_no_encounter(lat: float, lon: float, kn: float, hours: float, why: str) -> None:
    s = Scene()
    _pair(s, lat, lon, kn, hours)
    assert run(s, "encounter") == [], why


def test_encounter_needs_500_m() -> None:
    s = Scene()
    s.sail(636000001, 0, 40.0, 134.5, 90, 0.5, 4)
    s.sail(511000002, 0, 40.008, 134.5, 90, 0.5, 4)  # 890 m
    assert run(s, "encounter") == []


# --- loitering --------------------------------------------------------------------------

def test_loitering_offshore_but_not_in_port_or_short() -> None:
    s = Scene()
    s.sail(412000003, 0, 38.0, 133.0, 10, 1.0, 10, 300)  # Sea of Japan, far from ports
    s.sail(412000004, 0, 38.5, 133.5, 10, 1.0, 6, 300)  # only 6 h
    s.sail(412000005, 0, 43.10, 131.88, 10, 0.2, 12, 300)  # at Vladivostok
    [ev] = run(s, "loitering")
    assert ev["mmsi"] == 412000003
    assert ev["details"]["duration_h"] == pytest.approx(10.0)


# --- port_call --------------------------------------------------------------------------

def test_port_call_with_stop_and_pass_through_without() -> None:
    s = Scene()
    t, la, lo = s.sail(273200004, 0, 43.0, 131.75, 45, 8, 1.5)
    t, la, lo = s.sail(273200004, t + 60, la, lo, 45, 0.0, 6, 180, nav=5)
    s.sail(273200004, t + 60, la, lo, 225, 8, 2)
    s.sail(273200005, 0, 43.05, 131.80, 45, 10, 2)  # through the port area at 10 kn
    [ev] = run(s, "port_call")
    assert ev["mmsi"] == 273200004
    assert ev["port"] == "RU-VVO"
    assert ev["details"]["entry_observed"]
    assert ev["details"]["exit_observed"]
    assert ev["details"]["stopped_h"] == pytest.approx(6.0, abs=0.1)
    assert at(0.3) <= ev["start_utc"] <= at(1.5)
    assert at(7.5) <= ev["end_utc"] <= at(8.5)


def test_port_call_stop_hidden_by_silence() -> None:
    s = Scene()
    t, la, lo = s.sail(273200006, 0, 42.70, 133.00, 30, 6, 1)  # into Vostochny
    s.fix(273200006, t + 10 * 3600, la, lo, 0.1)
    s.sail(273200006, t + 10 * 3600 + 60, la, lo, 210, 6, 1.5)
    [ev] = run(s, "port_call")
    assert ev["port"] == "RU-VYP"
    assert ev["details"]["longest_silence_h"] >= 10
    assert ev["confidence"] < 1.0


def test_port_call_in_a_user_polygon() -> None:
    poly = Port("AREA-1", "box", "", None, 10.25, 20.25, 40_000.0, ("watch",), "test",
                "POLYGON ((20 10, 20.5 10, 20.5 10.5, 20 10.5, 20 10))")
    s = Scene()
    t, la, lo = s.sail(5001, 0, 10.2, 19.9, 90, 10, 1.5)  # enters the box
    t, la, lo = s.sail(5001, t + 60, la, lo, 90, 0.1, 3, 300)
    s.sail(5001, t + 60, la, lo, 270, 10, 2)
    s.sail(5002, 0, 10.6, 20.1, 90, 0.1, 5, 300)  # in the enclosing circle, outside the box
    cfg = DetectConfig(detectors=("port_call",), ports=(*ports(), poly))
    ev = run_detectors(DuckDBBackend(), s.positions(), None, cfg).to_pylist()
    assert [(e["mmsi"], e["port"]) for e in ev] == [(5001, "AREA-1")]


# --- identity_change --------------------------------------------------------------------

def test_identity_changes() -> None:
    s = Scene()
    for i in range(4):
        s.static(273300006, i * 600, name="MARIA", callsign="UBCD1", imo=9123456)
    s.static(273300006, 3000, name="MARLA", callsign="UBCD1", imo=9123456)  # one bad message
    for i in range(4):
        s.static(273300006, 7200 + i * 600, name="MAIA 1", callsign="UBCD2", imo=9123456)
    for i in range(3):
        s.static(273400007, i * 600, name="ANGARA", imo=9074729)
        s.static(620400007, 20000 + i * 600, name="HAI RONG", imo=9074729)
    s.sail(273300006, 0, 41.0, 135.0, 0, 10, 4)
    events = sorted(run(s, "identity_change"), key=lambda e: e["mmsi"])
    assert len(events) == 2
    a, b = events
    assert a["mmsi"] == 273300006
    assert a["other_mmsi"] is None
    assert sorted(a["details"]["fields"]) == ["callsign", "name"]
    assert a["start_utc"] == at(1800 / 3600)
    assert a["end_utc"] == at(2.0)
    assert a["lat"] is not None  # position of the ship at the change
    assert b["mmsi"] == 620400007
    assert b["other_mmsi"] == 273400007
    assert b["details"]["kind"] == "mmsi_change"
    assert b["details"]["flag_changed"]
    assert {"mmsi", "flag", "name"} <= set(b["details"]["fields"])
    assert b["details"]["imo_check_digit_ok"]


# --- spoofing ---------------------------------------------------------------------------

def test_spoofing_jump_and_inland() -> None:
    s = Scene()
    t, la, lo = s.sail(440000005, 0, 37.0, 130.0, 0, 12, 2)
    s.fix(440000005, t + 30, 39.7, 130.0, 12.0)  # 300 km away for one report
    s.sail(440000005, t + 60, la, lo, 0, 12, 2)
    s.sail(440000006, 0, 47.0, 103.0, 90, 10, 1)  # a track across Mongolia
    s.sail(440000007, 0, 51.25, 4.33, 90, 5, 0.5)  # up the Scheldt near Antwerp: a river port
    ev = {e["mmsi"]: e for e in run(s, "spoofing")}
    assert set(ev) == {440000005, 440000006}
    assert ev[440000005]["details"]["kind"] == "position_jump"
    assert ev[440000005]["details"]["false_positions"] == 1
    assert ev[440000006]["details"]["kind"] == "on_land"


def test_shared_mmsi_is_reported_as_such() -> None:
    s = Scene()
    s.sail(412999999, 0, 30.0, 122.5, 90, 8, 2)
    s.sail(412999999, 5, 31.0, 123.5, 270, 8, 2)
    [ev] = run(s, "spoofing")
    assert ev["details"]["kind"] == "shared_mmsi"


# --- dark_port_call ---------------------------------------------------------------------

def test_dark_port_call_lady_r_pattern() -> None:
    s = Scene()
    t, la, lo = s.sail(273100001, 0, 42.70, 133.00, 240, 12, 6)  # leaves Vostochny to the SW
    s.sail(273100001, t + 48 * 3600, 42.40, 131.20, 60, 11, 3)  # back 2 days later
    s.sail(273100002, 0, 35.0, -40.0, 90, 12, 2)  # a gap in mid-Atlantic: no port of concern
    s.sail(273100002, 2 * 3600 + 40 * 3600, 35.0, -38.0, 90, 12, 2)
    t, la, lo = s.sail(273100003, 0, 43.05, 131.80, 45, 6, 0.5)  # dark while moored in port
    s.fix(273100003, t + 3600, la, lo, 0.0)
    s.fix(273100003, t + 3 * 86400, la, lo, 0.0)
    [ev] = run(s, "dark_port_call")
    assert ev["mmsi"] == 273100001
    assert ev["port"] == "KP-RJN"
    assert ev["details"]["port_roles"] == "dprk_port"
    assert ev["start_utc"] == at(6)
    assert ev["end_utc"] == at(54)
    assert ev["details"]["partner_place"] is not None
    assert ev["confidence"] > 0.7


@pytest.mark.parametrize(("gap_h", "found"), [(12.5, False), (30, True)])
def test_dark_port_call_needs_time_for_the_visit(gap_h: float, found: bool) -> None:
    # off North Korea's east coast, about 200 km from Chongjin at both ends
    s = Scene()
    s.sail(273100004, 0, 40.5, 131.3, 90, 12, 1)
    s.sail(273100004, 3600 + gap_h * 3600, 40.5, 132.5, 90, 12, 1)
    assert bool(run(s, "dark_port_call")) == found


# --- bad input and configuration --------------------------------------------------------

def test_bad_input_is_counted_not_fatal() -> None:
    s = Scene()
    s.sail(273000009, 0, 37.0, 18.0, 90, 12, 1)  # Ionian Sea
    s.fix(273000010, 0, 37.5, 18.5, 3.0)  # a one-point track
    s.fix(273000011, 0, 0.0, 0.0, 3.0)  # null island
    s.fix(273000012, 10 * 86400 * 365, 37.5, 18.5, 3.0)  # far in the future
    pos = s.positions()
    nulls = pa.table({c: pa.nulls(3, pos.schema.field(c).type) for c in pos.column_names})
    nulls = nulls.set_column(0, "mmsi", pa.array([1, 2, None], pa.int32()))
    rep = DetectReport()
    events = run_detectors(DuckDBBackend(), pa.concat_tables([pos, nulls]), None,
                           DetectConfig(ports=ports(), now_utc=at(100)), rep)
    assert events.num_rows == 0
    assert rep.positions_in == pos.num_rows + 3
    assert rep.dropped_no_position >= 3
    assert rep.dropped_no_time == 3
    assert rep.dropped_bad_mmsi == 1
    assert rep.dropped_bad_position == 1
    assert rep.dropped_future == 1
    assert rep.one_point_threads == 1
    assert rep.vessels == 2


def test_empty_input() -> None:
    rep = DetectReport()
    empty = pa.table({"mmsi": pa.array([], pa.int32())})
    ev = run_detectors(DuckDBBackend(), empty, None, DetectConfig(ports=ports()), rep)
    assert ev.num_rows == 0
    assert rep.positions_in == 0
    assert set(rep.events) == {"ais_gap", "encounter", "loitering", "port_call",
                               "identity_change", "spoofing", "dark_port_call"}


def test_configuration_errors() -> None:
    s = Scene()
    s.sail(1, 0, 0.5, 0.5, 0, 1, 0.1)
    with pytest.raises(ConfigError, match="unknown detector"):
        run(s, "nope")
    with pytest.raises(ConfigError, match="unknown parameter"):
        run(s, "ais_gap", params={"ais_gap": {"min_gap": 3}})
    with pytest.raises(ConfigError, match="must be > 0"):
        run(s, "ais_gap", params={"ais_gap": {"min_gap_h": 0}})
    with pytest.raises(ConfigError, match="not run"):
        run(s, "ais_gap", params={"encounter": {}})


def test_event_ids_are_stable() -> None:
    s = Scene()
    _pair(s, 40.0, 134.5, 0.5, 4)
    a = [e["event_id"] for e in run(s, "encounter", "loitering")]
    b = [e["event_id"] for e in run(s, "encounter", "loitering")]
    assert a == b
    assert len(set(a)) == len(a)
