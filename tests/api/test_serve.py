"""``armswatch serve --workers 2``: forked workers share one socket and the loaded data;
alert reviews from both workers reach the one store; SIGTERM stops everything."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from armswatch.api import KeyFile, serve
from armswatch.errors import BadInputError

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in path.read_text().split()] if path.is_file() else []


@pytest.mark.skipif(not hasattr(os, "fork") or not Path("/proc").is_dir(),
                    reason="forked workers need a POSIX system (and /proc to count them)")
def test_two_workers_share_data_and_alert_store(data_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(data_dir, data)  # reviews write to the alert store
    keys = tmp_path / "keys.json"
    analyst, _ = KeyFile(keys).add("Ana Analyst", "analyst")
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "armswatch", "serve", "--data", str(data), "--port", str(port),
         "--workers", "2", "--keys", str(keys), "--no-build", "--web-dir", str(tmp_path / "w")],
        env={**os.environ, "PYTHONPATH": str(REPO / "src")}, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            try:
                if httpx.get(base + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)
        assert len(_children(proc.pid)) == 2
        # data loaded before the fork: every component is ready in whichever worker answers
        comps = httpx.get(base + "/health").json()["components"]
        assert comps["screening"]["state"] == "ready"
        assert comps["events"]["state"] == "ready"
        hit = httpx.post(base + "/screen", json={"name": "Sea Phantom"}).json()
        assert hit["matches"]
        assert httpx.get(base + "/events", params={"limit": 3}).json()["total"] > 0
        alerts = httpx.get(base + "/alerts").json()
        assert len(alerts) >= 2
        headers = {"X-API-Key": analyst}

        def review(alert_id: str) -> int:
            # a new connection each time: the kernel spreads them over both workers
            with httpx.Client(base_url=base, headers=headers) as c:
                return c.post(f"/alerts/{alert_id}/review",
                              json={"state": "under_review", "comment": "looking"}).status_code

        with ThreadPoolExecutor(8) as pool:
            codes = list(pool.map(review, [a["alert_id"] for a in alerts] * 4))
        assert codes.count(200) == len(alerts)  # the first review of each; repeats refused
        assert set(codes) <= {200, 409}
        after = httpx.get(base + "/alerts", params={"state": "under_review"}).json()
        assert len(after) == len(alerts)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        workers = _children(proc.pid)
        if proc.poll() is None:
            proc.kill()  # the workers follow their supervisor (Linux parent-death signal)
            proc.wait()
        deadline = time.monotonic() + 10
        while any(Path(f"/proc/{w}").exists() and "zombie" not in _state(w) for w in workers):
            assert time.monotonic() < deadline, "workers outlived their killed supervisor"
            time.sleep(0.1)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:")[1].split("\n")[0]
    except (OSError, IndexError):
        return "zombie"


def test_serve_refuses_zero_workers() -> None:
    from armswatch.api import Settings

    with pytest.raises(BadInputError, match="at least 1"):
        serve(Settings(), workers=0)
