"""Rich rendering of dossiers, deliveries, rankings and alerts for the CLI."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from armswatch.network._deliveries import Delivery, deliveries_by_month

if TYPE_CHECKING:
    from armswatch.risk import Alert, RiskScore, VesselDossier


def _ts(value: object) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if hasattr(value, "strftime") else "-"


def components_table(score: RiskScore, title: str = "risk components") -> Table:
    t = Table(title=f"{title}: score {score.score:.3f} ({score.algorithm})", title_justify="left")
    for col in ("component", "value", "weight", "contribution", "explanation"):
        t.add_column(col, justify="right" if col in ("value", "weight", "contribution") else "left")
    for c in sorted(score.components, key=lambda c: -c.contribution):
        t.add_row(
            c.name, f"{c.value:.2f}", f"{c.weight:.2f}", f"{c.contribution:.2f}", c.explanation
        )
    return t


def print_dossier(console: Console, d: VesselDossier, max_rows: int = 20) -> None:
    imo = f"IMO {d.imo}" if d.imo else "no IMO"
    console.rule(f"[bold]{d.names[-1] if d.names else d.vessel_id}[/bold]  {d.vessel_id}  {imo}")
    flag = f"{d.flag.flag} ({d.flag.category}, via {d.flag.basis})" if d.flag.flag else "unknown"
    console.print(f"MMSI: {', '.join(map(str, d.mmsis)) or '-'}   flag: {flag}")
    if d.status is not None:
        console.print(
            f"sanctions status: [bold]{d.status.reason}[/bold]"
            + (f"  (listed as {', '.join(d.listed_ids)})" if d.listed_ids else "")
        )
    if d.identities:
        t = Table(title="AIS identities over time", title_justify="left")
        for col in ("MMSI", "IMO", "name", "call sign", "type", "first seen", "last seen", "msgs"):
            t.add_column(col)
        for i in sorted(d.identities, key=lambda i: (_ts(i.first_utc), i.mmsi)):
            t.add_row(
                str(i.mmsi),
                i.imo or (f"{i.raw_imo} (invalid)" if i.raw_imo else "-"),
                i.name or "-",
                i.callsign or "-",
                str(i.ship_type or "-"),
                _ts(i.first_utc),
                _ts(i.last_utc),
                str(i.messages),
            )
        console.print(t)
    if d.parties:
        t = Table(title="owners, managers, operators", title_justify="left")
        for col in ("role", "party", "share %", "from", "to", "status", "source"):
            t.add_column(col)
        for p in d.parties:
            status = p.status.reason if p.status else "-"
            style = "red" if p.status and p.status.blocked else None
            t.add_row(
                p.role,
                p.caption,
                f"{p.share_pct:g}" if p.share_pct is not None else "-",
                p.start or "-",
                p.end or "-",
                status,
                p.origin,
                style=style,
            )
        console.print(t)
    if d.matches:
        t = Table(title="list matches", title_justify="left")
        for col in ("entity", "method", "strength", "evidence"):
            t.add_column(col)
        for m in d.matches:
            t.add_row(m.entity_id, m.method, f"{m.strength:.2f}", m.evidence)
        console.print(t)
    console.print(components_table(d.risk))
    if d.event_counts:
        counts = ", ".join(f"{n} {k}" for k, n in sorted(d.event_counts.items()))
        console.print(f"events: {counts}")
    if d.voyages:
        t = Table(title=f"voyages ({len(d.voyages)})", title_justify="left")
        for col in ("from", "departure", "to", "arrival", "hours", "gaps", "encounters", "risk"):
            t.add_column(col)
        for v in d.voyages[-max_rows:]:
            risk = d.voyage_risk.get(v.voyage_id)
            t.add_row(
                v.origin_port + (" (dark)" if v.origin_dark else ""),
                _ts(v.departure_utc),
                v.destination_port + (" (dark)" if v.destination_dark else ""),
                _ts(v.arrival_utc),
                f"{v.duration_h:.0f}",
                str(len(v.gaps)),
                str(len(v.encounters)),
                f"{risk.score:.2f}" if risk else "-",
            )
        console.print(t)
    if d.deliveries:
        console.print(deliveries_table(d.deliveries, title="deliveries"))


def deliveries_table(ds: Sequence[Delivery], title: str = "deliveries") -> Table:
    t = Table(title=f"{title} ({len(ds)})", title_justify="left")
    for col in (
        "month",
        "kind",
        "from",
        "departure",
        "to",
        "arrival",
        "vessels",
        "conf.",
        "evidence",
    ):
        t.add_column(col)
    for d in ds:
        t.add_row(
            d.month,
            d.kind,
            d.origin_port,
            _ts(d.departure_utc),
            d.destination_port,
            _ts(d.arrival_utc),
            ", ".join(d.vessels),
            f"{d.confidence:.2f}",
            ", ".join(d.evidence),
        )
    return t


def monthly_table(ds: Sequence[Delivery]) -> Table:
    t = Table(title="deliveries per vessel and month (arrival month)", title_justify="left")
    for col in ("month", "vessel", "deliveries", "destinations"):
        t.add_column(col)
    for (month, vessel), items in deliveries_by_month(ds).items():
        dests = ", ".join(sorted({d.destination_port for d in items}))
        t.add_row(month, vessel, str(len(items)), dests)
    return t


def ranking_table(scores: Sequence[RiskScore], title: str) -> Table:
    t = Table(title=title, title_justify="left")
    for col in ("rank", "subject", "vessel", "score", "main components"):
        t.add_column(col)
    for k, s in enumerate(scores, start=1):
        main = ", ".join(
            f"{c.name} {c.contribution:.2f}"
            for c in sorted(s.components, key=lambda c: -c.contribution)[:3]
            if c.contribution > 0
        )
        t.add_row(str(k), s.subject_id, s.vessel_id, f"{s.score:.3f}", main or "-")
    return t


def alerts_table(alerts: Sequence[Alert]) -> Table:
    t = Table(title=f"alerts ({len(alerts)})", title_justify="left")
    for col in ("alert", "state", "subject", "score", "raised", "last change", "by"):
        t.add_column(col)
    for a in alerts:
        last = a.history[-1]
        t.add_row(
            a.alert_id,
            a.state.value,
            a.subject_id,
            f"{a.latest.score:.3f}",
            _ts(a.created_utc),
            _ts(last.ts_utc),
            last.actor,
        )
    return t


def print_alert(console: Console, a: Alert) -> None:
    console.rule(f"[bold]{a.alert_id}[/bold]  {a.state.value}")
    console.print(f"subject: {a.subject_kind} {a.subject_id}   vessel: {a.vessel_id or '-'}")
    if a.follows:
        console.print(f"follows dismissed alert {a.follows}")
    for v in a.versions:
        console.print(
            f"evidence v{v.version} ({_ts(v.ts_utc)}, score {v.score:.3f}, "
            f"{v.algorithm or '-'}): {v.summary or ''}"
        )
        console.print(f"  ids: {', '.join(v.evidence)}")
    t = Table(title="history", title_justify="left")
    for col in ("#", "state", "who", "when", "comment"):
        t.add_column(col)
    for h in a.history:
        t.add_row(str(h.seq), h.state.value, h.actor, _ts(h.ts_utc), h.comment or "")
    console.print(t)
