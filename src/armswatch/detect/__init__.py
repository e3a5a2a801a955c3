"""Maritime behaviour detectors: AIS gaps, encounters, loitering, port calls, identity
changes, spoofing and dark port calls, run on DuckDB (or Spark) through the engine seam.

``run_detectors(backend, positions, statics, config)`` returns an events table
(:data:`armswatch.model.tables.EVENTS_SCHEMA`).
"""

from armswatch.detect._base import DETECTORS, Context, Detector, params_from
from armswatch.detect._geography import default_ports
from armswatch.detect._pipeline import (
    DEFAULT_DETECTORS,
    DetectConfig,
    DetectReport,
    run_detectors,
)

__all__ = [
    "DEFAULT_DETECTORS",
    "DETECTORS",
    "Context",
    "DetectConfig",
    "DetectReport",
    "Detector",
    "default_ports",
    "params_from",
    "run_detectors",
]


def _load_detectors() -> None:
    """Import the detector modules (each registers itself once)."""
    from armswatch.detect import (  # noqa: F401 - imported for their registration
        dark_port_calls,
        encounters,
        gaps,
        identity,
        loitering,
        port_calls,
        spoofing,
    )
