"""The application factory: ``create_app(settings)`` → a FastAPI app.

Everything the app holds lives on ``app.state`` (settings, keys file, data provider);
nothing is global, so tests build as many apps as they like.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from armswatch import __version__
from armswatch.api import _problems
from armswatch.api._folder import FolderProvider
from armswatch.api._keys import KeyFile
from armswatch.api._middleware import BodyLimit, SecurityHeaders
from armswatch.api._problems import ApiError
from armswatch.api._provider import DataProvider
from armswatch.api._routes import router
from armswatch.api._settings import Settings

log = logging.getLogger("armswatch.api")

DESCRIPTION = """\
Sanctions screening, ship dossiers, detector events, deliveries, the alert queue and
trade routes from an armswatch data folder.

**Keys.** Reading needs no key when the server listens on a loopback address; bound to
any other address, every request needs one. Reviewing alerts always needs an
`analyst` key. Send it as `X-API-Key: aw_...` (or `Authorization: Bearer aw_...`);
make keys with `armswatch api keys add NAME --role viewer|analyst`.

**Errors** are RFC 9457 problem details (`application/problem+json`).
"""

_DOCS_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>armswatch API</title>
<link rel="icon" href="/static/favicon.svg">
<link rel="stylesheet" href="/assets/swagger/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/assets/swagger/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script></body></html>"""


def _describe_server(app: FastAPI, settings: Settings) -> None:
    """Make the OpenAPI description match this server's settings: reads need no key when
    reading is open (an empty security requirement), and the batch and page limits."""
    from typing import Any

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi

            spec = get_openapi(title=app.title, version=app.version,
                               description=app.description, routes=app.routes)
            for item in spec.get("paths", {}).values():
                for op in item.values():
                    if not isinstance(op, dict) or "security" not in op:
                        continue
                    if settings.open_read and op.get("x-armswatch-role") == "viewer":
                        op["security"] = [*op["security"], {}]
            batch = spec["components"]["schemas"]["BatchRequest"]["properties"]["queries"]
            batch["maxItems"] = settings.max_batch
            for param in spec["paths"]["/events"]["get"]["parameters"]:
                if param["name"] == "limit":
                    for alt in param["schema"].get("anyOf", [param["schema"]]):
                        if alt.get("type") == "integer":
                            alt["maximum"] = settings.max_page
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def freeze_loaded() -> None:
    """Move everything allocated so far out of the cyclic garbage collector's sight.

    The loaded lists and screening index are about a million long-lived objects: one full
    collection over them takes about half a second, during which every request waits
    (it was the p99 of /screen under load). They are never garbage, so after loading
    they are frozen (:func:`gc.freeze`); collections then scan only newer objects. Before
    a fork it also keeps the shared pages from being copied by the collector."""
    gc.collect()
    gc.freeze()


def _warm(data: DataProvider) -> None:
    data.warm()
    freeze_loaded()


def create_app(settings: Settings, provider: DataProvider | None = None,
               warm: bool = True) -> FastAPI:
    """The armswatch HTTP API and web map for ``settings``.

    ``provider`` defaults to a :class:`FolderProvider` over ``settings.data_dir``;
    ``warm`` loads the data in a background thread at start-up (requests that arrive
    earlier wait for what they need)."""
    from armswatch.web import STATIC_DIR, is_built, read_manifest

    data = provider if provider is not None else FolderProvider(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:
            threading.Thread(target=_warm, args=(data,), name="armswatch-warm",
                             daemon=True).start()
        try:
            yield
        finally:
            data.close()

    app = FastAPI(
        title="armswatch", version=__version__, description=DESCRIPTION,
        docs_url=None, redoc_url=None,
        openapi_url="/openapi.json" if settings.docs else None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.keys = KeyFile(settings.keys_path)
    app.state.provider = data
    _problems.install(app)
    app.include_router(router())
    _describe_server(app, settings)

    web_dir = settings.resolved_web_dir()

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    @app.get("/web/build", tags=["service"], summary="State of the built web assets")
    def web_build(request: Request) -> JSONResponse:
        doc = read_manifest(web_dir)
        return JSONResponse({"built": is_built(web_dir), "manifest": doc,
                             "hint": None if doc else "run `armswatch web build`"})

    if settings.docs:
        @app.get("/docs", include_in_schema=False)
        def docs() -> HTMLResponse:
            if not is_built(web_dir):
                return HTMLResponse(
                    "<!doctype html><title>armswatch API</title><p>The API page needs "
                    "Swagger UI: run <code>armswatch web build</code>. The machine-readable "
                    "description is at <a href='/openapi.json'>/openapi.json</a>.</p>")
            return HTMLResponse(_DOCS_HTML)

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/assets/{path:path}", include_in_schema=False)
    def assets(path: str) -> FileResponse:
        root = web_dir.resolve()
        target = (root / path).resolve()
        if not target.is_relative_to(root) or not target.is_file():
            hint = "" if is_built(web_dir) else " (web assets not built: `armswatch web build`)"
            raise ApiError(404, f"no asset {path!r}{hint}")
        return FileResponse(target)

    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["GET", "POST"],
                           allow_headers=["X-API-Key", "Authorization", "Content-Type"])
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    return app
