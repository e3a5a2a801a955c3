"""Networks: ship registry table, ownership graph, OFAC 50 % rule, exposure, voyages."""

from armswatch.network._exposure import EXPOSURE_SCHEMA, ExposureConfig, exposure_reference
from armswatch.network._fifty import (
    FIFTY_SCHEMA,
    FiftyTables,
    fifty_percent,
    fifty_percent_reference,
    run_fifty_percent,
)
from armswatch.network._graph import EDGE_SCHEMA, NODE_SCHEMA, OwnershipGraph, build_graph
from armswatch.network._ids import clean_imo, imo_check_ok, vessel_node_id
from armswatch.network._ownership import (
    STATUS_SCHEMA,
    OwnershipResult,
    PartyStatus,
    analyse_ownership,
)
from armswatch.network._registry_table import (
    REGISTRY_COLUMNS,
    RegistryRole,
    RegistryRow,
    RegistryTable,
    parse_registry,
    read_registry,
)

__all__ = [
    "EDGE_SCHEMA",
    "EXPOSURE_SCHEMA",
    "FIFTY_SCHEMA",
    "NODE_SCHEMA",
    "REGISTRY_COLUMNS",
    "STATUS_SCHEMA",
    "ExposureConfig",
    "FiftyTables",
    "OwnershipGraph",
    "OwnershipResult",
    "PartyStatus",
    "RegistryRole",
    "RegistryRow",
    "RegistryTable",
    "analyse_ownership",
    "build_graph",
    "clean_imo",
    "exposure_reference",
    "fifty_percent",
    "fifty_percent_reference",
    "imo_check_ok",
    "parse_registry",
    "read_registry",
    "run_fifty_percent",
    "vessel_node_id",
]
