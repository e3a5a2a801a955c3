"""Load the compiled AIS kernels (``armswatch.ais._cais``), building them when needed.

``pip install .`` (or ``-e .``) compiles the extension ahead of time with setuptools
(``ext-modules`` in pyproject.toml): nothing is compiled at run time and loading takes
milliseconds. In a source checkout that was not installed — or whose C sources changed
since that build — the first decode compiles the module once (about two seconds) with
the compiler Python was built with, into a cache directory (``ARMSWATCH_CACHE_DIR``, else
``$XDG_CACHE_HOME/armswatch`` or ``~/.cache/armswatch``), under a name made of a hash of
the sources and the interpreter's ABI; later processes load it from there.

Nothing happens at import: :func:`lib` builds or loads on the first call.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import os
import shlex
import subprocess
import sys
import sysconfig
import tempfile
import time
from functools import cache
from pathlib import Path
from types import ModuleType

from armswatch.errors import ArmswatchError

MODULE = "armswatch.ais._cais"
HERE = Path(__file__).resolve().parent
CSRC = HERE / "csrc"
MAIN_SOURCE = CSRC / "_cais.c"


class NativeBuildError(ArmswatchError):
    """The compiled AIS kernels are missing and cannot be built here."""


def cache_dir() -> Path:
    env = os.environ.get("ARMSWATCH_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "armswatch"


def _sources() -> list[Path]:
    if not CSRC.is_dir():
        return []
    return sorted(p for p in CSRC.iterdir() if p.suffix in (".c", ".h"))


def _installed() -> Path | None:
    """The module setuptools built next to this file (``pip install -e .``), if any."""
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        p = HERE / f"_cais{suffix}"
        if p.is_file():
            return p
    return None


def source_key(sources: list[Path]) -> str:
    h = hashlib.sha256(sysconfig.get_config_var("EXT_SUFFIX").encode())
    for p in sources:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def compile_module(target: Path) -> float:
    """Compile the sources into ``target`` with the compiler and flags of this Python;
    returns the seconds it took."""
    ldshared = sysconfig.get_config_var("LDSHARED")
    if not ldshared or sys.platform == "win32":
        raise NativeBuildError(
            "the compiled AIS kernels are not built: install armswatch with "
            "`pip install -e .` (which compiles them with your C compiler)"
        )
    flags = [*shlex.split(sysconfig.get_config_var("CFLAGS") or ""),
             *shlex.split(sysconfig.get_config_var("CCSHARED") or "")]
    include = sysconfig.get_paths()["include"]
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".build-", suffix=target.suffix)
    os.close(fd)
    cmd = [*shlex.split(ldshared), *flags, f"-I{include}", f"-I{CSRC}", str(MAIN_SOURCE),
           "-o", tmp]
    t0 = time.perf_counter()
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise NativeBuildError(
            f"cannot build the compiled AIS kernels: {exc}. Install a C compiler (gcc or "
            "clang) or install armswatch from a built wheel"
        ) from exc
    if out.returncode != 0:
        Path(tmp).unlink(missing_ok=True)
        raise NativeBuildError(
            "building the compiled AIS kernels failed:\n" + " ".join(cmd) + "\n" + out.stderr
        )
    os.replace(tmp, target)  # atomic: concurrent builds cannot leave a half-written file
    return time.perf_counter() - t0


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(MODULE, path)
    if spec is None or spec.loader is None:
        raise NativeBuildError(f"cannot load {path}")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    sys.modules[MODULE] = mod
    return mod


def module_path() -> Path:
    """The file the kernels are (or will be) loaded from, building nothing."""
    sources = _sources()
    built = _installed()
    if built is not None and (
        not sources or built.stat().st_mtime >= max(p.stat().st_mtime for p in sources)
    ):
        return built
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    return cache_dir() / f"_cais-{source_key(sources)}{suffix}"


@cache
def lib() -> ModuleType:
    """The compiled kernels: the installed build if current, else a cached build of the
    current sources (compiled now if there is none)."""
    sources = _sources()
    if not sources:  # an installed wheel: the module ships without its sources
        import importlib

        return importlib.import_module(MODULE)
    path = module_path()
    if not path.is_file():
        compile_module(path)
    return _load(path)
