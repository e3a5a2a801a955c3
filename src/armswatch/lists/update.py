"""``lists update``: fetch the current lists from their publishers into the store.

For each list the files are downloaded into a temporary folder, checksummed (SHA-256)
and parsed; only a complete, readable download is moved into
``downloads/<list>/<UTC stamp>/`` (earlier downloads are kept) and loaded as a new store
snapshot. A failed download or an unreadable file leaves that list as it was. A download
identical to the previous one (same checksums) is reported as unchanged.

The network is touched only here, through an ``httpx.Client`` that can be passed in
(tests use a local HTTP server); ``file://`` URLs are read from disk.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlparse

import httpx
import orjson

from armswatch import __version__
from armswatch.errors import ArmswatchError, BadInputError
from armswatch.lists._detect import read_list
from armswatch.lists._types import ListData
from armswatch.lists.sources import ListSource
from armswatch.lists.store import ListStore, Snapshot

KEEP_DOWNLOADS = 5
TIMEOUT_S = 120.0

Progress = Callable[[str], None]


class DownloadError(ArmswatchError):
    """A list file could not be fetched."""


@dataclass(slots=True)
class SourceResult:
    code: str
    status: str  # "updated", "unchanged" or "failed"
    folder: Path | None = None
    files: dict[str, str] = field(default_factory=dict)  # name -> sha256
    error: str | None = None
    entities: int = 0


@dataclass(slots=True)
class UpdateResult:
    results: list[SourceResult]
    snapshot: Snapshot | None  # the new snapshot, None when nothing changed

    @property
    def failed(self) -> list[SourceResult]:
        return [r for r in self.results if r.status == "failed"]


def _fetch(url: str, dest: Path, client: httpx.Client) -> str:
    """Download ``url`` to ``dest``; returns its SHA-256."""
    h = hashlib.sha256()
    parsed = urlparse(url)
    try:
        if parsed.scheme == "file":
            src = Path(unquote(parsed.path))
            with src.open("rb") as fin, dest.open("wb") as fout:
                for chunk in iter(lambda: fin.read(1 << 20), b""):
                    h.update(chunk)
                    fout.write(chunk)
            return h.hexdigest()
        with client.stream("GET", url) as resp, dest.open("wb") as fout:
            if resp.status_code != 200:
                raise DownloadError(f"{url}: HTTP {resp.status_code}")
            for chunk in resp.iter_bytes():
                h.update(chunk)
                fout.write(chunk)
    except (httpx.HTTPError, OSError) as exc:
        raise DownloadError(f"{url}: {exc}") from None
    return h.hexdigest()


def _previous_manifest(folder: Path) -> dict[str, str] | None:
    pointer = folder / "CURRENT"
    if not pointer.is_file():
        return None
    manifest = folder / pointer.read_text().strip() / "manifest.json"
    if not manifest.is_file():
        return None
    files: dict[str, str] = orjson.loads(manifest.read_bytes())["files"]
    return files


def fetch_source(src: ListSource, downloads: Path, client: httpx.Client,
                 progress: Progress | None = None) -> tuple[SourceResult, ListData | None]:
    """Download and read one list; on success its files are in their final folder."""
    base = downloads / src.code
    base.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=base))
    try:
        files: dict[str, str] = {}
        for name, url in src.files:
            if progress:
                progress(f"{src.code}: fetching {url}")
            files[name] = _fetch(url, tmp / name, client)
        if files == _previous_manifest(base):
            shutil.rmtree(tmp)
            return SourceResult(src.code, "unchanged", files=files), None
        data = read_list(tmp / src.main_file)  # raises on an unreadable download
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        manifest = {"list": src.code, "fetched_utc": stamp, "armswatch": __version__,
                    "files": files, "urls": dict(src.files)}
        (tmp / "manifest.json").write_bytes(orjson.dumps(manifest, option=orjson.OPT_INDENT_2))
        final = base / stamp
        tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    # re-point the list's data at its final folder
    for meta in data.meta:
        meta.files = {str(final / Path(p).name): h for p, h in meta.files.items()}
        meta.path = str(final / Path(meta.path).name)
        meta.skipped = [type(s)(str(final / Path(s.path).name), s.line, s.reason)
                        for s in meta.skipped]
    return SourceResult(src.code, "updated", final, files, entities=len(data.entities)), data


def _commit_pointer(base: Path, folder: Path) -> None:
    tmp = base / ".CURRENT.tmp"
    tmp.write_text(folder.name + "\n")
    tmp.replace(base / "CURRENT")
    kept = sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith("."))
    for old in kept[:-KEEP_DOWNLOADS]:
        if old != folder:
            shutil.rmtree(old, ignore_errors=True)


def update_lists(store: ListStore, sources: Sequence[ListSource], *,
                 client: httpx.Client | None = None,
                 progress: Progress | None = None) -> UpdateResult:
    """Fetch ``sources`` and load every changed list into ``store`` as one new snapshot."""
    own = client is None
    http = client or httpx.Client(
        timeout=TIMEOUT_S, follow_redirects=True,
        headers={"User-Agent": f"armswatch/{__version__} (sanctions list update)"})
    results: list[SourceResult] = []
    fresh = ListData()
    downloads = store.root / "downloads"
    try:
        for src in sources:
            try:
                res, data = fetch_source(src, downloads, http, progress)
            except (DownloadError, BadInputError) as exc:
                results.append(SourceResult(src.code, "failed", error=str(exc)))
                continue
            results.append(res)
            if data is not None:
                fresh.extend(data)
    finally:
        if own:
            http.close()
    try:
        snapshot = store.load(fresh, action="update") if fresh.meta else None
    except BaseException:
        for res in results:  # not loaded: these downloads never become current
            if res.folder is not None:
                shutil.rmtree(res.folder, ignore_errors=True)
        raise
    for res in results:  # the new files become current only once the store holds them
        if res.status == "updated" and res.folder is not None:
            _commit_pointer(res.folder.parent, res.folder)
    return UpdateResult(results, snapshot)
