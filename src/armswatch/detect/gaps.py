"""``ais_gap``: dark periods of one ship (its identity thread) of at least a threshold.

Definition: two consecutive positions of the same thread (see :mod:`armswatch.tracks`)
more than ``min_gap_h`` apart. The event runs from the last position before the silence
to the first after it, with both positions, the distance and the implied speed across
the gap, and the nearest place of concern (and its distance) at each end.

Confidence basis: a gap in a track that is otherwise reported densely means more than
one in sparse (satellite) coverage. ``0.5 + 0.25 * min(1, log2(gap / threshold)) +
0.25 * dense``, where ``dense`` is the share of the thread's other report intervals
shorter than an hour. A 12 h gap in dense coverage scores 0.75, a 24 h one 1.0; in
coverage that never reports within the hour, 0.5 and 0.75.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from armswatch.detect._base import Context, events_from, f64, positive, register_detector
from armswatch.detect._sql import hav_m, lit
from armswatch.engine import SqlStep


@dataclass(frozen=True, slots=True)
class GapParams:
    """min_gap_h: 12 h — the threshold for satellite-quality coverage used by Global
    Fishing Watch's AIS-disabling study (Welch et al. 2022, Science Advances: gaps of
    12 h or more), where orbit revisits leave ordinary gaps of a few hours."""

    min_gap_h: float = 12.0

    def validate(self) -> None:
        positive("ais_gap", min_gap_h=self.min_gap_h)


def gap_rows_sql(min_gap_s: float) -> str:
    """Consecutive positions of one thread at least ``min_gap_s`` apart."""
    return (
        "SELECT g.mmsi, g.track, g.prev_t_s AS start_s, g.t_s AS end_s, "
        "g.prev_lat AS lat, g.prev_lon AS lon, g.lat AS end_lat, g.lon AS end_lon, "
        "g.dist_m, g.implied_kn, g.point, g.prev_speed_kn AS start_speed_kn, "
        "g.speed_kn AS end_speed_kn FROM aw_tracks g "
        f"WHERE NOT g.dup AND g.prev_t_s IS NOT NULL AND g.t_s - g.prev_t_s >= {lit(min_gap_s)}"
    )


def nearest_concern_sql(source: str, keys: list[str], lat: str, lon: str, prefix: str) -> str:
    """For each row of ``source`` (unique on ``keys``): nearest place of concern."""
    k = ", ".join(f"e.{c}" for c in keys)
    d = hav_m(f"e.{lat}", f"e.{lon}", "p.lat", "p.lon")
    inner = (
        f"SELECT {k}, p.port_id AS {prefix}port, p.roles AS {prefix}roles, {d} AS {prefix}dist_m, "
        f"p.port_idx AS {prefix}port_idx "
        f"FROM {source} e CROSS JOIN aw_ports p WHERE p.is_concern"
    )
    order = f"{prefix}dist_m, {prefix}port_idx"  # a total order (alias circles may tie)
    part = ", ".join(keys)
    return (
        f"SELECT * FROM (SELECT q.*, ROW_NUMBER() OVER (PARTITION BY {part} ORDER BY {order}) "
        f"AS rn FROM ({inner}) q) r WHERE rn = 1"
    )


@register_detector("ais_gap", "1", GapParams, "AIS dark periods of one ship >= min_gap_h")
def detect_gaps(ctx: Context, params: GapParams) -> pa.Table:
    keys = ["mmsi", "track", "start_s"]
    on_a = " AND ".join(f"g.{c} = a.{c}" for c in keys)
    on_b = " AND ".join(f"g.{c} = b.{c}" for c in keys)
    ctx.backend.run(
        [
            SqlStep(gap_rows_sql(params.min_gap_h * 3600.0), "aw_gap_rows"),
            SqlStep(nearest_concern_sql("aw_gap_rows", keys, "lat", "lon", "s_"), "aw_gap_s"),
            SqlStep(nearest_concern_sql("aw_gap_rows", keys, "end_lat", "end_lon", "e_"),
                    "aw_gap_e"),
            SqlStep(
                "SELECT g.*, a.s_port, a.s_roles, a.s_dist_m, b.e_port, b.e_roles, b.e_dist_m, "
                "t.n_short, t.n_points FROM aw_gap_rows g "
                f"LEFT JOIN aw_gap_s a ON {on_a} LEFT JOIN aw_gap_e b ON {on_b} "
                "JOIN aw_threads t ON t.mmsi = g.mmsi AND t.track = g.track",
                "aw_gap",
            ),
        ]
    )
    t = ctx.backend.to_arrow("SELECT * FROM aw_gap ORDER BY mmsi, start_s")
    dur = f64(t, "end_s") - f64(t, "start_s")
    # share of the thread's *other* intervals under an hour (this gap is not one of them)
    dense = np.clip(f64(t, "n_short") / np.maximum(f64(t, "n_points") - 2, 1), 0, 1)
    thr = params.min_gap_h * 3600.0
    conf = 0.5 + 0.25 * np.minimum(1, np.log2(np.maximum(dur, thr) / thr)) + 0.25 * dense
    km = 1000.0
    return events_from(t, "ais_gap", conf, {
        "duration_h": np.round(dur / 3600.0, 3),
        "distance_km": np.round(f64(t, "dist_m") / km, 3),
        "implied_speed_kn": np.round(f64(t, "implied_kn"), 2),
        "track": t["track"],
        "start_nearest_concern": t["s_port"],
        "start_nearest_concern_roles": t["s_roles"],
        "start_nearest_concern_km": np.round(f64(t, "s_dist_m") / km, 1),
        "end_nearest_concern": t["e_port"],
        "end_nearest_concern_roles": t["e_roles"],
        "end_nearest_concern_km": np.round(f64(t, "e_dist_m") / km, 1),
        "dense_coverage_share": np.round(dense, 3),
    })
