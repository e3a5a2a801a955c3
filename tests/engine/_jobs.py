"""Two small jobs for the incremental driver: point-pair events (gaps) and multi-point
events (slow stays), both of which can span midnight. Portable SQL, DuckDB dialect."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import pyarrow as pa

from armswatch.engine import Backend, SqlStep, check_portable
from armswatch.model.tables import TS

GAP_H = 6.0
STAY_KN = 1.0
STAY_MIN_H = 2.0
BREAK_H = 3.0  # a stay is broken by silence longer than this

_EVENT_COLS = ("event_id, type, mmsi, other_mmsi, start_utc, end_utc, lat, lon, n_points")


def gap_steps(positions: str) -> list[SqlStep]:
    lagged = f"""
SELECT mmsi, ts_utc, lat, lon,
       lag(ts_utc) OVER w AS prev_ts, lag(lat) OVER w AS prev_lat, lag(lon) OVER w AS prev_lon
FROM (SELECT DISTINCT mmsi, ts_utc, lat, lon FROM {positions})
WINDOW w AS (PARTITION BY mmsi ORDER BY ts_utc, lat, lon)"""
    gaps = f"""
SELECT md5('gap|' || CAST(mmsi AS VARCHAR) || '|' || CAST(epoch_us(prev_ts) AS VARCHAR))
         AS event_id,
       'gap' AS type, mmsi, CAST(NULL AS INTEGER) AS other_mmsi, prev_ts AS start_utc,
       ts_utc AS end_utc, prev_lat AS lat, prev_lon AS lon, CAST(2 AS BIGINT) AS n_points
FROM job_lagged
WHERE epoch_us(ts_utc) - epoch_us(prev_ts) >= {int(GAP_H * 3600e6)}"""
    return [SqlStep(lagged, "job_lagged"), SqlStep(gaps, "job_gaps")]


def stay_steps(positions: str) -> list[SqlStep]:
    flagged = f"""
SELECT mmsi, ts_utc, lat, lon,
       CASE WHEN sog_kn < {STAY_KN} THEN 1 ELSE 0 END AS slow,
       lag(ts_utc) OVER w AS prev_ts,
       lag(CASE WHEN sog_kn < {STAY_KN} THEN 1 ELSE 0 END) OVER w AS prev_slow
FROM (SELECT DISTINCT mmsi, ts_utc, lat, lon, sog_kn FROM {positions})
WINDOW w AS (PARTITION BY mmsi ORDER BY ts_utc, lat, lon, sog_kn)"""
    runs = f"""
SELECT *, sum(CASE WHEN prev_slow IS NULL OR slow <> prev_slow
             OR epoch_us(ts_utc) - epoch_us(prev_ts) > {int(BREAK_H * 3600e6)}
             THEN 1 ELSE 0 END)
         OVER (PARTITION BY mmsi ORDER BY ts_utc, lat, lon ROWS UNBOUNDED PRECEDING) AS run
FROM job_flagged"""
    stays = f"""
SELECT md5('stay|' || CAST(mmsi AS VARCHAR) || '|' || CAST(epoch_us(min(ts_utc)) AS VARCHAR))
         AS event_id,
       'stay' AS type, mmsi, CAST(NULL AS INTEGER) AS other_mmsi, min(ts_utc) AS start_utc,
       max(ts_utc) AS end_utc, arg_min(lat, ts_utc) AS lat, arg_min(lon, ts_utc) AS lon,
       count(*) AS n_points
FROM job_runs WHERE slow = 1 GROUP BY mmsi, run
HAVING epoch_us(max(ts_utc)) - epoch_us(min(ts_utc)) >= {int(STAY_MIN_H * 3600e6)}"""
    return [SqlStep(flagged, "job_flagged"), SqlStep(runs, "job_runs"),
            SqlStep(stays, "job_stays")]


def events_job(backend: Backend, names: Mapping[str, str]) -> pa.Table:
    steps = [*gap_steps(names["positions"]), *stay_steps(names["positions"]),
             SqlStep(f"SELECT {_EVENT_COLS} FROM job_gaps UNION ALL "
                     f"SELECT {_EVENT_COLS} FROM job_stays", "job_events")]
    check_portable(steps)
    backend.run(steps)
    return backend.to_arrow("job_events")


def tracks(n_vessels: int, days: int, seed: int, start: dt.date = dt.date(2024, 3, 1)
           ) -> pa.Table:
    """Vessels reporting every few minutes, with dark periods (some across midnight, one
    for two days) and slow stays (some across midnight)."""
    rng = np.random.default_rng(seed)
    t0 = dt.datetime(start.year, start.month, start.day, tzinfo=dt.UTC).timestamp()
    t_end = t0 + days * 86400
    rows: dict[str, list[object]] = {"mmsi": [], "ts_utc": [], "lat": [], "lon": [],
                                     "sog_kn": []}
    for v in range(n_vessels):
        mmsi = 200_000_000 + v
        t = t0 + float(rng.uniform(0, 3600))
        lat, lon = float(rng.uniform(-60, 60)), float(rng.uniform(-170, 170))
        slow_until = 0.0
        while t < t_end:
            r = rng.random()
            if r < 0.004:
                t += float(rng.uniform(GAP_H, 60)) * 3600  # dark, up to 2.5 days
            elif r < 0.008 and t > slow_until:
                slow_until = t + float(rng.uniform(1, 14)) * 3600
            if t >= t_end:
                break
            sog = float(rng.uniform(0, 0.8)) if t < slow_until else float(rng.uniform(6, 14))
            lat += sog * 1e-4
            rows["mmsi"].append(mmsi)
            rows["ts_utc"].append(int(t * 1e6))
            rows["lat"].append(round(lat, 6))
            rows["lon"].append(round(lon, 6))
            rows["sog_kn"].append(sog)
            t += float(rng.uniform(60, 900))
    table = pa.table(rows)
    return table.set_column(1, "ts_utc", table.column("ts_utc").cast(pa.int64()).cast(TS))


def day_slices(table: pa.Table, days: int, start: dt.date = dt.date(2024, 3, 1)
               ) -> list[tuple[dt.date, pa.Table]]:
    import pyarrow.compute as pc

    out = []
    for k in range(days):
        d = start + dt.timedelta(days=k)
        lo = dt.datetime(d.year, d.month, d.day, tzinfo=dt.UTC)
        hi = lo + dt.timedelta(days=1)
        ts = table.column("ts_utc")
        mask = pc.and_(pc.greater_equal(ts, pa.scalar(lo, TS)), pc.less(ts, pa.scalar(hi, TS)))
        out.append((d, table.filter(mask)))
    return out
