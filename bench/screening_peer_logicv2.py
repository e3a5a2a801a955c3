"""Peer scorer for bench/screening_bench.py: nomenklatura logic-v2, run in its own venv.

Reads JSON lines ``{"schema", "query": [names], "candidates": [{"schema", "names"}]}``
on stdin and writes one JSON line per input: ``{"scores": [...], "us_per_pair": ...}``.
Run by the benchmark as ``/work/peerenv/bin/python bench/screening_peer_logicv2.py``;
nomenklatura conflicts with armswatch's duckdb pin, hence the separate interpreter.
"""

from __future__ import annotations

import json
import sys
import time


def main() -> int:
    from followthemoney import model
    from nomenklatura.matching import get_algorithm

    algo = get_algorithm("logic-v2")
    if algo is None:
        print(json.dumps({"error": "logic-v2 not found"}))
        return 1
    config = algo.default_config()
    for counter, line in enumerate(sys.stdin, start=1):
        item = json.loads(line)
        query = model.make_entity(item["schema"])
        query.id = f"q{counter}"
        for name in item["query"]:
            query.add("name", name)
        for key, prop in (("birth_date", "birthDate"), ("nationality", "nationality")):
            if item.get(key) and query.schema.get(prop) is not None:
                query.add(prop, item[key])
        scores = []
        started = time.perf_counter()
        for n, cand in enumerate(item["candidates"]):
            result = model.make_entity(cand["schema"])
            result.id = f"r{counter}-{n}"
            for name in cand["names"]:
                result.add("name", name)
            for key, prop in (("birth_dates", "birthDate"), ("countries", "nationality")):
                if result.schema.get(prop) is not None:
                    for value in cand.get(key, []):
                        result.add(prop, value)
            scores.append(algo.compare(query, result, config).score)
        elapsed = time.perf_counter() - started
        per_pair = elapsed / max(len(scores), 1) * 1e6
        print(json.dumps({"scores": scores, "us_per_pair": per_pair}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
