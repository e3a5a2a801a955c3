"""Browser libraries from the npm registry, pinned by version and integrity hash.

The web map uses Leaflet and the API page uses Swagger UI. Neither is committed nor
loaded from a CDN: the build step downloads each package's tarball from the npm registry
(``$ARMSWATCH_NPM_REGISTRY``, default ``https://registry.npmjs.org``) — or takes it from
a local folder of tarballs, for machines without any network — checks it against the
``sha512`` integrity hash the registry published for that version (the value of
``dist.integrity`` in the package metadata, also what ``package-lock.json`` records),
and extracts only the files the pages use. A tarball whose hash differs is refused.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import tarfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from armswatch.errors import ArmswatchError, BadInputError

DEFAULT_REGISTRY = "https://registry.npmjs.org"
ENV_REGISTRY = "ARMSWATCH_NPM_REGISTRY"


@dataclass(frozen=True, slots=True)
class NpmPackage:
    name: str
    version: str
    integrity: str  # "sha512-<base64>", as published by the registry
    files: tuple[str, ...]  # paths inside the tarball (under package/) to extract
    target: str  # sub-folder of the web build
    license: str

    @property
    def tarball_name(self) -> str:
        return f"{self.name.rsplit('/', 1)[-1]}-{self.version}.tgz"

    def url(self, registry: str) -> str:
        return f"{registry.rstrip('/')}/{self.name}/-/{self.tarball_name}"


# Pinned: changing a version means changing its integrity hash too (read it from
# `<registry>/<name>/<version>` → dist.integrity).
PACKAGES: tuple[NpmPackage, ...] = (
    NpmPackage(
        "leaflet", "1.9.4",
        "sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==",
        ("dist/leaflet.js", "dist/leaflet.css", "dist/images/layers.png",
         "dist/images/layers-2x.png", "dist/images/marker-icon.png",
         "dist/images/marker-icon-2x.png", "dist/images/marker-shadow.png", "LICENSE"),
        "leaflet", "BSD-2-Clause",
    ),
    NpmPackage(
        "swagger-ui-dist", "5.35.0",
        "sha512-U06rpMtW9V3XPGOBeamTUSr0Z09jMX4IJuANpE/EZbAhw0G8CgwrzU4YmXkn/h0wCDNsXdGarTNNHC3sU8yVUQ==",
        ("swagger-ui-bundle.js", "swagger-ui.css", "LICENSE", "NOTICE"),
        "swagger", "Apache-2.0",
    ),
)


class IntegrityError(ArmswatchError):
    """A downloaded tarball does not match its pinned integrity hash."""


def integrity_of(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def check_integrity(pkg: NpmPackage, data: bytes, where: str) -> None:
    got = integrity_of(data)
    if got != pkg.integrity:
        raise IntegrityError(
            f"{pkg.name}@{pkg.version} from {where}: integrity {got[:30]}... differs from "
            f"the pinned {pkg.integrity[:30]}...; refusing it (a corrupted or altered tarball)"
        )


Fetch = Callable[[str], bytes]


def http_fetch(url: str) -> bytes:
    import httpx

    try:
        resp = httpx.get(url, timeout=60.0, follow_redirects=True)
        resp.raise_for_status()
    except httpx.HTTPError as exc:
        raise ArmswatchError(
            f"cannot download {url}: {exc}. Without network, copy the tarball to a folder "
            "and run `armswatch web build --tarballs DIR`"
        ) from None
    return resp.content


def tarball(pkg: NpmPackage, tarballs: Path | None = None, fetch: Fetch = http_fetch) -> bytes:
    """The package's tarball, verified: from ``tarballs/<name>-<version>.tgz`` when given,
    else downloaded from the registry."""
    if tarballs is not None:
        path = tarballs / pkg.tarball_name
        if not path.is_file():
            raise BadInputError(f"no {pkg.tarball_name} in the tarballs folder", tarballs)
        data = path.read_bytes()
        check_integrity(pkg, data, str(path))
        return data
    registry = os.environ.get(ENV_REGISTRY, DEFAULT_REGISTRY)
    url = pkg.url(registry)
    data = fetch(url)
    check_integrity(pkg, data, url)
    return data


def extract(pkg: NpmPackage, data: bytes, dest: Path) -> list[Path]:
    """Write the package's listed files under ``dest/<target>/`` (flattening ``dist/``)."""
    wanted = {f"package/{f}": f for f in pkg.files}
    out: list[Path] = []
    root = dest / pkg.target
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member in tar.getmembers():
            rel = wanted.pop(member.name, None)
            if rel is None or not member.isfile():
                continue
            parts = PurePosixPath(rel.removeprefix("dist/")).parts
            if any(p in ("", ".", "..") for p in parts):
                raise IntegrityError(f"unsafe path {member.name!r} in {pkg.tarball_name}")
            target = root.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            src = tar.extractfile(member)
            if src is None:
                continue
            target.write_bytes(src.read())
            out.append(target)
    if wanted:
        raise IntegrityError(f"{pkg.tarball_name} lacks {sorted(wanted.values())}")
    return out
