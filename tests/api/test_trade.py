"""/trade/routes serves what `armswatch trade analyze` writes (real outputs, generated flows)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from armswatch.api import Settings, create_app


@pytest.mark.slow
def test_trade_package_outputs_are_served(tmp_path: Path) -> None:
    from armswatch.trade import (
        AnalysisConfig,
        GeneratorConfig,
        SurgeConfig,
        analyze,
        generate_routes,
        ranked_routes,
        write_outputs,
    )

    gen = generate_routes(GeneratorConfig(n_candidates=8, n_routes=3, n_origins=4))
    result = analyze(gen.flows, AnalysisConfig(surge=SurgeConfig(bootstrap=49)))
    write_outputs(result, tmp_path / "trade", write_flows=False)
    s = Settings(data_dir=tmp_path, keys_path=tmp_path / "keys.json")
    with TestClient(create_app(s, warm=False)) as c:
        resp = c.get("/trade/routes", params={"limit": 1000})
        assert resp.status_code == 200, resp.text
        body = resp.json()
    expected = ranked_routes(result)
    assert expected, "the generated flows have injected routes"
    assert [(r["rank"], r["transit"], r["group_id"]) for r in body["routes"]] == [
        (r["rank"], r["transit"], r["group_id"]) for r in expected]
    assert [c["transit"] for c in body["countries"]] == result.countries.column(
        "transit").to_pylist()
    assert body["targets"] == ["RUS"]
    assert body["sanction_date"] == "2022-02-24"
