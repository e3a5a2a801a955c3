"""Truth read off the archived, decodable messages: gaps, identity changes, spoofing,
dark port calls (times are reception times, as a perfect detector would see them)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from armswatch.simulate._geo import haversine_m
from armswatch.simulate._identity import Identity
from armswatch.simulate._motion import sample
from armswatch.simulate._receiver import Messages
from armswatch.simulate._script import VesselScript
from armswatch.simulate._truth import GAP_MIN_S, Event, iso, make_event
from armswatch.simulate._world import World


def row_mmsi(scripts: Sequence[VesselScript], msgs: Messages) -> npt.NDArray[np.int64]:
    out = np.empty(len(msgs), dtype=np.int64)
    for k, s in enumerate(scripts):
        m = msgs.vessel == k
        if m.any():
            mm = np.array([ident.mmsi for _, ident in s.identities], dtype=np.int64)
            out[m] = mm[msgs.identity[m]]
    return out


def _gap_cause(script: VesselScript, a: float, b: float) -> str:
    for x, y, cause in script.off:
        if x < b and a < y:
            return cause
    return "coverage"


def gaps(scripts: Sequence[VesselScript], pos: Messages, mmsi: npt.NDArray[np.int64]
         ) -> list[Event]:
    events: list[Event] = []
    lat, lon = pos.extra["lat"], pos.extra["lon"]
    for m in np.unique(mmsi):
        idx = np.flatnonzero(mmsi == m)
        idx = idx[np.argsort(pos.rx_t[idx], kind="stable")]
        t = pos.rx_t[idx]
        for k in np.flatnonzero(np.diff(t) >= GAP_MIN_S):
            i, j = idx[k], idx[k + 1]
            script = scripts[int(pos.vessel[i])]
            dist = float(haversine_m(lat[i], lon[i], lat[j], lon[j]))
            hours = (t[k + 1] - t[k]) / 3600
            events.append(make_event(
                "ais_gap", int(m), None, float(t[k]), float(t[k + 1]), lat[i], lon[i],
                lat[j], lon[j], None,
                {"gap_h": round(hours, 2), "distance_km": round(dist / 1000, 2),
                 "implied_speed_kn": round(dist / 1852 / hours, 2),
                 "cause": _gap_cause(script, float(t[k]), float(t[k + 1])),
                 "role": script.role},
            ))
    return events


_FIELDS = ("mmsi", "imo", "name", "callsign", "ship_type")


def _changed(a: Identity, b: Identity) -> dict[str, list[object]]:
    out: dict[str, list[object]] = {}
    for f in _FIELDS:
        if getattr(a, f) != getattr(b, f):
            out[f] = [getattr(a, f), getattr(b, f)]
    if a.flag_mid != b.flag_mid:
        out["flag_mid"] = [a.flag_mid, b.flag_mid]
    return out


def _where(script: VesselScript, t_a: float, t_b: float
           ) -> tuple[tuple[float, float], tuple[float, float]]:
    st = sample(script.legs, np.array([t_a, t_b]))
    return (float(st.lat[0]), float(st.lat[1])), (float(st.lon[0]), float(st.lon[1]))


def identity_changes(scripts: Sequence[VesselScript], stat: Messages) -> list[Event]:
    """One event per change of broadcast identity seen in the archive (a new MMSI makes a
    two-vessel event: new and old MMSI), plus one per pair of MMSIs of *different*
    vessels broadcasting the same IMO."""
    events: list[Event] = []
    imo_use: dict[int, list[tuple[float, int, int]]] = defaultdict(list)  # (rx, mmsi, vessel)
    for k, s in enumerate(scripts):
        idx = np.flatnonzero(stat.vessel == k)
        idx = idx[np.argsort(stat.rx_t[idx], kind="stable")]
        prev: Identity | None = None
        prev_t = 0.0
        for i in idx:
            ident = s.identities[int(stat.identity[i])][1]
            t = float(stat.rx_t[i])
            if ident.imo:
                imo_use[ident.imo].append((t, ident.mmsi, k))
            if prev is not None and ident.key() != prev.key():
                other = prev.mmsi if prev.mmsi != ident.mmsi else None
                (la, lb), (oa, ob) = _where(s, prev_t, t)
                events.append(make_event(
                    "identity_change", ident.mmsi, other, prev_t, t, la, oa, lb, ob, None,
                    {"changed": _changed(prev, ident), "kind": "broadcast_change",
                     "role": s.role},
                ))
            prev, prev_t = ident, t
    for imo, uses in imo_use.items():
        uses.sort()
        first: dict[int, tuple[float, int]] = {}
        for t, mmsi, k in uses:
            first.setdefault(mmsi, (t, k))
        mmsis = sorted(first, key=lambda x: first[x][0])
        for ia, a in enumerate(mmsis):
            for b in mmsis[ia + 1:]:
                _, ka = first[a]
                tb, kb = first[b]
                if ka == kb:
                    continue  # the same hull under a new MMSI: already a change event
                before = [t for t, mm, _ in uses if mm == a and t <= tb]
                start = before[-1] if before else tb
                (la, lb), (oa, ob) = _where(scripts[kb], start, tb)
                events.append(make_event(
                    "identity_change", b, a, start, tb, la, oa, lb, ob, None,
                    {"kind": "shared_imo", "imo": imo,
                     "roles": sorted({scripts[ka].role, scripts[kb].role})},
                ))
    return events


def spoofing(scripts: Sequence[VesselScript], pos: Messages, mmsi: npt.NDArray[np.int64]
             ) -> list[Event]:
    events: list[Event] = []
    sp = pos.extra["spoof"]
    lat, lon = pos.extra["lat"], pos.extra["lon"]
    for k, s in enumerate(scripts):
        for e, ep in enumerate(s.spoofs):
            idx = np.flatnonzero((pos.vessel == k) & (sp == e))
            if idx.size == 0:
                continue  # no false position reached the archive: nothing to see
            idx = idx[np.argsort(pos.rx_t[idx], kind="stable")]
            i, j = idx[0], idx[-1]
            off = haversine_m(lat[idx], lon[idx], pos.extra["true_lat"][idx],
                              pos.extra["true_lon"][idx])
            events.append(make_event(
                "spoofing", int(mmsi[i]), None, float(pos.rx_t[i]), float(pos.rx_t[j]),
                lat[i], lon[i], lat[j], lon[j], None,
                {"kind": ep.kind, "positions": int(idx.size),
                 "max_offset_km": round(float(off.max()) / 1000, 1),
                 "true_lat": round(float(pos.extra["true_lat"][i]), 5),
                 "true_lon": round(float(pos.extra["true_lon"][i]), 5),
                 "role": s.role},
            ))
    return events


def dark_port_calls(world: World, scripts: Sequence[VesselScript], pos: Messages,
                    mmsi: npt.NDArray[np.int64]) -> list[Event]:
    events: list[Event] = []
    lat, lon = pos.extra["lat"], pos.extra["lon"]
    for k, s in enumerate(scripts):
        for v in s.dark_visits:
            idx = np.flatnonzero(pos.vessel == k)
            before = idx[pos.rx_t[idx] < v.arrive_t]
            after = idx[pos.rx_t[idx] > v.depart_t]
            if before.size == 0 or after.size == 0:
                continue
            i = before[np.argmax(pos.rx_t[before])]
            j = after[np.argmin(pos.rx_t[after])]
            if pos.rx_t[j] - pos.rx_t[i] < GAP_MIN_S or mmsi[i] != mmsi[j]:
                continue
            port = world.by_id[v.port_id]
            events.append(make_event(
                "dark_port_call", int(mmsi[i]), None, float(pos.rx_t[i]), float(pos.rx_t[j]),
                lat[i], lon[i], lat[j], lon[j], v.port_id,
                {"port_name": port.name, "arrived_utc": iso(v.arrive_t),
                 "departed_utc": iso(v.depart_t),
                 "gap_h": round(float(pos.rx_t[j] - pos.rx_t[i]) / 3600, 2),
                 "role": s.role},
            ))
    return events
