"""The bundled example registry mapped onto a simulated run's ships.

``registry_example.csv`` describes fictitious ships ("example: shuttle" / "example:
innocent" rows) in invented ownership chains that lead to listed parties. For a demo or
benchmark, each example ship is replaced by a real ship of the same role in a simulated
run, so that the ownership evidence joins the simulated AIS by IMO.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from armswatch.errors import BadInputError
from armswatch.network._ids import clean_imo
from armswatch.network._registry_table import read_registry
from armswatch.paths import package_data

_KINDS = ("shuttle", "innocent")


def map_example_registry(ships: Sequence[tuple[str, str]], out: Path) -> Path:
    """Write ``registry_example.csv`` to ``out`` with its example ships replaced, in order,
    by ``ships`` — ``(role, imo)`` pairs of a run ("shuttle" or "innocent"; other roles are
    ignored). Raises :class:`BadInputError` when the run has too few ships of a role."""
    template = package_data("registry_example.csv")
    reg = read_registry(template)
    want: dict[str, list[str]] = {k: [] for k in _KINDS}
    for row in reg.rows:
        kind = (row.source or "").removeprefix("example: ").split(" ")[0]
        if row.imo and kind in want and row.imo not in want[kind]:
            want[kind].append(row.imo)
    have: dict[str, list[str]] = {k: [] for k in _KINDS}
    for role, imo in ships:
        cleaned = clean_imo(imo)
        if role in have and cleaned and cleaned not in have[role]:
            have[role].append(cleaned)
    text = template.read_text(encoding="utf-8")
    for kind, imos in want.items():
        if len(have[kind]) < len(imos):
            raise BadInputError(
                f"the run has {len(have[kind])} {kind} ships with an IMO; the example "
                f"registry needs {len(imos)}"
            )
        for old, new in zip(imos, have[kind], strict=False):
            text = text.replace(old, new)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return out
