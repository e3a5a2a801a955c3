"""``port_call``: a ship enters a port's area, stops, and leaves.

Definition (after Global Fishing Watch's port visits: entry, stop or in-port gap, exit):
consecutive positions of one thread inside the same port's area (circle of ``radius_m``
or user polygon) form a visit; the ship may step outside for less than ``merge_gap_h``.
A visit is a port call when it contains a *stop*: reported speed at most
``stop_speed_kn`` over at least ``min_stop_min`` (nav status "moored" or "at anchor"
counts as stopped), or an AIS silence of ``min_dark_stop_h`` inside the port. Start and
end are the first and last positions inside the area.

Confidence basis: 0.6, +0.2 if the entry was observed (the thread was seen before, outside
the area), +0.2 if the exit was observed; x0.85 when the stop is inferred only from a
silence inside the port.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import shapely
from shapely import wkt

from armswatch.detect._base import Context, events_from, f64, positive, register_detector
from armswatch.detect._sql import lit, near_port_sql, quote_str
from armswatch.engine import SqlStep

STOPPED_NAV_STATUS = (1, 5)  # ITU-R M.1371: 1 = at anchor, 5 = moored


@dataclass(frozen=True, slots=True)
class PortCallParams:
    """stop_speed_kn: 0.5 kn, GFW's port-stop end threshold (stop begins below 0.2 kn,
        ends above 0.5 kn). min_stop_min: 30 min stopped. min_dark_stop_h: 4 h, GFW's
        in-port gap ("PORT_GAP") that also counts as a stop. merge_gap_h: 1 h outside the
        area still counts as the same visit. roles: count calls only at ports/areas with
        one of these roles (empty: every port and area, anchorage cells excepted)."""

    stop_speed_kn: float = 0.5
    min_stop_min: float = 30.0
    min_dark_stop_h: float = 4.0
    merge_gap_h: float = 1.0
    roles: tuple[str, ...] = ()

    def validate(self) -> None:
        positive("port_call", stop_speed_kn=self.stop_speed_kn, min_stop_min=self.min_stop_min,
                 min_dark_stop_h=self.min_dark_stop_h, merge_gap_h=self.merge_gap_h)


def in_polygon_kernel(polygons: dict[int, object]) -> object:
    """Kernel keeping the rows (of one ``port_idx`` group) inside that port's polygon."""

    def kernel(t: pa.Table) -> pa.Table:
        if t.num_rows == 0:
            return t
        geom = polygons[int(t["port_idx"][0].as_py())]
        keep = shapely.contains_xy(
            geom, t["lon"].to_numpy(zero_copy_only=False), t["lat"].to_numpy(zero_copy_only=False)
        )
        return t.filter(pa.array(keep))

    return kernel


def in_area_steps(ctx: Context, source: str, out: str, which: str = "calls",
                  roles: tuple[str, ...] = ()) -> None:
    """``out`` = rows of ``source`` (unique on mmsi, track, point) inside a port area,
    each with its one port (places of concern first, then the nearest centre); a port
    may have several circles (aliases from several sources) under one ``port_id``."""
    cells = ctx.port_cells(0.0, which)
    role_filter = ""
    if roles:
        likes = " OR ".join(f"(';' || p.roles || ';') LIKE {quote_str('%;' + r + ';%')}"
                            for r in roles)
        role_filter = f" AND ({likes})"
    ctx.backend.run([SqlStep(
        "SELECT q.*, p.is_polygon, p.is_concern, p.port_id, p.name AS port_name, "
        f"p.roles AS port_roles FROM ({near_port_sql(source, 'lat', 'lon', cells)}"
        f") q JOIN aw_ports p ON p.port_idx = q.port_idx WHERE TRUE{role_filter}",
        f"{out}_cand",
    )])
    polys = {i: wkt.loads(p.polygon_wkt) for i, p in enumerate(ctx.ports) if p.polygon_wkt}
    cand = f"{out}_cand"
    if polys:
        for g in polys.values():
            shapely.prepare(g)
        schema = ctx.backend.to_arrow(f"SELECT * FROM {cand} LIMIT 0").schema
        ctx.backend.run([SqlStep(f"SELECT * FROM {cand} WHERE is_polygon", f"{out}_poly")])
        ctx.backend.map_groups(f"{out}_poly", ["port_idx"], in_polygon_kernel(polys),  # type: ignore[arg-type]
                               schema, f"{out}_polyin")
        ctx.backend.run([SqlStep(
            f"SELECT * FROM {cand} WHERE NOT is_polygon UNION ALL SELECT * FROM {out}_polyin",
            f"{out}_all",
        )])
        cand = f"{out}_all"
    ctx.backend.run([SqlStep(
        "SELECT * FROM (SELECT c.*, ROW_NUMBER() OVER (PARTITION BY mmsi, track, point "
        "ORDER BY CASE WHEN is_concern THEN 0 ELSE 1 END, port_dist_m, port_idx) AS rn "
        f"FROM {cand} c) r WHERE rn = 1",
        out,
    )])


@register_detector("port_call", "1", PortCallParams, "entry, stop and exit of a port area")
def detect_port_calls(ctx: Context, params: PortCallParams) -> pa.Table:
    in_area_steps(
        ctx,
        "(SELECT mmsi, track, point, t_s, lat, lon, speed_kn, nav_status FROM aw_tracks "
        "WHERE NOT dup)",
        "aw_pc_in", "calls", params.roles,
    )
    merge_s = lit(params.merge_gap_h * 3600.0)
    slow = (
        f"(speed_kn <= {lit(params.stop_speed_kn)} OR nav_status IN "
        f"({', '.join(map(str, STOPPED_NAV_STATUS))}))"
    )
    ctx.backend.run([
        SqlStep(
            "SELECT *, LAG(point) OVER (PARTITION BY mmsi, track, port_id ORDER BY point) AS pp, "
            "LAG(t_s) OVER (PARTITION BY mmsi, track, port_id ORDER BY point) AS pt "
            "FROM aw_pc_in",
            "aw_pc_lag",
        ),
        SqlStep(
            "SELECT *, SUM(CASE WHEN pp IS NULL OR (point - pp > 1 AND t_s - pt > "
            f"{merge_s}) THEN 1 ELSE 0 END) OVER (PARTITION BY mmsi, track, port_id "
            "ORDER BY point ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS grp "
            "FROM aw_pc_lag",
            "aw_pc_grp",
        ),
        SqlStep(
            "SELECT g.mmsi, g.track, g.port_id, g.grp, min(g.t_s) AS start_s, "
            "min(g.port_name) AS name, min(g.port_roles) AS roles, "
            "max(g.t_s) AS end_s, "
            "MIN_BY(g.lat, g.point) AS lat, MIN_BY(g.lon, g.point) AS lon, "
            "MAX_BY(g.lat, g.point) AS end_lat, MAX_BY(g.lon, g.point) AS end_lon, "
            "count(*) AS n_points, min(g.point) AS first_point, max(g.point) AS last_point, "
            f"max(CASE WHEN {slow} THEN g.t_s END) - min(CASE WHEN {slow} THEN g.t_s END) "
            "AS stop_s, "
            "max(CASE WHEN g.pp = g.point - 1 THEN g.t_s - g.pt ELSE 0 END) AS max_gap_s, "
            "min(g.speed_kn) AS min_speed_kn "
            "FROM aw_pc_grp g GROUP BY g.mmsi, g.track, g.port_id, g.grp",
            "aw_pc_visits",
        ),
        SqlStep(
            "SELECT v.*, t.max_point FROM aw_pc_visits v "
            "JOIN aw_threads t ON t.mmsi = v.mmsi AND t.track = v.track "
            f"WHERE coalesce(v.stop_s, 0) >= {lit(params.min_stop_min * 60.0)} "
            f"OR v.max_gap_s >= {lit(params.min_dark_stop_h * 3600.0)}",
            "aw_port_calls",
        ),
    ])
    t = ctx.backend.to_arrow("SELECT * FROM aw_port_calls ORDER BY mmsi, start_s")
    entry = f64(t, "first_point") > 0
    exit_ = f64(t, "last_point") < f64(t, "max_point")
    stop_s = f64(t, "stop_s", fill=0.0)
    by_gap = stop_s < params.min_stop_min * 60.0
    conf = (0.6 + 0.2 * entry + 0.2 * exit_) * np.where(by_gap, 0.85, 1.0)
    return events_from(t, "port_call", conf, {
        "port_name": t["name"],
        "port_roles": t["roles"],
        "duration_h": np.round((f64(t, "end_s") - f64(t, "start_s")) / 3600.0, 3),
        "stopped_h": np.round(stop_s / 3600.0, 3),
        "longest_silence_h": np.round(f64(t, "max_gap_s") / 3600.0, 3),
        "entry_observed": entry,
        "exit_observed": exit_,
        "positions": t["n_points"],
        "track": t["track"],
    }, port="port_id")
