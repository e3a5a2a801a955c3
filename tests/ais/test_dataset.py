from __future__ import annotations

import gzip
import json
from pathlib import Path

import duckdb
import pytest
import zstandard

from armswatch.ais import decode_file, iter_decode, write_dataset
from armswatch.errors import BadInputError
from tests.conftest import need


def _count(out: Path, kind: str = "positions") -> int:
    rows = duckdb.sql(
        f"SELECT count(*) FROM read_parquet('{out}/{kind}/*/*.parquet', hive_partitioning=1)"
    ).fetchall()
    return int(rows[0][0])


def test_compressed_inputs_match_plain(tmp_path: Path) -> None:
    src = need("ais/nmea/kystverket_aisnet/Ais1000Lines.nm4")
    gz = tmp_path / "a.nm4.gz"
    gz.write_bytes(gzip.compress(src.read_bytes()))
    zst = tmp_path / "a.nm4.zst"
    zst.write_bytes(zstandard.ZstdCompressor().compress(src.read_bytes()))
    plain = decode_file(src)
    for p in (gz, zst):
        r = decode_file(p)
        assert r.positions.drop(["source"]).equals(plain.positions.drop(["source"]))
        assert r.report.sha256[str(p)] != plain.report.sha256[str(src)]


def test_streaming_chunks_equal_whole_file() -> None:
    src = need("ais/nmea/gfw_ais_listener/nmea-with-tagblock.txt")
    whole = decode_file(src)
    chunks = list(iter_decode(src, chunk_lines=777))
    assert len(chunks) > 10
    assert sum(c.positions.num_rows for c in chunks) == whole.positions.num_rows
    assert sum(c.statics.num_rows for c in chunks) == whole.statics.num_rows
    assert sum(c.report.lines for c in chunks) == whole.report.lines == 10_000
    assert sum(c.report.incomplete_multipart for c in chunks) == (
        whole.report.incomplete_multipart)


@pytest.mark.parametrize("memory_rows", [5_000_000, 500])  # in memory, and via DuckDB
def test_write_dataset_partitions_sorted_and_idempotent(tmp_path: Path, memory_rows: int) -> None:
    files = [need("ais/nmea/dma_aislib/stream_example.txt"),
             need("ais/nmea/gfw_ais_tools/mixed_types.nmea")]
    out = tmp_path / "ds"
    rep = write_dataset(iter_decode(files, chunk_lines=3000), out, memory_rows=memory_rows)
    n = _count(out)
    assert n == rep.positions > 0
    days = sorted(p.name for p in (out / "positions").iterdir())
    assert days[-1] == "day=none"  # mixed_types.nmea has no timestamps
    assert "day=2010-06-11" in days
    again = write_dataset(iter_decode(files), out, memory_rows=memory_rows)
    assert again.positions == rep.positions
    assert _count(out) == n
    report = json.loads((out / "ingest_report.json").read_text())
    assert len(report["inputs"]) == 2
    assert report["total"]["positions"] == n
    for f in (out / "positions").rglob("*.parquet"):
        keys = duckdb.sql(f"SELECT mmsi, ts_utc FROM '{f}'").fetchall()
        assert keys == sorted(keys, key=lambda k: (k[0], k[1] is None, k[1]))
    assert not (out / ".staging").exists()


def test_missing_file_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="no such file"):
        decode_file(tmp_path / "nope.nmea")
    bad = tmp_path / "broken.gz"
    bad.write_bytes(b"\x1f\x8b\x08\x00garbage")
    with pytest.raises(BadInputError, match="cannot read"):
        decode_file(bad)
