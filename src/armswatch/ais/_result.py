"""What a decode returns: three Arrow tables and an ingest report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, fields
from typing import Any

import pyarrow as pa

from armswatch.model.tables import POSITIONS_SCHEMA, STATICS_SCHEMA, TS, Column

# Columns added to the shared schemas (the shared columns come first, unchanged).
POSITION_EXTRA_COLUMNS: tuple[Column, ...] = (
    Column("second", pa.int8(), "UTC second of the report (0-59; 61-63 system modes)"),
    Column("repeat", pa.int8(), "repeat indicator (0 = original transmission)"),
    Column("raim", pa.bool_(), "RAIM in use"),
    Column("maneuver", pa.int8(), "special manoeuvre indicator (class A)"),
    Column("alt_m", pa.int16(), "altitude, metres (type 9, SAR aircraft); null when n/a"),
    Column(
        "ts_source",
        pa.string(),
        "where ts_utc came from: tag_block, pghp, "
        "trailing_epoch, line_prefix, message (base station clock); null: no time",
    ),
    Column("own_ship", pa.bool_(), "VDO sentence: the receiving vessel itself"),
    Column("checksum_ok", pa.bool_(), "False only when bad-checksum sentences are kept"),
    Column("line_no", pa.int64(), "line of the (first) sentence in the source, from 1"),
)
STATIC_EXTRA_COLUMNS: tuple[Column, ...] = (
    Column("eta_month", pa.int8(), "ETA month 1-12; null when n/a (0)"),
    Column("eta_day", pa.int8(), "ETA day 1-31; null when n/a (0)"),
    Column("eta_hour", pa.int8(), "ETA hour 0-23; null when n/a (24)"),
    Column("eta_minute", pa.int8(), "ETA minute 0-59; null when n/a (60)"),
    Column("part_num", pa.int8(), "type 24: 0 = part A (name), 1 = part B; else null"),
    Column("vendor_id", pa.string(), "type 24 B: manufacturer id"),
    Column("mothership_mmsi", pa.int32(), "type 24 B of auxiliary craft (MMSI 98…)"),
    Column("ais_version", pa.int8(), "type 5: AIS version"),
    Column("epfd", pa.int8(), "type of position fixing device"),
    Column("dte", pa.bool_(), "data terminal not ready"),
    Column("aid_type", pa.int8(), "type 21: aid-to-navigation type"),
    Column("virtual_aid", pa.bool_(), "type 21: virtual aid (no physical aid)"),
    Column("off_position", pa.bool_(), "type 21: floating aid off its position"),
    Column("repeat", pa.int8(), "repeat indicator"),
    *POSITION_EXTRA_COLUMNS[5:],
)
OTHER_COLUMNS: tuple[Column, ...] = (
    Column("mmsi", pa.int32(), "MMSI; null when the payload is shorter than 38 bits"),
    Column("ts_utc", TS, "reception time"),
    Column("msg_type", pa.int8(), "AIS message type", False),
    Column("repeat", pa.int8(), "repeat indicator"),
    Column("payload", pa.string(), "the whole (reassembled) armoured payload", False),
    Column("fill_bits", pa.int8(), "fill bits of the last sentence", False),
    Column("source", pa.string(), "receiver / station id or input file name"),
    *POSITION_EXTRA_COLUMNS[5:],
)


def _schema(cols: tuple[Column, ...]) -> pa.Schema:
    return pa.schema([pa.field(c.name, c.type, nullable=c.nullable) for c in cols])


AIS_POSITIONS_SCHEMA = pa.schema(list(POSITIONS_SCHEMA) + list(_schema(POSITION_EXTRA_COLUMNS)))
AIS_STATICS_SCHEMA = pa.schema(list(STATICS_SCHEMA) + list(_schema(STATIC_EXTRA_COLUMNS)))
AIS_OTHER_SCHEMA = _schema(OTHER_COLUMNS)


@dataclass
class IngestReport:
    """Counts of what happened to every input line (sums over chunks and files)."""

    sources: list[str] = field(default_factory=list)
    sha256: dict[str, str] = field(default_factory=dict)
    bytes_read: int = 0
    lines: int = 0
    blank_or_comment: int = 0
    other_nmea: int = 0  # $GPRMC, $PSTT … (not AIS; ignored)
    pghp_headers: int = 0
    tag_only_lines: int = 0
    sentences: int = 0  # AIVDM/AIVDO sentences framed
    bad_checksum: int = 0
    dropped_bad_checksum: int = 0
    tag_bad_checksum: int = 0
    malformed: int = 0  # sum of the malformed_* counts
    malformed_too_long: int = 0
    malformed_bad_armour: int = 0
    malformed_bad_fields: int = 0
    malformed_not_nmea: int = 0
    malformed_empty_payload: int = 0
    fragments: int = 0
    incomplete_multipart: int = 0
    incomplete_fragments: int = 0
    duplicate_fragments: int = 0
    prefix_not_time: int = 0
    messages: int = 0  # complete messages (single sentence or reassembled)
    decoded: int = 0  # messages of a decoded type, in positions or statics
    kept_raw: int = 0  # messages kept in `other` (undecoded type, or too short for an MMSI)
    too_short: int = 0  # decoded, but the payload ended early: trailing fields null
    no_mmsi: int = 0  # payload shorter than 38 bits (kept raw)
    own_ship: int = 0
    positions: int = 0
    statics: int = 0
    other: int = 0
    no_timestamp: int = 0
    by_type: dict[int, int] = field(default_factory=dict)
    ts_sources: dict[str, int] = field(default_factory=dict)

    def merge(self, other: IngestReport) -> IngestReport:
        """A new report summing this one and ``other``."""
        out = IngestReport()
        for f in fields(self):
            a, b = getattr(self, f.name), getattr(other, f.name)
            if isinstance(a, int):
                setattr(out, f.name, a + b)
            elif isinstance(a, list):
                setattr(out, f.name, a + [x for x in b if x not in a])
            elif f.name == "sha256":
                setattr(out, f.name, {**a, **b})
            else:
                setattr(out, f.name, dict(Counter(a) + Counter(b)))
        return out

    def to_dict(self) -> dict[str, Any]:
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["by_type"] = {str(k): v for k, v in sorted(self.by_type.items())}
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> IngestReport:
        known = {f.name for f in fields(cls)}
        kw = {k: v for k, v in d.items() if k in known}
        kw["by_type"] = {int(k): v for k, v in d.get("by_type", {}).items()}
        return cls(**kw)


@dataclass
class DecodeResult:
    """Decoded messages: ``positions`` (shared POSITIONS_SCHEMA + extras), ``statics``
    (STATICS_SCHEMA + extras), ``other`` (undecoded types, raw payload) and the report."""

    positions: pa.Table
    statics: pa.Table
    other: pa.Table
    report: IngestReport

    @classmethod
    def empty(cls) -> DecodeResult:
        return cls(
            AIS_POSITIONS_SCHEMA.empty_table(),
            AIS_STATICS_SCHEMA.empty_table(),
            AIS_OTHER_SCHEMA.empty_table(),
            IngestReport(),
        )

    @classmethod
    def concat(cls, results: list[DecodeResult]) -> DecodeResult:
        if not results:
            return cls.empty()
        report = results[0].report
        for r in results[1:]:
            report = report.merge(r.report)
        return cls(
            pa.concat_tables([r.positions for r in results]),
            pa.concat_tables([r.statics for r in results]),
            pa.concat_tables([r.other for r in results]),
            report,
        )
