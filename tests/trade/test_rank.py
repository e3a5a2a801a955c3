from __future__ import annotations

import math
from datetime import date

import pyarrow as pa
import pytest

from armswatch.trade._rank import EVIDENCE_CAP, mirror_shifts, rank
from armswatch.trade._surge import RESULT_SCHEMA


def _est(partner: str, group: str, ci_low: float, post: float, kind: str = "partition",
         flagged: bool = True) -> dict[str, object]:
    row: dict[str, object] = {f.name: None for f in RESULT_SCHEMA}
    row.update({"flow": "export", "group_id": group, "group_label": group, "group_kind": kind,
                "currency": "EUR", "partner": partner, "is_target": False, "status": "ok",
                "flagged": flagged, "estimate": ci_low + 0.5, "ci_low": ci_low,
                "ci_high": ci_low + 1, "q_value": 0.01, "design": "product", "ratio": 3.0,
                "ref_ratio": 1.2, "pre_mean": post / 3, "post_mean": post})
    return row


def _mirror(importer: str, ratios: dict[str, float]) -> pa.Table:
    rows = [{"exporter": "EU27", "importer": importer, "hs_code": "TOTAL", "hs_level": 0,
             "period": y, "export_value": 100.0, "import_value": 110.0 * r,
             "expected_import": 110.0, "gap_ratio": r, "is_group": 1, "flags": ""}
            for y, r in ratios.items()]
    return pa.Table.from_pylist(rows)


def test_routes_ordered_by_excess_value_and_countries_by_score() -> None:
    est = pa.Table.from_pylist([
        _est("KGZ", "hs2:85", 0.5, 5e7),
        _est("KGZ", "hs2:89", 5.0, 1e5),  # tiny flow, huge factor: evidence capped
        _est("ARM", "hs2:84", 0.9, 2e7),
        _est("GEO", "hs2:84", 0.2, 1e6, flagged=False),
    ], schema=RESULT_SCHEMA)
    mirror = _mirror("KGZ", {"2020": 0.9, "2021": 0.8, "2022": 0.4})
    countries, routes = rank(est, mirror, date(2022, 2, 24), "M")
    r = routes.to_pylist()
    assert [x["group_id"] for x in r] == ["hs2:85", "hs2:84", "hs2:89"]
    assert r[0]["excess_value_low"] == pytest.approx(5e7 * (1 - math.exp(-0.5)) * 12)
    assert r[2]["evidence"] == pytest.approx(EVIDENCE_CAP)
    c = {x["transit"]: x for x in countries.to_pylist()}
    assert c["KGZ"]["rank"] == 1
    assert c["KGZ"]["mirror_evidence"] == pytest.approx(math.log(0.85 / 0.4))
    assert c["KGZ"]["best_group"] == "hs2:85"
    assert "GEO" not in c
    assert "mirror:" in c["KGZ"]["explanation"]


def test_mirror_shift_ignores_partial_years() -> None:
    t = _mirror("ARM", {"2021": 1.0, "2022": 0.8, "2023": 0.06})
    rows = t.to_pylist()
    rows[-1]["flags"] = "importer_total_fell;"
    shift = mirror_shifts(pa.Table.from_pylist(rows), date(2022, 2, 24))["ARM"]
    assert shift.years_after == ("2022",)
    assert shift.ratio_after == pytest.approx(0.8)
