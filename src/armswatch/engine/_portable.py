"""Portability check of canonical (DuckDB-dialect) SQL: will it give the same rows on Spark?

The check is engine-independent (it only parses the SQL with sqlglot), so detector
tests can run it on every generated :class:`~armswatch.engine.SqlStep` without a JVM.
Each rule below exists because the construct either has no Spark equivalent, or has
one whose results differ (found by the engine contract corpus in ``tests/contract``);
``docs/scale.md`` lists the rules with the portable replacement.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import sqlglot
from sqlglot import exp

from armswatch.engine._errors import UnportableSqlError
from armswatch.engine.base import SqlStep

_FORBIDDEN_FUNCTIONS: dict[str, str] = {
    "hash": "hash() differs between engines; use md5(...)",
    "date_sub": "date_sub(part, a, b) has no Spark equivalent; subtract epoch_us(...) values",
    "to_seconds": "INTERVAL-valued functions differ; do timestamp arithmetic in epoch_us",
    "to_minutes": "INTERVAL-valued functions differ; do timestamp arithmetic in epoch_us",
    "to_hours": "INTERVAL-valued functions differ; do timestamp arithmetic in epoch_us",
    "to_days": "INTERVAL-valued functions differ; do timestamp arithmetic in epoch_us",
    "reservoir_quantile": "approximate quantiles differ between engines; use quantile_cont",
    "strip_accents": "strip_accents() is DuckDB-only; normalise text in Python before loading",
    "list_aggregate": "list_aggregate() is DuckDB-only; aggregate before building the list",
    "list_transform": "lambda list functions differ; unnest and aggregate instead",
    "list_filter": "lambda list functions differ; unnest and aggregate instead",
    "generate_series": "generate_series() differs; use VALUES (...) or unnest([...])",
    "range": "range() differs; use VALUES (...) or unnest([...])",
    "epoch_ns": "nanoseconds are not portable (Spark keeps microseconds); use epoch_us",
    "len": "len() is ambiguous (string or list); use length(s) or array_length(l)",
    "printf": "printf() formats differ; build strings with || and CAST",
}

_FORBIDDEN_NODES: dict[type[exp.Expr], str] = {
    exp.ApproxQuantile: "approximate quantiles differ between engines; use quantile_cont",
    exp.ApproxDistinct: "approximate distinct counts differ; use count(DISTINCT ...)",
    exp.DateBin: "time_bucket() is DuckDB-only; bucket with floor(epoch_us(ts) / n)",
    exp.SimilarTo: "SIMILAR TO is not in Spark; use regexp_matches(s, pattern)",
    exp.Format: "format() is DuckDB-only; build strings with || and CAST",
    exp.Pivot: "PIVOT/UNPIVOT syntax differs; use conditional aggregation (CASE)",
    exp.TableSample: "sampling differs between engines",
    exp.GenerateSeries: "range()/generate_series() differ; use VALUES (...) or unnest([...])",
}

# DuckDB types Spark has no equivalent of (or converts lossily).
_FORBIDDEN_TYPES = {
    "HUGEINT", "UHUGEINT", "UBIGINT", "UINTEGER", "USMALLINT", "UTINYINT", "INT128",
    "UINT128", "INTERVAL", "TIME", "TIMETZ", "BIT", "UUID", "TIMESTAMP_NS", "TIMESTAMPNS",
}

# date_diff parts with an exact Spark translation (see _spark_sql).
DATE_DIFF_PARTS = {
    "MICROSECOND", "MICROSECONDS", "MILLISECOND", "MILLISECONDS", "SECOND", "SECONDS",
    "MINUTE", "MINUTES", "HOUR", "HOURS", "DAY", "DAYS", "MONTH", "MONTHS", "QUARTER",
    "QUARTERS", "YEAR", "YEARS",
}

# strftime/strptime specifiers with an exact Java (Spark) pattern.
STRFTIME_TO_JAVA: dict[str, str] = {
    "Y": "yyyy", "y": "yy", "m": "MM", "d": "dd", "H": "HH", "M": "mm", "S": "ss",
    "f": "SSSSSS", "g": "SSS", "j": "DDD", "b": "MMM", "B": "MMMM", "a": "EEE", "A": "EEEE",
}


def _regexp_flags_problem(node: exp.RegexpReplace) -> str | None:
    mods = node.args.get("modifiers")
    if mods is None:
        return ("regexp_replace without 'g' replaces only the first match in DuckDB but all "
                "matches in Spark; pass 'g'")
    if not isinstance(mods, exp.Literal) or mods.this not in ("g", "gi", "ig"):
        return "regexp_replace options other than 'g'/'gi' are not portable"
    if "i" in mods.this and not isinstance(node.expression, exp.Literal):
        return "regexp_replace with 'i' needs a literal pattern"
    return None


def _format_problem(fmt: exp.Expr | None) -> str | None:
    if not isinstance(fmt, exp.Literal) or not fmt.is_string:
        return "strftime/strptime format must be a string literal"
    text = fmt.this
    i = 0
    while i < len(text):
        if text[i] == "%":
            spec = text[i + 1: i + 2]
            if spec != "%" and spec not in STRFTIME_TO_JAVA:
                return f"strftime/strptime specifier %{spec} is not portable"
            i += 2
        else:
            i += 1
    return None


def _unordered_agg(node: exp.Expr) -> bool:
    """A list/string aggregate without ORDER BY (and not immediately sorted)."""
    if isinstance(node, exp.ArrayAgg):
        if isinstance(node.this, exp.Order):
            return False
        parent = node.parent
        return not isinstance(parent, exp.ArraySort | exp.ArrayDistinct)
    if isinstance(node, exp.GroupConcat):
        return not isinstance(node.this, exp.Order)
    return False


def _output_problems(tree: exp.Expr) -> Iterable[str]:
    query = tree
    while isinstance(query, exp.SetOperation):
        query = query.this
    if isinstance(query, exp.Subquery):
        query = query.this
    if not isinstance(query, exp.Select):
        return
    for proj in query.expressions:
        if isinstance(proj, exp.Alias | exp.Column | exp.Star):
            continue
        yield (f"output column {proj.sql('duckdb')!r} has no alias: engines name it "
               "differently; add AS name")


def _node_problem(node: exp.Expr) -> str | None:
    for cls, why in _FORBIDDEN_NODES.items():
        if isinstance(node, cls):
            return why
    problem: str | None = None
    if isinstance(node, exp.Anonymous):
        problem = _FORBIDDEN_FUNCTIONS.get(node.name.lower())
    elif isinstance(node, exp.Join) and str(node.args.get("method") or "").upper() == "ASOF":
        problem = "ASOF JOIN is not in Spark; use a window (LAG/LEAD) or a range join"
    elif isinstance(node, exp.DataType) and node.this.name in _FORBIDDEN_TYPES:
        problem = f"type {node.sql('duckdb')} is not portable; use BIGINT/DOUBLE/VARCHAR"
    elif isinstance(node, exp.RegexpReplace):
        problem = _regexp_flags_problem(node)
    elif isinstance(node, exp.TimeToStr | exp.StrToTime):
        problem = _format_problem(node.args.get("format"))
    elif isinstance(node, exp.DateDiff):
        unit = (node.unit.name if node.unit is not None else "DAY").upper()
        if unit not in DATE_DIFF_PARTS:
            problem = f"date_diff part {unit!r} is not portable; use epoch_us differences"
    elif isinstance(node, exp.Interval) and not isinstance(node.this, exp.Literal):
        problem = "INTERVAL with a computed length is not portable; use epoch_us arithmetic"
    elif (
        isinstance(node, exp.ArrayAgg)
        and isinstance(node.this, exp.Distinct)
        and not isinstance(node.parent, exp.ArraySort)
    ):
        problem = "list(DISTINCT x) order differs; use list_sort(list(DISTINCT x))"
    elif _unordered_agg(node):
        problem = ("list/string_agg without ORDER BY gives an engine-dependent order; "
                   "add ORDER BY inside the aggregate")
    elif isinstance(node, exp.PercentileCont | exp.PercentileDisc) and isinstance(
        node.expression, exp.Array
    ):
        problem = "quantiles of a list of fractions are not portable; one call per fraction"
    elif isinstance(node, exp.Select) and node.args.get("limit") and not node.args.get("order"):
        problem = "LIMIT without ORDER BY returns engine-dependent rows"
    elif isinstance(node, exp.Star) and (node.args.get("replace") or node.args.get("rename")):
        problem = "SELECT * REPLACE/RENAME is not portable; list the columns"
    elif isinstance(node, exp.Columns):
        problem = "COLUMNS(...) is DuckDB-only; list the columns"
    return problem


def portability_problems(sql: str) -> list[str]:
    """Every construct in ``sql`` (DuckDB dialect) that would not run the same on Spark."""
    try:
        trees = sqlglot.parse(sql, read="duckdb")
    except sqlglot.errors.ParseError as err:
        return [f"cannot parse: {err}"]
    problems: list[str] = []
    for tree in trees:
        if tree is None:
            continue
        problems.extend(_output_problems(tree))
        for node in tree.walk():
            problem = _node_problem(node)
            if problem and problem not in problems:
                problems.append(problem)
    return problems


def check_portable(steps: Sequence[SqlStep] | str) -> None:
    """Raise :class:`UnportableSqlError` naming each step and each non-portable construct."""
    items = [SqlStep(steps, "<sql>")] if isinstance(steps, str) else list(steps)
    lines: list[str] = []
    for step in items:
        lines += [f"{step.output_table_name}: {p}" for p in portability_problems(step.sql)]
    if lines:
        raise UnportableSqlError(
            "SQL is not portable between DuckDB and Spark (see docs/scale.md):\n  "
            + "\n  ".join(lines)
        )
