"""``encounter``: two ships side by side at sea, slow, for hours (possible transfer).

Definition (Global Fishing Watch; Miller et al. 2018, "Identifying global patterns of
transshipment behavior", Frontiers in Marine Science): two vessels within
``max_distance_m`` (500 m) of each other for at least ``min_duration_h`` (2 h), with a
median speed below ``max_median_speed_kn`` (2 kn) each, at least ``min_port_distance_m``
(10 km) from a port or anchorage (and outside its radius). As in GFW's pipeline, tracks
are first resampled to ``bin_min`` (10 min) intervals — the mean position of the reports
in each interval, and positions interpolated across silences up to ``max_interpolate_h``
— so sparse satellite tracks meet in time. Close intervals may be missing for up to
``max_gap_min``.

Proximity is an equi-join on grid cells (rows of ~556 m; columns widened by latitude
band so a cell is never narrower than the distance) against the 3 x 3 neighbouring cells,
then a haversine filter: the same SQL runs on DuckDB and Spark. Tracks crossing the
antimeridian are not paired.

Confidence basis: ``0.5 + 0.25 * min(1, duration / min_duration - 1) + 0.25 * observed``
where ``observed`` is the share of close intervals in which both ships actually reported
(the rest are interpolated).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from armswatch.detect._base import Context, events_from, f64, positive, register_detector
from armswatch.detect._sql import hav_m, lit, not_near_port_sql
from armswatch.engine import SqlStep


@dataclass(frozen=True, slots=True)
class EncounterParams:
    """Defaults are GFW's encounter definition; bin_min (10 min) is GFW's resampling
    interval; max_interpolate_h (3 h) bounds the silences bridged by interpolation;
    max_gap_min (30 min) the missing close intervals tolerated inside one encounter;
    max_bin_speed_kn (4 kn, twice the median limit): faster positions and intervals are
    sailing, not lying alongside, and are not paired (this also keeps the work small)."""

    max_distance_m: float = 500.0
    min_duration_h: float = 2.0
    max_median_speed_kn: float = 2.0
    min_port_distance_m: float = 10_000.0
    bin_min: float = 10.0
    max_interpolate_h: float = 3.0
    max_gap_min: float = 30.0
    max_bin_speed_kn: float = 4.0

    def validate(self) -> None:
        positive("encounter", max_distance_m=self.max_distance_m,
                 max_bin_speed_kn=self.max_bin_speed_kn,
                 min_duration_h=self.min_duration_h, max_median_speed_kn=self.max_median_speed_kn,
                 bin_min=self.bin_min, max_interpolate_h=self.max_interpolate_h)


def _helpers(ctx: Context, max_bins: int) -> None:
    ctx.backend.register("aw_nums", pa.table({"k": pa.array(range(max_bins + 1), pa.int64())}))
    ctx.backend.register(
        "aw_off3",
        pa.table({"dy": pa.array([-1, -1, -1, 0, 0, 0, 1, 1, 1], pa.int64()),
                  "dx": pa.array([-1, 0, 1, -1, 0, 1, -1, 0, 1], pa.int64())}),
    )


def encounter_steps(p: EncounterParams, cells: str) -> list[SqlStep]:
    bin_s = lit(p.bin_min * 60.0)
    half = lit(p.bin_min * 30.0)
    cell = lit(p.max_distance_m / 111_195.0 * 1.01)  # a row a little taller than the distance

    def width(cy: str) -> str:  # longitude width of cells in row cy (never narrower than dist)
        edge = f"LEAST(ABS(CAST({cy} AS DOUBLE) * {cell}) + {cell}, 89.0e0)"
        return f"({cell} / COS(RADIANS({edge})))"

    max_gap_bins = math.floor(p.max_gap_min / p.bin_min)
    vbin, vmed = lit(p.max_bin_speed_kn), lit(p.max_median_speed_kn)
    return [
        SqlStep(
            f"SELECT mmsi, track, CAST(FLOOR(t_s / {bin_s}) AS BIGINT) AS b, avg(lat) AS lat, "
            "avg(lon) AS lon, avg(speed_kn) AS v, 1 AS obs FROM aw_tracks "
            "WHERE NOT dup AND NOT on_land "
            f"AND (speed_kn IS NULL OR speed_kn <= {vbin}) "
            f"GROUP BY mmsi, track, CAST(FLOOR(t_s / {bin_s}) AS BIGINT)",
            "aw_en_obs",
        ),
        SqlStep(
            "SELECT x.mmsi, x.track, x.b0 + n.k AS b, "
            f"x.plat + (x.lat - x.plat) * ((CAST(x.b0 + n.k AS DOUBLE) * {bin_s} + {half} "
            "- x.pt) / x.dt) AS lat, "
            f"x.plon + (x.lon - x.plon) * ((CAST(x.b0 + n.k AS DOUBLE) * {bin_s} + {half} "
            "- x.pt) / x.dt) AS lon, x.v, 0 AS obs FROM ("
            "SELECT mmsi, track, prev_t_s AS pt, t_s - prev_t_s AS dt, prev_lat AS plat, "
            "prev_lon AS plon, lat, lon, implied_kn AS v, "
            f"CAST(FLOOR(prev_t_s / {bin_s}) AS BIGINT) AS b0, "
            f"CAST(FLOOR(t_s / {bin_s}) AS BIGINT) AS b1 FROM aw_tracks "
            "WHERE NOT dup AND NOT on_land AND prev_t_s IS NOT NULL "
            f"AND (implied_kn IS NULL OR implied_kn <= {vbin}) "
            f"AND t_s - prev_t_s <= {lit(p.max_interpolate_h * 3600.0)} "
            "AND ABS(lon - prev_lon) < 180"
            f") x JOIN aw_nums n ON n.k >= 1 AND n.k < x.b1 - x.b0 WHERE x.b1 - x.b0 >= 2",
            "aw_en_interp",
        ),
        SqlStep(
            "SELECT * FROM (SELECT * FROM aw_en_obs UNION ALL SELECT * FROM aw_en_interp) q "
            f"WHERE v IS NULL OR v <= {vbin}",
            "aw_en_bins",
        ),
        SqlStep(
            f"SELECT *, CAST(FLOOR(lat / {cell}) AS BIGINT) AS cy FROM ("
            + not_near_port_sql("aw_en_bins", ["mmsi", "track", "b"], "lat", "lon", cells)
            + ") q",
            "aw_en_away",
        ),
        SqlStep(
            # cx_s / cx_n: the column in the rows south / north (their cells are wider
            # or narrower), computed once here rather than for every neighbour probed
            f"SELECT *, CAST(FLOOR(lon / {width('cy')}) AS BIGINT) AS cx, "
            f"CAST(FLOOR(lon / {width('cy - 1')}) AS BIGINT) AS cx_s, "
            f"CAST(FLOOR(lon / {width('cy + 1')}) AS BIGINT) AS cx_n FROM aw_en_away",
            "aw_en_cells",
        ),
        SqlStep(
            "SELECT l.mmsi AS m1, l.track AS t1, c.mmsi AS m2, c.track AS t2, l.b, "
            "l.lat AS lat1, l.lon AS lon1, c.lat AS lat2, c.lon AS lon2, l.v AS v1, c.v AS v2, "
            f"l.obs * c.obs AS obs, {hav_m('l.lat', 'l.lon', 'c.lat', 'c.lon')} AS d "
            "FROM (SELECT a.*, a.cy + o.dy AS jy, "
            "CASE o.dy WHEN -1 THEN a.cx_s WHEN 0 THEN a.cx ELSE a.cx_n END + o.dx AS jx "
            "FROM aw_en_cells a CROSS JOIN aw_off3 o) l "
            "JOIN aw_en_cells c ON c.b = l.b AND c.cy = l.jy AND c.cx = l.jx AND l.mmsi < c.mmsi "
            f"WHERE {hav_m('l.lat', 'l.lon', 'c.lat', 'c.lon')} <= {lit(p.max_distance_m)}",
            "aw_en_pairs",
        ),
        SqlStep(
            "SELECT *, SUM(CASE WHEN pb IS NULL OR b - pb - 1 > "
            f"{max_gap_bins} THEN 1 ELSE 0 END) OVER (PARTITION BY m1, t1, m2, t2 ORDER BY b "
            "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS grp FROM ("
            "SELECT *, LAG(b) OVER (PARTITION BY m1, t1, m2, t2 ORDER BY b) AS pb "
            "FROM aw_en_pairs) q",
            "aw_en_grp",
        ),
        SqlStep(
            f"SELECT m1, m2, t1, t2, CAST(min(b) AS DOUBLE) * {bin_s} AS start_s, "
            f"CAST(max(b) + 1 AS DOUBLE) * {bin_s} AS end_s, "
            "(MIN_BY(lat1, b) + MIN_BY(lat2, b)) / 2 AS lat, "
            "(MIN_BY(lon1, b) + MIN_BY(lon2, b)) / 2 AS lon, "
            "(MAX_BY(lat1, b) + MAX_BY(lat2, b)) / 2 AS end_lat, "
            "(MAX_BY(lon1, b) + MAX_BY(lon2, b)) / 2 AS end_lon, "
            "median(v1) AS v1, median(v2) AS v2, min(d) AS min_d, avg(d) AS mean_d, "
            "count(*) AS n_bins, avg(obs) AS observed "
            "FROM aw_en_grp GROUP BY m1, m2, t1, t2, grp "
            f"HAVING (max(b) - min(b) + 1) * {bin_s} >= {lit(p.min_duration_h * 3600.0)} "
            f"AND median(v1) < {vmed} AND median(v2) < {vmed}",
            "aw_encounters",
        ),
    ]


@register_detector("encounter", "1", EncounterParams, "two ships within 500 m, slow, >= 2 h")
def detect_encounters(ctx: Context, params: EncounterParams) -> pa.Table:
    _helpers(ctx, math.ceil(params.max_interpolate_h * 60 / params.bin_min) + 1)
    cells = ctx.port_cells(params.min_port_distance_m, "all", grow="max")
    ctx.backend.run(encounter_steps(params, cells))
    t = ctx.backend.to_arrow("SELECT * FROM aw_encounters ORDER BY m1, start_s")
    dur = f64(t, "end_s") - f64(t, "start_s")
    obs = f64(t, "observed")
    conf = 0.5 + 0.25 * np.minimum(1, dur / (params.min_duration_h * 3600.0) - 1) + 0.25 * obs
    return events_from(t, "encounter", conf, {
        "duration_h": np.round(dur / 3600.0, 3),
        "median_speed_kn": np.round(f64(t, "v1"), 2),
        "other_median_speed_kn": np.round(f64(t, "v2"), 2),
        "min_distance_m": np.round(f64(t, "min_d")),
        "mean_distance_m": np.round(f64(t, "mean_d")),
        "observed_share": np.round(obs, 3),
        "track": t["t1"],
        "other_track": t["t2"],
    }, mmsi="m1", other="m2")
