"""Ground truth: every event that happens in a simulation under the issue's definitions.

Events that are properties of the *data* (``ais_gap``, ``identity_change``,
``spoofing``, ``dark_port_call``) are read off the archived, decodable messages, so their
times are what a perfect detector would report. Behaviours (``port_call``,
``loitering``, ``encounter``) are read off the vessels' true motion sampled each minute
while they transmit their true position, for every vessel — innocent ones included.
See docs/simulate.md for the exact rules.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

from armswatch.simulate._geo import FloatArray, haversine_m
from armswatch.simulate._motion import sample
from armswatch.simulate._receiver import Messages
from armswatch.simulate._script import VesselScript
from armswatch.simulate._world import World

GAP_MIN_S = 12 * 3600.0
ENCOUNTER_M = 500.0
ENCOUNTER_MIN_S = 2 * 3600.0
SLOW_KN = 2.0
AWAY_FROM_PORT_M = 10_000.0
LOITER_MIN_S = 8 * 3600.0
STOP_KN = 0.5
STOP_MIN_S = 15 * 60.0
SAMPLE_S = 60.0
ENCOUNTER_CANDIDATE_KN = 3.0  # samples faster than this cannot be part of an encounter run

Event = dict[str, object]


def iso(t: float) -> str:
    return datetime.fromtimestamp(round(t, 3), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def event_id(kind: str, mmsi: int, other: int | None, start: float) -> str:
    raw = f"{kind}|{mmsi}|{other or ''}|{int(start)}"
    return hashlib.sha1(raw.encode()).hexdigest()[:16]


def make_event(kind: str, mmsi: int, other: int | None, start: float, end: float,
               lat: float, lon: float, end_lat: float, end_lon: float, port: str | None,
               details: dict[str, object]) -> Event:
    if other is not None and other < mmsi:
        mmsi, other = other, mmsi
    return {
        "event_id": event_id(kind, mmsi, other, start),
        "type": kind,
        "mmsi": int(mmsi),
        "other_mmsi": None if other is None else int(other),
        "start_utc": iso(start),
        "end_utc": iso(end),
        "lat": round(float(lat), 6),
        "lon": round(float(lon), 6),
        "end_lat": round(float(end_lat), 6),
        "end_lon": round(float(end_lon), 6),
        "port": port,
        "confidence": 1.0,
        "details": details,
    }


class PortGrid:
    """Which port (if any) contains a point; whether a point is near any port."""

    CELL = 0.1

    def __init__(self, world: World) -> None:
        self.world = world
        self.lat, self.lon, self.rad = world.plat, world.plon, world.prad
        self.cells: dict[tuple[int, int], list[int]] = defaultdict(list)
        for k in range(self.lat.size):
            reach = max(float(self.rad[k]), AWAY_FROM_PORT_M) + 2000.0
            dlat = reach / 111_000.0
            dlon = reach / (111_000.0 * max(0.2, math.cos(math.radians(self.lat[k]))))
            for i in range(math.floor((self.lat[k] - dlat) / self.CELL),
                           math.floor((self.lat[k] + dlat) / self.CELL) + 1):
                for j in range(math.floor((self.lon[k] - dlon) / self.CELL),
                               math.floor((self.lon[k] + dlon) / self.CELL) + 1):
                    self.cells[(i, j)].append(k)

    def query(self, lat: FloatArray, lon: FloatArray) -> tuple[npt.NDArray[np.int64],
                                                              npt.NDArray[np.bool_]]:
        """(index of the nearest port whose radius contains the point or -1,
        whether the point is within max(radius, 10 km) of some port)."""
        inside = np.full(lat.shape, -1, dtype=np.int64)
        near = np.zeros(lat.shape, dtype=bool)
        ci = np.floor(lat / self.CELL).astype(np.int64)
        cj = np.floor(lon / self.CELL).astype(np.int64)
        key = ci * 100_000 + cj
        for u in np.unique(key):
            cand = self.cells.get((int(u // 100_000), int(u % 100_000)))
            if not cand:
                continue
            m = key == u
            idx = np.array(cand)
            d = haversine_m(lat[m][:, None], lon[m][:, None], self.lat[idx][None, :],
                            self.lon[idx][None, :])
            r = self.rad[idx][None, :]
            near[m] = (d < np.maximum(r, AWAY_FROM_PORT_M)).any(axis=1)
            within = d <= r
            dd = np.where(within, d, np.inf)
            best = np.argmin(dd, axis=1)
            ok = np.isfinite(dd[np.arange(best.size), best])
            sub = np.full(best.size, -1, dtype=np.int64)
            sub[ok] = idx[best[ok]]
            inside[m] = sub
        return inside, near


def _runs(flag: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    """(start, end) index pairs (inclusive) of runs of True."""
    if flag.size == 0:
        return []
    f = np.concatenate([[False], flag, [False]]).astype(np.int8)
    d = np.diff(f)
    return list(zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1) - 1, strict=True))


def _value_runs(v: npt.NDArray[np.int64]) -> list[tuple[int, int, int]]:
    """(start, end inclusive, value) of runs of equal values."""
    if v.size == 0:
        return []
    br = np.flatnonzero(np.diff(v) != 0) + 1
    starts = np.concatenate([[0], br])
    ends = np.concatenate([br - 1, [v.size - 1]])
    return [(int(a), int(b), int(v[a])) for a, b in zip(starts, ends, strict=True)]


@dataclass
class Track:
    """One vessel's true motion, sampled every minute over the window."""

    script: VesselScript
    t: FloatArray
    lat: FloatArray
    lon: FloatArray
    sog: FloatArray
    mmsi: npt.NDArray[np.int64]
    visible: npt.NDArray[np.bool_]  # transmitting its true position
    port: npt.NDArray[np.int64]
    near_port: npt.NDArray[np.bool_]


def true_tracks(world: World, scripts: Sequence[VesselScript], grid: PortGrid) -> list[Track]:
    t = np.arange(world.t0, world.t1, SAMPLE_S)
    out = []
    for s in scripts:
        st = sample(s.legs, t)
        mm = np.array([ident.mmsi for _, ident in s.identities], dtype=np.int64)
        mmsi = mm[s.identity_index(t)]
        vis = s.transmitting(t) & (s.spoof_index(t) < 0)
        port, near = grid.query(st.lat, st.lon)
        out.append(Track(s, t, st.lat, st.lon, st.sog_kn, mmsi, vis, port, near))
    return out


def port_calls(world: World, tracks: Sequence[Track], pos: Messages,
               pos_port: npt.NDArray[np.int64]) -> list[Event]:
    events: list[Event] = []
    for tr in tracks:
        key = tr.port * 10_000_000_000 + tr.mmsi  # split runs at MMSI changes
        mine = pos.vessel == tr.script.key
        for a, b, _ in _value_runs(np.where(tr.port >= 0, key, -1)):
            p = int(tr.port[a])
            if p < 0:
                continue
            slow = tr.sog[a:b + 1] < STOP_KN
            stops = [(x, y) for x, y in _runs(slow) if (y - x + 1) * SAMPLE_S >= STOP_MIN_S]
            if not stops:
                continue
            t_a, t_b = float(tr.t[a]), float(tr.t[b]) + SAMPLE_S
            mmsi = int(tr.mmsi[a])
            seen = mine & (pos.rx_t >= t_a) & (pos.rx_t <= t_b) & (pos_port == p)
            if not seen.any():
                continue  # never observed in port: not a port call in the data
            port = world.ports[p]
            stop_s = sum((y - x + 1) * SAMPLE_S for x, y in stops)
            events.append(make_event(
                "port_call", mmsi, None, t_a, min(t_b, world.t1), tr.lat[a], tr.lon[a],
                tr.lat[b], tr.lon[b], port.port_id,
                {"port_name": port.name, "stopped_h": round(stop_s / 3600, 2),
                 "entry_seen": bool(a > 0), "exit_seen": bool(b < tr.t.size - 1),
                 "role": tr.script.role},
            ))
    return events


def loitering(tracks: Sequence[Track]) -> list[Event]:
    events: list[Event] = []
    for tr in tracks:
        cand = tr.visible & ~tr.near_port & (tr.sog < SLOW_KN)
        key = np.where(cand, tr.mmsi, -1)
        for a, b, v in _value_runs(key):
            if v < 0 or (b - a + 1) * SAMPLE_S < LOITER_MIN_S:
                continue
            events.append(make_event(
                "loitering", v, None, float(tr.t[a]), float(tr.t[b]), tr.lat[a], tr.lon[a],
                tr.lat[b], tr.lon[b], None,
                {"duration_h": round((b - a) * SAMPLE_S / 3600, 2),
                 "median_sog_kn": round(float(np.median(tr.sog[a:b + 1])), 2),
                 "role": tr.script.role},
            ))
    return events


def encounters(tracks: Sequence[Track]) -> list[Event]:
    rows_v, rows_t, rows_lat, rows_lon = [], [], [], []
    for k, tr in enumerate(tracks):
        m = np.flatnonzero(tr.visible & ~tr.near_port & (tr.sog < ENCOUNTER_CANDIDATE_KN))
        rows_v.append(np.full(m.size, k))
        rows_t.append(m)
        rows_lat.append(tr.lat[m])
        rows_lon.append(tr.lon[m])
    if not rows_v:
        return []
    v = np.concatenate(rows_v)
    ti = np.concatenate(rows_t)
    lat = np.concatenate(rows_lat)
    lon = np.concatenate(rows_lon)
    order = np.argsort(ti, kind="stable")
    v, ti, lat, lon = v[order], ti[order], lat[order], lon[order]
    bounds = np.flatnonzero(np.diff(ti)) + 1
    close: dict[tuple[int, int], list[int]] = defaultdict(list)
    for a, b in zip(np.concatenate([[0], bounds]), np.concatenate([bounds, [ti.size]]),
                    strict=True):
        if b - a < 2:
            continue
        d = haversine_m(lat[a:b][:, None], lon[a:b][:, None], lat[a:b][None, :],
                        lon[a:b][None, :])
        ii, jj = np.nonzero(np.triu(d <= ENCOUNTER_M, k=1))
        for i, j in zip(ii, jj, strict=True):
            x, y = int(v[a + i]), int(v[a + j])
            close[(min(x, y), max(x, y))].append(int(ti[a]))
    events: list[Event] = []
    for (x, y), idxs in close.items():
        arr = np.array(sorted(idxs))
        br = np.flatnonzero(np.diff(arr) != 1) + 1
        for run in np.split(arr, br):
            ta, tb = int(run[0]), int(run[-1])
            if (tb - ta) * SAMPLE_S < ENCOUNTER_MIN_S:
                continue
            tx, ty = tracks[x], tracks[y]
            if tx.mmsi[ta] != tx.mmsi[tb] or ty.mmsi[ta] != ty.mmsi[tb]:
                continue
            mx = float(np.median(tx.sog[ta:tb + 1]))
            my = float(np.median(ty.sog[ta:tb + 1]))
            if mx >= SLOW_KN or my >= SLOW_KN:
                continue
            dist = haversine_m(tx.lat[ta:tb + 1], tx.lon[ta:tb + 1], ty.lat[ta:tb + 1],
                               ty.lon[ta:tb + 1])
            first, second = (tx, ty) if tx.mmsi[ta] < ty.mmsi[ta] else (ty, tx)
            events.append(make_event(
                "encounter", int(first.mmsi[ta]), int(second.mmsi[ta]), float(tx.t[ta]),
                float(tx.t[tb]), first.lat[ta], first.lon[ta], first.lat[tb], first.lon[tb],
                None,
                {"duration_h": round((tb - ta) * SAMPLE_S / 3600, 2),
                 "median_distance_m": round(float(np.median(dist)), 1),
                 "median_sog_kn": [round(min(mx, my), 2), round(max(mx, my), 2)],
                 "roles": sorted({tx.script.role, ty.script.role})},
            ))
    return events
