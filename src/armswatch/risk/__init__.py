"""Risk: explained scores for ships and voyages, and the alert queue."""

from armswatch.risk._alerts import (
    Alert,
    AlertCandidate,
    AlertState,
    AlertStore,
    EvidenceVersion,
    HistoryEntry,
    RaiseReport,
    default_store_path,
    fingerprint,
)
from armswatch.risk._case import (
    Case,
    CaseInputs,
    PartyRecord,
    VesselDossier,
    analyse,
    build_case,
    find_inputs,
)
from armswatch.risk._config import COMPONENTS, RiskConfig
from armswatch.risk._evidence import ComponentEvidence, collect_evidence, evidence_steps
from armswatch.risk._flags import FlagRisk, FlagTable, bundled_flag_table, read_flag_table
from armswatch.risk._score import (
    RISK_MODELS,
    Component,
    PartyLink,
    RiskModel,
    RiskScore,
    VesselFacts,
    noisy_or,
)

__all__ = [
    "COMPONENTS",
    "RISK_MODELS",
    "Alert",
    "AlertCandidate",
    "AlertState",
    "AlertStore",
    "Case",
    "CaseInputs",
    "Component",
    "ComponentEvidence",
    "EvidenceVersion",
    "FlagRisk",
    "FlagTable",
    "HistoryEntry",
    "PartyLink",
    "PartyRecord",
    "RaiseReport",
    "RiskConfig",
    "RiskModel",
    "RiskScore",
    "VesselDossier",
    "VesselFacts",
    "analyse",
    "build_case",
    "bundled_flag_table",
    "collect_evidence",
    "default_store_path",
    "evidence_steps",
    "find_inputs",
    "fingerprint",
    "noisy_or",
    "read_flag_table",
]
