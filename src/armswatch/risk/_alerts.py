"""The alert queue: an embedded, append-only DuckDB store of alerts and their review.

Three tables, only ever inserted into (no UPDATE, no DELETE):

* ``alerts``: one row per alert (subject, ship, when raised, the alert it follows).
* ``alert_evidence``: versions of an alert's evidence (score, algorithm, explanation,
  evidence ids, fingerprint). A new version is appended when an open alert's subject
  gets new evidence.
* ``alert_history``: state changes with who, when and the analyst's comment. The current
  state is the last row.

States: ``new → under_review → escalated | dismissed``; ``new`` may also be escalated or
dismissed directly, and an escalated or dismissed alert may be reopened
(``under_review``). Dismissing or escalating needs a comment. A candidate whose evidence
ids are all covered by a dismissed alert of the same subject is not raised again; new
evidence raises a new alert that names the dismissed one. Time is passed in by callers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path

import duckdb

from armswatch.errors import BadInputError, StoreError
from armswatch.paths import home


class AlertState(StrEnum):
    NEW = "new"
    UNDER_REVIEW = "under_review"
    ESCALATED = "escalated"
    DISMISSED = "dismissed"


OPEN_STATES = frozenset({AlertState.NEW, AlertState.UNDER_REVIEW, AlertState.ESCALATED})
TRANSITIONS: dict[AlertState, frozenset[AlertState]] = {
    AlertState.NEW: frozenset(
        {AlertState.UNDER_REVIEW, AlertState.ESCALATED, AlertState.DISMISSED}
    ),
    AlertState.UNDER_REVIEW: frozenset({AlertState.ESCALATED, AlertState.DISMISSED}),
    AlertState.ESCALATED: frozenset({AlertState.UNDER_REVIEW}),
    AlertState.DISMISSED: frozenset({AlertState.UNDER_REVIEW}),
}
NEEDS_COMMENT = frozenset({AlertState.ESCALATED, AlertState.DISMISSED})

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS alerts (alert_id VARCHAR PRIMARY KEY, subject_kind VARCHAR "
    "NOT NULL, subject_id VARCHAR NOT NULL, vessel_id VARCHAR, created_utc TIMESTAMPTZ NOT NULL, "
    "follows VARCHAR)",
    "CREATE TABLE IF NOT EXISTS alert_evidence (alert_id VARCHAR NOT NULL, version INTEGER NOT "
    "NULL, fingerprint VARCHAR NOT NULL, score DOUBLE NOT NULL, algorithm VARCHAR, summary "
    "VARCHAR, evidence VARCHAR NOT NULL, ts_utc TIMESTAMPTZ NOT NULL, "
    "PRIMARY KEY (alert_id, version))",
    "CREATE TABLE IF NOT EXISTS alert_history (alert_id VARCHAR NOT NULL, seq INTEGER NOT NULL, "
    "state VARCHAR NOT NULL, actor VARCHAR NOT NULL, comment VARCHAR, ts_utc TIMESTAMPTZ NOT "
    "NULL, PRIMARY KEY (alert_id, seq))",
)


def fingerprint(subject_kind: str, subject_id: str, evidence: Iterable[str]) -> str:
    """Stable hash of a subject and its (sorted, de-duplicated) evidence ids."""
    text = "\n".join([subject_kind, subject_id, *sorted(set(evidence))])
    return hashlib.sha256(text.encode()).hexdigest()[:20]


@dataclass(frozen=True, slots=True)
class AlertCandidate:
    """Something worth an alert: a score above threshold with its evidence."""

    subject_kind: str  # vessel, voyage, delivery
    subject_id: str
    vessel_id: str | None
    score: float
    summary: str
    evidence: tuple[str, ...]
    algorithm: str | None = None

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.subject_kind, self.subject_id, self.evidence)


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    seq: int
    state: AlertState
    actor: str
    comment: str | None
    ts_utc: datetime


@dataclass(frozen=True, slots=True)
class EvidenceVersion:
    version: int
    fingerprint: str
    score: float
    algorithm: str | None
    summary: str | None
    evidence: tuple[str, ...]
    ts_utc: datetime


@dataclass(frozen=True, slots=True)
class Alert:
    alert_id: str
    subject_kind: str
    subject_id: str
    vessel_id: str | None
    created_utc: datetime
    follows: str | None
    history: tuple[HistoryEntry, ...]
    versions: tuple[EvidenceVersion, ...]

    @property
    def state(self) -> AlertState:
        return self.history[-1].state

    @property
    def latest(self) -> EvidenceVersion:
        return self.versions[-1]


@dataclass(slots=True)
class RaiseReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)  # open alerts that got new evidence
    unchanged: list[str] = field(default_factory=list)  # same evidence already on an alert
    suppressed: list[str] = field(default_factory=list)  # covered by a dismissed alert


def default_store_path() -> Path:
    return home() / "alerts.duckdb"


class AlertStore:
    """The alert queue in a DuckDB file (``$ARMSWATCH_HOME/alerts.duckdb`` by default)."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else default_store_path()
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(str(self.path))
            for ddl in _SCHEMA:
                self.con.execute(ddl)
        except duckdb.Error as exc:
            raise StoreError(f"cannot open alert store {self.path}: {exc}") from None

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> AlertStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading -------------------------------------------------------------------------
    def get(self, alert_id: str) -> Alert:
        row = self.con.execute(
            "SELECT alert_id, subject_kind, subject_id, vessel_id, created_utc, follows "
            "FROM alerts WHERE alert_id = ?",
            [alert_id],
        ).fetchone()
        if row is None:
            raise BadInputError(f"no alert {alert_id!r} in {self.path}")
        hist = tuple(
            HistoryEntry(int(s), AlertState(st), a, c, t)
            for s, st, a, c, t in self.con.execute(
                "SELECT seq, state, actor, comment, ts_utc FROM alert_history WHERE alert_id = ? "
                "ORDER BY seq",
                [alert_id],
            ).fetchall()
        )
        vers = tuple(
            EvidenceVersion(int(v), f, float(s), alg, summ, tuple(json.loads(ev)), t)
            for v, f, s, alg, summ, ev, t in self.con.execute(
                "SELECT version, fingerprint, score, algorithm, summary, evidence, ts_utc "
                "FROM alert_evidence WHERE alert_id = ? ORDER BY version",
                [alert_id],
            ).fetchall()
        )
        return Alert(row[0], row[1], row[2], row[3], row[4], row[5], hist, vers)

    def alerts(
        self, states: Sequence[AlertState | str] = (), vessel_id: str | None = None
    ) -> list[Alert]:
        """Alerts (newest first), optionally only in ``states`` or about one ship."""
        ids = [
            r[0]
            for r in self.con.execute(
                "SELECT alert_id FROM alerts WHERE (? IS NULL OR vessel_id = ?) "
                "ORDER BY created_utc DESC, alert_id",
                [vessel_id, vessel_id],
            ).fetchall()
        ]
        alerts = [self.get(i) for i in ids]
        wanted = {AlertState(s) for s in states}
        return [a for a in alerts if not wanted or a.state in wanted]

    # -- writing (append only) -----------------------------------------------------------
    def raise_alerts(
        self, candidates: Iterable[AlertCandidate], now: datetime, actor: str = "armswatch"
    ) -> RaiseReport:
        """Raise, extend or suppress alerts for candidates (see the module docstring)."""
        report = RaiseReport()
        for cand in candidates:
            self._raise_one(cand, now, actor, report)
        return report

    def _subject_alerts(self, cand: AlertCandidate) -> list[Alert]:
        ids = [
            r[0]
            for r in self.con.execute(
                "SELECT alert_id FROM alerts WHERE subject_kind = ? AND subject_id = ? "
                "ORDER BY created_utc, alert_id",
                [cand.subject_kind, cand.subject_id],
            ).fetchall()
        ]
        return [self.get(i) for i in ids]

    def _raise_one(
        self, cand: AlertCandidate, now: datetime, actor: str, report: RaiseReport
    ) -> None:
        fp = cand.fingerprint
        previous = self._subject_alerts(cand)
        for a in previous:
            if any(v.fingerprint == fp for v in a.versions):
                (report.suppressed if a.state is AlertState.DISMISSED else report.unchanged).append(
                    a.alert_id
                )
                return
        dismissed = [a for a in previous if a.state is AlertState.DISMISSED]
        covered = {e for a in dismissed for v in a.versions for e in v.evidence}
        if dismissed and set(cand.evidence) <= covered:
            report.suppressed.append(dismissed[-1].alert_id)
            return
        open_ = [a for a in previous if a.state in OPEN_STATES]
        self.con.execute("BEGIN TRANSACTION")
        try:
            if open_:
                target = open_[-1]
                self._add_version(target.alert_id, len(target.versions) + 1, cand, now)
                self._add_history(
                    target.alert_id,
                    len(target.history) + 1,
                    target.state,
                    actor,
                    f"new evidence (score {cand.score:.2f})",
                    now,
                )
                report.updated.append(target.alert_id)
            else:
                alert_id = "al-" + fingerprint(cand.subject_kind, cand.subject_id, [fp])[:12]
                follows = dismissed[-1].alert_id if dismissed else None
                self.con.execute(
                    "INSERT INTO alerts VALUES (?, ?, ?, ?, ?, ?)",
                    [alert_id, cand.subject_kind, cand.subject_id, cand.vessel_id, now, follows],
                )
                self._add_version(alert_id, 1, cand, now)
                self._add_history(alert_id, 1, AlertState.NEW, actor, None, now)
                report.created.append(alert_id)
            self.con.execute("COMMIT")
        except duckdb.Error as exc:
            self.con.execute("ROLLBACK")
            raise StoreError(f"cannot write alert store {self.path}: {exc}") from None

    def _add_version(self, alert_id: str, version: int, c: AlertCandidate, now: datetime) -> None:
        self.con.execute(
            "INSERT INTO alert_evidence VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                alert_id,
                version,
                c.fingerprint,
                float(c.score),
                c.algorithm,
                c.summary,
                json.dumps(sorted(set(c.evidence))),
                now,
            ],
        )

    def _add_history(
        self,
        alert_id: str,
        seq: int,
        state: AlertState,
        actor: str,
        comment: str | None,
        now: datetime,
    ) -> None:
        self.con.execute(
            "INSERT INTO alert_history VALUES (?, ?, ?, ?, ?, ?)",
            [alert_id, seq, state.value, actor, comment, now],
        )

    def review(
        self,
        alert_id: str,
        to_state: AlertState | str,
        actor: str,
        comment: str | None,
        now: datetime,
    ) -> Alert:
        """Move an alert to ``to_state``, recording who, when and why."""
        alert = self.get(alert_id)
        try:
            target = AlertState(to_state)
        except ValueError:
            known = ", ".join(s.value for s in AlertState)
            raise BadInputError(
                f"unknown alert state {to_state!r}; expected one of {known}"
            ) from None
        if target not in TRANSITIONS[alert.state]:
            allowed = ", ".join(sorted(s.value for s in TRANSITIONS[alert.state]))
            raise BadInputError(
                f"alert {alert_id} is {alert.state.value}: it can move to {allowed}, "
                f"not {target.value}"
            )
        if target in NEEDS_COMMENT and not (comment or "").strip():
            raise BadInputError(f"{target.value} needs a comment saying why")
        if not actor.strip():
            raise BadInputError("the reviewer's name is empty")
        self._add_history(alert_id, len(alert.history) + 1, target, actor, comment, now)
        return self.get(alert_id)
