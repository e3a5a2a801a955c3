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


def section_fifty() -> None:
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


def section_real() -> None:
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


SECTIONS: dict[str, Callable[[], None]] = {"fifty": section_fifty, "real": section_real}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sections", default=",".join(SECTIONS), help="comma-separated sections")
    args = ap.parse_args(argv)
    for name in args.sections.split(","):
        if name not in SECTIONS:
            ap.error(f"unknown section {name!r}; known: {', '.join(SECTIONS)}")
        SECTIONS[name]()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
