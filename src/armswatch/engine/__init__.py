"""Engine seam: SQL generated per dialect, executed by one backend class."""

from armswatch.engine.base import Backend, Dialect, DuckDBDialect, SparkDialect, SqlStep
from armswatch.engine.duckdb_backend import DuckDBBackend

__all__ = ["Backend", "Dialect", "DuckDBBackend", "DuckDBDialect", "SparkDialect", "SqlStep"]
