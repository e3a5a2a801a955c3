"""Day-by-day runs with state carried across midnight: an engine-independent driver.

A daily pipeline sees one UTC day of AIS at a time, yet a gap, an encounter or a stay in
port that spans midnight must come out as one event, exactly as if all days had been
processed at once, and re-running a day must change nothing. :class:`DailyRunner` does
this around any *job* ``(backend, {stream: table name}) -> events`` (e.g. the detectors):

* **carry** — for every vessel the rows of the last ``lookback_h`` hours, its latest
  rows whatever their age (so a dark period of any length has its start), and every
  row since the start of each of its *pending* events, are kept as state and prepended
  to the next day's input;
* **ownership** — an event is final in the first run where it ended at least ``hold_h``
  before that run's cutoff (data after the cutoff can no longer change it); events that
  end later are *pending*: the next run recomputes them from their start with more data.
  Each event is therefore emitted exactly once, by the run that finalised it;
* **idempotence** — a run reads only the previous day's state and replaces its own
  outputs, so re-running a day gives identical files.

Store layout (all Parquet, readable by any engine)::

    store/events/run_day=YYYY-MM-DD/events.parquet   events finalised by that day's run
    store/state/day=YYYY-MM-DD/<stream>.parquet       rows carried into the next day
    store/state/day=YYYY-MM-DD/pending.parquet        events not final yet
    store/state/day=YYYY-MM-DD/manifest.json          cutoff, counts, plan
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from armswatch.engine.base import Backend, SqlStep
from armswatch.errors import ConfigError
from armswatch.model.tables import TS

Job = Callable[[Backend, Mapping[str, str]], pa.Table]
"""A job reads the named input tables on the backend and returns its events (at least
``event_id``, ``mmsi``, ``other_mmsi``, ``start_utc``, ``end_utc``)."""

_EVENT_KEYS = ("event_id", "mmsi", "start_utc", "end_utc")


@dataclass(frozen=True)
class Stream:
    """An input that arrives day by day (positions, static reports, ...).

    ``name``: the name the job receives it under; ``ts_column``/``key_column``: its time
    and vessel columns; ``keep_last``: per vessel, the latest rows always carried (ties
    included), whatever their age.
    """

    name: str
    ts_column: str = "ts_utc"
    key_column: str = "mmsi"
    keep_last: int = 1


@dataclass(frozen=True)
class IncrementalPlan:
    """How much state is carried. Defaults suit the detectors' published thresholds:
    the longest minimum duration is loitering's 8 h, gaps need only the last position.

    lookback_h: rows of the last hours always carried (covers events not yet long
        enough to be reported at the cutoff, e.g. an encounter 1 h old at midnight).
    hold_h: events ending within this many hours of the cutoff stay pending (a later
        position could still extend them).
    pre_context_h: rows carried from before a pending event's start: 12 h, the longest
        silence a detector bridges when it places an event's start (loitering extends a
        run back towards the fix before it, up to ``max_silence_h`` = 12 h earlier).
    max_pending_h: a pending event older than this is finalised as it is (bounds the
        state of a vessel that loiters for weeks); counted as ``forced``.
    """

    lookback_h: float = 24.0
    hold_h: float = 12.0
    pre_context_h: float = 12.0
    max_pending_h: float = 7 * 24.0

    def __post_init__(self) -> None:
        if min(self.lookback_h, self.hold_h, self.pre_context_h, self.max_pending_h) < 0:
            raise ConfigError("incremental plan: hours must be >= 0")
        if self.lookback_h < self.hold_h:
            raise ConfigError("incremental plan: lookback_h must be >= hold_h")


@dataclass
class DayResult:
    day: dt.date
    cutoff_utc: dt.datetime
    rows_in: dict[str, int] = field(default_factory=dict)
    rows_carried_in: dict[str, int] = field(default_factory=dict)
    rows_carried_out: dict[str, int] = field(default_factory=dict)
    events_final: int = 0
    events_pending: int = 0
    events_forced: int = 0
    final_run: bool = False

    def as_dict(self) -> dict[str, object]:
        out = asdict(self)
        out["day"] = self.day.isoformat()
        out["cutoff_utc"] = self.cutoff_utc.isoformat()
        return out


def _ts_sql(t: dt.datetime) -> str:
    return f"TIMESTAMPTZ '{t.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S.%f}+00'"


def _cutoff(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC) + dt.timedelta(days=1)


class DailyRunner:
    """Runs ``job`` one UTC day at a time over ``streams``, keeping state in ``store``."""

    def __init__(
        self, store: Path, streams: Sequence[Stream], job: Job,
        plan: IncrementalPlan = IncrementalPlan(),
    ) -> None:
        if not streams:
            raise ConfigError("incremental run: give at least one input stream")
        self.store = Path(store)
        self.streams = tuple(streams)
        self.job = job
        self.plan = plan

    # -- store ---------------------------------------------------------------------
    def _state_dir(self, day: dt.date) -> Path:
        return self.store / "state" / f"day={day.isoformat()}"

    def _events_dir(self, day: dt.date) -> Path:
        return self.store / "events" / f"run_day={day.isoformat()}"

    def processed_days(self) -> list[dt.date]:
        """Days whose run completed (their manifest exists), oldest first."""
        root = self.store / "state"
        if not root.is_dir():
            return []
        days = [
            dt.date.fromisoformat(p.name.removeprefix("day="))
            for p in root.iterdir()
            if p.name.startswith("day=") and (p / "manifest.json").exists()
        ]
        return sorted(days)

    def events(self) -> pa.Table | None:
        """All final events so far (None before the first run)."""
        files = sorted((self.store / "events").glob("run_day=*/events.parquet"))
        if not files:
            return None
        return pa.concat_tables([pq.read_table(f) for f in files], promote_options="default")

    def _check_order(self, day: dt.date, rerun: bool) -> dt.date | None:
        done = self.processed_days()
        later = [d for d in done if d > day]
        if later and not rerun:
            raise ConfigError(
                f"{day} is before days already processed ({later[0]} … {later[-1]}): "
                "their results depend on it; pass rerun=True to re-run from this day "
                "(their outputs are deleted and must be run again)"
            )
        for d in later:
            shutil.rmtree(self._state_dir(d))
            shutil.rmtree(self._events_dir(d), ignore_errors=True)
        prev = day - dt.timedelta(days=1)
        earlier = [d for d in done if d < day]
        if earlier and earlier[-1] != prev:
            raise ConfigError(
                f"cannot run {day}: the previous day {prev} has not been processed "
                f"(last processed: {earlier[-1]}); run the days in order"
            )
        return prev if earlier else None

    # -- one day -------------------------------------------------------------------
    def run_day(
        self, backend: Backend, day: dt.date,
        inputs: Mapping[str, pa.Table | Path | Sequence[Path]],
        *, final: bool = False, rerun: bool = False,
    ) -> DayResult:
        """Process ``day`` (inputs per stream name: Arrow or Parquet paths).

        ``final``: the last day of a backfill — pending events are finalised too.
        ``rerun``: allow re-running a day before already processed days.
        """
        missing = {s.name for s in self.streams} - set(inputs)
        if missing:
            raise ConfigError(f"incremental run {day}: no input for stream(s) {sorted(missing)}")
        prev = self._check_order(day, rerun)
        cutoff = _cutoff(day)
        prev_cutoff = cutoff - dt.timedelta(days=1)
        result = DayResult(day=day, cutoff_utc=cutoff, final_run=final)
        names = self._register_inputs(backend, day, prev, inputs, result)

        events = self.job(backend, names)
        lacking = set(_EVENT_KEYS) - set(events.column_names)
        if lacking:
            raise ConfigError(f"incremental job returned no {sorted(lacking)} columns")
        final_ev, pending = self._split(events, prev_cutoff if prev else None, cutoff, final,
                                        result)
        self._write(backend, day, names, cutoff, final_ev, pending, result)
        return result

    def _register_inputs(
        self, backend: Backend, day: dt.date, prev: dt.date | None,
        inputs: Mapping[str, pa.Table | Path | Sequence[Path]], result: DayResult,
    ) -> dict[str, str]:
        names: dict[str, str] = {}
        for s in self.streams:
            today = f"inc_{s.name}_day"
            backend.register(today, inputs[s.name])
            result.rows_in[s.name] = _count(backend, today)
            carried = self._state_dir(prev) / f"{s.name}.parquet" if prev else None
            name = f"inc_{s.name}"
            if carried is not None and carried.exists():
                backend.register(f"inc_{s.name}_carry", carried)
                result.rows_carried_in[s.name] = _count(backend, f"inc_{s.name}_carry")
                cols = ", ".join(_columns(backend, today))
                backend.run([SqlStep(
                    f"SELECT {cols} FROM inc_{s.name}_carry UNION ALL SELECT {cols} FROM {today}",
                    name,
                )])
            else:
                result.rows_carried_in[s.name] = 0
                backend.run([SqlStep(f"SELECT * FROM {today}", name)])
            names[s.name] = name
        return names

    def _split(
        self, events: pa.Table, prev_cutoff: dt.datetime | None, cutoff: dt.datetime,
        final: bool, result: DayResult,
    ) -> tuple[pa.Table, pa.Table]:
        hold = dt.timedelta(hours=self.plan.hold_h)
        end = pc.cast(events.column("end_utc"), TS)
        start = pc.cast(events.column("start_utc"), TS)
        lo = pa.scalar(prev_cutoff - hold, TS) if prev_cutoff else None
        hi = pa.scalar(cutoff - hold, TS)
        mine = pc.greater_equal(end, lo) if lo is not None else pa.array(
            [True] * events.num_rows, pa.bool_())
        if final:
            return events.filter(mine), events.schema.empty_table()
        closed = pc.less(end, hi)
        too_old = pc.less(start, pa.scalar(cutoff - dt.timedelta(hours=self.plan.max_pending_h),
                                           TS))
        forced = pc.and_(pc.invert(closed), too_old)
        result.events_forced = int(pc.sum(pc.and_(mine, forced).cast(pa.int64())).as_py() or 0)
        keep = pc.and_(mine, pc.or_(closed, forced))
        pending = pc.and_(pc.invert(closed), pc.invert(forced))
        return events.filter(keep), events.filter(pending)

    def _carry_sql(self, s: Stream, source: str, cutoff: dt.datetime, have_pending: bool,
                   columns: Sequence[str]) -> str:
        """Rows to carry, in a total order (so that a re-run writes identical files)."""
        p = self.plan
        since = _ts_sql(cutoff - dt.timedelta(hours=p.lookback_h))
        ts, key = s.ts_column, s.key_column
        ranked = (f"SELECT i.*, rank() OVER (PARTITION BY i.{key} ORDER BY i.{ts} DESC) "
                  f"AS inc_rank FROM {source} AS i")
        keep = f"{ts} >= {since} OR inc_rank <= {int(s.keep_last)}"
        first = [f'"{key}"', f'"{ts}"']
        order = ", ".join([*first, *(c for c in columns if c not in first)])
        if not have_pending:
            return (f"SELECT * EXCLUDE (inc_rank) FROM ({ranked}) AS r WHERE {keep} "
                    f"ORDER BY {order}")
        pre_us = int(p.pre_context_h * 3_600_000_000)
        return (
            f"SELECT * EXCLUDE (inc_rank, inc_key, inc_since) FROM ({ranked}) AS r "
            f"LEFT JOIN inc_pending_keys AS k ON r.{key} = k.inc_key "
            f"WHERE {keep} OR epoch_us({ts}) >= epoch_us(k.inc_since) - {pre_us} "
            f"ORDER BY {order}"
        )

    def _write(
        self, backend: Backend, day: dt.date, names: Mapping[str, str], cutoff: dt.datetime,
        final_ev: pa.Table, pending: pa.Table, result: DayResult,
    ) -> None:
        state = self._state_dir(day)
        tmp = state.with_name(state.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        have_pending = pending.num_rows > 0
        if have_pending:
            backend.register("inc_pending_keys", _pending_keys(pending))
        for s in self.streams:
            out = f"inc_{s.name}_next"
            columns = _columns(backend, names[s.name])
            backend.run([SqlStep(
                self._carry_sql(s, names[s.name], cutoff, have_pending, columns), out
            )])
            result.rows_carried_out[s.name] = _count(backend, out)
            backend.write_parquet(out, tmp / f"{s.name}.parquet")
        pq.write_table(_sorted_events(pending), tmp / "pending.parquet")
        result.events_final = final_ev.num_rows
        result.events_pending = pending.num_rows
        manifest = {"result": result.as_dict(), "plan": asdict(self.plan),
                    "streams": [asdict(s) for s in self.streams]}
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        events_dir = self._events_dir(day)
        events_tmp = events_dir.with_name(events_dir.name + ".tmp")
        shutil.rmtree(events_tmp, ignore_errors=True)
        events_tmp.mkdir(parents=True)
        pq.write_table(_sorted_events(final_ev), events_tmp / "events.parquet")
        # publish: events first, then the state (whose manifest marks the day done)
        shutil.rmtree(events_dir, ignore_errors=True)
        events_tmp.rename(events_dir)
        shutil.rmtree(state, ignore_errors=True)
        tmp.rename(state)


def _count(backend: Backend, table: str) -> int:
    row = backend.to_arrow(f"SELECT count(*) AS n FROM {table}").column("n")[0].as_py()
    return int(row or 0)


def _sorted_events(events: pa.Table) -> pa.Table:
    return events.sort_by([("end_utc", "ascending"), ("event_id", "ascending")])


def _columns(backend: Backend, table: str) -> list[str]:
    names = backend.to_arrow(f"SELECT * FROM {table} WHERE 1 = 0").column_names
    return ['"' + n.replace('"', '""') + '"' for n in names]


def _pending_keys(pending: pa.Table) -> pa.Table:
    """Per vessel (both vessels of a pair), the earliest start of its pending events."""
    start = pc.cast(pending.column("start_utc"), TS)
    keys = [pending.column("mmsi")]
    starts = [start]
    if "other_mmsi" in pending.column_names:
        keys.append(pending.column("other_mmsi"))
        starts.append(start)
    table = pa.table({
        "inc_key": pa.chunked_array([c.cast(pa.int64()) for c in keys]),
        "inc_since": pa.chunked_array(starts),
    }).filter(pc.is_valid(pa.chunked_array([c.cast(pa.int64()) for c in keys])))
    return table.group_by("inc_key").aggregate([("inc_since", "min")]).rename_columns(
        ["inc_key", "inc_since"]
    )
