"""The trade step of ``armswatch demo``: generated routes -> analysis -> report."""

from __future__ import annotations

import json
from pathlib import Path

from armswatch.trade._analyze import AnalysisConfig, analyze, write_outputs
from armswatch.trade._did import SurgeConfig
from armswatch.trade._generate import GeneratorConfig, generate_routes, precision_recall


def demo_step(output: Path, config: GeneratorConfig | None = None) -> str:
    """Generate exports with injected routes, analyse them, write ``output/trade``; return a
    one-line summary with precision and recall against the injected truth."""
    out = output / "trade"
    gen = config or GeneratorConfig()
    data = generate_routes(gen)
    result = analyze(data.flows, AnalysisConfig(groups="hs2,ch93,chpl",
                                                surge=SurgeConfig(bootstrap=199, seed=gen.seed)))
    write_outputs(result, out, write_flows=False)
    (out / "truth.json").write_text(json.dumps({"routes": data.routes}, indent=1))
    flagged = {(str(r["transit"]), str(r["group_id"])) for r in result.routes.to_pylist()
               if str(r["group_id"]).startswith("hs2:")}
    p, r = precision_recall(flagged, set(data.routes))
    top = result.countries.column("transit").to_pylist()[:3]
    return (f"trade: {len(data.routes)} injected routes, {len(flagged)} flagged "
            f"(precision {p:.2f}, recall {r:.2f}); top transit countries {', '.join(top)}; "
            f"report {out / 'report.html'}")
