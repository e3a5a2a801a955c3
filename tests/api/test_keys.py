"""The keys file: hashed at rest, verified in constant time, revocation kept."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from armswatch.api import KeyFile, Role
from armswatch.api._keys import split_key
from armswatch.errors import BadInputError, StoreError


def test_add_verify_revoke(tmp_path: Path) -> None:
    kf = KeyFile(tmp_path / "keys.json")
    key, rec = kf.add("  Ana   Analyst ", "analyst", now=datetime(2026, 1, 1, tzinfo=UTC))
    assert key.startswith("aw_" + rec.key_id + "_")
    assert rec.name == "Ana Analyst"
    assert rec.role is Role.ANALYST
    assert rec.created_utc.startswith("2026-01-01")
    assert kf.verify(key) == rec
    assert KeyFile(tmp_path / "keys.json").verify(key) == rec  # another reader
    assert kf.verify(key + "x") is None
    assert kf.verify(key[:-1]) is None
    revoked = KeyFile(tmp_path / "keys.json").revoke(rec.key_id)  # another writer
    assert revoked.revoked_utc is not None
    assert kf.verify(key) is None  # the first instance sees the change on disk
    assert list(kf.records()) == [rec.key_id]  # kept, as revoked


def test_roles() -> None:
    assert Role.ANALYST.can(Role.VIEWER)
    assert Role.ANALYST.can(Role.ANALYST)
    assert Role.VIEWER.can(Role.VIEWER)
    assert not Role.VIEWER.can(Role.ANALYST)


def test_bad_requests(tmp_path: Path) -> None:
    kf = KeyFile(tmp_path / "keys.json")
    with pytest.raises(BadInputError, match="name"):
        kf.add("  ", "viewer")
    with pytest.raises(BadInputError, match="unknown role"):
        kf.add("x", "admin")
    with pytest.raises(BadInputError, match="no API key"):
        kf.revoke("deadbeef")
    (tmp_path / "broken.json").write_text("{")
    with pytest.raises(StoreError, match="unreadable"):
        KeyFile(tmp_path / "broken.json").records()


def test_missing_file_means_no_keys(tmp_path: Path) -> None:
    kf = KeyFile(tmp_path / "none.json")
    assert kf.records() == {}
    assert kf.verify("aw_12345678_abc") is None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_string_is_refused_without_error(text: str) -> None:
    parts = split_key(text)
    if parts is not None:
        assert text == f"aw_{parts[0]}_{parts[1]}"
    assert KeyFile(Path("/nonexistent/keys.json")).verify(text) is None
