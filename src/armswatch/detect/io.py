"""Inputs (NMEA logs or decoded Parquet) and outputs (events JSON Lines / Parquet).

The events file has one JSON object per line with exactly the fields of the scenario
truth files: ``event_id, type, mmsi, other_mmsi, start_utc, end_utc, lat, lon, end_lat,
end_lon, port, confidence, details`` (times ISO 8601 with ``Z``; ``details`` an object,
which also names the ``algorithm`` that produced the event).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from armswatch.errors import BadInputError
from armswatch.model.tables import EVENTS_SCHEMA, POSITIONS_SCHEMA, STATICS_SCHEMA

EVENT_FIELDS = ("event_id", "type", "mmsi", "other_mmsi", "start_utc", "end_utc", "lat", "lon",
                "end_lat", "end_lon", "port", "confidence", "details")
Progress = Callable[[str, int, int], None]  # (file, bytes done, bytes total)


@dataclass
class Inputs:
    positions: pa.Table
    statics: pa.Table
    files: list[str] = field(default_factory=list)
    empty_files: list[str] = field(default_factory=list)
    decode_report: dict[str, Any] = field(default_factory=dict)


def _is_positions(schema: pa.Schema) -> bool:
    return {"lat", "lon", "mmsi"} <= set(schema.names)


def _is_statics(schema: pa.Schema) -> bool:
    return "mmsi" in schema.names and bool({"name", "callsign", "imo"} & set(schema.names))


def _read_parquet(paths: Sequence[Path]) -> pa.Table:
    try:
        return ds.dataset([str(p) for p in paths], format="parquet",
                          partitioning="hive").to_table()
    except (OSError, pa.ArrowInvalid) as exc:
        raise BadInputError(f"cannot read Parquet: {exc}", paths[0]) from None


def _select(table: pa.Table, schema: pa.Schema) -> pa.Table:
    keep = [c for c in schema.names if c in table.column_names]
    return table.select(keep)


def _parquet_input(path: Path) -> tuple[list[pa.Table], list[pa.Table]]:
    """A decoded dataset folder (positions/ and statics/), a folder of Parquet files or
    one Parquet file; each file is sorted into positions or statics by its columns."""
    pos: list[pa.Table] = []
    sta: list[pa.Table] = []
    if path.is_dir():
        groups: dict[str, list[Path]] = {}
        for sub in ("positions", "statics"):
            if (path / sub).is_dir():
                groups[sub] = sorted((path / sub).rglob("*.parquet"))
        if not groups:
            files = sorted(path.rglob("*.parquet"))
            if not files:
                raise BadInputError("folder holds no Parquet files", path)
            for f in files:
                p, s = _parquet_input(f)
                pos += p
                sta += s
            return pos, sta
        if groups.get("positions"):
            pos.append(_select(_read_parquet(groups["positions"]), POSITIONS_SCHEMA))
        if groups.get("statics"):
            sta.append(_select(_read_parquet(groups["statics"]), STATICS_SCHEMA))
        return pos, sta
    schema = pq.read_schema(path)
    if _is_positions(schema):
        pos.append(_select(_read_parquet([path]), POSITIONS_SCHEMA))
    elif _is_statics(schema):
        sta.append(_select(_read_parquet([path]), STATICS_SCHEMA))
    else:
        raise BadInputError("Parquet file has neither positions (mmsi, lat, lon) nor statics "
                            "(mmsi, name/callsign/imo)", path)
    return pos, sta


def _looks_parquet(path: Path) -> bool:
    if path.is_dir():
        return True
    with path.open("rb") as fh:
        return fh.read(4) == b"PAR1"


def read_inputs(paths: Iterable[Path], progress: Progress | None = None) -> Inputs:
    """Positions and statics from NMEA logs (decoded by :mod:`armswatch.ais`) and/or
    Parquet written by ``armswatch ais decode``. Empty files are noted, not fatal."""
    pos: list[pa.Table] = []
    sta: list[pa.Table] = []
    out = Inputs(POSITIONS_SCHEMA.empty_table(), STATICS_SCHEMA.empty_table())
    nmea: list[Path] = []
    for path in paths:
        if not path.exists():
            raise BadInputError("no such file or folder", path)
        out.files.append(str(path))
        if path.is_file() and path.stat().st_size == 0:
            out.empty_files.append(str(path))
            continue
        if _looks_parquet(path):
            p, s = _parquet_input(path)
            pos += p
            sta += s
        else:
            nmea.append(path)
    if nmea:
        p, s, report = _decode_nmea(nmea, progress)
        pos += p
        sta += s
        out.decode_report = report
    if pos:
        out.positions = pa.concat_tables(pos, promote_options="permissive")
    if sta:
        out.statics = pa.concat_tables(sta, promote_options="permissive")
    return out


def _decode_nmea(paths: list[Path], progress: Progress | None
                 ) -> tuple[list[pa.Table], list[pa.Table], dict[str, Any]]:
    try:
        ais = importlib.import_module("armswatch.ais")
    except ImportError:
        raise BadInputError(
            "NMEA input needs the armswatch.ais decoder, which this build lacks; decode "
            "elsewhere and pass the Parquet", paths[0]) from None
    pos: list[pa.Table] = []
    sta: list[pa.Table] = []
    reports: dict[str, Any] = {}
    for path in paths:
        total = path.stat().st_size

        def tick(done: int, _lines: int, path: Path = path, total: int = total) -> None:
            if progress is not None:
                progress(path.name, done, total)

        results = list(ais.iter_decode([path], progress=tick))
        for r in results:
            pos.append(_select(r.positions, POSITIONS_SCHEMA))
            sta.append(_select(r.statics, STATICS_SCHEMA))
        if results:
            rep = results[-1].report
            reports[str(path)] = rep.to_dict() if hasattr(rep, "to_dict") else {}
    return pos, sta, reports


def iso_z(ts: datetime | None) -> str | None:
    """ISO 8601 in UTC with ``Z`` (seconds, or milliseconds when not whole)."""
    if ts is None:
        return None
    if ts.microsecond:
        return ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"
    return ts.strftime("%Y-%m-%dT%H:%M:%SZ")


def event_records(events: pa.Table) -> list[dict[str, Any]]:
    """Events as the JSON-ready dicts written to ``events.jsonl``."""
    out = []
    for row in events.to_pylist():
        details = orjson.loads(row["details"]) if row["details"] else {}
        details["algorithm"] = row["algorithm"]
        rec = {k: row[k] for k in EVENT_FIELDS}
        rec["start_utc"] = iso_z(row["start_utc"])
        rec["end_utc"] = iso_z(row["end_utc"])
        rec["details"] = details
        out.append(rec)
    return out


def write_events_jsonl(events: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        for rec in event_records(events):
            fh.write(orjson.dumps(rec))
            fh.write(b"\n")


def write_events_parquet(events: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(events.cast(EVENTS_SCHEMA), path, compression="zstd")
