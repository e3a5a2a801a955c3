"""Every SQL step the case analysis runs is portable to Spark (checked without a JVM), and
on Spark (when Java is there) the case gives the same scores as on DuckDB."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from armswatch.engine import DuckDBBackend, SqlStep, check_portable
from armswatch.risk import analyse
from tests.risk.case_factory import inputs


class RecordingBackend(DuckDBBackend):
    def __init__(self) -> None:
        super().__init__()
        self.steps: list[SqlStep] = []

    def run(self, steps: Sequence[SqlStep]) -> None:
        steps = list(steps)
        self.steps.extend(steps)
        super().run(steps)


def test_case_sql_is_portable() -> None:
    be = RecordingBackend()
    analyse(inputs(), backend=be)
    be.close()
    names = {s.output_table_name for s in be.steps}
    assert {"fifty_blocked", "exposure_result", "voyages", "voyage_events", "rv_agg"} <= names
    check_portable(be.steps)


@pytest.mark.spark
@pytest.mark.slow
def test_case_on_spark_equals_duckdb() -> None:
    from armswatch.engine import SparkBackend, spark_unavailable_reason

    reason = spark_unavailable_reason()
    if reason:
        pytest.skip(reason)
    duck = analyse(inputs())
    with SparkBackend() as be:
        spark = analyse(inputs(), backend=be)
    got = [(s.subject_id, round(s.score, 9)) for s in spark.vessel_scores]
    assert got == [(s.subject_id, round(s.score, 9)) for s in duck.vessel_scores]
    assert [d.delivery_id for d in spark.deliveries] == [d.delivery_id for d in duck.deliveries]
    assert spark.ownership.status.to_pylist() == duck.ownership.status.to_pylist()
