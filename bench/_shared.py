"""The shared public data folder (``$ARMSWATCH_SHARED_DATA`` or ``shared/data`` beside the
checkout), found exactly as the tests find it (``tests/conftest.py``)."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.conftest import shared_data_dir  # noqa: E402

SHARED = shared_data_dir()
