"""Land mask, ports, routes: the geography the simulator relies on."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from armswatch.simulate._geo import haversine_m
from armswatch.simulate._landmask import load_mask
from armswatch.simulate._ports import port_index, sim_ports
from armswatch.simulate._routes import sea_route
from armswatch.simulate._world import TRADING_PORTS


def test_known_points() -> None:
    m = load_mask()
    # open sea (Sea of Japan), Rajin harbour water, Honshu inland, Seoul
    lat = np.array([40.0, 42.20, 36.0, 37.55])
    lon = np.array([135.0, 130.29, 138.0, 126.98])
    assert m.is_land(lat, lon).tolist() == [False, False, True, True]
    assert m.coast_km(np.array([40.0]), np.array([135.0]))[0] > 100
    assert not m.is_land(np.array([0.0]), np.array([0.0]))[0]  # outside the tiles: unknown


def test_ports_have_berths_at_sea_inside_their_radius() -> None:
    ports = sim_ports()
    assert {"KP-RJN", "RU-VYP", "RU-DUNAY", "RU-VVO"} <= set(port_index())
    mask = load_mask()
    for p in ports:
        for spot in (p.berth, p.anchorage):
            if spot is None:
                continue
            assert not mask.is_land(np.array([spot[0]]), np.array([spot[1]]))[0]
            assert haversine_m(spot[0], spot[1], p.lat, p.lon) <= p.radius_m
    for pid in TRADING_PORTS:
        assert port_index()[pid].berth is not None


def test_repaired_routes_stay_at_sea() -> None:
    idx = port_index()
    mask = load_mask()
    for a, b in [("RU-VYP", "KP-RJN"), ("KR-PUS", "CN-TAO"), ("JP-HKT", "RU-VVO")]:
        pa, pb = idx[a], idx[b]
        assert pa.berth is not None
        assert pb.berth is not None
        r = sea_route(pa.berth, pb.berth)
        assert r is not None
        assert not mask.is_land(r.lat, r.lon).any()
        assert (np.diff(r.dist_m) <= 600).all()
        assert r.length_m > haversine_m(pa.lat, pa.lon, pb.lat, pb.lon) * 0.9


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("global_land_mask") is None,
                    reason="global-land-mask not installed (development tool only)")
def test_tile_equals_global_land_mask() -> None:
    from global_land_mask import globe  # loads a 1 GB grid: slow

    rng = np.random.default_rng(0)
    lat = rng.uniform(24.0, 52.0, 20_000)
    lon = rng.uniform(117.0, 146.0, 20_000)
    ours = load_mask().is_land(lat, lon)
    theirs = globe.is_land(lat, lon)
    assert (ours == theirs).mean() > 0.999  # cell-edge rounding only
