"""Geography: ports and areas of concern, distances."""

from armswatch.geo.distance import haversine_m
from armswatch.geo.ports import Port, load_ports, ports_with_role

__all__ = ["Port", "haversine_m", "load_ports", "ports_with_role"]
