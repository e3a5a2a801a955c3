from __future__ import annotations

from datetime import timedelta

import pyarrow as pa

from armswatch.engine import DuckDBBackend
from armswatch.geo import load_ports
from armswatch.network import (
    VESSEL_MAP_SCHEMA,
    DeliveryConfig,
    compute_voyages,
    deliveries_by_month,
    find_deliveries,
)
from tests.network.events_factory import T0, Events, shuttle_events

ROLES = {p.port_id: p.roles for p in load_ports()}


def _voyages(ev: Events, vessel_map: pa.Table | None = None):  # type: ignore[no-untyped-def]
    with DuckDBBackend() as be:
        be.register("events", ev.table())
        if vessel_map is not None:
            be.register("vmap", vessel_map)
            return compute_voyages(be, ROLES, vessel_map="vmap")
        return compute_voyages(be, ROLES)


def test_voyages_pair_consecutive_port_calls() -> None:
    vs = [v for v in _voyages(shuttle_events()) if v.vessel_id == "mmsi-445000001"]
    assert [(v.origin_port, v.destination_port) for v in vs] == [
        ("KP-RJN", "RU-VYP"),
        ("RU-VYP", "KP-RJN"),
        ("KP-RJN", "RU-DUNAY"),
    ]
    first = vs[0]
    assert first.departure_utc == T0 + timedelta(days=1)
    assert first.arrival_utc == T0 + timedelta(days=4)
    assert first.duration_h == 72.0
    assert [g.type for g in first.gaps] == ["ais_gap"]
    assert vs[2].destination_dark
    assert vs[2].confidence == 0.7
    assert "russian_military" in vs[2].destination_roles


def test_encounters_seen_by_both_ships() -> None:
    vs = {v.vessel_id: v for v in _voyages(shuttle_events()) if v.encounters}
    assert vs["mmsi-445000002"].encounters[0].other_vessel_id == "mmsi-273000003"
    assert vs["mmsi-273000003"].encounters[0].other_vessel_id == "mmsi-445000002"


def test_deliveries_direct_dark_transfer_and_onward() -> None:
    ds = find_deliveries(_voyages(shuttle_events()))
    got = {(d.vessels, d.origin_port, d.destination_port, d.kind) for d in ds}
    assert got == {
        (("mmsi-445000001",), "KP-RJN", "RU-VYP", "direct"),
        (("mmsi-445000001",), "KP-RJN", "RU-DUNAY", "direct"),
        (("mmsi-445000002", "mmsi-273000003"), "KP-NAM", "RU-VVO", "transshipment"),
        (("mmsi-511000005",), "KP-CHO", "RU-VYP", "multi_leg"),
    }  # F arrives after 45 days; G returns to a DPRK port; D never touches one
    xfer = next(d for d in ds if d.kind == "transshipment")
    assert xfer.confidence == 0.9
    assert "encounter-445000002-273000003-3" in xfer.evidence
    dark = next(d for d in ds if d.destination_port == "RU-DUNAY")
    assert dark.confidence == 0.7
    months = deliveries_by_month(ds)
    assert len(months[("2023-09", "mmsi-445000001")]) == 2


def test_delivery_limits() -> None:
    vs = _voyages(shuttle_events())
    no_xfer = find_deliveries(vs, DeliveryConfig(max_transfers=0, max_legs=1))
    assert {d.kind for d in no_xfer} == {"direct"}
    slow = find_deliveries(vs, DeliveryConfig(max_days=90))
    assert any(d.vessels == ("mmsi-445000006",) for d in slow)
    iran_only = find_deliveries(vs, DeliveryConfig(from_roles=("iran_port",)))
    assert iran_only == []


def test_vessel_map_joins_mmsi_change_into_one_voyage() -> None:
    ev = Events()
    ev.add("port_call", 445_000_001, 0, 1, "KP-RJN")
    ev.add("port_call", 273_999_999, 4, 5, "RU-VYP")  # same ship, new MMSI
    vmap = pa.Table.from_pylist(
        [
            {"mmsi": 445_000_001, "vessel_id": "imo-9179842", "from_utc": None, "to_utc": None},
            {"mmsi": 273_999_999, "vessel_id": "imo-9179842", "from_utc": None, "to_utc": None},
        ],
        schema=VESSEL_MAP_SCHEMA,
    )
    vs = _voyages(ev, vmap)
    assert [(v.vessel_id, v.origin_port, v.destination_port) for v in vs] == [
        ("imo-9179842", "KP-RJN", "RU-VYP")
    ]
    assert len(find_deliveries(vs)) == 1


def test_no_port_calls_no_voyages() -> None:
    ev = Events()
    ev.add("ais_gap", 1, 0, 1)
    assert _voyages(ev) == []
