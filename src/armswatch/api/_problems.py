"""Errors as RFC 9457 problem details (``application/problem+json``).

Every error the app returns, including FastAPI's validation errors, unknown routes and
unexpected exceptions, has the same shape: ``type``, ``title``, ``status``, ``detail``
and, for validation errors, ``errors`` (one entry per bad field). Internal errors never
echo the exception text (it may hold paths or data); they are logged with a reference
that the response repeats.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from armswatch.errors import ArmswatchError, BadInputError, ConfigError, StoreError

log = logging.getLogger("armswatch.api")

PROBLEM_JSON = "application/problem+json"
_TYPE_BASE = "https://armswatch.invalid/problems/"  # not dereferenced: an identifier only

_TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request too large",
    415: "Unsupported media type",
    422: "Invalid input",
    429: "Too many requests",
    500: "Internal error",
    503: "Not available",
}


class FieldError(BaseModel):
    loc: list[str | int] = Field(description="Where the bad value is: body/query/path, field.")
    msg: str = Field(description="What is wrong with it.")
    type: str = Field(description="Machine-readable error kind.")


class Problem(BaseModel):
    """An RFC 9457 problem detail."""

    type: str = Field(examples=[_TYPE_BASE + "not-found"])
    title: str = Field(examples=["Not found"])
    status: int = Field(examples=[404])
    detail: str = Field(examples=["no vessel '9999999' in the data (IMO, MMSI or vessel id)"])
    instance: str | None = Field(default=None, examples=["/vessels/9999999"])
    errors: list[FieldError] | None = None


class ApiError(Exception):
    """Raised by handlers; becomes a problem response."""

    def __init__(
        self, status: int, detail: str, kind: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.kind = kind or _TITLES.get(status, "error").lower().replace(" ", "-")
        self.headers = headers


def problem(
    status: int, detail: str, request: Request | None = None, kind: str | None = None,
    errors: list[dict[str, Any]] | None = None, headers: dict[str, str] | None = None,
) -> JSONResponse:
    kind = kind or _TITLES.get(status, "error").lower().replace(" ", "-")
    body = Problem(
        type=_TYPE_BASE + kind,
        title=_TITLES.get(status, "Error"),
        status=status,
        detail=detail,
        instance=request.url.path if request is not None else None,
        errors=[FieldError(**e) for e in errors] if errors is not None else None,
    )
    return JSONResponse(
        body.model_dump(exclude_none=True), status_code=status, media_type=PROBLEM_JSON,
        headers=headers,
    )


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for e in exc.errors():
        loc = [p if isinstance(p, int) else str(p) for p in e.get("loc", ())]
        out.append({"loc": loc, "msg": str(e.get("msg", "invalid")), "type": str(e.get("type"))})
    return out


def _summary(errors: list[dict[str, Any]]) -> str:
    parts = []
    for e in errors[:5]:
        where = ".".join(str(p) for p in e["loc"][1:]) or ".".join(str(p) for p in e["loc"])
        parts.append(f"{where}: {e['msg']}" if where else e["msg"])
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return "; ".join(parts) + more


def install(app: FastAPI) -> None:
    """Register the problem handlers on ``app``."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return problem(exc.status, exc.detail, request, exc.kind, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _field_errors(exc)
        return problem(422, _summary(errors) or "invalid input", request, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else _TITLES.get(exc.status_code, "")
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no such resource: {request.url.path} (see /docs for the API)"
        elif exc.status_code == 405 and detail == "Method Not Allowed":
            detail = f"{request.method} is not allowed on {request.url.path}"
        return problem(exc.status_code, detail, request, headers=getattr(exc, "headers", None))

    @app.exception_handler(BadInputError)
    async def _bad_input(request: Request, exc: BadInputError) -> JSONResponse:
        return problem(400, exc.reason, request)

    @app.exception_handler(StoreError)
    async def _store(request: Request, exc: StoreError) -> JSONResponse:
        log.warning("store error on %s: %s", request.url.path, exc)
        return problem(503, str(exc), request, kind="store-unavailable")

    @app.exception_handler(ConfigError)
    async def _config(request: Request, exc: ConfigError) -> JSONResponse:
        return problem(400, str(exc), request)

    @app.exception_handler(ArmswatchError)
    async def _armswatch(request: Request, exc: ArmswatchError) -> JSONResponse:
        return problem(400, str(exc), request)

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> JSONResponse:
        ref = uuid.uuid4().hex[:12]
        log.exception("internal error %s on %s %s", ref, request.method, request.url.path)
        return problem(500, f"internal error (reference {ref}; see the server log)", request)
