"""``armswatch trade ...``: read, mirror, analyze, routes, generate."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from armswatch.errors import ConfigError

console = Console(stderr=True)
out_console = Console(width=None if Console().is_terminal else 120)

SUMMARY_ROWS = 15

trade_app = typer.Typer(help="Trade flows: mirror gaps, surges after sanctions, transit routes.",
                        no_args_is_help=True)

_INPUTS = typer.Argument(..., exists=False, help="Trade tables: Eurostat (tidy, Easy Comext, "
                         "bulk), UN Comtrade (bulk CSV/TSV, API JSON, legacy), CEPII BACI, or "
                         "armswatch flows Parquet; gzip allowed.")
_FLOW = typer.Option(None, "--flow", help="Flow of files that have no flow column "
                     "(default export, as in Eurostat CN8 extracts).")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _countries(text: str, what: str) -> tuple[str, ...]:
    from armswatch.trade._countries import to_alpha3

    out = []
    for tok in (t.strip() for t in text.split(",")):
        if not tok:
            continue
        if tok.upper() == "EU27":
            from armswatch.trade._mirror import EU27

            out += list(EU27)
            continue
        try:
            out.append(to_alpha3(tok))
        except ValueError:
            raise ConfigError(f"{what}: not a country: {tok!r}") from None
    return tuple(out)


class _Bars:
    """Rich progress bars keyed by stage name."""

    def __init__(self, progress: Progress) -> None:
        self.p = progress
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.p.add_task(stage, total=max(total, 1))
        self.p.update(self.tasks[stage], completed=done, total=max(total, 1))


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), TextColumn(
        "{task.percentage:>3.0f}%"), TimeElapsedColumn(), console=console, transient=False)


def _print_read_report(lines: list[str]) -> None:
    for line in lines:
        console.print(f"[dim]{line}[/dim]")


@trade_app.command("read")
def read_cmd(
    inputs: list[Path] = _INPUTS,
    output: Path = typer.Option(..., "--output", "-o", help="Parquet file for the tidy flows."),
    flow: str | None = _FLOW,
) -> int:
    """Read trade tables into one tidy Parquet table and report what was odd."""
    import pyarrow.parquet as pq

    from armswatch.trade import ReadOptions, read_flows

    with _progress() as prog:
        bars = _Bars(prog)
        flows, report = read_flows(inputs, ReadOptions(default_flow=flow),
                                   lambda p, d, t: bars(f"read {p.name}", d, t))
    _print_read_report(report.lines())
    output.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(flows, output, compression="zstd")
    out_console.print(f"{flows.num_rows:,} rows -> {output}")
    return 0


@trade_app.command("mirror")
def mirror_cmd(
    inputs: list[Path] = _INPUTS,
    output: Path = typer.Option(..., "--output", "-o", help="CSV or Parquet file for the gaps."),
    margin: float = typer.Option(0.10, help="CIF/FOB margin added to exports (IMF DOTS "
                                 "convention: 0.10)."),
    level: int | None = typer.Option(None, help="Product level compared (0 = TOTAL, 2, 4, 6); "
                                     "default TOTAL when both sides publish it, else 6."),
    keep_uncovered: bool = typer.Option(False, help="Keep rows where one side published "
                                        "nothing for the period."),
    flow: str | None = _FLOW,
) -> int:
    """Mirror gaps: exporter-reported exports vs importer-reported imports."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    from armswatch.engine import DuckDBBackend
    from armswatch.trade import ReadOptions, read_flows
    from armswatch.trade._mirror import MirrorConfig, mirror_gaps

    with _progress() as prog:
        bars = _Bars(prog)
        flows, report = read_flows(inputs, ReadOptions(default_flow=flow),
                                   lambda p, d, t: bars(f"read {p.name}", d, t))
    _print_read_report(report.lines())
    table = mirror_gaps(DuckDBBackend(), flows, MirrorConfig(margin=margin, level=level,
                                                             keep_uncovered=keep_uncovered))
    output.parent.mkdir(parents=True, exist_ok=True)
    if output.suffix.lower() == ".parquet":
        pq.write_table(table, output)
    else:
        pacsv.write_csv(table, output)
    out_console.print(f"{table.num_rows:,} mirror rows -> {output}")
    return 0


def _analysis_config(sanction_date: str, target: str, control: str, exclude: str,
                     groups: str, design: str, bootstrap: int, seed: int, alpha: float,
                     min_ratio: float, min_value: float, margin: float, flow: str | None,
                     origin: str | None, fx: Path | None, currency: str | None) -> object:
    from armswatch.trade._analyze import AnalysisConfig
    from armswatch.trade._did import SurgeConfig
    from armswatch.trade._formats import ReadOptions
    from armswatch.trade._mirror import MirrorConfig

    surge = SurgeConfig(
        sanction_date=_date(sanction_date), targets=_countries(target, "--target"),
        controls=_countries(control, "--control"), exclude=_countries(exclude, "--exclude"),
        design=design, bootstrap=bootstrap, seed=seed, alpha=alpha, min_ratio=min_ratio,
        min_value_per_year=min_value)
    return AnalysisConfig(
        surge=surge, mirror=MirrorConfig(margin=margin), groups=groups,
        origin=None if origin is None else _countries(origin, "--origin"),
        read=ReadOptions(default_flow=flow), fx=fx, currency=currency)


def _summary(result: object) -> None:
    from armswatch.trade._analyze import AnalysisResult

    assert isinstance(result, AnalysisResult)
    head = result.headline().to_pylist()
    if head:
        cur = head[0]["currency"]
        t = Table(title=f"Before/after: {head[0]['group_label']} vs other goods "
                  f"(mean per period, million {cur})")
        for col in ("partner", "before", "after", "x", "other x", "design", "DiD", "95% CI",
                    "q", "flag"):
            t.add_column(col, no_wrap=True)

        def m(v: float | None) -> str:
            return "" if v is None else f"{v / 1e6:,.1f}"

        def x(v: float | None) -> str:
            return "" if v is None else f"{v:.2f}"

        shown = [r for r in head if r["status"] == "ok" or r["is_target"]]
        shown.sort(key=lambda r: (not r["flagged"], not r["is_target"],
                                  -(r["estimate"] if r["estimate"] is not None else -99)))
        for r in shown[:SUMMARY_ROWS]:
            ci = ("" if r["ci_low"] is None else f"[{r['ci_low']:+.2f}, {r['ci_high']:+.2f}]")
            t.add_row(r["partner"], m(r["pre_mean"]), m(r["post_mean"]), x(r["ratio"]),
                      x(r["ref_ratio"]), r["design"],
                      "" if r["estimate"] is None else f"{r['estimate']:+.2f}", ci,
                      "" if r["q_value"] is None else f"{r['q_value']:.3g}",
                      "FLAG" if r["flagged"] else ("target" if r["is_target"] else ""))
        out_console.print(t)
        if len(head) > SUMMARY_ROWS:
            out_console.print(f"[dim]{len(head)} partners in all: see surges.csv[/dim]")
    ct = Table(title="Transit countries ranked by evidence")
    for col in ("#", "country", "score", "surge", "mirror", "groups", "best group"):
        ct.add_column(col)
    for c in result.countries.slice(0, 15).to_pylist():
        ct.add_row(str(c["rank"]), c["transit"], f"{c['score']:.2f}",
                   f"{c['surge_evidence']:.2f}", f"{c['mirror_evidence']:.2f}",
                   str(c["flagged_groups"]), c["best_group"] or "")
    out_console.print(ct)


@trade_app.command("analyze")
def analyze_cmd(
    inputs: list[Path] = _INPUTS,
    output: Path = typer.Option(..., "--output", "-o", help="Folder for tables, routes.json, "
                                "charts and report.html."),
    sanction_date: str = typer.Option("2022-02-24", help="Sanctions date (YYYY-MM-DD); a "
                                      "period is 'after' when most of it lies after the date."),
    target: str = typer.Option("RUS", help="Sanctioned destination(s), comma-separated "
                               "(alpha-2/alpha-3/name)."),
    control: str = typer.Option("", help="Control destinations (comma-separated); default: "
                                "every other partner that is not a target."),
    exclude: str = typer.Option("", help="Partners to leave out entirely."),
    origin: str | None = typer.Option(None, help="Origin bloc whose members are not transit "
                                      "candidates (e.g. EU27); default EU27 when every "
                                      "reporter is an EU member."),
    groups: str = typer.Option("auto", help="Product groups: chpl, chpl-all, ch93, hs2, hs4, "
                               "detailed, or a CSV code list; auto = chpl,ch93,hs2,detailed."),
    design: str = typer.Option("auto", help="auto, product (vs other goods), destination "
                               "(vs control destinations) or triple."),
    bootstrap: int = typer.Option(499, help="Bootstrap replicates (0 = no intervals)."),
    seed: int = typer.Option(0, help="Random seed of the bootstrap."),
    alpha: float = typer.Option(0.05, help="False discovery rate for flags (BH)."),
    min_ratio: float = typer.Option(1.25, help="Smallest excess growth factor flagged."),
    min_value: float = typer.Option(1e6, help="Partners below this yearly value of a group "
                                    "(before and after) are not tested."),
    margin: float = typer.Option(0.10, help="CIF/FOB margin for mirror gaps."),
    flow: str | None = _FLOW,
    fx: Path | None = typer.Option(None, help="CSV currency,period,rate to convert values."),
    currency: str | None = typer.Option(None, help="Target currency of --fx."),
    no_flows: bool = typer.Option(False, "--no-flows", help="Do not write flows.parquet."),
) -> int:
    """Rank transit countries and products by evidence of re-routing after a sanctions date."""
    from armswatch.trade._analyze import AnalysisConfig, analyze, write_outputs

    cfg = _analysis_config(sanction_date, target, control, exclude, groups, design, bootstrap,
                           seed, alpha, min_ratio, min_value, margin, flow, origin, fx, currency)
    assert isinstance(cfg, AnalysisConfig)
    with _progress() as prog:
        bars = _Bars(prog)
        result = analyze(inputs, cfg, progress=bars)
        bars("report", 0, 1)
        paths = write_outputs(result, output, write_flows=not no_flows)
        bars("report", 1, 1)
    _print_read_report(result.read_report.lines() + [f"note: {n}" for n in result.notes])
    _summary(result)
    out_console.print(f"{result.routes.num_rows} flagged routes; {len(paths)} files in {output}"
                      f" (open {output / 'report.html'})")
    return 0


@trade_app.command("routes")
def routes_cmd(
    inputs: list[Path] = _INPUTS,
    output: Path = typer.Option(Path("-"), "--output", "-o", help="routes.json / .parquet "
                                "file, or - for JSON on stdout."),
    sanction_date: str = typer.Option("2022-02-24", help="Sanctions date (YYYY-MM-DD)."),
    target: str = typer.Option("RUS", help="Sanctioned destination(s), comma-separated."),
    groups: str = typer.Option("auto", help="Product groups (see analyze)."),
    seed: int = typer.Option(0, help="Random seed of the bootstrap."),
    flow: str | None = _FLOW,
) -> int:
    """The ranked (transit country, product group) routes as JSON or Parquet."""
    import pyarrow.parquet as pq

    from armswatch.trade._analyze import AnalysisConfig, analyze
    from armswatch.trade._rank import routes_json

    cfg = _analysis_config(sanction_date, target, "", "", groups, "auto", 499, seed, 0.05,
                           1.25, 1e6, 0.10, flow, None, None, None)
    assert isinstance(cfg, AnalysisConfig)
    with _progress() as prog:
        result = analyze(inputs, cfg, progress=_Bars(prog))
    if str(output) == "-":
        out_console.print_json(json.dumps(routes_json(result.routes), default=str))
    elif output.suffix.lower() == ".parquet":
        pq.write_table(result.routes, output)
    else:
        output.write_text(json.dumps(routes_json(result.routes), indent=1, default=str))
    return 0


@trade_app.command("generate")
def generate_cmd(
    output: Path = typer.Option(..., "--output", "-o", help="Folder for flows.parquet and "
                                "truth.json."),
    seed: int = typer.Option(0, help="Random seed."),
    routes: int = typer.Option(6, help="Number of injected (transit, chapter) routes."),
    candidates: int = typer.Option(20, help="Number of candidate transit countries (<= 22)."),
    months: int = typer.Option(48, help="Months of data from 2019-01."),
) -> int:
    """Generate exports with injected re-export routes and their ground truth."""
    import pyarrow.parquet as pq

    from armswatch.trade._generate import GeneratorConfig, generate_routes

    data = generate_routes(GeneratorConfig(seed=seed, n_routes=routes, n_candidates=candidates,
                                           months=months))
    output.mkdir(parents=True, exist_ok=True)
    pq.write_table(data.flows, output / "flows.parquet", compression="zstd")
    truth = {"seed": seed, "sanction_date": data.config.sanction_date.isoformat(),
             "target": data.config.target, "routes": data.routes,
             "decoy_partners": data.growth_partners, "decoy_groups": data.growth_groups}
    (output / "truth.json").write_text(json.dumps(truth, indent=1))
    out_console.print(f"{data.flows.num_rows:,} rows, {len(data.routes)} routes -> {output}")
    return 0


def register(app: typer.Typer) -> None:
    app.add_typer(trade_app, name="trade")
