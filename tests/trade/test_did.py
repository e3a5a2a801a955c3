from __future__ import annotations

import math
from datetime import date

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from armswatch.errors import ConfigError
from armswatch.trade._did import (
    SurgeConfig,
    benjamini_hochberg,
    estimate_group,
    is_post,
)

PERIODS = [f"{y}-{m:02d}" for y in (2021, 2022) for m in range(1, 13)]


def panel(values: dict[tuple[str, str], float], *, post_factor: dict[str, float] | None = None,
          other: float = 5e5, other_factor: dict[str, float] | None = None,
          reporters: tuple[str, ...] = ("DEU", "FRA", "ITA", "POL", "ESP"),
          noise: float = 0.0, seed: int = 0) -> pa.Table:
    """Rows for one (flow, group): values[(partner, reporter)] is the monthly group value
    before the date; after it the group is multiplied by post_factor[partner] and other
    goods by other_factor[partner]."""
    rng = np.random.default_rng(seed)
    rows = []
    for (partner, reporter), base in values.items():
        if reporter not in reporters:
            continue
        for t in PERIODS:
            after = is_post(t, date(2022, 2, 24))
            y = base * ((post_factor or {}).get(partner, 1.0) if after else 1.0)
            o = other * ((other_factor or {}).get(partner, 1.0) if after else 1.0)
            if noise:
                y *= math.exp(rng.normal(0, noise))
                o *= math.exp(rng.normal(0, noise))
            rows.append({"partner": partner, "reporter": reporter, "period": t, "y": y,
                         "y_null": 0, "y_conf": 0, "detailed": y + o, "total": None})
    return pa.Table.from_pylist(rows)


def _grid(partners: list[str], base: float = 2e5) -> dict[tuple[str, str], float]:
    return {(p, r): base * (1 + i) for i, p in enumerate(partners)
            for r in ("DEU", "FRA", "ITA", "POL", "ESP")}


def _est(table: pa.Table, **cfg: object) -> dict[str, dict[str, object]]:
    config = SurgeConfig(**{"bootstrap": 99, "min_value_per_year": 0.0, **cfg})  # type: ignore[arg-type]
    rows = estimate_group(table, config, "export", "g", "EUR", "M")
    return {str(r["partner"]): r for r in rows}


def test_exact_effect_product_and_destination() -> None:
    parts = ["KGZ", "ARM", "GEO", "SRB"]
    t = panel(_grid(parts), post_factor={"KGZ": 3.0})
    prod = _est(t, design="product")["KGZ"]
    assert prod["estimate"] == pytest.approx(math.log(3.0))
    assert prod["ratio"] == pytest.approx(3.0)
    assert prod["ref_ratio"] == pytest.approx(1.0)
    dest = _est(t, design="destination")["KGZ"]
    assert dest["estimate"] == pytest.approx(math.log(3.0))
    assert _est(t, design="destination")["ARM"]["estimate"] == pytest.approx(0.0)


def test_general_growth_is_removed_by_product_design() -> None:
    """All goods to SRB rise x2: the product DiD stays zero, the destination DiD does not."""
    parts = ["KGZ", "ARM", "GEO", "SRB"]
    t = panel(_grid(parts), post_factor={"SRB": 2.0}, other_factor={"SRB": 2.0})
    assert _est(t, design="product")["SRB"]["estimate"] == pytest.approx(0.0, abs=1e-12)
    assert _est(t, design="destination")["SRB"]["estimate"] == pytest.approx(math.log(2))
    assert _est(t, design="triple")["SRB"]["estimate"] == pytest.approx(0.0, abs=1e-12)


def test_global_boom_is_removed_by_destination_design() -> None:
    parts = ["KGZ", "ARM", "GEO", "SRB", "TUR"]
    t = panel(_grid(parts), post_factor=dict.fromkeys(parts, 1.7))
    assert _est(t, design="destination")["KGZ"]["estimate"] == pytest.approx(0.0, abs=1e-12)
    assert _est(t, design="product")["KGZ"]["estimate"] == pytest.approx(math.log(1.7))


def test_median_control_resists_other_routes() -> None:
    """Two other partners that are themselves routes do not hide a third (median)."""
    parts = ["KGZ", "ARM", "GEO", "SRB", "TUR", "MNG", "IND"]
    t = panel(_grid(parts), post_factor={"KGZ": 2.0, "ARM": 5.0, "GEO": 5.0})
    assert _est(t, design="destination")["KGZ"]["estimate"] == pytest.approx(math.log(2))


def test_target_and_excluded_partners() -> None:
    parts = ["RUS", "KGZ", "ARM", "DEU"]
    t = panel(_grid(parts), post_factor={"RUS": 0.2})
    res = _est(t, design="product", targets=("RUS",), exclude=("DEU",))
    assert res["RUS"]["is_target"] is True
    assert res["RUS"]["estimate"] == pytest.approx(math.log(0.2))
    assert str(res["DEU"]["status"]).startswith("excluded")
    assert res["KGZ"]["n_controls"] == 1  # ARM only: not RUS, not DEU, not itself


def test_uncertainty_covers_truth_and_detects_surge() -> None:
    parts = ["KGZ", "ARM", "GEO", "SRB", "TUR"]
    t = panel(_grid(parts), post_factor={"KGZ": 2.5}, noise=0.3, seed=3)
    res = _est(t, design="product", bootstrap=199)
    k = res["KGZ"]
    assert k["ci_low"] < math.log(2.5) < k["ci_high"]
    assert k["ci_low"] > 0
    assert k["p_surge"] < 0.01
    assert res["ARM"]["ci_low"] < 0 < res["ARM"]["ci_high"]


def test_small_partners_not_tested() -> None:
    t = panel({("KGZ", "DEU"): 10.0, ("ARM", "DEU"): 2e6}, post_factor={"KGZ": 50.0})
    res = _est(t, design="product", min_value_per_year=1e6)
    assert "below" in str(res["KGZ"]["status"])
    assert res["KGZ"]["estimate"] is None


def test_zero_before_is_clipped_not_infinite() -> None:
    rows = panel({("KGZ", "DEU"): 1e6, ("ARM", "DEU"): 1e6}).to_pylist()
    for r in rows:
        if r["partner"] == "KGZ" and not is_post(str(r["period"]), date(2022, 2, 24)):
            r["detailed"] = float(r["detailed"]) - float(r["y"])  # type: ignore[arg-type]
            r["y"] = 0.0
    res = _est(pa.Table.from_pylist(rows), design="product")
    assert res["KGZ"]["estimate"] == pytest.approx(10.0)


@settings(max_examples=25, deadline=None)
@given(st.floats(1e-3, 1e6), st.floats(0.2, 5.0))
def test_scale_invariance(scale: float, factor: float) -> None:
    parts = ["KGZ", "ARM", "GEO"]
    a = panel(_grid(parts), post_factor={"KGZ": factor}, noise=0.2, seed=1)
    b = panel({k: v * scale for k, v in _grid(parts).items()}, post_factor={"KGZ": factor},
              other=5e5 * scale, noise=0.2, seed=1)
    ea, eb = _est(a, design="product")["KGZ"], _est(b, design="product")["KGZ"]
    assert eb["estimate"] == pytest.approx(ea["estimate"], rel=1e-9, abs=1e-9)
    assert eb["ci_low"] == pytest.approx(ea["ci_low"], rel=1e-9, abs=1e-9)


@pytest.mark.parametrize(("period", "post"), [
    ("2022-01", False), ("2022-02", False), ("2022-03", True), ("2021", False),
    ("2022", True), ("2023", True)])
def test_is_post(period: str, post: bool) -> None:
    assert is_post(period, date(2022, 2, 24)) is post


def test_is_post_boundaries() -> None:
    assert is_post("2022-03", date(2022, 3, 1)) is True
    assert is_post("2022", date(2022, 12, 1)) is False


def test_benjamini_hochberg() -> None:
    q = benjamini_hochberg([0.01, 0.04, 0.03, None, 0.2])
    assert q[3] is None
    assert q[0] == pytest.approx(0.04)
    assert q[1] == pytest.approx(0.16 / 3)  # step-up: min(0.04*4/3, 0.03*4/2)
    assert q[2] == pytest.approx(0.16 / 3)
    assert q[4] == pytest.approx(0.2)


def test_config_checks() -> None:
    with pytest.raises(ConfigError):
        SurgeConfig(design="magic")
    with pytest.raises(ConfigError):
        SurgeConfig(min_ratio=0.5)
