"""Vessel motion: a plan is a gap-free sequence of legs; a leg's state is a pure function
of time. No randomness here (plans are drawn by the scenarios, noise by the receiver)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from armswatch.simulate._geo import KN_TO_MS, FloatArray, bearing_deg, offset_m
from armswatch.simulate._routes import Route

NAV_UNDERWAY = 0
NAV_ANCHORED = 1
NAV_MOORED = 5
NAV_FISHING = 7


@dataclass(frozen=True)
class States:
    """True state of one vessel at the sampled times."""

    t: FloatArray
    lat: FloatArray
    lon: FloatArray
    sog_kn: FloatArray
    cog_deg: FloatArray
    heading_deg: FloatArray
    nav_status: npt.NDArray[np.int8]

    def take(self, idx: npt.NDArray[np.intp] | npt.NDArray[np.bool_]) -> States:
        return States(self.t[idx], self.lat[idx], self.lon[idx], self.sog_kn[idx],
                      self.cog_deg[idx], self.heading_deg[idx], self.nav_status[idx])


@dataclass(frozen=True)
class Leg:
    t0: float
    t1: float
    nav_status: int

    def fill(self, t: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray,
                                           FloatArray]:
        raise NotImplementedError

    @property
    def speed_kn(self) -> float:
        raise NotImplementedError

    def end_position(self) -> tuple[float, float]:
        s = self.fill(np.array([self.t1]))
        return float(s[0][0]), float(s[1][0])


@dataclass(frozen=True)
class SailLeg(Leg):
    """Constant speed along ``route`` from distance ``s0_m`` to ``s1_m``."""

    route: Route = field(repr=False, default=None)  # type: ignore[assignment]
    s0_m: float = 0.0
    s1_m: float = 0.0

    @property
    def speed_kn(self) -> float:
        return abs(self.s1_m - self.s0_m) / max(1.0, self.t1 - self.t0) / KN_TO_MS

    def fill(self, t: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray,
                                           FloatArray]:
        r = self.route
        frac = np.clip((t - self.t0) / max(1.0, self.t1 - self.t0), 0.0, 1.0)
        s = self.s0_m + (self.s1_m - self.s0_m) * frac
        lat = np.interp(s, r.dist_m, r.lat)
        lon = np.interp(s, r.dist_m, r.lon)
        seg = np.clip(np.searchsorted(r.dist_m, s, side="right") - 1, 0, r.lat.size - 2)
        cog = bearing_deg(r.lat[seg], r.lon[seg], r.lat[seg + 1], r.lon[seg + 1])
        if self.s1_m < self.s0_m:
            cog = (cog + 180.0) % 360.0
        sog = np.full(t.shape, self.speed_kn)
        return lat, lon, sog, cog, cog.copy()


@dataclass(frozen=True)
class StopLeg(Leg):
    """Moored (fixed) or at anchor (swinging slowly round the anchor)."""

    lat: float = 0.0
    lon: float = 0.0
    heading: float = 0.0
    swing_m: float = 0.0
    swing_period_s: float = 7200.0

    @property
    def speed_kn(self) -> float:
        return 2 * math.pi * self.swing_m / self.swing_period_s / KN_TO_MS

    def fill(self, t: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray,
                                           FloatArray]:
        n = t.shape
        if self.swing_m > 0:
            ph = 2 * math.pi * (t - self.t0) / self.swing_period_s
            lat, lon = offset_m(self.lat, self.lon, self.swing_m * np.cos(ph),
                                self.swing_m * np.sin(ph))
            cog = (np.degrees(ph) + 90.0) % 360.0
            head = (self.heading + 40.0 * np.sin(ph)) % 360.0
            return lat, lon, np.full(n, self.speed_kn), cog, head
        return (np.full(n, self.lat), np.full(n, self.lon), np.zeros(n), np.full(n, self.heading),
                np.full(n, self.heading))


@dataclass(frozen=True)
class DriftLeg(Leg):
    """Drifting at sea with a tidal current, engine stopped: the position swings along
    ``dir_deg`` as ``p(t) = p0 + amp_m · sin(2π (t - ref_t) / period_s) + offset``, so the
    speed over ground varies between 0 and ``amp_m · 2π / period_s`` and the vessel stays
    within ``amp_m`` of ``p0``.

    Two vessels lying alongside share ``p0``, ``amp_m``, ``dir_deg`` and ``ref_t`` and
    differ by the offset, so each can be evaluated on its own."""

    lat0: float = 0.0
    lon0: float = 0.0
    ref_t: float = 0.0
    amp_m: float = 0.0
    period_s: float = 44_712.0  # semidiurnal tide, 12 h 25 min
    dir_deg: float = 0.0
    heading: float = 0.0
    north_off_m: float = 0.0
    east_off_m: float = 0.0

    @property
    def speed_kn(self) -> float:
        return self.amp_m * 2 * math.pi / self.period_s / KN_TO_MS

    def fill(self, t: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray,
                                           FloatArray]:
        n = t.shape
        w = 2 * math.pi / self.period_s
        ph = w * (t - self.ref_t)
        d = self.amp_m * np.sin(ph)
        rad = math.radians(self.dir_deg)
        lat, lon = offset_m(self.lat0, self.lon0, d * math.cos(rad) + self.north_off_m,
                            d * math.sin(rad) + self.east_off_m)
        c = np.cos(ph)
        sog = np.abs(self.amp_m * w * c) / KN_TO_MS
        cog = np.where(c >= 0, self.dir_deg, self.dir_deg + 180.0) % 360.0
        return lat, lon, sog, cog, np.full(n, self.heading)


def sample(legs: Sequence[Leg], t: FloatArray) -> States:
    """States at times ``t`` (clamped into the plan's span)."""
    t = np.asarray(t, dtype=np.float64)
    starts = np.array([leg.t0 for leg in legs])
    idx = np.clip(np.searchsorted(starts, t, side="right") - 1, 0, len(legs) - 1)
    lat = np.empty(t.shape)
    lon = np.empty(t.shape)
    sog = np.empty(t.shape)
    cog = np.empty(t.shape)
    head = np.empty(t.shape)
    nav = np.empty(t.shape, dtype=np.int8)
    for k in np.unique(idx):
        m = idx == k
        leg = legs[int(k)]
        lat[m], lon[m], sog[m], cog[m], head[m] = leg.fill(t[m])
        nav[m] = leg.nav_status
    return States(t, lat, lon, sog, cog, head, nav)


def report_interval_s(leg: Leg, class_b: bool) -> float:
    """Nominal reporting interval, ITU-R M.1371-5 Annex 1 Table 1 (class A) and Table 2
    (class B "CS"). Course changes (3⅓ s / 2 s) are not modelled."""
    v = leg.speed_kn
    if class_b:
        return 30.0 if v > 2.0 else 180.0
    if leg.nav_status in (NAV_ANCHORED, NAV_MOORED) and v <= 3.0:
        return 180.0
    if v <= 14.0:
        return 10.0
    if v <= 23.0:
        return 6.0
    return 2.0


class PlanBuilder:
    """Appends legs one after another, tracking time and position."""

    def __init__(self, t: float, lat: float, lon: float) -> None:
        self.legs: list[Leg] = []
        self.t = t
        self.lat = lat
        self.lon = lon

    def push(self, leg: Leg) -> Leg:
        self.legs.append(leg)
        self.t = leg.t1
        self.lat, self.lon = leg.end_position()
        return leg

    def sail(self, route: Route, speed_kn: float, *, s0_m: float = 0.0, s1_m: float | None = None,
             approach_m: float = 0.0, approach_kn: float = 6.0, depart_m: float = 0.0,
             nav_status: int = NAV_UNDERWAY) -> None:
        """Sail ``route`` from ``s0_m`` to ``s1_m``, slower over the first ``depart_m`` and
        the last ``approach_m`` metres (harbour manoeuvring)."""
        end = route.length_m if s1_m is None else s1_m
        total = end - s0_m
        if total <= 0:
            return
        dep = min(depart_m, total / 3)
        app = min(approach_m, total / 3)
        pieces = [(s0_m, s0_m + dep, approach_kn), (s0_m + dep, end - app, speed_kn),
                  (end - app, end, approach_kn)]
        for a, b, v in pieces:
            if b - a <= 1.0:
                continue
            dt = (b - a) / (v * KN_TO_MS)
            self.push(SailLeg(self.t, self.t + dt, nav_status, route=route, s0_m=a, s1_m=b))

    def stop(self, duration_s: float, nav_status: int, *, heading: float, swing_m: float = 0.0
             ) -> None:
        self.push(StopLeg(self.t, self.t + duration_s, nav_status, lat=self.lat, lon=self.lon,
                           heading=heading, swing_m=swing_m))

    def drift(self, duration_s: float, speed_kn: float, dir_deg: float, *, heading: float,
              lat0: float | None = None, lon0: float | None = None, ref_t: float | None = None,
              north_off_m: float = 0.0, east_off_m: float = 0.0,
              nav_status: int = NAV_UNDERWAY) -> DriftLeg:
        """Drift with a tidal current peaking at ``speed_kn``."""
        period = 44_712.0
        amp = speed_kn * KN_TO_MS * period / (2 * math.pi)
        leg = DriftLeg(self.t, self.t + duration_s, nav_status,
                       lat0=self.lat if lat0 is None else lat0,
                       lon0=self.lon if lon0 is None else lon0,
                       ref_t=self.t if ref_t is None else ref_t, amp_m=amp, period_s=period,
                       dir_deg=dir_deg, heading=heading, north_off_m=north_off_m,
                       east_off_m=east_off_m)
        self.push(leg)
        return leg

    def follow(self, leg: DriftLeg, t_end: float, north_off_m: float, east_off_m: float,
               heading: float) -> None:
        """Lie alongside another vessel's drift (same current, fixed offset)."""
        self.push(DriftLeg(self.t, t_end, leg.nav_status, lat0=leg.lat0, lon0=leg.lon0,
                            ref_t=leg.ref_t, amp_m=leg.amp_m, period_s=leg.period_s,
                            dir_deg=leg.dir_deg, heading=heading,
                            north_off_m=leg.north_off_m + north_off_m,
                            east_off_m=leg.east_off_m + east_off_m))

    def hold_until(self, t_end: float, nav_status: int = NAV_MOORED, heading: float = 0.0) -> None:
        if t_end > self.t:
            self.stop(t_end - self.t, nav_status, heading=heading)
