"""Portable SQL fragments (DuckDB dialect, transpiled for Spark by the engine).

No spatial extension: distances are the haversine formula written with plain SQL math
functions, and proximity searches are equi-joins on grid cells.
"""

from __future__ import annotations

from armswatch.geo.distance import EARTH_RADIUS_M

# Port proximity grid: 0.1 degree cells (integer multiplier keeps Python and SQL cells equal).
PORT_CELLS_PER_DEG = 10


def lit(x: float) -> str:
    """A DOUBLE literal (``600.0`` would be a DECIMAL in DuckDB: slow, and mixed with
    integers it stays DECIMAL; ``600.0e0`` is a double in DuckDB and Spark)."""
    text = repr(float(x))
    return text if "e" in text or "E" in text else text + "e0"


def hav_m(lat1: str, lon1: str, lat2: str, lon2: str) -> str:
    """Great-circle distance in metres between two positions given as SQL expressions."""
    return (
        f"({lit(2 * EARTH_RADIUS_M)} * ASIN(LEAST(1.0e0, SQRT("
        f"POWER(SIN(RADIANS(({lat2}) - ({lat1})) / 2), 2) + "
        f"COS(RADIANS({lat1})) * COS(RADIANS({lat2})) * "
        f"POWER(SIN(RADIANS(({lon2}) - ({lon1})) / 2), 2)))))"
    )


def port_cell_y(lat: str) -> str:
    return f"CAST(FLOOR(({lat}) * {PORT_CELLS_PER_DEG}) AS BIGINT)"


def port_cell_x(lon: str) -> str:
    top = 180 * PORT_CELLS_PER_DEG - 1
    return f"LEAST(CAST(FLOOR(({lon}) * {PORT_CELLS_PER_DEG}) AS BIGINT), {top})"


def near_port_sql(points: str, lat: str, lon: str, cells: str, ports: str = "aw_ports") -> str:
    """Rows of ``points`` joined to every port whose reach covers them.

    Adds ``port_idx`` and ``port_dist_m`` (distance to the port's centre). ``cells`` is a
    table made by :meth:`Context.port_cells` (cy, cx, port_idx, reach_m).
    """
    d = hav_m(f"x.{lat}", f"x.{lon}", "p.lat", "p.lon")
    return (
        f"SELECT x.*, c.port_idx, {d} AS port_dist_m "
        f"FROM {points} x "
        f"JOIN {cells} c ON c.cy = {port_cell_y('x.' + lat)} AND c.cx = {port_cell_x('x.' + lon)} "
        f"JOIN {ports} p ON p.port_idx = c.port_idx "
        f"WHERE {d} <= c.reach_m"
    )


def not_near_port_sql(points: str, keys: list[str], lat: str, lon: str, cells: str) -> str:
    """Rows of ``points`` (unique on ``keys``) that no port in ``cells`` reaches."""
    on = " AND ".join(f"x.{k} = n.{k}" for k in keys)
    sel = ", ".join(keys)
    inner = near_port_sql(points, lat, lon, cells)
    return (
        f"SELECT x.* FROM {points} x LEFT JOIN (SELECT DISTINCT {sel} FROM ({inner}) q) n ON {on} "
        f"WHERE n.{keys[0]} IS NULL"
    )


def islands_sql(source: str, partition: list[str], order: str, new_group: str) -> str:
    """Number runs (gaps-and-islands): ``grp`` increments where ``new_group`` holds.

    ``new_group`` may use ``prev_<order>``-style columns computed by the caller.
    """
    part = ", ".join(partition)
    return (
        f"SELECT *, SUM(CASE WHEN {new_group} THEN 1 ELSE 0 END) OVER ("
        f"PARTITION BY {part} ORDER BY {order} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW"
        f") AS grp FROM {source}"
    )


def quote_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def nn(col: str, key: str = "k") -> str:
    """Ordering key for MIN_BY/MAX_BY that skips rows where ``col`` is null: DuckDB's
    arg_min/arg_max skip a null value, Spark's min_by/max_by return it."""
    return f"CASE WHEN {col} IS NOT NULL THEN {key} END"
