"""Geography: ports and areas of concern, general port layers, land mask, distances."""

from armswatch.geo.distance import M_PER_NM, haversine_m, haversine_m_array
from armswatch.geo.land import LandMask, default_land_mask
from armswatch.geo.layers import (
    merge_layers,
    read_areas_geojson,
    read_gfw_anchorages,
    read_layer,
    read_searoute_ports,
    read_wpi_csv,
    write_ports_csv,
)
from armswatch.geo.ports import Port, load_ports, ports_with_role

__all__ = [
    "M_PER_NM",
    "LandMask",
    "Port",
    "default_land_mask",
    "haversine_m",
    "haversine_m_array",
    "load_ports",
    "merge_layers",
    "ports_with_role",
    "read_areas_geojson",
    "read_gfw_anchorages",
    "read_layer",
    "read_searoute_ports",
    "read_wpi_csv",
    "write_ports_csv",
]
