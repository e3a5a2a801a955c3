"""DuckDB backend: the embedded default engine."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from armswatch.engine._grouping import IDENTITY, call_bounds, group_order, group_starts
from armswatch.engine.base import Backend, DuckDBDialect, GroupKernel, SqlStep


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class DuckDBBackend(Backend):
    """Runs SQL steps in an in-process DuckDB database (in memory or a file)."""

    def __init__(self, database: str | Path = ":memory:", threads: int | None = None) -> None:
        self.dialect = DuckDBDialect()
        self.con = duckdb.connect(str(database))
        # timestamps are UTC instants on every engine (date_trunc, strftime, casts to DATE)
        self.con.execute("SET TimeZone = 'UTC'")
        if threads is not None:
            self.con.execute(f"SET threads = {int(threads)}")
        self._arrow: dict[str, pa.Table] = {}

    def _forget_arrow(self, name: str) -> None:
        """Drop a registered Arrow table (it would hide a table of the same name)."""
        if self._arrow.pop(name, None) is not None:
            self.con.unregister(name)

    def register(self, name: str, data: pa.Table | Path | Sequence[Path]) -> None:
        if isinstance(data, pa.Table):
            self._arrow[name] = data
            self.con.register(name, data)
            return
        self._forget_arrow(name)
        paths = [data] if isinstance(data, Path) else list(data)
        files = ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths)
        self.con.execute(
            f"CREATE OR REPLACE VIEW {_quote(name)} AS "
            f"SELECT * FROM read_parquet([{files}], hive_partitioning = true, union_by_name = true)"
        )

    def run(self, steps: Sequence[SqlStep]) -> None:
        for step in steps:
            self._forget_arrow(step.output_table_name)  # replaced by a DuckDB table
            sql = self.dialect.translate(step.sql)
            self.con.execute(f"CREATE OR REPLACE TABLE {_quote(step.output_table_name)} AS {sql}")

    def to_arrow(self, name_or_sql: str) -> pa.Table:
        text = name_or_sql.strip()
        if " " not in text:
            text = f"SELECT * FROM {_quote(text)}"
        result: pa.Table = self.con.sql(text).to_arrow_table()
        return result

    def map_groups(
        self, table: str, keys: Sequence[str], kernel: GroupKernel, schema: pa.Schema,
        output_table_name: str, order_by: Sequence[str] = (),
    ) -> None:
        order = ", ".join(_quote(c) for c in (*keys, *order_by))
        data = self.to_arrow(f"SELECT * FROM {_quote(table)} ORDER BY {order}")
        outputs: list[pa.Table] = []
        if data.num_rows:
            key_arrays = [data.column(k) for k in keys]
            # boundaries where any key changes (data is sorted by keys)
            change = pa.array([True] + [False] * (data.num_rows - 1))
            for arr in key_arrays:
                prev = arr.slice(0, data.num_rows - 1)
                nxt = arr.slice(1)
                diff = pc.fill_null(pc.not_equal(prev, nxt), True)
                change = pc.or_(change, pa.concat_arrays([pa.array([True]), diff.combine_chunks()]))
            starts = [*pc.indices_nonzero(change).to_pylist(), data.num_rows]
            for a, b in itertools.pairwise(starts):
                out = kernel(data.slice(a, b - a))
                if out.num_rows:
                    outputs.append(out.select(schema.names).cast(schema))
        result = pa.concat_tables(outputs) if outputs else schema.empty_table()
        self.register(output_table_name, result)

    def map_sorted(
        self, table: str, keys: Sequence[str], kernel: GroupKernel, schema: pa.Schema,
        output_table_name: str, order_by: Sequence[str] = (), rows_per_call: int | None = None,
        *, contiguous: bool = True,
    ) -> None:
        # an Arrow table registered here is used as it is (no round trip through DuckDB);
        # one key and integer/timestamp order columns are ordered in O(n) (engine._grouping)
        data = self._arrow.get(table)
        if data is None:
            data = self.to_arrow(table)
        perm = group_order(data, keys, order_by, contiguous)
        if perm is None:
            order = ", ".join(_quote(c) for c in (*keys, *order_by))
            data = self.to_arrow(f"SELECT * FROM {_quote(table)} ORDER BY {order}")
        elif perm is not IDENTITY:
            data = data.take(pa.array(perm))
        bounds = (
            call_bounds(group_starts(data, keys), rows_per_call)
            if contiguous or perm is not IDENTITY
            else [(0, data.num_rows)] if data.num_rows else []
        )
        outputs: list[pa.Table] = []
        for a, b in bounds:
            out = kernel(data.slice(a, b - a))
            if out.num_rows:
                outputs.append(out.select(schema.names).cast(schema))
        result = pa.concat_tables(outputs) if outputs else schema.empty_table()
        self.register(output_table_name, result)

    def write_parquet(self, name: str, path: Path, partition_by: Sequence[str] = ()) -> None:
        target = str(path).replace("'", "''")
        opts = "FORMAT parquet, COMPRESSION zstd"
        if partition_by:
            cols = ", ".join(_quote(c) for c in partition_by)
            opts += f", PARTITION_BY ({cols}), OVERWRITE_OR_IGNORE true"
        self.con.execute(f"COPY (SELECT * FROM {_quote(name)}) TO '{target}' ({opts})")

    def close(self) -> None:
        self.con.close()
