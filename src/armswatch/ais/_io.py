"""File and line input: plain, gzip or zstd (detected by magic bytes), streamed in chunks."""

from __future__ import annotations

import gzip
import hashlib
import io
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

import numpy as np

from armswatch.ais._decode import DecodeOptions, Decoder
from armswatch.ais._result import DecodeResult
from armswatch.errors import BadInputError

_GZIP = b"\x1f\x8b"
_ZSTD = b"\x28\xb5\x2f\xfd"
_BLOCK = 16 << 20

Progress = Callable[[int, int], None]  # (bytes read so far, lines so far)


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class _HashingReader(io.RawIOBase):
    """Reads a binary file while hashing the raw (possibly compressed) bytes."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self.sha = hashlib.sha256()
        self.nbytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: memoryview) -> int:  # type: ignore[override]
        n = self._raw.readinto(b)  # type: ignore[attr-defined]
        if n:
            self.sha.update(memoryview(b)[:n])
            self.nbytes += n
        return int(n or 0)


def _open_decompressed(path: Path, raw: _HashingReader) -> _Readable:
    with path.open("rb") as f:
        magic = f.read(4)
    if magic.startswith(_GZIP):
        return gzip.GzipFile(fileobj=io.BufferedReader(raw, 1 << 20), mode="rb")
    if magic == _ZSTD:
        import zstandard

        return zstandard.ZstdDecompressor().stream_reader(
            io.BufferedReader(raw, 1 << 20), read_across_frames=True
        )
    return io.BufferedReader(raw, 1 << 20)


def _blocks(stream: _Readable, block: int) -> Iterator[tuple[memoryview, bool]]:
    """Buffers of whole lines (the last one may lack its newline when final), read into
    one reused buffer: only the partial last line is moved, never the whole block."""
    buf = bytearray(2 * block)
    carry = 0
    readinto = getattr(stream, "readinto", None)
    while True:
        if len(buf) - carry < block:  # one enormous line: grow (it will be malformed)
            buf.extend(bytearray(block))
        view = memoryview(buf)[carry:]
        if readinto is not None:
            n = readinto(view[:block])
        else:
            data = stream.read(block)
            n = len(data)
            view[:n] = data
        if not n:
            if carry:
                yield memoryview(buf)[:carry], True
            return
        end = carry + n
        cut = buf.rfind(b"\n", carry, end)
        if cut < 0:
            carry = end
            continue
        yield memoryview(buf)[: cut + 1], False
        rest = end - cut - 1
        buf[:rest] = buf[cut + 1 : end]
        carry = rest


class _FileBlocks:
    """The buffers of whole lines of one file (plain, gzip or zstd), read in blocks; once
    exhausted, ``sha256`` and ``nbytes`` describe the file as stored on disk."""

    def __init__(self, path: Path, block: int) -> None:
        if not path.is_file():
            raise BadInputError("no such file", path)
        self.path = path
        self.block = block
        self.sha256 = ""
        self.nbytes = 0

    def __iter__(self) -> Iterator[tuple[np.ndarray, bool]]:
        with self.path.open("rb") as f:
            raw = _HashingReader(f)
            try:
                stream = _open_decompressed(self.path, raw)
                for data, final in _blocks(stream, self.block):
                    self.nbytes = raw.nbytes
                    yield np.frombuffer(data, np.uint8), final
            except (OSError, EOFError) as exc:  # gzip/zstd corruption, truncated archives
                raise BadInputError(f"cannot read: {exc}", self.path) from exc
            except Exception as exc:
                if type(exc).__module__.startswith("zstd"):
                    raise BadInputError(f"cannot read zstd data: {exc}", self.path) from exc
                raise
            self.sha256 = raw.sha.hexdigest()
            self.nbytes = raw.nbytes
        yield np.zeros(0, np.uint8), True  # flush pending parts (also of an empty file)


def _block_size(opts: DecodeOptions) -> int:
    return min(_BLOCK, max(opts.chunk_lines * 128, 1 << 16))


def iter_decode_file(
    path: Path,
    options: DecodeOptions | None = None,
    progress: Progress | None = None,
    source: str | None = None,
) -> Iterator[DecodeResult]:
    """Stream one file: results of at most ``options.chunk_lines`` lines each. The last
    result's report carries the file's SHA-256 (of the bytes on disk)."""
    path = Path(path)
    opts = options or DecodeOptions()
    blocks = _FileBlocks(path, _block_size(opts))
    dec = Decoder(source if source is not None else path.name, opts)
    lines = 0
    last: DecodeResult | None = None
    for arr, final in blocks:
        for res in dec.decode(arr, final):
            lines += res.report.lines
            if last is not None:
                yield last
            last = res
            if progress is not None:
                progress(blocks.nbytes, lines)
    if last is None:
        last = DecodeResult.empty()
    last.report.sha256 = {str(path): blocks.sha256}
    last.report.bytes_read = blocks.nbytes
    if source is None and not last.report.sources:
        last.report.sources = [path.name]
    yield last


def decode_file(path: Path, options: DecodeOptions | None = None) -> DecodeResult:
    """Decode a whole NMEA log (plain, .gz or .zst) into one result."""
    return DecodeResult.concat(list(iter_decode_file(Path(path), options)))


def decode_files(
    paths: Iterable[Path] | Path,
    options: DecodeOptions | None = None,
    progress: Progress | None = None,
) -> DecodeResult:
    """Decode many NMEA logs into one result, in one pass: the files share chunks of
    ``chunk_lines`` lines, so many small files cost what one large file does. Rows keep
    their input in ``source`` (file name, or tag-block ``s:``) and ``line_no``; the
    report lists every file with its SHA-256. Multi-part messages never span files."""
    opts = options or DecodeOptions()
    if isinstance(paths, str | Path):
        paths = [Path(paths)]
    paths = [Path(p) for p in paths]
    dec = Decoder(None, opts)
    dec.reserve(sum(p.stat().st_size for p in paths if p.is_file()))
    results: list[DecodeResult] = []
    sha: dict[str, str] = {}
    names: list[str] = []
    nbytes = done_lines = 0
    for p in paths:
        blocks = _FileBlocks(p, _block_size(opts))
        dec.begin(p.name)
        names.append(p.name)
        for arr, final in blocks:
            for res in dec.feed(arr, final):
                results.append(res)
                done_lines += res.report.lines
            if progress is not None:
                progress(nbytes + blocks.nbytes, done_lines + dec.pending_lines)
        sha[str(p)] = blocks.sha256
        nbytes += blocks.nbytes
    last = dec.flush()
    if last is not None:
        results.append(last)
    out = DecodeResult.concat(results)
    out.report.sha256 = sha
    out.report.bytes_read = nbytes
    out.report.sources = list(dict.fromkeys([*out.report.sources, *names]))
    return out


def iter_decode(
    paths: Iterable[Path] | Path,
    chunk_lines: int | None = None,
    options: DecodeOptions | None = None,
    progress: Progress | None = None,
) -> Iterator[DecodeResult]:
    """Stream files one after another, in chunks of at most ``chunk_lines`` lines.

    Multi-part state does not cross files. Memory is bounded by the chunk size.
    """
    opts = options or DecodeOptions()
    if chunk_lines is not None:
        opts = DecodeOptions(**{**opts.__dict__, "chunk_lines": chunk_lines})
    if isinstance(paths, str | Path):
        paths = [Path(paths)]
    for p in paths:
        yield from iter_decode_file(Path(p), opts, progress)


def decode_lines(
    lines: Iterable[bytes | str], source: str = "", options: DecodeOptions | None = None
) -> DecodeResult:
    """Decode NMEA lines held in memory (each item one line, with or without newline)."""
    parts = [ln.encode("utf-8", "replace") if isinstance(ln, str) else bytes(ln) for ln in lines]
    data = b"".join(p.rstrip(b"\r\n") + b"\n" for p in parts)
    dec = Decoder(source, options)
    return DecodeResult.concat(list(dec.decode(np.frombuffer(data, np.uint8), True)))


def decode_buffers(
    inputs: Iterable[tuple[str, bytes | np.ndarray]], options: DecodeOptions | None = None
) -> DecodeResult:
    """Decode several in-memory logs (name, whole lines) into one result, in one pass
    (see :func:`decode_files`)."""
    dec = Decoder(None, options)
    bufs = [(name, data if isinstance(data, np.ndarray) else np.frombuffer(data, np.uint8))
            for name, data in inputs]
    dec.reserve(sum(int(b.shape[0]) for _n, b in bufs))
    results: list[DecodeResult] = []
    for name, buf in bufs:
        dec.begin(name)
        results.extend(dec.feed(buf, True))
    last = dec.flush()
    if last is not None:
        results.append(last)
    return DecodeResult.concat(results)
