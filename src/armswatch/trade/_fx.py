"""Currency conversion of the tidy flow table with a user-supplied rate table.

Trade values are never summed across currencies. To combine, say, Comtrade (USD) with
Eurostat (EUR), pass a CSV ``currency,period,rate`` where ``rate`` converts one unit of
``currency`` into the target currency for ``period`` (``YYYY-MM`` or ``YYYY``; a yearly
rate is used for every month of that year when no monthly rate is given).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from armswatch.errors import BadInputError


def read_rates(path: Path) -> dict[tuple[str, str], float]:
    """Read ``currency,period,rate`` (``#`` comment lines allowed)."""
    try:
        with path.open(encoding="utf-8-sig") as fh:
            lines = [ln for ln in fh if not ln.startswith("#") and ln.strip()]
    except OSError as exc:
        raise BadInputError(f"cannot read FX table: {exc}", path) from None
    reader = csv.DictReader(lines)
    need = {"currency", "period", "rate"}
    if not need <= set(reader.fieldnames or ()):
        raise BadInputError(f"FX table needs columns {sorted(need)}", path, 1)
    rates: dict[tuple[str, str], float] = {}
    for i, row in enumerate(reader, start=2):
        try:
            rate = float(row["rate"])
        except ValueError:
            raise BadInputError(f"not a rate: {row['rate']!r}", path, i) from None
        if not rate > 0:
            raise BadInputError("rates must be positive", path, i)
        rates[(row["currency"].strip().upper(), row["period"].strip())] = rate
    return rates


def convert(flows: pa.Table, rates: dict[tuple[str, str], float], target: str) -> pa.Table:
    """Values in ``target`` currency; a missing rate is an error naming what is missing."""
    target = target.upper()
    cur = flows.column("currency").to_pylist()
    per = flows.column("period").to_pylist()
    factors = np.ones(flows.num_rows)
    missing: set[tuple[str, str]] = set()
    cache: dict[tuple[str, str], float | None] = {}
    for i, (c, p) in enumerate(zip(cur, per, strict=True)):
        if c == target:
            continue
        key = (c, p)
        if key not in cache:
            cache[key] = rates.get(key, rates.get((c, p[:4])))
        rate = cache[key]
        if rate is None:
            missing.add((c, p[:4]))
        else:
            factors[i] = rate
    if missing:
        shown = ", ".join(f"{c} {p}" for c, p in sorted(missing)[:10])
        raise BadInputError(f"no exchange rate to {target} for: {shown}"
                            + (" ..." if len(missing) > 10 else ""))
    value = pc.multiply(flows.column("value"), pa.array(factors))
    out = flows.set_column(flows.schema.get_field_index("value"), "value", value)
    return out.set_column(out.schema.get_field_index("currency"), "currency",
                          pa.array([target] * flows.num_rows, pa.string()))
