"""``spoofing``: positions a real ship cannot have sent.

Evidence, merged per MMSI into one event while it overlaps or lies less than
``merge_gap_h`` apart:

* a *false thread* — segmentation (:mod:`armswatch.tracks`) puts a fix no earlier fix
  of the MMSI can reach (implied speed above 50 kn beyond the noise slack, over at least
  ``min_jump_m``) on a new identity thread. A thread that begins with such a jump and is
  not the MMSI's main thread (most positions) is evidence from its first to its last fix:
  a glitch is a one-point thread, a shifted track or a point inland a longer one (but not
  when both its ends lie on the main thread's own path: late timestamps). When the
  main thread keeps reporting *during* it (at least 3 fixes), two transmitters share the
  MMSI: ``kind`` ``shared_mmsi``, else ``position_jump``;
* positions *inland* (land grid with no water within the margin, outside the water
  overrides) inside a false thread add ``on_land`` to the kind. Inland positions alone are
  evidence only with ``inland_alone`` (then farther than ``port_margin_m`` beyond any port
  or area): the grid counts lakes and rivers as land.

Confidence basis: 0.6 for a false thread (0.7 when its jump implies more than 10 x the
speed limit), +0.2 if it is on land as well, +0.1 for a shared MMSI seen for at least 10
fixes; inland positions alone 0.7 (0.85 for several).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from armswatch.detect._base import Context, events_from, f64, positive, register_detector
from armswatch.detect._sql import hav_m, lit, not_near_port_sql
from armswatch.engine import SqlStep


@dataclass(frozen=True, slots=True)
class SpoofParams:
    """min_jump_m: 2 km — smaller jumps are within receiver clock skew at sea speeds.
    own_track_m: 3 km — a false thread whose first and last fixes both lie this close to
    fixes of the main thread is the ship's own past with wrong (delayed) timestamps, as
    store-and-forward satellite feeds deliver them; spoofed positions lie tens of km off.
    merge_gap_h: 1 h between pieces of evidence of one event.
    inland_alone: False — inland positions count only inside a false thread. The land
    grid counts lakes and rivers as land, and on real feeds standalone inland positions
    are inland-waterway traffic (Great Lakes, Mississippi, Rhine, Amazon, Amur: 208 of the
    211 spoofing events the GFW sample gave with it on). port_margin_m: with
    inland_alone, inland positions closer than 25 km beyond a port or area are ignored."""

    min_jump_m: float = 2_000.0
    own_track_m: float = 3_000.0
    merge_gap_h: float = 1.0
    inland_alone: bool = False
    port_margin_m: float = 25_000.0

    def validate(self) -> None:
        positive("spoofing", min_jump_m=self.min_jump_m, merge_gap_h=self.merge_gap_h)


@register_detector("spoofing", "1", SpoofParams, "false threads (jumps) and positions on land")
def detect_spoofing(ctx: Context, params: SpoofParams) -> pa.Table:
    gap_s = lit(params.merge_gap_h * 3600.0)
    own = lit(params.own_track_m)
    key = "ON a.mmsi = b.mmsi AND a.track = b.track"
    if params.inland_alone:
        ctx.backend.run(_inland_steps(ctx.port_cells(params.port_margin_m, "all"), gap_s))
    ctx.backend.run([
        SqlStep(
            "SELECT mmsi, track, jump_m, jump_kn FROM aw_tracks WHERE NOT dup AND point = 0 "
            f"AND jump AND jump_m >= {lit(params.min_jump_m)}",
            "aw_sp_starts",
        ),
        SqlStep(
            "SELECT mmsi, track FROM (SELECT mmsi, track, ROW_NUMBER() OVER (PARTITION BY mmsi "
            "ORDER BY n_points DESC, first_s, track) AS rn FROM aw_threads) q WHERE rn = 1",
            "aw_sp_main",
        ),
        SqlStep(
            "SELECT a.mmsi, a.track, a.first_s AS start_s, a.last_s AS end_s, a.n_points, "
            "a.first_lat, a.first_lon, a.last_lat, a.last_lon, a.n_land, b.jump_kn "
            "FROM aw_threads a JOIN aw_sp_starts b " + key + " "
            "LEFT JOIN aw_sp_main m ON m.mmsi = a.mmsi AND m.track = a.track "
            "WHERE m.mmsi IS NULL",
            "aw_sp_false0",
        ),
        # a "false" thread whose ends lie on the main thread's own path is the main
        # thread's past reported late (store-and-forward satellite timestamps), not spoofing
        SqlStep(
            "SELECT f.mmsi, f.track, "
            f"min({hav_m('f.first_lat', 'f.first_lon', 't.lat', 't.lon')}) AS d_first, "
            f"min({hav_m('f.last_lat', 'f.last_lon', 't.lat', 't.lon')}) AS d_last "
            "FROM aw_sp_false0 f JOIN aw_sp_main m ON m.mmsi = f.mmsi JOIN aw_tracks t "
            "ON t.mmsi = m.mmsi AND t.track = m.track AND NOT t.dup GROUP BY f.mmsi, f.track",
            "aw_sp_ontrack",
        ),
        SqlStep(
            "SELECT f.* FROM aw_sp_false0 f LEFT JOIN aw_sp_ontrack o ON o.mmsi = f.mmsi "
            f"AND o.track = f.track WHERE NOT (coalesce(o.d_first, 1e12) <= {own} "
            f"AND coalesce(o.d_last, 1e12) <= {own})",
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
            "SELECT f.mmsi, f.start_s, f.end_s, f.first_lat AS lat, f.first_lon AS lon, "
            "f.last_lat AS end_lat, f.last_lon AS end_lon, 1 AS n_false, "
            "f.n_points AS n_false_points, f.n_land, f.jump_kn, "
            "CASE WHEN coalesce(i.n_main, 0) >= 3 THEN 1 ELSE 0 END AS shared "
            "FROM aw_sp_false f LEFT JOIN aw_sp_inter i ON i.mmsi = f.mmsi AND i.track = f.track",
            "aw_sp_spans_false",
        ),
        SqlStep(
            "SELECT * FROM aw_sp_spans_false" + (
                " UNION ALL SELECT * FROM aw_sp_spans_land" if params.inland_alone else ""),
            "aw_sp_spans",
        ),
        # merge overlapping or close spans of one MMSI
        # (ties in start_s, end_s give the same groups; kf/kl: total orders for the ends)
        SqlStep(
            "SELECT *, SUM(CASE WHEN prev_end IS NULL OR start_s > prev_end + "
            f"{gap_s} THEN 1 ELSE 0 END) OVER (PARTITION BY mmsi ORDER BY start_s, end_s "
            "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS grp, "
            "ROW_NUMBER() OVER (PARTITION BY mmsi ORDER BY start_s, lat, lon, end_s) AS kf, "
            "ROW_NUMBER() OVER (PARTITION BY mmsi ORDER BY end_s DESC, end_lat, end_lon, "
            "start_s) AS kl FROM ("
            "SELECT *, MAX(end_s) OVER (PARTITION BY mmsi ORDER BY start_s, end_s "
            "ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end FROM aw_sp_spans) q",
            "aw_sp_grp",
        ),
        SqlStep(
            "SELECT mmsi, grp, min(start_s) AS start_s, max(end_s) AS end_s, "
            "MIN_BY(lat, kf) AS lat, MIN_BY(lon, kf) AS lon, "
            "MIN_BY(end_lat, kl) AS end_lat, MIN_BY(end_lon, kl) AS end_lon, "
            "sum(n_false) AS n_false, sum(n_false_points) AS n_false_points, "
            "sum(n_land) AS n_land, max(jump_kn) AS max_jump_kn, max(shared) AS shared "
            "FROM aw_sp_grp GROUP BY mmsi, grp",
            "aw_spoofing",
        ),
    ])
    t = ctx.backend.to_arrow("SELECT * FROM aw_spoofing ORDER BY mmsi, start_s")
    false, false_pts, land, vmax, shared = (f64(t, c, fill=0.0) for c in (
        "n_false", "n_false_points", "n_land", "max_jump_kn", "shared"))
    shared_b = shared > 0
    conf = np.where(false > 0, 0.6 + 0.1 * (vmax > 500) + 0.2 * (land > 0)
                    + 0.1 * (shared_b & (false_pts >= 10)), 0.7 + 0.15 * (land > 1))
    kinds = [
        ";".join(k for k, on in (("shared_mmsi", f > 0 and s), ("position_jump", f > 0 and not s),
                                 ("on_land", la > 0)) if on)
        for f, la, s in zip(false, land, shared_b, strict=True)
    ]
    return events_from(t, "spoofing", conf, {
        "kind": pa.array(kinds, pa.string()),
        "false_threads": false.astype(np.int64),
        "false_positions": false_pts.astype(np.int64),
        "positions_on_land": land.astype(np.int64),
        "max_jump_speed_kn": np.round(f64(t, "max_jump_kn")),
    })


def _inland_steps(cells: str, gap_s: str) -> list[SqlStep]:
    """Inland positions of any thread, far from ports, as spans (``inland_alone``)."""
    return [
        # inland positions near ports or areas are river/canal traffic, not evidence
        SqlStep(
            "SELECT * FROM (" + not_near_port_sql(
                "(SELECT mmsi, track, point, t_s, lat, lon FROM aw_tracks "
                "WHERE NOT dup AND on_land)", ["mmsi", "track", "point"], "lat", "lon", cells)
            + ") q",
            "aw_sp_land",
        ),
        SqlStep(
            "SELECT mmsi, min(t_s) AS start_s, max(t_s) AS end_s, MIN_BY(lat, k) AS lat, "
            "MIN_BY(lon, k) AS lon, MAX_BY(lat, k) AS end_lat, MAX_BY(lon, k) AS end_lon, "
            "0 AS n_false, 0 AS n_false_points, count(*) AS n_land, "
            "CAST(NULL AS FLOAT) AS jump_kn, 0 AS shared FROM ("
            "SELECT *, SUM(CASE WHEN pt IS NULL OR t_s - pt > "
            f"{gap_s} THEN 1 ELSE 0 END) OVER (PARTITION BY mmsi ORDER BY t_s, track, point "
            "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS grp FROM ("
            "SELECT *, LAG(t_s) OVER (PARTITION BY mmsi ORDER BY t_s, track, point) AS pt, "
            "ROW_NUMBER() OVER (PARTITION BY mmsi ORDER BY t_s, track, point) AS k "
            "FROM aw_sp_land) q) r GROUP BY mmsi, grp",
            "aw_sp_spans_land",
        ),
    ]
