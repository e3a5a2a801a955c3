"""``lists update`` against a local HTTP server and file:// URLs (no internet here)."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from armswatch.errors import ConfigError
from armswatch.lists import ListStore
from armswatch.lists.sources import SOURCES, ListSource, select, sources
from armswatch.lists.update import update_lists

DATA = Path(__file__).parent / "data"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", root
    finally:
        httpd.shutdown()
        httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _ofac(base: str) -> ListSource:
    files = tuple((name, f"{base}/ofac/{name.upper()}") for name in
                  ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"))
    return ListSource("us_ofac_sdn", "OFAC", files, "")


def _serve_ofac(root: Path) -> None:
    (root / "ofac").mkdir(exist_ok=True)
    for name in ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"):
        shutil.copy(DATA / "ofac_sample" / name, root / "ofac" / name.upper())


def test_update_over_http(tmp_path: Path, server: tuple[str, Path]) -> None:
    base, root = server
    _serve_ofac(root)
    shutil.copy(DATA / "eu_fsf_sample.xml", root / "eu.xml")
    eu = ListSource("eu_fsf", "EU", (("eu_fsf.xml", f"{base}/eu.xml"),), "")
    st = ListStore(tmp_path / "store")
    res = update_lists(st, [_ofac(base), eu])
    assert [(r.code, r.status) for r in res.results] == [("us_ofac_sdn", "updated"),
                                                        ("eu_fsf", "updated")]
    assert res.snapshot is not None
    assert res.snapshot.entity_count == 6
    folder = res.results[0].folder
    assert folder is not None
    manifest = orjson.loads((folder / "manifest.json").read_bytes())
    assert set(manifest["files"]) == {"sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"}
    assert len(manifest["files"]["sdn.csv"]) == 64
    cur = st.resolve()
    ofac_meta = next(m for m in cur.lists if m.source == "us_ofac_sdn")
    assert ofac_meta.path == str(folder / "sdn.csv")  # points at the kept download
    assert len(ofac_meta.files) == 4

    # same files again: unchanged, no new snapshot
    again = update_lists(st, [_ofac(base), eu])
    assert [r.status for r in again.results] == ["unchanged", "unchanged"]
    assert again.snapshot is None

    # a new publication: updated, the previous download and snapshot are kept
    (root / "eu.xml").write_bytes((DATA / "eu_fsf_sample.xml").read_bytes()
                                  .replace(b"KIM FICTION Chol", b"KIM FICTION Cheol"))
    third = update_lists(st, [_ofac(base), eu])
    assert [r.status for r in third.results] == ["unchanged", "updated"]
    assert len([p for p in (st.root / "downloads" / "eu_fsf").iterdir() if p.is_dir()]) == 2
    assert [int(s.name) for s in st.snapshots()] == [1, 2]


def test_failed_download_keeps_previous(tmp_path: Path, server: tuple[str, Path]) -> None:
    base, root = server
    _serve_ofac(root)
    st = ListStore(tmp_path / "store")
    update_lists(st, [_ofac(base)])
    pointer = (st.root / "CURRENT").read_text()
    (root / "ofac" / "ADD.CSV").unlink()  # HTTP 404 for one companion
    res = update_lists(st, [_ofac(base)])
    assert res.results[0].status == "failed"
    assert "404" in (res.results[0].error or "")
    assert res.snapshot is None
    assert (st.root / "CURRENT").read_text() == pointer
    downloads = st.root / "downloads" / "us_ofac_sdn"
    assert len([p for p in downloads.iterdir() if p.is_dir()]) == 1  # no partial folder


def test_unreadable_download_not_loaded(tmp_path: Path, server: tuple[str, Path]) -> None:
    base, root = server
    (root / "un.xml").write_bytes(b"<?xml version='1.0'?><CONSOLIDATED_LIST><INDIVIDUALS>")
    un = ListSource("un_sc_sanctions", "UN", (("consolidated.xml", f"{base}/un.xml"),), "")
    st = ListStore(tmp_path / "store")
    res = update_lists(st, [un])
    assert res.results[0].status == "failed"
    assert "malformed XML" in (res.results[0].error or "")
    assert st.current() is None
    assert not [p for p in (st.root / "downloads" / "un_sc_sanctions").iterdir()
                if p.is_dir()]


def test_file_urls_and_overrides(tmp_path: Path) -> None:
    overrides = tmp_path / "sources.json"
    url = (DATA / "uk_fcdo_sample.xml").resolve().as_uri()
    overrides.write_bytes(orjson.dumps({"gb_fcdo_sanctions": {"UK-Sanctions-List.xml": url}}))
    chosen = select(sources(overrides), ["gb_fcdo_sanctions"])
    assert chosen[0].files == (("UK-Sanctions-List.xml", url),)
    res = update_lists(ListStore(tmp_path / "store"), chosen)
    assert res.results[0].status == "updated"
    assert res.results[0].entities == 2


def test_source_table() -> None:
    codes = [s.code for s in SOURCES]
    assert codes == ["us_ofac_sdn", "us_ofac_cons", "un_sc_sanctions", "eu_fsf",
                     "gb_fcdo_sanctions"]
    for s in SOURCES:
        assert all(url.startswith("https://") for _, url in s.files)
    with pytest.raises(ConfigError, match="unknown list"):
        select(SOURCES, ["nope"])


def test_bad_override_file(tmp_path: Path) -> None:
    bad = tmp_path / "s.json"
    bad.write_text('{"un_sc_sanctions": {"wrong.xml": "file:///x"}}')
    with pytest.raises(ConfigError, match="has no file"):
        sources(bad)
