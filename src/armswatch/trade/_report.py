"""The short report: charts (PNG, matplotlib Agg) and one HTML page."""

from __future__ import annotations

import html
import math
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from armswatch.trade._analyze import AnalysisResult

MAX_PANELS = 9


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _to_date(period: str) -> date:
    return date(int(period[:4]), int(period[5:7]) if len(period) >= 7 else 7, 1)


def _series(result: AnalysisResult) -> dict[str, dict[str, list[Any]]]:
    """Per partner: periods, group values, other-goods values (of the busiest flow)."""
    rows = result.series.to_pylist() if result.series.num_rows else []
    flows: dict[str, int] = {}
    for r in rows:
        flows[r["flow"]] = flows.get(r["flow"], 0) + 1
    if not flows:
        return {}
    flow = max(flows, key=lambda f: flows[f])
    by_p: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        if r["flow"] == flow:
            by_p.setdefault(r["partner"], []).append(r)
    out: dict[str, dict[str, list[Any]]] = {}
    for p, rs in by_p.items():
        has_total = any(r["total_cells"] for r in rs)
        per, grp, oth = [], [], []
        for r in sorted(rs, key=lambda r: r["period"]):
            if not r["detailed_value"]:  # no detailed data published for this period
                continue
            allv = (r["total_value"] or 0.0) if has_total else (r["detailed_value"] or 0.0)
            per.append(_to_date(r["period"]))
            grp.append(r["group_value"] or 0.0)
            oth.append(max(allv - (r["group_value"] or 0.0), 0.0))
        if per:
            out[p] = {"period": per, "group": grp, "other": oth, "flow": [flow]}
    return out


def _panels(result: AnalysisResult, series: dict[str, dict[str, list[Any]]]) -> list[str]:
    ranked = [str(t) for t in result.countries.column("transit").to_pylist()]
    targets = [t for t in result.config.surge.targets if t in series]
    chosen = [p for p in ranked if p in series][: MAX_PANELS - len(targets)] + targets
    if len(chosen) < MAX_PANELS:
        est = result.headline().to_pylist()
        rest = sorted((r for r in est if r["partner"] in series and r["partner"] not in chosen
                       and r["status"] == "ok"), key=lambda r: -(r["post_mean"] or 0))
        chosen += [r["partner"] for r in rest][: MAX_PANELS - len(chosen)]
    return chosen


def chart_time_series(result: AnalysisResult, path: Path) -> Path | None:
    series = _series(result)
    chosen = _panels(result, series)
    if not chosen:
        return None
    plt = _plt()
    n = len(chosen)
    cols = min(3, n)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 2.9 * rows), squeeze=False)
    sanction = result.config.surge.sanction_date
    label = _headline_label(result)
    for ax, p in zip(axes.flat, chosen, strict=False):
        s = series[p]
        ax.plot(s["period"], [v / 1e6 for v in s["group"]], marker=".", lw=1.2, label=label)
        if any(v > 0 for v in s["other"]):
            ax.plot(s["period"], [v / 1e6 for v in s["other"]], marker=".", lw=1.0, alpha=0.7,
                    label="other goods")
        ax.axvline(sanction, color="crimson", ls="--", lw=1)
        ax.set_yscale("log", nonpositive="mask")
        ax.set_title(f"{s['flow'][0]}s: {p}", fontsize=10)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    fig.autofmt_xdate()
    axes.flat[0].legend(fontsize=7, loc="best")
    cur = result.series.column("currency")[0].as_py() if result.series.num_rows else ""
    fig.suptitle(f"Values per period (million {cur}); dashed line: {sanction.isoformat()}",
                 fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def chart_mirror(result: AnalysisResult, path: Path) -> Path | None:
    rows = [r for r in result.mirror.to_pylist() if r["gap_ratio"] is not None
            and r["hs_level"] == 0]
    if any(r["is_group"] == 1 for r in rows):
        rows = [r for r in rows if r["is_group"] == 1]
    if not rows:
        return None
    importers = sorted({r["importer"] for r in rows})[:12]
    years = sorted({r["period"] for r in rows})
    plt = _plt()
    fig, ax = plt.subplots(figsize=(max(6.0, 1.3 * len(importers) + 2), 3.8))
    width = 0.8 / max(1, len(years))
    sanction = result.config.surge.sanction_date
    for j, y in enumerate(years):
        xs, hs, hatch = [], [], []
        for i, imp in enumerate(importers):
            match = [r for r in rows if r["importer"] == imp and r["period"] == y]
            if match:
                xs.append(i + j * width)
                hs.append(match[0]["gap_ratio"])
                hatch.append(any(f in (match[0]["flags"] or "") for f in (
                    "importer_total_fell", "incomplete_period")))
        post = int(y[:4]) >= sanction.year
        bars = ax.bar(xs, hs, width, label=y, alpha=0.9 if post else 0.55)
        for b, h in zip(bars, hatch, strict=True):
            if h:
                b.set_hatch("//")
    ax.axhline(1.0, color="black", lw=0.8)
    ax.set_xticks([i + 0.4 - width / 2 for i in range(len(importers))], importers)
    ax.set_ylabel("imports recorded / (exports x (1+margin))")
    exp = ", ".join(sorted({r["exporter"] for r in rows}))
    ax.set_title(f"Mirror ratio: partner-recorded imports vs {exp} exports "
                 "(hatched: partial year)", fontsize=10)
    ax.legend(fontsize=7, ncol=min(len(years), 6))
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def chart_estimates(result: AnalysisResult, path: Path) -> Path | None:
    rows = [r for r in result.headline().to_pylist() if r["estimate"] is not None]
    if not rows:
        return None
    rows.sort(key=lambda r: r["estimate"])
    rows = rows[-25:]
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.5, 0.32 * len(rows) + 1.4))
    for i, r in enumerate(rows):
        color = "crimson" if r["flagged"] else ("grey" if not r["is_target"] else "navy")
        lo = r["ci_low"] if r["ci_low"] is not None else r["estimate"]
        hi = r["ci_high"] if r["ci_high"] is not None else r["estimate"]
        ax.plot([lo, hi], [i, i], color=color, lw=2)
        ax.plot([r["estimate"]], [i], "o", color=color)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(range(len(rows)), [f"{r['partner']} ({r['design']})" for r in rows],
                  fontsize=8)
    ax.set_xlabel("difference-in-differences, log points (95 % CI)")
    ax.set_title(f"{_headline_label(result)}: growth beyond the counterfactual", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _headline_label(result: AnalysisResult) -> str:
    rows = result.headline().to_pylist()
    return str(rows[0]["group_label"]) if rows else "group"


def _fmt(v: Any, digits: int = 2) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        if not math.isfinite(v):
            return ""
        if abs(v) >= 1e5:
            return f"{v / 1e6:,.1f} M"
        return f"{v:.{digits}f}"
    return html.escape(str(v))


def _table(rows: list[dict[str, Any]], cols: list[tuple[str, str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for _, h in cols)
    body = "".join(
        "<tr>" + "".join(f"<td>{_fmt(r.get(c))}</td>" for c, _ in cols) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def write_report(result: AnalysisResult, out: Path) -> list[Path]:
    charts = [
        ("Exports over time per transit country", chart_time_series(result, out / "series.png")),
        ("Difference-in-differences per partner", chart_estimates(result, out / "estimates.png")),
        ("Mirror gaps", chart_mirror(result, out / "mirror.png")),
    ]
    cfg = result.config.surge
    head_rows = result.headline().to_pylist()
    mirror_rows = [r for r in result.mirror.to_pylist() if r["is_group"] == 1][:60]
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>armswatch trade report</title>",
        "<style>body{font-family:sans-serif;margin:2em;max-width:75em}table{border-collapse:"
        "collapse;font-size:.85em;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:"
        "2px 6px;text-align:right}td:first-child,th:first-child{text-align:left}"
        "img{max-width:100%}</style></head><body>",
        "<h1>Trade routes: what changed after the sanctions date</h1>",
        f"<p>Sanctions date {cfg.sanction_date.isoformat()}; targets "
        f"{html.escape(', '.join(cfg.targets))}; {result.flows.num_rows:,} input rows; "
        f"surge method {html.escape(result.surge.algorithm)}; false discovery rate "
        f"{cfg.alpha}; minimum excess factor {cfg.min_ratio}.</p>",
    ]
    if result.notes or result.read_report.files:
        parts.append("<h2>Inputs</h2><pre>" + html.escape("\n".join(
            result.read_report.lines() + [f"note: {n}" for n in result.notes])) + "</pre>")
    parts.append("<h2>Transit countries ranked by evidence</h2>")
    parts.append(_table(result.countries.to_pylist(), [
        ("rank", "#"), ("transit", "country"), ("score", "score"),
        ("surge_evidence", "surge"), ("mirror_evidence", "mirror"),
        ("flagged_groups", "groups"), ("explanation", "why")]))
    parts.append(f"<h2>Before and after: {html.escape(_headline_label(result))} vs other goods"
                 "</h2>")
    parts.append(_table(head_rows, [
        ("partner", "partner"), ("pre_mean", "before / period"), ("post_mean", "after"),
        ("ratio", "x"), ("ref_pre_mean", "other goods before"), ("ref_post_mean", "after"),
        ("ref_ratio", "x"), ("ctrl_ratio", "controls x"), ("design", "design"),
        ("estimate", "DiD"), ("ci_low", "95% low"), ("ci_high", "95% high"),
        ("q_value", "q"), ("flagged", "flag"), ("status", "status")]))
    parts.append("<h2>Routes (country, product group)</h2>")
    parts.append(_table(result.routes.slice(0, 40).to_pylist(), [
        ("rank", "#"), ("transit", "country"), ("group_label", "group"),
        ("estimate", "DiD"), ("ci_low", "95% low"), ("excess_value", "excess / period"),
        ("explanation", "why")]))
    if mirror_rows:
        parts.append("<h2>Mirror gaps (exporter group vs partner-recorded imports)</h2>")
        parts.append(_table(mirror_rows, [
            ("exporter", "exporter"), ("importer", "importer"), ("period", "year"),
            ("export_value", "exports"), ("import_value", "imports"),
            ("gap_value", "gap"), ("gap_ratio", "ratio"), ("flags", "flags")]))
    for title, p in charts:
        if p is not None:
            parts.append(f"<h2>{html.escape(title)}</h2><img src='{p.name}' alt=''>")
    parts.append(
        "<h2>Method</h2><p>Difference-in-differences on ratios of mean values per period "
        "(after/before the date): the group vs other goods to the same country (product "
        "design), vs the median growth of the same group to control destinations "
        "(destination design), or both (triple). Intervals: two-way bootstrap over reporting "
        "countries and blocks of periods. Flags: Benjamini-Hochberg q below the false "
        "discovery rate and an excess factor above the minimum. Mirror ratio: imports "
        "recorded by the partner over exports recorded towards it, raised by the CIF/FOB "
        "margin. See docs/trade.md.</p></body></html>")
    page = out / "report.html"
    page.write_text("\n".join(parts), encoding="utf-8")
    return [page, *[p for _, p in charts if p is not None]]
