"""DuckDB → Spark SQL translation: sqlglot plus the rewrites that make results equal.

sqlglot's ``duckdb → spark`` transpiler gets the syntax right but, for a handful of
functions, not the meaning (each case below was caught by the engine contract corpus
in ``tests/contract``):

* ``epoch(ts)`` became ``UNIX_TIMESTAMP`` (whole seconds; DuckDB keeps the fraction);
  ``epoch_ms`` became its inverse; ``to_timestamp(s)`` went through a string;
* ``date_diff`` counts part boundaries in DuckDB but whole parts in Spark;
* ``dayofweek`` is 0-based (Sunday) in DuckDB and 1-based in Spark; ``isodow`` was wrong;
* ``log(x)`` is base 10 in DuckDB and natural in Spark;
* ``percentile_cont … WITHIN GROUP`` became the *approximate* percentile;
* ``list(x ORDER BY y)`` lost its ORDER BY (``collect_list`` has none) and its NULLs;
* ``json_object`` produced invalid Spark SQL; Spark's ``to_json`` drops null fields;
* ``strftime`` patterns with literal letters (``T``, ``Z``) were not quoted for Java;
* ``QUALIFY`` (native in Spark ≥ 3.4) was rewritten into a subquery that leaked a column.

Constructs with no faithful translation are refused by
:func:`armswatch.engine._portable.portability_problems` before translation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import sqlglot
from sqlglot import exp
from sqlglot.dialects.spark import Spark
from sqlglot.generators.spark import SparkGenerator

from armswatch.engine._errors import UnportableSqlError
from armswatch.engine._portable import STRFTIME_TO_JAVA, check_portable

_MICROS_PER: dict[str, int] = {
    "MICROSECOND": 1, "MILLISECOND": 1_000, "SECOND": 1_000_000, "MINUTE": 60_000_000,
    "HOUR": 3_600_000_000, "DAY": 86_400_000_000,
}
_MONTHS_PER: dict[str, int] = {"MONTH": 1, "QUARTER": 3, "YEAR": 12}


class _Spark4Generator(SparkGenerator):
    """Spark generator for Spark ≥ 4: QUALIFY and exact WITHIN GROUP percentiles are native."""

    TRANSFORMS: ClassVar[dict[type[exp.Expr], Any]] = {
        **SparkGenerator.TRANSFORMS,
        exp.Select: sqlglot.transforms.preprocess(
            [
                sqlglot.transforms.eliminate_distinct_on,
                sqlglot.transforms.unnest_to_explode,
                sqlglot.transforms.any_to_exists,
            ]
        ),
    }
    TRANSFORMS.pop(exp.WithinGroup, None)


class _Spark4(Spark):
    Generator = _Spark4Generator


def _fn(name: str, *args: exp.Expr) -> exp.Expr:
    return exp.Anonymous(this=name, expressions=list(args))


def _num(value: int | float) -> exp.Expr:
    return exp.Literal.number(value)


def _template(sql: str, **nodes: exp.Expr) -> exp.Expr:
    """A Spark expression with ``:name`` placeholders replaced by AST nodes."""
    tree = sqlglot.parse_one(sql, read="spark")
    for ph in list(tree.find_all(exp.Placeholder)):
        ph.replace(nodes[ph.name].copy())
    return tree


def _as_ts(node: exp.Expr) -> exp.Expr:
    return exp.Cast(this=node, to=exp.DataType.build("TIMESTAMP", dialect="spark"))


def _micros(node: exp.Expr) -> exp.Expr:
    return _fn("UNIX_MICROS", _as_ts(node))


def _epoch_seconds(node: exp.Expr) -> exp.Expr:
    # DuckDB epoch(ts) is a DOUBLE with the fractional seconds. (For TIMESTAMPTZ DuckDB
    # adds milliseconds and the µs remainder, so the last bit may differ from this correctly
    # rounded µs / 1e6: durations should subtract epoch_us values, which are exact.)
    return _template("CAST(:us AS DOUBLE) / 1e6", us=_micros(node))


def _unit(node: exp.Expr) -> str:
    unit = node.args.get("unit")
    name = unit.name.upper() if unit is not None else "DAY"
    return name[:-1] if name.endswith("S") else name


def _date_diff(node: exp.DateDiff) -> exp.Expr:
    """DuckDB date_diff: the number of ``part`` boundaries crossed from a to b (UTC)."""
    end, start = node.this, node.expression
    unit = _unit(node)
    if unit in _MICROS_PER:
        size = _num(_MICROS_PER[unit])
        return _template(
            "(FLOOR(:b / :n) - FLOOR(:a / :n))", b=_micros(end), a=_micros(start), n=size
        )
    if unit in _MONTHS_PER:
        return _template(
            "(FLOOR((YEAR(:b) * 12 + MONTH(:b) - 1) / :n)"
            " - FLOOR((YEAR(:a) * 12 + MONTH(:a) - 1) / :n))",
            b=end, a=start, n=_num(_MONTHS_PER[unit]),
        )
    raise UnportableSqlError(f"date_diff part {unit!r} is not portable")


def _java_pattern(fmt: str) -> str:
    """strftime pattern → Java DateTimeFormatter pattern, literal text quoted."""
    out: list[str] = []
    literal: list[str] = []

    def flush() -> None:
        if literal:
            text = "".join(literal).replace("'", "''")
            out.append(f"'{text}'" if any(c.isalpha() or c == "'" for c in text) else text)
            literal.clear()

    i = 0
    while i < len(fmt):
        if fmt[i] == "%" and i + 1 < len(fmt):
            spec = fmt[i + 1]
            if spec == "%":
                literal.append("%")
            else:
                flush()
                out.append(STRFTIME_TO_JAVA[spec])
            i += 2
        else:
            literal.append(fmt[i])
            i += 1
    flush()
    return "".join(out)


def _ordered_list_agg(node: exp.ArrayAgg) -> tuple[exp.Expr, Callable[[exp.Expr], exp.Expr]]:
    """list(x [ORDER BY k...]) → COLLECT_LIST of structs, sorted by a comparator, unwrapped.

    Wrapping each value in a struct keeps NULL values (``collect_list`` drops NULLs,
    DuckDB's ``list`` keeps them); the comparator reproduces DuckDB's ordering,
    NULLS LAST by default, for each key and direction.
    """
    value = node.this
    distinct = isinstance(value, exp.Distinct)
    if distinct:  # list_sort(list(DISTINCT x)): the portability check requires the sort
        value = value.expressions[0]
    keys: list[exp.Ordered] = []
    if isinstance(value, exp.Order):
        keys = [k for k in value.expressions if isinstance(k, exp.Ordered)]
        value = value.this
    fields: list[exp.Expr] = []
    for i, key in enumerate(keys):
        fields += [exp.Literal.string(f"k{i}"), key.this]
    fields += [exp.Literal.string("v"), value]
    collected = _fn("COLLECT_LIST", _fn("NAMED_STRUCT", *fields))

    def wrap(agg: exp.Expr) -> exp.Expr:
        # DuckDB's list over no rows (FILTER, empty frame) is NULL, collect_list's is []
        agg = _template("CASE WHEN SIZE(:agg) > 0 THEN :agg END", agg=agg)
        if distinct:
            return _template("ARRAY_DISTINCT(TRANSFORM(:agg, e -> e.v))", agg=agg)
        if not keys:
            return _template("TRANSFORM(:agg, e -> e.v)", agg=agg)
        cmp = "0"
        for i in reversed(range(len(keys))):
            key = keys[i]
            sign = -1 if key.args.get("desc") else 1
            null_cmp = -1 if key.args.get("nulls_first") else 1
            k = f"k{i}"
            cmp = (
                f"CASE WHEN l.{k} IS NULL AND r.{k} IS NULL THEN {cmp} "
                f"WHEN l.{k} IS NULL THEN {null_cmp} WHEN r.{k} IS NULL THEN {-null_cmp} "
                f"WHEN l.{k} < r.{k} THEN {-sign} WHEN l.{k} > r.{k} THEN {sign} ELSE {cmp} END"
            )
        return _template(f"TRANSFORM(ARRAY_SORT(:agg, (l, r) -> {cmp}), e -> e.v)", agg=agg)

    return collected, wrap


def _json_object(node: exp.JSONObject, converted: set[int]) -> exp.Expr:
    fields: list[exp.Expr] = []
    for kv in node.expressions:
        if not isinstance(kv, exp.JSONKeyValue):
            raise UnportableSqlError("json_object needs literal key/value pairs")
        value = kv.expression
        if id(value) in converted:  # nested json_object: keep it a struct, not a string
            value = value.expressions[0]
        fields += [kv.this, value]
    return _fn(
        "TO_JSON",
        _fn("NAMED_STRUCT", *fields),
        _template("MAP('ignoreNullFields', 'false')"),
    )


def _percentile(node: exp.Expr) -> exp.Expr | None:
    """quantile_cont/quantile_disc/WITHIN GROUP → Spark's exact WITHIN GROUP forms."""
    if isinstance(node, exp.PercentileCont | exp.PercentileDisc) and node.expression:
        cls = type(node)
        order = exp.Order(expressions=[exp.Ordered(this=node.this, nulls_first=False)])
        return exp.WithinGroup(this=cls(this=node.expression), expression=order)
    return None


def _rewrite(node: exp.Expr, converted: set[int]) -> exp.Expr | None:
    """The Spark form of one node (children already rewritten), or None to keep it."""
    if isinstance(node, exp.TimeToUnix):
        return _epoch_seconds(node.this)
    if isinstance(node, exp.Extract) and node.this.name.upper() == "EPOCH":
        return _epoch_seconds(node.expression)
    if isinstance(node, exp.UnixToTime):
        scale = node.args.get("scale")
        if scale is None:  # to_timestamp(seconds)
            return _fn("TIMESTAMP_SECONDS", node.this)
        if scale.name == "3":  # DuckDB epoch_ms(ts): timestamp → milliseconds, truncated
            # toward zero (Spark's UNIX_MILLIS floors: before 1970 they differ by one)
            return exp.IntDiv(this=_micros(node.this), expression=exp.Literal.number(1000))
        return None  # make_timestamp(us) → TIMESTAMP_MICROS: sqlglot is right
    if isinstance(node, exp.Anonymous) and node.name.lower() == "epoch_us":
        return _micros(node.expressions[0])
    if isinstance(node, exp.Anonymous) and node.name.lower() in ("list_reverse", "array_reverse"):
        return _fn("REVERSE", *node.expressions)
    if isinstance(node, exp.ArrayReverse):
        return _fn("REVERSE", node.this)
    if isinstance(node, exp.Log) and node.expression is None:
        return _fn("LOG10", node.this)
    if isinstance(node, exp.DateDiff):
        return _date_diff(node)
    if isinstance(node, exp.DayOfWeekIso):
        return _template("(WEEKDAY(:x) + 1)", x=node.this)
    if isinstance(node, exp.DayOfWeek):
        return _template("(DAYOFWEEK(:x) - 1)", x=node.this)
    if isinstance(node, exp.IsNan):  # Spark: isnan(NULL) is false, DuckDB: NULL
        return _template("CASE WHEN :x IS NOT NULL THEN ISNAN(:x) END", x=node.this)
    if isinstance(node, exp.IsInf):
        return _template("(ABS(:x) = CAST('Infinity' AS DOUBLE))", x=node.this)
    if isinstance(node, exp.Anonymous) and node.name.lower() == "isfinite":
        return _template(
            "(NOT ISNAN(:x) AND ABS(:x) <> CAST('Infinity' AS DOUBLE))", x=node.expressions[0]
        )
    if isinstance(node, exp.TimeToStr | exp.StrToTime):
        fmt = node.args["format"].this
        name = "DATE_FORMAT" if isinstance(node, exp.TimeToStr) else "TO_TIMESTAMP"
        return _fn(name, node.this, exp.Literal.string(_java_pattern(fmt)))
    if isinstance(node, exp.RegexpReplace):
        pattern = node.expression
        if "i" in node.args["modifiers"].this:
            pattern = exp.Literal.string("(?i)" + pattern.this)
        return _fn("REGEXP_REPLACE", node.this, pattern, node.args["replacement"])
    if isinstance(node, exp.JSONObject):
        out = _json_object(node, converted)
        converted.add(id(out))
        return out
    if isinstance(node, exp.Anonymous) and node.name.lower() == "to_json":
        return _fn("TO_JSON", *node.expressions, _template("MAP('ignoreNullFields', 'false')"))
    return _percentile(node)


def _outermost_agg_wrapper(node: exp.Expr) -> exp.Expr:
    """The node a rewritten aggregate's post-processing must wrap (FILTER / OVER)."""
    top = node
    while isinstance(top.parent, exp.Filter | exp.Window) and top.parent.this is top:
        top = top.parent
    return top


def to_spark_sql(sql: str) -> str:
    """Translate one canonical (DuckDB-dialect) statement to Spark SQL with equal results."""
    check_portable(sql)
    trees = [t for t in sqlglot.parse(sql, read="duckdb") if t is not None]
    out: list[str] = []
    for tree in trees:
        converted: set[int] = set()
        # post-order: children are rewritten before their parents
        for node in reversed(list(tree.walk(bfs=False))):
            if isinstance(node, exp.ArrayAgg):
                collected, wrap = _ordered_list_agg(node)
                top = _outermost_agg_wrapper(node)
                node.replace(collected)
                if top is node:
                    collected.replace(wrap(collected))
                else:
                    top.replace(wrap(top.copy()))
                continue
            new = _rewrite(node, converted)
            if new is not None:
                if node is tree:
                    tree = new
                else:
                    node.replace(new)
        out.append(tree.sql(dialect=_Spark4))
    return ";\n".join(out)
