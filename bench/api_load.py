"""Load benchmark of the HTTP API: requests/s and p50/p90/p99 latency for POST /screen and
GET /events under 50 concurrent clients on loopback.

The server is the real app (``armswatch.api.serve``: uvicorn, uvloop, httptools, no access
log; ``--workers`` processes forked after loading the data once) in a subprocess, with the full
OFAC SDN list of 2024-05-03 and the UN consolidated list of 2026-02-27 loaded from the
shared data, and a synthetic events table (EVENTS_SCHEMA, 200,000 events by default)
written to a temporary data folder. The clients are one asyncio process on uvloop (a minimal
HTTP/1.1 keep-alive client, cheaper than httpx), closed loop: each of the 50 clients sends its
next request when the previous one is answered, for a fixed time per endpoint after a
warm-up. Everything runs on this machine (2 cores
shared with the client and other work), so the figures are a floor, not a ceiling.

    PYTHONPATH=src python bench/api_load.py [--seconds 15] [--clients 50] [--events 200000]
                                            [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

import httpx
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tests.conftest import SHARED  # noqa: E402  # the shared data folder, as the tests find it

SDN = SHARED / "sanctions" / "ofac" / "sdn_2024-05-03.csv"
UN = SHARED / "sanctions" / "un" / "UN_consolidated_2026-02-27.xml"
T = TypeVar("T")
TYPES = ("ais_gap", "encounter", "port_call", "dark_port_call", "loitering", "spoofing")


def make_events(n: int, folder: Path, seed: int = 0) -> None:
    from armswatch.model.tables import EVENTS_SCHEMA

    rng = np.random.default_rng(seed)
    t0 = datetime(2023, 1, 1, tzinfo=UTC)
    start_s = rng.integers(0, 365 * 86400, n)
    dur_s = rng.integers(600, 3 * 86400, n)
    lat = rng.uniform(30, 50, n)
    lon = rng.uniform(120, 145, n)
    mmsi = rng.integers(200_000_000, 200_002_000, n, dtype=np.int32)
    cols = {
        "event_id": pa.array([f"ev{i:08d}" for i in range(n)]),
        "type": pa.array(rng.choice(TYPES, n).tolist()),
        "mmsi": pa.array(mmsi, pa.int32()),
        "other_mmsi": pa.array([None] * n, pa.int32()),
        "start_utc": pa.array([t0 + timedelta(seconds=int(s)) for s in start_s],
                              EVENTS_SCHEMA.field("start_utc").type),
        "end_utc": pa.array([t0 + timedelta(seconds=int(s + d)) for s, d in
                             zip(start_s, dur_s, strict=True)],
                            EVENTS_SCHEMA.field("end_utc").type),
        "lat": pa.array(lat), "lon": pa.array(lon),
        "end_lat": pa.array(lat + rng.normal(0, 0.1, n)),
        "end_lon": pa.array(lon + rng.normal(0, 0.1, n)),
        "port": pa.array([None] * n, pa.string()),
        "confidence": pa.array(rng.uniform(0.3, 1.0, n)),
        "details": pa.array(['{"synthetic": true}'] * n),
        "algorithm": pa.array(["bench@1"] * n),
    }
    pq.write_table(pa.table(cols, schema=EVENTS_SCHEMA), folder / "events.parquet")


def screen_names(seed: int = 0, count: int = 2000) -> list[dict[str, object]]:
    """Real listed names (some with a typo) and names that match nothing."""
    from armswatch.lists import read_lists

    rng = random.Random(seed)
    names = [n.value for e in read_lists([SDN, UN]).entities for n in e.names[:1]]
    out: list[dict[str, object]] = []
    for _ in range(count):
        name = rng.choice(names)
        if rng.random() < 0.3 and len(name) > 6:
            i = rng.randrange(1, len(name) - 1)
            name = name[:i] + name[i + 1:]
        if rng.random() < 0.2:
            name = rng.choice(["Maria Gonzalez", "Pacific Trader Ltd", "Ocean Star",
                               "Ivan Petrov", "Golden Harvest Shipping"])
        out.append({"name": name})
    return out


def event_queries(seed: int = 0, count: int = 2000) -> list[dict[str, str]]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        day = rng.randrange(0, 330)
        lat, lon = rng.uniform(30, 45), rng.uniform(120, 140)
        q = {"start": (datetime(2023, 1, 1) + timedelta(days=day)).isoformat() + "Z",
             "end": (datetime(2023, 1, 1) + timedelta(days=day + 30)).isoformat() + "Z",
             "bbox": f"{lon:.2f},{lat:.2f},{lon + 5:.2f},{lat + 5:.2f}",
             "limit": "100"}
        if rng.random() < 0.5:
            q["type"] = rng.choice(TYPES)
        if rng.random() < 0.3:
            q["min_confidence"] = "0.8"
        out.append(q)
    return out


@dataclass
class Result:
    latencies_s: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)


class Conn:
    """A minimal HTTP/1.1 keep-alive client connection: the load generator shares the
    machine with the server, so it must cost little CPU (httpx costs about 1 ms per
    request)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, raw: bytes) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        await self.reader.readexactly(length)
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def raw_request(method: str, path: str, body: bytes = b"") -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    if body:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


async def _client(port: int, requests: list[bytes], stop: float, res: Result,
                  rng: random.Random) -> None:
    conn = Conn("127.0.0.1", port)
    try:
        while time.perf_counter() < stop:
            raw = rng.choice(requests)
            t = time.perf_counter()
            try:
                status = await conn.request(raw)
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                key = type(exc).__name__
                res.errors[key] = res.errors.get(key, 0) + 1
                conn.close()
                conn = Conn("127.0.0.1", port)
                continue
            if status != 200:
                res.errors[str(status)] = res.errors.get(str(status), 0) + 1
            res.latencies_s.append(time.perf_counter() - t)
    finally:
        conn.close()


async def load(port: int, requests: list[bytes], clients: int, seconds: float,
               warmup_s: float) -> tuple[Result, float]:
    warm = Result()
    stop = time.perf_counter() + warmup_s
    await asyncio.gather(*(_client(port, requests, stop, warm, random.Random(i))
                           for i in range(clients)))
    res = Result()
    started = time.perf_counter()
    stop = started + seconds
    await asyncio.gather(*(_client(port, requests, stop, res, random.Random(100 + i))
                           for i in range(clients)))
    return res, time.perf_counter() - started


def _run(coro: Coroutine[Any, Any, T]) -> T:
    """Run the clients on uvloop when installed (less client CPU on the shared cores)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coro)
    return uvloop.run(coro)


def _pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q)) * 1000.0 if values else float("nan")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


SERVER = """
import sys
from pathlib import Path
from armswatch.api import Settings, serve
s = Settings(data_dir=Path(sys.argv[1]), lists=(Path(sys.argv[2]), Path(sys.argv[3])),
             keys_path=Path(sys.argv[1]) / "keys.json", web_dir=Path(sys.argv[1]) / "web",
             port=int(sys.argv[4]))
sys.exit(serve(s, workers=int(sys.argv[5]), log_level="warning"))
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=15.0, help="measured time per endpoint")
    ap.add_argument("--warmup", type=float, default=3.0, help="warm-up time per endpoint")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--events", type=int, default=200_000)
    ap.add_argument("--workers", type=int, default=2, help="server worker processes "
                    "(`armswatch serve --workers`); the client shares the same cores")
    args = ap.parse_args()
    for path in (SDN, UN):
        if not path.is_file():
            print(f"shared data not found: {path} (set ARMSWATCH_SHARED_DATA)")
            return 2
    with tempfile.TemporaryDirectory(prefix="armswatch-bench-") as tmp:
        data = Path(tmp)
        t = time.perf_counter()
        make_events(args.events, data)
        print(f"synthetic events: {args.events:,} in {time.perf_counter() - t:.1f} s")
        names = screen_names()
        queries = event_queries()
        port = _free_port()
        env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
        proc = subprocess.Popen([sys.executable, "-c", SERVER, str(data), str(SDN), str(UN),
                                 str(port), str(args.workers)], env=env)
        base = f"http://127.0.0.1:{port}"
        try:
            t = time.perf_counter()
            deadline = t + 300
            while True:
                try:
                    if httpx.get(base + "/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if proc.poll() is not None or time.perf_counter() > deadline:
                    print("server did not start")
                    return 1
                time.sleep(0.3)
            # the server loads everything at start (lists, index, events, case): measure
            # only once that is done, not while a loading thread competes for the CPU
            while True:
                comps = httpx.get(base + "/health", timeout=30).json()["components"]
                # (forked workers open the positions view themselves, on first use)
                if not any(c["state"] == "loading" for c in comps.values()) and all(
                        comps[k]["state"] != "not_loaded" for k in ("screening", "case")):
                    break
                if time.perf_counter() > deadline:
                    print(f"server still loading: {comps}")
                    return 1
                time.sleep(0.5)
            httpx.post(base + "/screen", json={"name": "warm up"}, timeout=300)
            httpx.get(base + "/events", params={"limit": 1}, timeout=300)
            lists = httpx.get(base + "/lists").json()
            print(f"server ready in {time.perf_counter() - t:.1f} s: "
                  f"{lists['entity_count']:,} listed entities "
                  f"({', '.join(m['source'] for m in lists['lists'])})")
            print(f"server: {args.workers} worker process(es), uvloop + httptools, no access "
                  f"log; {os.cpu_count()} cores shared with this client and other work")
            print(f"load: {args.clients} concurrent clients, closed loop, {args.seconds:.0f} s "
                  f"per endpoint after {args.warmup:.0f} s warm-up; loadavg before "
                  f"{os.getloadavg()[0]:.1f}")
            print(f"{'endpoint':<14}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p90 ms':>9}"
                  f"{'p99 ms':>9}{'errors':>8}")
            screen_reqs = [raw_request("POST", "/screen", json.dumps(q).encode())
                           for q in names]
            event_reqs = [raw_request("GET", "/events?" + urlencode(q)) for q in queries]
            for label, reqs in (("POST /screen", screen_reqs), ("GET /events", event_reqs)):
                res, took = _run(load(port, reqs, args.clients, args.seconds, args.warmup))
                lat = res.latencies_s
                errors = sum(res.errors.values())
                print(f"{label:<14}{len(lat):>9,}{len(lat) / took:>9.1f}{_pct(lat, 50):>9.1f}"
                      f"{_pct(lat, 90):>9.1f}{_pct(lat, 99):>9.1f}{errors:>8}")
                if errors:
                    print(f"  errors: {json.dumps(res.errors)}")
            single = [time.perf_counter()]
            with httpx.Client(base_url=base) as one:
                for q in names[:200]:
                    one.post("/screen", json=q)
                    single.append(time.perf_counter())
            gaps = [b - a for a, b in itertools.pairwise(single)]
            print(f"one client, POST /screen: p50 {statistics.median(gaps) * 1000:.1f} ms, "
                  f"p99 {_pct(gaps, 99):.1f} ms ({len(gaps)} requests)")
            print("goal: p99 <= 50 ms for /screen at 50 clients (see the figures above)")
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
