"""Difference-in-differences of trade values before/after a sanctions date (pure numpy).

For a transit country ``p`` and a product group ``g`` the estimate compares the growth of
``g`` exported to ``p`` (mean per period after the date / mean before) with

* the growth of **other goods** to ``p`` (all goods minus ``g``: the published TOTAL when the
  inputs have it, else the other detailed codes) - the *product* design, which removes
  general growth of trade with ``p``;
* the growth of ``g`` to **control destinations** (the median log growth over control
  partners; by default every other partner that is not a target, not excluded and not
  below the size threshold, leaving ``p`` out) - the *destination* design, which removes a
  world-wide boom in ``g``; the median keeps a few controls that are themselves routes
  from masking each other;
* both (*triple* difference).

On logs of ratios of means this is the estimate a Poisson pseudo-maximum-likelihood
regression with group x period fixed effects gives for a 2 x 2 design (Santos Silva &
Tenreyro 2006), and it copes with months of zero trade. Uncertainty: a two-way bootstrap
that resamples reporting countries (clusters, as clustered standard errors would) and
moving blocks of periods within the before and after windows; 95 % percentile intervals,
the bootstrap standard error, and one-sided p-values that invert the percentile interval
under a normal approximation on the side tested (``z = 1.96 * estimate / (estimate -
ci_low)`` for a surge), so ``p < 0.025`` exactly when the interval excludes zero and many
tests can be corrected with Benjamini-Hochberg.
"""

from __future__ import annotations

import math
import warnings
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from armswatch.errors import ConfigError

_Z975 = 1.959963984540054
LOG_CLIP = 10.0  # |log ratio| is clipped at 10 (a factor of 22,000) so zeros stay finite
DESIGNS = ("auto", "product", "destination", "triple")


@dataclass(frozen=True)
class SurgeConfig:
    """Settings of the surge estimate (defaults documented in docs/trade.md)."""

    sanction_date: date = date(2022, 2, 24)
    targets: tuple[str, ...] = ("RUS",)
    exclude: tuple[str, ...] = ()  # partners that are neither candidates nor controls
    controls: tuple[str, ...] = ()  # empty: every other non-target partner, leave-one-out
    design: str = "auto"
    min_auto_controls: int = 8  # "auto" uses control destinations only with this many
    bootstrap: int = 499
    seed: int = 0
    alpha: float = 0.05  # false discovery rate (Benjamini-Hochberg) for flags
    min_ratio: float = 1.25  # flagged surges must exceed the counterfactual by this factor
    min_pre: int = 2
    min_post: int = 1
    block_months: int = 3
    min_reference_share: float = 0.01
    # partners whose yearly value of the group stays below this (before and after) are not
    # tested: tiny flows jump by large factors by chance (independent filtering)
    min_value_per_year: float = 1e6
    flows: tuple[str, ...] = ("export", "import")
    extra: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.design not in DESIGNS:
            raise ConfigError(f"unknown design {self.design!r}; expected one of {DESIGNS}")
        if self.bootstrap < 0:
            raise ConfigError("bootstrap replicates must be >= 0")
        if not 0 < self.alpha < 1:
            raise ConfigError("alpha must be in (0, 1)")
        if self.min_ratio < 1:
            raise ConfigError("min_ratio must be >= 1")


SURGE_SCHEMA = pa.schema([
    ("flow", pa.string()), ("group_id", pa.string()), ("currency", pa.string()),
    ("partner", pa.string()), ("is_target", pa.bool_()), ("n_reporters", pa.int32()),
    ("n_pre", pa.int32()), ("n_post", pa.int32()),
    ("pre_mean", pa.float64()), ("post_mean", pa.float64()), ("ratio", pa.float64()),
    ("ref_pre_mean", pa.float64()), ("ref_post_mean", pa.float64()), ("ref_ratio", pa.float64()),
    ("ctrl_pre_mean", pa.float64()), ("ctrl_post_mean", pa.float64()),
    ("ctrl_ratio", pa.float64()), ("n_controls", pa.int32()),
    ("did_product", pa.float64()), ("did_destination", pa.float64()),
    ("did_triple", pa.float64()), ("design", pa.string()), ("estimate", pa.float64()),
    ("ci_low", pa.float64()), ("ci_high", pa.float64()), ("se", pa.float64()),
    ("p_surge", pa.float64()), ("p_drop", pa.float64()), ("n_boot", pa.int32()),
    ("uncertainty", pa.string()), ("excess_value", pa.float64()),
    ("suppressed_cells", pa.int64()), ("status", pa.string()),
])


def is_post(period: str, sanction: date) -> bool:
    """A period counts as 'after' when more than half of it lies after the date."""
    year = int(period[:4])
    if len(period) >= 7:
        month = int(period[5:7])
        start = date(year, month, 1)
        end = date(year + (month == 12), month % 12 + 1, 1)
    else:
        start, end = date(year, 1, 1), date(year + 1, 1, 1)
    if sanction <= start:
        return True
    if sanction >= end:
        return False
    return (end - sanction) > (sanction - start)


def _block_weights(rng: np.random.Generator, idx: np.ndarray, n_boot: int, block: int,
                   n_periods: int) -> np.ndarray:
    """Moving-block bootstrap counts over the periods ``idx`` (B x n_periods)."""
    w = np.zeros((n_boot, n_periods))
    n = len(idx)
    if n == 0:
        return w
    if n == 1:
        w[:, idx[0]] = 1.0
        return w
    b = max(1, min(block, n))
    n_blocks = -(-n // b)
    starts = rng.integers(0, n - b + 1, size=(n_boot, n_blocks))
    picks = (starts[:, :, None] + np.arange(b)[None, None, :]).reshape(n_boot, -1)[:, :n]
    for row in range(n_boot):
        np.add.at(w[row], idx[picks[row]], 1.0)
    return w


def _loo_median(x: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """For each partner p: the median over partners c in ``mask``, c != p, of x[:, c]."""
    n_b, n_p = x.shape
    out = np.full((n_b, n_p), np.nan)
    if not mask.any():
        return out
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices give NaN
        full = np.nanmedian(x[:, mask], axis=1)
        out[:, ~mask] = full[:, None]
        for p in np.flatnonzero(mask):
            others = mask.copy()
            others[p] = False
            if others.any():
                out[:, p] = np.nanmedian(x[:, others], axis=1)
    return out


def _log_ratio(post: np.ndarray, pre: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.log(post) - np.log(pre)
    out = np.where((pre <= 0) & (post <= 0), np.nan, out)
    return np.clip(out, -LOG_CLIP, LOG_CLIP)


@dataclass
class _Panel:
    partners: list[str]
    reporters: list[str]
    periods: list[str]
    y: np.ndarray  # P x R x T
    a: np.ndarray  # P x R x T all goods (TOTAL or detailed sum)
    valid: np.ndarray  # P x T
    has_total: np.ndarray  # P
    suppressed: np.ndarray  # P


def _codes(arr: pa.ChunkedArray | pa.Array) -> tuple[list[str], np.ndarray]:
    """Sorted distinct values and each row's index into them."""
    values = sorted(set(pc.unique(arr).to_pylist()))
    idx = pc.index_in(arr, value_set=pa.array(values, pa.string()))
    return values, np.asarray(idx.to_numpy(zero_copy_only=False), np.int64)


def _num(table: pa.Table, name: str, fill: float) -> np.ndarray:
    col = pc.fill_null(table.column(name).cast(pa.float64()), fill)
    return np.asarray(col.to_numpy(), np.float64)


def build_panel(table: pa.Table) -> _Panel:
    """Arrays from the rows of one (flow, group, currency) panel."""
    partners, ip = _codes(table.column("partner"))
    reporters, ir = _codes(table.column("reporter"))
    periods, it = _codes(table.column("period"))
    shape = (len(partners), len(reporters), len(periods))
    y = np.zeros(shape)
    det = np.zeros(shape)
    tot = np.full(shape, np.nan)
    sup = np.zeros(len(partners), np.int64)
    y[ip, ir, it] = _num(table, "y", 0.0)
    det[ip, ir, it] = _num(table, "detailed", 0.0)
    tot[ip, ir, it] = _num(table, "total", np.nan)
    np.add.at(sup, ip, (_num(table, "y_null", 0) + _num(table, "y_conf", 0)).astype(np.int64))
    has_total = np.isfinite(tot).any(axis=(1, 2))
    a = np.where(has_total[:, None, None], np.nan_to_num(tot, nan=0.0), det)
    a = np.maximum(a, y)  # a group never exceeds all goods (published totals may lag)
    det_t = det.sum(axis=1) > 0
    tot_t = np.isfinite(tot).any(axis=1)
    valid = det_t & (tot_t | ~has_total[:, None])
    return _Panel(partners, reporters, periods, y, a, valid, has_total, sup)


def _means(s: np.ndarray, v: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Weighted means over periods: s (B x P x T), v (B x T), mask (P x T) -> B x P."""
    w = v[:, None, :] * mask[None, :, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        out: np.ndarray = np.einsum("bpt,bpt->bp", s, w) / w.sum(axis=2)
    return out


def estimate_group(table: pa.Table, cfg: SurgeConfig, flow: str, group_id: str,
                   currency: str, freq: str) -> list[dict[str, object]]:
    """Estimates for every partner of one (flow, group, currency) panel."""
    if table.num_rows == 0:
        return []
    pan = build_panel(table)
    _, n_r, n_t = pan.y.shape
    post = np.array([is_post(t, cfg.sanction_date) for t in pan.periods])
    pre_mask = pan.valid & ~post[None, :]
    post_mask = pan.valid & post[None, :]
    n_pre, n_post = pre_mask.sum(axis=1), post_mask.sum(axis=1)
    ok = (n_pre >= cfg.min_pre) & (n_post >= cfg.min_post)
    per_year = 12.0 if freq == "M" else 1.0
    is_target = np.array([p in cfg.targets for p in pan.partners])
    excluded = np.array([p in cfg.exclude for p in pan.partners])
    eligible = ok & ~is_target & ~excluded
    if cfg.controls:
        eligible &= np.array([p in cfg.controls for p in pan.partners])

    # bootstrap weights: row 0 is the point estimate
    seed = [cfg.seed, zlib.crc32(f"{flow}|{group_id}|{currency}".encode())]
    rng = np.random.default_rng(seed)
    n_b = cfg.bootstrap
    active_r = pan.a.sum(axis=(0, 2)) > 0
    use_r = int(active_r.sum()) >= 2
    block = cfg.block_months if freq == "M" else 1
    pre_idx = np.flatnonzero(~post)
    post_idx = np.flatnonzero(post)
    use_t = len(pre_idx) >= 2 or len(post_idx) >= 2
    w = np.ones((n_b + 1, n_r))
    v = np.ones((n_b + 1, n_t))
    if n_b and use_r:
        act = np.flatnonzero(active_r)
        draws = rng.integers(0, len(act), size=(n_b, len(act)))
        w[1:] = 0.0
        for row in range(n_b):
            np.add.at(w[row + 1], act[draws[row]], 1.0)
    if n_b and use_t:
        v[1:] = (_block_weights(rng, pre_idx, n_b, block, n_t)
                 + _block_weights(rng, post_idx, n_b, block, n_t))
    uncertainty = ("reporters+time" if use_r and use_t else "reporters" if use_r
                   else "time" if use_t else "none") if n_b else "none"

    sy = np.einsum("br,prt->bpt", w, pan.y)
    sa = np.einsum("br,prt->bpt", w, pan.a)
    sref = sa - sy
    y_pre, y_post = _means(sy, v, pre_mask), _means(sy, v, post_mask)
    r_pre, r_post = _means(sref, v, pre_mask), _means(sref, v, post_mask)
    a_pre = _means(sa, v, pre_mask)
    l_g = _log_ratio(y_post, y_pre)
    l_ref = _log_ratio(r_post, r_pre)
    with np.errstate(invalid="ignore", divide="ignore"):
        ref_share = r_pre[0] / a_pre[0]
    has_ref = np.nan_to_num(ref_share) >= cfg.min_reference_share

    # control destinations: large enough, not targets, not excluded; the partner itself is
    # left out. The counterfactual is the median of the controls' own log growth, robust to
    # controls that are themselves routes.
    size = np.maximum(np.nan_to_num(y_pre[0]), np.nan_to_num(y_post[0])) * per_year
    ctrl = eligible & (size >= cfg.min_value_per_year)
    ctrl_ref = ctrl & has_ref
    e = ctrl.astype(float)
    sum_pre = np.nansum(y_pre * e, axis=1, keepdims=True) - np.nan_to_num(y_pre) * e
    sum_post = np.nansum(y_post * e, axis=1, keepdims=True) - np.nan_to_num(y_post) * e
    n_ctrl = int(ctrl.sum()) - ctrl.astype(int)
    n_ctrl_ref = int(ctrl_ref.sum()) - ctrl_ref.astype(int)
    m_dest = _loo_median(l_g, ctrl)
    m_trip = _loo_median(l_g - l_ref, ctrl_ref)
    has_ctrl = n_ctrl >= 1
    has_ctrl_ref = n_ctrl_ref >= 1

    d_prod = l_g - l_ref
    d_dest = l_g - m_dest
    d_trip = d_prod - m_trip
    rows: list[dict[str, object]] = []
    for i, partner in enumerate(pan.partners):
        design = cfg.design
        if design == "auto":
            ctrl_ok = has_ctrl[i] and (bool(cfg.controls) or n_ctrl[i] >= cfg.min_auto_controls)
            design = ("triple" if ctrl_ok and has_ref[i] and has_ctrl_ref[i]
                      else "product" if has_ref[i]
                      else "destination" if has_ctrl[i] else "none")
        status = "ok"
        size = max(np.nan_to_num(y_pre[0, i]), np.nan_to_num(y_post[0, i])) * per_year
        if not ok[i]:
            status = f"too few periods (before {n_pre[i]}, after {n_post[i]})"
        elif excluded[i]:
            status = "excluded (origin bloc or user list)"
        elif size < cfg.min_value_per_year and not is_target[i]:
            status = f"below {cfg.min_value_per_year:,.0f} {currency} a year"
        elif design in ("product", "triple") and not has_ref[i]:
            status = "no reference goods (all goods = this group)"
        elif design == "destination" and not has_ctrl[i]:
            status = "no control destinations"
        elif design == "triple" and not has_ctrl_ref[i]:
            status = "no control destinations with reference goods"
        elif design == "none":
            status = "neither reference goods nor control destinations"
        series = {"product": d_prod, "destination": d_dest, "triple": d_trip}.get(design)
        est = float(series[0, i]) if series is not None and status == "ok" else float("nan")
        boot = series[1:, i] if series is not None and status == "ok" else np.array([])
        boot = boot[np.isfinite(boot)]
        lo = hi = se = p_up = p_dn = float("nan")
        if boot.size >= 20 and np.isfinite(est):
            lo, hi = (float(x) for x in np.quantile(boot, [0.025, 0.975]))
            se = float(boot.std(ddof=1))
            # invert the percentile interval on the side that matters (skewed bootstraps)
            half_dn, half_up = (est - lo) / _Z975, (hi - est) / _Z975
            p_up = _norm_sf(est / half_dn) if half_dn > 0 else float(est <= 0)
            p_dn = _norm_sf(-est / half_up) if half_up > 0 else float(est >= 0)
        pre_m, post_m = float(y_pre[0, i]), float(y_post[0, i])
        excess = post_m * (1 - np.exp(-est)) if np.isfinite(est) else float("nan")
        rows.append({
            "flow": flow, "group_id": group_id, "currency": currency, "partner": partner,
            "is_target": bool(is_target[i]), "n_reporters": int((pan.a[i].sum(axis=1) > 0).sum()),
            "n_pre": int(n_pre[i]), "n_post": int(n_post[i]),
            "pre_mean": pre_m, "post_mean": post_m, "ratio": _ratio(post_m, pre_m),
            "ref_pre_mean": float(r_pre[0, i]), "ref_post_mean": float(r_post[0, i]),
            "ref_ratio": _ratio(float(r_post[0, i]), float(r_pre[0, i])),
            "ctrl_pre_mean": float(sum_pre[0, i]), "ctrl_post_mean": float(sum_post[0, i]),
            "ctrl_ratio": _f(np.exp(m_dest[0, i])) if has_ctrl[i] else None,
            "n_controls": int(n_ctrl[i]),
            "did_product": _f(d_prod[0, i]) if has_ref[i] else None,
            "did_destination": _f(d_dest[0, i]) if has_ctrl[i] else None,
            "did_triple": _f(d_trip[0, i]) if has_ref[i] and has_ctrl_ref[i] else None,
            "design": design, "estimate": _f(est), "ci_low": _f(lo), "ci_high": _f(hi),
            "se": _f(se), "p_surge": _f(p_up), "p_drop": _f(p_dn), "n_boot": int(boot.size),
            "uncertainty": uncertainty, "excess_value": _f(excess),
            "suppressed_cells": int(pan.suppressed[i]), "status": status,
        })
    return rows


def _norm_sf(z: float) -> float:
    """P(Z > z) for a standard normal Z."""
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def _f(x: float | np.floating) -> float | None:
    return float(x) if np.isfinite(x) else None


def _ratio(post: float, pre: float) -> float | None:
    if not (np.isfinite(post) and np.isfinite(pre)) or pre <= 0:
        return None
    return post / pre


def benjamini_hochberg(p: Sequence[float | None]) -> list[float | None]:
    """BH-adjusted q-values (None stays None)."""
    idx = [i for i, x in enumerate(p) if x is not None and np.isfinite(x)]
    out: list[float | None] = [None] * len(p)
    if not idx:
        return out
    vals = np.array([p[i] for i in idx], np.float64)
    order = np.argsort(vals)
    m = len(vals)
    q = vals[order] * m / np.arange(1, m + 1)
    q = np.minimum.accumulate(q[::-1])[::-1]
    q = np.minimum(q, 1.0)
    for rank, k in enumerate(order):
        out[idx[k]] = float(q[rank])
    return out
