"""``run_detectors``: clean → segment → detectors → one events table.

1. the positions are counted and cleaned (:func:`armswatch.tracks.clean_positions`: no
   time, no position, out-of-range, null-island (0, 0), invalid MMSI, future timestamps:
   dropped and counted);
2. the segmentation kernel (:func:`armswatch.tracks.segment_table`) runs on whole MMSIs
   through ``Backend.map_sorted`` → ``aw_tracks`` (on DuckDB a feed already in time
   order is segmented as it is, anything else ordered in O(n); Spark buckets MMSIs);
3. per-thread statistics (``aw_threads``) and the ports table (``aw_ports``) are shared;
4. every selected detector runs its SQL steps and returns raw events;
5. raw events become :data:`armswatch.model.tables.EVENTS_SCHEMA` rows with a stable
   ``event_id``, the ``algorithm`` (name@version) and ``details`` as JSON.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc

from armswatch.detect._base import (
    DETECTORS,
    RAW_EVENT_SCHEMA,
    Context,
    is_concern,
    params_from,
)
from armswatch.engine import Backend, SqlStep
from armswatch.errors import ConfigError
from armswatch.geo.land import LandMask, default_land_mask
from armswatch.geo.ports import Port
from armswatch.model.tables import EVENTS_SCHEMA, POSITIONS_SCHEMA, STATICS_SCHEMA, TS
from armswatch.tracks import (
    CLEAN_COLUMNS,
    TRACK_SCHEMA,
    SegmentParams,
    clean_positions,
    segment_table,
)

DEFAULT_DETECTORS: tuple[str, ...] = (
    "ais_gap",
    "encounter",
    "loitering",
    "port_call",
    "identity_change",
    "spoofing",
    "dark_port_call",
)


@dataclass(frozen=True)
class DetectConfig:
    """What to run and with which parameters.

    detectors: names (default version) or ``name@version``.
    params: per detector name, parameter overrides (JSON-like), validated against the
        detector's params dataclass.
    ports: the ports/areas table; ``None`` = :func:`armswatch.detect.default_ports`.
    land: the land mask for on-land checks; ``None`` = the default mask, unless
        ``use_land`` is False.
    now_utc: positions stamped after this (plus 5 min) are "in the future" and dropped;
        ``None`` disables the check. The CLI passes the current time.
    rows_per_group: positions per kernel call where the engine splits the work (Spark
        buckets; whole MMSIs are kept together).
    """

    detectors: tuple[str, ...] = DEFAULT_DETECTORS
    params: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    segment: SegmentParams = field(default_factory=SegmentParams)
    ports: tuple[Port, ...] | None = None
    land: LandMask | None = None
    use_land: bool = True
    now_utc: datetime | None = None
    rows_per_group: int = 500_000


@dataclass
class DetectReport:
    """Counts of what was read, dropped and found, and where the time went."""

    positions_in: int = 0
    dropped_no_time: int = 0
    dropped_no_position: int = 0
    dropped_bad_position: int = 0
    dropped_bad_mmsi: int = 0
    dropped_future: int = 0
    positions_used: int = 0
    duplicates: int = 0
    out_of_order: int = 0
    on_land: int = 0
    jumps: int = 0
    vessels: int = 0
    threads: int = 0
    one_point_threads: int = 0
    mmsi_with_several_threads: int = 0
    vessel_days: int = 0
    statics_in: int = 0
    events: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    cpu_seconds: dict[str, float] = field(default_factory=dict)  # all threads of the process
    algorithms: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _conform(table: pa.Table, schema: pa.Schema, only: Sequence[str] | None = None
             ) -> pa.Table:
    """Select/cast ``schema``'s columns (or just ``only`` of them), adding null columns
    the input lacks."""
    if only is not None:
        schema = pa.schema([schema.field(c) for c in only])
    cols = []
    for f in schema:
        if f.name in table.column_names:
            # a timestamp without zone is read as UTC (pyarrow keeps the values)
            cols.append(pc.cast(table.column(f.name), f.type))
        else:
            cols.append(pa.nulls(table.num_rows, f.type))
    return pa.table(cols, schema=pa.schema([f.with_nullable(True) for f in schema]))


def _ports_table(ports: Sequence[Port]) -> pa.Table:
    return pa.table(
        {
            "port_idx": pa.array(range(len(ports)), pa.int32()),
            "port_id": [p.port_id for p in ports],
            "name": [p.name for p in ports],
            "roles": [";".join(p.roles) for p in ports],
            "lat": pa.array([p.lat for p in ports], pa.float64()),
            "lon": pa.array([p.lon for p in ports], pa.float64()),
            "radius_m": pa.array([p.radius_m for p in ports], pa.float64()),
            "is_polygon": [p.polygon_wkt is not None for p in ports],
            "is_concern": [is_concern(p) for p in ports],
        }
    )


def _count(backend: Backend, sql: str) -> dict[str, int]:
    row = backend.to_arrow(sql).to_pylist()[0]
    return {k: int(v or 0) for k, v in row.items()}


THREADS_SQL = (
    "SELECT mmsi, track, count(*) AS n_points, min(t_s) AS first_s, max(t_s) AS last_s, "
    "max(point) AS max_point, MIN_BY(lat, point) AS first_lat, MIN_BY(lon, point) AS first_lon, "
    "MAX_BY(lat, point) AS last_lat, MAX_BY(lon, point) AS last_lon, "
    "sum(CASE WHEN t_s - prev_t_s < 3600 THEN 1 ELSE 0 END) AS n_short, "
    "sum(CASE WHEN on_land THEN 1 ELSE 0 END) AS n_land "
    "FROM aw_tracks WHERE NOT dup GROUP BY mmsi, track"
)


def _event_ids(t: pa.Table, start_us: np.ndarray[Any, Any]) -> list[str]:
    types = t["type"].to_pylist()
    m1 = t["mmsi"].to_pylist()
    m2 = t["other_mmsi"].to_pylist()
    ports = t["port"].to_pylist()
    out = []
    for ty, a, b, s, p in zip(types, m1, m2, start_us.tolist(), ports, strict=True):
        key = f"{ty}|{a}|{b or ''}|{s}|{p or ''}".encode()
        out.append(hashlib.sha1(key, usedforsecurity=False).hexdigest()[:16])
    return out


def _clean_json(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def finish_events(raw: pa.Table, algorithm: str) -> pa.Table:
    """Raw detector output → :data:`EVENTS_SCHEMA` (details from the ``d_*`` columns)."""
    n = raw.num_rows
    if n == 0:
        return EVENTS_SCHEMA.empty_table()
    start_us = np.round(pc.cast(raw["start_s"], pa.float64()).to_numpy(zero_copy_only=False) * 1e6)
    end_us = np.round(pc.cast(raw["end_s"], pa.float64()).to_numpy(zero_copy_only=False) * 1e6)
    dcols = [c for c in raw.column_names if c.startswith("d_")]
    values = {c: raw[c].to_pylist() for c in dcols}
    details = []
    for i in range(n):
        obj = {c[2:]: _clean_json(values[c][i]) for c in dcols}
        details.append(orjson.dumps(obj).decode())
    conf = pc.cast(raw["confidence"], pa.float64()).to_numpy(zero_copy_only=False)
    cols = {
        "event_id": pa.array(_event_ids(raw, start_us)),
        "type": raw["type"],
        "mmsi": raw["mmsi"],
        "other_mmsi": raw["other_mmsi"],
        "start_utc": pa.array(start_us.astype(np.int64), pa.int64()).cast(TS),
        "end_utc": pa.array(end_us.astype(np.int64), pa.int64()).cast(TS),
        "lat": raw["lat"],
        "lon": raw["lon"],
        "end_lat": raw["end_lat"],
        "end_lon": raw["end_lon"],
        "port": raw["port"],
        "confidence": pa.array(np.clip(np.nan_to_num(conf, nan=0.0), 0.0, 1.0)),
        "details": pa.array(details),
        "algorithm": pa.array([algorithm] * n),
    }
    return pa.table([pc.cast(cols[f.name], f.type) for f in EVENTS_SCHEMA], schema=EVENTS_SCHEMA)


def _timer(report: DetectReport, key: str) -> Callable[[], None]:
    t0, c0 = time.perf_counter(), time.process_time()

    def done() -> None:
        report.seconds[key] = round(report.seconds.get(key, 0.0) + time.perf_counter() - t0, 3)
        report.cpu_seconds[key] = round(
            report.cpu_seconds.get(key, 0.0) + time.process_time() - c0, 3)

    return done


def prepare_tracks(
    backend: Backend, positions: pa.Table, config: DetectConfig, report: DetectReport,
    land: LandMask | None,
) -> None:
    """Clean and segment ``positions`` into ``aw_tracks`` and ``aw_threads``."""
    done = _timer(report, "clean")
    pos = _conform(positions, POSITIONS_SCHEMA, [c for c in CLEAN_COLUMNS if c != "seq"])
    pos = pos.append_column("seq", pa.array(np.arange(pos.num_rows, dtype=np.int64)))
    now_s = config.now_utc.timestamp() if config.now_utc is not None else None
    clean, counts = clean_positions(pos, now_s)
    for k, v in counts.items():
        setattr(report, k, v)
    backend.register("aw_clean", clean)
    done()
    done = _timer(report, "segment")
    backend.map_sorted(
        "aw_clean", ["mmsi"], partial(segment_table, params=config.segment, land=land),
        # seq (input order) makes the order total: equal times give the same tracks
        TRACK_SCHEMA, "aw_tracks", order_by=["ts_utc", "seq"],
        rows_per_call=config.rows_per_group, contiguous=False,
    )
    done()
    done = _timer(report, "threads")
    backend.run([SqlStep(THREADS_SQL, "aw_threads")])
    stats = _count(
        backend,
        "SELECT count(*) AS positions_used, sum(CASE WHEN dup THEN 1 ELSE 0 END) AS duplicates, "
        "sum(CASE WHEN late THEN 1 ELSE 0 END) AS out_of_order, "
        "sum(CASE WHEN on_land AND NOT dup THEN 1 ELSE 0 END) AS on_land, "
        "sum(CASE WHEN jump AND NOT dup THEN 1 ELSE 0 END) AS jumps, "
        "count(DISTINCT CAST(mmsi AS BIGINT) * 100000 + CAST(FLOOR(t_s / 86400) AS BIGINT)) "
        "AS vessel_days FROM aw_tracks",
    )
    stats |= _count(
        backend,
        "SELECT count(*) AS threads, count(DISTINCT mmsi) AS vessels, "
        "sum(CASE WHEN n_points = 1 THEN 1 ELSE 0 END) AS one_point_threads FROM aw_threads",
    )
    stats |= _count(
        backend,
        "SELECT count(*) AS mmsi_with_several_threads FROM (SELECT mmsi FROM aw_threads "
        "WHERE n_points >= 10 GROUP BY mmsi HAVING count(*) > 1) q",
    )
    for k, v in stats.items():
        setattr(report, k, v)
    done()


def resolve_detectors(config: DetectConfig) -> list[tuple[Any, Any]]:
    """The detectors to run with their validated parameters, in config order."""
    out = []
    names = set()
    for ref in config.detectors:
        det = DETECTORS.get(ref)
        names.add(det.name)
        out.append((det, params_from(det.params_type, config.params.get(det.name, {}), det.name)))
    unknown = set(config.params) - names
    if unknown:
        raise ConfigError(f"parameters given for detectors not run: {sorted(unknown)}")
    return out


def run_detectors(
    backend: Backend,
    positions: pa.Table,
    statics: pa.Table | None = None,
    config: DetectConfig = DetectConfig(),
    report: DetectReport | None = None,
) -> pa.Table:
    """Run the configured detectors; return events (:data:`EVENTS_SCHEMA`), sorted by
    start time. ``report`` (if given) is filled with counts and timings."""
    from armswatch.detect import _load_detectors
    from armswatch.detect._geography import default_ports

    _load_detectors()
    report = report if report is not None else DetectReport()
    selected = resolve_detectors(config)
    report.algorithms = [d.ref for d, _ in selected]
    ports = config.ports if config.ports is not None else tuple(default_ports())
    land = config.land if config.land is not None else (
        default_land_mask() if config.use_land else None
    )
    prepare_tracks(backend, positions, config, report, land)
    st = _conform(statics, STATICS_SCHEMA) if statics is not None else STATICS_SCHEMA.empty_table()
    st = st.append_column(
        "t_s", pc.divide(pc.cast(pc.cast(st["ts_utc"], TS), pa.int64()), 1e6).cast(pa.float64())
    )
    report.statics_in = st.num_rows
    backend.register("aw_statics", st)
    backend.register("aw_ports", _ports_table(ports))
    ctx = Context(backend=backend, ports=ports, land=land, has_statics=statics is not None)
    tables = []
    for det, params in selected:
        done = _timer(report, det.name)
        raw = det.run(ctx, params)
        missing = set(RAW_EVENT_SCHEMA.names) - set(raw.column_names)
        if missing:
            raise ConfigError(f"detector {det.ref} returned no {sorted(missing)} columns")
        ev = finish_events(raw, det.ref)
        report.events[det.name] = ev.num_rows
        tables.append(ev)
        done()
    events = pa.concat_tables(tables) if tables else EVENTS_SCHEMA.empty_table()
    if events.num_rows:
        events = events.sort_by([("start_utc", "ascending"), ("type", "ascending"),
                                 ("mmsi", "ascending"), ("event_id", "ascending")])
    return events


def now_utc() -> datetime:
    """The current time (for callers that want the future-timestamp check)."""
    return datetime.now(UTC)
