"""``identity_change``: a ship changes what it says it is (uses the static reports).

Definitions:

* per MMSI, a change of name, call sign, IMO number or ship type between two *stable*
  values — each seen in at least ``min_reports`` static reports, so one corrupted message
  is not a change. Changes of one MMSI less than ``group_window_h`` apart are one event;
* one IMO number (seven digits) seen under several MMSIs: the ship changed its MMSI, and
  with it its flag when the MMSI's MID (first three digits) differs. The event carries
  ``mmsi`` = the new MMSI and ``other_mmsi`` = the previous one; when both MMSIs are
  used at the same time it is an identity clone (``kind`` ``imo_shared``);
* one track continued under another MMSI without a shared IMO (``kind``
  ``mmsi_handover``, :mod:`armswatch.detect._handover`): confidence 0.5, +0.2 when both
  sent matching dimensions, +0.1 within 2 km, +0.1 when the flag (MID) changed.

Start is the last report of the old value, end the first report of the new one (the
change happened in between); the position is the ship's nearest fix to the change.

Confidence basis: the strongest changed field — IMO 0.95 (0.7 without a valid check
digit), MMSI under one IMO 0.9 (clone 0.95), name 0.9, call sign 0.85, ship type 0.6 —
plus 0.05 for every further field; x0.6 when a field of the MMSI flips back and forth
(at least ``flip_flop_changes`` changes: two ships sharing an MMSI, or bad statics).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from armswatch.detect._base import Context, positive, raw_events, register_detector
from armswatch.detect._handover import handovers
from armswatch.detect._sql import nn
from armswatch.engine import SqlStep

FIELD_WEIGHT = {"imo": 0.95, "mmsi": 0.9, "name": 0.9, "callsign": 0.85, "ship_type": 0.6}


@dataclass(frozen=True, slots=True)
class IdentityParams:
    """min_reports: 2 static reports for a value to count. group_window_h: 6 h (AIS
    class B sends name and call sign in separate type-24 parts, minutes apart).
    flip_flop_changes: 3 changes of one field within the data lower the confidence.
    handover: also link MMSIs by track continuity (:mod:`armswatch.detect._handover`):
    silence of at most handover_max_gap_h (6 h) between the old MMSI's last and the new
    one's first fix, speeds agreeing within handover_speed_kn (3 kn), both ends at least
    handover_port_m (10 km) from ports."""

    min_reports: int = 2
    group_window_h: float = 6.0
    flip_flop_changes: int = 3
    handover: bool = True
    handover_max_gap_h: float = 6.0
    handover_speed_kn: float = 3.0
    handover_port_m: float = 10_000.0

    def validate(self) -> None:
        positive("identity_change", min_reports=self.min_reports,
                 group_window_h=self.group_window_h, flip_flop_changes=self.flip_flop_changes)


def mid_of(mmsi: int | None) -> int | None:
    """Maritime Identification Digits of an MMSI (ITU-R M.585): ships 2xx-7xx; handhelds
    8MID; coast stations 00MID; groups 0MID; SAR aircraft 111MID; craft of a parent ship
    98MID; aids to navigation 99MID; None for SART/MOB/EPIRB (970/972/974) and others."""
    if mmsi is None or not 0 < mmsi <= 999_999_999:
        return None
    s = f"{mmsi:09d}"
    if s[0] in "234567":
        return int(s[:3])
    if s[0] == "8":
        return int(s[1:4])
    if s.startswith("00"):
        return int(s[2:5])
    if s[0] == "0":
        return int(s[1:4])
    if s.startswith("111"):
        return int(s[3:6])
    if s.startswith(("98", "99")):
        return int(s[2:5])
    return None


def _field_steps(p: IdentityParams) -> list[SqlStep]:
    vals = " UNION ALL ".join(
        f"SELECT mmsi, t_s, '{name}' AS field, {expr} AS value FROM aw_statics "
        f"WHERE t_s IS NOT NULL AND {cond}"
        for name, expr, cond in (
            ("name", "UPPER(TRIM(name))", "name IS NOT NULL AND TRIM(name) <> ''"),
            ("callsign", "UPPER(TRIM(callsign))", "callsign IS NOT NULL AND TRIM(callsign) <> ''"),
            ("imo", "CAST(imo AS VARCHAR)", "imo IS NOT NULL AND imo > 0"),
            ("ship_type", "CAST(ship_type AS VARCHAR)", "ship_type IS NOT NULL AND ship_type > 0"),
        )
    )
    w = "PARTITION BY mmsi, field ORDER BY t_s, value"  # a total order: ties → same runs
    return [
        SqlStep(vals, "aw_id_vals"),
        SqlStep(
            "SELECT *, SUM(CASE WHEN pv IS NULL OR pv <> value THEN 1 ELSE 0 END) OVER "
            f"({w} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS run FROM ("
            f"SELECT *, LAG(value) OVER ({w}) AS pv FROM aw_id_vals) q",
            "aw_id_runs",
        ),
        SqlStep(
            "SELECT mmsi, field, run, min(value) AS value, count(*) AS n, min(t_s) AS first_s, "
            "max(t_s) AS last_s FROM aw_id_runs GROUP BY mmsi, field, run "
            f"HAVING count(*) >= {p.min_reports}",
            "aw_id_stable",
        ),
        SqlStep(
            "SELECT * FROM (SELECT *, LAG(value) OVER (PARTITION BY mmsi, field ORDER BY run) "
            "AS old_value, LAG(last_s) OVER (PARTITION BY mmsi, field ORDER BY run) AS old_last_s "
            "FROM aw_id_stable) q WHERE old_value IS NOT NULL AND old_value <> value",
            "aw_id_changes",
        ),
    ]


def _imo_steps(p: IdentityParams) -> list[SqlStep]:
    w = "PARTITION BY imo ORDER BY first_s, mmsi"
    return [
        SqlStep(
            "SELECT imo, mmsi, count(*) AS n, min(t_s) AS first_s, max(t_s) AS last_s, "
            f"MIN_BY(name, {nn('name')}) AS first_name, MAX_BY(name, {nn('name')}) AS last_name, "
            f"MIN_BY(callsign, {nn('callsign')}) AS first_callsign, "
            f"MAX_BY(callsign, {nn('callsign')}) AS last_callsign FROM ("
            # k: a total order of the reports (equal keys mean equal values)
            "SELECT *, ROW_NUMBER() OVER (PARTITION BY imo, mmsi ORDER BY t_s, name, callsign, "
            "msg_type) AS k FROM aw_statics "
            "WHERE t_s IS NOT NULL AND imo BETWEEN 1000000 AND 9999999) q "
            f"GROUP BY imo, mmsi HAVING count(*) >= {p.min_reports}",
            "aw_id_imo",
        ),
        SqlStep(
            "SELECT * FROM (SELECT *, LAG(mmsi) OVER (" + w + ") AS old_mmsi, "
            "LAG(first_s) OVER (" + w + ") AS old_first_s, "
            "LAG(last_s) OVER (" + w + ") AS old_last_s, "
            "LAG(last_name) OVER (" + w + ") AS old_name, "
            "LAG(last_callsign) OVER (" + w + ") AS old_callsign "
            "FROM aw_id_imo) q WHERE old_mmsi IS NOT NULL",
            "aw_id_imo_changes",
        ),
    ]


def _group_changes(rows: list[dict[str, Any]], window_s: float) -> list[list[dict[str, Any]]]:
    by_mmsi: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_mmsi[r["mmsi"]].append(r)
    groups: list[list[dict[str, Any]]] = []
    for items in by_mmsi.values():
        items.sort(key=lambda r: (r["first_s"], r["field"]))
        cur: list[dict[str, Any]] = []
        for r in items:
            if cur and r["first_s"] - cur[-1]["first_s"] > window_s:
                groups.append(cur)
                cur = []
            cur.append(r)
        if cur:
            groups.append(cur)
    return groups


def _confidence(fields: list[str], imo_valid: bool, flip: bool, clone: bool) -> float:
    weights = []
    for f in fields:
        w = FIELD_WEIGHT.get(f, 0.6)
        if f == "imo" and not imo_valid:
            w = 0.7
        if f == "mmsi" and clone:
            w = 0.95
        weights.append(w)
    conf = max(weights) + 0.05 * (len(weights) - 1)
    return round(min(1.0, conf) * (0.6 if flip else 1.0), 3)


def _imo_valid(value: str | None) -> bool:
    if not value or not value.isdecimal() or len(value) != 7:
        return False
    digits = [int(c) for c in value]
    return sum(d * w for d, w in zip(digits[:6], range(7, 1, -1), strict=True)) % 10 == digits[6]


@register_detector("identity_change", "1", IdentityParams,
                   "name, call sign, IMO, flag, ship type or MMSI changes")
def detect_identity(ctx: Context, params: IdentityParams) -> pa.Table:
    ctx.backend.run(_field_steps(params) + _imo_steps(params))
    changes = ctx.backend.to_arrow(
        "SELECT * FROM aw_id_changes ORDER BY mmsi, first_s, field").to_pylist()
    imo_changes = ctx.backend.to_arrow(
        "SELECT * FROM aw_id_imo_changes ORDER BY imo, first_s, mmsi").to_pylist()
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for r in changes:
        counts[(r["mmsi"], r["field"])] += 1
    events: list[dict[str, Any]] = []
    for grp in _group_changes(changes, params.group_window_h * 3600.0):
        fields = [r["field"] for r in grp]
        flip = any(counts[(r["mmsi"], r["field"])] >= params.flip_flop_changes for r in grp)
        imo_ok = all(_imo_valid(r["value"]) for r in grp if r["field"] == "imo")
        events.append({
            "mmsi": grp[0]["mmsi"], "other_mmsi": None,
            "start_s": min(r["old_last_s"] for r in grp), "end_s": max(r["first_s"] for r in grp),
            "confidence": _confidence(fields, imo_ok, flip, False),
            "d_kind": "fields", "d_fields": fields,
            "d_changes": [{"field": r["field"], "old": r["old_value"], "new": r["value"]}
                          for r in grp],
            "d_flip_flop": flip, "d_old_mid": None, "d_new_mid": None, "d_flag_changed": False,
        })
    for r in imo_changes:
        clone = r["first_s"] < r["old_last_s"]
        old_mid, new_mid = mid_of(r["old_mmsi"]), mid_of(r["mmsi"])
        fields = ["mmsi"]
        ch: list[dict[str, Any]] = [
            {"field": "mmsi", "old": str(r["old_mmsi"]), "new": str(r["mmsi"])}
        ]
        if old_mid != new_mid:
            fields.append("flag")
            ch.append({"field": "flag", "old": str(old_mid), "new": str(new_mid)})
        for f, old, new in (("name", r["old_name"], r["first_name"]),
                            ("callsign", r["old_callsign"], r["first_callsign"])):
            if old and new and old.strip().upper() != new.strip().upper():
                fields.append(f)
                ch.append({"field": f, "old": old, "new": new})
        start = max(r["first_s"], r["old_first_s"]) if clone else r["old_last_s"]
        end = min(r["last_s"], r["old_last_s"]) if clone else r["first_s"]
        events.append({
            "mmsi": r["mmsi"], "other_mmsi": r["old_mmsi"], "start_s": start, "end_s": end,
            "confidence": _confidence(fields, True, False, clone),
            "d_kind": "imo_shared" if clone else "mmsi_change", "d_fields": fields,
            "d_changes": ch, "d_imo": r["imo"], "d_imo_check_digit_ok": _imo_valid(str(r["imo"])),
            "d_flip_flop": False, "d_old_mid": old_mid, "d_new_mid": new_mid,
            "d_flag_changed": old_mid != new_mid,
        })
    if params.handover:
        events += _handover_events(ctx, params, {(e["other_mmsi"], e["mmsi"]) for e in events})
    return _with_positions(ctx, events)


def _handover_events(ctx: Context, params: IdentityParams, linked: set[tuple[Any, Any]]
                     ) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for h in handovers(ctx, params.handover_max_gap_h, params.handover_speed_kn,
                       params.handover_port_m):
        old, new = h["old_mmsi"], h["new_mmsi"]
        if (old, new) in linked or (new, old) in linked:
            continue
        old_mid, new_mid = mid_of(old), mid_of(new)
        fields = ["mmsi"]
        ch: list[dict[str, Any]] = [{"field": "mmsi", "old": str(old), "new": str(new)}]
        if old_mid != new_mid:
            fields.append("flag")
            ch.append({"field": "flag", "old": str(old_mid), "new": str(new_mid)})
        if h["old_name"] and h["new_name"] and h["old_name"].strip() != h["new_name"].strip():
            fields.append("name")
            ch.append({"field": "name", "old": h["old_name"], "new": h["new_name"]})
        out.append({
            "mmsi": new, "other_mmsi": old, "start_s": h["start_s"], "end_s": h["end_s"],
            "lat": h["lat"], "lon": h["lon"], "end_lat": h["end_lat"], "end_lon": h["end_lon"],
            "confidence": round(0.5 + 0.2 * h["same_dimensions"]
                                + 0.1 * (h["dist_m"] <= 2000) + 0.1 * (old_mid != new_mid), 3),
            "d_kind": "mmsi_handover", "d_fields": fields, "d_changes": ch,
            "d_flip_flop": False, "d_old_mid": old_mid, "d_new_mid": new_mid,
            "d_flag_changed": old_mid != new_mid,
            "d_handover_gap_h": round((h["end_s"] - h["start_s"]) / 3600.0, 3),
            "d_handover_km": round(h["dist_m"] / 1000.0, 2),
        })
    return out


def _with_positions(ctx: Context, events: list[dict[str, Any]]) -> pa.Table:
    n = len(events)
    if n == 0:
        return raw_events({"type": []}, 0)
    ctx.backend.register("aw_id_events", pa.table({
        "k": pa.array(range(n), pa.int64()),
        "mmsi": pa.array([e["mmsi"] for e in events], pa.int32()),
        "start_s": pa.array([e["start_s"] for e in events], pa.float64()),
        "end_s": pa.array([e["end_s"] for e in events], pa.float64()),
    }))
    ctx.backend.run([SqlStep(
        "SELECT k, lat, lon FROM (SELECT e.k, t.lat, t.lon, ROW_NUMBER() OVER (PARTITION BY e.k "
        "ORDER BY ABS(t.t_s - e.end_s), t.t_s, t.track, t.point) AS rn "
        "FROM aw_id_events e JOIN aw_tracks t "
        "ON t.mmsi = e.mmsi AND t.t_s BETWEEN e.start_s - 86400 AND e.end_s + 86400 "
        "WHERE NOT t.dup) q WHERE rn = 1",
        "aw_id_pos",
    )])
    pos = {r["k"]: (r["lat"], r["lon"]) for r in ctx.backend.to_arrow("aw_id_pos").to_pylist()}
    cols: dict[str, Any] = {"type": ["identity_change"] * n}
    for key in ("mmsi", "other_mmsi", "start_s", "end_s", "confidence"):
        cols[key] = [e[key] for e in events]
    for key, j in (("lat", 0), ("lon", 1), ("end_lat", 0), ("end_lon", 1)):
        cols[key] = [e[key] if key in e else pos.get(i, (None, None))[j]
                     for i, e in enumerate(events)]
    for key in sorted({k for e in events for k in e if k.startswith("d_")}):
        cols[key] = pa.array([e.get(key) for e in events])
    return raw_events(cols, n)
