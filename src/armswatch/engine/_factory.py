"""Build a backend by engine name (used by ``armswatch detect --engine``)."""

from __future__ import annotations

from collections.abc import Mapping

from armswatch.engine._errors import EngineUnavailableError
from armswatch.engine._spark_session import spark_unavailable_reason
from armswatch.engine.base import Backend
from armswatch.errors import ConfigError

ENGINES = ("duckdb", "spark")


def make_backend(
    engine: str = "duckdb", master: str | None = None, *, conf: Mapping[str, str] | None = None
) -> Backend:
    """A backend for ``engine`` ("duckdb" or "spark"); ``master`` is a Spark master URL
    (default ``local[2]``), e.g. ``local[*]``, ``spark://host:7077`` or ``yarn``."""
    name = engine.strip().lower()
    if name == "duckdb":
        if master is not None or conf:
            raise ConfigError("--master and Spark settings apply only to --engine spark")
        from armswatch.engine.duckdb_backend import DuckDBBackend

        return DuckDBBackend()
    if name == "spark":
        reason = spark_unavailable_reason()
        if reason:
            raise EngineUnavailableError(reason)
        from armswatch.engine.spark_backend import SparkBackend

        return SparkBackend(master, conf=conf)
    raise ConfigError(f"unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}")
