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
_BLOCK = 8 << 20

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


def _blocks(stream: _Readable, block: int) -> Iterator[tuple[bytes, bool]]:
    """Buffers of whole lines (the last one may lack its newline when final)."""
    carry = b""
    while True:
        data = stream.read(block)
        if not data:
            if carry:
                yield carry, True
            return
        data = carry + data
        cut = data.rfind(b"\n")
        if cut < 0:
            carry = data
            if len(carry) > 64 * block:  # one enormous line: hand it over, it is malformed
                yield carry, False
                carry = b""
            continue
        carry = data[cut + 1 :]
        yield data[: cut + 1], False


def iter_decode_file(
    path: Path,
    options: DecodeOptions | None = None,
    progress: Progress | None = None,
    source: str | None = None,
) -> Iterator[DecodeResult]:
    """Stream one file: results of at most ``options.chunk_lines`` lines each. The last
    result's report carries the file's SHA-256 (of the bytes on disk)."""
    path = Path(path)
    if not path.is_file():
        raise BadInputError("no such file", path)
    opts = options or DecodeOptions()
    dec = Decoder(source if source is not None else path.name, opts)
    lines = 0
    last: DecodeResult | None = None
    with path.open("rb") as f:
        raw = _HashingReader(f)
        try:
            stream = _open_decompressed(path, raw)
            block = max(_BLOCK, min(opts.chunk_lines * 96, 64 << 20))
            for data, final in _blocks(stream, block):
                arr = np.frombuffer(data, np.uint8)
                for res in dec.decode(arr, final):
                    lines += res.report.lines
                    if last is not None:
                        yield last
                    last = res
                    if progress is not None:
                        progress(raw.nbytes, lines)
            for res in dec.decode(np.zeros(0, np.uint8), True):  # flush pending parts
                last = res if last is None else DecodeResult.concat([last, res])
        except (OSError, EOFError) as exc:  # gzip/zstd corruption, truncated archives
            raise BadInputError(f"cannot read: {exc}", path) from exc
        except Exception as exc:
            if type(exc).__module__.startswith("zstd"):
                raise BadInputError(f"cannot read zstd data: {exc}", path) from exc
            raise
    if last is None:
        last = DecodeResult.empty()
    last.report.sha256 = {str(path): raw.sha.hexdigest()}
    last.report.bytes_read = raw.nbytes
    if source is None and not last.report.sources:
        last.report.sources = [path.name]
    yield last


def decode_file(path: Path, options: DecodeOptions | None = None) -> DecodeResult:
    """Decode a whole NMEA log (plain, .gz or .zst) into one result."""
    return DecodeResult.concat(list(iter_decode_file(Path(path), options)))


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
    data = b"\n".join(p.rstrip(b"\r\n") for p in parts)
    dec = Decoder(source, options)
    return DecodeResult.concat(list(dec.decode(np.frombuffer(data, np.uint8), True)))
