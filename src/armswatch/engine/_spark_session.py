"""The process-wide Spark session: created lazily, on first use, never at import.

Starting a JVM takes seconds, so one root session is shared by every
:class:`~armswatch.engine.spark_backend.SparkBackend` in the process; each backend works
in its own ``newSession()`` (own temporary views, shared JVM and cache).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from armswatch.engine._errors import EngineUnavailableError
from armswatch.errors import ConfigError

DEFAULT_MASTER = "local[2]"

# Settings every armswatch Spark session gets (users may override any of them).
BASE_CONF: dict[str, str] = {
    "spark.app.name": "armswatch",
    # timestamps are instants in UTC, as in DuckDB (the backend sets TimeZone = 'UTC')
    "spark.sql.session.timeZone": "UTC",
    # Arrow for createDataFrame / toArrow / applyInArrow; fail rather than fall back
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.execution.arrow.pyspark.fallback.enabled": "false",
    # ANSI: casts and overflows raise (as DuckDB does) instead of silently giving NULL
    "spark.sql.ansi.enabled": "true",
    # the same Parquet layout as DuckDB writes: INT64 microsecond timestamps, zstd
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
    "spark.sql.parquet.compression.codec": "zstd",
    # writing a partitioned table replaces only the partitions present in the data
    "spark.sql.sources.partitionOverwriteMode": "dynamic",
    "spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs": "false",
    # no progress bars on stderr (the CLI draws its own)
    "spark.ui.showConsoleProgress": "false",
}

# Settings that can be changed on a running session (applied to each new session).
_RUNTIME_KEYS = (
    "spark.sql.session.timeZone",
    "spark.sql.execution.arrow.pyspark.enabled",
    "spark.sql.execution.arrow.pyspark.fallback.enabled",
    "spark.sql.ansi.enabled",
    "spark.sql.parquet.outputTimestampType",
    "spark.sql.parquet.compression.codec",
    "spark.sql.sources.partitionOverwriteMode",
    "spark.sql.shuffle.partitions",
)

_root: Any = None
_root_master: str | None = None


def spark_unavailable_reason() -> str | None:
    """Why the Spark engine cannot start here, or None when it can (does not start it)."""
    missing = [m for m in ("pyspark", "pandas") if importlib.util.find_spec(m) is None]
    if missing:
        return (f"the Spark engine needs {' and '.join(missing)}: "
                "pip install 'armswatch[spark]'")
    java_home = os.environ.get("JAVA_HOME")
    if not (java_home and (Path(java_home) / "bin" / "java").exists()) and not shutil.which(
        "java"
    ):
        return "the Spark engine needs Java 17 or later (set JAVA_HOME or put java on PATH)"
    return None


def _local_cores(master: str) -> int | None:
    if master == "local":
        return 1
    if master.startswith("local[") and master.endswith("]"):
        inner = master[6:-1].split(",")[0]
        return os.cpu_count() or 1 if inner == "*" else int(inner)
    return None


def session_conf(master: str, conf: Mapping[str, str] | None = None) -> dict[str, str]:
    """The full configuration armswatch starts Spark with (documented in docs/scale.md)."""
    out = dict(BASE_CONF)
    cores = _local_cores(master)
    if cores is not None:
        # small local runs: a few shuffle partitions per core, no web UI
        out["spark.sql.shuffle.partitions"] = str(max(2, 2 * cores))
        out["spark.ui.enabled"] = "false"
        out["spark.driver.memory"] = "2g"
    out.update(conf or {})
    return out


def _expose_python_path() -> None:
    """Let local Python workers import what the driver imports (armswatch, kernels)."""
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    entries = [p for p in sys.path if p and Path(p).is_dir()]
    current = os.environ.get("PYTHONPATH", "")
    merged = [*current.split(os.pathsep), *entries] if current else entries
    os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(p for p in merged if p))


def new_session(master: str | None = None, conf: Mapping[str, str] | None = None) -> Any:
    """A fresh Spark session on the shared JVM (started on first call)."""
    global _root, _root_master
    master = master or DEFAULT_MASTER
    if _root is not None and _root_master != master:
        raise ConfigError(
            f"a Spark session on {_root_master!r} is already running in this process; "
            f"cannot also connect to {master!r}"
        )
    reason = spark_unavailable_reason()
    if reason:
        raise EngineUnavailableError(reason)
    full = session_conf(master, conf)
    if _root is None:
        from pyspark.sql import SparkSession

        if _local_cores(master) is not None:
            _expose_python_path()
        builder = SparkSession.builder.master(master)
        for key, value in full.items():
            builder = builder.config(key, value)
        _root = builder.getOrCreate()
        _root.sparkContext.setLogLevel("ERROR")  # Spark's WARN lines drown our progress
        _root_master = master
    session = _root.newSession()
    for key in _RUNTIME_KEYS:
        if key in full:
            session.conf.set(key, full[key])
    return session


def stop_spark() -> None:
    """Stop the shared JVM (the next Spark backend starts a new one)."""
    global _root, _root_master
    if _root is not None:
        _root.stop()
    _root = None
    _root_master = None
