from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from armswatch.cli import main

SRC = Path(__file__).resolve().parents[1] / "src"


def test_help_exits_zero(capsys: object) -> None:
    assert main(["--help"]) == 0


def test_unknown_command_is_usage_error() -> None:
    assert main(["no-such-command"]) == 2


def test_import_starts_no_jvm() -> None:
    code = "import armswatch, armswatch.cli, armswatch.engine, sys; print('pyspark' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "False"
