"""Engine seam: SQL generated per dialect, executed by one backend class.

``SparkBackend`` lives in ``armswatch.engine.spark_backend``; it imports pyspark only
when constructed, so importing this package never starts a JVM.
"""

from armswatch.engine._compare import table_differences
from armswatch.engine._errors import EngineError, EngineUnavailableError, UnportableSqlError
from armswatch.engine._factory import ENGINES, make_backend
from armswatch.engine._portable import check_portable, portability_problems
from armswatch.engine._spark_session import spark_unavailable_reason, stop_spark
from armswatch.engine.base import Backend, Dialect, DuckDBDialect, SparkDialect, SqlStep
from armswatch.engine.duckdb_backend import DuckDBBackend
from armswatch.engine.spark_backend import SparkBackend

__all__ = [
    "ENGINES",
    "Backend",
    "Dialect",
    "DuckDBBackend",
    "DuckDBDialect",
    "EngineError",
    "EngineUnavailableError",
    "SparkBackend",
    "SparkDialect",
    "SqlStep",
    "UnportableSqlError",
    "check_portable",
    "make_backend",
    "portability_problems",
    "spark_unavailable_reason",
    "stop_spark",
    "table_differences",
]
