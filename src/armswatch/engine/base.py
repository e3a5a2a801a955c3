"""The engine seam: algorithms generate SQL, one backend class executes it.

Modelled on splink: an algorithm is a pure function returning a list of
:class:`SqlStep` (SQL text written in the DuckDB dialect plus the name of the table it
creates) and never touches a connection. A :class:`Backend` owns execution; the
:class:`Dialect` translates SQL for its engine (via sqlglot) so the same logic runs on
DuckDB and Spark. Per-vessel sequential logic that SQL expresses badly is a pure
function ``pa.Table -> pa.Table`` run by :meth:`Backend.map_groups`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa


@dataclass(frozen=True, slots=True)
class SqlStep:
    """One SQL statement (DuckDB dialect) that materialises ``output_table_name``."""

    sql: str
    output_table_name: str


class Dialect:
    """SQL dialect of an engine; translation from the canonical DuckDB form."""

    name: str = "duckdb"

    def translate(self, sql: str) -> str:
        if self.name == "duckdb":
            return sql
        import sqlglot

        return ";\n".join(sqlglot.transpile(sql, read="duckdb", write=self.name))


class DuckDBDialect(Dialect):
    name = "duckdb"


class SparkDialect(Dialect):
    """Spark SQL (Spark >= 4): sqlglot plus the rewrites in ``_spark_sql`` that keep results
    equal; refuses constructs listed by ``portability_problems``."""

    name = "spark"

    def translate(self, sql: str) -> str:
        from armswatch.engine._spark_sql import to_spark_sql

        return to_spark_sql(sql)


GroupKernel = Callable[[pa.Table], pa.Table]


class Backend(ABC):
    """Executes SQL steps and per-group kernels; the only class that holds a connection."""

    dialect: Dialect

    @abstractmethod
    def register(self, name: str, data: pa.Table | Path | Sequence[Path]) -> None:
        """Make an Arrow table or Parquet file(s) available to SQL as ``name``."""

    @abstractmethod
    def run(self, steps: Sequence[SqlStep]) -> None:
        """Execute steps in order; each creates (or replaces) its output table."""

    @abstractmethod
    def to_arrow(self, name_or_sql: str) -> pa.Table:
        """Return a table (by name) or a query result as Arrow."""

    @abstractmethod
    def map_groups(
        self, table: str, keys: Sequence[str], kernel: GroupKernel, schema: pa.Schema,
        output_table_name: str, order_by: Sequence[str] = (),
    ) -> None:
        """Run ``kernel`` on each group of ``table`` (rows sorted by ``order_by``) and
        register the concatenated results (with ``schema``) as ``output_table_name``."""

    def map_sorted(
        self, table: str, keys: Sequence[str], kernel: GroupKernel, schema: pa.Schema,
        output_table_name: str, order_by: Sequence[str] = (), rows_per_call: int | None = None,
        *, contiguous: bool = True,
    ) -> None:
        """Like :meth:`map_groups`, for a kernel that takes *several whole groups at once*:
        each call gets all rows of the groups it sees, each group's rows sorted by
        ``order_by`` (give a total order: rows tied on it may come in any order) and, if
        ``contiguous``, together. With ``contiguous=False`` the kernel also accepts groups
        interleaved (e.g. a whole feed in time order), and an engine may then pass a table
        already in such an order as it is. The order of the groups is unspecified.
        Engines call the kernel on as few, large slices as they can (``rows_per_call``,
        about, for contiguous groups; ``None``: engine's choice). This default runs it
        group by group."""
        self.map_groups(table, keys, kernel, schema, output_table_name, order_by)

    @abstractmethod
    def write_parquet(self, name: str, path: Path, partition_by: Sequence[str] = ()) -> None:
        """Write table ``name`` as Parquet (a file, or a hive-partitioned folder)."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release the engine's resources."""

    def __enter__(self) -> Backend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
