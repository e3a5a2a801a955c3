"""A :class:`DataProvider` over a folder the pipeline wrote.

The folder holds what the network/risk work folder holds (``events.parquet`` or
``events/``, ``statics.parquet``, ``registry*.csv``, ``lists/``) plus the decoded
positions (``positions.parquet`` or ``positions/``), the alert store
(``alerts.duckdb``) and a trade analysis (``trade/routes.json`` and
``trade/countries.parquet``). Each kind of data loads on first use (or when the app
warms up); one that is missing or fails to load makes only its own endpoints answer
"not available", with what to run.

Events and positions are queried with DuckDB (one cursor per request): events are read
into an in-memory table once; positions, which can be far larger, stay a view over the
Parquet files.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import orjson

from armswatch.api import _convert, _queries
from armswatch.api._events import EventIndex
from armswatch.api._models import (
    AlertOut,
    ComponentState,
    CountryOut,
    DeliveryOut,
    EntityOut,
    ListsInfo,
    PortOut,
    RouteOut,
    Track,
    TracksOut,
    TradeOut,
    VesselDossierOut,
    VesselSummary,
)
from armswatch.api._provider import NotAvailable
from armswatch.api._queries import EventFilter, TrackFilter
from armswatch.api._settings import Settings
from armswatch.errors import ArmswatchError, BadInputError
from armswatch.model import Entity, Link

if TYPE_CHECKING:
    import duckdb

    from armswatch.risk import Case
    from armswatch.screening import Match, Query, Screener

log = logging.getLogger("armswatch.api")
T = TypeVar("T")


class _Lazy(Generic[T]):
    """A value built once on first use; remembers a failure (and its message)."""

    def __init__(self, what: str, build: Callable[[], T]) -> None:
        self.what = what
        self._build = build
        self._lock = threading.Lock()
        self._value: T | None = None
        self._error: str | None = None
        self._state = "not_loaded"
        self.detail: str | None = None

    def get(self) -> T:
        if self._value is not None:
            return self._value
        with self._lock:
            if self._value is None and self._error is None:
                self._state = "loading"
                started = time.perf_counter()
                try:
                    self._value = self._build()
                except NotAvailable as exc:  # not kept: the data may appear later
                    self._state, self.detail = "absent", str(exc)
                    raise
                except ArmswatchError as exc:
                    self._state, self._error = "error", str(exc)
                    log.warning("%s failed to load: %s", self.what, exc)
                except Exception as exc:
                    self._state, self._error = "error", f"{type(exc).__name__}: {exc}"
                    log.exception("%s failed to load", self.what)
                else:
                    self._state = "ready"
                    log.info("%s loaded in %.1f s", self.what, time.perf_counter() - started)
        if self._value is None:
            raise NotAvailable(self._error or f"{self.what} is not available")
        return self._value

    def reset(self) -> T | None:
        """Forget the value (the next use builds it again); returns the old one."""
        with self._lock:
            old, self._value, self._error, self._state = self._value, None, None, "not_loaded"
        return old

    def state(self) -> ComponentState:
        return ComponentState(state=self._state, detail=self._error or self.detail)

    @property
    def loaded(self) -> T | None:
        return self._value


@dataclass
class _Lists:
    entities: dict[str, Entity]
    links_of: dict[str, list[Link]]
    info: ListsInfo


@dataclass
class _Db:
    con: duckdb.DuckDBPyConnection
    lock: threading.Lock = field(default_factory=threading.Lock)

    def query(self, sql: _queries.Sql) -> list[tuple[Any, ...]]:
        with self.lock:
            cur = self.con.cursor()
        try:
            return cur.execute(sql.text, list(sql.params)).fetchall()
        finally:
            cur.close()


class _FileLock:
    """One user of the alert store at a time, across threads and across worker processes
    (DuckDB refuses a second process that opens the file while one has it open). The
    process-wide part is an advisory lock on ``<store>.lock`` (POSIX; threads only
    elsewhere), taken only when the store exists."""

    def __init__(self, store: Path) -> None:
        self.store = store
        self.path = store.with_name(store.name + ".lock")
        self._thread_lock = threading.Lock()
        self._fd: int | None = None

    def __enter__(self) -> None:
        self._thread_lock.acquire()
        try:
            import fcntl
        except ImportError:  # not POSIX: one process only (no forked workers there)
            return
        if self.store.is_file():
            try:
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
                fcntl.flock(self._fd, fcntl.LOCK_EX)
            except OSError:  # a read-only folder: the store cannot be written either
                self._close()

    def __exit__(self, *exc: object) -> None:
        self._close()
        self._thread_lock.release()

    def _close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the lock
            self._fd = None


def _parquet_set(folder: Path, stem: str) -> list[Path]:
    direct = folder / f"{stem}.parquet"
    if direct.is_file():
        return [direct]
    sub = folder / stem
    if sub.is_dir():
        return sorted(sub.rglob("*.parquet"))
    return []


def _sql_str(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


class FolderProvider:
    """Answers from a pipeline output folder (see the module docstring)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.data_dir = settings.data_dir
        self._lists = _Lazy("sanctions lists", self._load_lists)
        self._screener: _Lazy[Screener] = _Lazy("screening index", self._load_screener)
        self._case: _Lazy[Case] = _Lazy("case (dossiers, risk, deliveries)", self._load_case)
        self._events: _Lazy[EventIndex] = _Lazy("events", self._load_events)
        self._db = _Lazy("positions", self._load_db)
        self._trade = _Lazy("trade analysis", self._load_trade)
        self._alert_lock = _FileLock(settings.resolved_alerts_path())

    # -- loading ---------------------------------------------------------------------------
    def _list_paths(self) -> list[Path]:
        if self.settings.lists:
            return list(self.settings.lists)
        if self.data_dir is not None and (self.data_dir / "lists").is_dir():
            return [self.data_dir / "lists"]
        return []

    def _load_lists(self) -> _Lists:
        from armswatch.lists import ListStore, read_lists

        paths = self._list_paths()
        snapshot = None
        if paths:
            missing = [p for p in paths if not p.exists()]
            if missing:
                raise BadInputError("sanctions list file or folder not found", missing[0])
            data = read_lists(paths)
            origin = "files"
        else:
            store = ListStore(self.settings.lists_store)
            current = store.current()
            if current is None:
                raise NotAvailable(
                    "no sanctions lists: put list files in <data>/lists, pass --lists, "
                    "or run `armswatch lists load PATH`"
                )
            data = store.read()
            origin, snapshot = "store", current.name
        if not data.entities:
            raise NotAvailable("the sanctions lists hold no entities")
        entities = {e.id: e for e in data.entities}
        links_of: dict[str, list[Link]] = {}
        for link in data.links:
            links_of.setdefault(link.source_id, []).append(link)
            if link.target_id != link.source_id:
                links_of.setdefault(link.target_id, []).append(link)
        info = ListsInfo(
            origin=origin, snapshot=snapshot, loaded_utc=datetime.now(UTC),
            entity_count=len(entities), lists=[_convert.list_info(m) for m in data.meta],
        )
        self._lists.detail = f"{len(entities):,} entities from {len(data.meta)} lists"
        return _Lists(entities, links_of, info)

    def _load_screener(self) -> Screener:
        from armswatch.screening import Screener

        lists = self._lists.get()
        screener = Screener(list(lists.entities.values()), self.settings.screening_algorithm)
        self._screener.detail = f"{screener.stats.names:,} names indexed"
        return screener

    def _need_dir(self, what: str) -> Path:
        if self.data_dir is None:
            raise NotAvailable(f"no data folder: start with `armswatch serve --data DIR` "
                               f"to see {what}")
        if not self.data_dir.is_dir():
            raise BadInputError("data folder not found", self.data_dir)
        return self.data_dir

    def _load_case(self) -> Case:
        from armswatch.risk import build_case

        folder = self._need_dir("ships, deliveries and risk")
        if not _parquet_set(folder, "events"):
            raise NotAvailable(f"no events.parquet in {folder.name}: run the detectors "
                               "(`armswatch detect ... -o DIR/events.jsonl`) first")
        extra = list(self.settings.lists) if self.settings.lists else []
        case = build_case(folder, extra_lists=extra, use_store=True)
        self._case.detail = (f"{len(case.vessels):,} ships, {len(case.voyages):,} voyages, "
                             f"{len(case.deliveries):,} deliveries")
        return case

    def _load_events(self) -> EventIndex:
        folder = self._need_dir("events")
        files = _parquet_set(folder, "events")
        if not files:
            raise NotAvailable(f"no events.parquet in {folder.name}: run the detectors "
                               "(`armswatch detect ... -o DIR/events.jsonl`) first")
        index = EventIndex.from_files(files)
        self._events.detail = f"{index.size:,} events"
        return index

    def _load_db(self) -> _Db:
        import duckdb

        folder = self._need_dir("tracks")
        files = _parquet_set(folder, "positions")
        if not files:
            raise NotAvailable(f"no positions.parquet in {folder.name}: decode the AIS feed")
        # one thread per query: concurrent requests each get a cursor, and several
        # worker processes may share the cores
        con = duckdb.connect(":memory:", config={"threads": 1})
        listing = "[" + ", ".join(_sql_str(p) for p in files) + "]"
        # positions can be far larger than memory: a view over the files
        con.execute(f"CREATE VIEW positions AS SELECT * FROM read_parquet({listing}, "
                    "union_by_name = true)")
        db = _Db(con)
        count = db.query(_queries.Sql("SELECT COUNT(*) FROM positions"))[0][0]
        self._db.detail = f"{count:,} positions"
        return db

    def _load_trade(self) -> TradeOut:
        folder = self._need_dir("trade routes")
        for base in (folder / "trade", folder):
            if (base / "routes.json").is_file():
                return self._read_trade(base)
        raise NotAvailable(f"no trade analysis in {folder.name}: run `armswatch trade analyze "
                           "FLOWS -o DIR/trade`")

    def _read_trade(self, base: Path) -> TradeOut:
        try:
            doc = orjson.loads((base / "routes.json").read_bytes())
        except (OSError, orjson.JSONDecodeError) as exc:
            raise BadInputError(f"unreadable trade routes: {exc}", base / "routes.json") from None
        countries: list[CountryOut] = []
        if (base / "countries.parquet").is_file():
            import pyarrow.parquet as pq

            for row in pq.read_table(base / "countries.parquet").to_pylist():
                countries.append(CountryOut.model_validate(_clean(row)))
        routes = [RouteOut.model_validate(_clean(r)) for r in doc.get("routes", [])]
        algorithm = {str(k): str(v) for k, v in (doc.get("algorithm") or {}).items()}
        self._trade.detail = f"{len(routes)} routes, {len(countries)} transit countries"
        return TradeOut(sanction_date=doc.get("sanction_date"),
                        targets=[str(t) for t in doc.get("targets", [])],
                        algorithm=algorithm, countries=countries, routes=routes)

    def warm(self, fork_safe: bool = False) -> None:
        # the positions view is a DuckDB connection: never shared across a fork
        lazies = (self._lists, self._screener, self._events, self._case, self._trade)
        for lazy in lazies if fork_safe else (*lazies, self._db):
            with contextlib.suppress(NotAvailable):
                lazy.get()

    def close(self) -> None:
        db = self._db.reset()  # a later request (an app started again) reopens it
        if db is not None:
            db.con.close()

    def status(self) -> dict[str, ComponentState]:
        alerts = self.settings.resolved_alerts_path()
        return {
            "lists": self._lists.state(),
            "screening": self._screener.state(),
            "events": self._events.state(),
            "positions": self._db.state(),
            "case": self._case.state(),
            "trade": self._trade.state(),
            "alerts": ComponentState(state="ready" if alerts.is_file() else "absent",
                                     detail=None if alerts.is_file() else
                                     "no alert store yet: run `armswatch alerts raise`"),
        }

    # -- screening and lists -----------------------------------------------------------------
    def lists_info(self) -> ListsInfo:
        return self._lists.get().info

    def screening(self) -> tuple[str, float]:
        s = self._screener.get()
        return s.algorithm_ref, s.threshold

    def screening_ready(self) -> bool:
        return self._screener.loaded is not None

    def screen(self, query: Query) -> list[Match]:
        return self._screener.get().screen(query)

    def entity(self, entity_id: str) -> EntityOut | None:
        lists = self._lists.get()
        ent = lists.entities.get(entity_id)
        if ent is None:
            return None
        links = lists.links_of.get(entity_id, [])
        captions = {i: e.caption for i in {x for lk in links for x in (lk.source_id,
                                                                         lk.target_id)}
                    if (e := lists.entities.get(i)) is not None}
        return _convert.entity_out(ent, links, captions)

    # -- ships, events, map ------------------------------------------------------------------
    def vessels(self) -> list[VesselSummary]:
        case = self._case.get()
        out = [_convert.summary(d) for d in case.vessels.values()]
        return sorted(out, key=lambda v: (-v.score, v.vessel_id))

    def vessel(self, key: str) -> VesselDossierOut | None:
        d = self._case.get().vessel(key.strip())
        return _convert.dossier_out(d) if d is not None else None

    def mmsis_of(self, key: str) -> tuple[int, ...] | None:
        key = key.strip()
        case = self._case.loaded
        if case is None:
            try:
                case = self._case.get()
            except NotAvailable:
                case = None
        if case is not None:
            d = case.vessel(key)
            if d is not None:
                return tuple(d.mmsis)
        return (int(key),) if key.isdecimal() and len(key) == 9 else None

    def events_ready(self, need_case: bool = False) -> bool:
        return self._events.loaded is not None and (
            not need_case or self._case.loaded is not None)

    def events_json(self, f: EventFilter) -> bytes:
        return self._events.get().page_json(f)

    def tracks(self, f: TrackFilter) -> TracksOut:
        db = self._db.get()
        first, last, vessels, points = db.query(_queries.track_extent(f))[0]
        step = _queries.track_step_s(first, last, int(vessels or 0), int(points or 0),
                                     f.max_points)
        by_mmsi: dict[int, list[tuple[float, float, int]]] = {}
        for mmsi, ts, lon, lat in db.query(_queries.tracks(f, step)):
            by_mmsi.setdefault(int(mmsi), []).append(
                (round(float(lon), 5), round(float(lat), 5), int(ts.timestamp())))
        names = self._names_by_mmsi()
        tracks = [Track(mmsi=m, vessel_id=names.get(m, (None, None))[0],
                        name=names.get(m, (None, None))[1], points=pts)
                  for m, pts in sorted(by_mmsi.items())]
        return TracksOut(start_utc=first, end_utc=last, step_s=step,
                         points=sum(len(t.points) for t in tracks), tracks=tracks)

    def _names_by_mmsi(self) -> dict[int, tuple[str, str | None]]:
        case = self._case.loaded
        if case is None:
            try:
                case = self._case.get()
            except NotAvailable:
                return {}
        out: dict[int, tuple[str, str | None]] = {}
        for d in case.vessels.values():
            for m in d.mmsis:
                out[m] = (d.vessel_id, d.names[-1] if d.names else None)
        return out

    def ports(self) -> list[PortOut]:
        from armswatch.geo import load_ports

        return [PortOut.model_validate(p) for p in load_ports()]

    def deliveries(
        self, from_roles: Sequence[str], to_roles: Sequence[str], vessel: str | None
    ) -> list[DeliveryOut]:
        case = self._case.get()
        found = [
            d for d in case.deliveries
            if (not from_roles or set(d.origin_roles) & set(from_roles))
            and (not to_roles or set(d.destination_roles) & set(to_roles))
        ]
        if vessel is not None:
            d = case.vessel(vessel)
            vid = d.vessel_id if d is not None else vessel
            found = [x for x in found if vid in x.vessels]
        return [DeliveryOut.model_validate(d) for d in found]

    # -- alerts --------------------------------------------------------------------------------
    def _alert_store(self, create: bool) -> Any:
        from armswatch.risk import AlertStore

        path = self.settings.resolved_alerts_path()
        if not path.is_file() and not create:
            return None
        return AlertStore(path)

    def alerts(self, states: Sequence[str], vessel: str | None) -> list[AlertOut]:
        with self._alert_lock:
            store = self._alert_store(create=False)
            if store is None:
                return []
            with store:
                vid = None
                if vessel is not None:
                    case = self._case.loaded
                    d = case.vessel(vessel) if case is not None else None
                    vid = d.vessel_id if d is not None else vessel
                found = store.alerts(states, vid)
        return [_convert.alert_out(a) for a in found]

    def alert(self, alert_id: str) -> AlertOut | None:
        with self._alert_lock:
            store = self._alert_store(create=False)
            if store is None:
                return None
            with store:
                try:
                    return _convert.alert_out(store.get(alert_id))
                except BadInputError:
                    return None

    def review(
        self, alert_id: str, state: str, actor: str, comment: str | None, now: datetime
    ) -> AlertOut:
        with self._alert_lock:
            store = self._alert_store(create=False)
            if store is None:
                raise NotAvailable("no alert store: run `armswatch alerts raise` first")
            with store:
                return _convert.alert_out(store.review(alert_id, state, actor, comment, now))

    # -- trade -------------------------------------------------------------------------------
    def trade(self) -> TradeOut:
        return self._trade.get()


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    import math

    return {k: (None if isinstance(v, float) and not math.isfinite(v) else v)
            for k, v in row.items()}
