"""Screening benchmark: armswatch vs nomenklatura logic-v2, measured in the same run.

    PYTHONPATH=src /work/devenv/bin/python bench/screening_bench.py [--peer PYTHON] [--quick]

Prints (nothing hard-coded, everything measured now):

1. name_bench (826 labelled pairs, OpenSanctions): precision / recall / F1 at each
   matcher's default threshold, on all pairs and on the 323 not "LLM-proposed".
2. Cross-script pairs (watchman) and the 81 Putin variants (rigour): share matched.
   Putin variants are also screened against the full lists (is PUTIN matched?).
3. False positives: the 2,000 yente validation negatives screened against OFAC SDN
   2024-05-03 + UN 2026-02-27 (a negative is a false positive if any candidate is a
   match); name only, and with date of birth and nationality. The peer scores the same
   candidates (armswatch retrieves them: logic-v2 has no index of its own).
4. UN positives (683 UN-listed people as written): share whose UN entry matches.
5. entity_bench checks (228 entity pairs with dates, countries, identifiers).
6. Speed with the full lists loaded: index build, queries/s, p50/p99 latency.

The peer runs in its own interpreter (``/work/peerenv/bin/python``; nomenklatura
conflicts with our duckdb pin); without it the peer columns say so.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from armswatch.lists import read_lists  # noqa: E402
from armswatch.model import Entity, IdKind, Name, Schema  # noqa: E402
from armswatch.screening import ALGORITHMS, Algorithm, Query, Screener  # noqa: E402
from conftest import shared_data_dir  # noqa: E402

sys.path.insert(0, str(ROOT))
# hand-typed pairs (not a shared data set): Korean names as Russian media write them
from tests.screening.test_kontsevich import SAME as KOREAN_CYRILLIC  # noqa: E402

DATA = shared_data_dir()
SCR = DATA / "screening"
LISTS = [
    DATA / "sanctions/ofac/sdn_2024-05-03.csv",
    DATA / "sanctions/un/UN_consolidated_2026-02-27.xml",
]
PEER_SCRIPT = ROOT / "bench/screening_peer_logicv2.py"
PEER_THRESHOLD = 0.70  # logic-v2's documented default cut-off


class Peer:
    """nomenklatura logic-v2 in a subprocess (or absent)."""

    def __init__(self, python: str) -> None:
        self.python = python
        self.missing = ""
        if not Path(python).exists():
            self.missing = f"peer interpreter {python} not found"

    def score(self, items: list[dict[str, Any]]) -> tuple[list[list[float]], float]:
        """Scores for each item's candidates, and mean µs per pair."""
        if self.missing:
            return [], 0.0
        payload = "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items)
        proc = subprocess.run(
            [self.python, str(PEER_SCRIPT)], input=payload, capture_output=True, text=True
        )
        if proc.returncode != 0:
            self.missing = "peer failed: " + proc.stderr.strip().splitlines()[-1]
            return [], 0.0
        out = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
        pairs = sum(len(o["scores"]) for o in out) or 1
        us = sum(o["us_per_pair"] * len(o["scores"]) for o in out) / pairs
        return [o["scores"] for o in out], us


def prf(pred: list[bool], gold: list[bool]) -> tuple[float, float, float]:
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    fp = sum(p and not g for p, g in zip(pred, gold, strict=True))
    fn = sum(g and not p for p, g in zip(pred, gold, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


VERSIONS = ("armswatch-match@3", "armswatch-match@2")  # the default first, then the old one


def pair_score(schema: str, a: str, b: str, algo: Algorithm | None = None) -> float:
    return (algo or ALGORITHMS.get("armswatch-match")).pair_score(a, b, schema)


def bench_names(peer: Peer) -> None:
    rows = list(csv.DictReader((SCR / "nomenklatura/name_bench_cases.csv").open(encoding="utf-8")))
    gold = [r["is_match"] == "true" for r in rows]
    results: list[tuple[str, list[float], float, float]] = []
    for ref in VERSIONS:
        algo = ALGORITHMS.get(ref)
        started = time.perf_counter()
        scores = [pair_score(r["schema"], r["name1"], r["name2"], algo) for r in rows]
        us = (time.perf_counter() - started) / len(rows) * 1e6
        results.append((ref, scores, algo.threshold, us))
    items = [
        {
            "schema": r["schema"],
            "query": [r["name1"]],
            "candidates": [{"schema": r["schema"], "names": [r["name2"]]}],
        }
        for r in rows
    ]
    peer_scores, us_peer = peer.score(items)
    results.append(("nomenklatura logic-v2", [s[0] for s in peer_scores], PEER_THRESHOLD, us_peer))
    subset = [i for i, r in enumerate(rows) if r["category"] != "LLM-proposed deviation"]
    print(f"\n== name_bench: {len(rows)} pairs ({sum(gold)} true); {len(subset)} not LLM-proposed")
    print(f"{'matcher':<28}{'thr':>6}{'P':>8}{'R':>8}{'F1':>8}{'F1 (323)':>10}{'µs/pair':>9}")
    for label, scores, thr, us in results:
        if not scores:
            print(f"{label:<28}  (skipped: {peer.missing})")
            continue
        pred = [s >= thr for s in scores]
        p, r, f = prf(pred, gold)
        fs = prf([pred[i] for i in subset], [gold[i] for i in subset])[2]
        print(f"{label:<28}{thr:>6.2f}{p:>8.3f}{r:>8.3f}{f:>8.3f}{fs:>10.3f}{us:>9.0f}")
    print("  (µs/pair of armswatch includes first-use loading: ICU, cutlet, rigour tables)")


def _putin_entities(screener: Screener) -> set[str]:
    return {
        e.id
        for e in screener.entities
        if any("PUTIN" in n.value.upper() and "VLADIMIR" in n.value.upper() for n in e.names)
        and e.schema is Schema.PERSON
    }


def bench_cross_script(peer: Peer, screeners: dict[str, Screener]) -> None:
    pairs: list[tuple[str, str]] = []
    for line in (SCR / "watchman/cross_script_pairs.csv").open(encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            query, expected = line.split(",")[:2]
            pairs.append((query, expected))
    putin = [
        n.strip() for n in (SCR / "rigour/putin_names.txt").open(encoding="utf-8") if n.strip()
    ]
    print("\n== cross-script recall (pairwise, Person, each matcher's default threshold)")
    sets = (
        ("watchman cross_script_pairs", pairs),
        ("rigour putin_names vs 'Vladimir Putin'", [(p, "Vladimir Putin") for p in putin]),
        ("hand-typed Korean names in Russian Cyrillic (Kontsevich)", KOREAN_CYRILLIC),
    )
    for label, items in sets:
        peer_scores, _ = peer.score(
            [
                {
                    "schema": "Person",
                    "query": [q],
                    "candidates": [{"schema": "Person", "names": [e]}],
                }
                for q, e in items
            ]
        )
        theirs = (
            f"{sum(s[0] >= PEER_THRESHOLD for s in peer_scores)}/{len(items)}"
            if peer_scores
            else f"skipped ({peer.missing})"
        )
        print(f"  {label}: logic-v2 {theirs}")
        for ref in VERSIONS:
            algo = ALGORITHMS.get(ref)
            ours = [pair_score("Person", q, e, algo) >= algo.threshold for q, e in items]
            print(f"    {ref:<20} {sum(ours)}/{len(items)} = {sum(ours) / len(items):.3f}")
            missed = [q for (q, _), ok in zip(items, ours, strict=True) if not ok]
            if missed:
                print(f"      missed: {' | '.join(missed)}")
    print("  putin variants screened against the full lists (is OFAC's PUTIN a match?):")
    for ref, screener in screeners.items():
        targets = _putin_entities(screener)
        hits = 0
        missed = []
        for name in putin:
            found = screener.screen(Query(name=name, schema="person", top=5))
            ok = any(m.is_match and m.entity_id in targets for m in found)
            hits += ok
            if not ok:
                missed.append(name)
        print(f"    {ref:<20} {hits}/{len(putin)} = {hits / len(putin):.3f}")
        if missed:
            print(f"      missed: {' | '.join(missed)}")


def _negatives() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for name in ("global", "us"):
        path = SCR / f"yente/validation_negatives_{name}_1000.csv"
        rows.extend(csv.DictReader(path.open(encoding="utf-8")))
    return rows


def bench_negatives(peer: Peer, screeners: dict[str, Screener], quick: bool) -> None:
    rows = _negatives()[: 300 if quick else None]
    default = screeners[VERSIONS[0]]
    print(
        f"\n== false positives: {len(rows)} yente negatives vs OFAC SDN 2024 + UN "
        f"({default.stats.entities:,} entities), default thresholds"
    )
    for label, with_facts in (("name only", False), ("name + DOB + nationality", True)):
        counts: dict[str, int] = {}
        items: list[dict[str, Any]] = []
        for ref, screener in screeners.items():
            fp = 0
            for r in rows:
                query = Query(
                    name=r["full_name"],
                    schema="person",
                    top=10,
                    birth_date=(r["date_of_birth"] or None) if with_facts else None,
                    countries=(r["nationality"],) if with_facts and r["nationality"] else (),
                )
                found = screener.screen(query)
                fp += any(m.is_match for m in found)
                if screener is default:
                    items.append(
                        {
                            "schema": "Person",
                            "query": [r["full_name"]],
                            "birth_date": r["date_of_birth"] if with_facts else None,
                            "nationality": r["nationality"] if with_facts else None,
                            "candidates": [_peer_candidate(screener, m.entity_id) for m in found],
                        }
                    )
            counts[ref] = fp
        peer_scores, _ = peer.score(items)
        theirs = "skipped (" + peer.missing + ")"
        if peer_scores:
            pfp = sum(any(s >= PEER_THRESHOLD for s in ss) for ss in peer_scores)
            theirs = f"{pfp} = {pfp / len(rows):.2%}"
        ours = "   ".join(f"{ref} FP {n} = {n / len(rows):.2%}" for ref, n in counts.items())
        print(f"  {label:<26} {ours}   logic-v2 (@2's candidates) FP {theirs}")


def _peer_candidate(screener: Screener, entity_id: str) -> dict[str, Any]:
    entity = screener.entity(entity_id)
    return {
        "schema": "Person" if entity.schema is Schema.PERSON else "LegalEntity",
        "names": entity.all_names(),
        "birth_dates": entity.birth_dates,
        "countries": entity.nationalities,
    }


def bench_un_positives(screeners: dict[str, Screener]) -> None:
    rows = list(csv.DictReader((SCR / "yente/positives_un_untreated.csv").open(encoding="utf-8")))
    print(
        f"\n== UN positives: {len(rows)} UN-listed people as written (file of 2025-08, list "
        "of 2026-02-27: some were delisted); share matching a UN entry"
    )
    for ref, screener in screeners.items():
        hits = 0
        for r in rows:
            found = screener.screen(Query(name=r["full_name"], schema="person", top=5))
            hits += any(m.is_match and m.entity_id.startswith("un_sc") for m in found)
        print(f"  {ref:<20} {hits}/{len(rows)} = {hits / len(rows):.3f}")


def bench_entity_checks(peer: Peer) -> None:
    checks = _entity_checks()
    print(f"\n== entity_bench checks: {len(checks)} ({sum(bool(c['match']) for c in checks)} true)")
    for ref in VERSIONS:
        gold, ours, items = _score_checks(checks, ref)
        p, r, f = prf([s >= 0.7 for s in ours], gold)
        print(f"  {ref:<22} P {p:.3f} R {r:.3f} F1 {f:.3f}")
    peer_scores, _ = peer.score(items)
    if peer_scores:
        p, r, f = prf([s[0] >= PEER_THRESHOLD if s else False for s in peer_scores], gold)
        print(f"  logic-v2               P {p:.3f} R {r:.3f} F1 {f:.3f}  (names, dates, countries)")


def _entity_checks() -> list[dict[str, Any]]:
    import yaml

    path = SCR / "nomenklatura/entity_bench_checks.yml"
    checks: list[dict[str, Any]] = yaml.safe_load(path.read_text())["checks"]
    return checks


def _score_checks(
    checks: list[dict[str, Any]], algorithm: str
) -> tuple[list[bool], list[float], list[dict[str, Any]]]:
    """Gold labels, armswatch scores and the peer's items for the entity checks."""
    gold: list[bool] = []
    ours: list[float] = []
    items: list[dict[str, Any]] = []
    for n, check in enumerate(checks):
        cand, query = check["candidate"], check["query"]
        entity = Entity(
            id=f"c{n}",
            schema=Schema(check["schema"]),
            source="bench",
            source_id=str(n),
            names=[Name(v) for v in _names(cand)],
            birth_dates=_values(cand, "birthDate"),
            nationalities=_values(cand, "nationality") + _values(cand, "country"),
        )
        for imo in _values(cand, "imoNumber"):
            entity.add_identifier(IdKind.IMO, imo)
        imos = _values(query, "imoNumber")
        ids = {"imo": imos[0]} if imos else {}
        screener = Screener([entity], algorithm=algorithm)
        countries = tuple(_values(query, "nationality") + _values(query, "country"))
        best = 0.0
        for name in _names(query) or ["-"]:
            found = screener.screen(
                Query(
                    name=name,
                    schema=_QUERY_SCHEMA.get(check["schema"], "any"),
                    identifiers=ids,
                    birth_date=(_values(query, "birthDate") or [None])[0],
                    countries=countries,
                )
            )
            best = max(best, found[0].score if found else 0.0)
        ours.append(best)
        gold.append(bool(check["match"]))
        items.append(
            {
                "schema": check["schema"],
                "query": _names(query),
                "birth_date": (_values(query, "birthDate") or [None])[0],
                "nationality": countries[0] if countries else None,
                "candidates": [
                    {
                        "schema": check["schema"],
                        "names": _names(cand),
                        "birth_dates": _values(cand, "birthDate"),
                        "countries": list(entity.nationalities),
                    }
                ],
            }
        )
    return gold, ours, items


_QUERY_SCHEMA = {"Person": "person", "Company": "company", "Organization": "organization",
                 "Vessel": "vessel", "LegalEntity": "any"}  # fmt: skip
_PARTS = ("firstName", "secondName", "middleName", "fatherName", "lastName")


def _names(props: dict[str, Any]) -> list[str]:
    """The ``name`` values, or one name built from the name parts (first ... last)."""
    names = _values(props, "name")
    if names:
        return names
    parts = [v for key in _PARTS for v in _values(props, key)]
    return [" ".join(parts)] if parts else []


def _values(props: dict[str, Any], key: str) -> list[str]:
    value = props.get(key)
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def bench_speed(screeners: dict[str, Screener], builds: dict[str, tuple[float, float]]) -> None:
    names = [r["full_name"] for r in _negatives()]
    names += [
        r["full_name"]
        for r in csv.DictReader((SCR / "yente/positives_un_untreated.csv").open(encoding="utf-8"))
    ]
    for screener in screeners.values():
        for name in names[:50]:  # warm caches
            screener.screen(Query(name=name))
    latencies: dict[str, list[float]] = {ref: [] for ref in screeners}
    order = list(screeners.items())
    for n, name in enumerate(names):
        # interleaved, so that both versions share the machine's load, and in turns,
        # since the one that goes second finds the caches they share warm
        for ref, screener in order if n % 2 else order[::-1]:
            started = time.perf_counter()
            screener.screen(Query(name=name))
            latencies[ref].append(time.perf_counter() - started)
    print(f"\n== speed (single thread, {len(names)} name queries, full OFAC SDN + UN loaded)")
    for ref, screener in screeners.items():
        lat = sorted(latencies[ref])
        wall_s, cpu_s = builds[ref]
        print(
            f"  {ref:<20} index build {wall_s:.2f} s wall, {cpu_s:.2f} s CPU "
            f"({screener.stats.names:,} names, {screener.stats.keys:,} keys); "
            f"{len(lat) / sum(lat):.0f} queries/s; p50 {lat[len(lat) // 2] * 1e3:.2f} ms; "
            f"p99 {lat[int(len(lat) * 0.99)] * 1e3:.2f} ms; "
            f"mean {statistics.mean(lat) * 1e3:.2f} ms"
        )
    load = os.getloadavg()[0]
    print(f"  (load average now {load:.1f} on {os.cpu_count()} cores: timings are noisy)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--peer", default="/work/peerenv/bin/python", help="peer interpreter")
    parser.add_argument("--quick", action="store_true", help="fewer negatives")
    parser.add_argument(
        "--only",
        choices=("names", "cross", "negatives", "un", "entity", "speed"),
        action="append",
        help="run only these parts (repeatable; default: all)",
    )
    args = parser.parse_args(argv)
    peer = Peer(args.peer)
    if peer.missing:
        print(f"note: {peer.missing}; peer figures skipped")
    started = time.perf_counter()
    data = read_lists(LISTS)
    print(f"lists read in {time.perf_counter() - started:.2f} s")
    screeners: dict[str, Screener] = {}
    builds: dict[str, tuple[float, float]] = {}
    for ref in VERSIONS:
        started, cpu = time.perf_counter(), time.process_time()
        screeners[ref] = Screener(data.entities, algorithm=ref)
        builds[ref] = (time.perf_counter() - started, time.process_time() - cpu)
    default = ALGORITHMS.ref("armswatch-match")
    print(
        f"armswatch default {default} (and {VERSIONS[1]} for comparison), threshold "
        f"{screeners[default].threshold:.2f}; peer logic-v2 threshold {PEER_THRESHOLD:.2f}"
    )
    steps: dict[str, Callable[[], None]] = {
        "names": lambda: bench_names(peer),
        "cross": lambda: bench_cross_script(peer, screeners),
        "negatives": lambda: bench_negatives(peer, screeners, args.quick),
        "un": lambda: bench_un_positives(screeners),
        "entity": lambda: bench_entity_checks(peer),
        "speed": lambda: bench_speed(screeners, builds),
    }
    for name, step in steps.items():
        if not args.only or name in args.only:
            step()
    return 0


if __name__ == "__main__":
    sys.exit(main())
