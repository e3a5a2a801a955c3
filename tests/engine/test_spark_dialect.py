"""The DuckDB → Spark rewrites, checked as text (no JVM; the contract suite runs them)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from armswatch.engine import SparkDialect, SqlStep, UnportableSqlError, check_portable

SRC = Path(__file__).resolve().parents[2] / "src"

REWRITES = [
    # (DuckDB, fragment the Spark SQL must contain)
    ("SELECT epoch(ts) AS s FROM t", "CAST(UNIX_MICROS(CAST(ts AS TIMESTAMP)) AS DOUBLE) / 1e6"),
    ("SELECT epoch_ms(ts) AS s FROM t", "UNIX_MICROS(CAST(ts AS TIMESTAMP)) DIV 1000"),
    ("SELECT epoch_us(ts) AS s FROM t", "UNIX_MICROS(CAST(ts AS TIMESTAMP))"),
    ("SELECT to_timestamp(s) AS t FROM t", "TIMESTAMP_SECONDS(s)"),
    ("SELECT make_timestamp(us) AS t FROM t", "TIMESTAMP_MICROS(us)"),
    ("SELECT log(x) AS l FROM t", "LOG10(x)"),
    ("SELECT dayofweek(ts) AS d FROM t", "(DAYOFWEEK(ts) - 1)"),
    ("SELECT isodow(ts) AS d FROM t", "(WEEKDAY(ts) + 1)"),
    ("SELECT date_diff('hour', a, b) AS d FROM t",
     "FLOOR(UNIX_MICROS(CAST(b AS TIMESTAMP)) / 3600000000)"),
    ("SELECT quantile_cont(x, 0.9) AS q FROM t", "PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY x"),
    ("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS q FROM t", "PERCENTILE_CONT(0.5)"),
    ("SELECT list(x ORDER BY y) AS l FROM t",
     "COLLECT_LIST(NAMED_STRUCT('k0', y, 'v', x))) > 0 THEN"),
    ("SELECT json_object('a', x) AS j FROM t", "MAP('ignoreNullFields', 'false')"),
    ("SELECT strftime(ts, '%Y-%m-%dT%H:%M:%SZ') AS s FROM t", "'yyyy-MM-dd\\'T\\'HH:mm:ss\\'Z\\''"),
    ("SELECT * FROM t QUALIFY row_number() OVER (ORDER BY x) = 1", "QUALIFY ROW_NUMBER()"),
    ("SELECT regexp_replace(s, 'a', 'b', 'gi') AS r FROM t", "REGEXP_REPLACE(s, '(?i)a', 'b')"),
    ("SELECT isnan(x) AS n FROM t", "CASE WHEN NOT x IS NULL THEN ISNAN(x) END"),
    ("SELECT a FROM t ORDER BY a", "ORDER BY a NULLS LAST"),
]


@pytest.mark.parametrize(("duckdb_sql", "fragment"), REWRITES, ids=[r[1][:30] for r in REWRITES])
def test_rewrite(duckdb_sql: str, fragment: str) -> None:
    assert fragment in SparkDialect().translate(duckdb_sql)


def test_qualify_leaks_no_helper_column() -> None:
    sql = SparkDialect().translate("SELECT * FROM t QUALIFY row_number() OVER (ORDER BY x) = 1")
    assert "_w" not in sql


def test_check_portable_names_every_step() -> None:
    steps = [SqlStep("SELECT hash(x) AS h FROM t", "hashed"), SqlStep("SELECT 1 AS x", "ok"),
             SqlStep("SELECT count(*) FROM t", "counted")]
    with pytest.raises(UnportableSqlError) as err:
        check_portable(steps)
    text = str(err.value)
    assert "hashed: hash()" in text
    assert "counted: output column" in text
    assert "ok:" not in text


def test_translation_starts_no_jvm() -> None:
    code = (
        "import sys; from armswatch.engine import SparkDialect, make_backend; "
        "SparkDialect().translate('SELECT epoch(ts) AS s FROM t'); make_backend('duckdb'); "
        "print('pyspark' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env=env)
    assert out.stdout.strip() == "False"
