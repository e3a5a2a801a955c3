"""build_web: a complete asset folder or nothing; served by the app."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from armswatch.api import Settings, create_app
from armswatch.web import build_web, is_built, read_manifest
from armswatch.web._npm import IntegrityError, NpmPackage, integrity_of


def _fake_packages(folder: Path) -> tuple[NpmPackage, ...]:
    out = []
    for name, files in (("leaflet", {"dist/leaflet.js": b"window.L = {};",
                                     "dist/leaflet.css": b".leaflet{}"}),
                        ("swagger-ui-dist", {"swagger-ui-bundle.js": b"1",
                                             "swagger-ui.css": b"2"})):
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w:gz") as tar:
            for path, data in files.items():
                info = tarfile.TarInfo("package/" + path)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        data = buf.getvalue()
        pkg = NpmPackage(name, "0.0.1", integrity_of(data), tuple(files),
                         "leaflet" if name == "leaflet" else "swagger", "MIT")
        (folder / pkg.tarball_name).write_bytes(data)
        out.append(pkg)
    return tuple(out)


def test_build_from_local_tarballs_and_serve(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from armswatch import web

    tarballs = tmp_path / "tgz"
    tarballs.mkdir()
    pkgs = _fake_packages(tarballs)
    monkeypatch.setattr(web, "PACKAGES", pkgs)
    monkeypatch.setattr("armswatch.web.find_land_dir", lambda _explicit: None)
    dest = tmp_path / "web"

    def no_network(url: str) -> bytes:
        raise AssertionError(f"fetched {url}")

    built = build_web(dest, tarballs=tarballs, fetch=no_network, packages=pkgs)
    assert built.packages == ("leaflet@0.0.1", "swagger-ui-dist@0.0.1")
    assert is_built(dest)
    manifest = read_manifest(dest)
    assert manifest is not None
    assert manifest["basemap"]["source"] == "global_land_mask"
    s = Settings(web_dir=dest, keys_path=tmp_path / "keys.json")
    with TestClient(create_app(s, warm=False)) as c:
        assert c.get("/assets/leaflet/leaflet.js").text == "window.L = {};"
        assert c.get("/assets/basemap/land.geojson").json()["type"] == "FeatureCollection"
        assert c.get("/web/build").json()["built"] is True
        assert "/assets/swagger/swagger-ui-bundle.js" in c.get("/docs").text


def test_failed_build_leaves_previous_assets(tmp_path: Path) -> None:
    tarballs = tmp_path / "tgz"
    tarballs.mkdir()
    pkgs = _fake_packages(tarballs)
    dest = tmp_path / "web"
    dest.mkdir()
    (dest / "keep.txt").write_text("previous build")
    (tarballs / pkgs[1].tarball_name).write_bytes(b"corrupt")
    with pytest.raises(IntegrityError):
        build_web(dest, tarballs=tarballs, packages=pkgs)
    assert (dest / "keep.txt").read_text() == "previous build"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".web-")] == []
