"""Scenario simulator with ground truth: AIS traffic in which the truth is known.

Vessel motion and truth are pure (:func:`simulate` returns data); writing NMEA is a
separate step (:func:`write_simulation`); :func:`simulate_positions` gives the archived
positions directly as an Arrow table in ``POSITIONS_SCHEMA`` for benchmarks at scale.
See docs/simulate.md for the scenarios, the receiver model and the truth rules.
"""

from armswatch.simulate._api import (
    DEFAULT_START,
    Simulation,
    positions_table,
    simulate,
    simulate_positions,
    write_simulation,
)
from armswatch.simulate._receiver import ReceiverConfig
from armswatch.simulate._scenarios import SCENARIOS, Scenario, scenario_names

__all__ = [
    "DEFAULT_START",
    "SCENARIOS",
    "ReceiverConfig",
    "Scenario",
    "Simulation",
    "positions_table",
    "scenario_names",
    "simulate",
    "simulate_positions",
    "write_simulation",
]
