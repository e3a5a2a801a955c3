"""``spoofing``: positions a real ship cannot have sent.

Evidence, merged per MMSI into one event while it overlaps or lies less than
``merge_gap_h`` apart:

* a *false thread* — segmentation (:mod:`armswatch.tracks`) puts a fix no earlier fix
  of the MMSI can reach (implied speed above 50 kn beyond the noise slack, over at least
  ``min_jump_m``) on a new identity thread. A thread that begins with such a jump and is
  not the MMSI's main thread (most positions) is evidence from its first to its last fix:
  a glitch is a one-point thread, a shifted track or a point inland a longer one. When the
  main thread keeps reporting *during* it (at least 3 fixes), two transmitters share the
  MMSI: ``kind`` ``shared_mmsi``, else ``position_jump``;
* ``on_land`` — positions inland (land grid with no water within the margin, outside the
  water overrides) farther than ``port_margin_m`` beyond any port or area: rivers and
  canals near known ports are thereby not reported.

Confidence basis: 0.6 for a false thread (0.7 when its jump implies more than 10 x the
speed limit), +0.2 if it is on land as well, +0.1 for a shared MMSI seen for at least 10
fixes; inland positions alone 0.7 (0.85 for several).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from armswatch.detect._base import Context, positive, raw_events, register_detector
from armswatch.detect._sql import not_near_port_sql
from armswatch.engine import SqlStep


@dataclass(frozen=True, slots=True)
class SpoofParams:
    """min_jump_m: 2 km — smaller jumps are within receiver clock skew at sea speeds.
    port_margin_m: 25 km beyond port areas (river ports lie inland on the 1 km grid).
    merge_gap_h: 1 h between pieces of evidence of one event."""

    min_jump_m: float = 2_000.0
    port_margin_m: float = 25_000.0
    merge_gap_h: float = 1.0

    def validate(self) -> None:
        positive("spoofing", min_jump_m=self.min_jump_m, merge_gap_h=self.merge_gap_h)


@register_detector("spoofing", "1", SpoofParams, "false threads (jumps) and positions on land")
def detect_spoofing(ctx: Context, params: SpoofParams) -> pa.Table:
    cells = ctx.port_cells(params.port_margin_m, "all")
    gap_s = params.merge_gap_h * 3600.0
    key = "ON a.mmsi = b.mmsi AND a.track = b.track"
    ctx.backend.run([
        SqlStep(
            "SELECT mmsi, track, jump_m, jump_kn FROM aw_tracks WHERE NOT dup AND point = 0 "
            f"AND jump AND jump_m >= {params.min_jump_m}",
            "aw_sp_starts",
        ),
        SqlStep(
            "SELECT mmsi, track FROM (SELECT mmsi, track, ROW_NUMBER() OVER (PARTITION BY mmsi "
            "ORDER BY n_points DESC, first_s, track) AS rn FROM aw_threads) q WHERE rn = 1",
            "aw_sp_main",
        ),
        SqlStep(
            "SELECT a.mmsi, a.track, a.first_s AS start_s, a.last_s AS end_s, a.n_points, "
            "a.max_point, b.jump_kn FROM aw_threads a JOIN aw_sp_starts b " + key + " "
            "LEFT JOIN aw_sp_main m ON m.mmsi = a.mmsi AND m.track = a.track "
            "WHERE m.mmsi IS NULL",
            "aw_sp_false",
        ),
        # fixes of the main thread during a false thread: two transmitters, one MMSI
        SqlStep(
            "SELECT f.mmsi, f.track, count(*) AS n_main FROM aw_sp_false f "
            "JOIN aw_sp_main m ON m.mmsi = f.mmsi JOIN aw_tracks t ON t.mmsi = m.mmsi "
            "AND t.track = m.track AND NOT t.dup AND t.t_s BETWEEN f.start_s AND f.end_s "
            "GROUP BY f.mmsi, f.track",
            "aw_sp_inter",
        ),
        SqlStep(
            "SELECT f.mmsi, f.start_s, f.end_s, s.lat, s.lon, e.lat AS end_lat, "
            "e.lon AS end_lon, 1 AS n_false, f.n_points AS n_false_points, 0 AS n_land, "
            "f.jump_kn, CASE WHEN coalesce(i.n_main, 0) >= 3 THEN 1 ELSE 0 END AS shared "
            "FROM aw_sp_false f LEFT JOIN aw_sp_inter i ON i.mmsi = f.mmsi AND i.track = f.track "
            "JOIN aw_tracks s ON s.mmsi = f.mmsi AND s.track = f.track AND s.point = 0 "
            "AND NOT s.dup JOIN aw_tracks e ON e.mmsi = f.mmsi AND e.track = f.track "
            "AND e.point = f.max_point AND NOT e.dup",
            "aw_sp_spans_false",
        ),
        # inland positions near ports or areas are river/canal traffic, not evidence
        SqlStep(
            "SELECT * FROM (" + not_near_port_sql(
                "(SELECT mmsi, track, point, t_s, lat, lon FROM aw_tracks "
                "WHERE NOT dup AND on_land)", ["mmsi", "track", "point"], "lat", "lon", cells)
            + ") q",
            "aw_sp_land",
        ),
        SqlStep(
            "SELECT mmsi, min(t_s) AS start_s, max(t_s) AS end_s, MIN_BY(lat, t_s) AS lat, "
            "MIN_BY(lon, t_s) AS lon, MAX_BY(lat, t_s) AS end_lat, MAX_BY(lon, t_s) AS end_lon, "
            "0 AS n_false, 0 AS n_false_points, count(*) AS n_land, "
            "CAST(NULL AS FLOAT) AS jump_kn, 0 AS shared FROM ("
            "SELECT *, SUM(CASE WHEN pt IS NULL OR t_s - pt > "
            f"{gap_s} THEN 1 ELSE 0 END) OVER (PARTITION BY mmsi ORDER BY t_s, track, point "
            "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS grp FROM ("
            "SELECT *, LAG(t_s) OVER (PARTITION BY mmsi ORDER BY t_s, track, point) AS pt "
            "FROM aw_sp_land) q) r GROUP BY mmsi, grp",
            "aw_sp_spans_land",
        ),
        SqlStep(
            "SELECT * FROM aw_sp_spans_false UNION ALL SELECT * FROM aw_sp_spans_land",
            "aw_sp_spans",
        ),
        # merge overlapping or close spans of one MMSI
        SqlStep(
            "SELECT *, SUM(CASE WHEN prev_end IS NULL OR start_s > prev_end + "
            f"{gap_s} THEN 1 ELSE 0 END) OVER (PARTITION BY mmsi ORDER BY start_s, end_s "
            "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS grp FROM ("
            "SELECT *, MAX(end_s) OVER (PARTITION BY mmsi ORDER BY start_s, end_s "
            "ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end FROM aw_sp_spans) q",
            "aw_sp_grp",
        ),
        SqlStep(
            "SELECT mmsi, grp, min(start_s) AS start_s, max(end_s) AS end_s, "
            "MIN_BY(lat, start_s) AS lat, MIN_BY(lon, start_s) AS lon, "
            "MAX_BY(end_lat, end_s) AS end_lat, MAX_BY(end_lon, end_s) AS end_lon, "
            "sum(n_false) AS n_false, sum(n_false_points) AS n_false_points, "
            "sum(n_land) AS n_land, max(jump_kn) AS max_jump_kn, max(shared) AS shared "
            "FROM aw_sp_grp GROUP BY mmsi, grp",
            "aw_spoofing",
        ),
    ])
    t = ctx.backend.to_arrow("SELECT * FROM aw_spoofing ORDER BY mmsi, start_s")
    n = t.num_rows

    def arr(name: str) -> np.ndarray:  # type: ignore[type-arg]
        return pc.cast(pc.fill_null(t[name], 0), pa.float64()).to_numpy(zero_copy_only=False)

    false, false_pts, land, vmax, shared = (arr(c) for c in (
        "n_false", "n_false_points", "n_land", "max_jump_kn", "shared"))
    shared_b = shared > 0
    conf = np.where(false > 0, 0.6 + 0.1 * (vmax > 500) + 0.2 * (land > 0)
                    + 0.1 * (shared_b & (false_pts >= 10)), 0.7 + 0.15 * (land > 1))
    kinds = [
        ";".join(k for k, on in (("shared_mmsi", f > 0 and s), ("position_jump", f > 0 and not s),
                                 ("on_land", la > 0)) if on)
        for f, la, s in zip(false, land, shared_b, strict=True)
    ]
    return raw_events(
        {
            "type": ["spoofing"] * n,
            "mmsi": t["mmsi"],
            "start_s": t["start_s"],
            "end_s": t["end_s"],
            "lat": t["lat"],
            "lon": t["lon"],
            "end_lat": t["end_lat"],
            "end_lon": t["end_lon"],
            "confidence": pa.array(np.round(np.clip(conf, 0, 1), 3)),
            "d_kind": pa.array(kinds),
            "d_false_threads": pa.array(false.astype(np.int64)),
            "d_false_positions": pa.array(false_pts.astype(np.int64)),
            "d_positions_on_land": pa.array(land.astype(np.int64)),
            "d_max_jump_speed_kn": pc.round(pc.cast(t["max_jump_kn"], pa.float64()), 0),
        },
        n,
    )
