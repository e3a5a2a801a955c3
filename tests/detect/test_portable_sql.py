"""Every SQL step the detectors issue transpiles to Spark SQL (no DuckDB-only pieces)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlglot

from armswatch.detect import DetectConfig, run_detectors
from armswatch.engine import DuckDBBackend, SparkDialect, SqlStep
from tests.detect.scenes import Scene
from tests.detect.test_detectors import _pair, ports


class Recording(DuckDBBackend):
    def __init__(self) -> None:
        super().__init__()
        self.steps: list[SqlStep] = []

    def run(self, steps: Sequence[SqlStep]) -> None:
        self.steps.extend(steps)
        super().run(steps)


def test_all_steps_transpile_to_spark() -> None:
    s = Scene()
    _pair(s, 40.0, 134.5, 0.5, 4)
    for i in range(3):
        s.static(636000001, i * 600, name="A")
        s.static(636000001, 9000 + i * 600, name="B")
    be = Recording()
    run_detectors(be, s.positions(), s.statics_table(), DetectConfig(ports=ports()))
    assert len(be.steps) > 30
    spark = SparkDialect()
    for step in be.steps:
        out = spark.translate(step.sql)
        sqlglot.parse_one(out, read="spark")  # parses back as Spark SQL
        for duck_only in ("EPOCH(", "ARG_MIN", "ARG_MAX", "LIST_", "::"):
            assert duck_only not in out.upper(), (step.output_table_name, out)
