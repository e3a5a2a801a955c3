from __future__ import annotations

import csv
from pathlib import Path

import pytest

from armswatch.errors import BadInputError, ConfigError
from armswatch.trade import ch93_items, chpl_items, resolve_groups
from armswatch.trade._groups import code_list_group
from armswatch.trade._hs import clean_code, hs_base
from tests.conftest import need


def test_chpl_has_fifty_items_in_six_tiers() -> None:
    items = chpl_items()
    assert len(items) == 50
    counts: dict[str, int] = {}
    for it in items:
        counts[it.tier] = counts.get(it.tier, 0) + 1
    assert counts == {"1": 4, "2": 5, "3.A": 16, "3.B": 9, "4.A": 11, "4.B": 5}
    assert {it.hs6 for it in items if not it.in_hs2017} == {
        "852589", "854149", "854151", "854159", "854800", "880730"}
    for it in items:  # every item is covered by its own series prefixes
        assert any(it.hs6.startswith(p) or p.startswith(it.hs6[:5]) for p in it.series_prefixes)


def test_chpl_matches_the_staged_reference_list() -> None:
    """The hand-typed table agrees code-for-code and tier-for-tier with the staged copy."""
    path = need("trade/codes/chpl_common_high_priority_list_hs6.csv")
    with path.open(encoding="utf-8") as fh:
        ref = {(r["tier"], r["hs6"]) for r in csv.DictReader(fh)}
    assert {(it.tier, it.hs6) for it in chpl_items()} == ref


def test_ch93_matches_hs_nomenclature() -> None:
    items = ch93_items()
    assert len(items) == 18
    path = need("trade/codes/hs2022_datasets-harmonized-system.csv")
    with path.open(encoding="utf-8") as fh:
        hs6 = {r["hscode"] for r in csv.DictReader(fh) if r["hscode"].startswith("93")
               and len(r["hscode"]) == 6}
    assert {it.hs6 for it in items} == hs6


def test_resolve_groups() -> None:
    groups = resolve_groups("auto", ["85423190", "93069090", "8471"])
    ids = [g.group_id for g in groups]
    assert "chpl:1" in ids
    assert "ch93" in ids
    assert "detailed" in ids
    assert {"hs2:85", "hs2:93", "hs2:84"} <= set(ids)
    with pytest.raises(ConfigError, match="unknown product group"):
        resolve_groups("nonsense", [])


def test_code_list(tmp_path: Path) -> None:
    f = tmp_path / "ban.csv"
    f.write_text("# my list\ncode,label\n8471.50,cpu\n930690,shells\n")
    g = code_list_group(f)
    assert g.prefixes == ("847150", "930690")
    f.write_text("code\nabc\n")
    with pytest.raises(BadInputError, match="not a product code"):
        code_list_group(f)


@pytest.mark.parametrize(("raw", "expected"), [
    ("TOTAL", ("TOTAL", 0, False)), ("Total", ("TOTAL", 0, False)),
    ("TOTAL-Total", ("TOTAL", 0, False)), ("8471.50", ("847150", 6, False)),
    ("10121", ("010121", 6, True)), ("8471 - Automatic data-processing", ("8471", 4, False)),
    ("8471SSSS", ("8471SSSS", 4, False)),
])
def test_clean_code(raw: str, expected: tuple[str, int, bool]) -> None:
    assert clean_code(raw) == expected


def test_hs_base() -> None:
    assert hs_base("CN2021") == "HS2017"
    assert hs_base("CN2022") == "HS2022"
    assert hs_base("HS2012") == "HS2012"
    assert hs_base(None) is None
