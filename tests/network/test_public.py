"""The public surface is deliberate: adding or removing a name is a decision."""

from __future__ import annotations

import armswatch.network as network
import armswatch.risk as risk


def test_network_exports() -> None:
    assert sorted(network.__all__) == sorted(n for n in network.__all__ if hasattr(network, n))
    assert {
        "build_graph",
        "analyse_ownership",
        "fifty_percent",
        "read_registry",
        "resolve_identities",
        "compute_voyages",
        "find_deliveries",
    } <= set(network.__all__)


def test_risk_exports() -> None:
    assert all(hasattr(risk, n) for n in risk.__all__)
    assert {
        "analyse",
        "build_case",
        "Case",
        "AlertStore",
        "RiskConfig",
        "RISK_MODELS",
        "RiskScore",
    } <= set(risk.__all__)
    assert risk.RISK_MODELS.refs() == ["vessel_risk@1"]
