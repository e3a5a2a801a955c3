"""From broadcasts to an archive: reporting schedule, reception, archive downsampling.

1. **Transmission** (ITU-R M.1371-5): class A reports every 10 s (0–14 kn), 6 s (14–23 kn),
   2 s (> 23 kn), 3 min when anchored/moored below 3 kn; class B "CS" 30 s above 2 kn,
   else 3 min. Static data (type 5; class B type 24 parts A and B) every 6 min, at once
   when it changes and when the transponder is switched on. Nothing while dark.
2. **Terrestrial reception**: receivers on every coast; a message is received with
   probability ``terrestrial_p`` within ``terrestrial_near_km`` of land, falling linearly
   to ``terrestrial_edge_p`` at ``terrestrial_range_km`` (class B: half the range), none
   beyond. Each 1°×1° area has station outages (Poisson, mean every
   ``outage_every_days``, log-normal length, median ``outage_median_h``).
3. **Satellite reception** everywhere: per 10°×10° area, passes arrive as a Poisson
   process (mean gap ``sat_gap_min``) and last ``sat_pass_min``; during a pass each
   class A message is received with probability ``sat_p_a`` (class B ``sat_p_b``: weaker
   transmitter). Satellite messages reach the archive ``sat_delay_min`` late, so lines
   come out of time order.
4. **Archive**: keeps the first received position per vessel per ``archive_interval_s``
   (0 = keep all) and the first static report per ``static_interval_s``, like commercial
   and national archives (e.g. one position a minute).

Reception depends on the transmitter's true position, never on what it claims.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from armswatch.simulate._geo import FloatArray, offset_m
from armswatch.simulate._landmask import load_mask
from armswatch.simulate._motion import report_interval_s, sample
from armswatch.simulate._script import VesselScript

STATIC_INTERVAL_S = 360.0


@dataclass(frozen=True)
class ReceiverConfig:
    """Receiver and archive model (defaults documented in docs/simulate.md)."""

    terrestrial_near_km: float = 20.0
    terrestrial_range_km: float = 74.0  # 40 nm: VHF range of a coastal station to a ship
    terrestrial_p: float = 0.95
    terrestrial_edge_p: float = 0.4
    outage_every_days: float = 20.0
    outage_median_h: float = 3.0
    sat_gap_min: float = 45.0
    sat_pass_min: float = 9.0
    sat_p_a: float = 0.25
    sat_p_b: float = 0.04
    sat_delay_min: tuple[float, float] = (10.0, 90.0)
    archive_interval_s: float = 60.0
    static_interval_s: float = 1800.0
    gps_sigma_m: float = 4.0
    sog_sigma_kn: float = 0.1
    cog_sigma_deg: float = 1.0
    duplicate_p: float = 0.1  # a terrestrial message also heard by a second station
    repeat_line_p: float = 0.002  # a line written twice by the feed
    bad_checksum_p: float = 0.001  # a line corrupted in transit (checksum no longer matches)


@dataclass
class Messages:
    """Received messages as parallel arrays (one row per kept message)."""

    vessel: npt.NDArray[np.int64]
    tx_t: FloatArray
    rx_t: FloatArray
    deliver_t: FloatArray
    satellite: npt.NDArray[np.bool_]
    station: npt.NDArray[np.int64]  # terrestrial station cell id, or satellite pass cell
    identity: npt.NDArray[np.int64]  # index into the vessel's identities
    extra: dict[str, np.ndarray]

    def __len__(self) -> int:
        return int(self.tx_t.size)

    @staticmethod
    def concat(parts: Sequence[Messages]) -> Messages:
        keys = parts[0].extra.keys() if parts else []
        return Messages(
            vessel=np.concatenate([p.vessel for p in parts]) if parts else np.zeros(0, np.int64),
            tx_t=np.concatenate([p.tx_t for p in parts]) if parts else np.zeros(0),
            rx_t=np.concatenate([p.rx_t for p in parts]) if parts else np.zeros(0),
            deliver_t=np.concatenate([p.deliver_t for p in parts]) if parts else np.zeros(0),
            satellite=np.concatenate([p.satellite for p in parts]) if parts else np.zeros(0, bool),
            station=np.concatenate([p.station for p in parts]) if parts else np.zeros(0, np.int64),
            identity=(np.concatenate([p.identity for p in parts]) if parts
                      else np.zeros(0, np.int64)),
            extra={k: np.concatenate([p.extra[k] for p in parts]) for k in keys},
        )

    def take(self, idx: np.ndarray) -> Messages:
        return Messages(self.vessel[idx], self.tx_t[idx], self.rx_t[idx], self.deliver_t[idx],
                        self.satellite[idx], self.station[idx], self.identity[idx],
                        {k: v[idx] for k, v in self.extra.items()})


class Coverage:
    """Deterministic coverage of the region for one simulation (outages, passes)."""

    def __init__(self, cfg: ReceiverConfig, seed: int, t0: float, t1: float) -> None:
        self.cfg = cfg
        self.seed = seed
        self.t0 = t0
        self.t1 = t1
        self._passes: dict[int, FloatArray] = {}
        self._outages: dict[int, FloatArray] = {}

    def _rng(self, kind: int, cell: int) -> np.random.Generator:
        return np.random.default_rng([self.seed, kind, cell & 0x7FFFFFFF])

    def passes(self, cell: int) -> FloatArray:
        """Start times of satellite passes over a 10° cell."""
        if cell not in self._passes:
            rng = self._rng(1, cell)
            n = int((self.t1 - self.t0) / (self.cfg.sat_gap_min * 60) * 1.5) + 10
            gaps = rng.exponential(self.cfg.sat_gap_min * 60, n)
            self._passes[cell] = self.t0 - self.cfg.sat_pass_min * 60 + np.cumsum(gaps)
        return self._passes[cell]

    def outages(self, cell: int) -> FloatArray:
        """(start, end) rows of terrestrial outages over a 1° cell."""
        if cell not in self._outages:
            rng = self._rng(2, cell)
            span_d = (self.t1 - self.t0) / 86400.0
            n = int(rng.poisson(span_d / self.cfg.outage_every_days))
            starts = self.t0 + rng.uniform(0, self.t1 - self.t0, n)
            lengths = np.minimum(rng.lognormal(math.log(self.cfg.outage_median_h * 3600), 0.7, n),
                                 18 * 3600)
            self._outages[cell] = np.stack([starts, starts + lengths], axis=1)
        return self._outages[cell]

    def in_pass(self, t: FloatArray, cell: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        out = np.zeros(t.shape, dtype=bool)
        for c in np.unique(cell):
            m = cell == c
            p = self.passes(int(c))
            k = np.searchsorted(p, t[m], side="right") - 1
            ok = k >= 0
            out_m = np.zeros(int(m.sum()), dtype=bool)
            out_m[ok] = t[m][ok] - p[k[ok]] <= self.cfg.sat_pass_min * 60
            out[m] = out_m
        return out

    def in_outage(self, t: FloatArray, cell: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        out = np.zeros(t.shape, dtype=bool)
        for c in np.unique(cell):
            o = self.outages(int(c))
            if o.size == 0:
                continue
            m = cell == c
            tm = t[m]
            hit = np.zeros(tm.shape, dtype=bool)
            for a, b in o:
                hit |= (tm >= a) & (tm < b)
            out[m] = hit
        return out


def sat_cell(lat: FloatArray, lon: FloatArray) -> npt.NDArray[np.int64]:
    return (np.floor((lat + 90) / 10).astype(np.int64) * 100
            + np.floor((lon + 180) / 10).astype(np.int64))


def station_cell(lat: FloatArray, lon: FloatArray) -> npt.NDArray[np.int64]:
    return (np.floor(lat + 90).astype(np.int64) * 1000
            + np.floor(lon + 180).astype(np.int64))


def _transmission_times(script: VesselScript, t0: float, t1: float, phase: float) -> FloatArray:
    parts = []
    for leg in script.legs:
        a, b = max(leg.t0, t0), min(leg.t1, t1)
        if b <= a:
            continue
        dt = report_interval_s(leg, script.class_b)
        first = math.ceil((a - phase) / dt) * dt + phase
        parts.append(np.arange(first, b, dt))
    t = np.concatenate(parts) if parts else np.zeros(0)
    return t[script.transmitting(t)]


def _static_times(script: VesselScript, t0: float, t1: float, phase: float) -> FloatArray:
    t = np.arange(t0 + phase, t1, STATIC_INTERVAL_S)
    extra = [s for s, _ in script.identities[1:]] + [b for _, b, _ in script.off]
    t = np.union1d(t, np.array([x for x in extra if t0 <= x < t1]))
    return t[script.transmitting(t)]


def _receive(cfg: ReceiverConfig, cov: Coverage, rng: np.random.Generator, t: FloatArray,
             lat: FloatArray, lon: FloatArray, class_b: bool
             ) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """(received, by satellite) per message, from the transmitter's true position."""
    coast = load_mask().coast_km(lat, lon)
    rng_km = cfg.terrestrial_range_km * (0.5 if class_b else 1.0)
    near_km = min(cfg.terrestrial_near_km, rng_km / 2)
    frac = np.clip((coast - near_km) / max(1e-9, rng_km - near_km), 0.0, 1.0)
    p_t = cfg.terrestrial_p - (cfg.terrestrial_p - cfg.terrestrial_edge_p) * frac
    p_t = np.where(coast <= rng_km, p_t, 0.0)
    p_t = np.where(cov.in_outage(t, station_cell(lat, lon)), 0.0, p_t)
    terr = rng.random(t.size) < p_t
    p_s = cfg.sat_p_b if class_b else cfg.sat_p_a
    sat = (rng.random(t.size) < p_s) & cov.in_pass(t, sat_cell(lat, lon)) & ~terr
    return terr | sat, sat


def _first_per_bin(vessel_rx: FloatArray, interval_s: float) -> npt.NDArray[np.intp]:
    """Indices (into the rx-sorted array) of the first message of each archive bin."""
    if interval_s <= 0 or vessel_rx.size == 0:
        return np.arange(vessel_rx.size)
    bins = np.floor(vessel_rx / interval_s).astype(np.int64)
    keep = np.ones(bins.size, dtype=bool)
    keep[1:] = bins[1:] != bins[:-1]
    return np.flatnonzero(keep)


def receive_vessel(script: VesselScript, t0: float, t1: float, cfg: ReceiverConfig,
                   cov: Coverage, rng: np.random.Generator) -> tuple[Messages, Messages]:
    """Positions and static reports of one vessel that end up in the archive."""
    phase = float(rng.uniform(0, 10))
    t = _transmission_times(script, t0, t1, phase)
    t = t + rng.uniform(-0.4, 0.4, t.size)  # SOTDMA slot placement
    t = t[(t >= t0) & (t < t1)]
    true = sample(script.legs, t)
    got, sat = _receive(cfg, cov, rng, t, true.lat, true.lon, script.class_b)
    idx = np.flatnonzero(got)
    rx = t[idx] + np.where(sat[idx], 0.0, rng.uniform(0.0, 1.0, idx.size))
    order = np.argsort(rx, kind="stable")
    idx, rx = idx[order], rx[order]
    keep = _first_per_bin(rx, cfg.archive_interval_s)
    idx, rx = idx[keep], rx[keep]
    satm = sat[idx]
    delay = np.where(satm, rng.uniform(*cfg.sat_delay_min, idx.size) * 60, 0.0)
    tx = t[idx]
    rep = true.take(idx)
    spoof = script.spoof_index(tx)
    for k, ep in enumerate(script.spoofs):
        m = spoof == k
        if m.any():
            fake = ep.apply(rep.take(m))
            rep.lat[m], rep.lon[m] = fake.lat, fake.lon
            rep.sog_kn[m], rep.cog_deg[m] = fake.sog_kn, fake.cog_deg
            rep.heading_deg[m] = fake.heading_deg
    n = idx.size
    ang = rng.uniform(0, 2 * math.pi, n)
    err = np.abs(rng.normal(0.0, cfg.gps_sigma_m, n))
    lat, lon = offset_m(rep.lat, rep.lon, err * np.cos(ang), err * np.sin(ang))
    moving = rep.sog_kn > 0.5
    sog = np.clip(rep.sog_kn + rng.normal(0.0, cfg.sog_sigma_kn, n), 0.0, 102.2)
    cog = np.where(moving, rep.cog_deg + rng.normal(0.0, cfg.cog_sigma_deg, n),
                   rng.uniform(0, 360, n)) % 360.0
    heading = np.round(rep.heading_deg + rng.normal(0.0, 1.5, n)) % 360.0
    if script.class_b:
        msg_type = np.full(n, 18, dtype=np.int8)
        heading = np.where(rng.random(n) < 0.6, np.nan, heading)  # many class B lack a compass
    else:
        msg_type = np.where(rng.random(n) < 0.05, 3, 1).astype(np.int8)
    pos = Messages(
        vessel=np.full(idx.size, script.key, dtype=np.int64), tx_t=tx, rx_t=rx,
        deliver_t=rx + delay, satellite=satm,
        station=np.where(satm, sat_cell(true.lat[idx], true.lon[idx]),
                         station_cell(true.lat[idx], true.lon[idx])),
        identity=script.identity_index(tx).astype(np.int64),
        extra={"true_lat": true.lat[idx], "true_lon": true.lon[idx],
               "lat": lat, "lon": lon, "sog_kn": np.round(sog, 1),
               "cog_deg": np.round(cog, 1), "heading_deg": heading,
               "nav_status": rep.nav_status, "msg_type": msg_type,
               "spoof": spoof.astype(np.int64), "true_sog_kn": true.sog_kn[idx]},
    )
    ts = _static_times(script, t0, t1, float(rng.uniform(0, STATIC_INTERVAL_S)))
    st_true = sample(script.legs, ts)
    sgot, ssat = _receive(cfg, cov, rng, ts, st_true.lat, st_true.lon, script.class_b)
    sidx = np.flatnonzero(sgot)
    srx = ts[sidx] + np.where(ssat[sidx], 0.0, rng.uniform(0.0, 1.0, sidx.size))
    sk = _first_per_bin(srx, cfg.static_interval_s)
    sidx, srx = sidx[sk], srx[sk]
    ssatm = ssat[sidx]
    sdelay = np.where(ssatm, rng.uniform(*cfg.sat_delay_min, sidx.size) * 60, 0.0)
    stat = Messages(
        vessel=np.full(sidx.size, script.key, dtype=np.int64), tx_t=ts[sidx], rx_t=srx,
        deliver_t=srx + sdelay, satellite=ssatm,
        station=np.where(ssatm, sat_cell(st_true.lat[sidx], st_true.lon[sidx]),
                         station_cell(st_true.lat[sidx], st_true.lon[sidx])),
        identity=script.identity_index(ts[sidx]).astype(np.int64),
        extra={},
    )
    return pos, stat
