"""Vectorised spherical geometry for the simulator (NumPy; pure)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from armswatch.geo.distance import EARTH_RADIUS_M

FloatArray = npt.NDArray[np.float64]
M_PER_NM = 1852.0
KN_TO_MS = M_PER_NM / 3600.0


def haversine_m(lat1: FloatArray | float, lon1: FloatArray | float,
                lat2: FloatArray | float, lon2: FloatArray | float) -> FloatArray:
    """Great-circle distance in metres (broadcasting)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.minimum(1.0, a))))


def bearing_deg(lat1: FloatArray | float, lon1: FloatArray | float,
                lat2: FloatArray | float, lon2: FloatArray | float) -> FloatArray:
    """Initial true bearing from point 1 to point 2, degrees in [0, 360)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    y = np.sin(dl) * np.cos(p2)
    x = np.cos(p1) * np.sin(p2) - np.sin(p1) * np.cos(p2) * np.cos(dl)
    return np.asarray(np.degrees(np.arctan2(y, x)) % 360.0)


def offset_m(lat: FloatArray | float, lon: FloatArray | float, north_m: FloatArray | float,
             east_m: FloatArray | float) -> tuple[FloatArray, FloatArray]:
    """Move by small north/east offsets in metres (local flat approximation)."""
    lat_a = np.asarray(lat, dtype=np.float64)
    dlat = np.degrees(np.asarray(north_m) / EARTH_RADIUS_M)
    dlon = np.degrees(np.asarray(east_m) / (EARTH_RADIUS_M * np.cos(np.radians(lat_a))))
    return lat_a + dlat, np.asarray(lon, dtype=np.float64) + dlon


def wrap_lon(lon: FloatArray) -> FloatArray:
    return np.asarray((np.asarray(lon) + 180.0) % 360.0 - 180.0, dtype=np.float64)


def densify(lat: FloatArray, lon: FloatArray, step_m: float) -> tuple[FloatArray, FloatArray]:
    """Insert points so that consecutive points are at most ``step_m`` apart."""
    if lat.size < 2:
        return lat.copy(), lon.copy()
    d = haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:])
    n = np.maximum(1, np.ceil(d / step_m).astype(np.int64))
    seg = np.repeat(np.arange(lat.size - 1), n)
    start = np.repeat(np.cumsum(n) - n, n)
    frac = (np.arange(int(n.sum())) - start) / np.repeat(n, n)
    out_lat = lat[seg] + (lat[seg + 1] - lat[seg]) * frac
    out_lon = lon[seg] + (lon[seg + 1] - lon[seg]) * frac
    return np.append(out_lat, lat[-1]), np.append(out_lon, lon[-1])
