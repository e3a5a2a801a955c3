"""``spoofing``: positions a real ship cannot have sent.

Two kinds of evidence, merged per MMSI into one event while they continue:

* ``jump`` — a position unreachable from the MMSI's previous fix: the implied speed
  exceeds the segmentation's ``max_speed_kn`` (50 kn) beyond its noise slack, over at least
  ``min_jump_m``. A false fix and the return to the true track are two jumps; two ships
  broadcasting one MMSI (cloned identity) jump continually — ``kind`` then says
  ``shared_mmsi`` (several threads of at least 10 positions overlapping in time);
* ``on_land`` — positions inland (land grid with no water within the margin, outside the
  water overrides) and farther than ``port_margin_m`` beyond any port or area: rivers and
  canals near known ports are thereby not reported.

Evidence less than ``merge_gap_h`` apart forms one event. Confidence basis: 0.5 for a
single jump (0.6 if faster than 10 x the limit), +0.2 when several jumps repeat, +0.3
when positions are inland as well, 0.7 for inland positions alone (0.85 for several).
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


@register_detector("spoofing", "1", SpoofParams, "impossible jumps and positions on land")
def detect_spoofing(ctx: Context, params: SpoofParams) -> pa.Table:
    cells = ctx.port_cells(params.port_margin_m, "all")
    gap_s = params.merge_gap_h * 3600.0
    ctx.backend.run([
        SqlStep(
            "SELECT mmsi, track, point, t_s, lat, lon, jump AND jump_m >= "
            f"{params.min_jump_m} AS is_jump, on_land AS is_land, jump_kn "
            "FROM aw_tracks WHERE NOT dup AND ((jump AND jump_m >= "
            f"{params.min_jump_m}) OR on_land)",
            "aw_sp_cand",
        ),
        # inland positions near ports or areas are river/canal traffic, not evidence
        SqlStep(
            "SELECT * FROM aw_sp_cand WHERE is_jump UNION ALL SELECT * FROM ("
            + not_near_port_sql("(SELECT * FROM aw_sp_cand WHERE is_land AND NOT is_jump)",
                                ["mmsi", "track", "point"], "lat", "lon", cells)
            + ") q",
            "aw_sp_ev",
        ),
        SqlStep(
            "SELECT *, SUM(CASE WHEN pt IS NULL OR t_s - pt > "
            f"{gap_s} THEN 1 ELSE 0 END) OVER (PARTITION BY mmsi ORDER BY t_s, track, point "
            "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS grp FROM ("
            "SELECT *, LAG(t_s) OVER (PARTITION BY mmsi ORDER BY t_s, track, point) AS pt "
            "FROM aw_sp_ev) q",
            "aw_sp_grp",
        ),
        SqlStep(
            "SELECT mmsi, grp, min(t_s) AS start_s, max(t_s) AS end_s, "
            "MIN_BY(lat, t_s) AS lat, MIN_BY(lon, t_s) AS lon, MAX_BY(lat, t_s) AS end_lat, "
            "MAX_BY(lon, t_s) AS end_lon, sum(CASE WHEN is_jump THEN 1 ELSE 0 END) AS n_jumps, "
            "sum(CASE WHEN is_land THEN 1 ELSE 0 END) AS n_land, max(jump_kn) AS max_jump_kn "
            "FROM aw_sp_grp GROUP BY mmsi, grp",
            "aw_sp_events",
        ),
        # MMSIs with several substantial threads alive at the same time: shared identity
        SqlStep(
            "SELECT DISTINCT a.mmsi FROM aw_threads a JOIN aw_threads b ON a.mmsi = b.mmsi "
            "AND a.track < b.track AND a.first_s < b.last_s AND b.first_s < a.last_s "
            "WHERE a.n_points >= 10 AND b.n_points >= 10",
            "aw_sp_shared",
        ),
        SqlStep(
            "SELECT e.*, s.mmsi IS NOT NULL AS shared FROM aw_sp_events e "
            "LEFT JOIN aw_sp_shared s ON s.mmsi = e.mmsi",
            "aw_spoofing",
        ),
    ])
    t = ctx.backend.to_arrow("SELECT * FROM aw_spoofing ORDER BY mmsi, start_s")
    n = t.num_rows
    jumps = pc.cast(t["n_jumps"], pa.float64()).to_numpy(zero_copy_only=False)
    land = pc.cast(t["n_land"], pa.float64()).to_numpy(zero_copy_only=False)
    vmax = pc.cast(pc.fill_null(t["max_jump_kn"], 0.0), pa.float64()).to_numpy(
        zero_copy_only=False)
    shared = t["shared"].to_numpy(zero_copy_only=False).astype(bool)
    conf = np.where(jumps > 0, 0.5 + 0.1 * (vmax > 500) + 0.2 * (jumps > 2), 0.0)
    conf = np.where(land > 0, np.where(jumps > 0, conf + 0.3, 0.7 + 0.15 * (land > 1)), conf)
    kinds = [
        ";".join(k for k, on in (("shared_mmsi", s and j > 0), ("jump", j > 0 and not s),
                                 ("on_land", la > 0)) if on)
        for j, la, s in zip(jumps, land, shared, strict=True)
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
            "d_jumps": pa.array(jumps.astype(np.int64)),
            "d_positions_on_land": pa.array(land.astype(np.int64)),
            "d_max_jump_speed_kn": pc.round(pc.cast(t["max_jump_kn"], pa.float64()), 0),
        },
        n,
    )
