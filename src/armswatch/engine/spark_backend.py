"""Apache Spark backend: the same SQL steps and kernels as DuckDB, on a cluster.

pyspark is imported only when a :class:`SparkBackend` is created, so importing
armswatch (or this module) never starts a JVM. Each SQL step is translated from the
canonical DuckDB dialect by :class:`~armswatch.engine.SparkDialect` and becomes a
temporary view (cached by default, so a table used by several detectors is computed
once); per-group kernels run with ``groupBy(keys).applyInArrow``.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa

from armswatch.engine._errors import EngineError
from armswatch.engine._spark_session import DEFAULT_MASTER, new_session
from armswatch.engine.base import Backend, GroupKernel, SparkDialect, SqlStep

Materialize = Literal["cache", "view", "parquet"]
DEFAULT_ROWS_PER_CALL = 500_000  # rows per Python call of map_sorted (~50-100 MB of Arrow)
BUCKET = "__aw_bucket"  # the bucket column map_sorted adds (dropped before the kernel)


def _quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _hive_base(paths: Sequence[Path]) -> Path | None:
    """The folder above the ``key=value`` folders of hive-partitioned files, if any."""
    parents = [p if p.is_dir() else p.parent for p in paths]
    common = Path(*_common_parts([p.resolve().parts for p in parents]))
    while "=" in common.name:
        common = common.parent
    return common


def _common_parts(parts: list[tuple[str, ...]]) -> tuple[str, ...]:
    first = parts[0]
    n = len(first)
    for other in parts[1:]:
        n = min(n, len(other))
        for i in range(n):
            if other[i] != first[i]:
                n = i
                break
    return first[:n]


def _group_runner(
    kernel: GroupKernel, order_by: tuple[str, ...], schema: pa.Schema
) -> Any:
    """The function Spark runs per group: sort (applyInArrow keeps no order), run, conform."""

    def run(table: pa.Table) -> pa.Table:
        if BUCKET in table.column_names:
            table = table.drop_columns([BUCKET])
        if order_by:
            table = table.sort_by([(c, "ascending") for c in order_by])
        out = kernel(table)
        return out.select(schema.names).cast(schema)

    return run


class SparkBackend(Backend):
    """Runs SQL steps and per-group kernels on Apache Spark (``local[2]`` by default).

    ``materialize`` says how a step's result is kept: ``"cache"`` (default; persisted
    in memory and disk when first used), ``"view"`` (recomputed on each use) or
    ``"parquet"`` (written to ``work_dir`` and read back: cuts long lineages on big
    clusters). ``conf`` adds or overrides Spark settings (see docs/scale.md).
    """

    def __init__(
        self,
        master: str | None = None,
        *,
        conf: Mapping[str, str] | None = None,
        materialize: Materialize = "cache",
        work_dir: Path | None = None,
    ) -> None:
        self.dialect = SparkDialect()
        self.master = master or DEFAULT_MASTER
        self.spark: Any = new_session(self.master, conf)
        self.materialize = materialize
        self._work_dir = work_dir
        self._own_work_dir: Path | None = None
        self._frames: dict[str, Any] = {}

    # -- helpers -------------------------------------------------------------------
    def _publish(self, name: str, df: Any, *, keep: bool = True) -> None:
        if keep and self.materialize == "cache":
            df = df.persist()
        elif keep and self.materialize == "parquet":
            target = self._scratch() / f"{name}-{uuid.uuid4().hex}"
            df.write.parquet(str(target))
            df = self.spark.read.parquet(str(target))
        df.createOrReplaceTempView(name)
        old = self._frames.get(name)
        self._frames[name] = df
        if old is not None and old is not df:
            old.unpersist()

    def _scratch(self) -> Path:
        if self._work_dir is not None:
            self._work_dir.mkdir(parents=True, exist_ok=True)
            return self._work_dir
        if self._own_work_dir is None:
            self._own_work_dir = Path(tempfile.mkdtemp(prefix="armswatch-spark-"))
        return self._own_work_dir

    def _sql(self, step: str, duckdb_sql: str) -> Any:
        from pyspark.errors import PySparkException

        sql = self.dialect.translate(duckdb_sql)
        try:
            return self.spark.sql(sql)
        except PySparkException as err:
            raise EngineError(step, str(err).splitlines()[0], sql) from err

    # -- Backend API ---------------------------------------------------------------
    def register(self, name: str, data: pa.Table | Path | Sequence[Path]) -> None:
        if isinstance(data, pa.Table):
            df = self.spark.createDataFrame(data)
            self._publish(name, df, keep=False)
            return
        paths = [data] if isinstance(data, Path) else list(data)
        if not paths:
            raise EngineError(name, "no Parquet files given")
        reader = self.spark.read.option("mergeSchema", "true")
        base = _hive_base(paths)
        if base is not None and not (len(paths) == 1 and paths[0].resolve() == base):
            reader = reader.option("basePath", str(base))
        self._publish(name, reader.parquet(*[str(p) for p in paths]), keep=False)

    def run(self, steps: Sequence[SqlStep]) -> None:
        for step in steps:
            self._publish(step.output_table_name, self._sql(step.output_table_name, step.sql))

    def to_arrow(self, name_or_sql: str) -> pa.Table:
        from pyspark.errors import PySparkException

        text = name_or_sql.strip()
        df = self.spark.table(text) if " " not in text else self._sql("<query>", text)
        try:
            result: pa.Table = df.toArrow()
        except PySparkException as err:
            raise EngineError(text[:60], str(err).splitlines()[0]) from err
        return result

    def map_groups(
        self, table: str, keys: Sequence[str], kernel: GroupKernel, schema: pa.Schema,
        output_table_name: str, order_by: Sequence[str] = (),
    ) -> None:
        from pyspark.sql.pandas.types import from_arrow_schema

        df = self.spark.table(table)
        runner = _group_runner(kernel, tuple(order_by), schema)
        out = df.groupBy(*keys).applyInArrow(runner, from_arrow_schema(schema))
        self._publish(output_table_name, out)

    def map_sorted(
        self, table: str, keys: Sequence[str], kernel: GroupKernel, schema: pa.Schema,
        output_table_name: str, order_by: Sequence[str] = (), rows_per_call: int | None = None,
        *, contiguous: bool = True,
    ) -> None:
        # whole groups hashed into buckets of about rows_per_call rows; one Python call
        # per bucket, sorted there by keys, then order_by (so contiguous either way)
        from pyspark.sql import functions as sf
        from pyspark.sql.pandas.types import from_arrow_schema

        df = self.spark.table(table)
        per_call = rows_per_call or DEFAULT_ROWS_PER_CALL
        n_buckets = max(1, -(-df.count() // per_call))
        df = df.withColumn(BUCKET, sf.pmod(sf.xxhash64(*keys), sf.lit(n_buckets)))
        runner = _group_runner(kernel, (*keys, *order_by), schema)
        out = df.groupBy(BUCKET).applyInArrow(runner, from_arrow_schema(schema))
        self._publish(output_table_name, out)

    def write_parquet(self, name: str, path: Path, partition_by: Sequence[str] = ()) -> None:
        df = self.spark.table(name)
        if partition_by:
            df.write.mode("overwrite").partitionBy(*partition_by).parquet(str(path))
            return
        # one file at ``path``, as DuckDB writes it
        tmp = path.parent / f".{path.name}.tmp-{uuid.uuid4().hex}"
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            df.coalesce(1).write.parquet(str(tmp))
            parts = sorted(tmp.glob("part-*.parquet"))
            if len(parts) != 1:
                raise EngineError(name, f"expected one Parquet part file, got {len(parts)}")
            if path.is_dir():
                shutil.rmtree(path)
            parts[0].replace(path)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def close(self) -> None:
        for name, df in self._frames.items():
            df.unpersist()
            self.spark.catalog.dropTempView(name)
        self._frames.clear()
        if self._own_work_dir is not None:
            shutil.rmtree(self._own_work_dir, ignore_errors=True)
            self._own_work_dir = None
