"""The offline web map and dashboard served by the API.

Hand-written pages (``armswatch/web/static/``: HTML, plain JavaScript, CSS) ship with
the package. What they load besides — Leaflet, Swagger UI and the basemap — is built
into a cache folder (default ``$ARMSWATCH_HOME/cache/web``) by :func:`build_web`
(``armswatch web build``): libraries from the npm registry checked against pinned
integrity hashes, land polygons from Natural Earth. Nothing is fetched at page load, and
nothing built is committed.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from armswatch.web._basemap import Basemap, build_basemap, find_land_dir
from armswatch.web._npm import PACKAGES, IntegrityError, NpmPackage, extract, http_fetch, tarball

STATIC_DIR = Path(__file__).parent / "static"
MANIFEST = "build.json"
Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class WebBuild:
    path: Path
    packages: tuple[str, ...]  # name@version
    basemap: Basemap


def read_manifest(web_dir: Path) -> dict[str, Any] | None:
    """The build manifest of ``web_dir``, or None when it was never (fully) built."""
    try:
        doc = json.loads((web_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None


def is_built(web_dir: Path) -> bool:
    doc = read_manifest(web_dir)
    if doc is None:
        return False
    want = {f"{p.name}@{p.version}" for p in PACKAGES}
    return want <= set(doc.get("packages", [])) and (web_dir / "basemap" / "land.geojson").is_file()


def build_web(
    dest: Path,
    tarballs: Path | None = None,
    land_dir: Path | None = None,
    fetch: Callable[[str], bytes] = http_fetch,
    progress: Progress | None = None,
    packages: tuple[NpmPackage, ...] = PACKAGES,
) -> WebBuild:
    """Build the web assets into ``dest`` (replaced atomically when complete)."""
    from armswatch.geo import load_ports

    say = progress or (lambda _msg: None)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".web-", dir=dest.parent))
    try:
        done = []
        for pkg in packages:
            say(f"{pkg.name}@{pkg.version}: {'reading' if tarballs else 'downloading'} "
                "and checking its integrity")
            extract(pkg, tarball(pkg, tarballs, fetch), tmp)
            done.append(f"{pkg.name}@{pkg.version}")
        land = find_land_dir(land_dir)
        say("basemap from " + (str(land) if land else "global-land-mask (fallback)"))
        ports = [(p.lat, p.lon) for p in load_ports()]
        basemap = build_basemap(tmp / "basemap", land, ports)
        manifest = {
            "built_utc": datetime.now(UTC).isoformat(timespec="seconds"),
            "packages": done,
            "integrity": {f"{p.name}@{p.version}": p.integrity for p in packages},
            "licenses": {p.name: p.license for p in packages},
            "basemap": {"source": basemap.source,
                        "files": [f.name for f in basemap.files], "notes": list(basemap.notes)},
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        old = dest.with_name(dest.name + ".old")
        if dest.exists():
            shutil.rmtree(old, ignore_errors=True)
            dest.rename(old)
        tmp.rename(dest)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return WebBuild(dest, tuple(done), Basemap(basemap.source,
                                               tuple(dest / "basemap" / f.name
                                                     for f in basemap.files), basemap.notes))


__all__ = [
    "MANIFEST",
    "PACKAGES",
    "STATIC_DIR",
    "Basemap",
    "IntegrityError",
    "NpmPackage",
    "WebBuild",
    "build_web",
    "find_land_dir",
    "is_built",
    "read_manifest",
]
