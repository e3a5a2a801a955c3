"""What one simulated vessel does: its motion plan, what it broadcasts, when it is dark
and when it lies about its position. Pure data; the receiver turns it into messages."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from armswatch.simulate._geo import KN_TO_MS, FloatArray, offset_m
from armswatch.simulate._identity import Identity
from armswatch.simulate._motion import Leg, States

SPOOF_KINDS = ("offset_track", "on_land", "circle", "glitch")


@dataclass(frozen=True)
class SpoofEpisode:
    """Reported positions replaced between ``t0`` and ``t1``.

    * ``offset_track``: the true track shifted by (north_m, east_m) — a plausible but false
      track far away (jumps in and out).
    * ``on_land`` / ``glitch``: a fixed false point (``lat``, ``lon``) — inland, or anywhere.
    * ``circle``: circling a point on land at ``speed_kn`` (GNSS-spoofing "crop circles").
    """

    t0: float
    t1: float
    kind: str
    lat: float = 0.0
    lon: float = 0.0
    north_m: float = 0.0
    east_m: float = 0.0
    radius_m: float = 0.0
    speed_kn: float = 0.0

    def apply(self, s: States) -> States:
        n = s.t.shape
        if self.kind == "offset_track":
            lat, lon = offset_m(s.lat, s.lon, self.north_m, self.east_m)
            return States(s.t, lat, lon, s.sog_kn, s.cog_deg, s.heading_deg, s.nav_status)
        if self.kind == "circle":
            omega = self.speed_kn * KN_TO_MS / max(1.0, self.radius_m)
            ph = omega * (s.t - self.t0)
            lat, lon = offset_m(self.lat, self.lon, self.radius_m * np.cos(ph),
                                self.radius_m * np.sin(ph))
            cog = (np.degrees(ph) + 90.0) % 360.0
            return States(s.t, lat, lon, np.full(n, self.speed_kn), cog, cog, s.nav_status)
        return States(s.t, np.full(n, self.lat), np.full(n, self.lon), np.zeros(n),
                      s.cog_deg, s.heading_deg, s.nav_status)


@dataclass(frozen=True)
class DarkVisit:
    """A port call made with the transponder off (the Lady R pattern)."""

    port_id: str
    arrive_t: float
    depart_t: float


@dataclass
class VesselScript:
    key: int
    role: str
    class_b: bool
    legs: list[Leg]
    identities: list[tuple[float, Identity]]  # (valid from, identity), sorted
    off: list[tuple[float, float, str]] = field(default_factory=list)  # (t0, t1, cause)
    spoofs: list[SpoofEpisode] = field(default_factory=list)
    dark_visits: list[DarkVisit] = field(default_factory=list)
    destinations: list[tuple[float, str]] = field(default_factory=list)  # (from, text)

    def identity_index(self, t: FloatArray) -> npt.NDArray[np.intp]:
        starts = np.array([s for s, _ in self.identities])
        return np.clip(np.searchsorted(starts, t, side="right") - 1, 0, len(starts) - 1)

    def transmitting(self, t: FloatArray) -> npt.NDArray[np.bool_]:
        on = np.ones(t.shape, dtype=bool)
        for a, b, _ in self.off:
            on &= ~((t >= a) & (t < b))
        return on

    def spoof_index(self, t: FloatArray) -> npt.NDArray[np.intp]:
        """Index of the spoofing episode covering each time, -1 if none."""
        out = np.full(t.shape, -1, dtype=np.intp)
        for k, ep in enumerate(self.spoofs):
            out[(t >= ep.t0) & (t <= ep.t1)] = k
        return out

    def destination_at(self, t: float) -> str:
        text = ""
        for start, d in self.destinations:
            if start <= t:
                text = d
        return text


def heading_jitter(rng: np.random.Generator, n: int) -> FloatArray:
    return rng.normal(0.0, 2.0, n)


def circle_speed_ok(speed_kn: float, radius_m: float) -> bool:
    return speed_kn > 0 and radius_m > 0 and 2 * math.pi * radius_m / (speed_kn * KN_TO_MS) > 60
