"""SQL constructs detectors use, written once in the DuckDB dialect, run on every engine.

Each case reads the tables ``pos`` (positions) and ``stat`` (static reports) from
``_data.py``. Add a case whenever a detector needs a construct not yet covered: the
contract test then proves DuckDB and Spark agree on it (or shows the rewrite needed).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    name: str
    sql: str
    json_columns: tuple[str, ...] = ()
    # epoch() of a TIMESTAMPTZ may differ in its last bit between engines (see scale.md);
    # cases that subtract two epoch() values allow for it
    rel_tol: float = 1e-9


_LAGGED = """
WITH d AS (SELECT DISTINCT * FROM pos),
l AS (
  SELECT mmsi, ts_utc, lat, lon,
         lag(ts_utc) OVER w AS prev_ts, lag(lat) OVER w AS prev_lat, lag(lon) OVER w AS prev_lon,
         lead(ts_utc) OVER w AS next_ts
  FROM d WINDOW w AS (PARTITION BY mmsi ORDER BY ts_utc)
)
"""

_HAVERSINE = """2 * 6371008.8 * asin(least(1.0, sqrt(
    pow(sin(radians(lat - prev_lat) / 2), 2)
    + cos(radians(prev_lat)) * cos(radians(lat)) * pow(sin(radians(lon - prev_lon) / 2), 2))))"""

CASES: tuple[Case, ...] = (
    Case("lag_lead_window", _LAGGED + """
SELECT mmsi, ts_utc, prev_ts, next_ts, epoch(ts_utc) - epoch(prev_ts) AS dt_s,
       (epoch_us(ts_utc) - epoch_us(prev_ts)) / 1e6 AS dt_exact_s FROM l""", rel_tol=1e-8),
    Case("gap_detection", _LAGGED + """
SELECT mmsi, prev_ts AS start_utc, ts_utc AS end_utc, prev_lat AS lat, prev_lon AS lon,
       lat AS end_lat, lon AS end_lon, (epoch(ts_utc) - epoch(prev_ts)) / 3600.0 AS hours
FROM l WHERE epoch(ts_utc) - epoch(prev_ts) >= 12 * 3600"""),
    Case("epoch_family", """
SELECT mmsi, epoch(ts_utc) AS s, epoch_ms(ts_utc) AS ms, epoch_us(ts_utc) AS us,
       make_timestamp(epoch_us(ts_utc) + 1500000) AS plus_1_5s,
       to_timestamp(epoch(ts_utc) + 3600) AS plus_1h,
       extract(epoch FROM ts_utc) AS s2
FROM pos"""),
    Case("numeric_literals", """
SELECT mmsi, epoch_us(ts_utc) / 1e6 AS s, heading_deg / 2.5 AS dec_div, heading_deg / 2 AS int_div,
       heading_deg * 0.5 AS dec_mul, CAST(heading_deg AS DOUBLE) / 3 AS dbl, 7 / 2 AS lit_div,
       sog_kn * 1.852 AS kmh
FROM pos"""),
    Case("interval_arithmetic", """
SELECT mmsi, ts_utc + INTERVAL 12 HOUR AS a, ts_utc - INTERVAL '30' MINUTE AS b,
       ts_utc + INTERVAL 1 DAY AS c FROM pos"""),
    Case("date_trunc_and_format", """
SELECT mmsi, date_trunc('day', ts_utc) AS day, date_trunc('hour', ts_utc) AS hour,
       date_trunc('month', ts_utc) AS month, CAST(ts_utc AS DATE) AS d,
       strftime(ts_utc, '%Y-%m-%d') AS day_s, strftime(ts_utc, '%Y-%m-%dT%H:%M:%S.%fZ') AS iso,
       strftime(ts_utc, '%d/%m/%y %H:%M') AS short_s
FROM pos"""),
    Case("date_diff_boundaries", _LAGGED + """
SELECT mmsi, date_diff('second', prev_ts, ts_utc) AS s, date_diff('minute', prev_ts, ts_utc) AS m,
       date_diff('hour', prev_ts, ts_utc) AS h, date_diff('day', prev_ts, ts_utc) AS d,
       datediff('month', prev_ts, ts_utc) AS mo, date_diff('year', prev_ts, ts_utc) AS y
FROM l WHERE prev_ts IS NOT NULL"""),
    Case("date_parts", """
SELECT mmsi, ts_utc, date_part('hour', ts_utc) AS h, extract(minute FROM ts_utc) AS mi,
       dayofweek(ts_utc) AS dow, isodow(ts_utc) AS isodow, year(ts_utc) AS y,
       month(ts_utc) AS mo, day(ts_utc) AS dd, dayofyear(ts_utc) AS doy
FROM pos"""),
    Case("grid_cells_floor", """
SELECT mmsi, lat, lon, CAST(floor(lat / 0.01) AS BIGINT) AS cell_lat,
       CAST(floor(lon / 0.01) AS BIGINT) AS cell_lon, CAST(floor(lat) AS INTEGER) AS lat_i,
       CAST(ceil(lon) AS INTEGER) AS lon_c, CAST(round(lat * 10) AS BIGINT) AS lat_r
FROM pos WHERE lat IS NOT NULL"""),
    Case("haversine_consecutive", _LAGGED + f"""
SELECT mmsi, ts_utc, {_HAVERSINE} AS dist_m,
       {_HAVERSINE} / 1852.0 / nullif((epoch(ts_utc) - epoch(prev_ts)) / 3600.0, 0) AS speed_kn
FROM l WHERE prev_lat IS NOT NULL AND lat IS NOT NULL""", rel_tol=1e-8),
    Case("grid_self_join_encounter", """
WITH p AS (
  SELECT mmsi, ts_utc, lat, lon, CAST(floor(lat / 0.01) AS BIGINT) AS cy,
         CAST(floor(lon / 0.01) AS BIGINT) AS cx, CAST(floor(epoch(ts_utc) / 3600) AS BIGINT) AS hb
  FROM (SELECT DISTINCT * FROM pos) WHERE lat IS NOT NULL
),
n AS (
  SELECT p.*, dy, dx FROM p CROSS JOIN (VALUES (-1), (0), (1)) AS a(dy)
  CROSS JOIN (VALUES (-1), (0), (1)) AS b(dx)
)
SELECT a.mmsi, b.mmsi AS other_mmsi, a.ts_utc, b.ts_utc AS other_ts,
       2 * 6371008.8 * asin(least(1.0, sqrt(pow(sin(radians(b.lat - a.lat) / 2), 2)
         + cos(radians(a.lat)) * cos(radians(b.lat)) * pow(sin(radians(b.lon - a.lon) / 2), 2))))
         AS dist_m
FROM p AS a JOIN n AS b
  ON a.cy = b.cy + b.dy AND a.cx = b.cx + b.dx AND a.hb = b.hb AND a.mmsi < b.mmsi
WHERE abs(epoch(a.ts_utc) - epoch(b.ts_utc)) <= 1800"""),
    Case("qualify_latest", """
SELECT mmsi, ts_utc, lat, lon FROM pos
QUALIFY row_number() OVER (PARTITION BY mmsi ORDER BY ts_utc DESC) = 1"""),
    Case("row_number_subquery", """
SELECT * FROM (
  SELECT mmsi, ts_utc, row_number() OVER (PARTITION BY mmsi ORDER BY ts_utc) AS rn,
         rank() OVER (ORDER BY mmsi) AS rk, dense_rank() OVER (ORDER BY mmsi) AS drk,
         count(*) OVER (PARTITION BY mmsi) AS n
  FROM (SELECT DISTINCT mmsi, ts_utc FROM pos)
) WHERE rn <= 3"""),
    Case("median_quantiles", """
SELECT mmsi, median(sog_kn) AS med, quantile_cont(sog_kn, 0.9) AS p90,
       quantile_disc(sog_kn, 0.5) AS pd50, quantile_disc(sog_kn, 0.25) AS pd25,
       percentile_cont(0.25) WITHIN GROUP (ORDER BY sog_kn) AS p25,
       percentile_disc(0.75) WITHIN GROUP (ORDER BY sog_kn) AS pd75
FROM pos GROUP BY mmsi"""),
    Case("median_window", """
SELECT DISTINCT mmsi, median(sog_kn) OVER (PARTITION BY mmsi) AS med FROM pos"""),
    Case("ordered_lists", """
SELECT mmsi, list(source ORDER BY ts_utc, source) AS sources,
       list(sog_kn ORDER BY ts_utc DESC) AS sogs_desc,
       list(nav_status ORDER BY nav_status NULLS FIRST, ts_utc) AS navs,
       list_sort(list(DISTINCT source)) AS distinct_sources,
       string_agg(source, ',' ORDER BY ts_utc DESC, source) AS joined,
       array_length(list(lat ORDER BY ts_utc)) AS n_with_nulls
FROM pos GROUP BY mmsi"""),
    Case("ordered_list_filter", """
SELECT mmsi, list(ts_utc ORDER BY ts_utc) FILTER (WHERE sog_kn < 2) AS slow_times
FROM pos GROUP BY mmsi"""),
    Case("string_functions", """
SELECT mmsi, lower(name) AS lo, upper(name) AS up, trim(name) AS tr,
       regexp_replace(name, '[^A-Z]', '', 'g') AS only_latin, name || '/' || callsign AS cat,
       concat(name, callsign) AS cat2, concat_ws('-', name, callsign) AS cat3,
       substr(callsign, 2, 2) AS sub, length(name) AS len, split_part(callsign, 'X', 1) AS sp,
       starts_with(callsign, 'UB') AS sw, contains(destination, 'STOCH') AS ct,
       name ILIKE 'ma%' AS il, name LIKE 'M%' AS lk, md5(callsign) AS h, sha256(callsign) AS h2,
       regexp_matches(callsign, '^UB[0-9]X') AS rm, regexp_extract(callsign, 'X([0-9])', 1) AS rx,
       replace(destination, 'O', '0') AS rp, lpad(CAST(imo AS VARCHAR), 9, '0') AS padded,
       regexp_replace(destination, 'o', '*', 'gi') AS ci, reverse(callsign) AS rev,
       left(callsign, 2) AS l2, right(callsign, 2) AS r2, strpos(callsign, 'X') AS pos
FROM stat"""),
    Case("cte_union_all", """
WITH a AS (SELECT mmsi, 'pos' AS kind, count(*) AS n FROM pos GROUP BY mmsi),
     b AS (SELECT mmsi, 'stat' AS kind, count(*) AS n FROM stat GROUP BY mmsi)
SELECT * FROM a UNION ALL SELECT * FROM b UNION ALL SELECT 0 AS mmsi, 'none' AS kind, 0 AS n"""),
    Case("union_distinct_except_intersect", """
SELECT mmsi FROM pos UNION SELECT mmsi FROM stat
EXCEPT SELECT 445112000 AS mmsi
INTERSECT SELECT mmsi FROM stat"""),
    Case("case_when", """
SELECT mmsi, ts_utc, CASE WHEN sog_kn IS NULL THEN 'unknown' WHEN sog_kn < 2 THEN 'slow'
  WHEN sog_kn < 10 THEN 'cruise' ELSE 'fast' END AS speed_class,
  CASE nav_status WHEN 1 THEN 'anchored' WHEN 5 THEN 'moored' ELSE 'other' END AS nav
FROM pos"""),
    Case("aggregates_filter", """
SELECT mmsi, count(*) AS n, count(lat) AS n_pos, count(*) FILTER (WHERE sog_kn < 2) AS n_slow,
       count_if(accuracy) AS n_acc, bool_or(sog_kn > 10) AS any_fast,
       bool_and(lat IS NOT NULL) AS all_pos, count(DISTINCT source) AS n_src,
       arg_max(lat, ts_utc) AS last_lat, arg_min(lon, ts_utc) AS first_lon,
       min(ts_utc) AS first_ts, max(ts_utc) AS last_ts, avg(sog_kn) AS mean_sog,
       CAST(sum(heading_deg) AS BIGINT) AS sum_hdg, stddev_samp(sog_kn) AS sd,
       var_pop(cog_deg) AS vp,
       CASE WHEN stddev_pop(lat) > 0 AND stddev_pop(lon) > 0 THEN corr(lat, lon) END AS r
FROM (SELECT DISTINCT * FROM pos) GROUP BY mmsi HAVING count(*) > 5"""),
    Case("null_functions", """
SELECT mmsi, coalesce(sog_kn, -1) AS s, nullif(nav_status, 0) AS nz, ifnull(lat, 0) AS la,
       greatest(lat, lon) AS g, least(lat, lon, 0) AS l, lat IS DISTINCT FROM lon AS d,
       sog_kn IS NULL AS isn, try_cast(source AS INTEGER) AS tc
FROM pos"""),
    Case("window_frames", """
SELECT mmsi, ts_utc,
  sum(sog_kn) OVER (PARTITION BY mmsi ORDER BY ts_utc ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
    AS sum3,
  avg(sog_kn) OVER (PARTITION BY mmsi) AS avg_all,
  count(*) OVER (PARTITION BY mmsi ORDER BY ts_utc ROWS UNBOUNDED PRECEDING) AS running_n,
  first_value(lat) OVER (PARTITION BY mmsi ORDER BY ts_utc) AS first_lat,
  last_value(lat) OVER (PARTITION BY mmsi ORDER BY ts_utc
    ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS last_lat,
  lag(sog_kn, 2, -1.0) OVER (PARTITION BY mmsi ORDER BY ts_utc) AS lag2,
  lag(lat IGNORE NULLS) OVER (PARTITION BY mmsi ORDER BY ts_utc) AS prev_known_lat,
  max(sog_kn) OVER (PARTITION BY mmsi ORDER BY epoch(ts_utc)
    RANGE BETWEEN 3600 PRECEDING AND CURRENT ROW) AS max_sog_1h
FROM (SELECT DISTINCT * FROM pos)"""),
    Case("segments_running_sum", _LAGGED + """
, f AS (SELECT *, CASE WHEN prev_ts IS NULL OR epoch(ts_utc) - epoch(prev_ts) > 6 * 3600
                  THEN 1 ELSE 0 END AS new_seg FROM l)
SELECT mmsi, ts_utc, sum(new_seg) OVER (PARTITION BY mmsi ORDER BY ts_utc
  ROWS UNBOUNDED PRECEDING) AS segment FROM f"""),
    Case("json_details", """
SELECT mmsi, json_object('n', count(*), 'mean_sog', avg(sog_kn), 'src', min(source),
  'none', NULL, 'nested', json_object('first', strftime(min(ts_utc), '%Y-%m-%dT%H:%M:%SZ'),
  'no_nav', (max(nav_status) IS NULL))) AS details
FROM pos GROUP BY mmsi""", json_columns=("details",)),
    Case("joins_and_subqueries", """
SELECT p.mmsi, p.ts_utc, s.name, s.imo FROM pos AS p
LEFT JOIN stat AS s ON s.mmsi = p.mmsi AND s.ts_utc <= p.ts_utc
WHERE p.mmsi IN (SELECT mmsi FROM stat WHERE imo IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM stat AS t WHERE t.mmsi = p.mmsi AND t.ts_utc > s.ts_utc
                  AND t.ts_utc <= p.ts_utc)"""),
    Case("anti_semi_join", """
SELECT DISTINCT p.mmsi FROM pos AS p ANTI JOIN (SELECT mmsi FROM stat WHERE imo IS NULL) AS s
  ON p.mmsi = s.mmsi
UNION ALL
SELECT DISTINCT p.mmsi FROM pos AS p SEMI JOIN stat AS s ON p.mmsi = s.mmsi AND s.imo > 9000050"""),
    Case("exclude_and_group_by_all", """
SELECT * EXCLUDE (cog_deg, heading_deg, rot), mmsi // 1000000 AS mid, mmsi % 1000 AS tail
FROM pos WHERE nav_status = 3"""),
    Case("group_by_all", """
SELECT mmsi // 1000000 AS mid, source, count(*) AS n FROM pos GROUP BY ALL"""),
    Case("math_functions", """
SELECT mmsi, ln(abs(lat) + 1) AS ln_, log(abs(lat) + 1) AS log_, log10(abs(lat) + 1) AS l10,
       log2(abs(lat) + 1) AS l2, exp(lat / 100) AS ex, sqrt(abs(lon)) AS sq, cbrt(lon) AS cb,
       pow(lat, 2) AS p2, lat ^ 2 AS p2b, atan2(lat, lon) AS at, degrees(atan2(lat, lon)) AS deg,
       pi() * 2 AS tau, sign(lon) AS sg, abs(lon) AS ab, mod(heading_deg, 7) AS md,
       (heading_deg + 360) % 360 AS wrap, (cog_deg - 180) % 360 AS wrapneg
FROM pos WHERE lat IS NOT NULL"""),
    Case("literals_and_comparisons", """
SELECT mmsi, ts_utc FROM pos
WHERE ts_utc >= TIMESTAMPTZ '2024-03-10 00:00:00+00' AND ts_utc < TIMESTAMP '2024-03-10 12:00:00'
  AND CAST(ts_utc AS DATE) = DATE '2024-03-10' AND source IN ('sat', 'terr')"""),
    Case("unnest_and_values", """
SELECT mmsi, u.h FROM (SELECT DISTINCT mmsi FROM pos) CROSS JOIN
  (SELECT unnest([0, 6, 12, 18]) AS h) AS u
UNION ALL SELECT v.a, v.b FROM (VALUES (1, 2), (3, 4)) AS v(a, b)"""),
    Case("distinct_on", """
SELECT DISTINCT ON (mmsi) mmsi, ts_utc, lat FROM pos ORDER BY mmsi, ts_utc DESC"""),
    Case("order_limit", """
SELECT mmsi, ts_utc FROM pos ORDER BY ts_utc DESC, mmsi LIMIT 5"""),
    Case("inf_nan_checks", """
SELECT mmsi, isnan(sog_kn) AS nan_, isinf(CAST(sog_kn AS DOUBLE) / 0.0001) AS inf_,
       isfinite(sog_kn) AS fin FROM pos"""),
    Case("static_identity_changes", """
WITH s AS (SELECT mmsi, ts_utc, name, callsign, imo,
  lag(name) OVER (PARTITION BY mmsi ORDER BY ts_utc) AS prev_name,
  lag(imo) OVER (PARTITION BY mmsi ORDER BY ts_utc) AS prev_imo FROM stat)
SELECT mmsi, ts_utc, prev_name, name, prev_imo, imo FROM s
WHERE prev_name IS DISTINCT FROM name OR prev_imo IS DISTINCT FROM imo"""),
    Case("casts", """
SELECT mmsi, CAST(mmsi AS VARCHAR) AS s, CAST(heading_deg AS DOUBLE) AS d,
       CAST(sog_kn AS DOUBLE) AS sog_d, CAST(nav_status AS BIGINT) AS b, accuracy::INTEGER AS acc,
       CAST('12' AS INTEGER) + 1 AS lit, CAST(lat AS DECIMAL(10, 4)) AS dec
FROM pos"""),
    Case("day_partition_column", """
SELECT strftime(ts_utc, '%Y-%m-%d') AS day, mmsi, count(*) AS n, min(ts_utc) AS first_ts
FROM pos GROUP BY 1, 2"""),
)

# SQL that must be refused (no faithful translation): (sql, words expected in the message)
UNPORTABLE: tuple[tuple[str, str], ...] = (
    ("SELECT hash(mmsi) AS h FROM pos", "md5"),
    ("SELECT time_bucket(INTERVAL '10 minutes', ts_utc) AS b FROM pos", "time_bucket"),
    ("SELECT * FROM pos ASOF JOIN stat ON pos.mmsi = stat.mmsi AND pos.ts_utc >= stat.ts_utc",
     "ASOF"),
    ("SELECT regexp_replace(name, 'A', 'B') AS r FROM stat", "'g'"),
    ("SELECT list(source) AS l FROM pos GROUP BY mmsi", "ORDER BY"),
    ("SELECT string_agg(source, ',') AS l FROM pos GROUP BY mmsi", "ORDER BY"),
    ("SELECT count(*) FROM pos", "alias"),
    ("SELECT mmsi FROM pos LIMIT 3", "LIMIT"),
    ("SELECT approx_quantile(sog_kn, 0.5) AS q FROM pos", "approximate"),
    ("SELECT CAST(mmsi AS HUGEINT) AS h FROM pos", "type"),
    ("SELECT date_diff('week', ts_utc, ts_utc) AS w FROM pos", "WEEK"),
    ("SELECT strftime(ts_utc, '%Y %z') AS s FROM pos", "%z"),
    ("SELECT ts_utc + INTERVAL (nav_status) HOUR AS t FROM pos", "INTERVAL"),
    ("SELECT * FROM range(3) AS r(i)", "range"),
    ("SELECT name SIMILAR TO 'A.*' AS s FROM stat", "SIMILAR"),
    ("SELECT format('{}', mmsi) AS f FROM pos", "format"),
    ("SELECT epoch_ns(ts_utc) AS n FROM pos", "nanoseconds"),
    ("SELECT quantile_cont(sog_kn, [0.1, 0.9]) AS q FROM pos", "fraction"),
)
