"""SQL generators for the relational parts of the trade analyses (pure: no connection).

Every function returns :class:`~armswatch.engine.SqlStep` objects written in the DuckDB
dialect using only portable constructs (``substr``, ``length``, ``CASE``, ``COALESCE``,
``LIKE``, equi-joins, ``FULL OUTER JOIN``, ``UNION ALL``), so the Spark backend runs the same
text after sqlglot translation.

Tables (prefix ``tw_``):

* ``tw_cells`` - usable bilateral cells: one row per (reporter, partner, flow, period,
  product, currency); rows of one source are summed (Comext splits by procedure), rows
  repeated across sources (the same extract passed twice) are counted once (the larger
  value is kept and the conflict counted).
* ``tw_cells_anc`` / ``tw_group_cells`` - cells matched to product groups by code prefix,
  with cells dropped whose ancestor code (a heading total) is present for the same cell and
  also belongs to the group, so headings and their CN8 children are never added together.
* ``tw_group_panel``, ``tw_base``, ``tw_panel`` - the (group, flow, partner, reporter,
  period) panel with the group's value, all detailed goods and the published TOTAL.
"""

from __future__ import annotations

from collections.abc import Sequence

from armswatch.engine import Backend, SqlStep
from armswatch.trade._schema import EXCLUDING_FLAGS

# the cell key (freq and hs_level follow from period and hs_code)
GROUP_KEY = ("reporter", "partner", "flow", "period", "hs_code", "currency")
ALL_GROUP = "detailed"


def _cols(cols: Sequence[str], alias: str = "") -> str:
    pre = f"{alias}." if alias else ""
    return ", ".join(f"{pre}{c}" for c in cols)


def sources_sql(flows: str) -> str:
    """How many sources publish each (flow, total-or-detailed) slice: when every slice has
    one source no cell can be repeated across sources (see :func:`cells_step`)."""
    return (f"SELECT flow, CASE WHEN hs_level = 0 THEN 0 ELSE 1 END AS detailed, "
            f"COUNT(DISTINCT source) AS n FROM {flows} GROUP BY flow, "
            "CASE WHEN hs_level = 0 THEN 0 ELSE 1 END")


def cells_step(flows: str, flows_kept: Sequence[str] = ("export", "import"),
               single_source: bool = False) -> SqlStep:
    """``tw_cells``: usable cells, summed per source, de-duplicated across sources.

    ``single_source`` (every slice comes from one source, see :func:`sources_sql`) skips the
    per-source level, which gives the same result faster.
    """
    excl = " AND ".join(f"flags NOT LIKE '%{f}%'" for f in EXCLUDING_FLAGS)
    kept = ", ".join(f"'{f}'" for f in flows_kept)
    key = _cols(GROUP_KEY)
    where = f"WHERE (flags IS NULL OR ({excl})) AND flow IN ({kept})"
    agg = ("SUM(CASE WHEN value IS NULL THEN 1 ELSE 0 END) AS n_null, "
           "SUM(CASE WHEN flags LIKE '%confidential%' THEN 1 ELSE 0 END) AS n_conf")
    if single_source:
        sql = f"""
SELECT {key}, MAX(freq) AS freq, MAX(hs_level) AS hs_level, SUM(value) AS value,
       SUM(value) AS value_min, 1 AS n_sources, COUNT(*) AS n_rows, {agg}
FROM {flows}
{where}
GROUP BY {key}
"""
        return SqlStep(sql, "tw_cells")
    sql = f"""
WITH per_source AS (
  SELECT {key}, source, MAX(freq) AS freq, MAX(hs_level) AS hs_level, SUM(value) AS value,
         COUNT(*) AS n_rows, {agg}
  FROM {flows}
  {where}
  GROUP BY {key}, source
)
SELECT {key}, MAX(freq) AS freq, MAX(hs_level) AS hs_level, MAX(value) AS value,
       MIN(value) AS value_min, COUNT(*) AS n_sources, SUM(n_rows) AS n_rows,
       SUM(n_null) AS n_null, SUM(n_conf) AS n_conf
FROM per_source
GROUP BY {key}
"""
    return SqlStep(sql, "tw_cells")


def cells_steps(backend: Backend, flows: str) -> list[SqlStep]:
    """The ``tw_cells`` step fitting the inputs (single-source fast path when possible)."""
    counts = backend.to_arrow(sources_sql(flows)).column("n").to_pylist()
    return [cells_step(flows, single_source=all(int(n) <= 1 for n in counts))]


def drop_descendants_sql(table: str, key: Sequence[str], levels: Sequence[int],
                         min_level: int = 1) -> str:
    """Rows of ``table`` whose code has no ancestor code (of level >= ``min_level``, among
    ``levels``) in the same ``key``: a heading total wins over its children."""
    anc_levels = sorted(lv for lv in set(levels) if lv >= min_level)
    if not anc_levels:
        return f"SELECT * FROM {table}"
    joins, nulls = [], []
    for lv in anc_levels:
        on = " AND ".join(f"a{lv}.{k} = m.{k}" for k in key)
        joins.append(f"LEFT JOIN anc a{lv} ON {on} AND m.hs_level > {lv} "
                     f"AND a{lv}.hs_code = substr(m.hs_code, 1, {lv})")
        nulls.append(f"a{lv}.hs_code IS NULL")
    return (f"WITH anc AS (SELECT DISTINCT {_cols(key)}, hs_code FROM {table})\n"
            f"SELECT m.* FROM {table} m\n" + "\n".join(joins)
            + "\nWHERE " + " AND ".join(nulls))


def ancestors_step(levels: Sequence[int]) -> SqlStep:
    """``tw_cells_anc``: cells with ``max_anc``, the level of the longest ancestor code
    (heading total) present for the same cell, 0 when none."""
    anc_levels = sorted(lv for lv in set(levels) if lv > 0)
    key = ("reporter", "partner", "flow", "period", "currency")
    if len(anc_levels) <= 1:
        return SqlStep("SELECT c.*, 0 AS max_anc FROM tw_cells c", "tw_cells_anc")
    joins, cases = [], []
    for lv in anc_levels[:-1]:
        on = " AND ".join(f"a{lv}.{k} = c.{k}" for k in key)
        joins.append(f"LEFT JOIN anc a{lv} ON {on} AND c.hs_level > {lv} "
                     f"AND a{lv}.hs_code = substr(c.hs_code, 1, {lv})")
        cases.append(f"WHEN a{lv}.hs_code IS NOT NULL THEN {lv}")
    case = "CASE " + " ".join(reversed(cases)) + " ELSE 0 END"
    sql = (f"WITH anc AS (SELECT DISTINCT {_cols(key)}, hs_code FROM tw_cells "
           "WHERE hs_level > 0)\n"
           f"SELECT c.*, {case} AS max_anc FROM tw_cells c\n" + "\n".join(joins))
    return SqlStep(sql, "tw_cells_anc")


def group_steps(prefix_lengths: Sequence[int], levels: Sequence[int], freq: str,
                ) -> list[SqlStep]:
    """Match cells to groups (``tw_group_prefixes``: group_id, prefix, plen; the prefixes
    of one group must not extend each other) and sum to the (group, flow, partner,
    reporter, period) panel ``tw_group_panel``.

    A cell counts for a group only when no ancestor code at or below the matching prefix
    is present (the heading total is used instead of its children). The group
    ``detailed`` (every detailed code) is always built: it is the all-goods reference when
    the inputs have no TOTAL rows.
    """
    cols = "c.flow, c.partner, c.reporter, c.period, c.currency, c.value, c.n_rows, " \
           "c.n_null, c.n_conf"
    parts = [
        f"SELECT g.group_id, {cols} FROM tw_cells_anc c JOIN tw_group_prefixes g "
        f"ON g.plen = {plen} AND substr(c.hs_code, 1, {plen}) = g.prefix "
        f"WHERE c.hs_level >= {plen} AND c.max_anc < {plen} AND c.freq = '{freq}'"
        for plen in sorted(set(prefix_lengths))
    ]
    parts.append(f"SELECT '{ALL_GROUP}' AS group_id, {cols} FROM tw_cells_anc c "
                 f"WHERE c.hs_level > 0 AND c.max_anc = 0 AND c.freq = '{freq}'")
    matched = "\nUNION ALL\n".join(parts)
    gkey = _cols(("group_id", "flow", "partner", "reporter", "period", "currency"))
    panel = f"""
SELECT {gkey}, SUM(value) AS y, SUM(n_rows) AS y_cells, SUM(n_null) AS y_null,
       SUM(n_conf) AS y_conf
FROM tw_group_cells
GROUP BY {gkey}
"""
    return [ancestors_step(levels), SqlStep(matched, "tw_group_cells"),
            SqlStep(panel, "tw_group_panel")]


def panel_steps(freq: str) -> list[SqlStep]:
    """``tw_base`` (detailed sum and TOTAL per reporter cell, for reporters that report
    detailed goods to the partner) and ``tw_panel`` (every requested group on that base)."""
    base = f"""
WITH d AS (
  SELECT flow, partner, reporter, period, currency, y AS detailed, y_null AS detailed_null
  FROM tw_group_panel WHERE group_id = '{ALL_GROUP}'
), t AS (
  SELECT flow, partner, reporter, period, currency, value AS total, n_null AS total_null
  FROM tw_cells WHERE hs_level = 0 AND freq = '{freq}'
), reps AS (
  SELECT DISTINCT flow, partner, reporter, currency FROM d
), j AS (
  SELECT COALESCE(d.flow, t.flow) AS flow, COALESCE(d.partner, t.partner) AS partner,
         COALESCE(d.reporter, t.reporter) AS reporter, COALESCE(d.period, t.period) AS period,
         COALESCE(d.currency, t.currency) AS currency,
         d.detailed, d.detailed_null, t.total, t.total_null
  FROM d FULL OUTER JOIN t
    ON d.flow = t.flow AND d.partner = t.partner AND d.reporter = t.reporter
   AND d.period = t.period AND d.currency = t.currency
)
SELECT j.* FROM j JOIN reps
  ON reps.flow = j.flow AND reps.partner = j.partner AND reps.reporter = j.reporter
 AND reps.currency = j.currency
"""
    panel = """
SELECT g.group_id, b.flow, b.partner, b.reporter, b.period, b.currency,
       COALESCE(p.y, 0) AS y, COALESCE(p.y_cells, 0) AS y_cells,
       COALESCE(p.y_null, 0) AS y_null, COALESCE(p.y_conf, 0) AS y_conf,
       COALESCE(b.detailed, 0) AS detailed, b.total
FROM tw_base b CROSS JOIN tw_groups g
LEFT JOIN tw_group_panel p
  ON p.group_id = g.group_id AND p.flow = b.flow AND p.partner = b.partner
 AND p.reporter = b.reporter AND p.period = b.period AND p.currency = b.currency
"""
    return [SqlStep(base, "tw_base"), SqlStep(panel, "tw_panel")]


def mixed_currency_sql() -> str:
    """(flow, partner) pairs whose cells come in more than one currency."""
    return ("SELECT flow, partner, COUNT(DISTINCT currency) AS n, MIN(currency) AS c1, "
            "MAX(currency) AS c2 FROM tw_cells GROUP BY flow, partner "
            "HAVING COUNT(DISTINCT currency) > 1 ORDER BY flow, partner")
