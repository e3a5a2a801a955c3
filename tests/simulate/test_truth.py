"""The truth is consistent with the generated data, event by event."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from armswatch.ais import decode_file
from armswatch.simulate import Simulation
from armswatch.simulate._geo import haversine_m
from armswatch.simulate._landmask import load_mask
from armswatch.simulate._motion import sample
from armswatch.simulate._ports import port_index

FIELDS = ["event_id", "type", "mmsi", "other_mmsi", "start_utc", "end_utc", "lat", "lon",
          "end_lat", "end_lon", "port", "confidence", "details"]


def ts(s: str) -> float:
    return datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()


def truth_of(sim: Simulation, kind: str) -> list[dict[str, object]]:
    return [e for e in sim.truth if e["type"] == kind]


def decoded_positions(folder: Path) -> dict[int, np.ndarray]:
    """Decoded (armswatch.ais) reception times per MMSI, sorted."""
    pos = decode_file(folder / "ais.nmea").positions
    mmsi = np.asarray(pos.column("mmsi").to_numpy(zero_copy_only=False))
    t = pos.column("ts_utc").cast("int64").to_numpy() / 1e6
    return {int(m): np.sort(t[mmsi == m]) for m in np.unique(mmsi)}


def test_truth_file_has_exactly_the_event_fields(written: dict[str, Path]) -> None:
    for folder in written.values():
        for line in (folder / "truth.jsonl").read_text().splitlines():
            e = json.loads(line)
            assert list(e) == FIELDS
            assert e["start_utc"].endswith("Z")
            assert e["end_utc"].endswith("Z")
            assert ts(e["start_utc"]) <= ts(e["end_utc"])
            assert e["confidence"] == 1.0
            assert isinstance(e["details"], dict)
            assert (e["other_mmsi"] is None) or e["type"] in ("encounter", "identity_change")


def test_every_scenario_has_its_pattern(sims: dict[str, Simulation]) -> None:
    def kinds(name: str) -> set[str]:
        return {str(e["type"]) for e in sims[name].truth}

    assert {"ais_gap", "dark_port_call", "port_call"} <= kinds("dprk_russia_shuttle")
    assert "encounter" in kinds("sts_transfer")
    assert "identity_change" in kinds("identity_swap")
    assert "spoofing" in kinds("spoofing")
    assert not kinds("background") & {"identity_change", "spoofing", "dark_port_call"}
    assert "port_call" in kinds("background")


def test_gaps_match_the_decoded_file_exactly(sims: dict[str, Simulation],
                                             written: dict[str, Path]) -> None:
    """Every ≥ 12 h silence of an MMSI in the decoded NMEA is a truth gap and vice versa,
    and no position lies inside a truth gap."""
    for name, folder in written.items():
        got = set()
        for m, t in decoded_positions(folder).items():
            for k in np.flatnonzero(np.diff(t) >= 12 * 3600):
                got.add((m, int(t[k]), int(t[k + 1])))
        want = {(int(e["mmsi"]), int(ts(str(e["start_utc"]))), int(ts(str(e["end_utc"]))))  # type: ignore[call-overload]
                for e in truth_of(sims[name], "ais_gap")}
        assert got == want, name


def test_dark_port_calls_are_gaps_around_a_real_visit(sims: dict[str, Simulation]) -> None:
    sim = sims["dprk_russia_shuttle"]
    gaps = {(e["mmsi"], e["start_utc"], e["end_utc"]) for e in truth_of(sim, "ais_gap")}
    dark = truth_of(sim, "dark_port_call")
    assert dark
    rajin = port_index()["KP-RJN"]
    for e in dark:
        assert (e["mmsi"], e["start_utc"], e["end_utc"]) in gaps
        assert e["port"] == "KP-RJN"
        d = e["details"]
        assert isinstance(d, dict)
        a, b = ts(d["arrived_utc"]), ts(d["departed_utc"])
        assert ts(str(e["start_utc"])) < a < b < ts(str(e["end_utc"]))
        script = next(s for s in sim.scripts if s.identities[0][1].mmsi == e["mmsi"])
        st = sample(script.legs, np.array([(a + b) / 2]))
        assert haversine_m(st.lat[0], st.lon[0], rajin.lat, rajin.lon) <= rajin.radius_m


def test_shuttles_reappear_at_a_russian_port(sims: dict[str, Simulation]) -> None:
    sim = sims["dprk_russia_shuttle"]
    calls = truth_of(sim, "port_call")
    for e in truth_of(sim, "dark_port_call"):
        after = [c for c in calls if c["mmsi"] == e["mmsi"]
                 and ts(str(c["start_utc"])) >= ts(str(e["end_utc"]))]
        if after:
            assert after[0]["port"] in ("RU-VYP", "RU-DUNAY")


def test_encounters_really_within_500_m(sims: dict[str, Simulation]) -> None:
    sim = sims["sts_transfer"]
    enc = truth_of(sim, "encounter")
    assert enc
    by_mmsi = {s.identities[0][1].mmsi: s for s in sim.scripts}
    lat_p = np.array([p.lat for p in port_index().values()])
    lon_p = np.array([p.lon for p in port_index().values()])
    for e in enc:
        a, b = by_mmsi[int(e["mmsi"])], by_mmsi[int(e["other_mmsi"])]  # type: ignore[call-overload]
        t0, t1 = ts(str(e["start_utc"])), ts(str(e["end_utc"]))
        assert t1 - t0 >= 2 * 3600
        t = np.arange(t0, t1 + 1, 300.0)
        sa, sb = sample(a.legs, t), sample(b.legs, t)
        assert (haversine_m(sa.lat, sa.lon, sb.lat, sb.lon) <= 500).all()
        assert np.median(sa.sog_kn) < 2
        assert np.median(sb.sog_kn) < 2
        d_port = haversine_m(sa.lat[:, None], sa.lon[:, None], lat_p[None, :], lon_p[None, :])
        assert d_port.min() >= 10_000


def test_dark_partner_gives_no_encounter(sims: dict[str, Simulation]) -> None:
    sim = sims["sts_transfer"]
    dark = [s for s in sim.scripts if any(c == "dark_sts" for _, _, c in s.off)]
    assert dark
    pair_mmsis = {int(m) for e in truth_of(sim, "encounter")  # type: ignore[call-overload]
                  for m in (e["mmsi"], e["other_mmsi"])}
    assert dark[0].identities[0][1].mmsi not in pair_mmsis


def test_port_calls_observed_inside_the_port(sims: dict[str, Simulation]) -> None:
    for sim in sims.values():
        pos = sim.positions
        for e in truth_of(sim, "port_call"):
            port = port_index()[str(e["port"])]
            t0, t1 = ts(str(e["start_utc"])), ts(str(e["end_utc"]))
            m = ((sim.pos_mmsi == e["mmsi"]) & (pos.rx_t >= t0) & (pos.rx_t <= t1 + 60)
                 & sim.pos_noise.decodable)
            d = haversine_m(pos.extra["lat"][m], pos.extra["lon"][m], port.lat, port.lon)
            assert (d <= port.radius_m + 50).any()


def test_loitering_is_slow_and_away_from_ports(sims: dict[str, Simulation]) -> None:
    for sim in sims.values():
        by_mmsi = {ident.mmsi: s for s in sim.scripts for _, ident in s.identities}
        for e in truth_of(sim, "loitering"):
            t0, t1 = ts(str(e["start_utc"])), ts(str(e["end_utc"]))
            assert t1 - t0 >= 8 * 3600
            st = sample(by_mmsi[int(e["mmsi"])].legs, np.arange(t0, t1, 600.0))  # type: ignore[call-overload]
            assert (st.sog_kn < 2).all()
            # the archive shows ≥ 8 h of it
            rx = sim.positions.rx_t[(sim.pos_mmsi == e["mmsi"]) & sim.pos_noise.decodable]
            inside = rx[(rx >= t0) & (rx <= t1 + 60)]
            assert inside.max() - inside.min() >= 8 * 3600 - 2


def test_spoofed_positions_all_inside_truth_episodes(sims: dict[str, Simulation]) -> None:
    sim = sims["spoofing"]
    pos = sim.positions
    ok = sim.pos_noise.decodable
    spoofed = np.flatnonzero(ok & (pos.extra["spoof"] >= 0))
    assert spoofed.size
    episodes = [(e["mmsi"], ts(e["details"]["first_false_utc"]),  # type: ignore[index]
                 ts(e["details"]["last_false_utc"]) + 1)  # type: ignore[index]
                for e in truth_of(sim, "spoofing")]
    for e in truth_of(sim, "spoofing"):  # the span brackets the false positions
        assert ts(str(e["start_utc"])) <= ts(e["details"]["first_false_utc"])  # type: ignore[index]
        assert ts(str(e["end_utc"])) >= ts(e["details"]["last_false_utc"])  # type: ignore[index]
    for i in spoofed:
        assert any(m == sim.pos_mmsi[i] and a <= pos.rx_t[i] <= b for m, a, b in episodes)
    kinds = {e["details"]["kind"] for e in truth_of(sim, "spoofing")}  # type: ignore[index]
    assert {"offset_track", "on_land", "circle"} <= kinds
    on_land = truth_of(sim, "spoofing")
    for e in on_land:
        if e["details"]["kind"] in ("on_land", "circle"):  # type: ignore[index]
            assert load_mask().is_land(np.array([e["lat"]]), np.array([e["lon"]]))[0]


def test_innocent_positions_never_on_land(sims: dict[str, Simulation]) -> None:
    for sim in sims.values():
        pos = sim.positions
        honest = pos.extra["spoof"] < 0
        assert not load_mask().is_land(pos.extra["true_lat"], pos.extra["true_lon"]).any()
        assert not load_mask().is_land(pos.extra["lat"][honest], pos.extra["lon"][honest]).any()


def test_identity_changes_visible_in_the_statics(sims: dict[str, Simulation],
                                                 written: dict[str, Path]) -> None:
    sim = sims["identity_swap"]
    st = decode_file(written["identity_swap"] / "ais.nmea").statics
    rows = st.to_pylist()
    changes = truth_of(sim, "identity_change")
    kinds = set()
    for e in changes:
        d = e["details"]
        assert isinstance(d, dict)
        kinds.add(d["kind"])
        if d["kind"] != "broadcast_change":
            continue
        changed = d["changed"]
        new_mmsi = int(e["mmsi"]) if e["other_mmsi"] is None else None  # type: ignore[call-overload]
        if "mmsi" in changed:
            olds, news = changed["mmsi"]
            assert {e["mmsi"], e["other_mmsi"]} == {olds, news}
            assert any(r["mmsi"] == news for r in rows)
            assert any(r["mmsi"] == olds for r in rows)
        elif "name" in changed:
            old, new = changed["name"]
            names = {r["name"] for r in rows if r["mmsi"] == new_mmsi}
            assert {old, new} <= names
    assert kinds == {"broadcast_change", "shared_imo"}


@pytest.mark.parametrize("name", ["sts_transfer", "background"])
def test_truth_vessels_exist_in_the_data(sims: dict[str, Simulation], name: str) -> None:
    sim = sims[name]
    mmsis = set(sim.pos_mmsi.tolist())
    for e in sim.truth:
        assert e["mmsi"] in mmsis
