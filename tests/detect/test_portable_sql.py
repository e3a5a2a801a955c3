"""Every SQL step the detectors issue transpiles to Spark SQL (no DuckDB-only pieces)."""

from __future__ import annotations

import re
from collections.abc import Sequence

import sqlglot
from sqlglot import exp

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


def _steps() -> list[SqlStep]:
    s = Scene()
    _pair(s, 40.0, 134.5, 0.5, 4)
    for i in range(3):
        s.static(636000001, i * 600, name="A")
        s.static(636000001, 9000 + i * 600, name="B")
    be = Recording()
    run_detectors(be, s.positions(), s.statics_table(), DetectConfig(ports=ports()))
    assert len(be.steps) > 30
    return be.steps


def test_all_steps_transpile_to_spark() -> None:
    spark = SparkDialect()
    for step in _steps():
        out = spark.translate(step.sql)
        sqlglot.parse_one(out, read="spark")  # parses back as Spark SQL
        for duck_only in ("EPOCH(", "ARG_MIN", "ARG_MAX", "LIST_", "::"):
            assert duck_only not in out.upper(), (step.output_table_name, out)
        # Spark refuses a window frame on LAG/LEAD
        assert not re.search(r"\b(LAG|LEAD)\([^()]*\) OVER \([^()]*ROWS BETWEEN", out), (
            step.output_table_name, out)


def test_no_decimal_literals() -> None:
    """``2.0`` is a DECIMAL in DuckDB and a FLOAT speed combined with it stays FLOAT there
    but becomes DOUBLE on Spark: event times differed by up to a millisecond. Every
    fractional number in the detectors' SQL must be a DOUBLE literal (``2.0e0``)."""
    bad = []
    for step in _steps():
        for node in sqlglot.parse_one(step.sql, read="duckdb").find_all(exp.Literal):
            text = str(node.this)
            if node.is_number and "." in text and "e" not in text.lower():
                bad.append((step.output_table_name, text))
    assert bad == []
