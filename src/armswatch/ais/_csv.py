"""Readers for decoded AIS CSV exports, into the same tables as the NMEA decoder.

* Danish Maritime Authority ``aisdk-YYYY-MM-DD.csv`` (``# Timestamp,Type of mobile,MMSI,…``;
  times ``dd/mm/yyyy HH:MM:SS`` UTC; navigational status and ship type as words).
* NOAA MarineCadastre ``AIS_YYYY_MM_DD.csv`` (``MMSI,BaseDateTime,LAT,LON,…``; ISO times UTC;
  codes as numbers; ``IMO`` as ``IMO1234567``).

An export has no message type: ``msg_type`` is derived from the vessel class (class A → 1,
class B → 18, base station → 4, AtoN → 21, SAR aircraft → 9, unknown → 0). Statics are the
distinct combinations of static fields per MMSI, stamped with their first time.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from armswatch.ais._result import (
    AIS_OTHER_SCHEMA,
    AIS_POSITIONS_SCHEMA,
    AIS_STATICS_SCHEMA,
    DecodeResult,
    IngestReport,
)
from armswatch.errors import BadInputError, UnknownFormatError

_NULLS = ["", "Unknown", "Undefined", "Unknown value", "NaN", "nan"]

# ITU-R M.1371 navigational status as the DMA export spells it
DMA_NAV_STATUS = {
    "Under way using engine": 0,
    "At anchor": 1,
    "Not under command": 2,
    "Restricted maneuverability": 3,
    "Constrained by her draught": 4,
    "Moored": 5,
    "Aground": 6,
    "Engaged in fishing": 7,
    "Under way sailing": 8,
    "Reserved for future amendment [HSC]": 9,
    "Reserved for future amendment [WIG]": 10,
    "Power-driven vessel towing astern": 11,
    "Power-driven vessel pushing ahead or towing alongside": 12,
    "Reserved for future use": 13,
    "AIS-SART": 14,
    "Unknown value": 15,
}
# DMA ship type words -> the first code of the ITU ship-type group they name
DMA_SHIP_TYPE = {
    "Fishing": 30, "Towing": 31, "Towing long/wide": 32, "Dredging": 33, "Diving": 34,
    "Military": 35, "Sailing": 36, "Pleasure": 37, "HSC": 40, "Pilot": 50, "SAR": 51,
    "Tug": 52, "Port tender": 53, "Anti-pollution": 54, "Law enforcement": 55,
    "Medical": 58, "Not party to conflict": 59, "Passenger": 60, "Cargo": 70,
    "Tanker": 80, "Other": 90, "WIG": 20,
}
CLASS_MSG_TYPE = {"Class A": 1, "Class B": 18, "Base Station": 4, "AtoN": 21,
                  "SAR Airborne": 9, "A": 1, "B": 18}


def _kind(path: Path) -> str | None:
    try:
        with path.open("rb") as f:
            head = f.read(4096).decode("utf-8-sig", "replace").splitlines()
    except OSError:
        return None
    if not head:
        return None
    first = head[0]
    if "# Timestamp" in first and "MMSI" in first and "Type of mobile" in first:
        return "dma"
    if first.startswith("MMSI,BaseDateTime,LAT,LON"):
        return "noaa"
    return None


def is_csv_export(path: Path) -> bool:
    """True for a DMA or NOAA decoded CSV export (checked from the header line)."""
    return _kind(Path(path)) is not None


def _map(col: pa.Array, mapping: dict[str, int], typ: pa.DataType) -> pa.Array:
    keys = pa.array(list(mapping), pa.string())
    vals = pa.array(list(mapping.values()), typ)
    idx = pc.index_in(col, value_set=keys)
    return vals.take(idx)


def _num(t: pa.Table, name: str, typ: pa.DataType = pa.float64()) -> pa.Array:
    if name not in t.column_names:
        return pa.nulls(t.num_rows, typ)
    col = t.column(name).combine_chunks()
    if pa.types.is_string(col.type):
        col = pc.cast(pc.if_else(pc.equal(col, ""), None, col), pa.float64())
    return pc.cast(col, pa.float64()) if typ == pa.float64() else col


def _nullif(a: pa.Array, bad: pa.Array) -> pa.Array:
    return pc.if_else(pc.fill_null(bad, False), pa.scalar(None, a.type), a)


def _int(a: pa.Array, typ: pa.DataType) -> pa.Array:
    return pc.cast(pc.round(a), typ, safe=False)


def _text(t: pa.Table, name: str) -> pa.Array:
    if name not in t.column_names:
        return pa.nulls(t.num_rows, pa.string())
    col = pc.utf8_trim_whitespace(pc.cast(t.column(name).combine_chunks(), pa.string()))
    return pc.if_else(pc.equal(col, ""), pa.scalar(None, pa.string()), col)


def _read(path: Path) -> pa.Table:
    try:
        return pacsv.read_csv(
            path,
            convert_options=pacsv.ConvertOptions(
                null_values=_NULLS, strings_can_be_null=True,
                column_types={"MMSI": pa.int64(), "IMO": pa.string(), "Callsign": pa.string(),
                              "CallSign": pa.string(), "Name": pa.string(),
                              "VesselName": pa.string(), "Destination": pa.string(),
                              "BaseDateTime": pa.string(), "# Timestamp": pa.string(),
                              "ETA": pa.string()},
            ),
        )
    except (pa.ArrowInvalid, OSError) as exc:
        raise BadInputError(f"cannot read CSV: {exc}", path) from exc


def _finish(path: Path, t: pa.Table, ts: pa.Array, mmsi: pa.Array, msg_type: pa.Array,
            pos: dict[str, pa.Array], sta: dict[str, pa.Array]) -> DecodeResult:
    n = t.num_rows
    ok = pc.and_(pc.is_valid(mmsi), pc.and_(pc.greater(mmsi, 0), pc.less(mmsi, 1 << 30)))
    source = pa.array([path.name] * n, pa.string())
    line_no = pa.array(np.arange(2, n + 2), pa.int64())
    common = {"ts_utc": ts, "source": source, "ts_source": pa.array(["csv"] * n, pa.string()),
              "own_ship": pa.nulls(n, pa.bool_()), "checksum_ok": pa.nulls(n, pa.bool_()),
              "line_no": line_no, "mmsi": pc.cast(mmsi, pa.int32(), safe=False),
              "msg_type": msg_type}
    cols = {**common, **pos}
    positions = pa.table({f.name: cols.get(f.name, pa.nulls(n, f.type)).cast(f.type)
                          for f in AIS_POSITIONS_SCHEMA}, schema=AIS_POSITIONS_SCHEMA)
    has_pos = pc.and_(ok, pc.and_(pc.is_valid(positions.column("lat")),
                                  pc.is_valid(positions.column("lon"))))
    positions = positions.filter(has_pos)
    scols = {**common, **sta}
    statics = pa.table({f.name: scols.get(f.name, pa.nulls(n, f.type)).cast(f.type)
                        for f in AIS_STATICS_SCHEMA}, schema=AIS_STATICS_SCHEMA).filter(ok)
    keys = ["mmsi", "imo", "name", "callsign", "ship_type", "to_bow_m", "to_stern_m",
            "to_port_m", "to_starboard_m", "length_m", "width_m", "draught_m",
            "destination", "eta"]
    firsts = statics.group_by(keys, use_threads=False).aggregate([("line_no", "min")])
    idx = pc.index_in(statics.column("line_no"), value_set=firsts.column("line_no_min"))
    statics = statics.filter(pc.is_valid(idx))
    has_static = pc.or_(pc.is_valid(statics.column("name")),
                        pc.or_(pc.is_valid(statics.column("imo")),
                               pc.is_valid(statics.column("callsign"))))
    statics = statics.filter(pc.fill_null(has_static, False))
    rep = IngestReport(sources=[path.name], lines=n + 1, messages=n, decoded=n,
                       positions=positions.num_rows, statics=statics.num_rows)
    rep.malformed = int(n - pc.sum(pc.cast(ok, pa.int64())).as_py()) if n else 0
    rep.malformed_bad_fields = rep.malformed
    rep.no_timestamp = int(pc.sum(pc.cast(pc.is_null(ts), pa.int64())).as_py() or 0)
    rep.ts_sources = {"csv": n - rep.no_timestamp} if n else {}
    return DecodeResult(positions, statics, AIS_OTHER_SCHEMA.empty_table(), rep)


def _ts(a: pa.Array, fmt: str) -> pa.Array:
    parsed = pc.strptime(pc.cast(a, pa.string()), format=fmt, unit="us", error_is_null=True)
    return pc.assume_timezone(parsed, "UTC")


def _dims_from_abcd(t: pa.Table) -> dict[str, pa.Array]:
    out = {}
    for col, name in (("A", "to_bow_m"), ("B", "to_stern_m"), ("C", "to_port_m"),
                      ("D", "to_starboard_m")):
        out[name] = _int(_num(t, col), pa.int16())
    return out


def _kinematics(t: pa.Table, lat_c: str, lon_c: str, sog_c: str, cog_c: str,
                hdg_c: str) -> dict[str, pa.Array]:
    """Position columns; out-of-range values and sentinels (91, 181, 102.3, 360) -> null."""
    lat, lon = _num(t, lat_c), _num(t, lon_c)
    sog, cog, hdg = _num(t, sog_c), _num(t, cog_c), _num(t, hdg_c)
    return {
        "lat": _nullif(lat, pc.greater(pc.abs(lat), 90)),
        "lon": _nullif(lon, pc.greater(pc.abs(lon), 180)),
        "sog_kn": _nullif(sog, pc.greater_equal(sog, 102.3)),
        "cog_deg": _nullif(cog, pc.greater_equal(cog, 360)),
        "heading_deg": _int(_nullif(hdg, pc.greater_equal(hdg, 360)), pa.int16()),
    }


def _read_dma(path: Path) -> DecodeResult:
    t = _read(path)
    pos = {
        **_kinematics(t, "Latitude", "Longitude", "SOG", "COG", "Heading"),
        "rot": _num(t, "ROT"),
        "nav_status": _map(_text(t, "Navigational status"), DMA_NAV_STATUS, pa.int8()),
    }
    imo_text = _text(t, "IMO")
    imo = pc.cast(pc.if_else(pc.match_substring_regex(imo_text, r"^\d{1,9}$"), imo_text, None),
                  pa.int32())
    eta = _ts(_text(t, "ETA"), "%d/%m/%Y %H:%M:%S")
    sta = {
        "imo": _nullif(imo, pc.equal(imo, 0)),
        "name": _text(t, "Name"),
        "callsign": _text(t, "Callsign"),
        "ship_type": _map(_text(t, "Ship type"), DMA_SHIP_TYPE, pa.int16()),
        **_dims_from_abcd(t),
        "length_m": _int(_num(t, "Length"), pa.int16()),
        "width_m": _int(_num(t, "Width"), pa.int16()),
        "draught_m": _nullif(_num(t, "Draught"), pc.equal(_num(t, "Draught"), 0)),
        "destination": _text(t, "Destination"),
        "eta": pc.strftime(eta, "%m-%dT%H:%M"),
    }
    ts = _ts(_text(t, "# Timestamp"), "%d/%m/%Y %H:%M:%S")
    msg_type = pc.fill_null(_map(_text(t, "Type of mobile"), CLASS_MSG_TYPE, pa.int8()), 0)
    return _finish(path, t, ts, t.column("MMSI").combine_chunks(), msg_type, pos, sta)


def _read_noaa(path: Path) -> DecodeResult:
    t = _read(path)
    status = _num(t, "Status")
    pos = {
        **_kinematics(t, "LAT", "LON", "SOG", "COG", "Heading"),
        "nav_status": _int(_nullif(status, pc.greater(status, 15)), pa.int8()),
    }
    imo_text = pc.replace_substring(_text(t, "IMO"), "IMO", "")
    imo = pc.cast(pc.if_else(pc.match_substring_regex(imo_text, r"^\d{1,9}$"), imo_text, None),
                  pa.int32())
    vtype = _num(t, "VesselType")
    draft = _num(t, "Draft")
    sta = {
        "imo": _nullif(imo, pc.equal(imo, 0)),
        "name": _text(t, "VesselName"),
        "callsign": _text(t, "CallSign"),
        "ship_type": _int(_nullif(vtype, pc.or_(pc.less_equal(vtype, 0),
                                                pc.greater(vtype, 1023))), pa.int16()),
        "length_m": _int(_nullif(_num(t, "Length"), pc.less_equal(_num(t, "Length"), 0)),
                         pa.int16()),
        "width_m": _int(_nullif(_num(t, "Width"), pc.less_equal(_num(t, "Width"), 0)),
                        pa.int16()),
        "draught_m": _nullif(draft, pc.less_equal(draft, 0)),
    }
    ts = _ts(_text(t, "BaseDateTime"), "%Y-%m-%dT%H:%M:%S")
    msg_type = pc.fill_null(_map(_text(t, "TransceiverClass"), CLASS_MSG_TYPE, pa.int8()), 0)
    return _finish(path, t, ts, t.column("MMSI").combine_chunks(), msg_type, pos, sta)


def read_csv_export(path: Path) -> DecodeResult:
    """Read a DMA or NOAA decoded CSV export into positions and statics tables."""
    path = Path(path)
    kind = _kind(path)
    if kind == "dma":
        return _read_dma(path)
    if kind == "noaa":
        return _read_noaa(path)
    raise UnknownFormatError(
        "unknown CSV export: expected the Danish Maritime Authority aisdk header "
        "('# Timestamp,Type of mobile,MMSI,…') or NOAA MarineCadastre ('MMSI,BaseDateTime,…')",
        path,
    )
