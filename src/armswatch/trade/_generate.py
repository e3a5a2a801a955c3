"""A generated trade dataset with injected re-export routes and known truth.

Origin countries (a bloc of reporters) export products of several HS chapters to a target
and to candidate transit countries, monthly. After the sanctions date the target's imports
of sanctioned chapters collapse and, for a few randomly chosen (transit, chapter) pairs,
exports to the transit country jump by a random factor (the injected routes). Two kinds of
decoys test that general growth is separated: some transit countries get a rise of *all*
goods after the date, and some chapters a world-wide rise to *all* destinations. Values
carry seasonality, trends, a 2020 dip, log-normal noise, zero months and confidential cells.
The truth is the list of injected (partner, group_id) pairs, group ids ``hs2:<chapter>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pyarrow as pa

from armswatch.trade._schema import FLAG_BIT, FLOW_SCHEMA, flags_text

ORIGINS = ("DEU", "FRA", "ITA", "NLD", "POL", "ESP", "BEL", "AUT", "CZE", "SWE", "FIN", "DNK")
CANDIDATES = ("ARM", "KAZ", "KGZ", "GEO", "UZB", "TUR", "ARE", "SRB", "MNG", "TJK", "AZE",
              "IND", "CHN", "EGY", "DZA", "ISR", "MAR", "BRA", "ZAF", "MEX", "SAU", "THA")
#: chapters whose exports to the target are banned after the date (machinery, electrical,
#: vehicles, aircraft, optics, arms)
SANCTIONED = ("84", "85", "87", "88", "90", "93")
OTHER = ("30", "39", "61", "22", "73", "94", "44", "48")


@dataclass(frozen=True)
class GeneratorConfig:
    seed: int = 0
    n_origins: int = 10
    n_candidates: int = 20
    start: str = "2019-01"
    months: int = 48
    sanction_date: date = date(2022, 2, 24)
    target: str = "RUS"
    codes_per_chapter: int = 4
    n_routes: int = 6
    route_factor: tuple[float, float] = (1.8, 4.0)
    n_growth_partners: int = 2  # decoys: all goods to these partners rise after the date
    n_growth_chapters: int = 2  # decoys: these chapters rise to every destination
    decoy_factor: float = 1.6
    noise_sigma: float = 0.35
    zero_share: float = 0.04
    confidential_share: float = 0.01
    chapters: tuple[str, ...] = SANCTIONED + OTHER


@dataclass
class GeneratedTrade:
    flows: pa.Table
    routes: list[tuple[str, str]]  # injected (partner, group_id)
    growth_partners: list[str]
    growth_groups: list[str]
    config: GeneratorConfig
    notes: list[str] = field(default_factory=list)


def _periods(start: str, months: int) -> list[str]:
    y, m = int(start[:4]), int(start[5:7])
    out = []
    for _ in range(months):
        out.append(f"{y}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def generate_routes(config: GeneratorConfig | None = None) -> GeneratedTrade:
    """Generate exports of an origin bloc with injected routes (deterministic per seed)."""
    cfg = config or GeneratorConfig()
    rng = np.random.default_rng(cfg.seed)
    origins = list(ORIGINS[: cfg.n_origins])
    cands = [str(c) for c in rng.choice(CANDIDATES, size=cfg.n_candidates, replace=False)]
    partners = [cfg.target, *cands]
    chapters = list(cfg.chapters)
    codes = [f"{ch}{10 + 7 * k:02d}{11 + 13 * k % 80:02d}" for ch in chapters
             for k in range(cfg.codes_per_chapter)]
    code_ch = np.array([chapters.index(c[:2]) for c in codes])
    periods = _periods(cfg.start, cfg.months)
    from armswatch.trade._did import is_post

    post = np.array([is_post(p, cfg.sanction_date) for p in periods])
    first_post = int(np.argmax(post))
    n_o, n_p, n_k, n_t = len(origins), len(partners), len(codes), len(periods)

    # baseline levels: origin size x partner size x product size, sparse
    o_size = rng.lognormal(0, 0.8, n_o)
    p_size = rng.lognormal(0, 1.0, n_p)
    p_size[0] *= 8.0  # the target is a large market
    k_size = rng.lognormal(0, 1.0, n_k)
    base = 2e5 * o_size[:, None, None] * p_size[None, :, None] * k_size[None, None, :]
    base *= rng.random((n_o, n_p, n_k)) < 0.7  # not every origin ships every product
    t = np.arange(n_t)
    season = 1 + 0.12 * np.sin(2 * np.pi * (t % 12) / 12 + rng.uniform(0, 2 * np.pi))
    trend = np.exp(0.02 * t / 12)
    covid = np.where((t >= 14) & (t <= 17), 0.75, 1.0)  # 2020-03..2020-06 dip
    p_trend = np.exp(rng.normal(0, 0.04, n_p)[:, None] * t[None, :] / 12)
    mult = np.ones((n_p, n_k, n_t))
    ramp = np.clip((t - first_post + 1) / 3.0, 0, 1)  # effects build up over 3 months

    sanctioned = [i for i, c in enumerate(chapters) if c in SANCTIONED]
    for ci in sanctioned:  # exports to the target collapse
        drop = rng.uniform(0.1, 0.3)
        mult[0, code_ch == ci, :] *= 1 - (1 - drop) * ramp
    pairs = [(p, ci) for p in range(1, n_p) for ci in sanctioned]
    chosen = rng.choice(len(pairs), size=cfg.n_routes, replace=False)
    routes = []
    for idx in chosen:
        p, ci = pairs[int(idx)]
        factor = rng.uniform(*cfg.route_factor)
        mult[p, code_ch == ci, :] *= 1 + (factor - 1) * ramp
        routes.append((str(partners[p]), f"hs2:{chapters[ci]}"))
    route_partners = {partners[pairs[int(i)][0]] for i in chosen}
    pool = [p for p in range(1, n_p) if partners[p] not in route_partners]
    growth_p = list(rng.choice(pool, size=min(cfg.n_growth_partners, len(pool)), replace=False))
    for p in growth_p:
        mult[p] *= 1 + (cfg.decoy_factor - 1) * ramp
    growth_c = list(rng.choice(len(chapters), size=cfg.n_growth_chapters, replace=False))
    for ci in growth_c:
        mult[1:, code_ch == ci, :] *= 1 + (cfg.decoy_factor - 1) * ramp

    values = (base[:, :, :, None] * (season * trend * covid)[None, None, None, :]
              * p_trend[None, :, None, :] * mult[None, :, :, :])
    values *= rng.lognormal(-cfg.noise_sigma ** 2 / 2, cfg.noise_sigma, values.shape)
    values *= rng.random(values.shape) >= cfg.zero_share
    o_i, p_i, k_i, t_i = np.nonzero(values > 0.5)
    vals = np.round(values[o_i, p_i, k_i, t_i])
    conf = rng.random(len(vals)) < cfg.confidential_share
    flags = np.where(conf, FLAG_BIT["confidential"], 0)
    n = len(vals)

    def take(items: list[str], idx: np.ndarray) -> pa.Array:
        return pa.array(items, pa.string()).take(pa.array(idx))

    table = pa.Table.from_arrays([
        take(periods, t_i), pa.array(["M"] * n), take(origins, o_i), pa.nulls(n, pa.int32()),
        take(partners, p_i), pa.nulls(n, pa.int32()), pa.array(["export"] * n),
        take(codes, k_i), pa.array(np.full(n, 6, np.int8)), pa.array(["HS2017"] * n),
        pa.array(vals, pa.float64(), mask=conf), pa.array(["EUR"] * n),
        pa.array(["FOB"] * n), pa.nulls(n, pa.float64()), pa.nulls(n, pa.string()),
        pa.array([f"generated:seed{cfg.seed}"] * n), pa.array(np.arange(1, n + 1), pa.int64()),
        pa.array([flags_text(int(f)) for f in flags], pa.string()),
    ], schema=FLOW_SCHEMA)
    return GeneratedTrade(
        table, sorted(routes), sorted(str(partners[p]) for p in growth_p),
        sorted(f"hs2:{chapters[c]}" for c in growth_c), cfg)


def precision_recall(flagged: set[tuple[str, str]], truth: set[tuple[str, str]],
                     ) -> tuple[float, float]:
    """Precision and recall of flagged (partner, group) pairs."""
    hits = len(flagged & truth)
    precision = hits / len(flagged) if flagged else 1.0
    recall = hits / len(truth) if truth else 1.0
    return precision, recall
