"""Small simulations shared by the simulator tests (session-scoped: each runs once)."""

from __future__ import annotations

from pathlib import Path

import pytest

from armswatch.simulate import Simulation, simulate, write_simulation

# Small on purpose: a handful of innocent ships around each pattern, a few days.
SMALL = {
    "dprk_russia_shuttle": {"vessels": 3, "days": 8.0},
    "sts_transfer": {"vessels": 3, "days": 4.0},
    "identity_swap": {"vessels": 3, "days": 5.0},
    "spoofing": {"vessels": 3, "days": 4.0},
    "background": {"vessels": 10, "days": 3.0},
}


@pytest.fixture(scope="session")
def sims() -> dict[str, Simulation]:
    return {name: simulate(name, 3, **kw) for name, kw in SMALL.items()}  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def written(sims: dict[str, Simulation], tmp_path_factory: pytest.TempPathFactory
            ) -> dict[str, Path]:
    out = {}
    for name, sim in sims.items():
        d = tmp_path_factory.mktemp(name)
        write_simulation(sim, d)
        out[name] = d
    return out
