"""A small synthetic case: shuttle events, statics, a registry and two listed parties."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pyarrow as pa

from armswatch.model import Entity, NameKind, Schema
from armswatch.model.tables import STATICS_SCHEMA
from armswatch.network import read_registry
from armswatch.risk import CaseInputs
from tests.network.events_factory import T0, shuttle_events

REGISTRY = Path(__file__).parents[1] / "network" / "fixtures" / "registry_small.csv"


def listed() -> list[Entity]:
    parent = Entity("t-1", Schema.COMPANY, "test_list", "1", programs=["TEST"])
    parent.add_name("LISTED PARENT CO.", NameKind.PRIMARY)
    holder = Entity("t-2", Schema.COMPANY, "test_list", "2")
    holder.add_name("Second Listed Holder", NameKind.PRIMARY)
    return [parent, holder]


def statics() -> pa.Table:
    rows = [
        (445_000_001, 9179842, "SHUTTLE ONE"),  # owned via Eastern Shuttle (blocked, 55 %)
        (636_000_004, 8016835, "HARMLESS"),  # 20 % listed shareholder: exposure only
    ]
    return pa.Table.from_pylist(
        [
            {"mmsi": m, "ts_utc": T0 + timedelta(days=k), "msg_type": 5, "imo": imo, "name": n}
            for m, imo, n in rows
            for k in (0, 3)
        ],
        schema=STATICS_SCHEMA,
    )


def inputs() -> CaseInputs:
    return CaseInputs(
        events=shuttle_events().table(),
        statics=statics(),
        list_entities=listed(),
        registries=[read_registry(REGISTRY)],
    )
