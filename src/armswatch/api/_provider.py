"""The seam between HTTP handlers and the data: a :class:`DataProvider` protocol.

Handlers parse a request, build a filter (:mod:`armswatch.api._queries`), ask the
provider and return its answer as a response model. :class:`FolderProvider`
(:mod:`armswatch.api._folder`) answers from a folder the pipeline wrote; another
provider (a database, a remote service) only has to implement these methods.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from armswatch.api._models import (
    AlertOut,
    ComponentState,
    DeliveryOut,
    EntityOut,
    ListsInfo,
    PortOut,
    TracksOut,
    TradeOut,
    VesselDossierOut,
    VesselSummary,
)
from armswatch.api._queries import EventFilter, TrackFilter
from armswatch.screening import Match, Query


class NotAvailable(Exception):  # noqa: N818  # a state, not a failure of the caller
    """A kind of data the provider does not have (e.g. no trade analysis in the folder);
    the message says how to produce it."""


class DataProvider(Protocol):
    def status(self) -> dict[str, ComponentState]:
        """State of each kind of data (lists, case, events, positions, trade, alerts)."""

    def warm(self, fork_safe: bool = False) -> None:
        """Load what can be loaded ahead of the first request (errors are kept in status).
        ``fork_safe``: leave out what holds open connections (the process forks next)."""

    def close(self) -> None: ...

    # screening and lists
    def lists_info(self) -> ListsInfo: ...

    def screening(self) -> tuple[str, float]:
        """``(algorithm name@version, default threshold)``."""

    def screen(self, query: Query) -> list[Match]: ...

    def screening_ready(self) -> bool:
        """True once the index is built (screening is then quick enough to run on the
        event loop; before that, the first query waits in a worker thread)."""

    def entity(self, entity_id: str) -> EntityOut | None: ...

    # ships, events, map
    def vessels(self) -> list[VesselSummary]: ...

    def vessel(self, key: str) -> VesselDossierOut | None:
        """A dossier by IMO, MMSI or vessel id; None when the ship is not in the data."""

    def mmsis_of(self, key: str) -> tuple[int, ...] | None:
        """Every MMSI a ship (IMO, MMSI or vessel id) used; None when unknown."""

    def events_ready(self, need_case: bool = False) -> bool:
        """True once the events (and with ``need_case`` the case, which resolves vessels)
        are loaded, so a page is quick enough to serve on the event loop."""

    def events_json(self, f: EventFilter) -> bytes:
        """One page of events as the JSON of an ``EventsPage`` (pages are large: the
        provider serialises them directly instead of building response models)."""

    def tracks(self, f: TrackFilter) -> TracksOut: ...

    def ports(self) -> list[PortOut]: ...

    def deliveries(
        self, from_roles: Sequence[str], to_roles: Sequence[str], vessel: str | None
    ) -> list[DeliveryOut]: ...

    # alerts
    def alerts(self, states: Sequence[str], vessel: str | None) -> list[AlertOut]: ...

    def alert(self, alert_id: str) -> AlertOut | None: ...

    def review(
        self, alert_id: str, state: str, actor: str, comment: str | None, now: datetime
    ) -> AlertOut: ...

    # trade
    def trade(self) -> TradeOut: ...
