"""Networks: ship registry table, ownership graph, OFAC 50 % rule, exposure, voyages."""

from armswatch.network._deliveries import (
    Delivery,
    DeliveryConfig,
    Leg,
    deliveries_by_month,
    find_deliveries,
)
from armswatch.network._example import map_example_registry
from armswatch.network._exposure import EXPOSURE_SCHEMA, ExposureConfig, exposure_reference
from armswatch.network._fifty import (
    FIFTY_SCHEMA,
    FiftyTables,
    fifty_percent,
    fifty_percent_reference,
    run_fifty_percent,
)
from armswatch.network._fifty_examples import FIFTY_EXAMPLES, FiftyExample
from armswatch.network._graph import EDGE_SCHEMA, NODE_SCHEMA, OwnershipGraph, build_graph
from armswatch.network._identity import (
    AisIdentity,
    IdentityResult,
    ListMatch,
    VesselRecord,
    group_identities,
    match_vessels,
    resolve_identities,
)
from armswatch.network._identity_fuzzy import screening_matcher
from armswatch.network._ids import clean_imo, imo_check_ok, normalise_flag, vessel_node_id
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
from armswatch.network._voyages import (
    VESSEL_MAP_SCHEMA,
    OnTheWay,
    Voyage,
    compute_voyages,
    load_voyages,
    vessel_events_steps,
    voyage_steps,
)

__all__ = [
    "EDGE_SCHEMA",
    "EXPOSURE_SCHEMA",
    "FIFTY_EXAMPLES",
    "FIFTY_SCHEMA",
    "NODE_SCHEMA",
    "REGISTRY_COLUMNS",
    "STATUS_SCHEMA",
    "VESSEL_MAP_SCHEMA",
    "AisIdentity",
    "Delivery",
    "DeliveryConfig",
    "ExposureConfig",
    "FiftyExample",
    "FiftyTables",
    "IdentityResult",
    "Leg",
    "ListMatch",
    "OnTheWay",
    "OwnershipGraph",
    "OwnershipResult",
    "PartyStatus",
    "RegistryRole",
    "RegistryRow",
    "RegistryTable",
    "VesselRecord",
    "Voyage",
    "analyse_ownership",
    "build_graph",
    "clean_imo",
    "compute_voyages",
    "deliveries_by_month",
    "exposure_reference",
    "fifty_percent",
    "fifty_percent_reference",
    "find_deliveries",
    "group_identities",
    "imo_check_ok",
    "load_voyages",
    "map_example_registry",
    "match_vessels",
    "normalise_flag",
    "parse_registry",
    "read_registry",
    "resolve_identities",
    "run_fifty_percent",
    "screening_matcher",
    "vessel_events_steps",
    "vessel_node_id",
    "voyage_steps",
]
