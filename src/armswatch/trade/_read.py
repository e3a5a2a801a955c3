"""Read trade tables (CSV, gzip CSV, JSON, Parquet) into the tidy flow table.

The format is recognised from the column names (see :mod:`armswatch.trade._formats`);
columns a format does not know are reported, never silently used. CSV files are streamed
in blocks so progress can be shown on large extracts.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from armswatch.errors import BadInputError, UnknownFormatError
from armswatch.trade._columns import Batch
from armswatch.trade._formats import FormatSpec, ReadOptions, detect, expected_formats, norm_col
from armswatch.trade._schema import FLAG_NAMES, FLOW_SCHEMA

#: progress(bytes_done, bytes_total) for the file being read
Progress = Callable[[int, int], None]

_BLOCK_BYTES = 8 << 20


@dataclass
class FileReport:
    """What was read from one file and what was odd about it."""

    path: str
    format: str
    rows: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    flag_counts: dict[str, int] = field(default_factory=dict)
    null_values: int = 0
    currencies: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"{self.path}: {self.rows:,} rows read as {self.format}"]
        if self.ignored_columns:
            out.append(f"  ignored columns (not used by {self.format}): "
                       + ", ".join(self.ignored_columns))
        if self.null_values:
            out.append(f"  {self.null_values:,} cells without a value (kept as null, flagged)")
        for name, count in sorted(self.flag_counts.items()):
            out.append(f"  {count:,} rows flagged {name}")
        out += [f"  note: {n}" for n in self.notes]
        return out


@dataclass
class ReadReport:
    files: list[FileReport] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)

    def currencies(self) -> list[str]:
        return sorted({c for f in self.files for c in f.currencies})

    def lines(self) -> list[str]:
        out = [line for f in self.files for line in f.lines()]
        cur = self.currencies()
        if len(cur) > 1:
            out.append(f"mixed currencies in the inputs: {', '.join(cur)} (series are never "
                       "summed across currencies; pass an FX table to convert)")
        return out


class _Counting(io.RawIOBase):
    """A read-only file wrapper that reports the bytes consumed."""

    def __init__(self, fh: IO[bytes], total: int, progress: Progress | None) -> None:
        self._fh = fh
        self.total = total
        self.done = 0
        self._progress = progress

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        n = self._fh.readinto(b)  # type: ignore[attr-defined]
        self.done += n or 0
        if self._progress is not None:
            self._progress(self.done, self.total)
        return int(n or 0)

    def close(self) -> None:
        self._fh.close()
        super().close()


def _is_gzip(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(2) == b"\x1f\x8b"


def _open_text_head(path: Path) -> str:
    with path.open("rb") as raw:
        if _is_gzip(path):
            with gzip.GzipFile(fileobj=raw) as gz:
                head = gz.read(64 * 1024)
        else:
            head = raw.read(64 * 1024)
    return head.decode("utf-8-sig", errors="replace")


def _header(path: Path) -> tuple[list[str], str]:
    text = _open_text_head(path)
    first = text.splitlines()[0] if text else ""
    if not first.strip():
        raise BadInputError("empty file or empty first line (expected a header)", path, 1)
    delim = max([",", ";", "\t", "|"], key=first.count)
    names = next(csv.reader([first], delimiter=delim))
    return [n.strip().strip("\ufeff") for n in names], delim


def _csv_batches(path: Path, names: list[str], delim: str, progress: Progress | None,
                 ) -> Iterator[tuple[pa.Table, int]]:
    total = path.stat().st_size
    counting = _Counting(path.open("rb"), total, progress)
    stream: io.RawIOBase | gzip.GzipFile = (
        gzip.GzipFile(fileobj=counting) if _is_gzip(path) else counting)
    try:
        reader = pacsv.open_csv(
            stream,
            read_options=pacsv.ReadOptions(block_size=_BLOCK_BYTES),
            parse_options=pacsv.ParseOptions(delimiter=delim),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names}, strings_can_be_null=False,
                quoted_strings_can_be_null=False),
        )
        line = 2
        for rb in reader:
            tbl = pa.Table.from_batches([rb])
            yield tbl, line
            line += tbl.num_rows
    except pa.ArrowInvalid as exc:
        raise BadInputError(f"CSV cannot be parsed: {exc}", path) from None
    finally:
        stream.close()


def _json_records(path: Path) -> tuple[list[dict[str, Any]], str]:
    try:
        doc = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise BadInputError(f"invalid JSON: {exc}", path) from None
    if isinstance(doc, dict):
        if doc.get("error"):
            raise BadInputError(f"the API response reports an error: {doc['error']!r}", path)
        for key in ("data", "dataset"):
            if isinstance(doc.get(key), list):
                return doc[key], key
        raise UnknownFormatError("JSON object without a 'data' (Comtrade+ API) or 'dataset' "
                                 "(legacy Comtrade API) list", path)
    if isinstance(doc, list):
        return doc, "records"
    raise UnknownFormatError("JSON is neither a list of records nor an API response", path)


def _strings_table(records: list[dict[str, Any]]) -> pa.Table:
    names: list[str] = []
    for rec in records:
        for k in rec:
            if k not in names:
                names.append(k)
    cols = {n: pa.array(["" if r.get(n) is None else str(r.get(n)) for r in records],
                        pa.string()) for n in names}
    return pa.table(cols)


def _originals(names: Sequence[str]) -> dict[str, str]:
    return {norm_col(n): n for n in names}


def _normalised(table: pa.Table, spec: FormatSpec) -> pa.Table:
    if spec.name == "armswatch-flows":
        return table
    return table.rename_columns([norm_col(c) for c in table.column_names])


def _ignored(names: Sequence[str], spec: FormatSpec) -> list[str]:
    known = spec.known.union(*spec.required)
    return [n for n in names if norm_col(n) not in known]


def _spec_for(path: Path, names: Sequence[str]) -> FormatSpec:
    spec = detect({norm_col(n) for n in names})
    if spec is None:
        raise UnknownFormatError(
            f"unknown trade table layout (columns: {', '.join(names[:20])}); expected one of: "
            + expected_formats(), path)
    return spec


def _account(report: FileReport, table: pa.Table) -> None:
    report.rows += table.num_rows
    report.null_values += table.column("value").null_count
    for cur in pc.unique(table.column("currency")).to_pylist():
        if cur not in report.currencies:
            report.currencies.append(cur)
    flags = table.column("flags")
    if flags.null_count == len(flags):
        return
    counts = pc.value_counts(pc.drop_null(flags)).to_pylist()
    for item in counts:
        for name in str(item["values"]).split(";"):
            report.flag_counts[name] = report.flag_counts.get(name, 0) + int(item["counts"])


def read_file(path: Path, options: ReadOptions | None = None, progress: Progress | None = None,
              ) -> tuple[pa.Table, FileReport]:
    """Read one trade table into the tidy flow table, with a report of what was odd."""
    path = Path(path)
    opts = options or ReadOptions()
    if not path.is_file():
        raise BadInputError("no such file", path)
    suffixes = "".join(path.suffixes).lower()
    parts: list[pa.Table] = []
    if suffixes.endswith((".xlsx", ".xls", ".ods")):
        raise UnknownFormatError("spreadsheets are not read; export the sheet as CSV", path)
    if suffixes.endswith(".parquet"):
        raw = pq.read_table(path)
        spec = _spec_for(path, raw.column_names)
        report = FileReport(str(path), spec.name, ignored_columns=_ignored(raw.column_names, spec))
        table = raw if spec.name == "armswatch-flows" else raw.cast(
            pa.schema([pa.field(f.name, pa.string()) for f in raw.schema]))
        batch = Batch(_normalised(table, spec), path, 1, report.notes,
                      _originals(raw.column_names))
        parts.append(spec.convert(batch, opts, f"{spec.name}:{path.name}"))
    elif suffixes.endswith(".json"):
        records, key = _json_records(path)
        table = _strings_table(records)
        if table.num_columns == 0:
            raise BadInputError(f"JSON '{key}' list is empty", path)
        spec = _spec_for(path, table.column_names)
        report = FileReport(str(path), spec.name,
                            ignored_columns=_ignored(table.column_names, spec))
        batch = Batch(_normalised(table, spec), path, 1, report.notes,
                      _originals(table.column_names))
        parts.append(spec.convert(batch, opts, f"{spec.name}:{path.name}"))
        if progress is not None:
            size = path.stat().st_size
            progress(size, size)
    else:
        names, delim = _header(path)
        spec = _spec_for(path, names)
        report = FileReport(str(path), spec.name, ignored_columns=_ignored(names, spec))
        for tbl, line in _csv_batches(path, names, delim, progress):
            batch = Batch(_normalised(tbl, spec), path, line, report.notes, _originals(names))
            part = spec.convert(batch, opts, f"{spec.name}:{path.name}")
            parts.append(part)
    result = pa.concat_tables(parts) if parts else FLOW_SCHEMA.empty_table()
    for part in parts:
        _account(report, part)
    report.notes[:] = list(dict.fromkeys(report.notes))
    if result.num_rows == 0:
        report.notes.append("no data rows")
    return result, report


def read_flows(paths: Sequence[Path], options: ReadOptions | None = None,
               progress: Callable[[Path, int, int], None] | None = None,
               ) -> tuple[pa.Table, ReadReport]:
    """Read several trade tables into one tidy table (see ``FLOW_SCHEMA``)."""
    report = ReadReport()
    tables = []
    for path in paths:
        cb: Progress | None = None
        if progress is not None:
            def cb(done: int, total: int, _p: Path = Path(path)) -> None:
                progress(_p, done, total)
        table, rep = read_file(Path(path), options, cb)
        tables.append(table)
        report.files.append(rep)
    flows = pa.concat_tables(tables) if tables else FLOW_SCHEMA.empty_table()
    return flows, report


def flag_summary(flows: pa.Table) -> Counter[str]:
    """Rows per flag in a tidy flow table."""
    out: Counter[str] = Counter()
    flags = flows.column("flags")
    for item in pc.value_counts(pc.drop_null(flags)).to_pylist():
        for name in str(item["values"]).split(";"):
            if name in FLAG_NAMES:
                out[name] += int(item["counts"])
    return out
