"""npm tarballs: integrity checked, only the listed files extracted, nothing unsafe."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from armswatch.errors import BadInputError
from armswatch.web._npm import (
    PACKAGES,
    IntegrityError,
    NpmPackage,
    extract,
    integrity_of,
    tarball,
)


def _tgz(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _pkg(data: bytes, files: tuple[str, ...] = ("dist/lib.js", "LICENSE")) -> NpmPackage:
    return NpmPackage("fakelib", "1.0.0", integrity_of(data), files, "fakelib", "MIT")


def test_pinned_packages_are_sha512() -> None:
    for p in PACKAGES:
        assert p.integrity.startswith("sha512-")
        assert len(p.integrity) == 7 + 88
    assert {p.name for p in PACKAGES} == {"leaflet", "swagger-ui-dist"}


def test_download_verified_and_extracted(tmp_path: Path) -> None:
    data = _tgz({"package/dist/lib.js": b"var L = 1;", "package/LICENSE": b"MIT",
                 "package/src/other.js": b"not wanted"})
    pkg = _pkg(data)
    seen: list[str] = []

    def fetch(url: str) -> bytes:
        seen.append(url)
        return data

    got = tarball(pkg, fetch=fetch)
    assert seen == ["https://registry.npmjs.org/fakelib/-/fakelib-1.0.0.tgz"]
    out = extract(pkg, got, tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in out) == [
        "fakelib/LICENSE", "fakelib/lib.js"]
    assert not (tmp_path / "fakelib" / "src").exists()


def test_registry_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _tgz({"package/dist/lib.js": b"x", "package/LICENSE": b"MIT"})
    monkeypatch.setenv("ARMSWATCH_NPM_REGISTRY", "http://127.0.0.1:9/npm/")
    seen: list[str] = []
    tarball(_pkg(data), fetch=lambda url: seen.append(url) or data)
    assert seen == ["http://127.0.0.1:9/npm/fakelib/-/fakelib-1.0.0.tgz"]


def test_altered_tarball_refused(tmp_path: Path) -> None:
    data = _tgz({"package/dist/lib.js": b"var L = 1;", "package/LICENSE": b"MIT"})
    pkg = _pkg(data)
    evil = _tgz({"package/dist/lib.js": b"fetch('https://cdn.example/x')",
                 "package/LICENSE": b"MIT"})
    with pytest.raises(IntegrityError, match="differs from the pinned"):
        tarball(pkg, fetch=lambda _url: evil)
    (tmp_path / "fakelib-1.0.0.tgz").write_bytes(evil)
    with pytest.raises(IntegrityError):
        tarball(pkg, tarballs=tmp_path)


def test_local_tarballs_folder(tmp_path: Path) -> None:
    data = _tgz({"package/dist/lib.js": b"x", "package/LICENSE": b"MIT"})
    pkg = _pkg(data)
    with pytest.raises(BadInputError, match=r"no fakelib-1\.0\.0\.tgz"):
        tarball(pkg, tarballs=tmp_path)
    (tmp_path / "fakelib-1.0.0.tgz").write_bytes(data)
    assert tarball(pkg, tarballs=tmp_path, fetch=lambda _u: b"never called") == data


def test_missing_or_unsafe_members(tmp_path: Path) -> None:
    data = _tgz({"package/dist/lib.js": b"x"})
    with pytest.raises(IntegrityError, match="lacks"):
        extract(_pkg(data), data, tmp_path)
    data = _tgz({"package/dist/../../evil.js": b"x", "package/LICENSE": b"MIT"})
    pkg = _pkg(data, files=("dist/../../evil.js", "LICENSE"))
    with pytest.raises(IntegrityError, match="unsafe path"):
        extract(pkg, data, tmp_path)
    assert not (tmp_path.parent / "evil.js").exists()
