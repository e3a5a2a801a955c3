"""Batch screening files: read QUERIES.csv, write RESULTS.csv.

QUERIES.csv has a header with at least ``name`` (and normally ``id``); optional columns
``schema``, ``dob`` (or ``birth_date``), ``country`` (several separated by ``;``),
``imo``, ``mmsi``, ``passport``, ``national_id``, ``tax_id``, ``program``, ``list``.
A row that cannot be screened (empty or over-long name, bad schema) still produces a
result row that says why; the batch goes on.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from armswatch.errors import BadInputError
from armswatch.screening._models import Match, Query

RESULT_COLUMNS = (
    "query_id",
    "rank",
    "entity_id",
    "schema",
    "entity_name",
    "matched_name",
    "score",
    "is_match",
    "lists",
    "programs",
    "explanation",
)
_ID_COLUMNS = ("imo", "mmsi", "passport", "national_id", "tax_id", "registration", "call_sign")


@dataclass(frozen=True, slots=True)
class QueryRow:
    """One row of QUERIES.csv: a query, or the reason it could not be made."""

    query_id: str
    line: int
    query: Query | None
    error: str = ""


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.replace(",", ";").split(";") if v.strip())


def count_rows(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return max(0, sum(1 for _ in csv.reader(fh)) - 1)


def read_queries(path: Path, top: int, threshold: float | None) -> Iterator[QueryRow]:
    """Rows of QUERIES.csv as queries (BadInputError if the file or header is unusable)."""
    try:
        fh = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise BadInputError(f"cannot read queries: {exc.strerror}", path) from exc
    with fh:
        reader = csv.DictReader(fh)
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
        if "name" not in header:
            raise BadInputError(
                "QUERIES.csv needs a header with a 'name' column (and 'id'); found: "
                + (", ".join(header) or "no header"),
                path,
                1,
            )
        reader.fieldnames = header
        for number, row in enumerate(reader, start=1):
            line = reader.line_num
            yield _row_to_query(row, number, line, top, threshold)


def _row_to_query(
    row: dict[str, str | None], number: int, line: int, top: int, threshold: float | None
) -> QueryRow:
    def get(key: str) -> str:
        value = row.get(key)
        return value.strip() if isinstance(value, str) else ""

    query_id = get("id") or str(number)
    name = get("name")
    if not name or not any(ch.isalnum() for ch in name):
        return QueryRow(query_id, line, None, f"line {line}: empty name (nothing to screen)")
    identifiers = {k: get(k) for k in _ID_COLUMNS if get(k)}
    try:
        query = Query(
            name=name,
            schema=get("schema") or None,
            birth_date=get("dob") or get("birth_date") or None,
            countries=_split(get("country") or get("countries") or get("nationality")),
            identifiers=identifiers,
            programs=_split(get("program") or get("programs")),
            lists=_split(get("list") or get("lists")),
            top=top,
            threshold=threshold,
        )
    except ValidationError as exc:
        reason = "; ".join(str(e["msg"]) for e in exc.errors())
        return QueryRow(query_id, line, None, f"line {line}: {reason}")
    return QueryRow(query_id, line, query)


def result_rows(query_id: str, matches: list[Match], empty_reason: str) -> list[list[str]]:
    """RESULTS.csv rows of one query: one per candidate, or one empty row saying why."""
    if not matches:
        return [[query_id, "0", "", "", "", "", "0", "false", "", "", empty_reason]]
    return [
        [
            query_id,
            str(rank),
            m.entity_id,
            m.schema,
            m.entity_name,
            m.matched_name,
            f"{m.score:.4f}",
            "true" if m.is_match else "false",
            ";".join(m.lists),
            ";".join(m.programs),
            m.explanation,
        ]
        for rank, m in enumerate(matches, start=1)
    ]


def open_results(path: Path) -> TextIO:
    """RESULTS.csv opened for writing, header written."""
    try:
        fh = path.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        raise BadInputError(f"cannot write results: {exc.strerror}", path) from exc
    csv.writer(fh).writerow(RESULT_COLUMNS)
    return fh
