from __future__ import annotations

import csv

from armswatch.risk import bundled_flag_table
from tests.conftest import need


def test_flag_by_name_code_and_mid() -> None:
    t = bundled_flag_table()
    assert t.risk("Democratic People's Republic of Korea").risk == 1.0
    assert t.risk("KP").flag == "KP"
    assert t.risk("Sierra Leone").category == "flag_of_convenience"
    dk = t.risk("Denmark")
    assert (dk.flag, dk.risk, dk.category) == ("DK", 0.0, "other")
    by_mid = t.risk(None, mmsi=445_123_456)
    assert (by_mid.flag, by_mid.basis) == ("KP", "mid")
    assert t.risk(None, mmsi=None).category == "unknown"
    assert t.risk(None, mmsi=2_190_000).category == "unknown"  # not a ship-station MMSI


def test_mids_agree_with_itu_reference() -> None:
    """Every hand-typed MID names the same country in the ITU MID list (shared data)."""
    path = need("ais/reference/itu_maritime_identification_digits.csv")
    with path.open(encoding="utf-8") as fh:
        itu = {int(r["MID"]): r["Allocated_to"] for r in csv.DictReader(fh)}
    t = bundled_flag_table()
    from rigour.territories import lookup_territory

    for mid, code in t.by_mid.items():
        allocated = itu[mid]
        # "United Kingdom ... - Bermuda" style entries name the territory after the dash
        name = allocated.split(" - ")[-1]
        terr = lookup_territory(name) or lookup_territory(name.split(" (")[0])
        assert terr is not None, allocated
        assert str(terr.code).upper() == code, (mid, allocated, code)
