#!/usr/bin/env python3
"""Set up and run armswatch with nothing but Python >= 3.11 and pip.

    python3.11 dev.py demo    # create .venv, install, run the main job on generated data
    python3.11 dev.py test    # create .venv, install, run the test suite
    python3.11 dev.py lint    # ruff + mypy --strict on the package

The virtual environment is (re)installed only when pyproject.toml changes.
Extra arguments are passed on (e.g. ``dev.py test -k lists``).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("ARMSWATCH_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"


def _ensure_env() -> None:
    if sys.version_info < (3, 11):
        sys.exit("armswatch needs Python >= 3.11 (run it with python3.11)")
    if not PY.exists():
        print(f"creating virtual environment {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / ".armswatch-installed"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    print("installing armswatch and its pinned dependencies (first run only)", flush=True)
    pip = [str(PY), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "-e", f"{ROOT}[dev,spark]"], check=True)
    stamp.write_text(digest)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"demo", "test", "lint", "setup"}:
        print(__doc__)
        return 2
    cmd, rest = argv[0], argv[1:]
    _ensure_env()
    if cmd == "setup":
        return 0
    if cmd == "demo":
        return subprocess.call([str(BIN / "armswatch"), "demo", *rest], cwd=ROOT)
    if cmd == "test":
        return subprocess.call([str(PY), "-m", "pytest", *rest], cwd=ROOT)
    dirs = [d for d in ("src", "tests", "bench") if (ROOT / d).is_dir()]
    rc = subprocess.call([str(PY), "-m", "ruff", "check", *dirs], cwd=ROOT)
    return rc or subprocess.call([str(PY), "-m", "mypy", "--strict", "src/armswatch"], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
