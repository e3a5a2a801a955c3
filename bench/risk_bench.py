"""Networks and risk benchmark: prints measured figures (nothing here is hard-coded).

Sections (``--sections``, default all):

* ``fifty``: OFAC 50 % rule worked examples (SQL fixpoint and pure-Python reference)
  against their expected results, and the fixpoint's time on a generated graph.
* ``sim``: the simulator's dprk_russia_shuttle and mixed scenarios, end to end (simulate →
  decode → detect → identities, voyages, deliveries, 50 % rule → risk), with a registry
  table linking the shuttle ships to listed owners (``registry_example.csv`` mapped onto
  the run's shuttle ships): the shuttle ships' ranks among all ships (top 1 %?), delivery
  recall against the truth, and false deliveries per 1,000 innocent voyages.
* ``real``: the real sanctioned vessels of the shared OFAC and UN files that appear in
  the shared real AIS (by IMO or MMSI; names listed separately as weak evidence).

Run: ``PYTHONPATH=src python bench/risk_bench.py [--sections fifty,sim,real] [--seed 7]``.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import math
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from armswatch.engine import DuckDBBackend  # noqa: E402
from armswatch.model import Entity, IdKind, Schema  # noqa: E402
from armswatch.model.tables import STATICS_SCHEMA  # noqa: E402
from armswatch.network import (  # noqa: E402
    FIFTY_EXAMPLES,
    clean_imo,
    fifty_percent,
    fifty_percent_reference,
    resolve_identities,
)


def shared_dir() -> Path:
    from tests.conftest import shared_data_dir

    return shared_data_dir()


# -- 50 % rule -----------------------------------------------------------------------------


def section_fifty(args: argparse.Namespace) -> None:
    print("\n== OFAC 50 % rule: worked examples (SQL fixpoint on DuckDB and Python reference)")
    ok = 0
    for ex in FIFTY_EXAMPLES:
        with DuckDBBackend() as be:
            out = fifty_percent(ex.shares, ex.seeds, be)
        sql = {r["entity_id"] for r in out.to_pylist() if r["blocked"]}
        ref = set(fifty_percent_reference(ex.shares, ex.seeds))
        good = sql == ref == set(ex.blocked) and not (sql & ex.not_blocked)
        ok += good
        print(f"  {'PASS' if good else 'FAIL'}  {ex.name}: blocked {sorted(sql)}")
    print(f"  {ok}/{len(FIFTY_EXAMPLES)} examples as OFAC's guidance says")
    rng = random.Random(1)
    n, m = 20_000, 40_000
    shares = [
        (f"e{rng.randrange(n)}", f"e{rng.randrange(n)}", rng.choice([10, 25, 50, 60]))
        for _ in range(m)
    ]
    seeds = [f"e{i}" for i in rng.sample(range(n), 200)]
    t0 = time.perf_counter()
    with DuckDBBackend() as be:
        out = fifty_percent(shares, seeds, be)
    t_sql = time.perf_counter() - t0
    t0 = time.perf_counter()
    ref = fifty_percent_reference(shares, seeds)
    t_ref = time.perf_counter() - t0
    blocked = sum(1 for r in out.column("blocked").to_pylist() if r)
    print(
        f"  random graph {n:,} entities / {m:,} shares, 200 listed: {blocked:,} blocked "
        f"(reference {len(ref):,}); SQL {t_sql:.2f} s, Python {t_ref:.2f} s"
    )


# -- real data -----------------------------------------------------------------------------


def _list_vessels(shared: Path) -> list[Entity]:
    from armswatch.lists import read_list

    out: list[Entity] = []
    for rel in (
        "sanctions/ofac/sdn_2024-05-03.csv",
        "sanctions/ofac/consistent_2021-07-07/sdn.csv",
        "sanctions/un/UN_consolidated_2026-02-27.xml",
    ):
        path = shared / rel
        if not path.exists():
            print(f"  (missing {path})")
            continue
        data = read_list(path)
        tag = path.parent.name if "consistent" in rel else path.stem
        vessels = [e for e in data.entities if e.schema is Schema.VESSEL]
        for e in vessels:
            e.source_url = tag
        print(
            f"  {rel}: {len(data.entities):,} entities, {len(vessels):,} vessels "
            f"({sum(1 for e in vessels if e.ids_of(IdKind.IMO)):,} with IMO, "
            f"{sum(1 for e in vessels if e.ids_of(IdKind.MMSI)):,} with MMSI)"
        )
        out.extend(vessels)
    return out


def _ais_statics(shared: Path) -> tuple[pa.Table, list[int]]:
    from armswatch.ais import decode_file

    files = sorted(
        p
        for p in (shared / "ais" / "nmea").rglob("*")
        if p.is_file() and not p.name.endswith((".chk", ".json", ".md"))
    )
    tables: list[pa.Table] = []
    t0 = time.perf_counter()
    for f in files:
        st = decode_file(f).statics
        tables.append(st.select([c.name for c in STATICS_SCHEMA]).cast(STATICS_SCHEMA))
    print(
        f"  decoded {len(files)} NMEA logs in {time.perf_counter() - t0:.1f} s: "
        f"{sum(t.num_rows for t in tables):,} static reports"
    )
    rows: list[dict[str, object]] = []
    for name in (
        "noaa_marinecadastre_aisdb_20230111_sample.csv",
        "noaa_marinecadastre_maatkamp_small-sample.csv",
    ):
        path = shared / "ais" / "tables" / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                imo = clean_imo((r.get("IMO") or "").replace("IMO", ""))
                rows.append(
                    {
                        "mmsi": int(r["MMSI"]),
                        "msg_type": 5,
                        "imo": int(imo) if imo else None,
                        "name": r.get("VesselName") or None,
                        "callsign": r.get("CallSign") or None,
                        "source": name,
                    }
                )
    aisdb = shared / "ais" / "tables" / "aisdb_test_data_20210701.csv"
    if aisdb.exists():
        with aisdb.open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                imo = clean_imo(r.get("IMO") or "")
                if imo or r.get("Vessel_Name"):
                    rows.append(
                        {
                            "mmsi": int(r["MMSI"]),
                            "msg_type": 5,
                            "imo": int(imo) if imo else None,
                            "name": r.get("Vessel_Name") or None,
                            "callsign": r.get("Call_sign") or None,
                            "source": aisdb.name,
                        }
                    )
    tables.append(pa.Table.from_pylist(rows, schema=STATICS_SCHEMA))
    statics = pa.concat_tables(tables)
    mmsis: list[int] = []
    pos = shared / "ais" / "derived" / "positions_pyais_from_staged_nmea.parquet"
    if pos.exists():
        mmsis = [
            int(m) for m in pc.unique(pq.read_table(pos, columns=["mmsi"])["mmsi"]).to_pylist()
        ]
    valid_imo = sum(1 for x in pc.unique(statics["imo"]).to_pylist() if x and clean_imo(x))
    print(
        f"  AIS identities: {statics.num_rows:,} static rows, "
        f"{len(set(statics['mmsi'].to_pylist())):,} MMSI with statics, {valid_imo:,} valid IMO; "
        f"{len(mmsis):,} MMSI in derived positions"
    )
    return statics, mmsis


def section_real(args: argparse.Namespace) -> None:
    shared = shared_dir()
    print(
        f"\n== Real data: sanctioned vessels in the shared lists seen in the shared AIS ({shared})"
    )
    vessels = _list_vessels(shared)
    statics, mmsis = _ais_statics(shared)
    with DuckDBBackend() as be:
        be.register("statics", statics)
        res = resolve_identities(be, vessels, "statics", extra_mmsis=mmsis)
    by_id = {e.id: e for e in vessels}
    strong = [
        m for m in res.matches if m.method in ("imo", "mmsi", "call_sign", "mmsi_imo_conflict")
    ]
    weak = [m for m in res.matches if m not in strong]
    print(f"  matches by IMO / MMSI / call sign: {len(strong)}")
    for m in sorted(strong, key=lambda m: (m.vessel_id, m.entity_id)):
        e = by_id[m.entity_id]
        rec = res.vessels[m.vessel_id]
        print(
            f"    {m.vessel_id:<16} AIS {', '.join(rec.names[:2]) or '-':<24} MMSI "
            f"{','.join(map(str, rec.mmsis))}  ~ {e.id} {e.caption!r} [{e.source_url}; "
            f"{'/'.join(e.programs)}] {m.method} {m.strength:.2f}: {m.evidence}"
        )
    if not strong:
        print("    none: no sanctioned vessel's IMO, MMSI or call sign occurs in the shared AIS")
    print(f"  exact-name matches only (weak, often different ships): {len(weak)}")
    for m in weak[:10]:
        e = by_id[m.entity_id]
        print(f"    {m.vessel_id:<16} ~ {e.id} {e.caption!r} {m.method} {m.strength:.2f}")


# -- simulated scenarios -------------------------------------------------------------------

MATCH_WINDOW_H = 12.0  # a found delivery matches a true one arriving at the same port within this


def _mapped_registry(sim: object, out: Path) -> Path:
    """registry_example.csv with its example ships replaced by the run's ships."""
    from armswatch.network import map_example_registry

    scripts = sorted(sim.scripts, key=lambda s: s.identities[0][1].mmsi)  # type: ignore[attr-defined]
    ships = [(s.role, str(s.identities[0][1].imo)) for s in scripts if s.identities[0][1].imo]
    return map_example_registry(ships, out)


def _truth_deliveries(sim: object, roles: dict[str, tuple[str, ...]]) -> list[dict[str, object]]:
    """True deliveries: a (dark) port call at a DPRK port followed, within 45 days, by the
    ship's next port call, at a Russian port or military pier (from the simulator's truth)."""
    from datetime import datetime

    calls: dict[int, list[dict[str, object]]] = {}
    for e in sim.truth:  # type: ignore[attr-defined]
        if e["type"] in ("port_call", "dark_port_call") and e.get("port"):
            calls.setdefault(int(e["mmsi"]), []).append(e)
    out = []
    for mmsi, cs in calls.items():
        cs.sort(key=lambda e: str(e["start_utc"]))
        for a, b in itertools.pairwise(cs):
            if "dprk_port" not in roles.get(str(a["port"]), ()):
                continue
            if not set(roles.get(str(b["port"]), ())) & {"russian_port", "russian_military"}:
                continue
            t_a = datetime.fromisoformat(str(a["end_utc"]).replace("Z", "+00:00"))
            t_b = datetime.fromisoformat(str(b["start_utc"]).replace("Z", "+00:00"))
            if (t_b - t_a).days <= 45:
                out.append({"mmsi": mmsi, "port": b["port"], "arrival": t_b})
    return out


def run_scenario(scenario: str, seed: int, vessels: int | None, workdir: Path) -> None:
    from armswatch.ais import decode_file
    from armswatch.detect import DetectReport, run_detectors
    from armswatch.geo import load_ports
    from armswatch.lists import read_list
    from armswatch.network import read_registry
    from armswatch.risk import CaseInputs, analyse
    from armswatch.simulate import simulate, write_simulation

    shared = shared_dir()
    out = workdir / (f"{scenario}-{seed}" + (f"-{vessels}" if vessels else ""))
    t0 = time.perf_counter()
    sim = simulate(scenario, seed, vessels=vessels)
    # a kept run's files (--keep) are reused when the same simulator code made them
    # (same summary: counts of ships, positions, statics and truth events)
    meta = out / "scenario.json"
    summary = json.loads(json.dumps(sim.summary()))
    reuse = (
        meta.exists() and (out / "ais.nmea").exists() and json.loads(meta.read_text()) == summary
    )
    if not reuse:
        write_simulation(sim, out)
    t_sim = time.perf_counter() - t0
    t0 = time.perf_counter()
    dec = decode_file(out / "ais.nmea")
    t_dec = time.perf_counter() - t0
    t0 = time.perf_counter()
    rep = DetectReport()
    with DuckDBBackend() as be:
        events = run_detectors(be, dec.positions, dec.statics, report=rep)
    t_det = time.perf_counter() - t0
    statics = dec.statics.select([c.name for c in STATICS_SCHEMA]).cast(STATICS_SCHEMA)
    sdn = read_list(shared / "sanctions" / "ofac" / "sdn_2024-05-03.csv")
    # The simulator's IMO numbers are random (valid check digit): some coincide with real
    # listed vessels. Those matches would be right but say nothing about the simulated
    # behaviour, so the listed vessels are left out; listed owners and managers stay.
    sim_imos = {str(i.imo) for sc in sim.scripts for _, i in sc.identities if i.imo}
    listed_imos = {x for e in sdn.entities for x in e.ids_of(IdKind.IMO)}
    coincide = sorted(sim_imos & listed_imos)
    parties = [e for e in sdn.entities if e.schema is not Schema.VESSEL]
    ids = {e.id for e in parties}
    links = [ln for ln in sdn.links if ln.source_id in ids and ln.target_id in ids]
    registry = read_registry(_mapped_registry(sim, out / "registry.csv"))
    pq.write_table(events, out / "events.parquet")
    pq.write_table(statics, out / "statics.parquet")
    t0 = time.perf_counter()
    case = analyse(
        CaseInputs(
            events=events,
            statics=statics,
            list_entities=parties,
            list_links=links,
            registries=[registry],
        )
    )
    t_case = time.perf_counter() - t0

    role_of: dict[int, str] = {}
    for script in sim.scripts:
        for _, ident in script.identities:
            role_of[ident.mmsi] = script.role
    n = len(case.vessel_scores)
    rank = {s.vessel_id: k for k, s in enumerate(case.vessel_scores, start=1)}
    shuttles = sorted(
        {
            case.vessel(str(m)).vessel_id
            for m, r in role_of.items()  # type: ignore[union-attr]
            if r == "shuttle" and case.vessel(str(m)) is not None
        }
    )
    concern = {
        case.vessel(str(m)).vessel_id
        for m, r in role_of.items()  # type: ignore[union-attr]
        if r != "innocent" and case.vessel(str(m)) is not None
    }
    print(
        f"\n-- {scenario} seed {seed}: {len(sim.scripts)} simulated ships "
        f"({sum(1 for s in sim.scripts if s.role == 'shuttle')} shuttles), {n} ships scored; "
        f"simulate{'' if reuse else '+write'} {t_sim:.1f} s, decode {t_dec:.1f} s, "
        f"detect {t_det:.1f} s "
        f"({events.num_rows} events), case {t_case:.1f} s; {len(coincide)} simulated IMO(s) "
        f"coincide with real SDN vessels (list vessels left out)"
    )
    top1 = max(1, math.ceil(0.01 * n))
    worst = max(rank[v] for v in shuttles) if shuttles else 0
    best_innocent = min(
        (rank[s.vessel_id] for s in case.vessel_scores if s.vessel_id not in concern), default=None
    )
    for v in shuttles:
        s = case.vessels[v].risk
        main = ", ".join(
            f"{c.name} {c.contribution:.2f}"
            for c in sorted(s.components, key=lambda c: -c.contribution)[:3]
        )
        print(
            f"  shuttle {v}: rank {rank[v]}/{n} (top {100 * rank[v] / n:.1f} %), "
            f"score {s.score:.3f} [{main}]"
        )
    print(
        f"  shuttles in the top 1 % ({top1} of {n} ships): "
        f"{sum(1 for v in shuttles if rank[v] <= top1)}/{len(shuttles)}; worst shuttle rank "
        f"{worst}; best-ranked innocent ship: rank {best_innocent}"
    )
    roles = {p.port_id: p.roles for p in load_ports()}
    truth = _truth_deliveries(sim, roles)
    found = case.deliveries_between(["dprk_port"], ["russian_port", "russian_military"])
    voy = {v.voyage_id: v for v in case.voyages}
    matched_truth: set[int] = set()
    false = 0
    for d in found:
        last = voy[d.legs[-1].voyage_id or ""]
        mmsis = set(case.vessels[last.vessel_id].mmsis) | {last.mmsi}
        hit = next(
            (
                k
                for k, t in enumerate(truth)
                if k not in matched_truth
                and t["mmsi"] in mmsis
                and t["port"] == d.destination_port
                and abs((t["arrival"] - d.arrival_utc).total_seconds()) <= MATCH_WINDOW_H * 3600
            ),
            None,
        )
        if hit is None:
            false += 1
        else:
            matched_truth.add(hit)
    innocent_voyages = sum(1 for v in case.voyages if role_of.get(v.mmsi) == "innocent")
    recall = len(matched_truth) / len(truth) if truth else float("nan")
    rate = 1000 * false / innocent_voyages if innocent_voyages else float("nan")
    print(
        f"  deliveries DPRK -> Russia: truth {len(truth)}, found {len(found)}, matched "
        f"{len(matched_truth)} (recall {recall:.3f}); false {false} over {innocent_voyages} "
        f"innocent voyages = {rate:.2f} per 1,000 innocent voyages"
    )
    print(f"  voyages {len(case.voyages)}; alerts at 0.5: {len(case.alert_candidates(0.5))}")


def section_sim(args: argparse.Namespace) -> None:
    print(
        "\n== Simulated scenarios (simulate -> decode -> detect -> network & risk), "
        "registry_example.csv mapped onto the run's ships, lists = OFAC SDN 2024-05-03"
    )
    import tempfile

    runs: list[tuple[str, int | None]] = [(s, None) for s in args.scenarios.split(",") if s]
    if args.scale:
        runs.append(("mixed", args.scale))
    if args.keep is not None:
        for scenario, vessels in runs:
            run_scenario(scenario, args.seed, vessels, args.keep)
        return
    with tempfile.TemporaryDirectory(prefix="aw-risk-bench-") as tmp:
        for scenario, vessels in runs:
            run_scenario(scenario, args.seed, vessels, Path(tmp))


SECTIONS: dict[str, Callable[[argparse.Namespace], None]] = {
    "fifty": section_fifty,
    "sim": section_sim,
    "real": section_real,
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sections", default=",".join(SECTIONS), help="comma-separated sections")
    ap.add_argument("--seed", type=int, default=1, help="simulator seed (default 1)")
    ap.add_argument(
        "--scenarios",
        default="dprk_russia_shuttle,mixed",
        help="simulator scenarios of the sim section",
    )
    ap.add_argument(
        "--scale",
        type=int,
        default=0,
        help="innocent ships of an extra, larger mixed run (default 0: none)",
    )
    ap.add_argument(
        "--keep",
        type=Path,
        default=None,
        help="keep each run's files (ais.nmea, truth, events, statics, registry) here",
    )
    args = ap.parse_args(argv)
    for name in args.sections.split(","):
        if name not in SECTIONS:
            ap.error(f"unknown section {name!r}; known: {', '.join(SECTIONS)}")
        SECTIONS[name](args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
