"""Flag risk: a cited table (``armswatch/data/risk_flags.csv``) keyed by ISO flag or MID."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from armswatch.errors import BadInputError
from armswatch.network._ids import normalise_flag
from armswatch.paths import package_data

FLAG_COLUMNS = ("flag", "name", "mids", "category", "risk")


@dataclass(frozen=True, slots=True)
class FlagRisk:
    flag: str | None  # ISO 3166 alpha-2, upper case; None when unknown
    risk: float  # 0-1
    category: str  # sanctioned_state, flag_of_convenience, other, unknown
    basis: str  # how the flag was found: "flag" (as listed/registered), "mid" (from MMSI), "none"


@dataclass(frozen=True, slots=True)
class FlagTable:
    by_flag: dict[str, tuple[float, str]]
    by_mid: dict[int, str]

    def flag_of_mmsi(self, mmsi: int | None) -> str | None:
        """The flag of a ship-station MMSI (first three digits = MID), when in the table."""
        if mmsi is None or not 200_000_000 <= mmsi <= 799_999_999:
            return None
        return self.by_mid.get(mmsi // 1_000_000)

    def risk(self, flag: str | None = None, mmsi: int | None = None) -> FlagRisk:
        """Risk of a flag (ISO code or country name); falls back to the MMSI's MID."""
        code = normalise_flag(flag) if flag else None
        basis = "flag"
        if code is None:
            code, basis = self.flag_of_mmsi(mmsi), "mid"
        if code is None:
            return FlagRisk(None, 0.0, "unknown", "none")
        risk, category = self.by_flag.get(code, (0.0, "other"))
        return FlagRisk(code, risk, category, basis)


def read_flag_table(path: Path) -> FlagTable:
    with path.open(encoding="utf-8") as fh:
        lines = [ln for ln in fh if not ln.startswith("#")]
    reader = csv.DictReader(lines)
    missing = set(FLAG_COLUMNS) - set(reader.fieldnames or ())
    if missing:
        raise BadInputError(f"flag table lacks columns {sorted(missing)}", path)
    by_flag: dict[str, tuple[float, str]] = {}
    by_mid: dict[int, str] = {}
    for i, row in enumerate(reader, start=2):
        try:
            risk = float(row["risk"])
            mids = [int(m) for m in row["mids"].split(";") if m.strip()]
        except ValueError as exc:
            raise BadInputError(f"bad number in flag table: {exc}", path, i) from None
        if not 0.0 <= risk <= 1.0:
            raise BadInputError("flag risk outside [0, 1]", path, i)
        code = row["flag"].strip().upper()
        by_flag[code] = (risk, row["category"].strip())
        for mid in mids:
            by_mid[mid] = code
    return FlagTable(by_flag, by_mid)


@cache
def bundled_flag_table() -> FlagTable:
    return read_flag_table(package_data("risk_flags.csv"))
