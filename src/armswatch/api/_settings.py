"""The API's settings: one frozen object, built once and passed to :func:`create_app`.

No module-level mutable state: two apps with different settings can live in one process
(the tests do that).
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from armswatch import paths

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
MAX_NAME_CHARS = 500  # a screened name (the library accepts more; an API caller never needs it)


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``; False for anything else (0.0.0.0 too)."""
    if host.strip().lower() in {"localhost", "localhost.localdomain"}:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: may resolve to anything, so treat it as public


class Settings(BaseModel):
    """Everything the app needs to know; frozen (pass a new object to change anything)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    data_dir: Path | None = Field(
        default=None,
        description="Folder the pipeline wrote (events, positions, statics, registry*.csv, "
        "lists/, alerts.duckdb, trade/). None: screening only, from the lists store.",
    )
    host: str = Field(default=DEFAULT_HOST, description="Address the server is bound to.")
    port: int = Field(default=DEFAULT_PORT, ge=0, le=65535)
    lists: tuple[Path, ...] = Field(
        default=(),
        description="Sanctions list files/folders; default: <data_dir>/lists, else the store.",
    )
    lists_store: Path | None = Field(
        default=None, description="Lists store folder (default: the armswatch lists store)."
    )
    alerts_path: Path | None = Field(
        default=None,
        description="Alert store; default <data_dir>/alerts.duckdb, else $ARMSWATCH_HOME's.",
    )
    keys_path: Path = Field(
        default_factory=lambda: paths.home() / "api_keys.json",
        description="API keys file (hashed keys only).",
    )
    web_dir: Path | None = Field(
        default=None,
        description="Built web assets (Leaflet, basemap); default the cache in the data home.",
    )
    read_needs_key: bool | None = Field(
        default=None,
        description="Require a key to read. None: only when bound to a non-loopback address.",
    )
    cors_origins: tuple[str, ...] = Field(
        default=(), description="Origins allowed by CORS; empty (default) = CORS off."
    )
    max_body_bytes: int = Field(default=1_000_000, ge=1_024)
    max_batch: int = Field(default=1_000, ge=1, description="Most queries in one batch.")
    max_page: int = Field(default=1_000, ge=1, description="Largest page of events.")
    max_track_points: int = Field(default=20_000, ge=100)
    screening_algorithm: str = "armswatch-match"
    min_score: float = Field(default=0.30, ge=0.0, le=1.0)
    docs: bool = Field(default=True, description="Serve /docs and /openapi.json.")

    @property
    def open_read(self) -> bool:
        """Can a caller without a key read?"""
        if self.read_needs_key is not None:
            return not self.read_needs_key
        return is_loopback(self.host)

    def resolved_web_dir(self) -> Path:
        return self.web_dir if self.web_dir is not None else paths.home() / "cache" / "web"

    def resolved_alerts_path(self) -> Path:
        if self.alerts_path is not None:
            return self.alerts_path
        if self.data_dir is not None:
            return self.data_dir / "alerts.duckdb"
        return paths.home() / "alerts.duckdb"
