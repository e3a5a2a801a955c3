"""Mirror gaps: what the exporter says it shipped vs what the importer says it received.

For each (exporter, importer, product, period) the exporter's FOB exports are raised by a
CIF/FOB margin (freight and insurance) and compared with the importer's CIF imports:
``gap_value = imports - exports * (1 + margin)`` and ``gap_ratio = imports / (exports *
(1 + margin))``. A ratio well below 1 means goods recorded as leaving were not recorded as
arriving (re-routing, under-declaration, or transit to a third country); rows are flagged
``exported_never_arrived`` when the importer published imports for that period but none
for this exporter and product.

Default margin: 10 %, the conventional CIF/FOB factor of 1.10 used by the IMF Direction of
Trade Statistics for converting between import and export valuations (IMF, *Direction of
Trade Statistics Guide*); OECD/WTO estimates of actual transport and insurance costs are of
the same order (median 5-10 %). Monthly data are summed to calendar years (a year with fewer
than 12 months is flagged ``incomplete_period``) because partner statistics are often yearly.
A year in which the importer's imports from all partners fell below half of the year before
is flagged ``importer_total_fell`` (usually a partial year in the national release, not a
real collapse). Rows where one side published nothing for the period are left out unless
``keep_uncovered`` (they cannot be compared).

All relational work is SQL (see :func:`mirror_steps`); run it with any
:class:`~armswatch.engine.Backend`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import pyarrow as pa

from armswatch.engine import Backend, SqlStep
from armswatch.errors import ConfigError
from armswatch.registry import Registry
from armswatch.trade._sql import cells_step, drop_descendants_sql, sources_sql

DEFAULT_MARGIN = 0.10
#: EU members since 1 February 2020 (Eurostat aggregate EU27_2020), ISO alpha-3.
EU27 = ("AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC",
        "HUN", "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK",
        "SVN", "ESP", "SWE")

MIRROR_METHODS: Registry[Callable[..., pa.Table]] = Registry("trade mirror")


@dataclass(frozen=True)
class MirrorConfig:
    """Settings of the mirror comparison."""

    margin: float = DEFAULT_MARGIN  # CIF/FOB margin added to exports
    tolerance: float = 0.25  # |ratio - 1| within this is "consistent"
    level: int | None = None  # product level compared; None = TOTAL when both sides have it, else 6
    annual: bool = True  # sum monthly data to calendar years
    keep_uncovered: bool = False  # keep rows where one side published nothing that period
    groups: Mapping[str, Sequence[str]] = field(default_factory=lambda: {"EU27": EU27})

    def __post_init__(self) -> None:
        if not 0 <= self.margin < 1:
            raise ConfigError(f"CIF/FOB margin must be in [0, 1), got {self.margin}")
        if self.tolerance <= 0:
            raise ConfigError("mirror tolerance must be positive")


MIRROR_COLUMNS = (
    "exporter", "importer", "hs_code", "hs_level", "period", "export_value", "import_value",
    "export_currency", "import_currency", "margin", "expected_import", "gap_value", "gap_ratio",
    "raw_ratio", "export_periods", "export_cells", "import_cells", "suppressed_cells",
    "is_group", "flags",
)


def _side_sql(flow: str, level: int, annual: bool, grouped: bool, levels: Sequence[int]) -> str:
    """Cells of one side (exports: reporter = exporter; imports: partner = exporter)."""
    exporter, importer = ("reporter", "partner") if flow == "export" else ("partner", "reporter")
    pre = "x" if flow == "export" else "m"
    period = "substr(c.period, 1, 4)" if annual else "c.period"
    code = "'TOTAL'" if level == 0 else f"substr(c.hs_code, 1, {level})"
    src = f"tw_mirror_{pre}_cells"
    # the exporter column of the group version is the group's name
    who = "g.grp" if grouped else f"c.{exporter}"
    join = f"JOIN tw_country_groups g ON g.member = c.{exporter}" if grouped else ""
    return f"""
SELECT {who} AS exporter, c.{importer} AS importer, {code} AS hs_code, {period} AS period,
       MIN(c.currency) AS {pre}_currency, MAX(c.currency) AS {pre}_currency_max,
       SUM(c.value) AS {pre}_value, SUM(c.n_rows) AS {pre}_cells,
       SUM(c.n_null) + SUM(c.n_conf) AS {pre}_suppressed,
       COUNT(DISTINCT c.period) AS {pre}_periods, MAX(c.freq) AS {pre}_freq
FROM {src} c {join}
GROUP BY {who}, c.{importer}, {code}, {period}
"""


def mirror_steps(config: MirrorConfig, level: int, levels: Sequence[int],
                 flows_table: str = "tw_flows", single_source: bool = False) -> list[SqlStep]:
    """SQL steps producing ``tw_mirror`` (see :data:`MIRROR_COLUMNS`).

    ``levels`` are the product levels present in the inputs (for dropping CN8 children of
    heading totals); ``tw_country_groups`` (grp, member) must be registered.
    """
    m = config.margin
    steps = [cells_step(flows_table, single_source=single_source)]
    key = ("reporter", "partner", "flow", "period", "currency")
    for pre, flow in (("x", "export"), ("m", "import")):
        if level == 0:
            cells = f"SELECT * FROM tw_cells WHERE flow = '{flow}' AND hs_level = 0"
        else:
            base = f"tw_{pre}_lvl"
            steps.append(SqlStep(f"SELECT * FROM tw_cells WHERE flow = '{flow}' "
                                 f"AND hs_level >= {level}", base))
            cells = drop_descendants_sql(base, key, levels, min_level=level)
        steps.append(SqlStep(cells, f"tw_mirror_{pre}_cells"))
        single = _side_sql(flow, level, config.annual, False, levels)
        grouped = _side_sql(flow, level, config.annual, True, levels)
        steps.append(SqlStep(f"SELECT *, 0 AS is_group FROM ({single}) s UNION ALL "
                             f"SELECT *, 1 AS is_group FROM ({grouped}) g", f"tw_mirror_{pre}"))
    period = "substr(period, 1, 4)" if config.annual else "period"
    steps.append(SqlStep(
        f"SELECT reporter AS country, {period} AS period, SUM(value) AS total "
        "FROM tw_mirror_m_cells GROUP BY reporter, " + period, "tw_mirror_m_tot"))
    prev = ("LEFT JOIN tw_mirror_m_tot p ON p.country = t.country "
            "AND CAST(p.period AS INTEGER) = CAST(t.period AS INTEGER) - 1"
            if config.annual else "LEFT JOIN tw_mirror_m_tot p ON 1 = 0")
    steps.append(SqlStep(
        f"SELECT t.country, t.period, t.total, p.total AS prev_total FROM tw_mirror_m_tot t {prev}",
        "tw_mirror_m_cov"))
    steps.append(SqlStep(
        f"SELECT DISTINCT reporter AS country, {period} AS period FROM tw_cells "
        "WHERE flow = 'export' UNION SELECT DISTINCT g.grp AS country, "
        f"{period.replace('period', 'c.period')} AS period FROM tw_cells c JOIN "
        "tw_country_groups g ON g.member = c.reporter WHERE c.flow = 'export'",
        "tw_mirror_x_cov"))
    tol_lo, tol_hi = 1 / (1 + config.tolerance), 1 + config.tolerance
    annual_incomplete = ("CASE WHEN x_freq = 'M' AND x_periods < 12 "
                         "THEN 'incomplete_period;' ELSE '' END" if config.annual else "''")
    join = f"""
WITH j AS (
  SELECT COALESCE(x.exporter, m.exporter) AS exporter, COALESCE(x.importer, m.importer) AS importer,
         COALESCE(x.hs_code, m.hs_code) AS hs_code, COALESCE(x.period, m.period) AS period,
         COALESCE(x.is_group, m.is_group) AS is_group,
         x.x_value, m.m_value, x.x_currency, x.x_currency_max, m.m_currency, m.m_currency_max,
         x.x_cells, m.m_cells, x.x_suppressed, m.m_suppressed, x.x_periods, x.x_freq
  FROM tw_mirror_x x FULL OUTER JOIN tw_mirror_m m
    ON x.exporter = m.exporter AND x.importer = m.importer AND x.hs_code = m.hs_code
   AND x.period = m.period AND x.is_group = m.is_group
), k AS (
  SELECT j.*,
    CASE WHEN j.x_currency <> j.x_currency_max OR j.m_currency <> j.m_currency_max
           OR j.x_currency <> j.m_currency THEN 1 ELSE 0 END AS cur_bad,
    CASE WHEN mc.country IS NULL THEN 0 ELSE 1 END AS importer_reports,
    CASE WHEN xc.country IS NULL THEN 0 ELSE 1 END AS exporter_reports,
    CASE WHEN mc.prev_total > 0 AND mc.total < 0.5 * mc.prev_total THEN 1 ELSE 0 END
      AS importer_fell
  FROM j
  LEFT JOIN tw_mirror_m_cov mc ON mc.country = j.importer AND mc.period = j.period
  LEFT JOIN tw_mirror_x_cov xc ON xc.country = j.exporter AND xc.period = j.period
), g AS (
  SELECT k.*,
    CASE WHEN cur_bad = 0 AND x_value IS NOT NULL AND m_value IS NOT NULL
         THEN x_value * {1 + m} END AS expected_import
  FROM k
)
SELECT exporter, importer, hs_code,
  CAST(CASE WHEN hs_code = 'TOTAL' THEN 0 ELSE length(hs_code) END AS INTEGER) AS hs_level,
  period, x_value AS export_value, m_value AS import_value,
  x_currency AS export_currency, m_currency AS import_currency, {m} AS margin, expected_import,
  m_value - expected_import AS gap_value,
  CASE WHEN expected_import > 0 THEN m_value / expected_import END AS gap_ratio,
  CASE WHEN cur_bad = 0 AND x_value > 0 THEN m_value / x_value END AS raw_ratio,
  x_periods AS export_periods, COALESCE(x_cells, 0) AS export_cells,
  COALESCE(m_cells, 0) AS import_cells,
  COALESCE(x_suppressed, 0) + COALESCE(m_suppressed, 0) AS suppressed_cells, is_group,
  concat(
    CASE WHEN cur_bad = 1 THEN 'currency_mismatch;' ELSE '' END,
    CASE WHEN x_value > 0 AND COALESCE(m_value, 0) = 0 AND importer_reports = 1
         THEN 'exported_never_arrived;' ELSE '' END,
    CASE WHEN m_value > 0 AND COALESCE(x_value, 0) = 0 AND exporter_reports = 1
         THEN 'arrived_never_exported;' ELSE '' END,
    CASE WHEN importer_reports = 0 THEN 'no_importer_report;' ELSE '' END,
    CASE WHEN exporter_reports = 0 THEN 'no_exporter_report;' ELSE '' END,
    CASE WHEN expected_import > 0 AND m_value > 0 AND m_value / expected_import < {tol_lo}
         THEN 'imports_below_exports;' ELSE '' END,
    CASE WHEN expected_import > 0 AND m_value / expected_import > {tol_hi}
         THEN 'imports_above_exports;' ELSE '' END,
    {annual_incomplete},
    CASE WHEN importer_fell = 1 THEN 'importer_total_fell;' ELSE '' END,
    CASE WHEN COALESCE(x_suppressed, 0) + COALESCE(m_suppressed, 0) > 0
         THEN 'suppressed_cells;' ELSE '' END
  ) AS flags
FROM g
{"" if config.keep_uncovered else "WHERE importer_reports = 1 AND exporter_reports = 1"}
"""
    steps.append(SqlStep(join, "tw_mirror"))
    return steps


def choose_level(flows_levels_by_flow: Mapping[str, set[int]], config: MirrorConfig) -> int:
    """The product level compared: TOTAL when both sides publish totals, else HS6."""
    if config.level is not None:
        return config.level
    x = flows_levels_by_flow.get("export", set())
    m = flows_levels_by_flow.get("import", set())
    if 0 in x and 0 in m:
        return 0
    common = [lv for lv in (6, 4, 2) if any(v >= lv for v in x) and any(v >= lv for v in m)]
    return common[0] if common else 0


@MIRROR_METHODS.register("mirror-gap", "1", default=True)
def mirror_gaps(backend: Backend, flows: pa.Table, config: MirrorConfig | None = None,
                ) -> pa.Table:
    """Compute mirror gaps for a tidy flow table (see :data:`MIRROR_COLUMNS`)."""
    cfg = config or MirrorConfig()
    backend.register("tw_flows", flows)
    groups = pa.table({
        "grp": pa.array([g for g, ms in cfg.groups.items() for _ in ms], pa.string()),
        "member": pa.array([mm for ms in cfg.groups.values() for mm in ms], pa.string()),
    })
    backend.register("tw_country_groups", groups)
    levels_tbl = backend.to_arrow(
        "SELECT DISTINCT flow, hs_level FROM tw_flows WHERE flow IN ('export', 'import')")
    by_flow: dict[str, set[int]] = {}
    for row in levels_tbl.to_pylist():
        by_flow.setdefault(row["flow"], set()).add(int(row["hs_level"]))
    level = choose_level(by_flow, cfg)
    all_levels = sorted({lv for s in by_flow.values() for lv in s if lv > 0})
    single = all(int(n) <= 1 for n in backend.to_arrow(sources_sql("tw_flows")).column("n")
                 .to_pylist())
    backend.run(mirror_steps(cfg, level, all_levels, single_source=single))
    return backend.to_arrow(
        "SELECT * FROM tw_mirror ORDER BY is_group DESC, importer, exporter, hs_code, period")
