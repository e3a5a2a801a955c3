"""Scenarios as data: name, defaults, and the mix of patterns among innocent traffic.

Registered by name and version (:class:`armswatch.registry.Registry`): a changed scenario
gets a new version beside the old one, so a seed always reproduces the same data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from armswatch.registry import Registry
from armswatch.simulate._patterns import (
    IDENTITY_KINDS,
    identity_vessel,
    shuttle,
    spoofer,
    sts_pair,
)
from armswatch.simulate._script import SPOOF_KINDS, VesselScript
from armswatch.simulate._world import World, innocent_fisher, innocent_merchant

FISHER_SHARE = 0.15  # class B fishing boats among innocent vessels


@dataclass(frozen=True)
class Scenario:
    """A scenario: innocent traffic plus counts of each pattern of concern."""

    name: str
    description: str
    vessels: int  # innocent vessels by default
    days: float
    shuttles: int = 0
    sts_pairs: int = 0
    sts_dark_partners: int = 0
    identity: int = 0
    spoofers: int = 0


SCENARIOS: Registry[Scenario] = Registry("scenario")


def _register(s: Scenario, version: str = "1") -> None:
    SCENARIOS.register(s.name, version)(s)


_register(Scenario(
    "dprk_russia_shuttle",
    "Russian-flagged cargo ships shuttle between Vostochny/Dunay and Rajin, dark near Rajin",
    vessels=24, days=14.0, shuttles=4))
_register(Scenario(
    "sts_transfer", "Ship-to-ship transfers at sea (one with the partner's AIS off)",
    vessels=16, days=7.0, sts_pairs=3, sts_dark_partners=1))
_register(Scenario(
    "identity_swap", "Renames, reflagging to new MMSIs, false and cloned IMOs, type changes",
    vessels=16, days=7.0, identity=6))
_register(Scenario(
    "spoofing", "False positions: shifted tracks, points inland, circles on land, glitches",
    vessels=16, days=5.0, spoofers=6))
_register(Scenario(
    "background", "Innocent traffic only: voyages, port calls, anchoring, drifting, fishing",
    vessels=60, days=7.0))
_register(Scenario(
    "mixed", "All patterns among hundreds of innocent ships",
    vessels=200, days=7.0, shuttles=4, sts_pairs=4, sts_dark_partners=1, identity=6,
    spoofers=5))


def scenario_names() -> list[str]:
    return sorted({ref.partition("@")[0] for ref in SCENARIOS.refs()})


def build_scripts(sc: Scenario, world: World, seed: int, innocent: int,
                  progress: Callable[[int], None] | None = None) -> list[VesselScript]:
    """Draw every vessel's script. Each vessel has its own random stream (seeded from the
    scenario seed and the vessel's number), so scripts are reproducible per seed."""
    root = np.random.SeedSequence([seed, sum(map(ord, sc.name))])
    streams = iter(root.spawn(10_000))
    scripts: list[VesselScript] = []

    def rng() -> np.random.Generator:
        return np.random.default_rng(next(streams))

    for _ in range(innocent):
        r = rng()
        key = len(scripts)
        if r.random() < FISHER_SHARE:
            scripts.append(innocent_fisher(world, r, key))
        else:
            scripts.append(innocent_merchant(world, r, key))
        if progress:
            progress(1)
    for _ in range(sc.shuttles):
        scripts.append(shuttle(world, rng(), len(scripts)))
        if progress:
            progress(1)
    for k in range(sc.sts_pairs):
        scripts.extend(sts_pair(world, rng(), len(scripts), len(scripts) + 1,
                                dark_partner=k < sc.sts_dark_partners))
        if progress:
            progress(2)
    innocents = [s for s in scripts if s.role == "innocent"]
    for k in range(sc.identity):
        scripts.append(identity_vessel(world, rng(), len(scripts),
                                       IDENTITY_KINDS[k % len(IDENTITY_KINDS)], innocents))
        if progress:
            progress(1)
    for k in range(sc.spoofers):
        scripts.append(spoofer(world, rng(), len(scripts), SPOOF_KINDS[k % len(SPOOF_KINDS)]))
        if progress:
            progress(1)
    return scripts


def vessel_count(sc: Scenario, innocent: int) -> int:
    return innocent + sc.shuttles + 2 * sc.sts_pairs + sc.identity + sc.spoofers
