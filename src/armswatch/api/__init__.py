"""The HTTP API and the web map: one FastAPI app from one factory.

::

    from armswatch.api import Settings, create_app
    app = create_app(Settings(data_dir=Path("armswatch-demo")))
    # uvicorn.run(app, host="127.0.0.1", port=8765)  — or `armswatch serve --data DIR`,
    # or serve(settings, workers=2): the data loaded once, shared by forked workers

Handlers are thin: parse → pure query builder (``_queries``) → :class:`DataProvider`
(default :class:`FolderProvider`, over a folder the pipeline wrote) → response model.
"""

from armswatch.api._app import create_app
from armswatch.api._folder import FolderProvider
from armswatch.api._keys import KeyFile, KeyRecord, Role
from armswatch.api._provider import DataProvider, NotAvailable
from armswatch.api._serve import serve
from armswatch.api._settings import DEFAULT_HOST, DEFAULT_PORT, Settings, is_loopback

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "DataProvider",
    "FolderProvider",
    "KeyFile",
    "KeyRecord",
    "NotAvailable",
    "Role",
    "Settings",
    "create_app",
    "is_loopback",
    "serve",
]
