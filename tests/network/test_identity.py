from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pyarrow as pa

from armswatch.engine import DuckDBBackend
from armswatch.model import Entity, IdKind, NameKind, Schema
from armswatch.model.tables import STATICS_SCHEMA
from armswatch.network import IdentityResult, VesselRecord, resolve_identities

T0 = datetime(2023, 1, 1, tzinfo=UTC)


def _static(
    mmsi: int, day: int, imo: int | None, name: str, callsign: str = ""
) -> dict[str, object]:
    return {
        "mmsi": mmsi,
        "ts_utc": T0 + timedelta(days=day),
        "msg_type": 5,
        "imo": imo,
        "name": name,
        "callsign": callsign,
        "ship_type": 70,
    }


STATICS = [
    _static(273_000_001, 0, 9179842, "ANGARA", "UBXY2"),
    _static(273_000_001, 1, 9179842, "ANGARA", "UBXY2"),
    _static(273_000_002, 30, 9179842, "LADY R  ", "UBXY2"),  # same ship, new MMSI and name
    _static(445_000_003, 0, None, "SOME SHIP"),
    _static(511_000_004, 0, 9615092, "FIRST"),
    _static(511_000_004, 10, 9615092, "FIRST"),
    _static(511_000_004, 20, 8016835, "SECOND"),  # MMSI reused by another ship
    _static(511_000_004, 25, None, "SECOND"),
    _static(636_000_005, 0, 1234560, "BADIMO"),  # invalid check digit
    _static(445_000_006, 0, None, "OLD"),
    _static(445_000_007, 5, None, "NEW"),
]


def _listed() -> list[Entity]:
    a = Entity("l-1", Schema.VESSEL, "l", "1", flag="Russia")
    a.add_name("ANGARA", NameKind.PRIMARY)
    a.add_identifier(IdKind.IMO, "IMO 9179842")
    b = Entity("l-2", Schema.VESSEL, "l", "2")
    b.add_name("UNRELATED NAME")
    b.add_identifier(IdKind.MMSI, "445000003")
    c = Entity("l-3", Schema.VESSEL, "l", "3", flag="KP")
    c.add_name("NEW NAME")
    c.add_name("Some Ship", NameKind.FKA)
    d = Entity("l-4", Schema.VESSEL, "l", "4")
    d.add_name("FIRST")
    d.add_identifier(IdKind.IMO, "9074729")  # same name, other IMO: contradicted
    e = Entity("l-5", Schema.VESSEL, "l", "5")
    e.add_name("X")
    e.add_identifier(IdKind.CALL_SIGN, "UBXY 2")
    return [a, b, c, d, e]


def _kp_flag(v: VesselRecord) -> str | None:
    return "KP" if any(m // 10**6 == 445 for m in v.mmsis) else None


def _resolve(events: list[dict[str, object]] | None = None) -> IdentityResult:
    with DuckDBBackend() as be:
        be.register("statics", pa.Table.from_pylist(STATICS, schema=STATICS_SCHEMA))
        return resolve_identities(
            be, _listed(), identity_events=events or [], extra_mmsis=[999_000_001], flag_of=_kp_flag
        )


def test_one_record_per_ship_across_mmsi_and_name_changes() -> None:
    res = _resolve()
    angara = res.vessels["imo-9179842"]
    assert angara.mmsis == [273_000_001, 273_000_002]
    assert angara.names == ["ANGARA", "LADY R"]
    assert angara.current_mmsi == 273_000_002
    assert res.vessel_of("9179842") is angara
    assert res.vessel_of("273000001") is angara
    assert "mmsi-999000001" in res.vessels  # seen only in events


def test_reused_mmsi_is_split_by_time() -> None:
    res = _resolve()
    rows = [r for r in res.vessel_map.to_pylist() if r["mmsi"] == 511_000_004]
    assert [(r["vessel_id"], r["from_utc"], r["to_utc"]) for r in rows] == [
        ("imo-9615092", None, T0 + timedelta(days=20)),
        ("imo-8016835", T0 + timedelta(days=20), None),
    ]
    assert [i.name for i in res.vessels["imo-8016835"].identities] == ["SECOND", "SECOND"]
    assert any("invalid IMO 1234560" in n for n in res.notes)
    assert "mmsi-636000005" in res.vessels


def test_identity_change_event_joins_mmsis() -> None:
    ev = {
        "mmsi": 445_000_007,
        "other_mmsi": 445_000_006,
        "details": json.dumps({"kind": "mmsi_change"}),
    }
    res = _resolve([ev])
    assert res.vessels["mmsi-445000006"].mmsis == [445_000_006, 445_000_007]
    assert "mmsi-445000007" not in res.vessels


def test_matches_with_evidence_and_strength() -> None:
    res = _resolve()
    got = {(m.vessel_id, m.entity_id): (m.method, m.strength) for m in res.matches}
    assert got[("imo-9179842", "l-1")] == ("imo", 1.0)
    assert got[("mmsi-445000003", "l-2")] == ("mmsi", 0.9)
    assert got[("mmsi-445000003", "l-3")] == ("name_flag", 0.75)  # former name + KP flag
    assert got[("imo-9179842", "l-5")] == ("call_sign", 0.85)
    assert ("imo-9615092", "l-4") not in got  # name equal but the listed IMO differs
    why = next(m.evidence for m in res.matches if m.entity_id == "l-3")
    assert "former name" in why


def test_clone_events_do_not_join() -> None:
    ev = {
        "mmsi": 445_000_007,
        "other_mmsi": 445_000_006,
        "details": json.dumps({"kind": "imo_shared"}),
    }
    res = _resolve([ev])
    assert "mmsi-445000007" in res.vessels


def test_fuzzy_name_needs_flag_or_type_agreement() -> None:
    from armswatch.network import screening_matcher

    tanker = Entity("l-9", Schema.VESSEL, "l", "9", vessel_type="Crude Oil Tanker", flag="Panama")
    tanker.add_name("FOREVER RICH")
    rows = [
        {**_static(352_000_001, 0, None, "FOREVR RICH"), "ship_type": 80},  # tanker: agrees
        {**_static(412_000_002, 0, None, "FOREVR RICH"), "ship_type": 30},  # fishing, CN flag
    ]
    with DuckDBBackend() as be:
        be.register("statics", pa.Table.from_pylist(rows, schema=STATICS_SCHEMA))
        fuzzy = screening_matcher([tanker])
        res = resolve_identities(be, [tanker], fuzzy=fuzzy)
    got = {(m.vessel_id, m.method) for m in res.matches}
    assert got == {("mmsi-352000001", "fuzzy_name")}
    m = res.matches[0]
    assert 0 < m.strength <= 0.5
    assert "type tanker" in m.evidence
