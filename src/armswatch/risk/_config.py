"""The risk score's weights: one typed, frozen config with documented defaults.

Every component value is in [0, 1]; the score combines them as a weighted noisy-OR,
``1 - Π (1 - weight_c × value_c)``, so any single strong component (a sanctions hit)
can carry the score on its own and each extra component only adds. Evidence counts are
turned into values by ``1 - exp(-x)``, where ``x`` sums per-event weights × the
detector's confidence × a recency factor ``0.5 ** (age_days / half_life_days)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from armswatch.errors import ConfigError
from armswatch.network import ExposureConfig

COMPONENTS = (
    "sanctions",
    "deliveries",
    "port_calls",
    "behaviour",
    "identity",
    "exposure",
    "flag",
)


def _frozen(d: dict[str, float]) -> Mapping[str, float]:
    return MappingProxyType(d)


def _component_weights() -> Mapping[str, float]:
    return _frozen(
        {
            "sanctions": 1.0,  # a listed / blocked ship is a finding on its own
            "deliveries": 0.9,  # shipments from a port of concern to a destination of concern
            "port_calls": 0.7,  # calls at ports of concern
            "behaviour": 0.6,  # dark periods, meetings at sea, loitering, spoofing
            "identity": 0.5,  # name / MMSI / flag changes
            "exposure": 0.5,  # links to blocked parties short of the 50 % rule
            "flag": 0.3,  # flag of a sanctioned state or a flag of convenience
        }
    )


def _event_weights() -> Mapping[str, float]:
    return _frozen(
        {
            "ais_gap": 0.3,
            "encounter": 0.5,
            "loitering": 0.2,
            "spoofing": 0.7,
            "dark_port_call": 0.8,
        }
    )


def _port_role_weights() -> Mapping[str, float]:
    return _frozen(
        {
            "dprk_port": 1.0,
            "russian_military": 0.8,
            "iran_port": 0.6,
            "syria": 0.6,
            "caspian": 0.3,
            "russian_port": 0.3,
            "black_sea": 0.1,
            "transit_mena": 0.1,
        }
    )


@dataclass(frozen=True, slots=True)
class RiskConfig:
    """Weights of the vessel and voyage risk score (see docs/network.md for the rationale)."""

    component_weights: Mapping[str, float] = field(default_factory=_component_weights)
    event_weights: Mapping[str, float] = field(default_factory=_event_weights)
    port_role_weights: Mapping[str, float] = field(default_factory=_port_role_weights)
    identity_change_weight: float = 0.5  # per identity_change event
    delivery_weight: float = 1.5  # per inferred delivery (× its confidence)
    sanctions_listed: float = 1.0  # the ship itself is listed on a blocking list
    sanctions_via_owner: float = 0.9  # blocked by the 50 % rule through its owners
    sanctions_via_manager: float = 0.7  # a manager or operator is blocked
    sanctions_listed_other: float = 0.6  # listed only on a non-blocking list
    half_life_days: float = 180.0  # recency: evidence this old counts half
    alert_threshold: float = 0.5  # scores at or above raise an alert
    exposure: ExposureConfig = field(default_factory=ExposureConfig)

    def __post_init__(self) -> None:
        unknown = set(self.component_weights) - set(COMPONENTS)
        if unknown:
            raise ConfigError(f"unknown risk components {sorted(unknown)}; known: {COMPONENTS}")
        for label, mapping in (
            ("component", self.component_weights),
            ("event", self.event_weights),
            ("port role", self.port_role_weights),
        ):
            for key, w in mapping.items():
                if not 0.0 <= w <= 1.0:
                    raise ConfigError(f"{label} weight {key!r} must be in [0, 1], got {w}")
        for name in (
            "sanctions_listed",
            "sanctions_via_owner",
            "sanctions_via_manager",
            "sanctions_listed_other",
            "alert_threshold",
        ):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ConfigError(f"{name} must be in [0, 1], got {value}")
        if self.half_life_days <= 0:
            raise ConfigError("half_life_days must be > 0")
        if self.identity_change_weight < 0 or self.delivery_weight < 0:
            raise ConfigError("per-event weights must be >= 0")

    def weight(self, component: str) -> float:
        return self.component_weights.get(component, 0.0)
