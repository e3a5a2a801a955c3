"""Load time of every staged sanctions list, one by one and all together.

    PYTHONPATH=src python bench/lists_load.py [--repeat N] [--data DIR]

Prints measured wall-clock times (best of N runs) and entities per second for each list
file, for all distinct lists read together (``read_lists``), for writing them into a
fresh store snapshot, and for the FollowTheMoney export. Nothing is hard-coded: the
figures are whatever this machine measures now (it is shared: expect noise).
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from _shared import SHARED
from armswatch.lists import ListStore, read_list, read_lists
from armswatch.model.ftm import write_ftm

T = TypeVar("T")

FILES = (
    "ofac/sdn_2024-05-03.csv",
    "ofac/consistent_2021-07-07/sdn.csv",
    "ofac/consolidated_nonsdn_2025-12-19/cons_prim.csv",
    "un/UN_consolidated_2026-02-27.xml",
    "vessels/gur_shadow_fleet_vessels_2026-06-12.csv",
)
# one version of each list (two OFAC SDN versions cannot be loaded together)
TOGETHER = (FILES[0], FILES[2], FILES[3], FILES[4])


def best(fn: Callable[[], T], repeat: int) -> tuple[float, T]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    assert out is not None
    return min(times), out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement (best kept)")
    ap.add_argument("--data", default=str(SHARED), help="shared data folder")
    args = ap.parse_args()
    base = Path(args.data) / "sanctions"
    if not base.is_dir():
        print(f"no staged lists under {base} (set ARMSWATCH_SHARED_DATA)", file=sys.stderr)
        return 2
    print(f"{'list file':52} {'entities':>9} {'links':>6} {'seconds':>8} {'entities/s':>11}")
    for rel in FILES:
        path = base / rel
        secs, data = best(lambda p=path: read_list(p), args.repeat)  # type: ignore[misc]
        n = len(data.entities)
        print(f"{rel:52} {n:9d} {len(data.links):6d} {secs:8.3f} {n / secs:11.0f}")
    paths = [base / rel for rel in TOGETHER]
    secs, data = best(lambda: read_lists(paths), args.repeat)
    n = len(data.entities)
    print(
        f"{'all distinct lists together (read_lists)':52} {n:9d} {len(data.links):6d} "
        f"{secs:8.3f} {n / secs:11.0f}"
    )

    def store_load() -> int:
        with tempfile.TemporaryDirectory() as tmp:
            return int(ListStore(tmp).load(data).name)

    secs, _ = best(store_load, args.repeat)
    print(
        f"{'  + write one store snapshot (Parquet)':52} {n:9d} {'':6} {secs:8.3f} {n / secs:11.0f}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        store = ListStore(tmp)
        store.load(data)
        secs, back = best(store.read, args.repeat)
    print(
        f"{'  + read it back (load_store)':52} {len(back.entities):9d} {'':6} {secs:8.3f} "
        f"{n / secs:11.0f}"
    )
    secs, lines = best(lambda: write_ftm(data.entities, data.links, io.BytesIO()), args.repeat)
    print(
        f"{'  + FollowTheMoney export (in memory)':52} {lines:9d} {'':6} {secs:8.3f} "
        f"{lines / secs:11.0f}  (FtM lines)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
