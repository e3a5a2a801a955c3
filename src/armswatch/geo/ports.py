"""Ports and areas of concern, as data (``armswatch/data/ports_of_concern.csv``).

Every row cites its source. Users add their own areas with :func:`load_ports`'s
``extra`` files (same CSV columns).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from armswatch.errors import BadInputError
from armswatch.paths import package_data

PORT_COLUMNS = ("port_id", "name", "country", "locode", "lat", "lon", "radius_m", "roles", "source")


@dataclass(frozen=True, slots=True)
class Port:
    port_id: str
    name: str
    country: str  # ISO alpha-2
    locode: str | None
    lat: float
    lon: float
    radius_m: float
    roles: tuple[str, ...]
    source: str
    # user areas drawn as polygons: WKT of the shape; lat/lon is then its centroid and
    # radius_m the distance to its farthest vertex (a circle that contains it)
    polygon_wkt: str | None = None

    def has_role(self, role: str) -> bool:
        return role in self.roles


def read_ports_csv(path: Path) -> list[Port]:
    """Read a ports CSV (``#`` comment lines allowed) with :data:`PORT_COLUMNS`."""
    with path.open(encoding="utf-8") as fh:
        lines = [ln for ln in fh if not ln.startswith("#")]
    reader = csv.DictReader(lines)
    missing = set(PORT_COLUMNS) - set(reader.fieldnames or ())
    if missing:
        raise BadInputError(f"ports table lacks columns {sorted(missing)}", path)
    ports: list[Port] = []
    for i, row in enumerate(reader, start=2):
        try:
            lat, lon, radius = float(row["lat"]), float(row["lon"]), float(row["radius_m"])
        except ValueError as exc:
            raise BadInputError(f"bad number in ports row: {exc}", path, i) from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180 and radius > 0):
            raise BadInputError("port position or radius out of range", path, i)
        ports.append(
            Port(
                port_id=row["port_id"].strip(),
                name=row["name"].strip(),
                country=row["country"].strip(),
                locode=row["locode"].strip() or None,
                lat=lat,
                lon=lon,
                radius_m=radius,
                roles=tuple(r.strip() for r in row["roles"].split(";") if r.strip()),
                source=row["source"].strip(),
                polygon_wkt=(row.get("polygon_wkt") or "").strip() or None,
            )
        )
    return ports


@cache
def _bundled() -> tuple[Port, ...]:
    return tuple(read_ports_csv(package_data("ports_of_concern.csv")))


def load_ports(extra: Iterable[Path] = ()) -> list[Port]:
    """The bundled ports of concern plus any user-supplied tables."""
    ports = list(_bundled())
    for path in extra:
        ports.extend(read_ports_csv(path))
    return ports


def ports_with_role(role: str, ports: Iterable[Port] | None = None) -> list[Port]:
    return [p for p in (load_ports() if ports is None else ports) if p.has_role(role)]
