"""Rank transit countries and (country, product group) routes by evidence, with reasons.

Evidence, in log points (0.69 = a doubling beyond the counterfactual):

* **surge**: the lower end of the 95 % interval of the difference-in-differences estimate of
  a flagged (country, group) - how much faster the group grew than it would have, at
  least, once general trade growth is removed;
* **mirror**: ``log(ratio_before / ratio_after)`` of the importer/exporter mirror ratio
  (imports recorded by the transit country over exports recorded towards it, CIF/FOB
  adjusted), when it fell after the sanctions date - more of what left did not arrive.

A country's score is its strongest flagged surge plus half its mirror evidence (the mirror
has only a few yearly points and no interval, so it counts less). Routes are the flagged
(country, group) pairs ordered by their surge evidence.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pyarrow as pa

from armswatch.registry import Registry
from armswatch.trade._did import is_post

RANKINGS: Registry[Callable[..., tuple[pa.Table, pa.Table]]] = Registry("trade ranking")
MIRROR_WEIGHT = 0.5
_BAD_MIRROR_FLAGS = ("importer_total_fell", "incomplete_period", "currency_mismatch")

ROUTE_SCHEMA = pa.schema([
    ("rank", pa.int32()), ("transit", pa.string()), ("flow", pa.string()),
    ("group_id", pa.string()), ("group_label", pa.string()), ("group_kind", pa.string()),
    ("estimate", pa.float64()), ("ci_low", pa.float64()), ("ci_high", pa.float64()),
    ("q_value", pa.float64()), ("design", pa.string()), ("ratio", pa.float64()),
    ("ref_ratio", pa.float64()), ("ctrl_ratio", pa.float64()), ("pre_mean", pa.float64()),
    ("post_mean", pa.float64()), ("excess_value", pa.float64()), ("currency", pa.string()),
    ("evidence", pa.float64()), ("explanation", pa.string()), ("algorithm", pa.string()),
])

COUNTRY_SCHEMA = pa.schema([
    ("rank", pa.int32()), ("transit", pa.string()), ("score", pa.float64()),
    ("surge_evidence", pa.float64()), ("mirror_evidence", pa.float64()),
    ("flagged_groups", pa.int32()), ("best_group", pa.string()),
    ("best_estimate", pa.float64()), ("mirror_ratio_before", pa.float64()),
    ("mirror_ratio_after", pa.float64()), ("explanation", pa.string()),
    ("algorithm", pa.string()),
])


@dataclass(frozen=True)
class MirrorShift:
    transit: str
    exporter: str
    ratio_before: float
    ratio_after: float
    years_before: tuple[str, ...]
    years_after: tuple[str, ...]

    @property
    def evidence(self) -> float:
        if self.ratio_before <= 0 or self.ratio_after <= 0:
            return 0.0
        return max(0.0, math.log(self.ratio_before / self.ratio_after))


@dataclass
class _Window:
    before_m: list[float] = field(default_factory=list)
    before_x: list[float] = field(default_factory=list)
    after_m: list[float] = field(default_factory=list)
    after_x: list[float] = field(default_factory=list)
    before_y: list[str] = field(default_factory=list)
    after_y: list[str] = field(default_factory=list)


def mirror_shifts(mirror: pa.Table | None, sanction: date) -> dict[str, MirrorShift]:
    """Per importer: the mirror ratio before vs after the date, for the exporter group rows
    (or single exporters when there is no group), leaving out flagged (partial) years."""
    if mirror is None or mirror.num_rows == 0:
        return {}
    acc: dict[tuple[str, str], _Window] = {}
    has_group = any(v == 1 for v in mirror.column("is_group").to_pylist())
    for r in mirror.to_pylist():
        if has_group and r["is_group"] != 1:
            continue
        if r["expected_import"] is None or r["import_value"] is None:
            continue
        if any(f in (r["flags"] or "") for f in _BAD_MIRROR_FLAGS) or r["hs_level"] != 0:
            continue
        w = acc.setdefault((r["importer"], r["exporter"]), _Window())
        after = is_post(r["period"], sanction)
        (w.after_m if after else w.before_m).append(r["import_value"])
        (w.after_x if after else w.before_x).append(r["expected_import"])
        (w.after_y if after else w.before_y).append(r["period"])
    out: dict[str, MirrorShift] = {}
    for (imp, exp), d in sorted(acc.items()):
        if not (d.before_x and d.after_x):
            continue
        shift = MirrorShift(imp, exp, sum(d.before_m) / sum(d.before_x),
                            sum(d.after_m) / sum(d.after_x),
                            tuple(sorted(d.before_y)), tuple(sorted(d.after_y)))
        if imp not in out or shift.evidence > out[imp].evidence:
            out[imp] = shift
    return out


def _fmt_value(v: object, currency: str) -> str:
    if not isinstance(v, (int, float)) or not math.isfinite(v):
        return "n/a"
    for div, unit in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= div:
            return f"{v / div:,.1f} {unit} {currency}"
    return f"{v:,.0f} {currency}"


def route_explanation(r: dict[str, object], freq: str) -> str:
    per = "month" if freq == "M" else "year"
    cur = str(r["currency"])
    parts = [f"{r['group_label']} ({r['flow']}s to {r['transit']}) went from "
             f"{_fmt_value(r['pre_mean'], cur)} to {_fmt_value(r['post_mean'], cur)} a {per} "
             f"(x{r['ratio']:.2f})" if r["ratio"] is not None else
             f"{r['group_label']}: no value before the date"]
    comp = []
    if r["ref_ratio"] is not None and r["design"] in ("product", "triple"):
        comp.append(f"other goods x{r['ref_ratio']:.2f}")
    if r["ctrl_ratio"] is not None and r["design"] in ("destination", "triple"):
        comp.append(f"same goods to control destinations x{r['ctrl_ratio']:.2f} (median)")
    if comp:
        parts.append("while " + " and ".join(comp))
    est, lo, hi = (float(str(r[k])) for k in ("estimate", "ci_low", "ci_high"))
    parts.append(f"; excess growth x{math.exp(est):.2f} (95 % CI x{math.exp(lo):.2f}"
                 f"-x{math.exp(hi):.2f}, {r['design']} design, q={float(str(r['q_value'])):.3g})")
    if r["excess_value"] is not None:
        parts.append(f", about {_fmt_value(float(str(r['excess_value'])), cur)} a {per} above "
                     "the counterfactual")
    return " ".join(parts).replace(" ;", ";").replace(" ,", ",")


@RANKINGS.register("evidence", "1", default=True)
def rank(estimates: pa.Table, mirror: pa.Table | None, sanction: date, freq: str,
         ) -> tuple[pa.Table, pa.Table]:
    """(countries, routes) tables ranked by evidence."""
    algo = RANKINGS.ref("evidence")
    rows = [r for r in estimates.to_pylist() if r["flagged"]]
    routes = []
    for r in rows:
        rr = dict(r)
        rr["transit"] = r["partner"]
        rr["evidence"] = max(0.0, r["ci_low"] or 0.0)
        rr["explanation"] = route_explanation(rr, freq)
        rr["algorithm"] = algo
        routes.append(rr)
    routes.sort(key=lambda r: (-r["evidence"], r["transit"], r["group_id"]))
    for i, r in enumerate(routes, start=1):
        r["rank"] = i
    shifts = mirror_shifts(mirror, sanction)
    countries: dict[str, dict[str, object]] = {}
    transits = sorted({str(r["transit"]) for r in routes} | set(shifts))
    non_targets = {r["partner"] for r in estimates.to_pylist() if not r["is_target"]}
    for t in transits:
        if t not in non_targets and t not in {str(r["transit"]) for r in routes}:
            continue
        mine = [r for r in routes if r["transit"] == t]
        best = mine[0] if mine else None
        shift = shifts.get(t)
        surge_ev = float(str(best["evidence"])) if best else 0.0
        mirror_ev = shift.evidence if shift else 0.0
        why = []
        if best:
            why.append(f"{len(mine)} product group(s) surged beyond the counterfactual; "
                       f"strongest: {best['explanation']}")
        if shift and shift.evidence > 0:
            why.append(f"mirror: {t}'s recorded imports from {shift.exporter} fell from "
                       f"{shift.ratio_before:.2f} to {shift.ratio_after:.2f} of what "
                       f"{shift.exporter} recorded as exported (CIF/FOB adjusted; "
                       f"{'/'.join(shift.years_before)} vs {'/'.join(shift.years_after)})")
        countries[t] = {
            "transit": t, "score": surge_ev + MIRROR_WEIGHT * mirror_ev,
            "surge_evidence": surge_ev, "mirror_evidence": mirror_ev,
            "flagged_groups": len(mine), "best_group": best["group_id"] if best else None,
            "best_estimate": best["estimate"] if best else None,
            "mirror_ratio_before": shift.ratio_before if shift else None,
            "mirror_ratio_after": shift.ratio_after if shift else None,
            "explanation": " | ".join(why) if why else "no evidence above the thresholds",
            "algorithm": algo,
        }
    ranked = sorted(countries.values(), key=lambda c: (-float(str(c["score"])),
                                                         str(c["transit"])))
    for i, c in enumerate(ranked, start=1):
        c["rank"] = i
    return (pa.Table.from_pylist(ranked, schema=COUNTRY_SCHEMA),
            pa.Table.from_pylist(routes, schema=ROUTE_SCHEMA))


def routes_json(routes: pa.Table) -> list[dict[str, object]]:
    """Routes as JSON-ready dicts (NaN as null)."""
    out = []
    for r in routes.to_pylist():
        out.append({k: (None if isinstance(v, float) and not math.isfinite(v) else v)
                    for k, v in r.items()})
    return out
