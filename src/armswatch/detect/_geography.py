"""The ports/areas table detectors use, assembled from the bundled and user layers."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from armswatch.geo.layers import merge_layers, read_layer, read_searoute_ports
from armswatch.geo.ports import Port, load_ports
from armswatch.paths import home

log = logging.getLogger(__name__)


def imported_layers_dir() -> Path:
    """Where ``armswatch ports import`` keeps converted layers."""
    return home() / "ports"


def general_layer(layers: Sequence[Path] = ()) -> list[Port]:
    """General ports/anchorages: the given layers, else those imported with ``armswatch
    ports import``, else the ports shipped with the ``searoute`` package."""
    if layers:
        return [p for path in layers for p in read_layer(path)]
    folder = imported_layers_dir()
    imported = sorted(folder.glob("*.csv")) if folder.is_dir() else []
    if imported:
        return [p for path in imported for p in read_layer(path)]
    try:
        return read_searoute_ports()
    except Exception as exc:
        log.warning("no general port layer (%s); only ports of concern are known", exc)
        return []


def default_ports(
    extra: Sequence[Path] = (), layers: Sequence[Path] = (), areas: Sequence[Path] = (),
    general: bool = True,
) -> list[Port]:
    """Ports of concern (bundled + ``extra`` CSVs) and user ``areas`` first, then the
    general layer without the ports that repeat them."""
    primary = load_ports(extra) + [p for path in areas for p in read_layer(path)]
    ids = [p.port_id for p in primary]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        from armswatch.errors import ConfigError

        raise ConfigError(f"port/area ids used twice: {sorted(dupes)}")
    return merge_layers(primary, general_layer(layers)) if general else primary
