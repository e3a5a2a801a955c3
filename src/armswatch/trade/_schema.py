"""The tidy trade-flow table every reader produces (declared as data).

One row is one published cell: who reported it, the partner, the direction, the product at
the level it was published, the period, and its value. Nothing is summed or filled in by
the readers: a suppressed or confidential cell stays a row with a null ``value`` and a flag,
so the analyses can count what is missing instead of treating it as zero.
"""

from __future__ import annotations

import pyarrow as pa

from armswatch.model.tables import Column, markdown_table

FLOW_COLUMNS: tuple[Column, ...] = (
    Column("period", pa.string(), "'YYYY-MM' (monthly) or 'YYYY' (annual)", False),
    Column("freq", pa.string(), "'M' monthly or 'A' annual", False),
    Column("reporter", pa.string(),
           "reporting country, ISO 3166-1 alpha-3; aggregates and special areas keep the "
           "publisher's code (e.g. EU27_2020, W00) and carry a flag", False),
    Column("reporter_m49", pa.int32(), "UN M49 / ISO numeric code of the reporter; null if none"),
    Column("partner", pa.string(), "partner country, same coding as reporter", False),
    Column("partner_m49", pa.int32(), "UN M49 / ISO numeric code of the partner; null if none"),
    Column("flow", pa.string(),
           "export, import, re-export, re-import (others kept as published, lower case)", False),
    Column("hs_code", pa.string(),
           "product code as a string with leading zeros ('TOTAL' for all products)", False),
    Column("hs_level", pa.int8(), "digits in hs_code: 2, 4, 6, 8 (CN8) or 10; 0 = TOTAL", False),
    Column("hs_version", pa.string(),
           "nomenclature edition when known: HS1992..HS2022, or CN<year> for Eurostat CN8"),
    Column("value", pa.float64(),
           "trade value in `currency` units (not thousands); null when suppressed, "
           "confidential or not available (see flags)"),
    Column("currency", pa.string(), "ISO 4217 code of value, e.g. EUR, USD", False),
    Column("value_basis", pa.string(), "FOB or CIF when known (exports FOB, imports CIF)"),
    Column("quantity", pa.float64(), "quantity in `unit`; null when not published"),
    Column("unit", pa.string(), "unit of quantity: kg, t, or the publisher's unit abbreviation"),
    Column("source", pa.string(), "'<format>:<file name>' the row was read from", False),
    Column("source_line", pa.int64(), "line (CSV) or record number (JSON) in the source"),
    Column("flags", pa.string(),
           "';'-separated: confidential, not_available, estimated, provisional, "
           "negative_value, quantity_missing, aggregate_reporter, aggregate_partner, "
           "unspecified_partner, confidential_partner, unknown_reporter, unknown_partner, "
           "code_padded, breakdown"),
)

FLOW_SCHEMA = pa.schema([pa.field(c.name, c.type, nullable=c.nullable) for c in FLOW_COLUMNS])

#: Flags that remove a row from bilateral analyses (it is not a country-to-country cell).
EXCLUDING_FLAGS: tuple[str, ...] = (
    "aggregate_reporter", "aggregate_partner", "unspecified_partner", "confidential_partner",
    "unknown_reporter", "unknown_partner", "breakdown",
)

FLAG_NAMES: tuple[str, ...] = (
    "confidential", "not_available", "estimated", "provisional", "negative_value",
    "quantity_missing", "quantity_estimated", "aggregate_reporter", "aggregate_partner",
    "unspecified_partner", "confidential_partner", "unknown_reporter", "unknown_partner",
    "code_padded", "breakdown",
)
FLAG_BIT: dict[str, int] = {name: 1 << i for i, name in enumerate(FLAG_NAMES)}


def flags_text(bits: int) -> str | None:
    """The ';'-joined flag names of a bit mask (None when no flag is set)."""
    names = [n for n in FLAG_NAMES if bits & FLAG_BIT[n]]
    return ";".join(names) if names else None


def flows_markdown() -> str:
    """The tidy table's columns as Markdown (used in docs/trade.md)."""
    return markdown_table(FLOW_COLUMNS)
