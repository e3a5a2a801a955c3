"""The real app, in process: every endpoint on the small data folder."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api._data import LISTED_MMSI, SHUTTLE_IMO, SHUTTLE_MMSI

PROBLEM = "application/problem+json"


def _problem(resp: object, status: int) -> dict[str, object]:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith(PROBLEM)
    body: dict[str, object] = resp.json()
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    return body


def test_health_reports_components(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["open_read"] is True
    assert set(body["components"]) >= {"lists", "case", "events", "trade", "alerts"}


def test_lists_give_versions_and_counts(client: TestClient) -> None:
    body = client.get("/lists").json()
    assert body["origin"] == "files"
    (sdn,) = body["lists"]
    assert sdn["source"] == "us_ofac_sdn"
    assert sdn["file"] == "sdn.csv"
    assert sdn["entity_count"] == 4
    assert len(sdn["sha256"]) == 64
    assert "/" not in sdn["file"]  # no server paths leak


def test_screen_explains_candidates(client: TestClient) -> None:
    resp = client.post("/screen", json={"name": "Ocean Fiction", "schema": "vessel"})
    body = resp.json()
    assert resp.status_code == 200, body
    assert body["matched"] is True
    assert body["algorithm"].startswith("armswatch-match@")
    best = body["matches"][0]
    assert best["entity_id"] == "us_ofac_sdn-90001"
    assert best["schema"] == "Vessel"
    assert best["is_match"]
    assert "OCEAN FICTION" in best["explanation"].upper()


def test_screen_same_results_as_the_library(client: TestClient, settings: object) -> None:
    from armswatch.lists import read_lists
    from armswatch.screening import Query, Screener

    screener = Screener.from_entities(read_lists([settings.data_dir / "lists"]).entities)
    expected = [m for m in screener.screen(Query(name="Sea Phantom", top=3))
                if m.score >= 0.30 or m.is_match]
    got = client.post("/screen", json={"name": "Sea Phantom", "top": 3}).json()["matches"]
    assert [(m["entity_id"], m["score"]) for m in got] == [
        (m.entity_id, m.score) for m in expected]


def test_screen_rejects_bad_input(client: TestClient) -> None:
    _problem(client.post("/screen", json={"name": "x" * 501}), 422)
    body = _problem(client.post("/screen", json={"name": "  ..  "}), 422)
    assert "nothing to screen" in str(body["detail"])
    body = _problem(client.post("/screen", json={"name": "A", "top": 0}), 422)
    assert body["errors"]
    _problem(client.post("/screen", json={"name": "A", "colour": "red"}), 422)
    res = client.post("/screen", json={"name": "Kim Jong Un", "birth_date": "\u00b2" * 4})
    assert res.status_code < 500
    _problem(client.post("/screen", content=b"{not json", headers={
        "content-type": "application/json"}), 422)


def test_batch_screens_each_query_and_limits_size(client: TestClient) -> None:
    resp = client.post("/screen/batch", json={"queries": [
        {"id": "a", "name": "Ocean Fiction"}, {"id": "b", "name": "Zzyzx Qwerty"}]})
    body = resp.json()
    assert resp.status_code == 200, body
    assert body["count"] == 2
    assert body["matched"] == 1
    assert [r["id"] for r in body["results"]] == ["a", "b"]
    too_many = {"queries": [{"name": f"n{i}"} for i in range(21)]}
    body = _problem(client.post("/screen/batch", json=too_many), 422)
    assert "at most 20" in str(body["detail"])


def test_body_size_limit(client: TestClient) -> None:
    big = {"queries": [{"name": "A" * 400} for _ in range(60)]}
    body = _problem(client.post("/screen/batch", json=big), 413)
    assert "20,000 bytes" in str(body["detail"])


def test_entity_with_links(client: TestClient) -> None:
    body = client.get("/entities/us_ofac_sdn-90001").json()
    assert body["caption"] == "OCEAN FICTION"
    assert body["schema"] == "Vessel"
    assert any(i["kind"] == "mmsi" for i in body["identifiers"])
    _problem(client.get("/entities/nope-1"), 404)


def test_vessel_dossier_by_imo_and_mmsi(client: TestClient) -> None:
    by_imo = client.get(f"/vessels/{SHUTTLE_IMO}").json()
    by_mmsi = client.get(f"/vessels/{SHUTTLE_MMSI}").json()
    assert by_imo == by_mmsi
    assert by_imo["vessel_id"] == f"imo-{SHUTTLE_IMO}"
    assert by_imo["names"] == ["KOREA STAR"]
    comps = {c["name"]: c for c in by_imo["risk"]["components"]}
    assert comps["deliveries"]["value"] > 0
    assert comps["deliveries"]["evidence"]
    assert [v["origin_port"] for v in by_imo["voyages"]][:1] == ["KP-RJN"]
    assert by_imo["deliveries"][0]["destination_port"] == "RU-DUNAY"
    listed = client.get(f"/vessels/{LISTED_MMSI}").json()
    assert listed["matches"][0]["entity_id"] == "us_ofac_sdn-90001"
    assert listed["risk"]["score"] > by_imo["risk"]["score"] * 0.5
    _problem(client.get("/vessels/1234567"), 404)
    # superscript digits pass str.isdigit() but not int(): a 404, never a 500
    _problem(client.get("/vessels/" + "\u00b2" * 9), 404)
    _problem(client.get("/vessels/" + "\u00b2" * 7), 404)


def test_vessels_ranked(client: TestClient) -> None:
    body = client.get("/vessels").json()
    assert [v["score"] for v in body] == sorted((v["score"] for v in body), reverse=True)
    assert {v["vessel_id"] for v in body} == {f"imo-{SHUTTLE_IMO}", f"mmsi-{LISTED_MMSI}"}


def test_events_filters_and_pages(client: TestClient) -> None:
    everything = client.get("/events").json()
    assert everything["total"] == 6
    assert len(everything["items"]) == 6
    starts = [e["start_utc"] for e in everything["items"]]
    assert starts == sorted(starts)
    gap = client.get("/events", params={"type": "ais_gap"}).json()
    assert [e["event_id"] for e in gap["items"]] == ["ev-gap-1"]
    assert gap["items"][0]["details"] == {"duration_h": 18.0}
    two = client.get("/events", params=[("type", "port_call"), ("type", "encounter")]).json()
    assert two["total"] == 3
    conf = client.get("/events", params={"min_confidence": 0.85}).json()
    assert all(e["confidence"] >= 0.85 for e in conf["items"])
    assert conf["total"] == 3
    port = client.get("/events", params={"port": "RU-DUNAY"}).json()
    assert [e["event_id"] for e in port["items"]] == ["ev-pc-dunay"]
    window = client.get("/events", params={"start": "2023-09-02T00:00:00",
                                           "end": "2023-09-03T00:00:00Z"}).json()
    assert {e["event_id"] for e in window["items"]} == {"ev-gap-1", "ev-pc-dunay"}
    box = client.get("/events", params={"bbox": "129.5,41.5,130.0,42.0"}).json()
    assert [e["event_id"] for e in box["items"]] == ["ev-dpc-chongjin"]
    mine = client.get("/events", params={"vessel": str(LISTED_MMSI)}).json()
    assert {e["event_id"] for e in mine["items"]} == {"ev-enc-1", "ev-dpc-chongjin",
                                                      "ev-loiter-1"}
    page = client.get("/events", params={"limit": 2, "offset": 4}).json()
    assert page["total"] == 6
    assert [e["event_id"] for e in page["items"]] == [
        e["event_id"] for e in everything["items"][4:6]]
    _problem(client.get("/events", params={"limit": 51}), 422)
    _problem(client.get("/events", params={"bbox": "0,0,1"}), 422)
    _problem(client.get("/events", params={"vessel": "no-such-ship"}), 404)


def test_tracks_are_thinned_and_named(client: TestClient) -> None:
    full = client.get("/tracks").json()
    assert {t["mmsi"] for t in full["tracks"]} == {SHUTTLE_MMSI, LISTED_MMSI}
    shuttle = next(t for t in full["tracks"] if t["mmsi"] == SHUTTLE_MMSI)
    assert shuttle["name"] == "KOREA STAR"
    assert shuttle["vessel_id"] == f"imo-{SHUTTLE_IMO}"
    times = [p[2] for p in shuttle["points"]]
    assert times == sorted(times)
    thin = client.get("/tracks", params={"max_points": 100}).json()
    assert thin["points"] <= 110
    assert thin["step_s"] > 60
    one = client.get("/tracks", params={"vessel": SHUTTLE_IMO}).json()
    assert [t["mmsi"] for t in one["tracks"]] == [SHUTTLE_MMSI]


def test_ports_deliveries_trade(client: TestClient) -> None:
    ports = client.get("/ports").json()
    assert any(p["port_id"] == "RU-DUNAY" for p in ports)
    dl = client.get("/deliveries", params={"from_role": "dprk_port"}).json()
    assert len(dl) == 1
    assert dl[0]["kind"] == "direct"
    assert dl[0]["vessels"] == [
        f"imo-{SHUTTLE_IMO}"]
    assert client.get("/deliveries", params={"to_role": "iran_port"}).json() == []
    trade = client.get("/trade/routes").json()
    assert [c["transit"] for c in trade["countries"]] == ["GEO", "KGZ"]
    assert trade["routes"][0]["explanation"]
    only = client.get("/trade/routes", params={"transit": "kgz"}).json()
    assert [r["transit"] for r in only["routes"]] == ["KGZ"]


def test_missing_data_says_what_to_run(tmp_path: object, settings: object) -> None:
    from armswatch.api import Settings, create_app

    s = Settings(data_dir=tmp_path, keys_path=settings.keys_path,
                 lists=(settings.data_dir / "lists",))
    with TestClient(create_app(s, warm=False)) as c:
        body = _problem(c.get("/trade/routes"), 404)
        assert "trade analyze" in str(body["detail"])
        body = _problem(c.get("/vessels"), 404)
        assert "detect" in str(body["detail"])
        assert c.get("/alerts").json() == []
        assert c.get("/health").json()["components"]["trade"]["state"] == "absent"


def test_errors_are_problem_json(client: TestClient) -> None:
    body = _problem(client.get("/no/such/path"), 404)
    assert body["type"].startswith("https://")
    _problem(client.delete("/screen"), 405)


def test_security_headers_and_no_cors(client: TestClient) -> None:
    resp = client.get("/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in resp.headers
    csp = resp.headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "connect-src 'self'" in csp
    assert resp.headers["x-content-type-options"] == "nosniff"


def test_cors_when_configured(settings: object) -> None:
    from armswatch.api import create_app

    s = settings.model_copy(update={"cors_origins": ("http://localhost:3000",)})
    with TestClient(create_app(s, warm=False)) as c:
        resp = c.get("/health", headers={"Origin": "http://localhost:3000"})
        assert resp.headers["access-control-allow-origin"] == "http://localhost:3000"
        resp = c.get("/health", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in resp.headers


def test_openapi_documents_everything(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for p in ("/screen", "/screen/batch", "/entities/{entity_id}", "/vessels/{key}",
              "/events", "/deliveries", "/alerts", "/alerts/{alert_id}/review",
              "/trade/routes", "/health", "/lists"):
        assert p in paths, p
    schemas = spec["components"]["schemas"]
    assert "examples" in schemas["ScreenRequest"]
    assert {"APIKeyHeader", "HTTPBearer"} <= set(spec["components"]["securitySchemes"])
    assert "application/problem+json" in paths["/vessels/{key}"]["get"]["responses"]["404"][
        "content"]


def test_web_pages_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "/assets/leaflet/leaflet.js" in page.text
    assert "http" not in page.text.replace("http-equiv", "")  # no outside URL in the page
    assert client.get("/static/app.js").status_code == 200
    _problem(client.get("/assets/leaflet/leaflet.js"), 404)  # not built in this fixture
    _problem(client.get("/assets/../../etc/passwd"), 404)
    assert client.get("/web/build").json()["built"] is False
