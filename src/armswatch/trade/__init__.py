"""Trade flows: find the third countries that hide a supply route.

Readers turn Eurostat, UN Comtrade and CEPII BACI tables into one tidy flow table
(:data:`FLOW_SCHEMA`); mirror gaps compare what exporters and importers report; surges
estimate a difference-in-differences before/after a sanctions date for product groups of
concern against other goods and control destinations; the ranking turns both into an
explained list of suspicious routes (:func:`ranked_routes`, served by the API).
"""

from __future__ import annotations

from armswatch.trade._analyze import AnalysisConfig, AnalysisResult, analyze, write_outputs
from armswatch.trade._did import SurgeConfig
from armswatch.trade._formats import ReadOptions
from armswatch.trade._generate import GeneratedTrade, GeneratorConfig, generate_routes
from armswatch.trade._groups import ProductGroup, ch93_items, chpl_items, resolve_groups
from armswatch.trade._mirror import MirrorConfig, mirror_gaps
from armswatch.trade._rank import routes_json
from armswatch.trade._read import FileReport, ReadReport, read_file, read_flows
from armswatch.trade._schema import FLOW_COLUMNS, FLOW_SCHEMA
from armswatch.trade._surge import surges


def ranked_routes(result: AnalysisResult) -> list[dict[str, object]]:
    """The ranked (transit country, product group) routes of an analysis, JSON-ready."""
    return routes_json(result.routes)


__all__ = [
    "FLOW_COLUMNS",
    "FLOW_SCHEMA",
    "AnalysisConfig",
    "AnalysisResult",
    "FileReport",
    "GeneratedTrade",
    "GeneratorConfig",
    "MirrorConfig",
    "ProductGroup",
    "ReadOptions",
    "ReadReport",
    "SurgeConfig",
    "analyze",
    "ch93_items",
    "chpl_items",
    "generate_routes",
    "mirror_gaps",
    "ranked_routes",
    "read_file",
    "read_flows",
    "resolve_groups",
    "surges",
    "write_outputs",
]
