"""``armswatch ais …``: decode NMEA logs (or decoded CSV exports) into a Parquet dataset."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from armswatch.errors import BadInputError

console = Console()
err = Console(stderr=True)


def _summary(report: object) -> Table:
    from armswatch.ais._result import IngestReport

    assert isinstance(report, IngestReport)
    t = Table(title="ingest report", show_header=False)
    rows = [
        ("lines read", report.lines),
        ("AIS sentences", report.sentences),
        ("messages (after reassembly)", report.messages),
        ("decoded", report.decoded),
        ("kept raw (other types)", report.kept_raw),
        ("positions / statics / other rows", f"{report.positions} / {report.statics} / "
         f"{report.other}"),
        ("bad checksum (dropped)", f"{report.bad_checksum} ({report.dropped_bad_checksum})"),
        ("malformed", report.malformed),
        ("incomplete multi-part", report.incomplete_multipart),
        ("without timestamp", report.no_timestamp),
    ]
    for k, v in rows:
        t.add_row(k, f"{v:,}" if isinstance(v, int) else str(v))
    return t


def _expand(inputs: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in inputs:
        if p.is_dir():
            out += sorted(q for q in p.rglob("*") if q.is_file() and not q.name.startswith("."))
        elif p.is_file():
            out.append(p)
        else:
            raise BadInputError("no such file or folder", p)
    return out


def register(app: typer.Typer) -> None:
    ais = typer.Typer(help="AIS: decode NMEA logs and CSV exports into columnar tracks.",
                      no_args_is_help=True)
    app.add_typer(ais, name="ais")

    @ais.command("decode")
    def decode(
        inputs: list[Path] = typer.Argument(..., help="NMEA logs (plain, .gz, .zst) or folders "
                                            "of them; DMA / NOAA CSV exports are detected."),
        output: Path = typer.Option(..., "--output", "-o", help="Dataset folder to write "
                                    "(positions/, statics/, other/, ingest_report.json)."),
        keep_bad_checksum: bool = typer.Option(False, "--keep-bad-checksum", help="Keep "
                                               "sentences whose checksum is wrong (flagged)."),
        window: int = typer.Option(1000, "--multipart-window", help="Drop a multi-part "
                                   "message not completed within this many sentences."),
        chunk_lines: int = typer.Option(1_000_000, "--chunk-lines", help="Lines decoded at "
                                        "once (bounds memory)."),
    ) -> int:
        """Decode INPUT files into OUTPUT, partitioned by day; re-running is idempotent."""
        from armswatch.ais._csv import is_csv_export, read_csv_export
        from armswatch.ais._dataset import write_dataset
        from armswatch.ais._decode import DecodeOptions
        from armswatch.ais._io import iter_decode_file
        from armswatch.ais._result import DecodeResult

        paths = _expand(inputs)
        opts = DecodeOptions(keep_bad_checksum=keep_bad_checksum, multipart_window=window,
                             chunk_lines=chunk_lines)
        total = sum(p.stat().st_size for p in paths)
        t0 = time.perf_counter()
        state = {"done": 0, "lines": 0}
        with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                      TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), console=err,
                      transient=False) as progress:
            task = progress.add_task("decoding", total=total, rate="")

            def results() -> object:
                for p in paths:
                    progress.update(task, description=p.name)
                    base = state["done"]
                    lines0 = state["lines"]

                    def tick(nbytes: int, lines: int, base: int = base,
                             lines0: int = lines0) -> None:
                        state["lines"] = lines0 + lines
                        rate = state["lines"] / max(time.perf_counter() - t0, 1e-9)
                        progress.update(task, completed=base + nbytes,
                                        rate=f"{state['lines']:,} lines, {rate:,.0f} lines/s")

                    if is_csv_export(p):
                        res: DecodeResult = read_csv_export(p)
                        yield res
                    else:
                        yield from iter_decode_file(p, opts, tick)
                    state["done"] = base + p.stat().st_size
                    progress.update(task, completed=state["done"])

            report = write_dataset(results(), output)  # type: ignore[arg-type]
        console.print(_summary(report))
        console.print(f"wrote [bold]{output}[/bold] in {time.perf_counter() - t0:.1f} s")
        return 0

    @ais.command("report")
    def report_cmd(
        dataset: Path = typer.Argument(..., help="Dataset folder written by `ais decode`."),
        as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    ) -> int:
        """Show the ingest report of a dataset (totals and per-input counts)."""
        from armswatch.ais._dataset import REPORT_NAME
        from armswatch.ais._result import IngestReport

        path = dataset / REPORT_NAME
        if not path.is_file():
            raise BadInputError(f"no {REPORT_NAME}: not a dataset written by `ais decode`",
                                dataset)
        data = json.loads(path.read_text(encoding="utf-8"))
        if as_json:
            console.print_json(json.dumps(data))
            return 0
        console.print(_summary(IngestReport.from_dict(data["total"])))
        t = Table(title="inputs")
        for col in ("key", "source", "lines", "positions", "statics", "malformed"):
            t.add_column(col)
        for key, d in sorted(data["inputs"].items()):
            t.add_row(key, ", ".join(d.get("sources", [])), f"{d['lines']:,}",
                      f"{d['positions']:,}", f"{d['statics']:,}", f"{d['malformed']:,}")
        console.print(t)
        return 0

    @ais.command("show")
    def show(
        lines: list[str] = typer.Argument(None, help="NMEA lines (all parts of a multi-part "
                                          "message); read from standard input when omitted."),
    ) -> int:
        """Decode NMEA lines given on the command line (or stdin) and print them as JSON."""
        from armswatch.ais._io import decode_lines

        src = lines or [ln for ln in sys.stdin.read().splitlines() if ln.strip()]
        res = decode_lines(src, "cli")
        for table in (res.positions, res.statics, res.other):
            for row in table.to_pylist():
                console.print_json(json.dumps({k: v for k, v in row.items() if v is not None},
                                              default=str))
        if res.report.messages == 0:
            err.print(f"[yellow]no message decoded[/yellow]: {res.report.malformed} malformed, "
                      f"{res.report.bad_checksum} bad checksum, "
                      f"{res.report.incomplete_multipart} incomplete multi-part")
            return 1
        return 0
