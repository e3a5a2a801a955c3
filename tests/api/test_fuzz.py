"""schemathesis against the app's own OpenAPI description: no input gives a 500, and every
response conforms to the documented schema (status codes, content types, bodies).

Not checked: that every schema-valid input is accepted (a bbox of 999 degrees or an
unknown ship is well-formed and still refused, with a 4xx), nor that every
schema-violating input is refused (in a query string "0.5" is as much a string as a
number, so schemathesis's "wrong type" cases for string parameters are valid input)."""

from __future__ import annotations

import atexit
import shutil
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hsettings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from armswatch.api import Settings, create_app
from tests.api._data import shared_data_dir

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _app() -> object:
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="armswatch-fuzz-"))
    atexit.register(shutil.rmtree, root, True)
    data = shared_data_dir()
    shutil.copy(data / "alerts.duckdb", root / "alerts.duckdb")  # reviews write to a copy
    keys = root / "keys.json"
    from armswatch.api import KeyFile

    key, _ = KeyFile(keys).add("Fuzz Analyst", "analyst")
    app = create_app(Settings(data_dir=data, keys_path=keys, web_dir=root / "web",
                              alerts_path=root / "alerts.duckdb", max_batch=5, max_page=50),
                     warm=False)
    app.state.fuzz_key = key
    return app


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
APP = _app()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@hsettings(max_examples=15, deadline=None,
           suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_no_server_error(case: schemathesis.Case) -> None:
    case.call_and_validate(headers={"X-API-Key": APP.state.fuzz_key},
                           checks=CHECKS)
