"""The Parquet store: snapshots, merging by list, atomicity, the Python API."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from armswatch.errors import StoreError
from armswatch.lists import ListStore, load_store, read_list, read_lists
from armswatch.lists import store as store_mod
from tests.conftest import need
from tests.lists import _cache
from tests.lists._cache import shared_list

DATA = Path(__file__).parent / "data"


def test_load_read_roundtrip(tmp_path: Path) -> None:
    data = read_lists([DATA / "ofac_sample" / "sdn.csv", DATA / "eu_fsf_sample.xml"])
    st = ListStore(tmp_path)
    snap = st.load(data)
    assert int(snap.name) == 1
    assert snap.entity_count == 6
    back = load_store(tmp_path)
    assert back.entities == data.entities  # every field survives the store
    assert back.links == data.links
    assert [m.source for m in back.meta] == ["us_ofac_sdn", "eu_fsf"]
    assert back.meta[0].files == data.meta[0].files
    names = pq.read_table(st.table_path("names")).to_pylist()
    assert {"entity_id": "us_ofac_sdn-90001", "name": "SEA PHANTOM", "kind": "fka",
            "schema": "Vessel", "source": "us_ofac_sdn"} in names
    ids = pq.read_table(st.table_path("identifiers")).to_pylist()
    assert {"entity_id": "us_ofac_sdn-90001", "kind": "imo", "value": "9000001",
            "country": None} in ids


def test_env_var_chooses_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARMSWATCH_LISTS_STORE", str(tmp_path / "s"))
    assert ListStore().root == tmp_path / "s"
    monkeypatch.delenv("ARMSWATCH_LISTS_STORE")
    monkeypatch.setenv("ARMSWATCH_HOME", str(tmp_path / "h"))
    assert ListStore().root == tmp_path / "h" / "lists"


def test_loading_one_list_keeps_the_others(tmp_path: Path) -> None:
    st = ListStore(tmp_path)
    st.load(read_list(DATA / "ofac_sample" / "sdn.csv"))
    st.load(read_list(DATA / "eu_fsf_sample.xml"))
    assert [m.source for m in st.resolve().lists] == ["us_ofac_sdn", "eu_fsf"]
    # reloading OFAC (the XML edition) replaces OFAC only
    st.load(read_list(DATA / "ofac_sdn_sample.xml"))
    cur = st.resolve()
    assert sorted(m.format for m in cur.lists) == ["eu_xml", "ofac_xml"]
    assert cur.entity_count == 6
    assert [int(s.name) for s in st.snapshots()] == [1, 2, 3]
    assert int(st.resolve("previous").name) == 2
    assert int(st.resolve("@1").name) == 1
    only = st.load(read_list(DATA / "eu_fsf_sample.xml"), replace_all=True)
    assert [m.source for m in only.lists] == ["eu_fsf"]


def test_cross_list_links_resolve_in_store(tmp_path: Path) -> None:
    """A name one list could not resolve is linked once its list is loaded."""
    st = ListStore(tmp_path)
    cons = read_list(need("sanctions/ofac/consolidated_nonsdn_2025-12-19/cons_prim.csv"))
    assert any(p.name == "HAMAS" for p in cons.meta[0].unresolved)
    st.load(cons)
    before = len(st.read().links)
    sdn = shared_list(_cache.SET_2021)
    links_before = [m.link_count for m in sdn.meta]
    st.load(sdn)
    assert [m.link_count for m in sdn.meta] == links_before  # the input is not changed
    data = st.read()
    hamas = next(e for e in data.entities if e.caption == "HAMAS")
    assert any(lk.target_id == hamas.id and lk.origin == "us_ofac_cons" for lk in data.links)
    assert len(data.links) > before


def test_failed_write_leaves_store_untouched(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    st = ListStore(tmp_path)
    st.load(read_list(DATA / "ofac_sample" / "sdn.csv"))
    pointer = (tmp_path / "CURRENT").read_text()
    calls = {"n": 0}
    real = store_mod.pq.write_table

    def flaky(*args: object, **kw: object) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        real(*args, **kw)

    monkeypatch.setattr(store_mod.pq, "write_table", flaky)
    with pytest.raises(OSError, match="disk full"):
        st.load(read_list(DATA / "eu_fsf_sample.xml"))
    assert (tmp_path / "CURRENT").read_text() == pointer
    assert [p.name for p in (tmp_path / "snapshots").iterdir()] == ["000001"]  # no temp left
    assert [m.source for m in st.read().meta] == ["us_ofac_sdn"]


def test_empty_store_errors(tmp_path: Path) -> None:
    st = ListStore(tmp_path)
    assert st.current() is None
    with pytest.raises(StoreError, match="empty"):
        st.read()
    st.load(read_list(DATA / "eu_fsf_sample.xml"))
    with pytest.raises(StoreError, match="no snapshot"):
        st.resolve("@7")
    with pytest.raises(StoreError, match="no snapshot before"):
        st.resolve("previous")


def test_old_snapshots_pruned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_mod, "KEEP_SNAPSHOTS", 2)
    st = ListStore(tmp_path)
    for _ in range(4):
        st.load(read_list(DATA / "eu_fsf_sample.xml"))
    assert [int(s.name) for s in st.snapshots()] == [3, 4]
