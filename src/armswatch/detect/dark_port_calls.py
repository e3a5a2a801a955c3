"""``dark_port_call``: the Lady R pattern — an AIS gap that hides a visit to a port of
concern.

Definition: a gap of one thread of at least ``min_gap_h`` whose two ends both lie within
``reach_m`` of a place of concern with one of ``roles`` (both ends, not merely one: the
ship vanished near it or en route, and reappeared within reach), whose duration allows
the visit — sailing start → port → end at ``transit_speed_kn`` plus a stay of
``min_stay_h`` fits in the gap — and in which the ship did go somewhere: it was underway
(>= ``underway_kn``) at one end or the ends are ``min_move_m`` apart, and the ends are
not both inside one port (that is a port stay with AIS off, reported by ``port_call`` and
``ais_gap``). Of several such places the report names the one whose role completes the
route seen at the ends (see ``pattern``), then by role (``roles`` order: the first is the
likelier hidden stop), then by the shortest detour; the others are listed in details.

Confidence basis: ``0.4 + 0.35 * near + 0.25 * pattern``: ``near`` = 1 - (distance of the
nearer end to the port) / reach (vanished or reappeared close to it); ``pattern`` = 1
when an end lies within ``partner_m`` of a place whose role completes the route (a DPRK
port visited between Russian ports, an Iranian one between Caspian or Russian ones, …).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from armswatch.detect._base import (
    Context,
    events_from,
    f64,
    is_concern,
    positive,
    register_detector,
)
from armswatch.detect._sql import hav_m, lit, near_port_sql
from armswatch.detect.gaps import gap_rows_sql
from armswatch.engine import SqlStep
from armswatch.geo.distance import haversine_m_array

# which roles at the gap's ends complete a dark visit to a place of each role
PARTNER_ROLES: dict[str, frozenset[str]] = {
    "dprk_port": frozenset({"russian_port", "russian_military"}),
    "russian_military": frozenset({"dprk_port", "iran_port", "syria", "caspian"}),
    "iran_port": frozenset({"caspian", "russian_port", "russian_military", "syria"}),
    "caspian": frozenset({"iran_port", "caspian", "russian_port"}),
    "syria": frozenset({"russian_military", "black_sea", "russian_port"}),
}


@dataclass(frozen=True, slots=True)
class DarkPortCallParams:
    """min_gap_h: 12 h, the ais_gap threshold. roles: places whose hidden visit matters
    (DPRK ports, Russian military piers, Iranian, Caspian and Syrian ports). reach_m:
    500 km — Rajin to Vostochny is 245 km, the Caspian crossing about 1,000 km.
    transit_speed_kn: 15 kn, the upper service speed of the general cargo ships involved
    (12-15 kn), so the feasibility test is generous. min_stay_h: 6 h alongside (loading).
    underway_kn: 3 kn; min_move_m: 20 km. partner_m: 150 km."""

    min_gap_h: float = 12.0
    roles: tuple[str, ...] = ("dprk_port", "russian_military", "iran_port", "caspian", "syria")
    reach_m: float = 500_000.0
    transit_speed_kn: float = 15.0
    min_stay_h: float = 6.0
    underway_kn: float = 3.0
    min_move_m: float = 20_000.0
    partner_m: float = 150_000.0

    def validate(self) -> None:
        positive("dark_port_call", min_gap_h=self.min_gap_h, reach_m=self.reach_m,
                 transit_speed_kn=self.transit_speed_kn, partner_m=self.partner_m)


@register_detector("dark_port_call", "1", DarkPortCallParams,
                   "a gap that hides a visit to a port of concern")
def detect_dark_port_calls(ctx: Context, params: DarkPortCallParams) -> pa.Table:
    idx = [i for i, p in enumerate(ctx.ports) if any(r in params.roles for r in p.roles)]
    ctx.backend.register("aw_dp_ports", pa.table({
        "port_idx": pa.array(idx, pa.int32()),
        "port_id": [ctx.ports[i].port_id for i in idx],
        "roles": [";".join(ctx.ports[i].roles) for i in idx],
        "lat": pa.array([ctx.ports[i].lat for i in idx], pa.float64()),
        "lon": pa.array([ctx.ports[i].lon for i in idx], pa.float64()),
        "radius_m": pa.array([ctx.ports[i].radius_m for i in idx], pa.float64()),
    }))
    v_mps = params.transit_speed_kn * 1852.0 / 3600.0
    reach = lit(params.reach_m)
    cells = ctx.port_cells(0.0, "calls")
    keys = "mmsi, track, start_s"
    d0 = hav_m("g.lat", "g.lon", "p.lat", "p.lon")
    d1 = hav_m("g.end_lat", "g.end_lon", "p.lat", "p.lon")
    ctx.backend.run([
        SqlStep(
            gap_rows_sql(params.min_gap_h * 3600.0),
            "aw_dp_gaps",
        ),
        SqlStep(
            f"SELECT {keys}, p.port_id FROM ({near_port_sql('aw_dp_gaps', 'lat', 'lon', cells)}) a "
            "JOIN aw_ports p ON p.port_idx = a.port_idx "
            f"INTERSECT SELECT {keys}, p.port_id FROM "
            f"({near_port_sql('aw_dp_gaps', 'end_lat', 'end_lon', cells)}) b "
            "JOIN aw_ports p ON p.port_idx = b.port_idx",
            "aw_dp_stays",
        ),
        SqlStep(
            f"SELECT g.*, p.port_idx, p.port_id, p.roles, p.radius_m, {d0} AS d0, {d1} AS d1 "
            "FROM aw_dp_gaps g CROSS JOIN aw_dp_ports p "
            f"LEFT JOIN (SELECT DISTINCT {keys} FROM aw_dp_stays) st ON st.mmsi = g.mmsi "
            "AND st.track = g.track AND st.start_s = g.start_s "
            f"WHERE st.mmsi IS NULL AND {d0} <= {reach} AND {d1} <= {reach} "
            f"AND g.end_s - g.start_s >= ({d0} + {d1}) / {lit(v_mps)} "
            f"+ {lit(params.min_stay_h * 3600.0)} "
            f"AND (coalesce(g.start_speed_kn, 0) >= {lit(params.underway_kn)} "
            f"OR coalesce(g.end_speed_kn, 0) >= {lit(params.underway_kn)} "
            f"OR g.dist_m >= {lit(params.min_move_m)})",
            "aw_dp_cand",
        ),
    ])
    cand = ctx.backend.to_arrow(
        "SELECT * FROM aw_dp_cand ORDER BY mmsi, track, start_s, port_id, port_idx")
    t, alternatives = _choose(ctx, cand, params)
    to_port, from_port = f64(t, "d0"), f64(t, "d1")
    near = np.clip(1 - np.minimum(to_port, from_port) / params.reach_m, 0, 1)
    conf = 0.4 + 0.35 * near + 0.25 * f64(t, "partner")
    need_h = (to_port + from_port) / (params.transit_speed_kn * 1852.0) + params.min_stay_h
    return events_from(t, "dark_port_call", conf, {
        "port_roles": t["roles"],
        "gap_h": np.round((f64(t, "end_s") - f64(t, "start_s")) / 3600.0, 3),
        "visit_needs_h": np.round(need_h, 2),
        "start_to_port_km": np.round(to_port / 1000.0, 1),
        "port_to_end_km": np.round(from_port / 1000.0, 1),
        "direct_km": np.round(f64(t, "dist_m") / 1000.0, 1),
        "partner_place": t["partner_id"],
        "alternatives": pa.array(alternatives, pa.list_(pa.string())),
        "track": t["track"],
    }, port="port_id")


def _choose(ctx: Context, cand: pa.Table, params: DarkPortCallParams
            ) -> tuple[pa.Table, list[list[str]]]:
    """One row per gap: the candidate place ranked first (pattern, role order, detour)."""
    if cand.num_rows == 0:
        empty = cand.append_column("partner", pa.array([], pa.float64()))
        return empty.append_column("partner_id", pa.array([], pa.string())), []
    partner, partner_id = _partners(ctx, cand, params.partner_m)
    rank_role = {r: i for i, r in enumerate(params.roles)}
    roles = cand["roles"].to_pylist()
    role_rank = [min((rank_role.get(r, len(rank_role)) for r in rs.split(";")), default=99)
                 for rs in roles]
    detour = (pc.add(cand["d0"], cand["d1"])).to_numpy(zero_copy_only=False)
    keys = list(zip(cand["mmsi"].to_pylist(), cand["track"].to_pylist(),
                    cand["start_s"].to_pylist(), strict=True))
    ports = cand["port_id"].to_pylist()
    best: dict[tuple[object, ...], int] = {}
    for i, k in enumerate(keys):
        j = best.get(k)
        if j is None or (-partner[i], role_rank[i], detour[i]) < (-partner[j], role_rank[j],
                                                                 detour[j]):
            best[k] = i
    rows = sorted(best.values(), key=lambda i: (keys[i][0], keys[i][2]))
    alternatives = [sorted({ports[j] for j, k in enumerate(keys) if k == keys[i]} - {ports[i]})
                    for i in rows]
    t = cand.take(pa.array(rows, pa.int64()))
    t = t.append_column("partner", pa.array(partner[rows]))
    t = t.append_column("partner_id", pa.array([partner_id[i] for i in rows], pa.string()))
    return t, alternatives


def _partners(ctx: Context, t: pa.Table, partner_m: float) -> tuple[np.ndarray, list[str | None]]:
    """For each candidate: is an end within ``partner_m`` of a place whose role completes
    the route of the visited port's role? (Places of concern only: a small table.)"""
    concern = [p for p in ctx.ports if is_concern(p)]
    n = t.num_rows
    score = np.zeros(n)
    found: list[str | None] = [None] * n
    if not n or not concern:
        return score, found
    plat = np.array([p.lat for p in concern])
    plon = np.array([p.lon for p in concern])
    for i, (roles, la0, lo0, la1, lo1) in enumerate(zip(
        t["roles"].to_pylist(), t["lat"].to_pylist(), t["lon"].to_pylist(),
        t["end_lat"].to_pylist(), t["end_lon"].to_pylist(), strict=True,
    )):
        wanted = frozenset().union(*(PARTNER_ROLES.get(r, frozenset()) for r in roles.split(";")))
        d = np.minimum(haversine_m_array(la0, lo0, plat, plon),
                       haversine_m_array(la1, lo1, plat, plon))
        for j in np.argsort(d):
            if d[j] > partner_m:
                break
            if wanted.intersection(concern[j].roles):
                score[i] = 1.0
                found[i] = concern[j].port_id
                break
    return score, found
