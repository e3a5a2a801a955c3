"""The dashboard in a real browser (Debian's Chromium + chromedriver, headless).

Loads the map on the demo's output (the main job, ``armswatch demo``: see conftest), clicks
the riskiest ship, screens a name, reviews an alert and opens the trade chart; saves
screenshots to ``test-artifacts/``. What it expects on the page is read from the API first
(the demo's ships and names come from a simulation). The test FAILS if
the page requested any URL that is not on this machine's loopback address (Chrome's
DevTools performance log lists every request the page made).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest

from armswatch.api import KeyFile
from armswatch.web import build_web, is_built
from tests.conftest import REPO

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
ARTIFACTS = REPO / "test-artifacts"
WEB_CACHE = REPO / "build" / "web-test-cache"  # gitignored; reused between runs
LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}
NETWORK_SCHEMES = {"http", "https", "ws", "wss", "ftp"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def web_dir() -> Path:
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("Chromium/chromedriver not installed (apt-get install chromium "
                    "chromium-driver; .ci/run does it)")
    if not is_built(WEB_CACHE):
        try:
            build_web(WEB_CACHE)
        except Exception as exc:
            pytest.skip(f"cannot build the web assets (npm registry unreachable?): {exc}")
    return WEB_CACHE


@pytest.fixture(scope="module")
def server(web_dir: Path, demo_data: Path, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[tuple[str, str]]:
    root = tmp_path_factory.mktemp("browser")
    data = demo_data
    alerts = root / "alerts.duckdb"
    shutil.copy(data / "alerts.duckdb", alerts)
    key, _ = KeyFile(root / "keys.json").add("Browser Analyst", "analyst")
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "ARMSWATCH_HOME": str(root)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "armswatch", "serve", "--data", str(data), "--port", str(port),
         "--no-build", "--web-dir", str(web_dir), "--keys", str(root / "keys.json"),
         "--alerts", str(alerts)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
            if proc.poll() is not None:
                pytest.fail(f"server exited: {proc.stdout.read() if proc.stdout else ''}")
        else:
            pytest.fail("server did not start within 90 s")
        yield base, key
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
        assert key.split("_", 2)[2] not in out, "the API key appeared in the server log"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="armswatch-chromium-")
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                f"--user-data-dir={profile}", "--window-size=1500,950"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _requests(driver: object) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Network.requestWillBeSent":
            urls.append(msg["params"]["request"]["url"])
    return urls


def _outside(urls: list[str]) -> list[str]:
    bad = []
    for url in urls:
        parsed = urlparse(url)
        if parsed.scheme not in NETWORK_SCHEMES:
            continue  # data:, blob:, about:, chrome:// (the browser's own start page)
        if parsed.hostname not in LOOPBACK:
            bad.append(url)
    return bad


def _wait(driver: object, condition: object, timeout: float = 45) -> object:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)


def test_dashboard_end_to_end(server: tuple[str, str], browser: object) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    base, key = server
    d: Any = browser
    ARTIFACTS.mkdir(exist_ok=True)
    seen: list[str] = []
    # what the page should show, from the API: the riskiest ship with a track, an event
    # type, a listed name and the top transit country
    tracked = {t["mmsi"] for t in httpx.get(f"{base}/tracks").json()["tracks"]}
    ship = next(v for v in httpx.get(f"{base}/vessels").json()
                if set(v["mmsis"]) & tracked)
    mmsi = min(set(ship["mmsis"]) & tracked)
    dossier = httpx.get(f"{base}/vessels/{ship['vessel_id']}").json()
    event_type = httpx.get(f"{base}/events", params={"limit": 1}).json()["items"][0]["type"]
    listed = httpx.post(f"{base}/screen", json={"name": "Kim Jong-un"}).json()
    assert listed["matched"]
    transit = httpx.get(f"{base}/trade/routes").json()["countries"][0]["transit"]

    d.get(base + "/")
    _wait(d, lambda drv: drv.execute_script("return document.body.dataset.ready") == "1")
    _wait(d, ec.presence_of_element_located((By.CSS_SELECTOR, "path.track")))
    assert d.find_elements(By.CSS_SELECTOR, "path.port-of-concern")
    assert d.find_elements(By.CSS_SELECTOR, f".event-{event_type}")

    # click a ship's track on the map: its dossier opens
    track = d.find_element(By.CSS_SELECTOR, f"path.track.mmsi-{mmsi}")
    d.execute_script(
        "arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", track)
    _wait(d, ec.text_to_be_present_in_element((By.ID, "dossier-title"), ship["names"][-1]))
    body = d.find_element(By.ID, "dossier-body").text
    if dossier["deliveries"]:
        assert "deliveries" in body
        assert dossier["deliveries"][0]["origin_port"] in body
    d.save_screenshot(str(ARTIFACTS / "dashboard-map.png"))
    seen += _requests(d)

    # screening
    d.get(base + "/#screen")
    box: Any = _wait(d, ec.visibility_of_element_located((By.ID, "screen-name")))
    box.send_keys("Kim Jong-un")
    d.find_element(By.CSS_SELECTOR, "#screen-form button").click()
    _wait(d, ec.text_to_be_present_in_element((By.ID, "screen-results"),
                                              listed["matches"][0]["entity_name"]))
    assert "MATCH" in d.find_element(By.ID, "screen-status").text
    d.save_screenshot(str(ARTIFACTS / "dashboard-screening.png"))
    seen += _requests(d)

    # review an alert with an analyst key
    d.find_element(By.ID, "api-key").send_keys(key)
    d.find_element(By.CSS_SELECTOR, "#key-form button").click()
    d.find_element(By.CSS_SELECTOR, "nav a[data-page=alerts]").click()
    row: Any = _wait(d, ec.presence_of_element_located(
        (By.CSS_SELECTOR, "#alerts-table tr[data-alert]")))
    alert_id = row.get_attribute("data-alert")
    row.find_element(By.CSS_SELECTOR, "input.review-comment").send_keys("checking the gap")
    row.find_element(By.CSS_SELECTOR, "button[data-state=escalated]").click()
    selector = f"#alerts-table tr[data-alert='{alert_id}'] td.alert-state"
    _wait(d, ec.text_to_be_present_in_element((By.CSS_SELECTOR, selector), "escalated"))
    actor = d.find_element(By.CSS_SELECTOR, f"#alerts-table tr[data-alert='{alert_id}'] "
                           "td.alert-actor").text
    assert "Browser Analyst" in actor
    assert "checking the gap" in actor
    d.save_screenshot(str(ARTIFACTS / "dashboard-alerts.png"))
    seen += _requests(d)
    stored = httpx.get(f"{base}/alerts/{alert_id}").json()
    assert stored["state"] == "escalated"
    assert stored["history"][-1]["actor"].startswith("Browser Analyst")

    # trade chart
    d.find_element(By.CSS_SELECTOR, "nav a[data-page=trade]").click()
    _wait(d, ec.presence_of_element_located((By.CSS_SELECTOR, "#transit-chart rect")))
    assert transit in d.find_element(By.ID, "trade-chart").text
    d.save_screenshot(str(ARTIFACTS / "dashboard-trade.png"))
    seen += _requests(d)

    assert any(u.endswith("/assets/leaflet/leaflet.js") for u in seen)
    assert any("/assets/basemap/land.geojson" in u for u in seen)
    assert _outside(seen) == [], f"the page requested outside URLs: {_outside(seen)}"


def test_outside_request_detector() -> None:
    assert _outside(["http://127.0.0.1:8/x", "data:image/png;base64,xx",
                     "http://localhost/y", "chrome://resources/js/util.js"]) == []
    assert _outside(["https://unpkg.com/leaflet.js", "http://10.0.0.1/",
                     "wss://tiles.example/x"]) == [
        "https://unpkg.com/leaflet.js", "http://10.0.0.1/", "wss://tiles.example/x"]
