"""A small, hand-built data folder like the pipeline writes: two ships, a shuttle voyage
from Rajin to Dunay, an AIS gap, a ship-to-ship meeting, a dark port call, positions,
statics, the fictional OFAC sample lists, a raised alert queue and a trade analysis in
the trade package's output layout (routes.json + countries.parquet)."""

from __future__ import annotations

import atexit
import functools
import json
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from armswatch.model.tables import EVENTS_SCHEMA, POSITIONS_SCHEMA, STATICS_SCHEMA

REPO = Path(__file__).resolve().parents[2]
OFAC_SAMPLE = REPO / "tests" / "lists" / "data" / "ofac_sample"

SHUTTLE_MMSI = 273000001  # Russian MID; broadcasts a valid IMO
SHUTTLE_IMO = "9179842"
LISTED_MMSI = 572000001  # the MMSI of the fictional listed tanker OCEAN FICTION
T0 = datetime(2023, 9, 1, tzinfo=UTC)

RAJIN = (42.233333, 130.3)
DUNAY = (42.88028, 132.3375)
CHONGJIN = (41.766667, 129.816667)


def _h(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def _event(eid: str, etype: str, mmsi: int, start_h: float, end_h: float,
           start: tuple[float, float], end: tuple[float, float], port: str | None = None,
           other: int | None = None, confidence: float = 1.0,
           **details: object) -> dict[str, object]:
    return {"event_id": eid, "type": etype, "mmsi": mmsi, "other_mmsi": other,
            "start_utc": _h(start_h), "end_utc": _h(end_h), "lat": start[0], "lon": start[1],
            "end_lat": end[0], "end_lon": end[1], "port": port, "confidence": confidence,
            "details": json.dumps(details), "algorithm": f"{etype}@1"}


def events() -> pa.Table:
    rows = [
        _event("ev-pc-rajin", "port_call", SHUTTLE_MMSI, 0, 12, RAJIN, RAJIN, "KP-RJN",
               duration_h=12.0),
        _event("ev-gap-1", "ais_gap", SHUTTLE_MMSI, 14, 32, (42.3, 130.6), (42.8, 132.2),
               confidence=0.9, duration_h=18.0),
        _event("ev-pc-dunay", "port_call", SHUTTLE_MMSI, 34, 58, DUNAY, DUNAY, "RU-DUNAY",
               duration_h=24.0),
        _event("ev-enc-1", "encounter", SHUTTLE_MMSI, 72, 75, (42.5, 131.5), (42.5, 131.5),
               other=LISTED_MMSI, confidence=0.8),
        _event("ev-dpc-chongjin", "dark_port_call", LISTED_MMSI, 90, 110, CHONGJIN, CHONGJIN,
               "KP-CHO", confidence=0.7),
        _event("ev-loiter-1", "loitering", LISTED_MMSI, 120, 130, (41.9, 130.5), (41.9, 130.5),
               confidence=0.5),
    ]
    return pa.Table.from_pylist(rows, schema=EVENTS_SCHEMA)


def _track(mmsi: int, start_h: float, legs: list[tuple[tuple[float, float], float]]) -> list[
        dict[str, object]]:
    """Points every 10 minutes along straight legs ((lat, lon) target, hours)."""
    rows: list[dict[str, object]] = []
    pos, t = legs[0][0], start_h
    for target, hours in legs[1:]:
        steps = max(1, int(hours * 6))
        for i in range(steps):
            f = i / steps
            rows.append({"mmsi": mmsi, "ts_utc": _h(t + hours * f),
                         "lat": pos[0] + (target[0] - pos[0]) * f,
                         "lon": pos[1] + (target[1] - pos[1]) * f,
                         "sog_kn": 10.0, "msg_type": 1, "source": "test"})
        pos, t = target, t + hours
    return rows


def positions() -> pa.Table:
    rows = _track(SHUTTLE_MMSI, 0, [(RAJIN, 0), (RAJIN, 12), ((42.3, 130.6), 2),
                                     (DUNAY, 20), (DUNAY, 24), ((42.5, 131.5), 14)])
    rows += _track(LISTED_MMSI, 60, [((42.2, 131.8), 0), ((42.5, 131.5), 12),
                                      ((42.5, 131.5), 3), (CHONGJIN, 15), (CHONGJIN, 20),
                                      ((41.9, 130.5), 10)])
    return pa.Table.from_pylist(rows, schema=POSITIONS_SCHEMA)


def statics() -> pa.Table:
    rows = [
        {"mmsi": SHUTTLE_MMSI, "ts_utc": _h(1), "msg_type": 5, "imo": int(SHUTTLE_IMO),
         "name": "KOREA STAR", "callsign": "UBCD1", "ship_type": 70, "source": "test"},
        {"mmsi": LISTED_MMSI, "ts_utc": _h(61), "msg_type": 5, "imo": None,
         "name": "OCEAN FICTION", "callsign": "EPZZ9", "ship_type": 80, "source": "test"},
    ]
    return pa.Table.from_pylist(rows, schema=STATICS_SCHEMA)


ROUTES = {
    "algorithm": {"surge": "did-ratio-of-means@1"},
    "sanction_date": "2022-02-24",
    "targets": ["RUS"],
    "routes": [
        {"rank": 1, "transit": "GEO", "flow": "export", "group_id": "hs2:84",
         "group_label": "HS 84", "group_kind": "partition", "estimate": 1.1, "ci_low": 1.0,
         "ci_high": 1.3, "q_value": 1e-9, "design": "triple", "ratio": 3.6,
         "ref_ratio": 1.2, "ctrl_ratio": 1.1, "pre_mean": 2.7e7, "post_mean": 9.8e7,
         "excess_value": 6e7, "currency": "EUR", "evidence": 1.0,
         "explanation": "HS 84 to GEO grew x3.6 while other goods x1.2",
         "algorithm": "evidence@1"},
        {"rank": 2, "transit": "KGZ", "flow": "export", "group_id": "ch93",
         "group_label": "Arms (HS 93)", "group_kind": "chapter", "estimate": 0.6,
         "ci_low": 0.4, "ci_high": 0.8, "q_value": 1e-3, "design": "product", "ratio": 2.0,
         "ref_ratio": 1.1, "ctrl_ratio": None, "pre_mean": 1e5, "post_mean": 2e5,
         "excess_value": 9e4, "currency": "EUR", "evidence": 0.4,
         "explanation": "HS 93 to KGZ doubled", "algorithm": "evidence@1"},
    ],
}
COUNTRIES = [
    {"rank": 1, "transit": "GEO", "score": 1.0, "surge_evidence": 1.0, "mirror_evidence": 0.0,
     "flagged_groups": 1, "best_group": "hs2:84", "best_estimate": 1.1,
     "mirror_ratio_before": None, "mirror_ratio_after": None,
     "explanation": "1 product group surged", "algorithm": "evidence@1"},
    {"rank": 2, "transit": "KGZ", "score": 0.5, "surge_evidence": 0.4, "mirror_evidence": 0.2,
     "flagged_groups": 1, "best_group": "ch93", "best_estimate": 0.6,
     "mirror_ratio_before": 0.9, "mirror_ratio_after": 0.74,
     "explanation": "arms surged; mirror gap widened", "algorithm": "evidence@1"},
]


def make_data_dir(root: Path, alerts: bool = True, trade: bool = True) -> Path:
    """Write the folder; raise the case's alerts into ``alerts.duckdb``."""
    root.mkdir(parents=True, exist_ok=True)
    pq.write_table(events(), root / "events.parquet")
    pq.write_table(positions(), root / "positions.parquet")
    pq.write_table(statics(), root / "statics.parquet")
    shutil.copytree(OFAC_SAMPLE, root / "lists", ignore=shutil.ignore_patterns("*.md"))
    if trade:
        (root / "trade").mkdir()
        (root / "trade" / "routes.json").write_text(json.dumps(ROUTES), encoding="utf-8")
        pq.write_table(pa.Table.from_pylist(COUNTRIES), root / "trade" / "countries.parquet")
    if alerts:
        from armswatch.risk import AlertStore, build_case

        case = build_case(root, use_store=False)
        with AlertStore(root / "alerts.duckdb") as store:
            store.raise_alerts(case.alert_candidates(threshold=0.3), _h(200))
    return root


@functools.cache
def shared_data_dir() -> Path:
    """One data folder per test process (removed at exit); tests that write copy parts."""
    root = Path(tempfile.mkdtemp(prefix="armswatch-api-test-"))
    atexit.register(shutil.rmtree, root, True)
    return make_data_dir(root / "data")
