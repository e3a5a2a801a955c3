"""Properties of the delivery search on random port-call histories (no SQL: voyages built
directly), checked against its definition."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from armswatch.network import DeliveryConfig, OnTheWay, Voyage, find_deliveries

T0 = datetime(2023, 1, 1, tzinfo=UTC)
PORTS = {
    "KP-RJN": ("dprk_port",),
    "RU-VYP": ("russian_port",),
    "RU-DUNAY": ("russian_military", "russian_port"),
    "CN-X": (),
    "JP-Y": (),
}
ports = st.sampled_from(sorted(PORTS))


@st.composite
def fleets(draw: st.DrawFn) -> list[Voyage]:
    voyages: list[Voyage] = []
    n_ships = draw(st.integers(1, 3))
    for s in range(n_ships):
        calls = draw(st.lists(st.tuples(ports, st.integers(1, 20)), min_size=2, max_size=6))
        t = T0
        for k in range(len(calls) - 1):
            (a, _), (b, days) = calls[k], calls[k + 1]
            dep, arr = t + timedelta(hours=12), t + timedelta(days=days)
            events: tuple[OnTheWay, ...] = ()
            if n_ships > 1 and draw(st.booleans()):
                other = draw(st.integers(0, n_ships - 1))
                when = dep + (arr - dep) / 2
                events = (OnTheWay(f"enc-{s}-{k}", "encounter", when, when, 0.9, f"v{other}"),)
            voyages.append(
                Voyage(
                    f"voy-{s}-{k}",
                    f"v{s}",
                    s,
                    a,
                    PORTS[a],
                    f"pc-{s}-{k}",
                    False,
                    dep,
                    b,
                    PORTS[b],
                    f"pc-{s}-{k + 1}",
                    False,
                    arr,
                    (arr - dep).total_seconds() / 3600,
                    1.0,
                    events,
                )
            )
            t = arr
    return voyages


@settings(max_examples=80, deadline=None)
@given(fleets(), st.integers(5, 60))
def test_deliveries_meet_their_definition(voyages: list[Voyage], max_days: int) -> None:
    cfg = DeliveryConfig(max_days=max_days)
    for d in find_deliveries(voyages, cfg):
        assert set(d.origin_roles) & set(cfg.from_roles)
        assert set(d.destination_roles) & set(cfg.to_roles)
        assert d.arrival_utc - d.departure_utc <= timedelta(days=max_days)
        assert sum(1 for leg in d.legs if leg.kind == "transfer") <= cfg.max_transfers
        assert sum(1 for leg in d.legs if leg.kind == "voyage") <= cfg.max_legs
        starts = [leg.start_utc for leg in d.legs]
        assert starts == sorted(starts)
        assert 0 < d.confidence <= 1


@settings(max_examples=60, deadline=None)
@given(fleets(), st.integers(5, 30), st.integers(0, 30))
def test_a_longer_window_never_loses_a_delivery(
    voyages: list[Voyage], days: int, more: int
) -> None:
    short = {d.delivery_id for d in find_deliveries(voyages, DeliveryConfig(max_days=days))}
    long = {d.delivery_id for d in find_deliveries(voyages, DeliveryConfig(max_days=days + more))}
    assert short <= long
