"""Keys, roles, open reads on loopback only, reviews recorded with who made them."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from armswatch.api import Settings, create_app, is_loopback


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.8.9.10", True), ("::1", True), ("[::1]", True),
    ("localhost", True), ("0.0.0.0", False), ("::", False), ("192.168.1.5", False),
    ("10.0.0.1", False), ("example.org", False), ("", False)])
def test_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
    assert Settings(host=host).open_read is loopback


def test_read_needs_key_overrides_loopback() -> None:
    assert Settings(host="127.0.0.1", read_needs_key=True).open_read is False
    assert Settings(host="0.0.0.0", read_needs_key=False).open_read is True


def test_settings_are_frozen() -> None:
    s = Settings()
    with pytest.raises(Exception, match="frozen"):
        s.host = "0.0.0.0"


def _alert_id(c: TestClient) -> str:
    alerts = c.get("/alerts").json()
    assert alerts, "the fixture raises alerts"
    return str(alerts[0]["alert_id"])


def test_review_needs_an_analyst_key(fresh_client: TestClient, keys: dict[str, str]) -> None:
    c = fresh_client
    aid = _alert_id(c)
    review = {"state": "under_review", "comment": "looking"}
    resp = c.post(f"/alerts/{aid}/review", json=review)
    assert resp.status_code == 401
    assert resp.headers["www-authenticate"].startswith("Bearer")
    resp = c.post(f"/alerts/{aid}/review", json=review, headers={"X-API-Key": keys["viewer"]})
    assert resp.status_code == 403
    assert "analyst" in resp.json()["detail"]
    resp = c.post(f"/alerts/{aid}/review", json=review, headers={"X-API-Key": keys["revoked"]})
    assert resp.status_code == 401
    resp = c.post(f"/alerts/{aid}/review", json=review,
                  headers={"X-API-Key": keys["analyst"][:-2] + "xx"})
    assert resp.status_code == 401
    resp = c.post(f"/alerts/{aid}/review", json=review,
                  headers={"Authorization": f"Bearer {keys['analyst']}"})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["state"] == "under_review"
    last = body["history"][-1]
    assert last["actor"].startswith("Ana Analyst (key ")
    assert last["comment"] == "looking"
    # the alert store itself records it too
    again = c.get(f"/alerts/{aid}").json()
    assert again["history"][-1]["actor"] == last["actor"]


def test_review_state_machine_refusals(fresh_client: TestClient, keys: dict[str, str]) -> None:
    c = fresh_client
    aid = _alert_id(c)
    h = {"X-API-Key": keys["analyst"]}
    resp = c.post(f"/alerts/{aid}/review", json={"state": "dismissed"}, headers=h)
    assert resp.status_code == 409
    assert "comment" in resp.json()["detail"]
    ok = c.post(f"/alerts/{aid}/review", json={"state": "dismissed", "comment": "ferry"},
                headers=h)
    assert ok.status_code == 200
    assert ok.json()["state"] == "dismissed"
    resp = c.post(f"/alerts/{aid}/review", json={"state": "escalated", "comment": "x"},
                  headers=h)
    assert resp.status_code == 409
    assert "under_review" in resp.json()["detail"]
    resp = c.post(f"/alerts/{aid}/review", json={"state": "new"}, headers=h)
    assert resp.status_code == 422
    resp = c.post("/alerts/al-000000000000/review", json={"state": "escalated",
                                                          "comment": "x"}, headers=h)
    assert resp.status_code == 404
    states = {a["alert_id"]: a["state"] for a in c.get("/alerts", params={
        "state": "dismissed"}).json()}
    assert states == {aid: "dismissed"}
    assert c.get("/alerts", params={"state": "bogus"}).status_code == 422


def test_public_bind_needs_keys_for_everything(settings: Settings, keys: dict[str, str]) -> None:
    public = settings.model_copy(update={"host": "0.0.0.0"})
    with TestClient(create_app(public, warm=False)) as c:
        for path in ("/lists", "/events", "/vessels", "/alerts", "/trade/routes"):
            resp = c.get(path)
            assert resp.status_code == 401, path
            assert "every request needs an API key" in resp.json()["detail"]
        assert c.post("/screen", json={"name": "x"}).status_code == 401
        assert c.get("/lists", headers={"X-API-Key": keys["viewer"]}).status_code == 200
        assert c.get("/health").json()["open_read"] is False


def test_wrong_key_refused_even_where_none_is_needed(client: TestClient) -> None:
    resp = client.get("/lists", headers={"X-API-Key": "aw_00000000_nope"})
    assert resp.status_code == 401


def test_key_in_query_string_is_not_accepted(fresh_client: TestClient,
                                             keys: dict[str, str]) -> None:
    aid = _alert_id(fresh_client)
    resp = fresh_client.post(f"/alerts/{aid}/review?api_key={keys['analyst']}",
                             json={"state": "under_review"})
    assert resp.status_code == 401


def test_no_secret_in_logs(fresh_client: TestClient, keys: dict[str, str],
                           caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    aid = _alert_id(fresh_client)
    for key in (keys["analyst"], keys["viewer"], "aw_12345678_wrongsecret"):
        fresh_client.post(f"/alerts/{aid}/review", json={"state": "under_review"},
                          headers={"X-API-Key": key})
    text = caplog.text
    assert "HTTP Request: POST" in text  # the requests were logged ...
    for secret in (keys["analyst"].split("_", 2)[2], keys["viewer"].split("_", 2)[2],
                   "wrongsecret"):
        assert secret not in text  # ... without any key


def test_keys_file_holds_no_secret(keys_path: Path, keys: dict[str, str]) -> None:
    raw = keys_path.read_text()
    for key in keys.values():
        assert key.split("_", 2)[2] not in raw
    assert keys_path.stat().st_mode & 0o077 == 0
