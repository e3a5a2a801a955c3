"""Score detected events against a ground truth (``truth.jsonl`` of ``armswatch simulate``
or any file with the same event fields).

A detected event *matches* a truth event when both have the same ``type``, the same
vessel(s) — ``mmsi`` for one-vessel events, the unordered pair ``{mmsi, other_mmsi}`` for
two-vessel events — and overlapping time spans (``[start_utc, end_utc]``, ends included,
widened by an optional slack). Matching is one-to-one and of maximum size: among the
overlapping candidates of a vessel (pair) and type, as many pairs as possible are
matched, trying the closest start times first. Per type this gives

* precision = matched / detected, recall = matched / truth (None when undefined),
* the median absolute start-time error of the matched pairs,
* false events (detected − matched), per 1,000 vessel-days when the vessel-days are known.

>>> t = [{"type": "ais_gap", "mmsi": 1, "start_utc": "2023-09-01T00:00:00Z",
...       "end_utc": "2023-09-01T13:00:00Z"}]
>>> evaluate(t, t).per_type["ais_gap"].recall
1.0
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from armswatch.errors import BadInputError

__all__ = [
    "EvalEvent",
    "Evaluation",
    "TypeScore",
    "evaluate",
    "evaluate_files",
    "parse_event",
    "read_events",
]


@dataclass(frozen=True)
class EvalEvent:
    """The fields of an event that matching looks at."""

    type: str
    vessels: frozenset[int]
    start: float  # Unix seconds
    end: float
    event_id: str = ""


def _time(value: object, name: str, where: tuple[str | None, int | None]) -> float:
    if not isinstance(value, str):
        raise BadInputError(f"{name}: expected an ISO 8601 time, got {value!r}", *where)
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadInputError(f"{name}: not an ISO 8601 time: {value!r}", *where) from None
    if dt.tzinfo is None:
        raise BadInputError(f"{name}: time without a zone (write it in UTC with Z): {value!r}",
                            *where)
    return dt.timestamp()


def _mmsi(value: object, name: str, where: tuple[str | None, int | None]) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise BadInputError(f"{name}: expected an MMSI number, got {value!r}", *where)
    try:
        return int(value)
    except ValueError:
        raise BadInputError(f"{name}: expected an MMSI number, got {value!r}", *where) from None


def parse_event(obj: Mapping[str, object] | EvalEvent, path: str | None = None,
                line: int | None = None) -> EvalEvent:
    """Validate one event object (a dict with the issue's event fields)."""
    if isinstance(obj, EvalEvent):
        return obj
    where = (path, line)
    if not isinstance(obj, Mapping):
        raise BadInputError(f"expected a JSON object, got {type(obj).__name__}", *where)
    for name in ("type", "mmsi", "start_utc", "end_utc"):
        if obj.get(name) is None:
            raise BadInputError(f"event lacks {name!r}", *where)
    kind = obj["type"]
    if not isinstance(kind, str) or not kind:
        raise BadInputError(f"type: expected a name, got {kind!r}", *where)
    m1 = _mmsi(obj["mmsi"], "mmsi", where)
    m2 = _mmsi(obj.get("other_mmsi"), "other_mmsi", where)
    start = _time(obj["start_utc"], "start_utc", where)
    end = _time(obj["end_utc"], "end_utc", where)
    if end < start:
        raise BadInputError(f"end_utc {obj['end_utc']} is before start_utc {obj['start_utc']}",
                            *where)
    vessels = frozenset(m for m in (m1, m2) if m is not None)
    return EvalEvent(kind, vessels, start, end, str(obj.get("event_id") or ""))


def read_events(path: Path) -> list[EvalEvent]:
    """Read a JSON Lines file of events (blank lines skipped); errors name the line."""
    path = Path(path)
    if not path.is_file():
        raise BadInputError("no such file", path)
    out: list[EvalEvent] = []
    with path.open(encoding="utf-8") as fh:
        for n, raw in enumerate(fh, start=1):
            text = raw.strip()
            if not text:
                continue
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as exc:
                raise BadInputError(f"not JSON: {exc.msg}", path, n) from None
            out.append(parse_event(obj, str(path), n))
    return out


@dataclass(frozen=True)
class TypeScore:
    type: str
    truth: int
    detected: int
    matched: int
    precision: float | None
    recall: float | None
    median_start_error_s: float | None
    false_per_1000_vessel_days: float | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "truth": self.truth, "detected": self.detected, "matched": self.matched,
            "precision": self.precision, "recall": self.recall,
            "median_start_error_s": self.median_start_error_s,
            "false_per_1000_vessel_days": self.false_per_1000_vessel_days,
        }


@dataclass
class Evaluation:
    per_type: dict[str, TypeScore]
    matches: list[tuple[EvalEvent, EvalEvent]] = field(default_factory=list)  # (truth, event)
    unmatched_truth: list[EvalEvent] = field(default_factory=list)
    unmatched_events: list[EvalEvent] = field(default_factory=list)
    vessel_days: float | None = None

    def as_dict(self) -> dict[str, object]:
        return {"vessel_days": self.vessel_days,
                "types": {k: v.as_dict() for k, v in sorted(self.per_type.items())}}


def _overlaps(a: EvalEvent, b: EvalEvent, slack_s: float) -> bool:
    return a.start <= b.end + slack_s and b.start <= a.end + slack_s


def _match_group(truth: list[EvalEvent], events: list[EvalEvent], slack_s: float
                 ) -> list[tuple[int, int]]:
    """Maximum one-to-one matching (Kuhn's augmenting paths), closest starts tried first."""
    adj = [sorted((j for j, e in enumerate(events) if _overlaps(t, e, slack_s)),
                  key=lambda j, t=t: (abs(events[j].start - t.start), j))  # type: ignore[misc]
           for t in truth]
    match_e: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in adj[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in match_e or augment(match_e[j], seen):
                match_e[j] = i
                return True
        return False

    order = sorted(range(len(truth)), key=lambda i: (len(adj[i]), truth[i].start))
    for i in order:
        augment(i, set())
    return sorted((i, j) for j, i in match_e.items())


def evaluate(truth: Iterable[Mapping[str, object] | EvalEvent],
             events: Iterable[Mapping[str, object] | EvalEvent], *, slack_s: float = 0.0,
             vessel_days: float | None = None, types: Sequence[str] | None = None
             ) -> Evaluation:
    """Score ``events`` against ``truth`` (see the module docstring)."""
    tr = [parse_event(e) for e in truth]
    ev = [parse_event(e) for e in events]
    groups: dict[tuple[str, frozenset[int]], tuple[list[EvalEvent], list[EvalEvent]]] = \
        defaultdict(lambda: ([], []))
    for e in tr:
        groups[(e.type, e.vessels)][0].append(e)
    for e in ev:
        groups[(e.type, e.vessels)][1].append(e)
    result = Evaluation({}, vessel_days=vessel_days)
    for (_, _), (gt, ge) in sorted(groups.items(), key=lambda kv: (kv[0][0], sorted(kv[0][1]))):
        pairs = _match_group(gt, ge, slack_s)
        got_t = {i for i, _ in pairs}
        got_e = {j for _, j in pairs}
        result.matches += [(gt[i], ge[j]) for i, j in pairs]
        result.unmatched_truth += [t for i, t in enumerate(gt) if i not in got_t]
        result.unmatched_events += [e for j, e in enumerate(ge) if j not in got_e]
    names = sorted({e.type for e in tr} | {e.type for e in ev} | set(types or ()))
    for name in names:
        n_t = sum(1 for e in tr if e.type == name)
        n_e = sum(1 for e in ev if e.type == name)
        errs = [abs(e.start - t.start) for t, e in result.matches if t.type == name]
        n_m = len(errs)
        false = n_e - n_m
        result.per_type[name] = TypeScore(
            name, n_t, n_e, n_m,
            precision=n_m / n_e if n_e else None,
            recall=n_m / n_t if n_t else None,
            median_start_error_s=float(statistics.median(errs)) if errs else None,
            false_per_1000_vessel_days=(false / vessel_days * 1000.0
                                        if vessel_days else None),
        )
    return result


def evaluate_files(truth: Path, events: Path, *, slack_s: float = 0.0,
                   vessel_days: float | None = None) -> Evaluation:
    """:func:`evaluate` on two JSON Lines files."""
    return evaluate(read_events(truth), read_events(events), slack_s=slack_s,
                    vessel_days=vessel_days)
