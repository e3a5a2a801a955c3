"""Product groups of concern: the CHPL, HS chapter 93, chapters/headings, user code lists.

A group is a set of code prefixes; a published code belongs to the group when it starts
with one of them. Groups are data (:class:`ProductGroup`), built from a short spec string
such as ``"chpl,ch93,hs2"`` so the CLI, the API and tests name them the same way.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from armswatch.errors import BadInputError, ConfigError
from armswatch.paths import package_data

CHPL_SOURCE = ("BIS Common High Priority List, 2024-02-23 "
               "(https://www.bis.gov/licensing/country-guidance/common-high-priority-items-list-chpl)")
CH93_SOURCE = "WCO Harmonized System 2022, chapter 93 (arms and ammunition)"

#: Kinds: "list" (a published list of concern), "partition" (HS chapters or headings, which
#: do not overlap), "all" (every detailed code in the inputs).
LIST, PARTITION, ALL = "list", "partition", "all"


@dataclass(frozen=True, slots=True)
class ProductGroup:
    """A named set of product-code prefixes."""

    group_id: str
    label: str
    prefixes: tuple[str, ...]  # empty = every detailed code
    kind: str
    source: str


@dataclass(frozen=True, slots=True)
class ChplItem:
    tier: str
    hs6: str
    description: str
    in_hs2017: bool
    series_prefixes: tuple[str, ...]
    series_is_broader: bool


@dataclass(frozen=True, slots=True)
class Ch93Item:
    hs6: str
    heading: str
    description: str


def _rows(name: str) -> list[dict[str, str]]:
    with package_data(name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(ln for ln in fh if not ln.startswith("#")))


@cache
def chpl_items() -> tuple[ChplItem, ...]:
    """The 50 CHPL items (tier, HS6, description, HS2017/HS2022 series prefixes)."""
    return tuple(
        ChplItem(
            tier=r["tier"], hs6=r["hs6"], description=r["description"],
            in_hs2017=r["in_hs2017"] == "yes",
            series_prefixes=tuple(p for p in r["series_prefixes"].split(";") if p),
            series_is_broader=r["series_is_broader"] == "yes",
        )
        for r in _rows("trade_chpl_hs6.csv")
    )


@cache
def ch93_items() -> tuple[Ch93Item, ...]:
    """The 18 HS6 subheadings of chapter 93 (arms and ammunition)."""
    return tuple(Ch93Item(r["hs6"], r["heading"], r["description"])
                 for r in _rows("trade_hs_chapter93.csv"))


def chpl_groups(by_tier: bool = True) -> list[ProductGroup]:
    """CHPL as one group per tier (``chpl:1`` ... ``chpl:4.B``) or one group ``chpl``."""
    items = chpl_items()
    if not by_tier:
        prefixes = tuple(sorted({p for it in items for p in it.series_prefixes}))
        return [ProductGroup("chpl", "Common High Priority List (50 HS6)", prefixes, LIST,
                             CHPL_SOURCE)]
    tiers = sorted({it.tier for it in items})
    return [
        ProductGroup(
            f"chpl:{t}", f"CHPL tier {t}",
            tuple(sorted({p for it in items if it.tier == t for p in it.series_prefixes})),
            LIST, CHPL_SOURCE,
        )
        for t in tiers
    ]


def ch93_group() -> ProductGroup:
    return ProductGroup("ch93", "HS 93 arms and ammunition", ("93",), LIST, CH93_SOURCE)


@cache
def hs_chapters() -> dict[str, str]:
    """HS chapter -> short title (WCO HS 2022, abridged)."""
    return {r["chapter"]: r["title"] for r in _rows("trade_hs_chapters.csv")}


def partition_groups(level: int, codes: Iterable[str], labels: dict[str, str] | None = None,
                     ) -> list[ProductGroup]:
    """One group per HS chapter (level 2) or heading (level 4) present in ``codes``."""
    prefixes = sorted({c[:level] for c in codes if len(c) >= level and c[:level].isdecimal()})
    if labels is None:
        labels = {ch: f"HS {ch} {title}" for ch, title in hs_chapters().items()} \
            if level == 2 else {}
    return [ProductGroup(f"hs{level}:{p}", labels.get(p, f"HS {p}"), (p,), PARTITION,
                         f"HS {'chapter' if level == 2 else 'heading'} {p}")
            for p in prefixes]


def detailed_group() -> ProductGroup:
    return ProductGroup("detailed", "all detailed codes in the inputs", (), ALL,
                        "the inputs (every row below TOTAL)")


def code_list_group(path: Path) -> ProductGroup:
    """A group from a user CSV: the first column whose name contains 'code' (or column 1).

    Lines starting with ``#`` are comments; codes are cleaned like published codes.
    """
    from armswatch.trade._columns import comment_csv_lines
    from armswatch.trade._hs import clean_code

    reader = csv.reader(comment_csv_lines(path, "code list"))
    header = next(reader, None)
    if header is None:
        raise BadInputError("code list is empty", path)
    col = next((i for i, h in enumerate(header) if "code" in h.lower()), 0)
    first = header[col].strip().replace(".", "")
    codes = [] if not first.isdecimal() else [first]
    for i, row in enumerate(reader, start=2):
        if len(row) <= col:
            raise BadInputError(f"no column {col + 1} in code list row", path, i)
        code, level, _ = clean_code(row[col])
        if level == 0 or not code.isdecimal():
            raise BadInputError(f"not a product code: {row[col]!r}", path, i)
        codes.append(code)
    if not codes:
        raise BadInputError("code list has no codes", path)
    return ProductGroup(f"codes:{path.stem}", f"codes listed in {path.name}",
                        tuple(sorted(set(codes))), LIST, str(path))


GROUP_SPEC_HELP = (
    "comma-separated: chpl (one group per CHPL tier), chpl-all, ch93, hs2 (each chapter), "
    "hs4 (each heading), detailed (all codes in the inputs as one group), or a path to a "
    "CSV code list; 'auto' = chpl,ch93,hs2,detailed"
)


def resolve_groups(spec: str | Sequence[str], detailed_codes: Iterable[str]) -> list[ProductGroup]:
    """Build the groups named in ``spec`` (see :data:`GROUP_SPEC_HELP`)."""
    tokens = [t.strip() for t in (spec.split(",") if isinstance(spec, str) else spec)]
    tokens = [t for t in tokens if t]
    if "auto" in tokens:
        tokens.remove("auto")
        tokens = ["chpl", "ch93", "hs2", "detailed", *tokens]
    codes = list(detailed_codes)
    groups: list[ProductGroup] = []
    for tok in tokens:
        low = tok.lower()
        if low == "chpl":
            groups += chpl_groups(True)
        elif low == "chpl-all":
            groups += chpl_groups(False)
        elif low == "ch93":
            groups.append(ch93_group())
        elif low in ("hs2", "hs4"):
            groups += partition_groups(int(low[2]), codes)
        elif low == "detailed":
            groups.append(detailed_group())
        elif Path(tok).suffix.lower() in (".csv", ".txt"):
            groups.append(code_list_group(Path(tok)))
        else:
            raise ConfigError(f"unknown product group {tok!r}; expected {GROUP_SPEC_HELP}")
    seen: set[str] = set()
    unique = []
    for g in groups:
        if g.group_id not in seen:
            seen.add(g.group_id)
            unique.append(g)
    return unique
