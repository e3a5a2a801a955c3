"""Trade flows: find the third countries that hide a supply route.

Readers turn Eurostat, UN Comtrade and CEPII BACI tables into one tidy flow table; mirror
gaps compare what exporters and importers report; surges estimate a difference-in-
differences before/after a sanctions date for product groups of concern; the ranking turns
both into an explained list of suspicious routes.
"""

from armswatch.trade._formats import ReadOptions
from armswatch.trade._groups import ProductGroup, ch93_items, chpl_items, resolve_groups
from armswatch.trade._read import FileReport, ReadReport, read_file, read_flows
from armswatch.trade._schema import FLOW_COLUMNS, FLOW_SCHEMA

__all__ = [
    "FLOW_COLUMNS",
    "FLOW_SCHEMA",
    "FileReport",
    "ProductGroup",
    "ReadOptions",
    "ReadReport",
    "ch93_items",
    "chpl_items",
    "read_file",
    "read_flows",
    "resolve_groups",
]
