"""Fixtures: one small data folder per session, apps built from Settings, API keys."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from armswatch.api import KeyFile, Settings, create_app
from tests.api._data import shared_data_dir


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return shared_data_dir()


@pytest.fixture(scope="session")
def keys_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("keys") / "api_keys.json"


@pytest.fixture(scope="session")
def keys(keys_path: Path) -> dict[str, str]:
    kf = KeyFile(keys_path)
    viewer, _ = kf.add("Vera Viewer", "viewer")
    analyst, _ = kf.add("Ana Analyst", "analyst")
    revoked, rec = kf.add("Rex Revoked", "analyst")
    kf.revoke(rec.key_id)
    return {"viewer": viewer, "analyst": analyst, "revoked": revoked}


@pytest.fixture(scope="session")
def settings(data_dir: Path, keys_path: Path, keys: dict[str, str],
             tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(data_dir=data_dir, keys_path=keys_path,
                    web_dir=tmp_path_factory.mktemp("web"), max_batch=20,
                    max_body_bytes=20_000, max_page=50)


@pytest.fixture(scope="session")
def client(settings: Settings) -> Iterator[TestClient]:
    """The real app, in process, shared by the read-only tests of the session."""
    with TestClient(create_app(settings, warm=False)) as c:
        yield c


@pytest.fixture
def fresh_client(settings: Settings, tmp_path: Path, data_dir: Path) -> Iterator[TestClient]:
    """An app over its own copy of the alert store (for tests that write)."""
    import shutil

    alerts = tmp_path / "alerts.duckdb"
    shutil.copy(data_dir / "alerts.duckdb", alerts)
    s = settings.model_copy(update={"alerts_path": alerts})
    with TestClient(create_app(s, warm=False)) as c:
        yield c
