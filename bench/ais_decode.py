"""Benchmark: armswatch AIS decoding vs pyais, in the same run.

    python bench/ais_decode.py [--n 10000000] [--pyais-lines 200000] [--repeat 3]

Measures, each phase in a fresh subprocess (so peak RSS is per phase):
  * first-call cost of the compiled kernels: cold (empty numba cache: JIT compile) and
    warm (loaded from the on-disk cache);
  * (a) the real mixed logs in ../shared/data/ais/nmea (all 44 files, read into memory
    first, then framed + decoded into Arrow tables): messages/s, MB/s, peak RSS, for
    armswatch and for pyais (pyais.stream.IterMessages + decode(), its full decode);
  * (b) N generated position reports (types 1, 3, 18 with NMEA 4.10 tag blocks, written
    by armswatch's vectorised encoder to a temporary file) streamed from the file in
    chunks of 1 M lines; pyais is measured on the first --pyais-lines lines and
    extrapolated linearly (stated in the output);
  * agreement with pyais on the real logs: fields equal / fields compared.

The machine is shared: each timing is the best of --repeat runs; CPU time is printed
beside wall time. Nothing is hard-coded: every figure below is measured in this run.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "src"), str(REPO)]

SHARED = Path(os.environ.get("ARMSWATCH_SHARED_DATA", REPO.parent.parent / "shared" / "data"))
if not SHARED.is_dir():
    SHARED = Path("/work/shared/data")


def real_files() -> list[Path]:
    root = SHARED / "ais" / "nmea"
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and not p.name.endswith(".chk") and p.suffix != ".json"
    )


def _read(p: Path) -> bytes:
    return gzip.open(p).read() if p.suffix == ".gz" else p.read_bytes()


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _best(fn: object, repeat: int) -> tuple[float, float, object]:
    best_wall, best_cpu, out = float("inf"), float("inf"), None
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        out = fn()  # type: ignore[operator]
        best_wall = min(best_wall, time.perf_counter() - w)
        best_cpu = min(best_cpu, time.process_time() - c)
    return best_wall, best_cpu, out


# --- phases (run in a child process) ------------------------------------------------------


def phase_first_call(_args: argparse.Namespace) -> dict[str, object]:
    t0 = time.perf_counter()
    from armswatch.ais import decode_lines, encode_payload, to_sentences

    t1 = time.perf_counter()
    p5 = to_sentences(*encode_payload(5, {"mmsi": 1, "name": "X"}), seq_id=1)
    p1 = to_sentences(*encode_payload(1, {"mmsi": 1, "lat": 1.0, "lon": 1.0}))
    decode_lines([*p1, *p5, "!AIVDM,1,1,,A,83`jcmhj2d<dtuf<u0S0`@PE7v00,0*2F"])
    t2 = time.perf_counter()
    return {"import_s": t1 - t0, "first_decode_s": t2 - t1, "peak_rss_mb": _rss_mb()}


def phase_real_armswatch(args: argparse.Namespace) -> dict[str, object]:
    import numpy as np

    from armswatch.ais._decode import Decoder

    data = [(p.name, np.frombuffer(_read(p), np.uint8)) for p in real_files()]
    Decoder("warm").decode(data[0][1][:2000].copy(), True).__next__()
    base = _rss_mb()

    def run() -> tuple[int, int, int]:
        msgs = rows = 0
        for name, buf in data:
            for res in Decoder(name).decode(buf, True):
                msgs += res.report.messages
                rows += res.positions.num_rows + res.statics.num_rows + res.other.num_rows
        return msgs, rows, 0

    wall, cpu, out = _best(run, args.repeat)
    msgs, rows, _ = out  # type: ignore[misc]
    nbytes = sum(int(b.shape[0]) for _n, b in data)
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "messages": msgs,
        "rows": rows,
        "bytes": nbytes,
        "peak_rss_mb": _rss_mb(),
        "base_rss_mb": base,
    }


def phase_real_pyais(args: argparse.Namespace) -> dict[str, object]:
    from pyais.stream import IterMessages

    data = [_read(p).splitlines() for p in real_files()]
    base = _rss_mb()

    def run() -> tuple[int, int, int]:
        msgs = errors = 0
        for lines in data:
            for msg in IterMessages(lines):
                try:
                    msg.decode()
                    msgs += 1
                except Exception:
                    errors += 1
        return msgs, errors, 0

    wall, cpu, out = _best(run, args.repeat)
    msgs, errors, _ = out  # type: ignore[misc]
    nbytes = sum(len(b) + 1 for lines in data for b in lines)
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "messages": msgs,
        "errors": errors,
        "bytes": nbytes,
        "peak_rss_mb": _rss_mb(),
        "base_rss_mb": base,
    }


def phase_generate(args: argparse.Namespace) -> dict[str, object]:
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
    size = Path(args.gen_file).stat().st_size
    return {"wall_s": time.perf_counter() - t0, "bytes": size, "peak_rss_mb": _rss_mb()}


def phase_gen_armswatch(args: argparse.Namespace) -> dict[str, object]:
    from armswatch.ais import DecodeOptions, iter_decode

    iter_decode(Path(args.gen_file), options=DecodeOptions(chunk_lines=1000)).__next__()
    base = _rss_mb()

    def run() -> tuple[int, int, int]:
        pos = lines = 0
        for res in iter_decode(Path(args.gen_file), chunk_lines=1_000_000):
            pos += res.positions.num_rows
            lines += res.report.lines
        return pos, lines, 0

    wall, cpu, out = _best(run, args.repeat)
    pos, lines, _ = out  # type: ignore[misc]
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "messages": pos,
        "lines": lines,
        "bytes": Path(args.gen_file).stat().st_size,
        "peak_rss_mb": _rss_mb(),
        "base_rss_mb": base,
    }


def phase_gen_pyais(args: argparse.Namespace) -> dict[str, object]:
    from pyais.stream import IterMessages

    lines = []
    with open(args.gen_file, "rb") as f:
        for _ in range(args.pyais_lines):
            ln = f.readline()
            if not ln:
                break
            lines.append(ln.rstrip(b"\n"))
    base = _rss_mb()

    def run() -> tuple[int, int, int]:
        n = 0
        for msg in IterMessages(lines):
            msg.decode()
            n += 1
        return n, 0, 0

    wall, cpu, out = _best(run, args.repeat)
    n, _, _ = out  # type: ignore[misc]
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "messages": n,
        "bytes": sum(len(b) + 1 for b in lines),
        "peak_rss_mb": _rss_mb(),
        "base_rss_mb": base,
    }


def phase_agreement(_args: argparse.Namespace) -> dict[str, object]:
    from tests.ais.conformance import (
        Tally,
        compare_multipart,
        compare_single_sentences,
        decode,
        nmea_files,
    )

    tally = Tally()
    for p in nmea_files(SHARED):
        r = decode(p)
        compare_single_sentences(p, tally, r)
        compare_multipart(p, tally, r)
    return {
        "messages": tally.messages,
        "compared": tally.compared,
        "equal": tally.equal,
        "categories": dict(tally.categories.most_common()),
    }


PHASES = {
    "first_call": phase_first_call,
    "real_armswatch": phase_real_armswatch,
    "real_pyais": phase_real_pyais,
    "generate": phase_generate,
    "gen_armswatch": phase_gen_armswatch,
    "gen_pyais": phase_gen_pyais,
    "agreement": phase_agreement,
}


def child(
    phase: str, args: argparse.Namespace, env: dict[str, str] | None = None
) -> dict[str, object]:
    cmd = [
        sys.executable,
        __file__,
        "--phase",
        phase,
        "--n",
        str(args.n),
        "--repeat",
        str(args.repeat),
        "--pyais-lines",
        str(args.pyais_lines),
        "--gen-file",
        str(args.gen_file),
    ]
    out = subprocess.run(
        cmd, check=True, capture_output=True, text=True, env={**os.environ, **(env or {})}
    )
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10_000_000, help="generated position reports")
    ap.add_argument(
        "--pyais-lines",
        type=int,
        default=200_000,
        help="generated lines pyais decodes (then extrapolated to --n)",
    )
    ap.add_argument("--repeat", type=int, default=3, help="runs per timing (best is kept)")
    ap.add_argument("--phase", choices=sorted(PHASES), help=argparse.SUPPRESS)
    ap.add_argument("--gen-file", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.phase:
        print(json.dumps(PHASES[args.phase](args)))
        return 0

    import numba
    import pyais

    tmp = Path(tempfile.mkdtemp(prefix="ais-bench-"))
    args.gen_file = tmp / "generated.nmea"
    print(
        f"armswatch AIS decode benchmark  (numba {numba.__version__}, pyais {pyais.__version__},"
        f" {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f})"
    )
    print("each figure: best of", args.repeat, "runs, one core, measured now\n")

    cold = child("first_call", args, {"NUMBA_CACHE_DIR": str(tmp / "numba-cold")})
    warm = child("first_call", args)
    print(
        f"first call: JIT compile (empty cache) {cold['first_decode_s']:.1f} s; "
        f"from numba's on-disk cache {warm['first_decode_s']:.2f} s "
        f"(import {warm['import_s']:.2f} s)\n"
    )

    ra = child("real_armswatch", args)
    rp = child("real_pyais", args)
    mb = ra["bytes"] / 1e6  # type: ignore[operator]
    print(f"(a) real mixed logs: {len(real_files())} files, {mb:.1f} MB uncompressed, in memory")
    rows = []
    for name, r in (("armswatch", ra), ("pyais", rp)):
        rate = r["messages"] / r["wall_s"]  # type: ignore[operator]
        rows.append((name, r, rate))
        print(
            f"  {name:10s} {r['messages']:>9,} msgs  {r['wall_s']:7.3f} s wall "
            f"({r['cpu_s']:.3f} s cpu)  {rate:>12,.0f} msgs/s  "
            f"{r['bytes'] / 1e6 / r['wall_s']:8.1f} MB/s  peak RSS {r['peak_rss_mb']:.0f} MB "
            f"(+{r['peak_rss_mb'] - r['base_rss_mb']:.0f} MB over the loaded input)"
        )  # type: ignore[operator]
    cpu_ratio = (rp["cpu_s"] / rp["messages"]) / (ra["cpu_s"] / ra["messages"])  # type: ignore[operator]
    print(
        f"  speed-up armswatch / pyais: {rows[0][2] / rows[1][2]:.1f}x wall, "
        f"{cpu_ratio:.1f}x cpu (pyais: {rp['errors']} messages raised)\n"
    )

    gen = child("generate", args)
    print(
        f"(b) {args.n:,} generated position reports (types 1/3/18, tag blocks), "
        f"{gen['bytes'] / 1e6:.0f} MB, written by armswatch.ais.encode_batch in "
        f"{gen['wall_s']:.1f} s"
    )
    ga = child("gen_armswatch", args)
    gp = child("gen_pyais", args)
    a_rate = ga["messages"] / ga["wall_s"]  # type: ignore[operator]
    a_cpu = ga["messages"] / ga["cpu_s"]  # type: ignore[operator]
    p_rate = gp["messages"] / gp["wall_s"]  # type: ignore[operator]
    print(
        f"  armswatch  {ga['messages']:>11,} positions  {ga['wall_s']:7.2f} s wall "
        f"({ga['cpu_s']:.2f} s cpu)  {a_rate:>12,.0f} msgs/s wall ({a_cpu:,.0f} per cpu-s)  "
        f"{ga['bytes'] / 1e6 / ga['wall_s']:7.1f} MB/s  peak RSS {ga['peak_rss_mb']:.0f} MB "
        f"(streamed from file, 1 M-line chunks)"
    )  # type: ignore[operator]
    p_cpu = gp["messages"] / gp["cpu_s"]  # type: ignore[operator]
    print(
        f"  pyais      {gp['messages']:>11,} positions  {gp['wall_s']:7.2f} s wall "
        f"({gp['cpu_s']:.2f} s cpu, {p_cpu:,.0f} per cpu-s)  "
        f"{p_rate:>12,.0f} msgs/s  {gp['bytes'] / 1e6 / gp['wall_s']:7.1f} MB/s  peak RSS "
        f"{gp['peak_rss_mb']:.0f} MB  -> {args.n:,} would take "
        f"{args.n / p_rate:,.0f} s (extrapolated from {gp['messages']:,})"
    )  # type: ignore[operator]
    print(f"  speed-up armswatch / pyais: {a_rate / p_rate:.1f}x wall, {a_cpu / p_cpu:.1f}x cpu\n")

    ag = child("agreement", args)
    print(
        f"agreement with pyais on the real logs: {ag['equal']:,} / {ag['compared']:,} fields "
        f"equal = {ag['equal'] / ag['compared']:.4%} over {ag['messages']:,} messages"
    )  # type: ignore[operator]
    for k, v in ag["categories"].items():  # type: ignore[attr-defined]
        print(f"  {k}: {v}")
    args.gen_file.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
