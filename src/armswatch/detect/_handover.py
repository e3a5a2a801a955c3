"""MMSI handover: one ship's track continues under another MMSI (no shared IMO needed).

Candidates: MMSI A falls silent for good and MMSI B is first heard within
``handover_max_gap_h`` after, where A was last seen — within what the ship could sail —
both at sea (at least ``min_port_distance_m`` from ports: port traffic turns over all
the time), away from the edges of the data, and the motion continues: the two ends'
speeds agree within ``handover_speed_kn`` and the speed implied across the handover
agrees with them (two ships crossing a coverage edge in opposite directions do not).
Each MMSI takes part in one handover at most (the closest). When both MMSIs sent their
dimensions, lengths must agree within 10 m and the ship-type category must match.
"""

from __future__ import annotations

from typing import Any

from armswatch.detect._base import Context
from armswatch.detect._sql import hav_m, lit, near_port_sql, nn
from armswatch.engine import SqlStep

KN = 1852.0 / 3600.0


def handover_steps(ctx: Context, max_gap_h: float, speed_kn: float, port_m: float,
                   min_points: int = 10) -> list[SqlStep]:
    cells = ctx.port_cells(port_m, "all", grow="max")
    max_dt = max_gap_h * 3600.0
    d = hav_m("a.last_lat", "a.last_lon", "b.first_lat", "b.first_lon")
    return [
        SqlStep(
            "SELECT mmsi, min(first_s) AS first_s, max(last_s) AS last_s, "
            "MIN_BY(first_lat, kf) AS first_lat, MIN_BY(first_lon, kf) AS first_lon, "
            "MIN_BY(last_lat, kl) AS last_lat, MIN_BY(last_lon, kl) AS last_lon FROM ("
            "SELECT *, ROW_NUMBER() OVER (PARTITION BY mmsi ORDER BY first_s, track) AS kf, "
            "ROW_NUMBER() OVER (PARTITION BY mmsi ORDER BY last_s DESC, track) AS kl "
            f"FROM aw_threads) q GROUP BY mmsi HAVING sum(n_points) >= {min_points}",
            "aw_hv_span",
        ),
        SqlStep(
            "SELECT a.mmsi AS old_mmsi, b.mmsi AS new_mmsi, a.last_s AS start_s, "
            "b.first_s AS end_s, a.last_lat AS lat, a.last_lon AS lon, b.first_lat AS end_lat, "
            f"b.first_lon AS end_lon, {d} AS dist_m "
            "FROM aw_hv_span a JOIN aw_hv_span b ON b.first_s > a.last_s "
            f"AND b.first_s <= a.last_s + {lit(max_dt)} AND a.mmsi <> b.mmsi "
            "CROSS JOIN (SELECT min(first_s) AS t0, max(last_s) AS t1 FROM aw_threads) w "
            "WHERE a.last_s < w.t1 - 3600 AND b.first_s > w.t0 + 3600 "
            f"AND {d} <= LEAST(50000.0e0, 2000.0e0 + {lit(30 * KN)} * (b.first_s - a.last_s))",
            "aw_hv_cand0",
        ),
        # both ends at sea
        SqlStep(
            "SELECT c.* FROM aw_hv_cand0 c LEFT JOIN (SELECT DISTINCT old_mmsi, new_mmsi FROM ("
            + near_port_sql("aw_hv_cand0", "lat", "lon", cells) + " UNION ALL "
            + near_port_sql("aw_hv_cand0", "end_lat", "end_lon", cells)
            + ") q) n ON n.old_mmsi = c.old_mmsi AND n.new_mmsi = c.new_mmsi "
            "WHERE n.old_mmsi IS NULL",
            "aw_hv_cand1",
        ),
        # motion continues across the handover
        SqlStep(
            "SELECT * FROM (SELECT c.*, sa.speed_kn AS old_speed_kn, sb.speed_kn AS new_speed_kn, "
            f"c.dist_m / GREATEST(c.end_s - c.start_s, 1) / {lit(KN)} AS implied_kn "
            "FROM aw_hv_cand1 c JOIN aw_tracks sa ON sa.mmsi = c.old_mmsi AND sa.t_s = c.start_s "
            "AND NOT sa.dup JOIN aw_tracks sb ON sb.mmsi = c.new_mmsi AND sb.t_s = c.end_s "
            "AND NOT sb.dup) q "
            f"WHERE ABS(old_speed_kn - new_speed_kn) <= {lit(speed_kn)} "
            f"AND ABS(implied_kn - (old_speed_kn + new_speed_kn) / 2) <= {lit(speed_kn)}",
            "aw_hv_cand2",
        ),
        SqlStep(
            "SELECT * FROM (SELECT c.*, "
            "ROW_NUMBER() OVER (PARTITION BY old_mmsi ORDER BY dist_m, new_mmsi) AS r1, "
            "ROW_NUMBER() OVER (PARTITION BY new_mmsi ORDER BY dist_m, old_mmsi) AS r2 "
            "FROM aw_hv_cand2 c) q WHERE r1 = 1 AND r2 = 1",
            "aw_hv_pairs",
        ),
        SqlStep(
            "SELECT mmsi, max(to_bow_m + to_stern_m) AS length_m, "
            f"MIN_BY(ship_type, {nn('ship_type')}) AS ship_type, "
            f"MIN_BY(name, {nn('name')}) AS name FROM ("
            "SELECT *, ROW_NUMBER() OVER (PARTITION BY mmsi ORDER BY t_s DESC, name, "
            "ship_type, msg_type) AS k FROM aw_statics WHERE mmsi IN (SELECT old_mmsi FROM "
            "aw_hv_pairs UNION SELECT new_mmsi FROM aw_hv_pairs)) q GROUP BY mmsi",
            "aw_hv_statics",
        ),
    ]


def handovers(ctx: Context, max_gap_h: float, speed_kn: float, port_m: float
              ) -> list[dict[str, Any]]:
    """Handover pairs as dicts (old_mmsi, new_mmsi, times, positions, speeds, statics)."""
    ctx.backend.run(handover_steps(ctx, max_gap_h, speed_kn, port_m))
    pairs = ctx.backend.to_arrow("SELECT * FROM aw_hv_pairs ORDER BY start_s").to_pylist()
    statics = {r["mmsi"]: r for r in ctx.backend.to_arrow("aw_hv_statics").to_pylist()}
    out = []
    for p in pairs:
        a, b = statics.get(p["old_mmsi"], {}), statics.get(p["new_mmsi"], {})
        la, lb = a.get("length_m"), b.get("length_m")
        ta, tb = a.get("ship_type"), b.get("ship_type")
        if la and lb and abs(la - lb) > 10:
            continue
        if ta and tb and ta // 10 != tb // 10:
            continue
        p["same_dimensions"] = bool(la and lb)
        p["old_name"], p["new_name"] = a.get("name"), b.get("name")
        out.append(p)
    return out
