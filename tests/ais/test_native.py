"""The compiled kernels: which build is loaded, building from the sources, and the
checks at the Python/C boundary (a wrong buffer is an exception, never a crash)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from armswatch.ais import _native
from armswatch.ais._frame import MSG_DTYPE


@pytest.fixture
def fake_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A package folder with a copy of the C sources and an empty cache."""
    pkg = tmp_path / "ais"
    shutil.copytree(_native.CSRC, pkg / "csrc")
    monkeypatch.setattr(_native, "HERE", pkg)
    monkeypatch.setattr(_native, "CSRC", pkg / "csrc")
    monkeypatch.setattr(_native, "MAIN_SOURCE", pkg / "csrc" / "_cais.c")
    monkeypatch.setenv("ARMSWATCH_CACHE_DIR", str(tmp_path / "cache"))
    return pkg


def test_installed_build_is_used_unless_the_sources_are_newer(fake_tree: Path) -> None:
    suffix = _native.sysconfig.get_config_var("EXT_SUFFIX")
    cached = _native.module_path()
    assert cached.parent == fake_tree.parent / "cache"  # nothing installed: the cache
    installed = fake_tree / f"_cais{suffix}"
    installed.write_bytes(b"")
    newest = max(p.stat().st_mtime for p in (fake_tree / "csrc").iterdir())
    os.utime(installed, (newest + 10, newest + 10))
    assert _native.module_path() == installed
    os.utime(installed, (newest - 10, newest - 10))  # a C source changed since the build
    assert _native.module_path() == cached


def test_cache_key_follows_the_sources(fake_tree: Path) -> None:
    before = _native.module_path()
    gen = fake_tree / "csrc" / "gen.h"
    gen.write_text(gen.read_text() + "\n/* changed */\n")
    assert _native.module_path() != before


def test_missing_compiler_is_a_clear_error(fake_tree: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_native.sysconfig, "get_config_var",
                        lambda name: None if name == "LDSHARED" else ".so")
    with pytest.raises(_native.NativeBuildError, match="pip install"):
        _native.compile_module(fake_tree / "x.so")


@pytest.mark.slow
def test_builds_from_the_sources(fake_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, _native.MODULE, raising=False)  # restored afterwards
    target = _native.module_path()
    seconds = _native.compile_module(target)
    mod = _native._load(target)
    assert MSG_DTYPE.itemsize == mod.MSG_SIZE
    assert seconds > 0


def test_wrong_buffers_raise_instead_of_crashing() -> None:
    lib = _native.lib()
    msgs = np.zeros(4, MSG_DTYPE)
    good = {"c64": np.zeros((2, 1), np.int64), "c32": np.zeros((1, 1), np.int32),
            "c8": np.zeros((4, 1), np.int8)}
    pbuf = np.zeros(8, np.uint8)
    with pytest.raises(TypeError, match="f64"):  # float32 where float64 is expected
        lib.extract_positions(pbuf, msgs, 0, 1, *good.values(), np.zeros(8, np.float32),
                              np.zeros(8, np.float32), np.zeros(8, np.int32),
                              np.zeros(8, np.int16), np.zeros(8, np.int8),
                              np.zeros(64, np.uint8))
    other = (np.zeros(1, np.int32), np.zeros(1, np.int8), np.zeros(1, np.int8),
             np.zeros(2, np.uint8), np.zeros(1, np.uint8), np.zeros(2, np.int32))
    with pytest.raises(ValueError, match="at least"):  # too short for the rows asked
        lib.extract_other(pbuf, msgs, 0, 1000, *good.values(), *other)
    msgs[0] = (0, 1, 6, 3, 0, 18, 0, 0, 1, 0, 1, 0, 0)  # payload past the end of pbuf
    with pytest.raises(ValueError, match="outside the payload"):
        lib.extract_other(pbuf, msgs, 1, 1, *good.values(), *other)
    with pytest.raises(ValueError, match="outside"):
        lib.frame(b"abc\n", 0, 99, True, False, 10, 100, 10, 0, np.zeros(3, np.int64),
                  np.zeros((1, 21), np.int64), np.zeros(9 * 128, np.uint8),
                  np.zeros(22, np.int64), pbuf, 0, msgs, 0, np.zeros(1, np.int64),
                  np.zeros(16, np.int64), np.zeros(16, np.int64), np.zeros(4, np.int64),
                  np.zeros(4, np.int64))
