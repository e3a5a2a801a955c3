"""Write decoded AIS as a Parquet dataset, partitioned by day, idempotently.

Layout under ``out_dir``::

    positions/day=YYYY-MM-DD/<key>.parquet   sorted by (mmsi, ts_utc)
    positions/day=none/<key>.parquet         rows without any timestamp
    statics/day=…/<key>.parquet              same partitioning
    other/day=…/<key>.parquet                undecoded message types, raw payload
    ingest_report.json                       one report per key, and their total

``key`` identifies the input: the first 16 hex digits of the SHA-256 of the source file
(bytes on disk), or of the decoded tables when the input was not a file. Writing the
same input again replaces its files instead of adding rows, so re-ingesting never
duplicates data. The day is the UTC date of ``ts_utc``; rows with no timestamp at all
(files without tag blocks, receiver stamps or $PGHP lines) go to ``day=none``.

Each input is staged chunk by chunk, then sorted and split by day in DuckDB (which
spills to disk), so memory stays bounded whatever the input size.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from armswatch.ais._result import DecodeResult, IngestReport
from armswatch.engine import DuckDBBackend, SqlStep

KINDS = ("positions", "statics", "other")
REPORT_NAME = "ingest_report.json"
NO_DAY = "none"


def day_sql(kind: str) -> SqlStep:
    """The staged rows of one kind with their partition day (portable SQL)."""
    return SqlStep(
        f"SELECT *, COALESCE(CAST(CAST(ts_utc AT TIME ZONE 'UTC' AS DATE) AS VARCHAR), "
        f"'{NO_DAY}') AS day FROM staged_{kind}",
        f"dated_{kind}",
    )


def sorted_day_sql(kind: str, day: str) -> SqlStep:
    """One day of one kind, sorted by (mmsi, ts_utc), without the partition column."""
    order = "mmsi, ts_utc, line_no" if kind != "other" else "ts_utc, line_no"
    safe = day.replace("'", "''")
    return SqlStep(
        f"SELECT * EXCLUDE (day) FROM dated_{kind} WHERE day = '{safe}' ORDER BY {order}",
        f"out_{kind}",
    )


class _Batch:
    """Chunks of one input, held in memory while small, else staged as Parquet parts,
    until the input's key is known."""

    def __init__(self, root: Path, memory_rows: int) -> None:
        self.dir = root / uuid.uuid4().hex
        self.parts = 0
        self.report = IngestReport()
        self.content = hashlib.sha256()
        self.memory_rows = memory_rows
        self.held: dict[str, list[pa.Table]] = {k: [] for k in KINDS}
        self.held_rows = 0
        self.spilled = False

    def add(self, res: DecodeResult) -> None:
        for kind in KINDS:
            table: pa.Table = getattr(res, kind)
            if table.num_rows:
                sink = pa.BufferOutputStream()
                with pa.ipc.new_stream(sink, table.schema) as w:
                    w.write_table(table)
                self.content.update(sink.getvalue().to_pybytes())
                self.held[kind].append(table)
                self.held_rows += table.num_rows
        self.parts += 1
        self.report = self.report.merge(res.report)
        if self.held_rows > self.memory_rows:
            self.spill()

    def spill(self) -> None:
        for kind, tables in self.held.items():
            if tables:
                d = self.dir / kind
                d.mkdir(parents=True, exist_ok=True)
                pq.write_table(pa.concat_tables(tables), d / f"part-{self.parts:06d}.parquet",
                               compression="zstd")
        self.held = {k: [] for k in KINDS}
        self.held_rows = 0
        self.spilled = True

    def key(self) -> str:
        shas = sorted(self.report.sha256.values())
        if len(shas) == 1:
            return shas[0][:16]
        if shas:
            return hashlib.sha256("".join(shas).encode()).hexdigest()[:16]
        return self.content.hexdigest()[:16]


def _write_in_memory(tables: list[pa.Table], kind: str, key: str, out_dir: Path) -> None:
    table = pa.concat_tables(tables)
    day = pc.fill_null(pc.strftime(table.column("ts_utc"), "%Y-%m-%d"), NO_DAY)
    order = [("mmsi", "ascending"), ("ts_utc", "ascending"), ("line_no", "ascending")]
    if kind == "other":
        order = order[1:]
    for d in pc.unique(day).to_pylist():
        part = table.filter(pc.equal(day, d)).sort_by(order)
        target = out_dir / kind / f"day={d}"
        target.mkdir(parents=True, exist_ok=True)
        pq.write_table(part, target / f"{key}.parquet", compression="zstd")


def _finish(batch: _Batch, out_dir: Path) -> tuple[str, IngestReport]:
    key = batch.key()
    if batch.spilled:
        batch.spill()
    for kind in KINDS:
        for old in (out_dir / kind).glob(f"day=*/{key}.parquet"):
            old.unlink()
        if batch.held[kind]:
            _write_in_memory(batch.held[kind], kind, key, out_dir)
            continue
        staged = sorted((batch.dir / kind).glob("*.parquet"))
        if not staged:
            continue
        with DuckDBBackend(batch.dir / f"sort-{kind}.duckdb") as be:  # on disk: spills
            be.register(f"staged_{kind}", staged)
            be.run([day_sql(kind)])
            days = be.to_arrow(f"SELECT DISTINCT day FROM dated_{kind} ORDER BY day")
            for day in days.column(0).to_pylist():
                be.run([sorted_day_sql(kind, day)])
                target = out_dir / kind / f"day={day}"
                target.mkdir(parents=True, exist_ok=True)
                be.write_parquet(f"out_{kind}", target / f"{key}.parquet")
    shutil.rmtree(batch.dir, ignore_errors=True)
    return key, batch.report


def _load_reports(path: Path) -> dict[str, dict[str, object]]:
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    files = data.get("inputs", {})
    return files if isinstance(files, dict) else {}


def write_dataset(
    results: Iterable[DecodeResult] | DecodeResult, out_dir: Path, memory_rows: int = 5_000_000
) -> IngestReport:
    """Write decode results (e.g. from :func:`iter_decode`) under ``out_dir``.

    A result whose report carries a SHA-256 closes its input (``iter_decode`` sets it on
    the last chunk of each file); results without one are grouped until the end. An input
    of up to ``memory_rows`` rows is sorted in memory, a larger one in DuckDB on disk.
    Returns the report of what was written in this call.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = out_dir / ".staging"
    if isinstance(results, DecodeResult):
        results = [results]
    done: dict[str, IngestReport] = {}
    batch = _Batch(staging, memory_rows)
    try:
        for res in results:
            batch.add(res)
            if res.report.sha256:
                key, rep = _finish(batch, out_dir)
                done[key] = rep
                batch = _Batch(staging, memory_rows)
        if batch.parts:
            key, rep = _finish(batch, out_dir)
            done[key] = rep
    finally:
        shutil.rmtree(batch.dir, ignore_errors=True)
        if staging.exists() and not any(staging.iterdir()):
            staging.rmdir()
    report_path = out_dir / REPORT_NAME
    inputs = _load_reports(report_path)
    inputs.update({k: r.to_dict() for k, r in done.items()})
    total = IngestReport()
    for d in inputs.values():
        total = total.merge(IngestReport.from_dict(d))
    report_path.write_text(
        json.dumps({"inputs": inputs, "total": total.to_dict()}, indent=2, sort_keys=True),
        encoding="utf-8",
    )
    written = IngestReport()
    for r in done.values():
        written = written.merge(r)
    return written
