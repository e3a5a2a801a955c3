"""Engine fixtures: every contract test runs on DuckDB and on Spark ``local[2]``.

The JVM starts once per test session, lazily (only when a Spark test runs); each test
gets its own Spark session on it (own temporary views). Spark tests are marked
``spark`` and skipped, with the reason, when pyspark or Java is missing.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from armswatch.engine import Backend, make_backend, spark_unavailable_reason, stop_spark

ENGINES = ["duckdb", pytest.param("spark", marks=pytest.mark.spark)]


@pytest.fixture(scope="session")
def spark_jvm() -> Iterator[None]:
    reason = spark_unavailable_reason()
    if reason:
        pytest.skip(f"Spark engine not available: {reason}")
    yield
    stop_spark()


def open_backend(request: pytest.FixtureRequest, engine: str) -> Backend:
    if engine == "spark":
        request.getfixturevalue("spark_jvm")
    return make_backend(engine)


@pytest.fixture(params=ENGINES)
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    """A fresh backend of each engine."""
    be = open_backend(request, request.param)
    yield be
    be.close()
