"""Run a scenario: scripts → archive (messages) → truth → files / Arrow."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa

from armswatch.errors import BadInputError
from armswatch.model.tables import POSITIONS_SCHEMA
from armswatch.simulate._nmea import LineNoise, draw_noise, feed_lines, station_name
from armswatch.simulate._receiver import Coverage, Messages, ReceiverConfig, receive_vessel
from armswatch.simulate._scenarios import SCENARIOS, Scenario, build_scripts, vessel_count
from armswatch.simulate._script import VesselScript
from armswatch.simulate._truth import (
    Event,
    PortGrid,
    encounters,
    loitering,
    port_calls,
    true_tracks,
)
from armswatch.simulate._truth_data import (
    dark_port_calls,
    gaps,
    identity_changes,
    row_mmsi,
    spoofing,
)
from armswatch.simulate._world import World

DEFAULT_START = date(2023, 9, 1)  # the DPRK → Russia shuttle began in August 2023
Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class Simulation:
    """Everything a run produced; pure data (write it with :func:`write_simulation`)."""

    scenario: str
    seed: int
    start: date
    days: float
    t0: float
    t1: float
    receiver: ReceiverConfig
    scripts: list[VesselScript]
    positions: Messages  # archived position reports (decodable or not)
    statics: Messages
    pos_noise: LineNoise
    stat_noise: LineNoise
    pos_mmsi: np.ndarray
    truth: list[Event]
    world: World = field(repr=False)

    @property
    def vessel_days(self) -> float:
        return len(self.scripts) * self.days

    def summary(self) -> dict[str, object]:
        counts: dict[str, int] = {}
        for e in self.truth:
            counts[str(e["type"])] = counts.get(str(e["type"]), 0) + 1
        roles: dict[str, int] = {}
        for s in self.scripts:
            roles[s.role] = roles.get(s.role, 0) + 1
        return {
            "scenario": SCENARIOS.ref(self.scenario),
            "seed": self.seed,
            "start_utc": f"{self.start.isoformat()}T00:00:00Z",
            "days": self.days,
            "vessels": len(self.scripts),
            "vessel_days": self.vessel_days,
            "roles": roles,
            "positions": int(self.pos_noise.decodable.sum()),
            "statics": int(self.stat_noise.decodable.sum()),
            "truth_events": dict(sorted(counts.items())),
            "receiver": asdict(self.receiver),
        }


def _scenario(name: str) -> Scenario:
    try:
        return SCENARIOS.get(name)
    except Exception:
        known = ", ".join(sorted({r.partition("@")[0] for r in SCENARIOS.refs()}))
        raise BadInputError(f"unknown scenario {name!r}; known: {known}") from None


def simulate(scenario: str, seed: int = 0, *, vessels: int | None = None,
             days: float | None = None, start: date | None = None,
             receiver: ReceiverConfig | None = None, progress: Progress | None = None
             ) -> Simulation:
    """Run ``scenario`` with ``seed``: deterministic for the same arguments.

    ``vessels`` is the number of innocent vessels (the patterns of concern come on top).
    """
    sc = _scenario(scenario)
    cfg = receiver or ReceiverConfig()
    n_days = sc.days if days is None else float(days)
    innocent = sc.vessels if vessels is None else int(vessels)
    if n_days <= 0 or innocent < 0:
        raise BadInputError("days must be > 0 and vessels >= 0")
    day0 = start or DEFAULT_START
    t0 = datetime(day0.year, day0.month, day0.day, tzinfo=UTC).timestamp()
    t1 = t0 + n_days * 86400.0
    world = World(t0, t1)
    total = vessel_count(sc, innocent)
    done = [0]

    def step(n: int) -> None:
        done[0] += n
        if progress:
            progress("plan", done[0], total)

    scripts = build_scripts(sc, world, seed, innocent, step)
    cov = Coverage(cfg, seed, t0, t1)
    pos_parts, stat_parts = [], []
    for k, s in enumerate(scripts):
        p, st = receive_vessel(s, t0, t1, cfg, cov, np.random.default_rng([seed, 7, k]))
        pos_parts.append(p)
        stat_parts.append(st)
        if progress:
            progress("receive", k + 1, len(scripts))
    pos = Messages.concat(pos_parts)
    stat = Messages.concat(stat_parts)
    noise_rng = np.random.default_rng([seed, 11])
    pos_noise = draw_noise(pos, cfg, noise_rng)
    stat_noise = draw_noise(stat, cfg, noise_rng)
    pos_mmsi = row_mmsi(scripts, pos)
    truth = _truth(world, scripts, pos.take(pos_noise.decodable),
                   stat.take(stat_noise.decodable), progress)
    return Simulation(scenario, seed, day0, n_days, t0, t1, cfg, scripts, pos, stat, pos_noise,
                      stat_noise, pos_mmsi, truth, world)


def _truth(world: World, scripts: list[VesselScript], pos: Messages, stat: Messages,
           progress: Progress | None) -> list[Event]:
    grid = PortGrid(world)
    mmsi = row_mmsi(scripts, pos)
    if progress:
        progress("truth", 0, 1)
    tracks = true_tracks(world, scripts, grid)
    pos_port, _ = grid.query(pos.extra["lat"], pos.extra["lon"])
    events = (gaps(scripts, pos, mmsi) + port_calls(world, tracks, pos, pos_port)
              + loitering(tracks) + encounters(tracks) + identity_changes(scripts, stat)
              + spoofing(scripts, pos, mmsi) + dark_port_calls(world, scripts, pos, mmsi))
    events.sort(key=lambda e: (str(e["start_utc"]), str(e["type"]), int(e["mmsi"])))  # type: ignore[call-overload]
    if progress:
        progress("truth", 1, 1)
    return events


def positions_table(sim: Simulation, *, duplicates: bool = False) -> pa.Table:
    """The decodable archived positions as a table in ``POSITIONS_SCHEMA`` (what
    ``armswatch ais decode`` yields from ``ais.nmea``, without the NMEA round trip)."""
    pos, noise = sim.positions, sim.pos_noise
    keep = noise.decodable
    idx = np.flatnonzero(keep)
    if duplicates:
        idx = np.concatenate([idx, np.flatnonzero(keep & noise.dup & ~noise.bad[:, 1])])
    e = pos.extra
    rx = pos.rx_t[idx]
    order = np.argsort(rx, kind="stable")
    idx = idx[order]
    head = e["heading_deg"][idx]
    src = [station_name(int(c), bool(s)) for c, s in zip(pos.station[idx], pos.satellite[idx],
                                                         strict=True)]
    nav = e["nav_status"][idx].astype(np.int8)
    class_b = e["msg_type"][idx] == 18
    cols = {
        "mmsi": pa.array(sim.pos_mmsi[idx].astype(np.int32)),
        "ts_utc": pa.array((np.floor(pos.rx_t[idx]) * 1e6).astype(np.int64),
                           pa.timestamp("us", tz="UTC")),
        "lat": pa.array(np.round(e["lat"][idx], 6)),
        "lon": pa.array(np.round(e["lon"][idx], 6)),
        "sog_kn": pa.array(e["sog_kn"][idx].astype(np.float32)),
        "cog_deg": pa.array(e["cog_deg"][idx].astype(np.float32)),
        "heading_deg": pa.array(np.nan_to_num(head, nan=0).astype(np.int16),
                                mask=np.isnan(head)),
        "nav_status": pa.array(nav, mask=class_b),
        "rot": pa.nulls(idx.size, pa.float32()),
        "accuracy": pa.array(np.ones(idx.size, dtype=bool)),
        "msg_type": pa.array(e["msg_type"][idx].astype(np.int8)),
        "source": pa.array(src, pa.string()),
    }
    return pa.Table.from_pydict(cols, schema=POSITIONS_SCHEMA)


def simulate_positions(scenario: str = "background", seed: int = 0, *,
                       vessels: int | None = None, days: float | None = None,
                       start: date | None = None, receiver: ReceiverConfig | None = None
                       ) -> pa.Table:
    """Positions of a scenario straight into Arrow (for benchmarks at scale)."""
    return positions_table(simulate(scenario, seed, vessels=vessels, days=days, start=start,
                                    receiver=receiver))


def write_simulation(sim: Simulation, out_dir: Path,
                     progress: Progress | None = None) -> dict[str, Path]:
    """Write ``ais.nmea``, ``truth.jsonl`` and ``scenario.json`` into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    nmea = out_dir / "ais.nmea"
    total = len(sim.positions) + len(sim.statics)
    with nmea.open("w", encoding="ascii", newline="\n") as fh:
        buf: list[str] = []
        for n, line in enumerate(feed_lines(sim.scripts, sim.positions, sim.pos_noise,
                                            sim.pos_mmsi, sim.statics, sim.stat_noise,
                                            np.random.default_rng([sim.seed, 13]))):
            buf.append(line)
            if len(buf) >= 20_000:
                fh.write("\n".join(buf) + "\n")
                buf.clear()
                if progress:
                    progress("write", min(n, total), total)
        if buf:
            fh.write("\n".join(buf) + "\n")
    truth = out_dir / "truth.jsonl"
    with truth.open("w", encoding="utf-8", newline="\n") as fh:
        for e in sim.truth:
            fh.write(json.dumps(e, ensure_ascii=False, sort_keys=False) + "\n")
    meta = out_dir / "scenario.json"
    meta.write_text(json.dumps(sim.summary(), indent=2) + "\n", encoding="utf-8")
    return {"nmea": nmea, "truth": truth, "scenario": meta}
