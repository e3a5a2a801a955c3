"""API keys, hashed at rest, in one JSON file in the data home.

A key is ``aw_<key id>_<secret>``: the key id (8 hex digits) finds the record, the secret
(32 random bytes, URL-safe base64) is checked against ``sha256(salt || secret)`` with a
constant-time comparison. The secret is shown once, when the key is made; the file
holds only the salt and the hash. A slow password hash (scrypt, argon2) protects
low-entropy passwords; a 256-bit random secret cannot be guessed from its hash, so a
fast salted hash keeps verification cheap on every request.

The file is written atomically (temporary file + rename) with mode 0600; a revoked key
stays in the file (``revoked_utc``) so the record of who held it is kept.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

import orjson

from armswatch.errors import BadInputError, StoreError

KEY_PREFIX = "aw_"


class Role(StrEnum):
    VIEWER = "viewer"  # read everything
    ANALYST = "analyst"  # read, and review alerts

    def can(self, needed: Role) -> bool:
        order = [Role.VIEWER, Role.ANALYST]
        return order.index(self) >= order.index(needed)


@dataclass(frozen=True, slots=True)
class KeyRecord:
    key_id: str
    name: str  # who holds it: recorded with each review
    role: Role
    salt: str  # hex
    hash: str  # hex sha256(salt || secret)
    created_utc: str
    revoked_utc: str | None = None

    @property
    def active(self) -> bool:
        return self.revoked_utc is None

    def public(self) -> dict[str, str | None]:
        """The record without salt and hash (for listings)."""
        return {"key_id": self.key_id, "name": self.name, "role": self.role.value,
                "created_utc": self.created_utc, "revoked_utc": self.revoked_utc}


def _hash(salt: bytes, secret: str) -> str:
    return hashlib.sha256(salt + secret.encode()).hexdigest()


def split_key(key: str) -> tuple[str, str] | None:
    """``(key_id, secret)`` of a well-formed key, else None."""
    if not key.startswith(KEY_PREFIX):
        return None
    key_id, sep, secret = key[len(KEY_PREFIX):].partition("_")
    if not sep or len(key_id) != 8 or not secret or len(secret) > 200:
        return None
    if any(c not in "0123456789abcdef" for c in key_id):
        return None
    return key_id, secret


class KeyFile:
    """The keys file. Reads are cached and refreshed when the file changes on disk."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: tuple[int, int] | None = None
        self._records: dict[str, KeyRecord] = {}

    # -- reading -------------------------------------------------------------------------
    def records(self) -> dict[str, KeyRecord]:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            self._stamp, self._records = None, {}
            return {}
        stamp = (st.st_mtime_ns, st.st_size)
        if stamp != self._stamp:
            self._records = self._read()
            self._stamp = stamp
        return self._records

    def _read(self) -> dict[str, KeyRecord]:
        try:
            doc = orjson.loads(self.path.read_bytes())
            return {
                r["key_id"]: KeyRecord(
                    r["key_id"], r["name"], Role(r["role"]), r["salt"], r["hash"],
                    r["created_utc"], r.get("revoked_utc"),
                )
                for r in doc["keys"]
            }
        except (OSError, orjson.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise StoreError(f"API keys file {self.path} is unreadable: {exc}") from None

    def verify(self, key: str) -> KeyRecord | None:
        """The active record of ``key``, or None (unknown, malformed or revoked)."""
        parts = split_key(key)
        if parts is None:
            return None
        rec = self.records().get(parts[0])
        if rec is None or not rec.active:
            return None
        ok = hmac.compare_digest(_hash(bytes.fromhex(rec.salt), parts[1]), rec.hash)
        return rec if ok else None

    # -- writing -------------------------------------------------------------------------
    def add(
        self, name: str, role: Role | str, now: datetime | None = None
    ) -> tuple[str, KeyRecord]:
        """Make a key; returns ``(the key, its record)``. The key is not stored."""
        name = " ".join(name.split())
        if not name:
            raise BadInputError("a key needs the name of the person or system holding it")
        if len(name) > 100:
            raise BadInputError("key holder name longer than 100 characters")
        try:
            role = Role(role)
        except ValueError:
            raise BadInputError(f"unknown role {role!r}; roles: viewer, analyst") from None
        records = dict(self.records())
        key_id = secrets.token_hex(4)
        while key_id in records:
            key_id = secrets.token_hex(4)
        secret = secrets.token_urlsafe(32)
        salt = secrets.token_bytes(16)
        stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
        rec = KeyRecord(key_id, name, role, salt.hex(), _hash(salt, secret), stamp)
        records[key_id] = rec
        self._write(records)
        return f"{KEY_PREFIX}{key_id}_{secret}", rec

    def revoke(self, key_id: str, now: datetime | None = None) -> KeyRecord:
        records = dict(self.records())
        rec = records.get(key_id.removeprefix(KEY_PREFIX).split("_")[0])
        if rec is None:
            raise BadInputError(f"no API key {key_id!r} in {self.path}")
        if not rec.active:
            return rec
        stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
        rec = KeyRecord(rec.key_id, rec.name, rec.role, rec.salt, rec.hash, rec.created_utc, stamp)
        records[rec.key_id] = rec
        self._write(records)
        return rec

    def _write(self, records: dict[str, KeyRecord]) -> None:
        doc = {"format": "armswatch-api-keys/1",
               "keys": [{"key_id": r.key_id, "name": r.name, "role": r.role.value,
                         "salt": r.salt, "hash": r.hash, "created_utc": r.created_utc,
                         "revoked_utc": r.revoked_utc} for r in records.values()]}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".keys-", dir=self.path.parent)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(orjson.dumps(doc, option=orjson.OPT_INDENT_2))
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._stamp = None  # re-read on next access
