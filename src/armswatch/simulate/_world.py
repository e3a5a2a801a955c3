"""Building blocks of scenarios: port choice, routes, and innocent vessels' lives.

Innocent behaviour drawn here (all of it recorded by the truth when it meets an event
definition): voyages between major ports along sea lanes, port calls (sometimes after
waiting at the port's anchorage), tankers drifting offshore "for orders" (loitering),
class B fishing boats trawling or drifting at a fishing ground, and transponders left off
in port (gaps) — the last only far from North Korea, where a long innocent gap would be
indistinguishable by definition from a dark port call.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from armswatch.simulate._geo import KN_TO_MS, haversine_m, offset_m
from armswatch.simulate._identity import (
    INNOCENT_FLAG_WEIGHTS,
    INNOCENT_FLAGS,
    Identity,
    random_identity,
)
from armswatch.simulate._landmask import load_mask
from armswatch.simulate._motion import NAV_ANCHORED, NAV_MOORED, PlanBuilder
from armswatch.simulate._ports import SimPort, ports_arrays, sim_ports
from armswatch.simulate._routes import Route, sea_route, straight_route
from armswatch.simulate._script import VesselScript

H = 3600.0
DAY = 86400.0
CRUISE_KN = {"cargo": (10.0, 14.0), "container": (15.0, 20.0), "tanker": (11.0, 14.0),
             "fishing": (7.0, 9.0)}
NO_INNOCENT_GAP_KM = 500.0  # no innocent transponder-off within this of a DPRK port

# Main commercial ports of the region that innocent merchant ships trade between
# (UN/LOCODE-based ids of the searoute port list; Russian ones from the ports of concern).
TRADING_PORTS = (
    "CN-DLC", "CN-TAO", "CN-XIP", "CN-ZOS", "CN-LYG", "CN-RZH", "CN-YNT", "CN-XMN", "CN-SHA",
    "CN-WEI", "KR-PUS", "KR-INC", "KR-KAN", "KR-USN", "KR-PTK", "KR-TSN", "JP-YOK", "JP-UKB",
    "JP-NGO", "JP-TMK", "JP-HKT", "JP-MOJ", "JP-SMN", "JP-TRG", "JP-TOY", "JP-AXT", "JP-OSA",
    "JP-CHB", "JP-MUR", "JP-NGS", "JP-SDJ", "RU-VVO", "RU-NJK", "RU-VYP", "RU-KOR", "RU-ZAR",
    "TW-KEL", "TW-TXG",
)


@dataclass
class World:
    t0: float
    t1: float

    def __post_init__(self) -> None:
        self.ports = sim_ports()
        self.by_id = {p.port_id: p for p in self.ports}
        self.plat, self.plon, self.prad = ports_arrays()
        dprk = [p for p in self.ports if p.has_role("dprk_port")]
        self.major = [self.by_id[c] for c in TRADING_PORTS
                      if c in self.by_id and self.by_id[c].berth is not None]
        self.minor = [p for p in self.ports if not p.major and p.berth is not None]
        self._dprk = dprk

    # --- geometry helpers -------------------------------------------------------------
    def port_distance_m(self, lat: float, lon: float) -> float:
        """Distance to the nearest port's position (not its radius edge)."""
        return float(haversine_m(lat, lon, self.plat, self.plon).min())

    def clear_of_ports(self, lat: float, lon: float, margin_m: float) -> bool:
        d = haversine_m(lat, lon, self.plat, self.plon)
        return bool((d >= self.prad + margin_m).all())

    def tile_ok(self, lat: float, lon: float) -> bool:
        """Inside the land mask's tiles (where land tests mean something)."""
        return load_mask().tile_for(lat, lon) is not None

    def far_from_dprk(self, p: SimPort) -> bool:
        return all(haversine_m(p.lat, p.lon, d.lat, d.lon) > NO_INNOCENT_GAP_KM * 1000
                   for d in self._dprk)

    def open_sea(self, lat: float, lon: float, *, coast_km: float = 5.0,
                 port_margin_m: float = 15_000.0) -> bool:
        mask = load_mask()
        a, o = np.array([lat]), np.array([lon])
        return (bool(mask.is_safe_water(a, o)[0]) and float(mask.coast_km(a, o)[0]) >= coast_km
                and self.clear_of_ports(lat, lon, port_margin_m))

    def route(self, a: SimPort, b: SimPort) -> Route | None:
        if a.berth is None or b.berth is None:
            return None
        return sea_route(a.berth, b.berth)

    def pick_destination(self, rng: np.random.Generator, frm: SimPort,
                         candidates: list[SimPort] | None = None, max_km: float = 2000.0,
                         min_km: float = 60.0) -> tuple[SimPort, Route] | None:
        pool = [p for p in (candidates or self.major) if p.port_id != frm.port_id
                and min_km * 1000 <= haversine_m(frm.lat, frm.lon, p.lat, p.lon) <= max_km * 1000]
        if not pool:
            return None
        for k in rng.permutation(len(pool))[:12]:
            dest = pool[int(k)]
            r = self.route(frm, dest)
            if r is not None and r.length_m < max_km * 1400:
                return dest, r
        return None

    def first_voyage(self, rng: np.random.Generator, candidates: list[SimPort] | None = None
                     ) -> tuple[SimPort, SimPort, Route, float]:
        """A voyage under way at the window start: (from, to, route, start distance)."""
        pool = candidates or self.major
        for _ in range(50):
            a = pool[int(rng.integers(len(pool)))]
            got = self.pick_destination(rng, a, pool)
            if got is None:
                continue
            b, r = got
            lo, hi = a.radius_m + 5000.0, r.length_m - b.radius_m - 5000.0
            if hi <= lo:
                continue
            return a, b, r, float(rng.uniform(lo, hi))
        raise RuntimeError("no usable voyage found in the simulation region")


def safe_drift(world: World, rng: np.random.Generator, lat: float, lon: float,
               max_kn: float) -> tuple[float, float] | None:
    """(peak speed kn, direction) of a tidal drift that stays in safe water and clear of
    ports around (lat, lon), or None."""
    speed = max_kn
    for _ in range(3):
        amp = speed * KN_TO_MS * 44_712.0 / (2 * math.pi) + 200.0
        start = float(rng.uniform(0, 180))
        for k in range(12):
            d = (start + 15.0 * k) % 180.0
            rad = math.radians(d)
            la, lo = offset_m(lat, lon, amp * np.array([math.cos(rad), -math.cos(rad)]),
                              amp * np.array([math.sin(rad), -math.sin(rad)]))
            ends = [(float(la[0]), float(lo[0])), (float(la[1]), float(lo[1]))]
            if all(world.clear_of_ports(a, o, 10_000.0) for a, o in ends) and \
                    straight_route(ends[0], ends[1]) is not None and \
                    bool(load_mask().is_safe_water(la, lo).all()):
                return speed, float(d if rng.random() < 0.5 else d + 180.0)
        speed /= 2
    return None


def moor_heading(rng: np.random.Generator) -> float:
    return float(rng.uniform(0, 360))


def port_call(world: World, rng: np.random.Generator, pb: PlanBuilder, script: VesselScript,
              port: SimPort, moor_s: float, *, allow_off: bool = True) -> None:
    """Moored at ``port`` (already at its berth) for ``moor_s``; sometimes the transponder
    stays off for part of it (innocent, far from North Korea only)."""
    if allow_off and rng.random() < 0.05 and world.far_from_dprk(port):
        off_s = float(rng.uniform(13, 40)) * H
        moor_s = max(moor_s, off_s + 3 * H)
        start = pb.t + float(rng.uniform(1, 2)) * H
        script.off.append((start, start + off_s, "off_in_port"))
    pb.stop(moor_s, NAV_MOORED, heading=moor_heading(rng))


def arrive(world: World, rng: np.random.Generator, pb: PlanBuilder, route: Route, speed: float,
           port: SimPort, *, s0_m: float = 0.0, depart: bool = True, may_wait: bool = True,
           may_drift: bool = False) -> None:
    """Sail ``route`` into ``port``: maybe drift offshore first, maybe anchor first."""
    s_start = s0_m
    if may_drift and rng.random() < 0.2:
        s_w = route.length_m - float(rng.uniform(60, 160)) * 1000
        if s_w > s_start + 20_000:
            lat = float(np.interp(s_w, route.dist_m, route.lat))
            lon = float(np.interp(s_w, route.dist_m, route.lon))
            drift = (safe_drift(world, rng, lat, lon, float(rng.uniform(0.3, 1.2)))
                     if world.open_sea(lat, lon, coast_km=8.0, port_margin_m=20_000.0) else None)
            if drift is not None:
                pb.sail(route, speed, s0_m=s_start, s1_m=s_w,
                        depart_m=4000.0 if depart and s_start == 0 else 0.0)
                pb.drift(float(rng.uniform(9, 30)) * H, drift[0], drift[1],
                         heading=float(rng.uniform(0, 360)))
                back = straight_route((pb.lat, pb.lon), (lat, lon))
                if back is not None and back.length_m > 50:
                    pb.sail(back, 5.0)
                s_start, depart = s_w, False
    if may_wait and port.anchorage is not None and rng.random() < 0.35 and port.berth:
        inner = straight_route(port.anchorage, port.berth)
        # sail the lane to its end, then detour to the anchorage inside the port radius
        pb.sail(route, speed, s0_m=s_start, approach_m=6000.0,
                depart_m=4000.0 if depart and s_start == 0 else 0.0)
        to_anch = straight_route((pb.lat, pb.lon), port.anchorage)
        if to_anch is not None and inner is not None:
            pb.sail(to_anch, 5.0)
            pb.stop(float(rng.uniform(3, 20)) * H, NAV_ANCHORED, heading=moor_heading(rng),
                    swing_m=float(rng.uniform(50, 120)))
            pb.sail(inner, 4.0)
        return
    pb.sail(route, speed, s0_m=s_start, approach_m=6000.0,
            depart_m=4000.0 if depart and s_start == 0 else 0.0)


def route_start(route: Route, s: float) -> tuple[float, float]:
    return (float(np.interp(s, route.dist_m, route.lat)),
            float(np.interp(s, route.dist_m, route.lon)))


def trading_life(world: World, rng: np.random.Generator, pb: PlanBuilder, script: VesselScript,
                 at: SimPort, kind: str, speed: float, until: float, *,
                 allow_off: bool = True) -> None:
    """Port calls and voyages between major ports until ``until``; starts at the berth of
    ``at`` right after arriving."""
    port = at
    while pb.t < until:
        port_call(world, rng, pb, script, port, float(rng.uniform(8, 36)) * H,
                  allow_off=allow_off)
        got = world.pick_destination(rng, port)
        if got is None:
            pb.hold_until(until + H)
            return
        nxt, r = got
        script.destinations.append((pb.t, nxt.name.upper()[:20]))
        arrive(world, rng, pb, r, speed, nxt, may_drift=kind == "tanker")
        port = nxt


def pick_flag(rng: np.random.Generator) -> str:
    return str(rng.choice(INNOCENT_FLAGS, p=np.array(INNOCENT_FLAG_WEIGHTS)
                          / sum(INNOCENT_FLAG_WEIGHTS)))


def innocent_merchant(world: World, rng: np.random.Generator, key: int,
                      kind: str | None = None, identity: Identity | None = None,
                      role: str = "innocent") -> VesselScript:
    kind = kind or str(rng.choice(["cargo", "container", "tanker"], p=[0.45, 0.25, 0.30]))
    ident = identity or random_identity(rng, kind, pick_flag(rng))
    speed = float(rng.uniform(*CRUISE_KN[kind]))
    _, b, r, s0 = world.first_voyage(rng)
    lat, lon = route_start(r, s0)
    pb = PlanBuilder(world.t0, lat, lon)
    script = VesselScript(key, role, False, pb.legs, [(world.t0 - DAY, ident)])
    script.destinations.append((world.t0 - DAY, b.name.upper()[:20]))
    arrive(world, rng, pb, r, speed, b, s0_m=s0, depart=False, may_drift=kind == "tanker")
    trading_life(world, rng, pb, script, b, kind, speed, world.t1)
    return script


def fishing_ground(world: World, rng: np.random.Generator, home: SimPort
                   ) -> tuple[tuple[float, float], Route] | None:
    assert home.berth is not None
    for _ in range(30):
        ang = float(rng.uniform(0, 2 * math.pi))
        dist = float(rng.uniform(15, 45)) * 1000
        lat, lon = offset_m(home.berth[0], home.berth[1], dist * math.cos(ang),
                            dist * math.sin(ang))
        g = (float(lat), float(lon))
        if not world.open_sea(g[0], g[1], coast_km=3.0, port_margin_m=12_000.0):
            continue
        r = sea_route(home.berth, g)
        if r is not None and r.length_m < 90_000:
            return g, r
    return None


def _trawl_path(world: World, rng: np.random.Generator, g: tuple[float, float]) -> Route | None:
    pts = [g]
    for _ in range(5):
        for _ in range(10):
            ang = float(rng.uniform(0, 2 * math.pi))
            la, lo = offset_m(pts[-1][0], pts[-1][1], 3000 * math.cos(ang), 3000 * math.sin(ang))
            cand = (float(la), float(lo))
            if world.open_sea(cand[0], cand[1], coast_km=2.0, port_margin_m=10_000.0) and \
                    straight_route(pts[-1], cand) is not None:
                pts.append(cand)
                break
    if len(pts) < 3:
        return None
    lat = np.array([p[0] for p in pts] + [p[0] for p in reversed(pts[:-1])])
    lon = np.array([p[1] for p in pts] + [p[1] for p in reversed(pts[:-1])])
    return Route.from_points(lat, lon)


def innocent_fisher(world: World, rng: np.random.Generator, key: int) -> VesselScript:
    """A class B fishing boat making day trips from a home port."""
    pool = [p for p in world.ports if p.berth is not None and not p.has_role("dprk_port")
            and not p.has_role("russian_military")]
    for _ in range(50):
        home = pool[int(rng.integers(len(pool)))]
        got = fishing_ground(world, rng, home)
        if got is not None:
            break
    else:
        raise RuntimeError("no fishing ground found")
    g, r = got
    ident = random_identity(rng, "fishing", pick_flag(rng), class_b=True)
    pb = PlanBuilder(world.t0, g[0], g[1])
    script = VesselScript(key, "innocent", True, pb.legs, [(world.t0 - DAY, ident)])
    first = True
    while pb.t < world.t1:
        if not first:
            got = fishing_ground(world, rng, home)
            if got is None:
                pb.hold_until(world.t1 + H)
                break
            g, r = got
            pb.sail(r, float(rng.uniform(7, 9)), depart_m=2000.0)
        hours = float(rng.uniform(1, 5) if first else rng.uniform(5, 12))
        trawl = _trawl_path(world, rng, g) if rng.random() < 0.6 else None
        if trawl is not None:
            v = float(rng.uniform(2.6, 4.0))
            t_end = pb.t + hours * H
            while pb.t < t_end:
                pb.sail(trawl, v)
        else:
            drift = safe_drift(world, rng, pb.lat, pb.lon, float(rng.uniform(0.3, 1.0)))
            if drift is None:
                pb.stop(hours * H, 0, heading=float(rng.uniform(0, 360)))
            else:
                pb.drift(hours * H, drift[0], drift[1], heading=float(rng.uniform(0, 360)))
        back = sea_route((pb.lat, pb.lon), home.berth) if home.berth else None
        if back is None:
            pb.hold_until(world.t1 + H)
            break
        pb.sail(back, float(rng.uniform(7, 9)), approach_m=2000.0, approach_kn=4.0)
        pb.stop(float(rng.uniform(10, 16)) * H, NAV_MOORED, heading=moor_heading(rng))
        first = False
    return script

