"""ASGI middleware: request body limit and security headers.

The body limit is enforced on the declared ``Content-Length`` and again on the bytes
actually received (chunked uploads), before any handler parses JSON. The headers keep
the web map honest: the Content-Security-Policy allows only this server as a source of
scripts, styles, images and connections, so a page that tried to reach the internet
would be blocked by the browser (the browser tests also watch every request).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import orjson

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
       "script-src 'self'; connect-src 'self'; font-src 'self'; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", CSP.encode()),
    (b"cache-control", b"no-store"),
)


class _TooLargeError(Exception):
    pass


async def _reply_413(scope: Scope, send: Send, limit: int) -> None:
    body = orjson.dumps({
        "type": "https://armswatch.invalid/problems/request-too-large",
        "title": "Request too large", "status": 413,
        "detail": f"request body over {limit:,} bytes; split a batch into smaller ones",
        "instance": scope.get("path"),
    })
    await send({"type": "http.response.start", "status": 413, "headers": [
        (b"content-type", b"application/problem+json"),
        (b"content-length", str(len(body)).encode()), *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = self.max_bytes + 1
                if declared > self.max_bytes:
                    await _reply_413(scope, send, self.max_bytes)
                    return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            msg = await receive()
            if msg["type"] == "http.request":
                received += len(msg.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLargeError
            return msg

        async def tracking_send(msg: Message) -> None:
            nonlocal started
            if msg["type"] == "http.response.start":
                started = True
            await send(msg)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLargeError:
            if not started:
                await _reply_413(scope, send, self.max_bytes)


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(msg: Message) -> None:
            if msg["type"] == "http.response.start":
                present = {k.lower() for k, _ in msg.get("headers", ())}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                msg["headers"] = [*msg.get("headers", ()), *extra]
            await send(msg)

        await self.app(scope, receive, with_headers)
