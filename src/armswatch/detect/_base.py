"""Detector registry, run context and the raw event layout detectors return.

A detector is a function ``(Context, Params) -> pa.Table`` registered by name and version
in :data:`DETECTORS`; its parameters are a frozen dataclass with documented defaults.
It issues SQL steps (and per-group kernels) through ``ctx.backend`` on the shared tables
(``aw_tracks``, ``aw_statics``, ``aw_ports``, ``aw_threads``) and returns its events as a
small Arrow table with the :data:`RAW_EVENT_SCHEMA` columns plus any ``d_<name>`` columns,
which become the event's ``details``.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pyarrow as pa

from armswatch.detect._sql import PORT_CELLS_PER_DEG
from armswatch.engine import Backend
from armswatch.errors import ConfigError
from armswatch.geo.land import LandMask
from armswatch.geo.ports import Port
from armswatch.registry import Registry

# roles that only say "a port / anchorage / user area is here"; any other role marks a
# place of concern (dprk_port, russian_military, iran_port, ...)
GENERAL_ROLES = frozenset({"port", "anchorage", "area"})

RAW_EVENT_SCHEMA = pa.schema(
    [
        ("type", pa.string()),
        ("mmsi", pa.int32()),
        ("other_mmsi", pa.int32()),
        ("start_s", pa.float64()),
        ("end_s", pa.float64()),
        ("lat", pa.float64()),
        ("lon", pa.float64()),
        ("end_lat", pa.float64()),
        ("end_lon", pa.float64()),
        ("port", pa.string()),
        ("confidence", pa.float64()),
    ]
)

P = TypeVar("P")


def is_concern(port: Port) -> bool:
    return any(r not in GENERAL_ROLES for r in port.roles)


@dataclass
class Context:
    """What a detector may use: the backend with the shared tables, and the geography."""

    backend: Backend
    ports: Sequence[Port]
    land: LandMask | None = None
    has_statics: bool = False
    _cells: dict[tuple[float, str], str] = field(default_factory=dict)

    def port_cells(self, extra_m: float = 0.0, which: str = "all") -> str:
        """Register (once) a grid-cell table covering each port's radius plus ``extra_m``.

        ``which``: ``all`` ports and areas, ``concern`` only places of concern, ``calls``
        ports and areas where port calls count (not anchorage cells). Columns: cy, cx,
        port_idx, reach_m.
        """
        key = (float(extra_m), which)
        if key in self._cells:
            return self._cells[key]
        cys: list[int] = []
        cxs: list[int] = []
        idxs: list[int] = []
        reaches: list[float] = []
        n_x = 360 * PORT_CELLS_PER_DEG
        for i, p in enumerate(self.ports):
            if which == "concern" and not is_concern(p):
                continue
            if which == "calls" and p.roles == ("anchorage",):
                continue
            reach = p.radius_m + extra_m
            dlat = reach / 111_195.0 + 1e-6
            lat_hi = min(89.9, max(abs(p.lat - dlat), abs(p.lat + dlat)))
            dlon = dlat / max(math.cos(math.radians(lat_hi)), 1e-3)
            y0 = math.floor((p.lat - dlat) * PORT_CELLS_PER_DEG)
            y1 = math.floor((p.lat + dlat) * PORT_CELLS_PER_DEG)
            if dlon >= 180:
                xs: Sequence[int] = range(-n_x // 2, n_x // 2)
            else:
                x0 = math.floor((p.lon - dlon) * PORT_CELLS_PER_DEG)
                x1 = math.floor((p.lon + dlon) * PORT_CELLS_PER_DEG)
                xs = sorted({(x + n_x // 2) % n_x - n_x // 2 for x in range(x0, x1 + 1)})
            for y in range(y0, y1 + 1):
                for x in xs:
                    cys.append(y)
                    cxs.append(x)
                    idxs.append(i)
                    reaches.append(reach)
        name = f"aw_cells_{which}_{int(extra_m)}"
        self.backend.register(
            name,
            pa.table(
                {
                    "cy": pa.array(cys, pa.int64()),
                    "cx": pa.array(cxs, pa.int64()),
                    "port_idx": pa.array(idxs, pa.int32()),
                    "reach_m": pa.array(reaches, pa.float64()),
                }
            ),
        )
        self._cells[key] = name
        return name

    def port(self, idx: int) -> Port:
        return self.ports[idx]


DetectorFn = Callable[[Context, Any], pa.Table]


@dataclass(frozen=True)
class Detector:
    """A registered detector: ``run(ctx, params)`` returns raw events."""

    name: str
    version: str
    params_type: type[Any]
    run: DetectorFn
    summary: str

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.version}"


DETECTORS: Registry[Detector] = Registry("detector")


def register_detector(
    name: str, version: str, params_type: type[Any], summary: str, *, default: bool = False
) -> Callable[[DetectorFn], DetectorFn]:
    """Decorator: register ``fn`` as detector ``name@version`` with its params class."""

    def deco(fn: DetectorFn) -> DetectorFn:
        DETECTORS.register(name, version, default=default)(
            Detector(name, version, params_type, fn, summary)
        )
        return fn

    return deco


def _coerce(value: Any, hint: Any, where: str) -> Any:
    origin = typing.get_origin(hint)
    if origin is tuple:
        if not isinstance(value, list | tuple):
            raise ConfigError(f"{where}: expected a list")
        inner = typing.get_args(hint)[0] if typing.get_args(hint) else str
        return tuple(_coerce(v, inner, where) for v in value)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if value is None:
            return None
        return _coerce(value, args[0], where)
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{where}: expected a number, got {value!r}")
        return float(value)
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where}: expected an integer, got {value!r}")
        return value
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: expected true or false, got {value!r}")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise ConfigError(f"{where}: expected a string, got {value!r}")
        return value
    return value


def params_from(params_type: type[P], values: Mapping[str, Any], where: str = "") -> P:
    """Build a params dataclass from a JSON-like mapping, rejecting unknown names."""
    hints = typing.get_type_hints(params_type)
    names = {f.name for f in dataclasses.fields(params_type)}  # type: ignore[arg-type]
    unknown = set(values) - names
    if unknown:
        raise ConfigError(
            f"{where or params_type.__name__}: unknown parameter(s) {sorted(unknown)}; "
            f"known: {sorted(names)}"
        )
    kwargs = {k: _coerce(v, hints[k], f"{where}.{k}") for k, v in values.items()}
    obj = params_type(**kwargs)
    check = getattr(obj, "validate", None)
    if callable(check):
        check()
    return obj


def positive(where: str, **values: float) -> None:
    """Raise ConfigError unless every value is > 0."""
    for k, v in values.items():
        if not v > 0:
            raise ConfigError(f"{where}: {k} must be > 0 (got {v})")


def raw_events(columns: dict[str, pa.Array | list[Any]], n: int) -> pa.Table:
    """Assemble a raw event table: the :data:`RAW_EVENT_SCHEMA` columns (nulls where
    absent) followed by the ``d_*`` detail columns given."""
    arrays: dict[str, pa.Array] = {}
    for f in RAW_EVENT_SCHEMA:
        v = columns.get(f.name)
        arrays[f.name] = pa.nulls(n, f.type) if v is None else pa.array(v, f.type) if isinstance(
            v, list) else v.cast(f.type)
    for k, v in columns.items():
        if k.startswith("d_"):
            arrays[k] = v if isinstance(v, pa.Array | pa.ChunkedArray) else pa.array(v)
    return pa.table(arrays)


def clip01(x: float) -> float:
    return 0.0 if x != x else max(0.0, min(1.0, x))  # NaN -> 0
