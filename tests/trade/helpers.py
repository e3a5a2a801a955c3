"""Build small tidy flow tables for tests."""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa

from armswatch.trade import FLOW_SCHEMA


def flows(rows: Iterable[dict[str, object]]) -> pa.Table:
    """Tidy rows with defaults for the columns a test does not care about."""
    out = []
    for i, r in enumerate(rows):
        period = str(r.get("period", "2022"))
        row: dict[str, object] = {
            "period": period, "freq": "M" if len(period) == 7 else "A",
            "reporter": "DEU", "reporter_m49": None, "partner": "KGZ", "partner_m49": None,
            "flow": "export", "hs_code": "TOTAL", "hs_level": 0, "hs_version": None,
            "value": 0.0, "currency": "EUR", "value_basis": None, "quantity": None,
            "unit": None, "source": "test", "source_line": i + 1, "flags": None,
        }
        row.update(r)
        if row["hs_code"] != "TOTAL" and "hs_level" not in r:
            row["hs_level"] = len(str(row["hs_code"]))
        out.append(row)
    return pa.Table.from_pylist(out, schema=FLOW_SCHEMA)
