"""Trade benchmark: the measured figures of issue 8, printed from the data (nothing typed in).

    PYTHONPATH=src python bench/trade_bench.py [--seeds 5] [--bootstrap 499] [--skip-real]

1. "Eurasian roundabout": EU exports of Reg. 833/2014 banned goods (Eurostat CN8 extract)
   to AM, BY, GE, KG, KZ, RU, UZ before/after 2022-02-24 vs other goods (= EU total exports
   minus the banned codes, from the Eurostat totals file), difference-in-differences with a
   95 % bootstrap interval.
2. Mirror gap: EU27-reported exports vs partner-reported imports from the EU27 members
   (AM, KZ, KG, UZ national files), per country and year.
3. Wood: EU27 imports of wood products by partner (Comtrade), the same surge method.
4. Generated routes: precision and recall of flagged (country, chapter) pairs over seeds,
   for the default generator and a harder one, with a naive before/after baseline.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from _shared import SHARED
from armswatch.engine import DuckDBBackend
from armswatch.trade import (
    GeneratorConfig,
    MirrorConfig,
    ProductGroup,
    SurgeConfig,
    generate_routes,
    mirror_gaps,
    read_file,
    resolve_groups,
    surges,
)
from armswatch.trade._generate import precision_recall
from armswatch.trade._mirror import EU27

ROOT = Path(__file__).resolve().parents[1]


def m(v: float | None) -> str:
    return "-" if v is None else f"{v / 1e6:9.1f}"


def x(v: float | None) -> str:
    return "-" if v is None else f"{v:6.2f}"


def eurasian(data: Path, bootstrap: int) -> None:
    cn8 = data / (
        "trade/eurostat_cn8_sanctioned_exports_ruimpeks/"
        "eu_exports_sanctioned_cn_monthly_2020-01_2022-11.csv.gz"
    )
    tot = data / "trade/eurostat_totals_marylev/eu_reporter_partner_monthly_totals.csv"
    t0 = time.perf_counter()
    banned, _ = read_file(cn8)
    totals, _ = read_file(tot)
    t_read = time.perf_counter() - t0
    flows = pa.concat_tables([banned, totals])
    t0 = time.perf_counter()
    res = surges(
        DuckDBBackend(),
        flows,
        resolve_groups("detailed", []),
        SurgeConfig(bootstrap=bootstrap, exclude=EU27),
    )
    t_surge = time.perf_counter() - t0
    print("\n== 1. Eurasian roundabout: EU exports of banned goods vs other goods ==")
    print(
        f"data: {cn8.name} ({banned.num_rows:,} rows: CN8 codes of Reg. 833/2014 export "
        f"bans + HS4 heading totals, 27 EU reporters, 2020-01..2022-11) and {tot.name} "
        f"({totals.num_rows:,} rows, EU member total exports)."
    )
    print(
        "banned = every code of the CN8 extract (HS4 heading totals used instead of their "
        "CN8 children); other goods = member TOTAL exports minus banned, same reporter and "
        "month (Belarus: no totals, so compared with the median growth to the other "
        "partners instead). Before = 2020-01..2022-02 (26 months), after = 2022-03..2022-11 "
        "(9 months); values = mean per month, EUR million."
    )
    print(
        f"read {banned.num_rows + totals.num_rows:,} rows in {t_read:.1f} s; surge panel + "
        f"estimate ({bootstrap} bootstrap replicates) in {t_surge:.1f} s"
    )
    hdr = (
        f"{'partner':8}{'banned before':>14}{'after':>10}{'x':>7}{'other before':>14}"
        f"{'after':>10}{'x':>7}  {'design':12}{'DiD':>7}  {'95% CI':17}{'q':>8}  flag"
    )
    print(hdr)
    rows = sorted(res.estimates.to_pylist(), key=lambda r: -(r["estimate"] or -9))
    for r in rows:
        ci = "-" if r["ci_low"] is None else f"[{r['ci_low']:+.2f}, {r['ci_high']:+.2f}]"
        q = "-" if r["q_value"] is None else f"{r['q_value']:.3g}"
        flag = "FLAG" if r["flagged"] else ("target" if r["is_target"] else "")
        other = (r["ref_pre_mean"], r["ref_post_mean"]) if r["ref_ratio"] else (None, None)
        print(
            f"{r['partner']:8}{m(r['pre_mean']):>14}{m(r['post_mean']):>10}"
            f"{x(r['ratio']):>7}{m(other[0]):>14}{m(other[1]):>10}{x(r['ref_ratio']):>7}  "
            f"{r['design']:12}{r['estimate']:+7.2f}  {ci:17}{q:>8}  {flag}"
        )
    print(
        "DiD = log(banned after/before) - log(other goods after/before); e^DiD is the "
        "excess growth factor."
    )


def mirror(data: Path) -> None:
    base = data / "trade/eurostat_totals_marylev"
    parts = [read_file(base / "eu_reporter_partner_monthly_totals.csv")[0]]
    for name in ("armenia", "kazakhstan", "kyrgyz", "uzbek"):
        parts.append(
            read_file(base / f"raw/data/national_data_converted/{name}_import_yearly.csv")[0]
        )
    t0 = time.perf_counter()
    table = mirror_gaps(DuckDBBackend(), pa.concat_tables(parts), MirrorConfig())
    dt = time.perf_counter() - t0
    print(
        "\n== 2. Mirror gap: EU27-reported exports vs partner-reported imports from the "
        "EU27 members (TOTAL goods, EUR) =="
    )
    print(
        "exports: sum of the 27 members' monthly exports (Eurostat); imports: the partner's "
        "own yearly imports by origin, summed over the 27 members (national statistics as "
        "converted to EUR by the upstream author). expected = exports x 1.10 (CIF/FOB); "
        f"ratio = imports / expected. ({dt:.2f} s)"
    )
    print(
        f"{'partner':8}{'year':>6}{'EU exports':>12}{'imports':>10}{'gap':>10}{'ratio':>7}  flags"
    )
    eu = table.filter(pc.equal(table.column("is_group"), 1)).to_pylist()
    for r in sorted(eu, key=lambda r: (r["importer"], r["period"])):
        print(
            f"{r['importer']:8}{r['period']:>6}{m(r['export_value']):>12}"
            f"{m(r['import_value']):>10}{m(r['gap_value']):>10}{x(r['gap_ratio']):>7}  "
            f"{(r['flags'] or '').rstrip(';')}"
        )


def wood(data: Path, bootstrap: int) -> None:
    path = data / (
        "trade/comtrade_eu27_wood_imports_comtradr/"
        "eu27_imports_wood_products_by_partner_2018_2022.csv.gz"
    )
    table, _ = read_file(path)
    t0 = time.perf_counter()
    res = surges(
        DuckDBBackend(),
        table,
        resolve_groups("detailed", []),
        SurgeConfig(bootstrap=bootstrap, targets=("RUS", "BLR"), exclude=EU27),
    )
    dt = time.perf_counter() - t0
    print("\n== 3. EU27 imports of wood products by partner (Comtrade, USD, 2018-2022) ==")
    print(
        "group = all 39 wood product codes; no other goods in the file, so each partner's "
        "growth is compared with the median growth over the other partners (destination "
        f"design); before = 2018-2021, after = 2022. Targets RUS, BLR. ({dt:.1f} s)"
    )
    rows = res.estimates.to_pylist()
    shown = [r for r in rows if r["flagged"] or r["partner"] in ("KAZ", "KGZ", "RUS", "BLR")]
    print(
        f"{'partner':8}{'before/yr':>11}{'after':>10}{'x':>9}{'controls x':>11}{'DiD':>7}  "
        f"{'95% CI':17}{'q':>8}  flag"
    )
    for r in sorted(shown, key=lambda r: -(r["estimate"] or -9)):
        ci = "-" if r["ci_low"] is None else f"[{r['ci_low']:+.2f}, {r['ci_high']:+.2f}]"
        q = "-" if r["q_value"] is None else f"{r['q_value']:.3g}"
        print(
            f"{r['partner']:8}{m(r['pre_mean']):>11}{m(r['post_mean']):>10}"
            f"{r['ratio']:9.2f}{x(r['ctrl_ratio']):>11}{r['estimate']:+7.2f}  {ci:17}"
            f"{q:>8}  {'FLAG' if r['flagged'] else ''}"
        )
    tested = sum(1 for r in rows if r["status"] == "ok" and not r["is_target"])
    print(f"{sum(1 for r in rows if r['flagged'])} of {tested} partners tested are flagged")


def _naive(
    flows: pa.Table,
    groups: list[ProductGroup],
    cfg: SurgeConfig,
) -> set[tuple[str, str]]:
    """Baseline without a counterfactual: flag when the group's mean after/before >= 1.8."""
    res = surges(
        DuckDBBackend(),
        flows,
        groups,
        SurgeConfig(bootstrap=0, min_value_per_year=cfg.min_value_per_year),
    )
    return {
        (r["partner"], r["group_id"])
        for r in res.estimates.to_pylist()
        if not r["is_target"] and r["status"] == "ok" and (r["ratio"] or 0) >= 1.8
    }


def generated(seeds: int, bootstrap: int) -> None:
    print("\n== 4. Generated routes: flagged (country, HS chapter) pairs vs injected truth ==")
    settings = {
        "default": GeneratorConfig(),
        "harder": GeneratorConfig(route_factor=(1.3, 2.0), noise_sigma=0.5, n_routes=8),
    }
    for name, base in settings.items():
        print(
            f"-- {name}: {base.n_origins} origins, {base.n_candidates} candidates + target, "
            f"{len(base.chapters)} chapters x {base.codes_per_chapter} HS6, {base.months} "
            f"months, {base.n_routes} routes x{base.route_factor[0]}-{base.route_factor[1]}, "
            f"noise sigma {base.noise_sigma}, decoys: {base.n_growth_partners} partners and "
            f"{base.n_growth_chapters} chapters rising x{base.decoy_factor}"
        )
        print(
            f"{'seed':>5}{'rows':>9}{'flagged':>9}{'P':>6}{'R':>6}{'naive P':>9}"
            f"{'naive R':>9}{'sec':>6}"
        )
        ps, rs, nps, nrs = [], [], [], []
        for seed in range(seeds):
            cfg = GeneratorConfig(**{**base.__dict__, "seed": seed})
            data = generate_routes(cfg)
            groups = resolve_groups("hs2", pc.unique(data.flows.column("hs_code")).to_pylist())
            sc = SurgeConfig(bootstrap=bootstrap, seed=seed)
            t0 = time.perf_counter()
            res = surges(DuckDBBackend(), data.flows, groups, sc)
            dt = time.perf_counter() - t0
            flagged = {
                (r["partner"], r["group_id"]) for r in res.estimates.to_pylist() if r["flagged"]
            }
            p, r = precision_recall(flagged, set(data.routes))
            n_p, n_r = precision_recall(_naive(data.flows, groups, sc), set(data.routes))
            ps.append(p)
            rs.append(r)
            nps.append(n_p)
            nrs.append(n_r)
            print(
                f"{seed:>5}{data.flows.num_rows:>9,}{len(flagged):>9}{p:6.2f}{r:6.2f}"
                f"{n_p:9.2f}{n_r:9.2f}{dt:6.1f}"
            )
        print(
            f"{'mean':>5}{'':>9}{'':>9}{sum(ps) / len(ps):6.2f}{sum(rs) / len(rs):6.2f}"
            f"{sum(nps) / len(nps):9.2f}{sum(nrs) / len(nrs):9.2f}"
        )
    print(
        "naive = flag every (country, chapter) whose mean after/before >= 1.8, no "
        "counterfactual (the decoys fool it)."
    )


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--bootstrap", type=int, default=499)
    ap.add_argument("--skip-real", action="store_true")
    args = ap.parse_args(argv)
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f} (timings are noisy)")
    data = SHARED
    if not args.skip_real:
        if not (data / "trade").is_dir():
            print(f"shared data not found in {data}: set ARMSWATCH_SHARED_DATA", file=sys.stderr)
            return 2
        eurasian(data, args.bootstrap)
        mirror(data)
        wood(data, args.bootstrap)
    generated(args.seeds, args.bootstrap)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
