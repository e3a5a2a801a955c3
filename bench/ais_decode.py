"""Benchmark: armswatch AIS decoding vs pyais, in the same run.

    python bench/ais_decode.py [--n 10000000] [--pyais-lines 200000] [--repeat 5]

Every phase runs in a fresh subprocess (so peak RSS is per phase). Measured:
  * the first call: building the compiled kernels from the C sources (what a checkout
    that was not pip-installed does once; ``pip install`` does it at install time), and
    import + first decode when they are built;
  * (a) the real mixed logs in ../shared/data/ais/nmea (all 44 files, read into memory
    first): armswatch in one batched pass over all files (``decode_buffers``) and with one
    decoder and one set of tables per file; pyais (``IterMessages`` + ``decode()``, its full
    decode, on the same lines already split);
  * (b) N generated position reports (types 1, 3, 18 with NMEA 4.10 tag blocks, written by
    armswatch's encoder to a temporary file) streamed from the file in chunks of 1 M
    lines (reading, SHA-256 of the file, framing, decoding, Arrow tables); pyais decodes
    the first --pyais-lines lines and is extrapolated linearly (stated in the output);
  * agreement with pyais on the real logs, and with gpsd's expected decodes.

The machine is shared: each timing is the median of --repeat runs, wall and CPU time
(this process only; the CPU figure is the fairer one under load). Nothing is hard-coded.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "src"), str(REPO)]

from _shared import SHARED  # noqa: E402

Result = dict[str, object]


def real_files() -> list[Path]:
    root = SHARED / "ais" / "nmea"
    return sorted(p for p in root.rglob("*")
                  if p.is_file() and not p.name.endswith(".chk") and p.suffix != ".json")


def _read(p: Path) -> bytes:
    return gzip.open(p).read() if p.suffix == ".gz" else p.read_bytes()


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(fn: Callable[[], object], repeat: int) -> tuple[Result, object]:
    """Median (and min) wall and CPU seconds of ``repeat`` runs, and the last output."""
    walls, cpus, out = [], [], None
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        out = fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return {"wall_s": statistics.median(walls), "cpu_s": statistics.median(cpus),
            "wall_min_s": min(walls), "cpu_min_s": min(cpus), "runs": repeat}, out


# --- phases (each runs in a child process) ------------------------------------------------

def phase_build(_args: argparse.Namespace) -> Result:
    from armswatch.ais import _native

    with tempfile.TemporaryDirectory() as d:
        c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall = _native.compile_module(Path(d) / "_cais_bench.so")
        c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"wall_s": wall, "cpu_s": (c1.ru_utime + c1.ru_stime) - (c0.ru_utime + c0.ru_stime)}


def phase_first_call(args: argparse.Namespace) -> Result:
    t0 = time.perf_counter()
    from armswatch.ais import _native, decode_lines, encode_payload, to_sentences

    t1 = time.perf_counter()
    if args.cold:  # a checkout that was never installed, with an empty cache
        _native._installed = lambda: None  # type: ignore[assignment]
    p5 = to_sentences(*encode_payload(5, {"mmsi": 1, "name": "X"}), seq_id=1)
    p1 = to_sentences(*encode_payload(1, {"mmsi": 1, "lat": 1.0, "lon": 1.0}))
    t2 = time.perf_counter()
    decode_lines([*p1, *p5, "!AIVDM,1,1,,A,83`jcmhj2d<dtuf<u0S0`@PE7v00,0*2F"])
    t3 = time.perf_counter()
    return {"import_s": t1 - t0, "first_decode_s": t3 - t2, "module": str(_native.module_path()),
            "peak_rss_mb": _rss_mb()}


def phase_real_armswatch(args: argparse.Namespace) -> Result:
    import numpy as np

    from armswatch.ais._decode import Decoder
    from armswatch.ais._io import decode_buffers

    data = [(p.name, np.frombuffer(_read(p), np.uint8)) for p in real_files()]
    decode_buffers(data[:3])  # load the kernels
    base = _rss_mb()

    def batched() -> tuple[int, int]:
        res = decode_buffers(data)
        return res.report.messages, res.positions.num_rows + res.statics.num_rows + \
            res.other.num_rows

    def per_file() -> tuple[int, int]:
        msgs = rows = 0
        for name, buf in data:
            for res in Decoder(name).decode(buf, True):
                msgs += res.report.messages
                rows += res.positions.num_rows + res.statics.num_rows + res.other.num_rows
        return msgs, rows

    fn = batched if args.mode == "batched" else per_file
    timing, out = _timed(fn, args.repeat)
    msgs, rows = out  # type: ignore[misc]
    return {**timing, "messages": msgs, "rows": rows, "bytes": sum(int(b.shape[0])
            for _n, b in data), "peak_rss_mb": _rss_mb(), "base_rss_mb": base}


def phase_real_pyais(args: argparse.Namespace) -> Result:
    from pyais.stream import IterMessages

    data = [_read(p).splitlines() for p in real_files()]
    base = _rss_mb()

    def run() -> tuple[int, int]:
        msgs = errors = 0
        for lines in data:
            for msg in IterMessages(lines):
                try:
                    msg.decode()
                    msgs += 1
                except Exception:
                    errors += 1
        return msgs, errors

    timing, out = _timed(run, args.repeat)
    msgs, errors = out  # type: ignore[misc]
    return {**timing, "messages": msgs, "errors": errors,
            "bytes": sum(len(b) + 1 for lines in data for b in lines),
            "peak_rss_mb": _rss_mb(), "base_rss_mb": base}


def phase_generate(args: argparse.Namespace) -> Result:
    import numpy as np

    from armswatch.ais import encode_batch

    rng = np.random.default_rng(7)
    t0 = time.perf_counter()
    with open(args.gen_file, "wb") as f:
        done = 0
        while done < args.n:
            k = min(1_000_000, args.n - done)
            cols = {
                "mmsi": rng.integers(200_000_000, 775_999_999, k),
                "lon": rng.uniform(-180, 180, k).round(5),
                "lat": rng.uniform(-90, 90, k).round(5),
                "sog_kn": rng.uniform(0, 25, k).round(1),
                "cog_deg": rng.uniform(0, 359.9, k).round(1),
                "heading_deg": rng.integers(0, 360, k).astype(float),
                "second": rng.integers(0, 60, k).astype(float),
            }
            ts = 1_700_000_000 + (done + np.arange(k)) // 3000
            u = rng.random(k)
            for t, lo, hi in ((1, 0.0, 0.7), (3, 0.7, 0.85), (18, 0.85, 1.0)):
                m = (u >= lo) & (u < hi)
                sub = {c: v[m] for c, v in cols.items()}
                if t != 18:  # class B reports have no status nor rate of turn
                    sub["nav_status"] = rng.integers(0, 9, int(m.sum())).astype(float)
                    sub["rot"] = rng.uniform(-30, 30, int(m.sum()))
                f.write(encode_batch(t, sub, ts_utc=ts[m], source="gen"))
            done += k
    return {"wall_s": time.perf_counter() - t0, "bytes": Path(args.gen_file).stat().st_size,
            "peak_rss_mb": _rss_mb()}


def phase_gen_armswatch(args: argparse.Namespace) -> Result:
    from armswatch.ais import DecodeOptions, iter_decode

    next(iter_decode(Path(args.gen_file), options=DecodeOptions(chunk_lines=1000)))
    base = _rss_mb()

    def run() -> tuple[int, int]:
        pos = lines = 0
        for res in iter_decode(Path(args.gen_file), chunk_lines=1_000_000):
            pos += res.positions.num_rows
            lines += res.report.lines
        return pos, lines

    timing, out = _timed(run, args.repeat)
    pos, lines = out  # type: ignore[misc]
    return {**timing, "messages": pos, "lines": lines,
            "bytes": Path(args.gen_file).stat().st_size, "peak_rss_mb": _rss_mb(),
            "base_rss_mb": base}


def phase_gen_pyais(args: argparse.Namespace) -> Result:
    from pyais.stream import IterMessages

    lines = []
    with open(args.gen_file, "rb") as f:
        for _ in range(args.pyais_lines):
            ln = f.readline()
            if not ln:
                break
            lines.append(ln.rstrip(b"\n"))
    base = _rss_mb()

    def run() -> int:
        n = 0
        for msg in IterMessages(lines):
            msg.decode()
            n += 1
        return n

    timing, n = _timed(run, args.repeat)
    return {**timing, "messages": n, "bytes": sum(len(b) + 1 for b in lines),
            "peak_rss_mb": _rss_mb(), "base_rss_mb": base}


def phase_agreement(_args: argparse.Namespace) -> Result:
    from tests.ais.conformance import (
        Tally,
        compare_gpsd,
        compare_multipart,
        compare_single_sentences,
        decode,
        gpsd_pairs,
        nmea_files,
    )

    tally = Tally()
    for p in nmea_files(SHARED):
        r = decode(p)
        compare_single_sentences(p, tally, r)
        compare_multipart(p, tally, r)
    gpsd = {"logs": 0, "expected": 0, "matched": 0, "compared": 0, "equal": 0}
    gcats: dict[str, int] = {}
    for log, chk in gpsd_pairs(SHARED):
        g = compare_gpsd(log, chk)
        gpsd["logs"] += 1
        for k in ("expected", "matched", "compared", "equal"):
            gpsd[k] += getattr(g, k)
        for k, v in g.categories.items():
            gcats[k] = gcats.get(k, 0) + v
    return {"messages": tally.messages, "compared": tally.compared, "equal": tally.equal,
            "categories": dict(tally.categories.most_common()), "gpsd": gpsd,
            "gpsd_categories": gcats}


PHASES = {
    "build": phase_build, "first_call": phase_first_call,
    "real_armswatch": phase_real_armswatch, "real_pyais": phase_real_pyais,
    "generate": phase_generate, "gen_armswatch": phase_gen_armswatch,
    "gen_pyais": phase_gen_pyais, "agreement": phase_agreement,
}


def child(phase: str, args: argparse.Namespace, *extra: str,
          env: dict[str, str] | None = None) -> Result:
    cmd = [sys.executable, __file__, "--phase", phase, "--n", str(args.n), "--repeat",
           str(args.repeat), "--pyais-lines", str(args.pyais_lines), "--gen-file",
           str(args.gen_file), *extra]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True,
                         env={**os.environ, **(env or {})})
    result: Result = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _f(r: Result, key: str) -> float:
    v = r[key]
    assert isinstance(v, int | float)
    return float(v)


def _line(name: str, r: Result, unit: str = "msgs") -> str:
    msgs, wall, cpu = _f(r, "messages"), _f(r, "wall_s"), _f(r, "cpu_s")
    return (f"  {name:22s} {int(msgs):>11,} {unit}  {wall:8.3f} s wall {cpu:8.3f} s cpu  "
            f"{msgs / wall:>12,.0f} /s wall {msgs / cpu:>12,.0f} /cpu-s  "
            f"{_f(r, 'bytes') / 1e6 / cpu:7.1f} MB/cpu-s  peak RSS {_f(r, 'peak_rss_mb'):.0f} MB "
            f"(+{_f(r, 'peak_rss_mb') - _f(r, 'base_rss_mb'):.0f} over the loaded input)")


def _ratio(a: Result, b: Result) -> str:
    """How much faster a is than b per message, by wall and by CPU time."""
    per = {k: (_f(b, k) / _f(b, "messages")) / (_f(a, k) / _f(a, "messages"))
           for k in ("wall_s", "cpu_s")}
    return f"{per['wall_s']:.1f}x wall, {per['cpu_s']:.1f}x cpu"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10_000_000, help="generated position reports")
    ap.add_argument("--pyais-lines", type=int, default=200_000,
                    help="generated lines pyais decodes (then extrapolated to --n)")
    ap.add_argument("--repeat", type=int, default=5, help="runs per timing (median is shown)")
    ap.add_argument("--phase", choices=sorted(PHASES), help=argparse.SUPPRESS)
    ap.add_argument("--gen-file", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--mode", default="batched", help=argparse.SUPPRESS)
    ap.add_argument("--cold", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.repeat < 3 and not args.phase:
        ap.error("--repeat must be at least 3 (medians)")
    if args.phase:
        print(json.dumps(PHASES[args.phase](args)))
        return 0

    import pyais

    tmp = Path(tempfile.mkdtemp(prefix="ais-bench-"))
    args.gen_file = tmp / "generated.nmea"
    print(f"armswatch AIS decode benchmark  (pyais {pyais.__version__}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f})")
    print(f"each timing: median of {args.repeat} runs, one core, measured now\n")

    build = child("build", args)
    cold = child("first_call", args, "--cold", env={"ARMSWATCH_CACHE_DIR": str(tmp / "cold")})
    warm = child("first_call", args)
    print("first call (compiled kernels, C):")
    print(f"  build from the C sources (done by pip install, or once by the first decode in a "
          f"checkout that was not installed): {build['wall_s']:.2f} s wall, "
          f"{build['cpu_s']:.2f} s compiler cpu")
    print(f"  never built, empty cache: import {cold['import_s']:.2f} s + first decode "
          f"{cold['first_decode_s']:.2f} s (compiles)")
    print(f"  built ({warm['module']}): import {warm['import_s']:.2f} s + first decode "
          f"{warm['first_decode_s'] * 1000:.1f} ms; peak RSS {warm['peak_rss_mb']:.0f} MB\n")

    batched = child("real_armswatch", args, "--mode", "batched")
    per_file = child("real_armswatch", args, "--mode", "per_file")
    rp = child("real_pyais", args)
    print(f"(a) real mixed logs: {len(real_files())} files, {_f(batched, 'bytes') / 1e6:.1f} MB "
          f"uncompressed, {int(_f(batched, 'rows')):,} table rows, in memory")
    print(_line("armswatch (one pass)", batched))
    print(_line("armswatch (per file)", per_file))
    print(_line("pyais", rp))
    print(f"  speed-up armswatch / pyais: one pass {_ratio(batched, rp)}; per file "
          f"{_ratio(per_file, rp)} (pyais: {rp['errors']} messages raised)\n")

    gen = child("generate", args)
    print(f"(b) {args.n:,} generated position reports (types 1/3/18, tag blocks), "
          f"{_f(gen, 'bytes') / 1e6:.0f} MB, written by armswatch.ais.encode_batch in "
          f"{_f(gen, 'wall_s'):.1f} s wall")
    ga = child("gen_armswatch", args)
    gp = child("gen_pyais", args)
    print(_line("armswatch (streamed)", ga, "pos"))
    print(_line("pyais (subset)", gp, "pos"))
    print(f"  pyais would take {args.n * _f(gp, 'cpu_s') / _f(gp, 'messages'):,.0f} cpu-s for "
          f"{args.n:,} (extrapolated from {int(_f(gp, 'messages')):,})")
    print(f"  speed-up armswatch / pyais: {_ratio(ga, gp)}\n")

    ag = child("agreement", args)
    print(f"agreement with pyais on the real logs: {ag['equal']:,} / {ag['compared']:,} fields "
          f"equal = {_f(ag, 'equal') / _f(ag, 'compared'):.4%} over {ag['messages']:,} messages")
    for k, v in ag["categories"].items():  # type: ignore[attr-defined]
        print(f"  {k}: {v}")
    g = ag["gpsd"]
    assert isinstance(g, dict)
    print(f"agreement with gpsd's expected decodes ({g['logs']} logs incl. sample.aivdm): "
          f"{g['matched']:,} / {g['expected']:,} messages matched, {g['equal']:,} / "
          f"{g['compared']:,} fields equal = {g['equal'] / g['compared']:.4%}")
    for k, v in ag["gpsd_categories"].items():  # type: ignore[attr-defined]
        print(f"  {k}: {v}")
    args.gen_file.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
