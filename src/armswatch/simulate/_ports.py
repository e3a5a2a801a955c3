"""The simulator's port table: ports of concern plus ordinary ports, with berths at sea.

* Ports of concern: :func:`armswatch.geo.load_ports` (cited, with their own radius).
* Ordinary ports: the port list that ships inside the ``searoute`` package
  (``searoute/data/ports.geojson``, Apache-2.0; UN/LOCODE, name, country) inside the
  simulation region, with :data:`ORDINARY_RADIUS_M`. A searoute port lying within a
  port of concern's radius is the same harbour and is dropped.

Each port gets a *berth* (the nearest safe-water cell of the land mask to the port's
position, within :data:`BERTH_MAX_M`) and an *anchorage* (safe water 35–60 % of the
radius away, reachable in a straight line): port positions in these lists are usually
town centres on land, and a simulated ship must not report a position on land.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from armswatch.geo import load_ports
from armswatch.simulate._geo import haversine_m, offset_m
from armswatch.simulate._landmask import REGIONS, load_mask
from armswatch.simulate._routes import straight_route

ORDINARY_RADIUS_M = 5000.0
BERTH_MAX_M = 4000.0


@dataclass(frozen=True)
class SimPort:
    port_id: str
    name: str
    country: str
    lat: float
    lon: float
    radius_m: float
    roles: tuple[str, ...]
    major: bool  # a main commercial port (searoute "t" flag) or a port of concern
    berth: tuple[float, float] | None
    anchorage: tuple[float, float] | None

    def has_role(self, role: str) -> bool:
        return role in self.roles


def _searoute_ports() -> list[dict[str, object]]:
    import searoute

    path = Path(searoute.__file__).parent / "data" / "ports.geojson"
    feats: list[dict[str, object]] = json.loads(path.read_text(encoding="utf-8"))["features"]
    return feats


def _in_region(lat: float, lon: float) -> bool:
    return any(lo0 <= lon < lo1 and la0 <= lat < la1 for _, lo0, la0, lo1, la1 in REGIONS)


def _anchorage(berth: tuple[float, float], center: tuple[float, float], radius_m: float,
               key: int) -> tuple[float, float] | None:
    mask = load_mask()
    for k in range(24):
        ang = math.radians((key * 37 + k * 15) % 360)
        dist = radius_m * (0.35 + 0.25 * ((key + k) % 5) / 4)
        lat, lon = offset_m(berth[0], berth[1], dist * math.cos(ang), dist * math.sin(ang))
        la, lo = float(lat), float(lon)
        if haversine_m(la, lo, center[0], center[1]) > 0.7 * radius_m:
            continue
        if not mask.is_safe_water(np.array([la]), np.array([lo]))[0]:
            continue
        if straight_route(berth, (la, lo)) is not None:
            return la, lo
    return None


def _finish(port_id: str, name: str, country: str, lat: float, lon: float, radius: float,
            roles: tuple[str, ...], major: bool) -> SimPort:
    mask = load_mask()
    reach_km = min(BERTH_MAX_M, radius * 0.8) / 1000.0
    berth = mask.nearest_safe_water(lat, lon, reach_km)
    if berth is None:  # a narrow harbour: any water cell will do
        berth = mask.nearest_safe_water(lat, lon, reach_km, safe=False)
    anch = None
    if berth is not None:
        anch = _anchorage(berth, (lat, lon), radius, sum(map(ord, port_id)))
    return SimPort(port_id, name, country, lat, lon, radius, roles, major, berth, anch)


@cache
def sim_ports() -> tuple[SimPort, ...]:
    """Every port the simulator knows in its region (the truth's port table)."""
    out: list[SimPort] = []
    concern = [p for p in load_ports() if _in_region(p.lat, p.lon)]
    for p in concern:
        out.append(_finish(p.port_id, p.name, p.country, p.lat, p.lon, p.radius_m, p.roles, True))
    for f in _searoute_ports():
        lon, lat = (float(v) for v in f["geometry"]["coordinates"])  # type: ignore[index]
        if not _in_region(lat, lon):
            continue
        props: dict[str, object] = f["properties"]  # type: ignore[assignment]
        code = str(props.get("port") or "")
        if len(code) != 5:
            continue
        if any(haversine_m(lat, lon, c.lat, c.lon) <= c.radius_m for c in concern):
            continue
        out.append(
            _finish(f"{code[:2]}-{code[2:]}", str(props.get("name") or code), code[:2], lat, lon,
                    ORDINARY_RADIUS_M, (), props.get("t") == 1.0)
        )
    return tuple(out)


@cache
def port_index() -> dict[str, SimPort]:
    return {p.port_id: p for p in sim_ports()}


def ports_arrays() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(lat, lon, radius_m) arrays in :func:`sim_ports` order."""
    ports = sim_ports()
    return (
        np.array([p.lat for p in ports]),
        np.array([p.lon for p in ports]),
        np.array([p.radius_m for p in ports]),
    )
