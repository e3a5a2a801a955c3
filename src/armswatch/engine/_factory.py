"""Build a backend by engine name (used by ``armswatch detect --engine``)."""

from __future__ import annotations

from collections.abc import Mapping

from armswatch.engine._errors import EngineUnavailableError
from armswatch.engine._spark_session import spark_unavailable_reason
from armswatch.engine.base import Backend
from armswatch.errors import ConfigError

ENGINES = ("duckdb", "spark")


def make_backend(
    engine: str = "duckdb", master: str | None = None, *, threads: int | None = None,
    conf: Mapping[str, str] | None = None,
) -> Backend:
    """A backend for ``engine`` ("duckdb" or "spark").

    ``master``: Spark master URL, e.g. ``local[*]``, ``spark://host:7077``, ``yarn``
    (default ``local[2]``, or ``local[threads]`` when ``threads`` is given).
    ``threads``: DuckDB threads / local Spark cores. ``conf``: extra Spark settings.
    """
    name = engine.strip().lower()
    if threads is not None and threads < 1:
        raise ConfigError("threads must be >= 1")
    if name == "duckdb":
        if master is not None or conf:
            raise ConfigError("--master and Spark settings apply only to --engine spark")
        from armswatch.engine.duckdb_backend import DuckDBBackend

        return DuckDBBackend(threads=threads)
    if name == "spark":
        reason = spark_unavailable_reason()
        if reason:
            raise EngineUnavailableError(reason)
        from armswatch.engine.spark_backend import SparkBackend

        if master is None and threads is not None:
            master = f"local[{threads}]"
        return SparkBackend(master, conf=conf)
    raise ConfigError(f"unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}")
